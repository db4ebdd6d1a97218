"""The FilterSets of the results across draws (抽查检查结果, 抽中主体): one per list, shared by its page and API.

They carry the filters the figures ``inspections_checked`` and ``inspections_published`` link with
(``figures.py``): the plan's lead department, the check date (``checked_on``), the day published
(``published_at``), the result's category, and draws not replaced by a re-draw.
"""

from __future__ import annotations

import django_filters as df
from django.db.models import Exists, OuterRef
from django.forms import DateInput
from django.utils.translation import gettext_lazy as _

from wangjian.inspections.choices import ResultCategory
from wangjian.inspections.models import DrawnObject, InspectionItem, InspectionResult, Plan
from wangjian.org.models import Department
from wangjian.platform.filtersets import IdFilter, SearchFilterSet

DAY = DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _day(label, **kw) -> df.DateFilter:
    return df.DateFilter(label=label, widget=DAY, **kw)


class ResultFilterSet(SearchFilterSet):
    """One row per drawn object and item: what ``inspections_published`` counts (and its categories)."""

    search_fields = ("drawn__entity__name", "drawn__entity__uscc", "item__name", "drawn__draw__plan__title")
    department = df.ModelChoiceFilter(
        field_name="drawn__draw__plan__department", queryset=Department.objects.all(), label=_("牵头科室")
    )
    plan = df.ModelChoiceFilter(
        field_name="drawn__draw__plan", queryset=Plan.objects.all(), label=_("抽查计划")
    )
    draw = IdFilter(field_name="drawn__draw", label=_("抽取编号"))
    drawn = IdFilter(field_name="drawn", label=_("抽中主体编号"))
    item = df.ModelChoiceFilter(queryset=InspectionItem.objects.all(), label=_("抽查事项"))
    category = df.ChoiceFilter(choices=ResultCategory.choices, label=_("检查结果"))
    checked_after = _day(_("检查日期起"), field_name="checked_on", lookup_expr="gte")
    checked_before = _day(_("检查日期止"), field_name="checked_on", lookup_expr="lte")
    published = df.BooleanFilter(
        field_name="published_at", lookup_expr="isnull", exclude=True, label=_("已公示")
    )
    published_after = _day(_("公示日期起"), field_name="published_at", lookup_expr="date__gte")
    published_before = _day(_("公示日期止"), field_name="published_at", lookup_expr="date__lte")
    replaced = df.BooleanFilter(
        field_name="drawn__draw__replaced_by",
        lookup_expr="isnull",
        exclude=True,
        label=_("抽取已被重新抽取取代"),
    )

    class Meta:
        model = InspectionResult
        fields = ["q"]


class DrawnFilterSet(SearchFilterSet):
    """One row per drawn object: what ``inspections_checked`` counts (an object with several items once).

    ``checked_after`` and ``checked_before`` ask for one result checked between the two days: applied
    together, so an object checked before the period on one item and after it on another is not listed."""

    search_fields = ("entity__name", "entity__uscc", "draw__plan__title")
    department = df.ModelChoiceFilter(
        field_name="draw__plan__department", queryset=Department.objects.all(), label=_("牵头科室")
    )
    plan = df.ModelChoiceFilter(field_name="draw__plan", queryset=Plan.objects.all(), label=_("抽查计划"))
    draw = IdFilter(field_name="draw", label=_("抽取编号"))
    checked = df.BooleanFilter(method="filter_checked", label=_("已记录检查结果"))
    checked_after = _day(_("检查日期起"), method="filter_checked_within")
    checked_before = _day(_("检查日期止"), method="filter_checked_within")
    replaced = df.BooleanFilter(
        field_name="draw__replaced_by", lookup_expr="isnull", exclude=True, label=_("抽取已被重新抽取取代")
    )

    class Meta:
        model = DrawnObject
        fields = ["q"]

    def filter_checked(self, queryset, name, value):
        if value is None:
            return queryset
        has = Exists(InspectionResult.objects.filter(drawn=OuterRef("pk")))
        return queryset.filter(has if value else ~has)

    def filter_checked_within(self, queryset, name, value):
        data = self.form.cleaned_data
        after, before = data.get("checked_after"), data.get("checked_before")
        if name == "checked_before" and after is not None:
            return queryset  # applied with ``checked_after``, as one condition on one result
        results = InspectionResult.objects.filter(drawn=OuterRef("pk"))
        if after is not None:
            results = results.filter(checked_on__gte=after)
        if before is not None:
            results = results.filter(checked_on__lte=before)
        return queryset.filter(Exists(results))
