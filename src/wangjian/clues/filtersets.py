"""One FilterSet for clues, used by the web list and the API alike."""

import django_filters as df
from django.db.models import Q
from django.forms import DateInput
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangjian.clues import figures
from wangjian.clues.choices import OPEN_STATES, CheckResult, ClueState, Disposal, SourceKind
from wangjian.clues.models import Clue
from wangjian.org.choices import Domain
from wangjian.org.selectors import visible_bureau_ids
from wangjian.platform.filtersets import IdFilter, SearchFilterSet
from wangjian.registry.filtersets import platforms_visible

DATE = DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
    # The filters that give a figure's rows (``figures``: the dashboards link each figure to its list).
    platform = df.ModelChoiceFilter(
        field_name="presence__platform", queryset=platforms_visible, label=_("平台")
    )
    found_after = df.DateFilter(method="filter_found_after", label=_("收到日期起"), widget=DATE)
    found_before = df.DateFilter(method="filter_found_before", label=_("收到日期止"), widget=DATE)
    fed_back_after = df.DateFilter(
        field_name="fed_back_at", lookup_expr="date__gte", label=_("反馈日期起"), widget=DATE
    )
    fed_back_before = df.DateFilter(
        field_name="fed_back_at", lookup_expr="date__lte", label=_("反馈日期止"), widget=DATE
    )
    fed_back_on_time = df.BooleanFilter(method="filter_on_time", label=_("按期反馈"))
    closed_after = df.DateFilter(
        field_name="closed_at", lookup_expr="date__gte", label=_("办结日期起"), widget=DATE
    )
    closed_before = df.DateFilter(
        field_name="closed_at", lookup_expr="date__lte", label=_("办结日期止"), widget=DATE
    )
    overdue_on = df.DateFilter(method="filter_overdue_on", label=_("截至该日逾期"), widget=DATE)
    held_on = df.DateFilter(method="filter_held_on", label=_("截至该日由本局办理"), widget=DATE)
    entity = IdFilter(field_name="entity_id", label=_("市场主体ID"))

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

    def filter_found_after(self, queryset, name, value):
        """Received on or after the day: a clue received by transfer by the day the first bureau received it."""
        return figures.received_within(queryset, start=value)

    def filter_found_before(self, queryset, name, value):
        return figures.received_within(queryset, end=value)

    def filter_on_time(self, queryset, name, value):
        """Fed back by the feedback deadline (one without a deadline is on time); ``false``: fed back late."""
        return queryset if value is None else figures.on_time(queryset, value)

    def filter_overdue_on(self, queryset, name, value):
        """Overdue at the end of the day, as the figure ``clues_overdue`` counts (the ``overdue`` filter is today's)."""
        return figures.overdue_on(queryset, value)

    def filter_held_on(self, queryset, name, value):
        """Held by the reader's bureaus at the end of the day: received by then, not merged, not transferred
        onward by then — without the clues a bureau only watches after transferring them elsewhere."""
        user = getattr(self.request, "user", None)
        ids = visible_bureau_ids(user) if user is not None and user.is_authenticated else None
        return figures.held_on(queryset, value, ids)

    def filter_overdue(self, queryset, name, value):
        """Past the deadline that runs now (feedback, then disposal), flagged or not yet flagged."""
        if value is None:
            return queryset
        today = timezone.localdate()
        cond = Q(state__in=["assigned", "checking"], feedback_due__lt=today) | Q(
            state__in=["fed_back", "disposing"], disposal_due__lt=today
        )
        return queryset.filter(cond) if value else queryset.exclude(cond)
