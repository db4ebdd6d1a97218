"""One FilterSet per model, for the web lists (and any API) alike."""

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangjian.monitoring.choices import Category, Severity, VersionStatus
from wangjian.monitoring.models import Rule, RuleLibrary
from wangjian.org.choices import DepartmentKind, Domain


class RuleLibraryFilterSet(df.FilterSet):
    q = df.CharFilter(method="search", label=_("搜索"))
    department_kind = df.ChoiceFilter(choices=DepartmentKind.choices, label=_("负责科室类型"))
    domain = df.ChoiceFilter(choices=Domain.choices, label=_("监管领域"))

    class Meta:
        model = RuleLibrary
        fields = ["q", "department_kind", "domain"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(title__icontains=value)) if value else queryset


class RuleFilterSet(df.FilterSet):
    q = df.CharFilter(method="search", label=_("搜索"))
    category = df.ChoiceFilter(choices=Category.choices, label=_("类别"))
    severity = df.ChoiceFilter(choices=Severity.choices, label=_("严重程度"))
    library = df.CharFilter(field_name="version__library__name", label=_("库标识"))
    status = df.ChoiceFilter(field_name="version__status", choices=VersionStatus.choices, label=_("版本状态"))

    class Meta:
        model = Rule
        fields = ["q", "category", "severity", "library", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(terms__icontains=value)
        )
