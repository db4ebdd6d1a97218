from django.contrib import admin

from wangjian.core.models import CalendarDay, ChangeRecord, HolidayArrangement


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
