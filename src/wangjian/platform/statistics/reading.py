"""Reading the figures: one figure, every figure, a figure month by month — with the filters checked.

A request with a filter a figure cannot honour is refused (``ValidationFailed``, zh and en), never
answered with the unfiltered number. ``values`` over every figure answers those that honour the
scope's filters and names the others with the reason (``Reading.omitted``), so a list filtered by
department says which figures it could not filter instead of leaving them out unexplained.
"""

from __future__ import annotations

import calendar as pycal
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from wangjian.core.errors import ValidationFailed
from wangjian.platform.statistics.registry import FILTER_LABELS, Figure, Number, Scope, all, get


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        """``YYYY-MM`` for a month (or the part of one the period covers)."""
        return f"{self.start:%Y-%m}"


@dataclass
class FigureValue:
    figure: Figure
    value: Number
    breakdown: dict[str, Number] | None = None


@dataclass
class Reading:
    scope: Scope
    start: dt.date
    end: dt.date
    values: list[FigureValue] = field(default_factory=list)
    omitted: list[tuple[Figure, list[str]]] = field(
        default_factory=list
    )  # (figure, filters it cannot honour)


def check_period(start: dt.date, end: dt.date) -> None:
    if start > end:
        raise ValidationFailed(
            f"统计期间的起始日期 {start} 晚于截止日期 {end}",
            f"The period starts ({start}) after it ends ({end})",
        )


def unsupported(figure: Figure, scope: Scope) -> list[str]:
    """The filters of ``scope`` that ``figure`` cannot honour."""
    return sorted(scope.filters() - set(figure.filters))


def check_filters(figure: Figure, scope: Scope) -> None:
    """Refuse a scope whose filters the figure cannot honour (the refusal names them and what it can)."""
    missing = unsupported(figure, scope)
    if missing:
        zh_missing = "、".join(FILTER_LABELS[f] for f in missing)
        zh_can = "、".join(FILTER_LABELS[f] for f in sorted(figure.filters)) or "无（只能按局统计）"
        raise ValidationFailed(
            f"统计指标“{figure.label_zh}”（{figure.key}）不能按{zh_missing}筛选；可用的筛选：{zh_can}",
            f"The figure '{figure.label_en}' ({figure.key}) cannot be filtered by {', '.join(missing)}; "
            f"it can be filtered by: {', '.join(sorted(figure.filters)) or 'nothing but the bureau'}",
            detail={"figure": figure.key, "unsupported": missing, "supported": sorted(figure.filters)},
        )


def value(key: str, scope: Scope, start: dt.date, end: dt.date) -> Number:
    """One figure over ``start`` … ``end`` (both included) for ``scope``; refuses filters it cannot honour."""
    figure = get(key)
    check_period(start, end)
    check_filters(figure, scope)
    return figure.compute(scope, start, end)


def breakdown(key: str, scope: Scope, start: dt.date, end: dt.date) -> dict[str, Number]:
    """The figure split by its breakdown (``{}`` for a figure without one)."""
    figure = get(key)
    check_period(start, end)
    check_filters(figure, scope)
    return figure.breakdown.compute(scope, start, end) if figure.breakdown else {}


def values(
    scope: Scope, start: dt.date, end: dt.date, *, keys: list[str] | None = None, breakdowns: bool = True
) -> Reading:
    """Every figure (or those of ``keys``, each of which must honour the scope's filters) for the period."""
    check_period(start, end)
    reading = Reading(scope, start, end)
    if keys is not None:
        figures = [get(k) for k in keys]
        for figure in figures:
            check_filters(figure, scope)
    else:
        figures = all()
    for figure in figures:
        missing = unsupported(figure, scope)
        if missing:
            reading.omitted.append((figure, missing))
            continue
        split = None
        if breakdowns and figure.breakdown is not None:
            split = figure.breakdown.compute(scope, start, end)
        reading.values.append(FigureValue(figure, figure.compute(scope, start, end), split))
    return reading


def month_periods(start: dt.date, end: dt.date) -> list[Period]:
    """The months from ``start`` to ``end``, the first and last cut to the period (so a flow's months add up)."""
    check_period(start, end)
    out, first = [], start
    while first <= end:
        last_day = dt.date(first.year, first.month, pycal.monthrange(first.year, first.month)[1])
        out.append(Period(first, min(last_day, end)))
        first = last_day + dt.timedelta(days=1)
    return out


def series(key: str, scope: Scope, months: list[Period]) -> list[tuple[Period, Number]]:
    """The figure for each of ``months`` (``month_periods``): its grouped query where it offers one, else
    ``compute`` month by month. A figure of the state at the period's end answers each month's end."""
    figure = get(key)
    check_filters(figure, scope)
    if not months:
        return []
    if figure.monthly is not None and not figure.at_end:
        grouped = figure.monthly(scope, months[0].start, months[-1].end)
        zero = 0
        return [(m, grouped.get(m.label, zero)) for m in months]
    return [(m, figure.compute(scope, m.start, m.end)) for m in months]


def plain(number: Number) -> int | float:
    """A figure as a JSON number: an integer when whole, else a float (money to the fen)."""
    if isinstance(number, Decimal):
        number = number.quantize(Decimal("0.01"))
        return int(number) if number == number.to_integral_value() else float(number)
    if isinstance(number, float) and number.is_integer():
        return number
    return number
