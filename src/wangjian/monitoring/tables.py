"""Tables for the rule lists: counts and statistics beside each rule."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from wangjian.monitoring.choices import severity_rank_expression
from wangjian.monitoring.models import Rule, RuleLibrary


def _order_by_severity_rank(queryset, is_descending):
    """Severity ordered by rank (high › medium › low › 待核实信号), not alphabetically."""
    queryset = queryset.annotate(severity_rank=severity_rank_expression()).order_by(
        ("-" if is_descending else "") + "severity_rank", "-pk"
    )
    return queryset, True


class BaseTable(tables.Table):
    class Meta:
        attrs = {"class": "table table-sm table-hover table-striped align-middle mb-0"}


class RuleLibraryTable(BaseTable):
    title = tables.Column(linkify=True)
    published = tables.Column(verbose_name=_("已发布版本"), accessor="published_number", orderable=False)
    versions = tables.Column(verbose_name=_("版本数"), accessor="version_count", orderable=False)

    def render_published(self, value):
        return f"v{value}" if value else "—"

    class Meta(BaseTable.Meta):
        model = RuleLibrary
        fields = ("title", "name", "bureau", "department_kind", "domain", "published", "versions")


class RuleTable(BaseTable):
    code = tables.Column(linkify=True)
    version = tables.Column(verbose_name=_("版本"), linkify=lambda record: record.version.get_absolute_url())
    terms = tables.Column(verbose_name=_("关键词"), orderable=False)
    precision = tables.Column(verbose_name=_("确认率"), orderable=False, empty_values=())

    def render_terms(self, value):
        shown = "、".join(value[:6])
        return shown + ("…" if len(value) > 6 else "")

    def render_precision(self, record):
        p = record.precision
        return "—" if p is None else f"{p:.0%}"

    def order_severity(self, queryset, is_descending):
        return _order_by_severity_rank(queryset, is_descending)

    class Meta(BaseTable.Meta):
        model = Rule
        fields = (
            "code",
            "name",
            "category",
            "severity",
            "version",
            "terms",
            "hits",
            "confirmed",
            "dismissed",
            "regex_timeouts",
        )


class MonitoringTaskTable(BaseTable):
    name = tables.Column(linkify=True)
    last_run_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta(BaseTable.Meta):
        from wangjian.monitoring.models import MonitoringTask

        model = MonitoringTask
        fields = (
            "name",
            "bureau",
            "depth",
            "render",
            "evidence_threshold",
            "interval_hours",
            "enabled",
            "last_run_at",
        )


class SweepRunTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name="#")
    started_at = tables.DateTimeColumn(format="Y-m-d H:i:s")

    class Meta(BaseTable.Meta):
        from wangjian.monitoring.models import SweepRun

        model = SweepRun
        fields = (
            "id",
            "task",
            "status",
            "started_at",
            "presences_total",
            "pages_done",
            "pages_failed",
            "pages_unchanged",
            "findings_new",
            "findings_seen",
        )


class FindingTable(BaseTable):
    matched = tables.Column(linkify=True)
    presence = tables.Column(linkify=True)
    last_seen = tables.DateTimeColumn(format="Y-m-d H:i")
    evidence = tables.Column(verbose_name=_("取证"), linkify=True, empty_values=(None,))

    def order_severity(self, queryset, is_descending):
        return _order_by_severity_rank(queryset, is_descending)

    class Meta(BaseTable.Meta):
        from wangjian.monitoring.models import Finding

        model = Finding
        fields = (
            "matched",
            "rule_code",
            "category",
            "severity",
            "presence",
            "seen_count",
            "last_seen",
            "status",
            "evidence",
        )


class LicenceCheckTable(BaseTable):
    presence = tables.Column(linkify=True)
    verdict = tables.Column(linkify=True)
    checked_at = tables.DateTimeColumn(format="Y-m-d H:i")

    def render_verdict(self, record):
        return record.get_verdict_display()

    class Meta(BaseTable.Meta):
        from wangjian.monitoring.models import LicenceCheck

        model = LicenceCheck
        fields = ("presence", "kind", "verdict", "uscc", "name", "reason", "checked_at", "clue_number")


class PageSnapshotTable(BaseTable):
    url = tables.Column(linkify=True)
    checked_at = tables.DateTimeColumn(format="Y-m-d H:i")
    changed_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta(BaseTable.Meta):
        from wangjian.monitoring.models import PageSnapshot

        model = PageSnapshot
        fields = ("url", "presence", "outcome", "reason", "http_status", "checked_at", "changed_at")


class FeedScanTable(BaseTable):
    id = tables.Column(linkify=True, verbose_name="#")
    source_label = tables.Column(verbose_name=_("文件或网址"), accessor="source_label", orderable=False)
    created = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta(BaseTable.Meta):
        from wangjian.monitoring.models import FeedScan

        model = FeedScan
        fields = (
            "id",
            "task",
            "platform",
            "source",
            "source_label",
            "status",
            "listings_total",
            "findings_new",
            "findings_seen",
            "rejected_count",
            "unknown_shops_count",
            "started_by",
            "created",
        )
