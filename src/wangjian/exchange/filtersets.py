"""One FilterSet for the messages, used by the list page and the API alike."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from wangjian.exchange.models import Category, Direction, Message, Partner, State
from wangjian.platform.filtersets import IdFilter, SearchFilterSet


class MessageFilterSet(SearchFilterSet):
    search_fields = ("title", "message_id", "sender_code", "recipient_code", "reason_zh")
    direction = df.ChoiceFilter(choices=Direction.choices, label=_("方向"))
    state = df.ChoiceFilter(choices=State.choices, label=_("状态"))
    category = df.ChoiceFilter(choices=Category.choices, label=_("协作范围"))
    kind = df.CharFilter(label=_("类型"))
    partner = IdFilter(field_name="partner_id", label=_("协作单位"))

    class Meta:
        model = Message
        fields = ("direction", "state", "category", "kind", "partner")


class PartnerFilterSet(SearchFilterSet):
    search_fields = ("name", "code")
    active = df.BooleanFilter(label=_("启用"))

    class Meta:
        model = Partner
        fields = ("active",)
