"""Due days on the 28th or the last working day before it; reminders N working days before; late units."""

import datetime as dt

import pytest

from tests.clues.conftest import at
from wangjian.campaigns.models import Period, Reminder, UnitReport
from wangjian.campaigns.services import periods, plan, tables
from wangjian.platform.inbox.models import Message

D = dt.date


@pytest.mark.parametrize(
    ("year", "month", "due", "why"),
    [
        (2025, 10, D(2025, 10, 28), "工作日"),  # a Tuesday
        (2025, 6, D(2025, 6, 27), "周末"),  # the 28th a Saturday: Friday the 27th
        (2025, 1, D(2025, 1, 27), "春节"),  # the 28th in the Spring Festival holiday: Monday the 27th
        (2025, 9, D(2025, 9, 28), "工作日"),  # a Sunday, but a make-up working day (调休上班) before 国庆
        (2024, 12, D(2024, 12, 27), "周末"),
    ],
)
def test_the_due_day_is_the_28th_or_the_last_working_day_before_it(db, year, month, due, why):
    day, basis = periods.due_day(year, month)
    assert day == due
    assert why in basis


def test_a_campaign_has_a_period_per_month_and_the_final_summary(campaign):
    months = list(campaign.periods.filter(kind="month").order_by("start"))
    assert [(p.start, p.end, p.due) for p in months] == [
        (D(2025, 9, 1), D(2025, 9, 30), D(2025, 9, 28)),
        (D(2025, 10, 1), D(2025, 10, 31), D(2025, 10, 28)),
        (D(2025, 11, 1), D(2025, 11, 30), D(2025, 11, 28)),
    ]
    final = campaign.periods.get(kind="final")
    assert final.due == D(2025, 12, 1)  # a Monday
    assert [p.name for p in campaign.phases.all()] == ["动员部署", "集中联合检查", "督查", "总结"]
    phases = list(campaign.phases.all())
    assert phases[0].end > phases[1].start  # they overlap


def test_reminders_go_n_working_days_before_the_due_day_once_each(campaign, demo):
    october = campaign.periods.get(kind="month", start=D(2025, 10, 1))
    # the 28th (Tue): 3 working days before is Thursday the 23rd (24th, 27th, 28th still to come)
    assert periods.reminders_send(today=D(2025, 10, 22), now=at("2025-10-22", "08:00")) == 0
    assert periods.reminders_send(today=D(2025, 10, 23), now=at("2025-10-23", "08:00")) == 2
    assert periods.reminders_send(today=D(2025, 10, 23), now=at("2025-10-23", "09:00")) == 0  # idempotent
    assert set(Reminder.objects.filter(period=october).values_list("days_before", flat=True)) == {3}
    assert periods.reminders_send(today=D(2025, 10, 25), now=at("2025-10-25", "08:00")) == 0  # a Saturday
    station_officer = demo.users["station_officer"]
    assert Message.objects.filter(user=station_officer, title__contains="2025年10月统计表").count() == 1
    # the station submits; the next day only the department is reminded
    unit = campaign.units.get(station__isnull=False)
    report = tables.report_for(period=october, unit=unit)
    tables.report_save(report=report, user=station_officer, values=_entered(report), text="已开展检查")
    tables.report_submit(report=report, user=station_officer, now=at("2025-10-23", "15:00"))
    assert periods.reminders_send(today=D(2025, 10, 24), now=at("2025-10-24", "08:00")) == 1
    assert not Reminder.objects.filter(period=october, unit=unit, days_before=2).exists()


def test_a_unit_without_its_table_after_the_due_day_is_late_and_the_office_told(campaign, demo):
    october = campaign.periods.get(kind="month", start=D(2025, 10, 1))
    station_unit = campaign.units.get(station__isnull=False)
    report = tables.report_for(period=october, unit=station_unit)
    user = demo.users["station_officer"]
    tables.report_save(report=report, user=user, values=_entered(report), text="已开展检查")
    tables.report_submit(report=report, user=user, now=at("2025-10-28", "17:00"))
    periods.late_mark(
        today=D(2025, 10, 28), now=at("2025-10-28", "23:00")
    )  # September's units, not October's
    assert not UnitReport.objects.filter(period=october, late=True).exists()  # the due day itself is in time
    marked = periods.late_mark(today=D(2025, 10, 29), now=at("2025-10-29", "01:00"))
    late = UnitReport.objects.filter(period=october, late=True)
    assert [str(r.unit) for r in late] == ["广告监管股"]
    assert marked == 1 and not UnitReport.objects.get(pk=report.pk).late
    office = demo.users["office"]
    told = Message.objects.get(user=office, title__contains="2025年10月统计表有1个单位逾期")
    assert "广告监管股" in told.body
    assert periods.late_mark(today=D(2025, 10, 30), now=at("2025-10-30", "01:00")) == 0  # once
    # a table submitted after the due day is late too
    ad_report = late.get()
    ad_user = demo.users["ad_officer"]
    tables.report_save(report=ad_report, user=ad_user, values=_entered(ad_report), text="补报")
    tables.report_submit(report=ad_report, user=ad_user, now=at("2025-10-30", "10:00"))
    ad_report.refresh_from_db()
    assert ad_report.late and ad_report.state == "submitted"


def test_a_period_follows_the_campaigns_due_day(campaign):
    plan.campaign_update(user=campaign.bureau.users.get(username="office"), campaign=campaign, due_day=20)
    assert Period.objects.get(campaign=campaign, kind="month", start=D(2025, 9, 1)).due == D(
        2025, 9, 19
    )  # Sat 20th


def _entered(report) -> dict:
    return {c.column.key: "1" for c in tables.cells(report) if c.computed is None}
