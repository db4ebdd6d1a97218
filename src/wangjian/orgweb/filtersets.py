"""One FilterSet per model, used by the web lists and the API alike."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from wangjian.org.choices import BureauLevel, DepartmentKind, Domain, DutyRole, Role, TerritoryRule
from wangjian.org.models import Bureau, Department, DutyRule, Notice, Station, User
from wangjian.platform.filtersets import SearchFilterSet


class BureauFilterSet(SearchFilterSet):
    search_fields = ("name", "code")
    level = df.ChoiceFilter(choices=BureauLevel.choices, label=_("层级"))

    class Meta:
        model = Bureau
        fields = ["q", "level", "parent"]


class DepartmentFilterSet(SearchFilterSet):
    kind = df.ChoiceFilter(choices=DepartmentKind.choices, label=_("职能类别"))

    class Meta:
        model = Department
        fields = ["q", "bureau", "kind", "is_active"]


class StationFilterSet(SearchFilterSet):
    search_fields = ("name", "territory_names")

    class Meta:
        model = Station
        fields = ["q", "bureau", "is_active"]


class UserFilterSet(SearchFilterSet):
    search_fields = ("username", "name")
    role = df.ChoiceFilter(choices=Role.choices, label=_("角色"))

    class Meta:
        model = User
        fields = ["q", "bureau", "department", "station", "role", "is_active"]


class DutyRuleFilterSet(SearchFilterSet):
    search_fields = ("duties", "legal_basis_law")
    domain = df.ChoiceFilter(choices=Domain.choices, label=_("监管领域"))
    department_kind = df.ChoiceFilter(choices=DepartmentKind.choices, label=_("责任科室类别"))
    role = df.ChoiceFilter(choices=DutyRole.choices, label=_("职责"))
    territory_rule = df.ChoiceFilter(choices=TerritoryRule.choices, label=_("属地规则"))

    class Meta:
        model = DutyRule
        fields = ["q", "bureau", "domain", "department_kind", "role", "territory_rule"]


class NoticeFilterSet(SearchFilterSet):
    search_fields = ("title", "body")

    class Meta:
        model = Notice
        fields = ["q", "bureau", "kind"]
