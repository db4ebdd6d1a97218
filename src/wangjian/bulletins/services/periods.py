"""Months and numbers as the 通报 writes them (shared by the service, the document and the tables)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from wangjian.core.errors import ValidationFailed
from wangjian.platform import statistics

FIRST_YEAR = 2000


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    """The month beginning on ``month`` (its first day), both ends included."""
    if month.day != 1:
        raise ValidationFailed("通报月份应为该月1日", "The month is given by its first day")
    if not FIRST_YEAR <= month.year <= 9998:
        raise ValidationFailed(f"通报月份应在{FIRST_YEAR}年以后", f"The month is in {FIRST_YEAR} or later")
    return month, shift(month, 1) - dt.timedelta(days=1)


def shift(month: dt.date, n: int) -> dt.date:
    years, m = divmod(month.month - 1 + n, 12)
    return dt.date(month.year + years, m + 1, 1)


def month_label(month: dt.date) -> str:
    return f"{month.year}年{month.month}月"


def months_ended(*, today: dt.date, count: int = 24) -> list[tuple[dt.date, str]]:
    """The ``count`` months that ended before ``today``, latest first (the draft's choices)."""
    first = today.replace(day=1)
    return [
        (m, month_label(m)) for m in (shift(first, -i) for i in range(1, count + 1)) if m.year >= FIRST_YEAR
    ]


def chinese_date(day: dt.date) -> str:
    """成文日期 and 印发日期 as GB/T 9704-2012 writes them: Arabic numerals, no leading zeros (2026年12月5日)."""
    return f"{day.year}年{day.month}月{day.day}日"


def as_text(number: statistics.Number) -> str:
    """A figure as the document writes it: whole numbers plainly, money to the fen, rates to 0.1."""
    if isinstance(number, Decimal):
        return f"{number.quantize(Decimal('0.01')):f}"
    if isinstance(number, float):
        return f"{Decimal(str(number)).quantize(Decimal('0.1')):f}"
    return str(number)
