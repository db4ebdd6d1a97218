"""The shape of the demo's year: its months, how busy each is, the days and moments records fall on, and who
acts — shared by the findings, clues, cases and complaints the history writes.

Everything counts from the demo's today (``timezone.localdate()``, as every demo loader takes it): the
history covers the thirteen months before today's month and today's month up to yesterday, so the
dashboards' default period (this year), the last twelve months and the 通报's 同比 are all full, next
year as this.
Nothing happens today or later: the history is what was done before the demo's stories.
"""

from __future__ import annotations

import bisect
import calendar as pycal
import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from wangjian.bulletins.demo_history import texts
from wangjian.core import workdays
from wangjian.core.clocks import compute
from wangjian.org.choices import DepartmentKind, Role
from wangjian.org.models import Bureau, Department, Station, User
from wangjian.platform.clocks.catalogue import get as clock_get
from wangjian.platform.clocks.services import setting_for

# How busy a month is, against an ordinary month: the Spring Festival is quiet; 3·15 brings complaints;
# 618 and 双十一 (with 双十二 after it) bring promotions, findings and complaints.
SEASON = {
    1: 0.85,
    2: 0.6,
    3: 1.1,
    4: 0.9,
    5: 1.0,
    6: 1.35,
    7: 0.95,
    8: 0.9,
    9: 1.0,
    10: 1.05,
    11: 1.5,
    12: 1.2,
}
PROMOTION_MONTHS = (6, 11, 12)
REASON = "演示：一年的历史数据（统计分析的月度趋势）"
MONTHS_BACK = 13


@dataclass(frozen=True)
class Month:
    start: dt.date
    end: dt.date  # the month's last day, or yesterday in today's month
    share: float  # the part of the month the history covers

    @property
    def factor(self) -> float:
        return SEASON[self.start.month]

    @property
    def promotion(self) -> bool:
        return self.start.month in PROMOTION_MONTHS


def history_months(today: dt.date) -> list[Month]:
    """The thirteen months before today's month — a year back from last month, which the 通报 compares with
    the same month of the year before (同比) — and today's month up to yesterday (when it has begun)."""
    out = []
    total = today.year * 12 + today.month - 1
    yesterday = today - dt.timedelta(days=1)
    for back in range(MONTHS_BACK, -1, -1):
        year, month = divmod(total - back, 12)
        start = dt.date(year, month + 1, 1)
        last = dt.date(start.year, start.month, pycal.monthrange(start.year, start.month)[1])
        end = min(last, yesterday)
        if end >= start:
            out.append(Month(start, end, ((end - start).days + 1) / last.day))
    return out


@dataclass
class Party:
    """A business a record is about: from the registry (with its shop) or, for 绩溪县, named here."""

    name: str
    uscc: str
    region: str
    label: str  # the shop as people name it
    platform: str = ""
    entity: object = None
    presence: object = None

    @property
    def presence_kind(self) -> str:
        return getattr(self.presence, "kind", "") or ("platform_shop" if self.platform else "website")


@dataclass
class Lead:
    """A clue to write: where it came from, about whom, when it was found and when it reached the loop."""

    bureau: Bureau
    source_kind: str
    source_ref: str
    domain: str
    facts: str
    party: Party
    found_on: dt.date
    taken_at: dt.datetime  # intake and routing
    finder: User | None
    title: str = ""
    finding: object = None  # the finding it was made from
    report: object = None  # the 举报 it was made from


