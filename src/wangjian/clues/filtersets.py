"""One FilterSet for clues, used by the web list and the API alike."""

import django_filters as df
from django.db.models import Q
from django.forms import DateInput
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangjian.clues.choices import OPEN_STATES, CheckResult, ClueState, Disposal, SourceKind
from wangjian.clues.models import Clue
from wangjian.org.choices import Domain
from wangjian.platform.filtersets import SearchFilterSet


class ClueFilterSet(SearchFilterSet):
    search_fields = ("number", "title", "entity_name", "entity_uscc", "presence_label", "facts")
    state = df.ChoiceFilter(choices=ClueState.choices, label=_("状态"))
    domain = df.ChoiceFilter(choices=Domain.choices, label=_("监管领域"))
    source_kind = df.ChoiceFilter(choices=SourceKind.choices, label=_("线索来源"))
    check_result = df.ChoiceFilter(choices=CheckResult.choices, label=_("核查结论"))
    disposal = df.ChoiceFilter(choices=Disposal.choices, label=_("处置结果"))
    open = df.BooleanFilter(method="filter_open", label=_("在办"))
    overdue = df.BooleanFilter(method="filter_overdue", label=_("逾期"))
    gap = df.BooleanFilter(label=_("职责清单空白"))
    assigned_after = df.DateFilter(
        field_name="assigned_at",
        lookup_expr="date__gte",
        label=_("分派日期起"),
        widget=DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    assigned_before = df.DateFilter(
        field_name="assigned_at",
        lookup_expr="date__lte",
        label=_("分派日期止"),
        widget=DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = Clue
        fields = ["q", "state", "domain", "source_kind", "department", "station", "gap", "open", "overdue"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated and not user.is_superuser:
            from wangjian.org.models import Department, Station
            from wangjian.org.selectors import visible_bureau_ids

            ids = visible_bureau_ids(user) or set()
            self.filters["department"].queryset = Department.objects.filter(bureau_id__in=ids)
            self.filters["station"].queryset = Station.objects.filter(bureau_id__in=ids)

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(state__in=OPEN_STATES) if value else queryset.exclude(state__in=OPEN_STATES)

    def filter_overdue(self, queryset, name, value):
        """Past the deadline that runs now (feedback, then disposal), flagged or not yet flagged."""
        if value is None:
            return queryset
        today = timezone.localdate()
        cond = Q(state__in=["assigned", "checking"], feedback_due__lt=today) | Q(
            state__in=["fed_back", "disposing"], disposal_due__lt=today
        )
        return queryset.filter(cond) if value else queryset.exclude(cond)
