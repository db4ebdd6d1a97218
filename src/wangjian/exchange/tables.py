"""The lists of messages and partners."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wangjian.exchange import kinds
from wangjian.exchange.models import Message, Partner
from wangjian.platform.tables import BaseTable


class MessageTable(BaseTable):
    recorded_at = tables.DateTimeColumn(
        verbose_name=_("登记时间"),
        format="Y-m-d H:i",
        linkify=lambda record: reverse("exchange:message", args=[record.pk]),
    )
    kind = tables.Column(verbose_name=_("类型"))
    partner = tables.Column(verbose_name=_("协作单位"), empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = Message
        fields = ("recorded_at", "direction", "kind", "title", "partner", "state", "attempts", "message_id")
        sequence = fields

    def render_kind(self, value):
        return kinds.label(value)

    def render_partner(self, record):
        return str(record.partner) if record.partner_id else record.sender_code or "—"


class PartnerTable(BaseTable):
    name = tables.Column(
        verbose_name=_("对方单位名称"), linkify=lambda record: reverse("exchange:partner", args=[record.pk])
    )

    class Meta(BaseTable.Meta):
        model = Partner
        fields = ("name", "code", "bureau", "endpoint", "fingerprint", "active")
        sequence = fields
