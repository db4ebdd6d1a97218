"""The results across draws (read-only lists): 抽查检查结果, one row per drawn object and item, and 抽中主体,
one row per drawn object. They are the records of the figures ``inspections_published`` and
``inspections_checked`` (``figures.py``); each draw's own page records and publishes its results.
Who reads the draws reads them, in the bureaus they may see (``registers.Readable``)."""

from __future__ import annotations

import django_tables2 as tables
from django.db.models import Count, Max
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wangjian.inspections.filtersets import DrawnFilterSet, ResultFilterSet
from wangjian.inspections.models import DrawnObject, InspectionResult
from wangjian.inspections.registers import Readable
from wangjian.platform import generic
from wangjian.platform.tables import BaseTable


def _draw_url(draw_id: int) -> str:
    return reverse("inspections:draw", args=[draw_id])


class ResultTable(BaseTable):
    entity = tables.Column(accessor="drawn__entity__name", verbose_name=_("市场主体"))
    uscc = tables.Column(accessor="drawn__entity__uscc", verbose_name=_("统一社会信用代码"))
    plan = tables.Column(accessor="drawn__draw__plan", verbose_name=_("抽查计划"), linkify=True)
    draw = tables.Column(
        accessor="drawn__draw_id",
        verbose_name=_("抽取"),
        linkify=lambda record: _draw_url(record.drawn.draw_id),
    )
    department = tables.Column(accessor="drawn__draw__plan__department", verbose_name=_("牵头科室"))

    class Meta(BaseTable.Meta):
        model = InspectionResult
        fields = (
            "entity",
            "uscc",
            "plan",
            "draw",
            "item",
            "department",
            "category",
            "checked_on",
            "published_at",
        )
        sequence = fields

    def render_draw(self, value):
        return f"#{value}"


class DrawnTable(BaseTable):
    entity = tables.Column(accessor="entity__name", verbose_name=_("市场主体"))
    uscc = tables.Column(accessor="entity__uscc", verbose_name=_("统一社会信用代码"))
    plan = tables.Column(accessor="draw__plan", verbose_name=_("抽查计划"), linkify=True)
    draw = tables.Column(
        accessor="draw_id", verbose_name=_("抽取"), linkify=lambda record: _draw_url(record.draw_id)
    )
    department = tables.Column(accessor="draw__plan__department", verbose_name=_("牵头科室"))
    results_count = tables.Column(verbose_name=_("检查结果"))
    last_checked = tables.DateColumn(verbose_name=_("最近检查日期"))

    class Meta(BaseTable.Meta):
        model = DrawnObject
        fields = ("entity", "uscc", "plan", "draw", "department", "results_count", "last_checked")
        sequence = fields

    def render_draw(self, value):
        return f"#{value}"

    def render_results_count(self, value, record):
        """The count links to the object's rows of the results list (NetBox: counts link to the list)."""
        url = f"{reverse('inspections:result_list')}?drawn={record.pk}"
        return format_html('<a href="{}">{}</a>', url, value)

    def value_results_count(self, value):
        return value


class ResultList(Readable, generic.ObjectListView):
    model = InspectionResult
    url_prefix = "inspections:result"
    queryset = InspectionResult.objects.select_related(
        "item", "drawn__entity", "drawn__draw__plan__department"
    ).order_by("-id")
    filterset_class = ResultFilterSet
    table_class = ResultTable

    def can_change(self, obj=None):
        return False  # a result is recorded, published and corrected from its draw's page


class DrawnList(Readable, generic.ObjectListView):
    model = DrawnObject
    url_prefix = "inspections:drawn"
    bureau_field = "draw__bureau"
    queryset = (
        DrawnObject.objects.select_related("entity", "draw__plan__department")
        .annotate(results_count=Count("results"), last_checked=Max("results__checked_on"))
        .order_by("-id")
    )
    filterset_class = DrawnFilterSet
    table_class = DrawnTable

    def can_change(self, obj=None):
        return False  # an object is drawn by its draw
