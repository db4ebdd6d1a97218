"""Reporting periods, their due days, the reminders before them and the late units after them.

A month's table is due on the campaign's day (the 28th by default); when that day is not a working day,
on the last working day before it (the platform's calendar: ``core.workdays``). The final summary is due
on its own day by the same rule. Reminders go to each unit that has not submitted, on each working day
from ``reminder_days`` working days before the due day to the due day itself, once per unit, period and
count (and again before a due day that was moved); the day after the due day, a unit still without its
table is marked late and the office told. The final period's messages speak of the 工作总结 and its day.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from wangjian.campaigns import selectors
from wangjian.campaigns.models import (
    Campaign,
    CampaignUnit,
    Period,
    PeriodKind,
    Reminder,
    ReportState,
    UnitReport,
)
from wangjian.core import workdays
from wangjian.platform.inbox.models import MessageKind
from wangjian.platform.inbox.services import notify


def due_day(
    year: int, month: int, day: int = 28, calendar: workdays.Calendar | None = None
) -> tuple[dt.date, str]:
    """The due day of a month's table and its basis: ``day`` of the month, else the last working day before it."""
    calendar = calendar or workdays.current()
    nominal = dt.date(year, month, min(day, month_calendar.monthrange(year, month)[1]))
    return working_day_on_or_before(nominal, calendar)


def working_day_on_or_before(
    nominal: dt.date, calendar: workdays.Calendar | None = None
) -> tuple[dt.date, str]:
    calendar = calendar or workdays.current()
    try:
        day = nominal
        while not calendar.is_working_day(day):
            day -= dt.timedelta(days=1)
    except workdays.UncoveredYearError:
        return nominal, f"{nominal:%Y-%m-%d}（{nominal.year}年节假日安排未录入，暂按该日）"
    if day == nominal:
        return day, f"{nominal:%Y-%m-%d}，工作日"
    why = calendar.day_name(nominal) or ("周末" if nominal.weekday() >= 5 else "非工作日")
    return day, f"{nominal:%Y-%m-%d}为{why}，提前至此前最后一个工作日 {day:%Y-%m-%d}"


