"""The inspections app's figures (``platform.statistics``): objects drawn, checked, results published.

A draw counts for the bureau that made it (or imported it from the province's system), and the unit is
the plan's lead department; a re-draw replaces the draw it corrects, so only draws no re-draw replaced
are counted. A result corrected after an objection counts under its current category.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from wangjian.inspections.choices import DrawState, ResultCategory
from wangjian.inspections.models import DrawnObject, InspectionResult
from wangjian.platform.statistics import DEPARTMENT, Breakdown, Figure, Scope, in_period, list_url, register

FILTERS = frozenset({DEPARTMENT})


def _drawn(scope: Scope):
    qs = scope.bureaus(DrawnObject.objects.all(), "draw__bureau").filter(
        draw__state=DrawState.DRAWN, draw__replaced_by__isnull=True
    )
    if scope.department_id is not None:
        qs = qs.filter(draw__plan__department_id=scope.department_id)
    return qs


def _results(scope: Scope):
    qs = scope.bureaus(InspectionResult.objects.all()).filter(drawn__draw__replaced_by__isnull=True)
    if scope.department_id is not None:
        qs = qs.filter(drawn__draw__plan__department_id=scope.department_id)
    return qs


def drawn(scope: Scope, start: dt.date, end: dt.date) -> int:
    return _drawn(scope).filter(**in_period("draw__drawn_at", start, end, timestamp=True)).count()


def checked(scope: Scope, start: dt.date, end: dt.date) -> int:
    rows = _results(scope).filter(checked_on__range=(start, end))
    return rows.values("drawn_id").distinct().count()


def _published(scope: Scope, start: dt.date, end: dt.date):
    return _results(scope).filter(**in_period("published_at", start, end, timestamp=True))


def published(scope: Scope, start: dt.date, end: dt.date) -> int:
    return _published(scope, start, end).count()


def published_by_category(scope: Scope, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = _published(scope, start, end).values_list("category").annotate(n=Count("id")).order_by()
    return {c: n for c, n in rows}


def _draw_list(scope: Scope, start: dt.date, end: dt.date) -> str:
    """The draws whose objects ``drawn`` counts: drawn within the period, not replaced by a re-draw, of the
    plans of the scope's department (the list shows draws; their objects add up to the figure)."""
    return list_url(
        "inspections:draw_list",
        scope,
        station=None,
        domain=None,
        platform=None,
        state=DrawState.DRAWN.value,
        replaced="false",
        drawn_after=start,
        drawn_before=end,
    )


def _checked_list(scope: Scope, start: dt.date, end: dt.date) -> str:
    """The drawn objects ``checked`` counts (抽中主体): one row per object with a result checked within the
    period, of draws no re-draw replaced, of the plans of the scope's department."""
    return list_url(
        "inspections:drawn_list",
        scope,
        station=None,
        domain=None,
        platform=None,
        replaced="false",
        checked_after=start,
        checked_before=end,
    )


def _published_list(scope: Scope, start: dt.date, end: dt.date, category: str = "") -> str:
    """The results ``published`` counts (抽查检查结果), one row per object and item; of one category for
    the breakdown's item."""
    return list_url(
        "inspections:result_list",
        scope,
        station=None,
        domain=None,
        platform=None,
        replaced="false",
        category=category,
        published_after=start,
        published_before=end,
    )


DRAWN = Figure(
    "inspections_drawn",
    "双随机抽中检查对象",
    "objects drawn for random inspection",
    "抽取时间（drawn_at）在统计期间内的抽取（含从省级双随机系统导入的抽取）抽中的检查对象户数；被重新抽取取代的抽取不计；"
    "单位为抽查计划的牵头科室。",
    "Objects drawn by draws made (or imported from the province's system) within the period; a draw a "
    "re-draw replaced is not counted; the unit is the plan's lead department.",
    "户",
    "inspections",
    drawn,
    filters=FILTERS,
    records_url=_draw_list,
)
CHECKED = Figure(
    "inspections_checked",
    "双随机已检查对象",
    "drawn objects checked",
    "检查日期（checked_on）在统计期间内记录了检查结果的抽中对象户数（一户多个抽查事项计一户）。",
    "Drawn objects with a result recorded with its check date within the period (one object with several "
    "items counts once).",
    "户",
    "inspections",
    checked,
    filters=FILTERS,
    records_url=_checked_list,
)
PUBLISHED = Figure(
    "inspections_published",
    "双随机公示检查结果",
    "random-inspection results published",
    "公示时间（published_at）在统计期间内的检查结果条数（每户每个抽查事项一条），按检查结果类别分列；"
    "因异议更正的结果按更正后的类别计。",
    "Results (one per object and item) published within the period, by category; a result corrected after "
    "an objection counts under its current category.",
    "件",
    "inspections",
    published,
    filters=FILTERS,
    records_url=_published_list,
    breakdown=Breakdown(
        "category",
        "检查结果",
        "result",
        tuple(ResultCategory.choices),
        published_by_category,
        records_url=_published_list,
    ),
)


def register_all() -> None:
    register(DRAWN, CHECKED, PUBLISHED)
