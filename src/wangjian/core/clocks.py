"""Legal clocks (期间): every period a rule sets, computed one way, with the reason an officer reads.

The rules of counting, from the two texts every market-regulation clock answers to:

- 行政处罚法 (2021) art. 85: its 二日、三日、五日、七日 are working days; longer periods (15 days to
  pay a fine, 90 days to decide) are natural days. 市场监督管理行政处罚程序规定 (2022) writes 工作日
  wherever it means working days. So a period's unit is named, never inferred.
- 程序规定 art. 80: the first day (the day of the event) is not counted; travel time (在途时间) is
  excluded; a period whose last day is a holiday ends on the first working day after it.
- 程序规定 art. 84: 以上、以下、内 include the number itself — the due day is still in time.
- Time that does not count (不计入期间) stops a clock and restarts it with the days left: for the
  15-working-day clue check (art. 18) 检测、检验、检疫、鉴定 and 权利人辨认或者鉴别; for the 90-day
  case decision (art. 64) those plus 责令退还多收价款, 中止, 听证, 公告. Which kinds stop which clock
  is the catalogue's business (``platform.clocks``); here any suspension given is honoured.
- An extension adds to the length, with who approved it; its limits are the catalogue's too.

A period that reaches a year whose holiday arrangement is not yet published is computed with
weekends only and marked **provisional** with the reason, so that nothing waits; it is never
shown as final, and is computed again once the year is entered (``wangjian workdays`` itself
still refuses such a year: a count asked for directly is never a guess).
"""

from __future__ import annotations

import calendar as pycal
import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from wangjian.core.workdays import Calendar, UncoveredYearError, current


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    DAYS = "days"
    MONTHS = "months"

    @property
    def label(self) -> str:
        return {"working_days": "个工作日", "days": "日", "months": "个月"}[self.value]


@dataclass(frozen=True)
class Period:
    """A length in a unit, and the text that sets it (法律依据 or 工作规则)."""

    length: int
    unit: Unit
    basis: str = ""

    def text(self) -> str:
        return f"{self.length}{Unit(self.unit).label}"


@dataclass(frozen=True)
class Suspension:
    """Time that does not count, from ``start`` to ``end`` (both included); ``end=None``: still running."""

    kind: str
    start: dt.date
    end: dt.date | None = None
    label: str = ""  # 检测、检验、检疫、鉴定 … as the officer reads it
    note: str = ""

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def text(self) -> str:
        end = f"{self.end:%Y-%m-%d}" if self.end else "至今"
        return f"{self.label or self.kind} {self.start:%Y-%m-%d}—{end}"


@dataclass(frozen=True)
class Extension:
    """More time, approved by someone who may approve it (延长期限须经批准)."""

    length: int
    approved_by: str
    approved_on: dt.date
    basis: str = ""

    def text(self, unit: Unit) -> str:
        return f"延长{self.length}{Unit(unit).label}（{self.approved_by} {self.approved_on:%Y-%m-%d} 批准{'，' + self.basis if self.basis else ''}）"


@dataclass
class Deadline:
    """A computed deadline and everything that decided it."""

    start: dt.date
    period: Period
    due: dt.date | None  # None only while a suspension is still running (the clock is stopped)
    counted: int = 0  # units counted so far
    skipped: list[tuple[dt.date, str]] = field(default_factory=list)  # days not counted, and why
    moved_from: dt.date | None = None  # a last day on a holiday, moved to the next working day
    suspensions: tuple[Suspension, ...] = ()
    extensions: tuple[Extension, ...] = ()
    provisional_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)

    @property
    def stopped(self) -> bool:
        return self.due is None

    @property
    def total(self) -> int:
        return self.period.length + sum(e.length for e in self.extensions)

    @property
    def left(self) -> int:
        """Units still to run (what a stopped clock restarts with)."""
        return max(0, self.total - self.counted)

    def in_time(self, day: dt.date) -> bool:
        """The due day itself is in time (程序规定 art. 84: 内 includes the number)."""
        return self.due is not None and day <= self.due

    @property
    def provisional_reason(self) -> str:
        if not self.provisional:
            return ""
        years = "、".join(str(y) for y in self.provisional_years)
        return f"{years}年节假日安排尚未录入，暂按周末计算；录入后自动重新计算"

    def skipped_text(self) -> str:
        named, weekends, suspended = [], 0, 0
        for day, why in self.skipped:
            if why == "周末":
                weekends += 1
            elif why.startswith("不计入"):
                suspended += 1
            else:
                named.append(f"{day:%m-%d}{'(' + why + ')' if why else ''}")
        parts = []
        if named:
            parts.append("节假日 " + "、".join(named))
        if weekends:
            parts.append(f"周末 {weekends} 天")
        if suspended:
            parts.append(f"不计入期间 {suspended} 天")
        return "；".join(parts) or "无"

    def basis_text(self, what: str = "") -> str:
        """The reason an officer reads: the rule, the start, the due day, what was skipped."""
        rule = self.period.basis or self.period.text()
        head = f"{rule}。{self.start:%Y-%m-%d}{what}（当日不计）"
        if self.stopped:
            body = f"，已计 {self.counted}{Unit(self.period.unit).label}，期限中止，恢复后还剩 {self.left}{Unit(self.period.unit).label}"
        elif self.period.unit == Unit.WORKING_DAYS:
            body = f"，第{self.total}个工作日为 {self.due:%Y-%m-%d}；跳过：{self.skipped_text()}"
        else:
            body = f"，{self.total}{Unit(self.period.unit).label}届满为 {self.due:%Y-%m-%d}"
            if self.moved_from:
                body += f"（{self.moved_from:%Y-%m-%d} 为节假日，顺延至其后第一个工作日）"
            if any(why.startswith("不计入") for _, why in self.skipped):
                body += f"；跳过：{self.skipped_text()}"
        extra = [e.text(self.period.unit) for e in self.extensions]
        extra += [f"不计入：{s.text()}" for s in self.suspensions]
        if extra:
            body += "；" + "；".join(extra)
        if self.provisional:
            body += f"。【暂定】{self.provisional_reason}"
        return head + body + "。"


