from django.contrib import admin

from wangjian.monitoring.models import RegressionLine, Rule, RuleLibrary, RuleLibraryVersion


@admin.register(RuleLibrary)
class RuleLibraryAdmin(admin.ModelAdmin):
    list_display = ("title", "name", "bureau", "department_kind", "domain")
    list_filter = ("department_kind", "domain")


@admin.register(RuleLibraryVersion)
class RuleLibraryVersionAdmin(admin.ModelAdmin):
    list_display = ("library", "number", "status", "rule_count", "published_by", "published_at")
    list_filter = ("status",)


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "category", "severity", "version", "hits", "confirmed", "dismissed")
    list_filter = ("category", "severity")
    search_fields = ("code", "name")


@admin.register(RegressionLine)
class RegressionLineAdmin(admin.ModelAdmin):
    list_display = ("library", "expect", "category", "text")
    list_filter = ("expect", "category")


from wangjian.monitoring.models import (  # noqa: E402
    Finding,
    LicenceCheck,
    MonitoringTask,
    PageSnapshot,
    SweepChunk,
    SweepRun,
)


@admin.register(MonitoringTask)
class MonitoringTaskAdmin(admin.ModelAdmin):
    list_display = ("name", "bureau", "depth", "render", "evidence_threshold", "interval_hours", "enabled")
    list_filter = ("enabled", "render")
    raw_id_fields = ("platforms", "entities", "presences", "station")


@admin.register(SweepRun)
class SweepRunAdmin(admin.ModelAdmin):
    list_display = ("id", "task", "status", "started_at", "pages_done", "pages_failed", "findings_new")
    list_filter = ("status",)


@admin.register(SweepChunk)
class SweepChunkAdmin(admin.ModelAdmin):
    list_display = ("id", "run", "host", "status", "attempts", "pages_done", "pages_failed")
    list_filter = ("status",)


@admin.register(PageSnapshot)
class PageSnapshotAdmin(admin.ModelAdmin):
    list_display = ("url", "presence", "outcome", "http_status", "checked_at")
    list_filter = ("outcome",)
    raw_id_fields = ("presence", "last_run")


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ("matched", "rule_code", "severity", "presence", "seen_count", "status", "last_seen")
    list_filter = ("status", "severity", "category")
    search_fields = ("matched", "rule_code")
    raw_id_fields = ("presence", "rule", "first_run", "last_run", "evidence", "library_version", "task")


@admin.register(LicenceCheck)
class LicenceCheckAdmin(admin.ModelAdmin):
    list_display = ("presence", "kind", "verdict", "uscc", "name", "checked_at")
    list_filter = ("kind", "verdict")
    raw_id_fields = ("presence", "run")
