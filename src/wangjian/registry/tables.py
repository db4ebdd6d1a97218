"""Tables for the registry lists: personal data always masked in lists and exports."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wangjian.core.audit import mask
from wangjian.core.templatetags.wangjian import region_name
from wangjian.registry.models import (
    CorrectionRequest,
    ImportBatch,
    MarketEntity,
    MatchResult,
    Permit,
    Platform,
    Presence,
)
from wangjian.registry.selectors import masked_name


class BaseTable(tables.Table):
    class Meta:
        attrs = {"class": "table table-sm table-hover table-striped align-middle mb-0"}


class EntityTable(BaseTable):
    name = tables.Column(linkify=True)

    def render_legal_rep(self, value):
        return masked_name(value)

    def render_phone(self, value):
        return mask(value)

    def value_legal_rep(self, value):
        return masked_name(value)

    def value_phone(self, value):
        return mask(value)

    def render_region_code(self, value):
        """The division's name with its code (an abolished or unknown code shows alone)."""
        name = region_name(value)
        return format_html('{} <span class="text-muted small">{}</span>', name, value) if name else value

    class Meta(BaseTable.Meta):
        model = MarketEntity
        fields = ("name", "uscc", "kind", "legal_rep", "phone", "region_code", "status", "reg_date")


class PlatformTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Platform
        fields = ("name", "operator_name", "domicile", "url")


class PresenceTable(BaseTable):
    shop_name = tables.Column(linkify=True, verbose_name=_("店铺名称"))
    entity = tables.Column(linkify=True)

    def render_shop_name(self, record):
        return str(record)

    class Meta(BaseTable.Meta):
        model = Presence
        fields = (
            "shop_name",
            "kind",
            "platform",
            "account_id",
            "url",
            "entity",
            "link_method",
            "link_confidence",
            "status",
            "last_seen",
        )


class ImportBatchTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name=_("批次"))

    class Meta(BaseTable.Meta):
        model = ImportBatch
        fields = (
            "id",
            "kind",
            "platform",
            "file_name",
            "encoding",
            "status",
            "total_rows",
            "created_count",
            "updated_count",
            "unchanged_count",
            "rejected_count",
            "started_at",
            "user",
        )


class MatchResultTable(BaseTable):
    seller = tables.Column(accessor="seller__seller_id", verbose_name=_("店铺ID"))
    claimed = tables.Column(accessor="seller__claimed_name", verbose_name=_("报送主体名称"))
    platform = tables.Column(accessor="seller__platform", verbose_name=_("平台"))
    entity = tables.Column(linkify=True)
    confidence = tables.Column()
    decided = tables.BooleanColumn(yesno=("✔", "—"))  # a cross would read as "rejected"
    clue_number = tables.Column(visible=False)  # in the CSV; the page shows the clue column
    clue = tables.TemplateColumn(
        template_name="registry/_match_clue.html",
        verbose_name=_("线索"),
        orderable=False,
        exclude_from_export=True,
    )

    def render_confidence(self, value):
        return f"{value:.2f}"

    class Meta(BaseTable.Meta):
        model = MatchResult
        fields = (
            "seller",
            "platform",
            "claimed",
            "entity",
            "confidence",
            "outcome",
            "reasons",
            "decided",
            "clue_number",
            "clue",
        )


class CorrectionTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name=_("编号"))

    class Meta(BaseTable.Meta):
        model = CorrectionRequest
        fields = ("id", "entity", "presence", "field", "proposed_value", "status", "requested_by", "created")


class PermitTable(BaseTable):
    number = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Permit
        fields = (
            "number",
            "kind",
            "holder_name",
            "holder_uscc",
            "valid_from",
            "valid_to",
            "status",
            "import_batch",
        )
