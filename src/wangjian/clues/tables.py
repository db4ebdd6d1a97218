"""The clue list: due soonest first, overdue rows in red."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wangjian.clues.models import Clue
from wangjian.platform.tables import BaseTable


def _row_class(record) -> str:
    due = getattr(record, "due", None)
    late = due is not None and due < timezone.localdate() and not record.current_due_provisional
    return "table-danger wj-row-overdue" if late else ""


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
        if record.current_due_provisional:  # never shown as final, never called overdue on a guess
            return format_html(
                '{} <span class="badge text-bg-warning">{}</span>', f"{value:%Y-%m-%d}", _("暂定")
            )
        if value < timezone.localdate():
            return format_html('<span class="wj-overdue">{} 逾期</span>', f"{value:%Y-%m-%d}")
        return f"{value:%Y-%m-%d}"

    def value_due(self, value, record):
        if value and record.current_due_provisional:
            return f"{value:%Y-%m-%d}（暂定）"
        return value or ""

    def render_gap(self, value):
        return format_html('<span class="badge text-bg-warning">{}</span>', "空白") if value else ""
