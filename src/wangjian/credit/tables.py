"""The credit lists: each row's entity, state and the dates its clocks and steps keep."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from wangjian.credit.models import (
    AbnormalListing,
    AnnualReportImport,
    CreditRepair,
    DeclarationMismatch,
    SeriousListing,
)
from wangjian.platform.tables import BaseTable


class AbnormalTable(BaseTable):
    entity = tables.Column(
        verbose_name=_("市场主体"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("entity__name",),
    )
    uscc = tables.Column(verbose_name=_("统一社会信用代码"), accessor="entity__uscc")

    class Meta(BaseTable.Meta):
        model = AbnormalListing
        fields = (
            "entity",
            "uscc",
            "ground",
            "state",
            "period_end",
            "listing_due",
            "listed_on",
            "decision_number",
            "removal_due",
            "removed_on",
            "revocation_flagged_on",
        )
        sequence = fields


class SeriousTable(BaseTable):
    entity = tables.Column(
        verbose_name=_("市场主体"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("entity__name",),
    )

    class Meta(BaseTable.Meta):
        model = SeriousListing
        fields = (
            "entity",
            "state",
            "proposed_on",
            "notified_on",
            "statement_due",
            "decided_on",
            "decision_number",
            "listed_on",
            "listed_until",
            "earliest_repair_on",
            "removed_on",
        )
        sequence = fields


class RepairTable(BaseTable):
    entity = tables.Column(
        verbose_name=_("市场主体"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("entity__name",),
    )

    class Meta(BaseTable.Meta):
        model = CreditRepair
        fields = (
            "entity",
            "target",
            "penalty_number",
            "state",
            "applied_on",
            "earliest_on",
            "decision_due",
            "decided_on",
            "effect_on",
        )
        sequence = fields


class MismatchTable(BaseTable):
    entity = tables.Column(
        verbose_name=_("市场主体"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("entity__name",),
    )

    class Meta(BaseTable.Meta):
        model = DeclarationMismatch
        fields = ("entity", "year", "kind", "detail", "state", "clue_number", "handled_on")
        sequence = fields


class ImportTable(BaseTable):
    file_name = tables.Column(verbose_name=_("文件名"), linkify=lambda record: record.get_absolute_url())

    class Meta(BaseTable.Meta):
        model = AnnualReportImport
        fields = (
            "file_name",
            "imported_at",
            "total_rows",
            "report_count",
            "shop_count",
            "rejected_count",
            "mismatch_count",
            "user",
        )
        sequence = fields
