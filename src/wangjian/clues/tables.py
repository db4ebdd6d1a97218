"""The clue list: due soonest first, overdue rows in red."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wangjian.clues.models import Clue, DeadlinePolicy
from wangjian.platform.tables import BaseTable


def _row_class(record) -> str:
    due = getattr(record, "due", None)
    return "table-danger wj-row-overdue" if due is not None and due < timezone.localdate() else ""


class ClueTable(BaseTable):
    number = tables.Column(linkify=True, verbose_name=_("线索编号"))
    unit = tables.Column(
        verbose_name=_("承办单位"), accessor="unit", order_by=("station__name", "department__name")
    )
    due = tables.Column(verbose_name=_("当前期限"), accessor="due", empty_values=())
    assigned_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta(BaseTable.Meta):
        model = Clue
        fields = (
            "number",
            "title",
            "source_kind",
            "domain",
            "unit",
            "state",
            "assigned_at",
            "due",
            "check_result",
            "disposal",
            "gap",
        )
        row_attrs = {"class": _row_class, "data-clue": lambda record: record.pk}

    def render_due(self, value, record):
        if value is None:
            return "—"
        if value < timezone.localdate():
            return format_html('<span class="wj-overdue">{} 逾期</span>', f"{value:%Y-%m-%d}")
        return f"{value:%Y-%m-%d}"

    def value_due(self, value, record):
        return value or ""

    def render_gap(self, value):
        return format_html('<span class="badge text-bg-warning">{}</span>', "空白") if value else ""


class DeadlinePolicyTable(BaseTable):
    bureau = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(BaseTable.Meta):
        model = DeadlinePolicy
        fields = ("bureau", "source_kind", "feedback_days", "disposal_days", "remind_days", "answer_days")
