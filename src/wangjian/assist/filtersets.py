"""One FilterSet per list, used by the web lists and the API alike (a filter means the same everywhere)."""

import django_filters as df
from django.db.models import Q
from django.forms import DateInput
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangjian.assist import selectors
from wangjian.assist.choices import OPEN_ASSISTANCE, AssistanceState, Direction, InternalKind, InternalState
from wangjian.assist.models import AssistanceRequest, InternalRequest
from wangjian.org.models import Department
from wangjian.platform.filtersets import SearchFilterSet

DATE = DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AssistanceFilterSet(SearchFilterSet):
    search_fields = ("number", "question", "entity_name", "entity_uscc", "presence_url", "shop_name")
    direction = df.ChoiceFilter(choices=Direction.choices, method="by_direction", label=_("方向"))
    state = df.ChoiceFilter(choices=AssistanceState.choices, label=_("状态"))
    overdue = df.BooleanFilter(method="by_overdue", label=_("已逾期未答复"))
    sent_after = df.DateFilter(
        field_name="sent_at__date", lookup_expr="gte", label=_("发出日期起"), widget=DATE
    )
    sent_before = df.DateFilter(
        field_name="sent_at__date", lookup_expr="lte", label=_("发出日期止"), widget=DATE
    )
    received_after = df.DateFilter(
        field_name="received_on", lookup_expr="gte", label=_("收到日期起"), widget=DATE
    )
    received_before = df.DateFilter(
        field_name="received_on", lookup_expr="lte", label=_("收到日期止"), widget=DATE
    )
    answered_after = df.DateFilter(
        field_name="answered_at__date", lookup_expr="gte", label=_("答复日期起"), widget=DATE
    )
    answered_before = df.DateFilter(
        field_name="answered_at__date", lookup_expr="lte", label=_("答复日期止"), widget=DATE
    )
    on_time = df.BooleanFilter(field_name="answered_on_time", label=_("按期答复"))
    overdue_on = df.DateFilter(method="by_overdue_on", label=_("截至该日逾期未答复"), widget=DATE)

    class Meta:
        model = AssistanceRequest
        fields = [
            "q",
            "direction",
            "state",
            "overdue",
            "sent_after",
            "sent_before",
            "received_after",
            "received_before",
            "answered_after",
            "answered_before",
            "on_time",
            "overdue_on",
        ]

    def by_direction(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        return selectors.direction_filter(queryset, user, value) if value and user is not None else queryset

    def by_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(
            state__in=OPEN_ASSISTANCE,
            due__lt=timezone.localdate(),
            due_provisional=False,
            to_bureau__isnull=False,
        )
        return queryset.filter(late) if value else queryset.exclude(late)

    def by_overdue_on(self, queryset, name, value):
        return selectors.overdue_on(queryset, value) if value else queryset


class InternalFilterSet(SearchFilterSet):
    search_fields = ("purpose", "url", "result")
    state = df.ChoiceFilter(choices=InternalState.choices, label=_("状态"))
    kind = df.ChoiceFilter(choices=InternalKind.choices, label=_("请求类型"))
    from_department = df.ModelChoiceFilter(queryset=Department.objects.all(), label=_("提出请求的科室"))
    overdue = df.BooleanFilter(method="by_overdue", label=_("已逾期未办结"))

    class Meta:
        model = InternalRequest
        fields = ["q", "state", "kind", "from_department", "overdue"]

    def by_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(state__in=(InternalState.OPEN, InternalState.IN_PROGRESS), due__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)
