"""The outreach lists: each row's platform or authority, its dates and where it stands."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from wangjian.outreach.models import Authority, AuthorityRequest, Guidance, PlatformRequest
from wangjian.platform.tables import BaseTable


def _link(verbose: str, order: tuple[str, ...] = ()):  # noqa: ANN202
    return tables.Column(
        verbose_name=verbose, linkify=lambda record: record.get_absolute_url(), order_by=order
    )


class GuidanceTable(BaseTable):
    number = _link(_("文书编号"))

    class Meta(BaseTable.Meta):
        model = Guidance
        fields = (
            "number",
            "platform",
            "kind",
            "held_on",
            "state",
            "report_received_on",
            "assessment",
            "assessed_on",
        )
        sequence = fields


class RequestTable(BaseTable):
    number = _link(_("函号"))

    class Meta(BaseTable.Meta):
        model = PlatformRequest
        fields = (
            "number",
            "platform",
            "kind",
            "sent_on",
            "due",
            "link_count",
            "answered_on",
            "answer",
            "links_removed",
            "answered_late",
        )
        sequence = fields


class AuthorityTable(BaseTable):
    name = _link(_("名称"), ("name",))

    class Meta(BaseTable.Meta):
        model = Authority
        fields = ("name", "kind", "contact", "address")
        sequence = fields


class AuthorityRequestTable(BaseTable):
    number = tables.Column(
        verbose_name=_("函号/案件编号"),
        linkify=lambda record: record.get_absolute_url(),
        accessor="pk",
        order_by=("number",),
    )

    class Meta(BaseTable.Meta):
        model = AuthorityRequest
        fields = (
            "number",
            "authority",
            "kind",
            "sent_on",
            "state",
            "receipt_due",
            "receipt_on",
            "outcome_on",
        )
        sequence = fields

    def render_number(self, record) -> str:  # noqa: ANN001
        return record.number or record.case_number or f"#{record.pk}"
