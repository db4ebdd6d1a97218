"""One FilterSet for complaints and reports, used by the web list and the API alike."""

import django_filters as df
from django.db.models import Q
from django.forms import DateInput
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangjian.complaints.choices import OPEN, Channel, Kind, State
from wangjian.complaints.models import Complaint
from wangjian.org.choices import Domain
from wangjian.platform.filtersets import IdFilter, SearchFilterSet
from wangjian.registry.filtersets import platforms_visible

DATE = DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ComplaintFilterSet(SearchFilterSet):
    # the person's name and phone are not searched: a list that found them would show who complained
    search_fields = ("number", "source_number", "respondent_name", "respondent_uscc", "summary")
    kind = df.ChoiceFilter(choices=Kind.choices, label=_("类别"))
    state = df.ChoiceFilter(choices=State.choices, label=_("状态"))
    channel = df.ChoiceFilter(choices=Channel.choices, label=_("受理渠道"))
    category = df.CharFilter(lookup_expr="icontains", label=_("商品或服务类别"))
    received_after = df.DateFilter(
        field_name="received_on", lookup_expr="gte", label=_("收到日期起"), widget=DATE
    )
    received_before = df.DateFilter(
        field_name="received_on", lookup_expr="lte", label=_("收到日期止"), widget=DATE
    )
    open = df.BooleanFilter(method="filter_open", label=_("在办"))
    overdue = df.BooleanFilter(method="filter_overdue", label=_("超过受理期限"))
    import_batch = IdFilter(field_name="import_batch", label=_("导入批次"))
    # The filters that give a figure's rows (``figures``: the dashboards link each figure to its list).
    domain = df.ChoiceFilter(choices=Domain.choices, label=_("监管领域"))
    platform = df.ModelChoiceFilter(queryset=platforms_visible, method="filter_platform", label=_("平台"))
    accepted_after = df.DateFilter(
        field_name="accepted_on", lookup_expr="gte", label=_("受理日期起"), widget=DATE
    )
    accepted_before = df.DateFilter(
        field_name="accepted_on", lookup_expr="lte", label=_("受理日期止"), widget=DATE
    )
    ended_after = df.DateFilter(field_name="ended_on", lookup_expr="gte", label=_("办结日期起"), widget=DATE)
    ended_before = df.DateFilter(field_name="ended_on", lookup_expr="lte", label=_("办结日期止"), widget=DATE)
    held_on = df.DateFilter(method="filter_held_on", label=_("截至该日未移送"), widget=DATE)
    entity = IdFilter(field_name="entity_id", label=_("市场主体ID"))

    class Meta:
        model = Complaint
        fields = [
            "q",
            "kind",
            "state",
            "channel",
            "category",
            "received_after",
            "received_before",
            "open",
            "overdue",
            "import_batch",
            "department",
            "station",
            "entity",
        ]

    def filter_platform(self, queryset, name, value):
        """On the platform: the record's online presence there, or, none linked, the platform's name from 12315."""
        if value is None:
            return queryset
        on_platform = Q(presence__platform=value)
        if value.name:
            on_platform |= Q(presence__isnull=True, platform_name=value.name)
        return queryset.filter(on_platform)

    def filter_held_on(self, queryset, name, value):
        """Still this bureau's at the end of the day: not transferred to another authority (移送) by then."""
        return queryset.exclude(state=State.TRANSFERRED, ended_on__lte=value)

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(state__in=OPEN) if value else queryset.exclude(state__in=OPEN)

    def filter_overdue(self, queryset, name, value):
        """Past the acceptance deadline (7 working days, art. 14) while still 待受理."""
        if value is None:
            return queryset
        late = {"state": State.RECEIVED, "accept_due__lt": timezone.localdate()}
        return queryset.filter(**late) if value else queryset.exclude(**late)
