"""The lists: each request's letter, sides, subject, state and the dates its clock keeps."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from wangjian.assist.models import AssistanceRequest, InternalRequest
from wangjian.platform.tables import BaseTable


class AssistanceTable(BaseTable):
    number = tables.Column(
        verbose_name=_("协查函编号"), linkify=lambda record: record.get_absolute_url(), empty_values=()
    )
    requester = tables.Column(verbose_name=_("提出协查的局"), accessor="requester_name", orderable=False)
    receiver = tables.Column(verbose_name=_("协查局"), accessor="receiver_name", orderable=False)
    subject = tables.Column(verbose_name=_("协查对象"), accessor="subject_label", orderable=False)

    def render_number(self, record, value):  # noqa: ANN001, ANN201
        return value or _("（草稿）")

    class Meta(BaseTable.Meta):
        model = AssistanceRequest
        fields = ("number", "requester", "receiver", "subject", "state", "received_on", "due", "answered_at")
        sequence = fields


class InternalTable(BaseTable):
    purpose = tables.Column(verbose_name=_("请求事项"), linkify=lambda record: record.get_absolute_url())

    class Meta(BaseTable.Meta):
        model = InternalRequest
        fields = (
            "purpose",
            "kind",
            "from_department",
            "to_department",
            "state",
            "requested_at",
            "due",
            "done_at",
        )
        sequence = fields
