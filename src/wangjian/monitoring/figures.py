"""The monitoring app's figures (``platform.statistics``): pages swept, findings (by category), confirmed.

Sweeps and findings belong to the bureau that runs the task; they do not move between bureaus.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce, TruncMonth

from wangjian.monitoring import rollup
from wangjian.monitoring.choices import Category, FindingStatus
from wangjian.monitoring.models import Finding, SweepRun
from wangjian.platform.statistics import (
    PLATFORM,
    Breakdown,
    Figure,
    Scope,
    counted_by,
    day_bounds,
    in_period,
    list_url,
    register,
)


def _runs(scope: Scope, start: dt.date, end: dt.date):
    lo, hi = day_bounds(start, end)
    return (
        scope.bureaus(SweepRun.objects.all())
        .annotate(day=Coalesce("started_at", "created"))
        .filter(day__gte=lo, day__lt=hi)
    )


def pages(scope: Scope, start: dt.date, end: dt.date) -> int:
    total = _runs(scope, start, end).aggregate(n=Sum(F("pages_done") + F("pages_unchanged")))["n"]
    return int(total or 0)


def _findings(scope: Scope, start: dt.date, end: dt.date):
    qs = scope.bureaus(Finding.objects.all()).filter(**in_period("first_seen", start, end, timestamp=True))
    if scope.platform_id is not None:
        qs = qs.filter(presence__platform_id=scope.platform_id)
    return qs


def findings(scope: Scope, start: dt.date, end: dt.date) -> int:
    if scope.platform_id is None:  # the days' kept counts (``monitoring.rollup``)
        return rollup.count(scope.bureau_ids, start, end)
    return _findings(scope, start, end).count()


def findings_by_category(scope: Scope, start: dt.date, end: dt.date) -> dict[str, int]:
    if scope.platform_id is None:
        return rollup.by_category(scope.bureau_ids, start, end)
    return counted_by(_findings(scope, start, end), "category")


def findings_monthly(scope: Scope, start: dt.date, end: dt.date) -> dict[str, int]:
    if scope.platform_id is None:
        return rollup.by_month(scope.bureau_ids, start, end)
    rows = (
        _findings(scope, start, end)
        .annotate(month=TruncMonth("first_seen"))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {f"{month:%Y-%m}": n for month, n in rows}


def confirmed(scope: Scope, start: dt.date, end: dt.date) -> int:
    qs = scope.bureaus(Finding.objects.filter(status=FindingStatus.CONFIRMED)).filter(
        **in_period("reviewed_at", start, end, timestamp=True)
    )
    if scope.platform_id is not None:
        qs = qs.filter(presence__platform_id=scope.platform_id)
    return qs.count()


def _finding_list(scope: Scope, start: dt.date, end: dt.date, **more) -> str:
    """The finding list showing a figure's rows, on the scope's platform (the list's only unit filter)."""
    return list_url("monitoring:finding_list", scope, department=None, station=None, domain=None, **more)


def _run_list(scope: Scope, start: dt.date, end: dt.date) -> str:
    """The runs whose pages ``pages`` adds (started, or created, within the period)."""
    return list_url(
        "monitoring:run_list",
        scope,
        department=None,
        station=None,
        domain=None,
        platform=None,
        started_after=start,
        started_before=end,
    )


def _first_seen_list(scope: Scope, start: dt.date, end: dt.date, **more) -> str:
    return _finding_list(scope, start, end, first_seen_after=start, first_seen_before=end, **more)


PAGES = Figure(
    "monitoring_pages",
    "监测页面数",
    "pages swept",
    "开始时间（未开始的按创建时间）在统计期间内的监测执行记录中已检查的页面数：已获取加未变化，不含获取失败；"
    "计入执行监测任务的局。",
    "Pages checked by the sweep runs started (or, not yet started, created) within the period: fetched plus "
    "unchanged, failures not counted; for the bureau running the task.",
    "页",
    "monitoring",
    pages,
    records_url=_run_list,
)
FINDINGS = Figure(
    "findings",
    "监测发现",
    "findings",
    "首次发现时间（first_seen）在统计期间内的监测发现，按违法类别分列；同一场所、同一规则、同一命中文字只计一条，"
    "再次发现不重复计数；不论审核结果。",
    "Findings first seen within the period, by category; the same presence, rule and matched text count once "
    "however often seen again; whatever their review.",
    "条",
    "monitoring",
    findings,
    filters=frozenset({PLATFORM}),
    breakdown=Breakdown(
        "category",
        "违法类别",
        "category",
        tuple(Category.choices),
        findings_by_category,
        records_url=lambda s, a, b, v: _first_seen_list(s, a, b, category=v),
    ),
    monthly=findings_monthly,
    records_url=_first_seen_list,
)
CONFIRMED = Figure(
    "findings_confirmed",
    "确认违法的监测发现",
    "findings confirmed",
    "审核时间（reviewed_at）在统计期间内、审核结论为“确认违法”的监测发现（按现审核结论）。",
    "Findings reviewed within the period (reviewed_at) whose review is 'confirmed' (as it stands now).",
    "条",
    "monitoring",
    confirmed,
    filters=frozenset({PLATFORM}),
    records_url=lambda s, a, b: _finding_list(
        s, a, b, status=FindingStatus.CONFIRMED.value, reviewed_after=a, reviewed_before=b
    ),
)


def register_all() -> None:
    register(PAGES, FINDINGS, CONFIRMED)
