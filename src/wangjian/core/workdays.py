"""The working-day calendar (工作日).

A working day is Monday–Friday, minus public holidays, plus the weekend days the State
Council designates as make-up working days (调休上班). "Within N working days of X"
means the N-th working day after the day of X, X itself not counted.

Sources, in order: a date entered by an administrator (``CalendarDay``, which overrides),
then the ``chinese-calendar`` package for the years it covers, then — for a later year
whose arrangement was entered (``HolidayArrangement``, which extends) — the weekday rule
plus that arrangement's dates. A date in a
year neither covers raises ``UncoveredYearError``: an unpublished year is never guessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import chinese_calendar

from wangjian.core.errors import WangjianError

_PACKAGE_YEARS: tuple[int, int] | None = None


def package_years() -> tuple[int, int]:
    """The first and last year the installed ``chinese-calendar`` package knows."""
    global _PACKAGE_YEARS
    if _PACKAGE_YEARS is None:
        years = {d.year for d in chinese_calendar.constants.holidays}
        _PACKAGE_YEARS = (min(years), max(years))
    return _PACKAGE_YEARS


class UncoveredYearError(WangjianError):
    code = "calendar_year_missing"

    def __init__(self, year: int):
        super().__init__(
            f"{year}年的节假日安排尚未录入，无法计算工作日。请管理员按国务院办公厅当年的节假日安排通知，"
            f"在“工作日历”页面录入，或运行 `wangjian workdays import 文件`（YAML/CSV）导入。",
            f"The holiday arrangement for {year} has not been entered, so working days cannot be counted. "
            f"An administrator must enter the State Council's notice for {year} on the calendar page "
            f"or run `wangjian workdays import FILE` (YAML/CSV).",
            detail={"year": year},
        )
        self.year = year


@dataclass
class Calendar:
    """A snapshot of the calendar: entered days and entered years, on top of the package."""

    entered: dict[dt.date, tuple[bool, str]] = field(default_factory=dict)  # date -> (is working day, name)
    entered_years: set[int] = field(default_factory=set)

    @classmethod
    def load(cls) -> Calendar:
        from wangjian.core.models import CalendarDay, HolidayArrangement

        entered = {
            d: (kind == CalendarDay.Kind.WORKDAY, name)
            for d, kind, name in CalendarDay.objects.values_list("date", "kind", "name")
        }
        years = set(HolidayArrangement.objects.values_list("year", flat=True))
        return cls(entered=entered, entered_years=years)

    def covers(self, year: int) -> bool:
        low, high = package_years()
        return year in self.entered_years or low <= year <= high

    def source(self, day: dt.date) -> str:
        if day in self.entered:
            return "entered"
        low, high = package_years()
        if low <= day.year <= high:
            return "chinese-calendar"
        if day.year in self.entered_years:
            return "entered"
        raise UncoveredYearError(day.year)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.entered:
            return self.entered[day][0]
        low, high = package_years()
        if low <= day.year <= high:
            return chinese_calendar.is_workday(day)
        if day.year in self.entered_years:
            return day.weekday() < 5
        raise UncoveredYearError(day.year)

    def day_name(self, day: dt.date) -> str:
        """The holiday's name (春节, 国庆节 …) or "" for an ordinary day."""
        if day in self.entered:
            return self.entered[day][1]
        low, high = package_years()
        if low <= day.year <= high:
            _on_holiday, holiday = chinese_calendar.get_holiday_detail(day)
            if holiday:
                return _HOLIDAY_NAMES.get(holiday, holiday)
        return ""

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after ``start`` (``start`` not counted); n < 0 counts backwards."""
        return self.explain_add(start, n).result

    def explain_add(self, start: dt.date, n: int) -> Explanation:
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        day = start
        skipped: list[tuple[dt.date, str]] = []
        counted: list[dt.date] = []
        while remaining:
            day += dt.timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
                counted.append(day)
            else:
                skipped.append((day, self.day_name(day) or ("周末" if day.weekday() >= 5 else "")))
        return Explanation(start=start, n=n, result=day, counted=counted, skipped=skipped)

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Count working days d with a < d ≤ b (negative when b is before a)."""
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        day = a
        while day < b:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def year_days(self, year: int) -> list[tuple[dt.date, bool, str]]:
        """Every day of ``year`` with whether it is a working day and its holiday name."""
        if not self.covers(year):
            raise UncoveredYearError(year)
        day = dt.date(year, 1, 1)
        out = []
        while day.year == year:
            out.append((day, self.is_working_day(day), self.day_name(day)))
            day += dt.timedelta(days=1)
        return out


@dataclass
class Explanation:
    """What ``add_working_days`` decided and why: the days it counted and the ones it skipped."""

    start: dt.date
    n: int
    result: dt.date
    counted: list[dt.date]
    skipped: list[tuple[dt.date, str]]

    def skipped_text(self) -> str:
        named = [f"{d:%m-%d}{'(' + name + ')' if name else ''}" for d, name in self.skipped if name != "周末"]
        weekends = sum(1 for _, name in self.skipped if name == "周末")
        parts = []
        if named:
            parts.append("节假日 " + "、".join(named))
        if weekends:
            parts.append(f"周末 {weekends} 天")
        return "；".join(parts) or "无"


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def current() -> Calendar:
    return Calendar.load()


def add_working_days(start: dt.date, n: int, calendar: Calendar | None = None) -> dt.date:
    """The n-th working day after ``start``; ``start`` itself is not counted."""
    return (calendar or current()).add_working_days(start, n)


def working_days_between(a: dt.date, b: dt.date, calendar: Calendar | None = None) -> int:
    """Working days d with a < d ≤ b."""
    return (calendar or current()).working_days_between(a, b)


def is_working_day(day: dt.date, calendar: Calendar | None = None) -> bool:
    return (calendar or current()).is_working_day(day)
