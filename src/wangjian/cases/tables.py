"""The case list: every running clock with the days left, overdue in red."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wangjian.cases.models import Case, DiscretionBenchmark
from wangjian.platform.tables import BaseTable


def _row_class(record) -> str:
    return "table-danger wj-row-overdue" if record.overdue else ""


class CaseTable(BaseTable):
    number = tables.Column(verbose_name=_("立案编号"), empty_values=())
    decision_due = tables.Column(verbose_name=_("决定期限"), empty_values=())
    days_left = tables.Column(
        verbose_name=_("剩余天数"), accessor="decision_due", orderable=False, empty_values=()
    )

    class Meta(BaseTable.Meta):
        model = Case
        fields = (
            "number",
            "title",
            "source_kind",
            "domain",
            "department",
            "procedure",
            "state",
            "opened_on",
            "decision_due",
            "days_left",
            "suspended_days",
            "extension_days",
            "typical",
        )
        row_attrs = {"class": _row_class, "data-case": lambda record: record.pk}

    def render_number(self, value, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), value or _("（未立案）"))

    def render_decision_due(self, value, record):
        if value is None or not record.clock_running:
            return "—"
        if record.decision_provisional:
            return format_html(
                '{} <span class="badge text-bg-warning">{}</span>', f"{value:%Y-%m-%d}", _("暂定")
            )
        if record.overdue:
            return format_html('<span class="wj-overdue">{} {}</span>', f"{value:%Y-%m-%d}", _("逾期"))
        return f"{value:%Y-%m-%d}"

    def render_suspended_days(self, value, record):
        return record.days_suspended()

    def value_suspended_days(self, value, record):
        return record.days_suspended()

    def render_days_left(self, value, record):
        if value is None or not record.clock_running:
            return "—"
        return (value - timezone.localdate()).days

    def value_decision_due(self, value, record):
        return value or ""

    def value_days_left(self, value, record):
        return (value - timezone.localdate()).days if value and record.clock_running else ""


class DiscretionBenchmarkTable(BaseTable):
    code = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = DiscretionBenchmark
        fields = (
            "code",
            "violation",
            "domain",
            "circumstance",
            "penalty",
            "fine_min",
            "fine_max",
            "is_active",
        )