def _months(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    out, (y, m) = [], (start.year, start.month)
    while (y, m) <= (end.year, end.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _wanted(campaign: Campaign) -> tuple[list[tuple[int, int]], bool]:
    """The months the campaign's dates span, and whether it has a final summary (a due date for it)."""
    return _months(campaign.start, campaign.end), campaign.summary_due is not None


def periods_dropped(campaign: Campaign) -> list[Period]:
    """The saved periods the campaign's dates and summary day (as they stand, saved or not) no longer have:
    a month outside its span, the final summary without a due date. A month is the same period whatever its
    first and last day (the campaign starting on the 5th instead of the 1st keeps September's tables)."""
    months, final = _wanted(campaign)
    kept_month: set[tuple[int, int]] = set()
    kept_final = False
    out = []
    for period in Period.objects.filter(campaign=campaign).order_by("start", "id"):
        if period.kind == PeriodKind.FINAL:
            if final and not kept_final:
                kept_final = True
                continue
        else:
            key = (period.start.year, period.start.month)
            if key in months and key not in kept_month:
                kept_month.add(key)
                continue
        out.append(period)
    return out


def periods_blocking(campaign: Campaign) -> list[Period]:
    """Of the periods a change would drop, those with a submitted table: a change that drops them is refused."""
    dropped = [p.pk for p in periods_dropped(campaign)]
    return list(
        Period.objects.filter(pk__in=dropped, reports__state=ReportState.SUBMITTED)
        .distinct()
        .order_by("start")
    )


def _fit(period: Period, start: dt.date, end: dt.date, due: dt.date, basis: str) -> None:
    """A kept period takes the plan's days. One not yet judged takes the new due day too, and its reminders
    start again before it; one whose late units were marked keeps the day they were judged against."""
    before = (period.start, period.end, period.due, period.due_basis)
    period.start, period.end = start, end
    if period.late_marked_on is None:
        if period.due != due:
            Reminder.objects.filter(period=period).delete()
        period.due, period.due_basis = due, basis[:300]
    if (period.start, period.end, period.due, period.due_basis) != before:
        period.save()


def periods_make(*, campaign: Campaign) -> list[Period]:
    """The campaign's periods: one per month of its span, and the final summary when it has a due date.

    Made again whenever the plan changes: a month still in the span keeps its period (and its tables), its
    days and due day following the plan; a month no longer in it goes with its drafts, unless a unit has
    submitted a table for it (``campaign_update`` refuses such a change; a period kept so is never lost)."""
    calendar = workdays.current()
    dropped = {p.pk for p in periods_dropped(campaign)}
    existing = [
        p for p in Period.objects.filter(campaign=campaign).order_by("start", "id") if p.pk not in dropped
    ]
    months = {(p.start.year, p.start.month): p for p in existing if p.kind == PeriodKind.MONTH}
    final = next((p for p in existing if p.kind == PeriodKind.FINAL), None)
    made = []
    with transaction.atomic():
        Period.objects.filter(pk__in=dropped).exclude(reports__state=ReportState.SUBMITTED).delete()
        for y, m in _months(campaign.start, campaign.end):
            start = max(dt.date(y, m, 1), campaign.start)
            end = min(dt.date(y, m, month_calendar.monthrange(y, m)[1]), campaign.end)
            due, basis = due_day(y, m, campaign.due_day, calendar)
            period = months.get((y, m))
            if period is None:
                period = Period.objects.create(
                    campaign=campaign,
                    kind=PeriodKind.MONTH,
                    start=start,
                    end=end,
                    due=due,
                    due_basis=basis[:300],
                )
            else:
                _fit(period, start, end, due, basis)
            made.append(period)
        if campaign.summary_due:
            due, basis = working_day_on_or_before(campaign.summary_due, calendar)
            if final is None:
                final = Period.objects.create(
                    campaign=campaign,
                    kind=PeriodKind.FINAL,
                    start=campaign.start,
                    end=campaign.end,
                    due=due,
                    due_basis=basis[:300],
                )
            else:
                _fit(final, campaign.start, campaign.end, due, basis)
            made.append(final)
    return made


def unsubmitted_units(period: Period) -> list[CampaignUnit]:
    done = set(
        UnitReport.objects.filter(period=period, state=ReportState.SUBMITTED).values_list(
            "unit_id", flat=True
        )
    )
    return [
        u for u in period.campaign.units.select_related("department", "station", "bureau") if u.pk not in done
    ]


def _tell_unit(
    unit: CampaignUnit,
    *,
    key: str,
    kind: str,
    title: str,
    body: str,
    url: str,
    now: dt.datetime,
    urgent: bool = False,
) -> list:
    units = [u for u in (unit.department, unit.station) if u is not None]
    return notify(
        key=key,
        users=selectors.unit_users(unit),
        units=units,
        kind=kind,
        title=title,
        body=body,
        url=url,
        urgent=urgent,
        now=now,
    )


def _what(period: Period) -> str:
    """What the unit owes: a month's table (2025年10月统计表), or the campaign's final summary (工作总结)."""
    return "工作总结" if period.kind == PeriodKind.FINAL else f"{period.label}统计表"


def _due_word(period: Period) -> str:
    return "总结报送日" if period.kind == PeriodKind.FINAL else "期限"


def reminders_send(*, today: dt.date, now: dt.datetime | None = None) -> int:
    """Remind each unit that has not submitted, on each working day within the campaign's count before the
    due day (the due day included); idempotent: once per unit, period and count of working days."""
    now = now or timezone.now()
    calendar = workdays.current()
    try:
        if not calendar.is_working_day(today):
            return 0
    except workdays.UncoveredYearError:
        return 0
    sent = 0
    horizon = today + dt.timedelta(days=62)
    for period in Period.objects.filter(due__gte=today, due__lte=horizon).select_related("campaign"):
        campaign = period.campaign
        left = calendar.working_days_between(today, period.due)
        if left > campaign.reminder_days:
            continue
        for unit in unsubmitted_units(period):
            try:
                with transaction.atomic():
                    Reminder.objects.create(period=period, unit=unit, days_before=left, sent_on=today)
            except IntegrityError:
                continue  # this count's reminder went already
            when = "今天" if left == 0 else f"还有{left}个工作日"
            _tell_unit(
                unit,
                key=f"campaign-period{period.pk}:unit{unit.pk}:remind{left}:{period.due}",
                kind=MessageKind.REMIND,
                title=f"{campaign.title}：{_what(period)}请于 {period.due:%Y-%m-%d} 前报送（{when}）",
                body=period.due_basis,
                url=period.get_absolute_url(),
                now=now,
            )
            sent += 1
    return sent


def late_mark(*, today: dt.date, now: dt.datetime | None = None) -> int:
    """After the due day, each unit without a submitted table is marked late; the unit and the office are told."""
    now = now or timezone.now()
    marked = 0
    for period in Period.objects.filter(due__lt=today, late_marked_on__isnull=True).select_related(
        "campaign"
    ):
        late = unsubmitted_units(period)
        for unit in late:
            report, _ = UnitReport.objects.get_or_create(period=period, unit=unit)
            if not report.late:
                report.late = True
                report.save(update_fields=["late"])
            _tell_unit(
                unit,
                key=f"campaign-period{period.pk}:unit{unit.pk}:late",
                kind=MessageKind.OVERDUE,
                title=f"{period.campaign.title}：{_what(period)}逾期未报送（{_due_word(period)} {period.due:%Y-%m-%d}）",
                body="",
                url=report.get_absolute_url(),
                now=now,
                urgent=True,
            )
            marked += 1
        if late:
            names = "、".join(str(u) for u in late)
            notify(
                key=f"campaign-period{period.pk}:late-office",
                users=selectors.office_users(period.campaign),
                kind=MessageKind.OVERDUE,
                title=f"{period.campaign.title}：{_what(period)}有{len(late)}个单位逾期未报送"
                f"（{_due_word(period)} {period.due:%Y-%m-%d}）",
                body=names,
                url=period.get_absolute_url(),
                now=now,
            )
        period.late_marked_on = today
        period.save(update_fields=["late_marked_on"])
    return marked


def daily(*, today: dt.date | None = None, now: dt.datetime | None = None) -> dict:
    """The daily job: reminders before the due days, late units after them."""
    now = now or timezone.now()
    today = today or timezone.localtime(now).date()
    # due days set before their year's holiday arrangement was entered follow it once it is
    for campaign in Campaign.objects.filter(periods__due_basis__contains="未录入").distinct():
        periods_make(campaign=campaign)
    return {"reminded": reminders_send(today=today, now=now), "late": late_mark(today=today, now=now)}
