"""One FilterSet per model, used by the web lists and the API alike."""

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangjian.org.choices import BureauLevel, DepartmentKind, Domain, DutyRole, Role, TerritoryRule
from wangjian.org.models import Bureau, Department, DutyRule, Notice, Station, User


class SearchFilterSet(df.FilterSet):
    """A free-text search over ``search_fields``; choice lists offer only rows of bureaus the user sees."""

    search_fields: tuple[str, ...] = ("name",)
    q = df.CharFilter(method="search", label=_("搜索"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            self._scope_choices(user)

    def _scope_choices(self, user) -> None:
        # Without this the drop-downs of a list would name every bureau's departments and stations.
        from wangjian.org.selectors import visible_bureau_ids

        ids = visible_bureau_ids(user)
        if ids is None:
            return
        for f in self.filters.values():
            queryset = getattr(f, "queryset", None)
            if queryset is None or callable(queryset):
                continue
            if queryset.model is Bureau:
                f.queryset = queryset.filter(pk__in=ids)
            elif any(field.name == "bureau" for field in queryset.model._meta.fields):
                f.queryset = queryset.filter(bureau__in=ids)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        cond = Q()
        for f in self.search_fields:
            cond |= Q(**{f"{f}__icontains": value})
        return queryset.filter(cond)


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