@dataclass
class Context:
    """What the history's writers share: the demo's organisation and today, the months, the seeded choices
    (the same month of the demo draws the same year), the calendar's working days, the clocks' deadlines
    as each bureau runs them, and the staff who act."""

    org: object  # org.demo.DemoOrg
    today: dt.date
    rng: random.Random
    months: list[Month]
    calendar: workdays.Calendar
    _working: list[dt.date] = field(default_factory=list)
    _deadlines: dict = field(default_factory=dict)
    _settings: dict = field(default_factory=dict)
    _users: dict = field(default_factory=dict)

    @classmethod
    def make(cls, org, today: dt.date) -> Context:
        months = history_months(today)
        ctx = cls(
            org, today, random.Random(f"wangjian-demo-history-{today:%Y-%m}"), months, workdays.current()
        )
        first = months[0].start - dt.timedelta(days=40)
        every = (first + dt.timedelta(days=n) for n in range((today + dt.timedelta(days=200) - first).days))
        ctx._working = [d for d in every if ctx.working(d)]
        return ctx

    def working(self, day: dt.date) -> bool:
        """A working day by the calendar; after today, in a year whose holidays are not entered yet, by the
        weekdays (as a provisional deadline counts them). The history itself needs its own years entered."""
        if day < self.today or self.calendar.covers(day.year):
            return self.calendar.is_working_day(day)
        return day.weekday() < 5

    @property
    def yesterday(self) -> dt.date:
        return self.today - dt.timedelta(days=1)

    # ------------------------------------------------------------ days and moments

    def wd(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after ``day`` (``day`` not counted), as the calendar counts them."""
        i = bisect.bisect_right(self._working, day)
        return self._working[i + n - 1] if n > 0 else day

    def workday_from(self, day: dt.date) -> dt.date:
        """``day`` if it is a working day, else the next one."""
        return self._working[bisect.bisect_left(self._working, day)]

    def working_between(self, a: dt.date, b: dt.date) -> int:
        """Working days d with a < d ≤ b."""
        return max(0, bisect.bisect_right(self._working, b) - bisect.bisect_right(self._working, a))

    def working_days(self, month: Month) -> list[dt.date]:
        lo = bisect.bisect_left(self._working, month.start)
        hi = bisect.bisect_right(self._working, month.end)
        return self._working[lo:hi]

    def days(self, month: Month) -> list[dt.date]:
        return [month.start + dt.timedelta(days=n) for n in range((month.end - month.start).days + 1)]

    def at(self, day: dt.date, hour: int, minute: int | None = None) -> dt.datetime:
        minute = self.rng.randrange(0, 60) if minute is None else minute
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))

    def count(self, base: float, month: Month, extra: float = 1.0) -> int:
        """How many records of a kind a month holds: ``base`` in an ordinary full month, by its season."""
        mean = base * month.factor * month.share * extra * self.rng.uniform(0.8, 1.25)
        whole = int(mean)
        return whole + (1 if self.rng.random() < mean - whole else 0)

    def money(self, low: int, high: int, step: int = 100) -> Decimal:
        return Decimal(self.rng.randrange(low // step, high // step + 1) * step)

    # ------------------------------------------------------------ deadlines (the clocks' own bases)

    def deadline(self, bureau: Bureau, clock: str, start: dt.date, variant: str = ""):
        """``(due, basis, provisional)`` of ``clock`` from ``start``, as ``deadline_for`` counts it (the bureau's
        setting, read once per clock, on the calendar read once)."""
        rule = (bureau.pk, clock, variant)
        if rule not in self._settings:
            self._settings[rule] = setting_for(bureau=bureau, clock=clock, variant=variant).period
        period = self._settings[rule]
        key = (clock, period.length, period.unit, period.basis, start)
        if key not in self._deadlines:
            found = compute(start=start, period=period, calendar=self.calendar)
            self._deadlines[key] = (found.due, found.basis_text(clock_get(clock).starts), found.provisional)
        return self._deadlines[key]

    # ------------------------------------------------------------ people

    def unit_user(self, unit: Department | Station) -> User:
        """The officer who acts for ``unit``: one of its staff, or the demo's 承办人 of the unit (as the clue
        demo makes them, ``demo_<department|station>_<id>``)."""
        field_name = "station" if isinstance(unit, Station) else "department"
        key = (field_name, unit.pk)
        if key not in self._users:
            user = (
                User.objects.filter(
                    **{field_name: unit},
                    is_active=True,
                    role__in=(Role.OFFICER, Role.STATION_OFFICER, Role.DEPARTMENT_HEAD),
                )
                .order_by("id")
                .first()
            )
            user = user or User.objects.filter(username=f"demo_{field_name}_{unit.pk}").first()
            if user is None:
                role = Role.STATION_OFFICER if field_name == "station" else Role.OFFICER
                user = self._staff(
                    f"demo_{field_name}_{unit.pk}", f"{unit.name[:6]}承办人", unit.bureau, role
                )
                setattr(user, field_name, unit)
                user.save()
            self._users[key] = user
        return self._users[key]

    def _staff(self, username: str, name: str, bureau: Bureau, role: str) -> User:
        """A demo member of staff (not saved yet), with the demo's password as every demo user has it: its
        hash is the office's (one password, hashed once — ``user_create`` would hash it again each time)."""
        return User(
            username=username,
            name=name,
            bureau=bureau,
            role=role,
            password=self.org.users["office"].password,
            must_change_password=False,
        )

    def certified(self, user: User) -> User:
        """``user`` holding a 行政执法证 (程序规定 art. 20), given one as the organisation demo gives them."""
        if not user.enforcement_certificate:
            user.enforcement_certificate = f"皖{user.bureau.code}{90000 + user.pk:05d}"
            User.objects.filter(pk=user.pk).update(enforcement_certificate=user.enforcement_certificate)
        return user

    def head(self, bureau: Bureau) -> User:
        """The bureau's head (负责人), who approves 立案 and signs decisions; 绩溪县's is made for the demo."""
        key = ("head", bureau.pk)
        if key not in self._users:
            user = (
                User.objects.filter(bureau=bureau, is_bureau_head=True, is_active=True).order_by("id").first()
            )
            if user is None:
                user = self._staff(
                    f"demo_head_{bureau.code}", f"{bureau.name[:2]}局长", bureau, Role.LEADING_GROUP
                )
                user.department = bureau.departments.filter(kind=DepartmentKind.GENERAL_OFFICE).first()
                user.is_bureau_head = True
                user.save()
            self._users[key] = user
        return self._users[key]

    def registrar(self, bureau: Bureau) -> User:
        """Who registers and routes in the bureau: the office (李主任 in 旌德县), else its consumer unit."""
        office = (
            User.objects.filter(bureau=bureau, role=Role.OFFICE_ADMIN, is_active=True).order_by("id").first()
        )
        if office is not None:
            return office
        return self.unit_user(bureau.departments.get(kind=DepartmentKind.CONSUMER))

    # ------------------------------------------------------------ choosing

    def pick(self, weights: dict):
        keys = list(weights)
        return self.rng.choices(keys, weights=[weights[k] for k in keys])[0]

    def person(self, bureau: Bureau) -> tuple[str, str, str]:
        """A consumer's name, phone and address in the bureau's county (personal data the app masks)."""
        name = self.rng.choice(texts.SURNAMES) + self.rng.choice(texts.GIVEN)
        phone = f"139{self.rng.randrange(10**8):08d}"
        address = f"安徽省宣城市{bureau.name[:3]}{self.rng.choice(texts.ROADS)}{self.rng.randrange(1, 200)}号"
        return name, phone, address
