"""Tables for the rule lists: counts and statistics beside each rule."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from wangjian.monitoring.models import Rule, RuleLibrary


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
        )
