"""The registry's rows in the admin site: the permit data (the other registers have their own pages)."""

from django.contrib import admin

from wangjian.registry.models import Permit


@admin.register(Permit)
class PermitAdmin(admin.ModelAdmin):
    list_display = ("number", "kind", "holder_name", "holder_uscc", "valid_to", "status", "bureau")
    list_filter = ("kind", "status")
    search_fields = ("number", "holder_name", "holder_uscc")
    raw_id_fields = ("import_batch",)
    readonly_fields = ("number_region",)
