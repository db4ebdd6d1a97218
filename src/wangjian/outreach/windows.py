"""The half-yearly seller-identity reports of a platform: the windows, and whether each report came on time.

网络交易监督管理办法 (总局令第37号, 2021) art. 25 has the platform operator report its sellers' identity
information to the market regulator every January and July; art. 24 has it verify and update that information
at least every six months (电子商务法 art. 28 is the duty to report; arts. 24 and 25 of the measures as the
project's DOMAIN.md lists them — 须核实 against the published text). The windows are the months of January and
July. A report counts for the window whose span — its month and the five months after, until the next window
opens — holds the day it arrived: within the month it is on time, after it late; a window that ended with
nothing is missing. Pure functions of the dates given: nothing here reads today's clock.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from wangjian.core.clocks import add_months
from wangjian.outreach.choices import ReportState

BASIS = (
    "《中华人民共和国电子商务法》第二十八条；《网络交易监督管理办法》（总局令第37号）第二十五条：网络交易平台经营者"
    "应当于每年1月和7月报送平台内经营者的身份信息（条文序号须核实）"
)
REVERIFY_BASIS = (
    "《网络交易监督管理办法》第二十四条：至少每六个月核验更新一次平台内经营者身份信息（条文序号须核实）"
)
REPORT_MONTHS = (1, 7)
REVERIFY_MONTHS = 6


@dataclass(frozen=True)
class Window:
    start: dt.date  # 1 January or 1 July
    end: dt.date  # 31 January or 31 July
    next_start: dt.date  # the next window's first day

    @property
    def label(self) -> str:
        return f"{self.start.year}年{self.start.month}月"


def window_of(year: int, month: int) -> Window:
    start = dt.date(year, month, 1)
    end = dt.date(year, month, calendar.monthrange(year, month)[1])
    return Window(start, end, add_months(start, 6))


def windows(first: dt.date, last: dt.date) -> list[Window]:
    """The January and July windows from the first not over by ``first`` (a platform registered in December owes
    January's report, not July's) to the last one opened by ``last``."""
    out: list[Window] = []
    year = first.year - 1
    while year <= last.year:
        for month in REPORT_MONTHS:
            w = window_of(year, month)
            if w.end >= first and w.start <= last:
                out.append(w)
        year += 1
    return out


@dataclass(frozen=True)
class Arrival:
    on: dt.date
    via: str  # ReportVia
    label: str
    url: str = ""


@dataclass(frozen=True)
class ReportRow:
    window: Window
    state: str  # ReportState
    arrival: Arrival | None
    days_late: int = 0

    @property
    def state_label(self) -> str:
        return str(ReportState(self.state).label)

    @property
    def overdue(self) -> bool:
        return self.state in (ReportState.LATE, ReportState.MISSING)


def report_schedule(arrivals: list[Arrival], *, first: dt.date, today: dt.date) -> list[ReportRow]:
    """Each window from ``first`` to ``today`` with its report: on time, late (days after the month), missing,
    or open while the month runs."""
    rows = []
    ordered = sorted(arrivals, key=lambda a: a.on)
    for w in windows(first, today):
        got = next((a for a in ordered if w.start <= a.on < w.next_start and a.on <= today), None)
        if got is not None and got.on <= w.end:
            rows.append(ReportRow(w, ReportState.ON_TIME, got))
        elif got is not None:
            rows.append(ReportRow(w, ReportState.LATE, got, (got.on - w.end).days))
        elif today <= w.end:
            rows.append(ReportRow(w, ReportState.OPEN, None))
        else:
            rows.append(ReportRow(w, ReportState.MISSING, None, (today - w.end).days))
    return rows


@dataclass(frozen=True)
class ReverifyState:
    last: dt.date | None
    due: dt.date | None
    overdue: bool
    text: str


def reverify_state(last: dt.date | None, *, today: dt.date) -> ReverifyState:
    """More than six months since the last declared re-verification (or none declared): flagged."""
    if last is None:
        return ReverifyState(None, None, True, "平台未申报核验更新经营者身份信息")
    due = add_months(last, REVERIFY_MONTHS)
    if today > due:
        return ReverifyState(
            last, due, True, f"上次核验 {last:%Y-%m-%d}，已超过六个月（应于 {due:%Y-%m-%d} 前再次核验）"
        )
    return ReverifyState(last, due, False, f"上次核验 {last:%Y-%m-%d}，下次应于 {due:%Y-%m-%d} 前")
