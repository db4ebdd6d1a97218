"""One FilterSet for the grades, used by the list page and the API alike."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from wangjian.platform.filtersets import SearchFilterSet
from wangjian.risk.choices import CreditClass, RiskGrade
from wangjian.risk.models import EntityGrade

NO_CLASS = "none"


class EntityGradeFilterSet(SearchFilterSet):
    search_fields = ("entity__name", "entity__uscc")
    grade = df.ChoiceFilter(choices=RiskGrade.choices, label=_("风险等级"))
    region = df.CharFilter(
        field_name="entity__region_code", lookup_expr="startswith", label=_("区划代码（前缀）")
    )
    credit_class = df.ChoiceFilter(
        choices=[*CreditClass.choices, (NO_CLASS, _("无信用风险分类"))],
        method="filter_class",
        label=_("信用风险分类"),
    )

    class Meta:
        model = EntityGrade
        fields = ["q", "grade", "region", "credit_class"]

    def filter_class(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(credit_class="" if value == NO_CLASS else value)
