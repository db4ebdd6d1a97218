"""The bureau's 行政处罚裁量基准 (discretion benchmarks): a registry on the platform's generic views.

The office keeps the rows of the bureau's published benchmark; the decision form offers the rows in
force for the case's field, and the decision records which it applied (``services.procedure``).
"""

from wangjian.cases import filtersets, tables
from wangjian.cases.forms_benchmarks import DiscretionBenchmarkForm
from wangjian.cases.models import DiscretionBenchmark
from wangjian.platform import generic


class BenchmarkMixin:
    model = DiscretionBenchmark
    url_prefix = "cases:benchmark"
    queryset = DiscretionBenchmark.objects.select_related("bureau")


class BenchmarkList(BenchmarkMixin, generic.ObjectListView):
    filterset_class = filtersets.DiscretionBenchmarkFilterSet
    table_class = tables.DiscretionBenchmarkTable


class BenchmarkDetail(BenchmarkMixin, generic.ObjectDetailView):
    detail_fields = [
        "bureau",
        "code",
        "violation",
        "domain",
        "provision",
        "circumstance",
        "conditions",
        "penalty",
        "fine_min",
        "fine_max",
        "source",
        "is_active",
    ]


class BenchmarkEdit(BenchmarkMixin, generic.ObjectEditView):
    form_class = DiscretionBenchmarkForm


class BenchmarkDelete(BenchmarkMixin, generic.ObjectDeleteView):
    pass


class BenchmarkChangelog(BenchmarkMixin, generic.ObjectChangelogView):
    pass
