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
