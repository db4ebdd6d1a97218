"""The complaint list: the acceptance deadline with the days left, overdue in red; the person's name masked.

The complainant's or reporter's name is personal data: the list (and its CSV export) masks it for everyone
(``platform.personal.masked``); who handles the record reads it on the record's page, with a reason, logged.
"""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wangjian.complaints.choices import State
from wangjian.complaints.models import Complaint
from wangjian.platform.personal import masked
from wangjian.platform.tables import BaseTable


def accept_overdue(record: Complaint) -> bool:
    """Past the 7 working days of art. 14 with no decision yet (still 待受理)."""
    due = record.accept_due
    return bool(due and record.state == State.RECEIVED and due < timezone.localdate())


def _row_class(record) -> str:
    return "table-danger wj-row-overdue" if accept_overdue(record) else ""


def _unit(record) -> str:
    return str(record.station or record.department or "")


class ComplaintTable(BaseTable):
    number = tables.Column(verbose_name=_("登记编号"), empty_values=())
    received_on = tables.DateColumn(verbose_name=_("收到日期"), format="Y-m-d")
    # not sortable: an order of the names would tell what the mask hides
    person_name = tables.Column(verbose_name=_("投诉人/举报人"), empty_values=(), orderable=False)
    respondent_name = tables.Column(verbose_name=_("被投诉人/被举报人"))
    unit = tables.Column(
        verbose_name=_("承办单位"),
        accessor="pk",
        empty_values=(),
        order_by=("station__name", "department__name"),
    )
    accept_due = tables.Column(verbose_name=_("受理决定期限"), empty_values=())
    days_left = tables.Column(
        verbose_name=_("剩余天数"), accessor="accept_due", orderable=False, empty_values=()
    )

    class Meta(BaseTable.Meta):
        model = Complaint
        fields = (
            "number",
            "kind",
            "state",
            "channel",
            "received_on",
            "person_name",
            "respondent_name",
            "category",
            "unit",
            "accept_due",
            "days_left",
        )
        row_attrs = {"class": _row_class, "data-complaint": lambda record: record.pk}

    def render_number(self, value, record):
        return format_html(
            '<a href="{}">{}</a>', record.get_absolute_url(), value or record.source_number or "—"
        )

    def value_number(self, value, record):
        return value or record.source_number

    def render_person_name(self, value, record):
        return masked(record, "person_name") or (_("匿名") if record.anonymous else "—")

    def value_person_name(self, value, record):
        return masked(record, "person_name")

    def render_unit(self, value, record):
        return _unit(record) or "—"

    def value_unit(self, value, record):
        return _unit(record)

    def render_accept_due(self, value, record):
        if value is None or record.state != State.RECEIVED:
            return "—"
        if accept_overdue(record):
            return format_html('<span class="wj-overdue">{} {}</span>', f"{value:%Y-%m-%d}", _("逾期"))
        return f"{value:%Y-%m-%d}"

    def value_accept_due(self, value, record):
        return value or ""

    def render_days_left(self, value, record):
        if value is None or record.state != State.RECEIVED:
            return "—"
        return (value - timezone.localdate()).days

    def value_days_left(self, value, record):
        return (value - timezone.localdate()).days if value and record.state == State.RECEIVED else ""
