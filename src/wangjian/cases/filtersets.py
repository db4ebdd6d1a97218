"""One FilterSet for cases, used by the web list and the API alike."""

import django_filters as df
from django.forms import DateInput
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangjian.cases.choices import ENDED, CaseState, Procedure, SourceKind
from wangjian.cases.models import Case, Circumstance, DiscretionBenchmark
from wangjian.org.choices import Domain
from wangjian.platform.filtersets import SearchFilterSet
from wangjian.registry.filtersets import platforms_visible

DATE = DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CaseFilterSet(SearchFilterSet):
    search_fields = (
        "number",
        "title",
        "party_name",
        "party_uscc",
        "presence_label",
        "facts",
        "decision_number",
    )
    state = df.ChoiceFilter(choices=CaseState.choices, label=_("状态"))
    domain = df.ChoiceFilter(choices=Domain.choices, label=_("监管领域"))
    source_kind = df.ChoiceFilter(choices=SourceKind.choices, label=_("案件来源"))
    procedure = df.ChoiceFilter(choices=Procedure.choices, label=_("程序"))
    open = df.BooleanFilter(method="filter_open", label=_("在办"))
    overdue = df.BooleanFilter(method="filter_overdue", label=_("逾期"))
    typical = df.BooleanFilter(label=_("典型案例"))
    opened_after = df.DateFilter(
        field_name="opened_on",
        lookup_expr="gte",
        label=_("立案日期起"),
        widget=DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    opened_before = df.DateFilter(
        field_name="opened_on",
        lookup_expr="lte",
        label=_("立案日期止"),
        widget=DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    # The filters that give a figure's rows (``figures``: the dashboards link each figure to its list).
    decided_after = df.DateFilter(
        field_name="decided_on", lookup_expr="gte", label=_("决定日期起"), widget=DATE
    )
    decided_before = df.DateFilter(
        field_name="decided_on", lookup_expr="lte", label=_("决定日期止"), widget=DATE
    )
    closed_after = df.DateFilter(
        field_name="closed_on", lookup_expr="gte", label=_("结案日期起"), widget=DATE
    )
    closed_before = df.DateFilter(
        field_name="closed_on", lookup_expr="lte", label=_("结案日期止"), widget=DATE
    )
    penalised = df.BooleanFilter(label=_("给予行政处罚"))
    rectification = df.BooleanFilter(method="filter_rectification", label=_("责令改正"))
    platform = df.ModelChoiceFilter(
        field_name="presence__platform", queryset=platforms_visible, label=_("平台")
    )

    class Meta:
        model = Case
        fields = [
            "q",
            "state",
            "domain",
            "source_kind",
            "procedure",
            "department",
            "open",
            "overdue",
            "typical",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated and not user.is_superuser:
            from wangjian.org.models import Department
            from wangjian.org.selectors import visible_bureau_ids

            self.filters["department"].queryset = Department.objects.filter(
                bureau_id__in=visible_bureau_ids(user) or set()
            )

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(state__in=ENDED) if value else queryset.filter(state__in=ENDED)

    def filter_rectification(self, queryset, name, value):
        """The decision orders a rectification (责令改正, 行政处罚法 art. 28): its content is written."""
        if value is None:
            return queryset
        return queryset.exclude(rectification_order="") if value else queryset.filter(rectification_order="")

    def filter_overdue(self, queryset, name, value):
        """Past the decision deadline while it still runs (a provisional date is never overdue)."""
        if value is None:
            return queryset
        late = {"running_due__lt": timezone.localdate(), "decision_provisional": False}
        return queryset.filter(**late) if value else queryset.exclude(**late)


class DiscretionBenchmarkFilterSet(SearchFilterSet):
    search_fields = ("code", "violation", "provision", "conditions", "source")
    domain = df.ChoiceFilter(choices=Domain.choices, label=_("监管领域"))
    circumstance = df.ChoiceFilter(choices=Circumstance.choices, label=_("情节"))
    is_active = df.BooleanFilter(label=_("有效"))

    class Meta:
        model = DiscretionBenchmark
        fields = ["q", "domain", "circumstance", "is_active"]
