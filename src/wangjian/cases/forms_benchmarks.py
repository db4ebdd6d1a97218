"""The form of a 裁量基准 row; the range is checked here as the API's serializer checks it (one rule)."""

from django.utils.translation import gettext_lazy as _

from wangjian.cases.models import DiscretionBenchmark
from wangjian.platform.forms import ScopedModelForm


def range_problem(fine_min, fine_max) -> str:
    """The one check of a benchmark's fine range, for the page and the API."""
    if fine_min is not None and fine_max is not None and fine_min > fine_max:
        return str(_("罚款下限不能高于上限 / The lower bound cannot exceed the upper"))
    if any(v is not None and v < 0 for v in (fine_min, fine_max)):
        return str(_("罚款幅度不能为负 / A fine cannot be negative"))
    return ""


class DiscretionBenchmarkForm(ScopedModelForm):
    class Meta:
        model = DiscretionBenchmark
        fields = [
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

    def clean(self):
        data = super().clean()
        problem = range_problem(data.get("fine_min"), data.get("fine_max"))
        if problem:
            self.add_error("fine_max", problem)
        return data
