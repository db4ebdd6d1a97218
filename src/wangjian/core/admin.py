from django.contrib import admin

from wangjian.core.models import AllowedAddress, CalendarDay, ChangeRecord, HolidayArrangement


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0


@admin.register(HolidayArrangement)
class HolidayArrangementAdmin(admin.ModelAdmin):
    list_display = ("year", "notice", "entered_by", "last_updated")
    inlines = [CalendarDayInline]


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin):
    list_display = ("time", "user_name", "via", "action", "content_type", "object_repr")
    list_filter = ("action", "via", "content_type")
    search_fields = ("object_repr", "user_name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AllowedAddress)
class AllowedAddressAdmin(admin.ModelAdmin):
    """The superuser's allowlist of internal addresses the server may fetch (no one else sees it)."""

    list_display = ("network", "reason", "added_by", "last_updated")
    fields = ("network", "reason")

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