class _Days:
    """Working-day answers that fall back to weekends only for an unpublished year, and say so."""

    def __init__(self, calendar: Calendar):
        self.calendar = calendar
        self.guessed: set[int] = set()

    def working(self, day: dt.date) -> bool:
        try:
            return self.calendar.is_working_day(day)
        except UncoveredYearError:
            self.guessed.add(day.year)
            return day.weekday() < 5

    def why_off(self, day: dt.date) -> str:
        if day.year in self.guessed and day not in self.calendar.entered:
            return "周末"
        return self.calendar.day_name(day) or ("周末" if day.weekday() >= 5 else "")

    def next_working(self, day: dt.date) -> dt.date:
        while not self.working(day):
            day += dt.timedelta(days=1)
        return day


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when it has no such day (1-31 + 1 month = 2-28)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, pycal.monthrange(year, month)[1]))


def compute(
    *,
    start: dt.date,
    period: Period,
    suspensions: tuple[Suspension, ...] | list[Suspension] = (),
    extensions: tuple[Extension, ...] | list[Extension] = (),
    calendar: Calendar | None = None,
) -> Deadline:
    """The deadline of ``period`` from ``start`` (the event's day, not counted).

    A negative length counts backwards (a hearing notice served 7 working days *before* the
    hearing). A suspension still running stops the clock: ``due`` is None and ``left`` says how
    many units it restarts with.
    """
    days = _Days(calendar or current())
    suspensions, extensions = tuple(suspensions), tuple(extensions)
    out = Deadline(start=start, period=period, due=None, suspensions=suspensions, extensions=extensions)
    total = out.total
    unit = Unit(period.unit)
    if unit == Unit.MONTHS:
        _months(out, days, total)
    else:
        _count(out, days, total, working=unit == Unit.WORKING_DAYS)
    if out.due is not None and unit != Unit.WORKING_DAYS and total > 0 and not days.working(out.due):
        out.moved_from = out.due
        out.due = days.next_working(out.due)
    out.provisional_years = tuple(sorted(days.guessed))
    return out


def _suspended(out: Deadline, day: dt.date) -> Suspension | None:
    return next((s for s in out.suspensions if s.covers(day)), None)


def _count(out: Deadline, days: _Days, total: int, *, working: bool) -> None:
    step = 1 if total >= 0 else -1
    day, remaining = out.start, abs(total)
    while remaining:
        day += dt.timedelta(days=step)
        suspension = _suspended(out, day)
        if suspension is not None:
            if suspension.end is None:
                return  # stopped: restarts with ``left`` once the suspension ends
            out.skipped.append((day, f"不计入（{suspension.label or suspension.kind}）"))
            continue
        if working and not days.working(day):
            out.skipped.append((day, days.why_off(day)))
            continue
        remaining -= 1
        out.counted += 1
    out.due = day


def _months(out: Deadline, days: _Days, total: int) -> None:
    """N months from the start's date, then one natural day more for each suspended day inside."""
    end = add_months(out.start, total)
    if any(s.end is None and s.start <= end for s in out.suspensions):
        return  # stopped: a month clock is computed again, whole, once the suspension has ended
    seen: set[dt.date] = set()
    changed = True
    while changed:
        changed = False
        day = out.start
        while day < end:
            day += dt.timedelta(days=1)
            suspension = _suspended(out, day)
            if suspension is not None and day not in seen:
                seen.add(day)
                out.skipped.append((day, f"不计入（{suspension.label or suspension.kind}）"))
                end += dt.timedelta(days=1)
                changed = True
    out.counted = total
    out.due = end


def working_days_between(a: dt.date, b: dt.date, calendar: Calendar | None = None) -> tuple[int, bool]:
    """Working days d with a < d ≤ b (negative when b is before a), and whether a year was guessed."""
    days = _Days(calendar or current())
    if b < a:
        count, guessed = working_days_between(b, a, days.calendar)
        return -count, guessed
    count, day = 0, a
    while day < b:
        day += dt.timedelta(days=1)
        count += days.working(day)
    return count, bool(days.guessed)
