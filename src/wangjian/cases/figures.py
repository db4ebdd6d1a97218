"""The case app's figures (``platform.statistics``): opened by source, decided, closed, fines.

Counted as the monthly case table counts (``selectors.monthly_figures``): 立案 is a general-procedure
case with its 立案日期; a decision (simple procedure included) by its 决定日期; fines are those of
penalty decisions. Cases do not move between bureaus: a case referred to another authority or to
the police (移送) stays counted by the bureau that opened it; the unit is the case's 办案机构.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from wangjian.cases.choices import Procedure
from wangjian.cases.models import Case
from wangjian.platform.intake.choices import SourceKind
from wangjian.platform.statistics import (
    DEPARTMENT,
    DOMAIN,
    PLATFORM,
    Breakdown,
    Figure,
    Scope,
    counted_by,
    list_url,
    register,
)

FILTERS = frozenset({DEPARTMENT, DOMAIN, PLATFORM})
STAYS = "移送其他机关或公安机关的案件仍计入立案的局；单位为案件的办案机构。"
STAYS_EN = "A case referred elsewhere stays with the bureau that opened it; the unit is its 办案机构."


def _cases(scope: Scope):
    return scope.units(Case.objects.all())


def _opened(scope: Scope, start: dt.date, end: dt.date):
    return _cases(scope).filter(procedure=Procedure.GENERAL, opened_on__range=(start, end))


def opened(scope: Scope, start: dt.date, end: dt.date) -> int:
    return _opened(scope, start, end).count()


def opened_by_source(scope: Scope, start: dt.date, end: dt.date) -> dict[str, int]:
    return counted_by(_opened(scope, start, end), "source_kind")


def opened_monthly(scope: Scope, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = (
        _opened(scope, start, end)
        .annotate(month=TruncMonth("opened_on"))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {f"{month:%Y-%m}": n for month, n in rows}


def _decided(scope: Scope, start: dt.date, end: dt.date):
    return _cases(scope).filter(decided_on__range=(start, end))


def decided(scope: Scope, start: dt.date, end: dt.date) -> int:
    return _decided(scope, start, end).count()


def fines(scope: Scope, start: dt.date, end: dt.date) -> Decimal:
    total = _decided(scope, start, end).filter(penalised=True).aggregate(n=Sum("fine_amount"))["n"]
    return total or Decimal("0")


def closed(scope: Scope, start: dt.date, end: dt.date) -> int:
    return _cases(scope).filter(closed_on__range=(start, end)).count()


def _opened_list(scope: Scope, start: dt.date, end: dt.date, **more) -> str:
    """The case list showing the cases opened in the period (general procedure)."""
    return list_url(
        "cases:case_list",
        scope,
        station=None,
        procedure="general",
        opened_after=start,
        opened_before=end,
        **more,
    )


OPENED = Figure(
    "cases_opened",
    "立案",
    "cases opened",
    "立案日期（opened_on）在统计期间内的普通程序案件，按案件来源分列（当场处罚不立案，不计）。" + STAYS,
    "General-procedure cases opened (opened_on) within the period, by source (on-the-spot penalties are not "
    "opened and not counted). " + STAYS_EN,
    "件",
    "cases",
    opened,
    filters=FILTERS,
    breakdown=Breakdown(
        "source",
        "案件来源",
        "source",
        tuple(SourceKind.choices),
        opened_by_source,
        records_url=lambda s, a, b, v: _opened_list(s, a, b, source_kind=v),
    ),
    monthly=opened_monthly,
    records_url=lambda s, a, b: _opened_list(s, a, b),
)
DECIDED = Figure(
    "cases_decided",
    "作出决定的案件",
    "cases decided",
    "决定日期（decided_on）在统计期间内的案件（含当场处罚和不予处罚的决定）。" + STAYS,
    "Cases decided (decided_on) within the period, on-the-spot penalties and decisions not to penalise "
    "included. " + STAYS_EN,
    "件",
    "cases",
    decided,
    filters=FILTERS,
)
FINES = Figure(
    "cases_fines",
    "罚款金额",
    "fines",
    "决定日期在统计期间内、给予行政处罚的案件的罚款金额合计（元；不含没收违法所得）。" + STAYS,
    "The total of the fines of penalty decisions made within the period (yuan; confiscations not included). "
    + STAYS_EN,
    "元",
    "cases",
    fines,
    filters=FILTERS,
)
CLOSED = Figure(
    "cases_closed",
    "结案",
    "cases closed",
    "结案日期（closed_on）在统计期间内的案件。" + STAYS,
    "Cases closed (closed_on) within the period. " + STAYS_EN,
    "件",
    "cases",
    closed,
    filters=FILTERS,
)


def register_all() -> None:
    register(OPENED, DECIDED, FINES, CLOSED)
