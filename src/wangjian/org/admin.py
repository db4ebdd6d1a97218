from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from wangjian.org.models import (
    Bureau,
    Department,
    DutyRule,
    LeadingGroup,
    LeadingGroupMember,
    Liaison,
    Notice,
    Station,
    User,
)


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "level", "parent")
    search_fields = ("name", "code")
    list_filter = ("level",)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "bureau", "is_active")
    list_filter = ("kind", "bureau")
    search_fields = ("name",)


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    list_display = ("name", "bureau", "territory_names", "is_active")
    list_filter = ("bureau",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "name", "role", "bureau", "department", "station", "is_active")
    list_filter = ("role", "bureau", "is_active")
    search_fields = ("username", "name")
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            _("单位与角色"),
            {"fields": ("name", "bureau", "department", "station", "role", "phone", "must_change_password")},
        ),
        (_("登录安全"), {"fields": ("failed_logins", "locked_until")}),
    )


class MemberInline(admin.TabularInline):
    model = LeadingGroupMember
    extra = 0


class LiaisonInline(admin.TabularInline):
    model = Liaison
    extra = 0


@admin.register(LeadingGroup)
class LeadingGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "bureau", "office_department")
    inlines = [MemberInline, LiaisonInline]


@admin.register(DutyRule)
class DutyRuleAdmin(admin.ModelAdmin):
    list_display = ("domain", "department_kind", "role", "territory_rule", "bureau", "valid_from", "valid_to")
    list_filter = ("bureau", "domain", "department_kind", "role")


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "bureau", "published_at")
