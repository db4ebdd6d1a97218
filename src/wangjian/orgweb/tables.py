"""Tables for the registry lists: every column available, a short default set shown."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from wangjian.org.models import Bureau, Department, DutyRule, Notice, Station, User
from wangjian.platform.tables import BaseTable


class BureauTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Bureau
        fields = ("name", "code", "level", "parent")


class DepartmentTable(BaseTable):
    name = tables.Column(linkify=True)
    users = tables.Column(verbose_name=_("人数"), accessor="user_count", orderable=False)

    class Meta(BaseTable.Meta):
        model = Department
        fields = ("name", "kind", "bureau", "phone", "is_active")


class StationTable(BaseTable):
    name = tables.Column(linkify=True)
    territory = tables.Column(verbose_name=_("辖区代码"), orderable=False)

    def render_territory(self, value):
        return "、".join(value or [])

    class Meta(BaseTable.Meta):
        model = Station
        fields = ("name", "bureau", "territory_names", "territory", "is_active")


class UserTable(BaseTable):
    username = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = User
        fields = ("username", "name", "role", "bureau", "department", "station", "is_active", "last_login")


class DutyRuleTable(BaseTable):
    domain = tables.Column(linkify=True)
    legal_basis = tables.Column(verbose_name=_("法律依据"), orderable=False, accessor="legal_basis")

    class Meta(BaseTable.Meta):
        model = DutyRule
        fields = (
            "domain",
            "department_kind",
            "role",
            "territory_rule",
            "legal_basis",
            "valid_from",
            "valid_to",
            "bureau",
        )


class NoticeTable(BaseTable):
    title = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Notice
        fields = ("title", "kind", "bureau", "author", "published_at")
