"""Reporting periods (报送期): a month, a quarter, a half-year or a year, named the way officers write them.

A period has a label that is also its natural key between instances: ``2025-10`` (a month), ``2025-Q3``
(a quarter), ``2025-H1`` (a half-year), ``2025`` (a year). ``last_complete(kind, on)`` is the latest period
that ended before ``on`` — the one a daily job opens reports for the day after it ends.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from wangjian.core.errors import ValidationFailed
from wangjian.reporting.choices import PeriodKind

MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF: 6, PeriodKind.YEAR: 12}
PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})$"), PeriodKind.MONTH),
    (re.compile(r"^(\d{4})-?Q([1-4])$", re.I), PeriodKind.QUARTER),
    (re.compile(r"^(\d{4})-?H([12])$", re.I), PeriodKind.HALF),
    (re.compile(r"^(\d{4})$"), PeriodKind.YEAR),
)


@dataclass(frozen=True)
class ReportPeriod:
    kind: str
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        """The natural key: 2025-10, 2025-Q3, 2025-H1, 2025."""
        y, m = self.start.year, self.start.month
        if self.kind == PeriodKind.MONTH:
            return f"{y}-{m:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{y}-Q{(m - 1) // 3 + 1}"
        if self.kind == PeriodKind.HALF:
            return f"{y}-H{(m - 1) // 6 + 1}"
        return f"{y}"

    @property
    def label_zh(self) -> str:
        y, m = self.start.year, self.start.month
        if self.kind == PeriodKind.MONTH:
            return f"{y}年{m}月"
        if self.kind == PeriodKind.QUARTER:
            return f"{y}年第{(m - 1) // 3 + 1}季度"
        if self.kind == PeriodKind.HALF:
            return f"{y}年{'上' if m <= 6 else '下'}半年"
        return f"{y}年"

    def next(self) -> ReportPeriod:
        return containing(self.kind, self.end + dt.timedelta(days=1))

    def previous(self) -> ReportPeriod:
        return containing(self.kind, self.start - dt.timedelta(days=1))


def containing(kind: str, day: dt.date) -> ReportPeriod:
    """The period of ``kind`` that holds ``day``."""
    if kind not in MONTHS:
        raise ValidationFailed(f"未知的报送周期：{kind}", f"Unknown reporting period: {kind}")
    span = MONTHS[kind]
    first = ((day.month - 1) // span) * span + 1
    last = first + span - 1
    return ReportPeriod(
        kind,
        dt.date(day.year, first, 1),
        dt.date(day.year, last, calendar.monthrange(day.year, last)[1]),
    )


def last_complete(kind: str, on: dt.date) -> ReportPeriod:
    """The latest period of ``kind`` that ended before ``on``."""
    return containing(kind, on).previous()


def parse(text: str) -> ReportPeriod:
    """``2025-10`` / ``2025-Q3`` / ``2025-H1`` / ``2025`` → the period, refused in both languages otherwise."""
    text = (text or "").strip()
    for pattern, kind in PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year = int(match.group(1))
        n = int(match.group(2)) if kind != PeriodKind.YEAR else 1
        if kind == PeriodKind.MONTH and not 1 <= n <= 12:
            break
        month = (n - 1) * MONTHS[kind] + 1
        return containing(kind, dt.date(year, month, 1))
    raise ValidationFailed(
        f"报送期应写作 2025-10（月）、2025-Q3（季度）、2025-H1（半年）或 2025（年）：{text}",
        f"Write the period as 2025-10 (month), 2025-Q3 (quarter), 2025-H1 (half-year) or 2025 (year): {text}",
    )
