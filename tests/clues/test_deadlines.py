"""Deadlines in working days, each with its basis (旌德机制二(四): 7 working days after assignment)."""

import datetime as dt

from wangjian.clues import services
from wangjian.org.choices import Domain
from wangjian.platform.clocks.services import policy_set

from .conftest import at


def test_feedback_due_seven_working_days_after_assignment_across_national_day(demo, intake):
    clue = intake(now=at("2025-09-26")).clue  # a Friday; 09-28 is a make-up working day
    assert clue.feedback_due == dt.date(2025, 10, 13)
    assert "旌市场办〔2022〕116号" in clue.feedback_basis
    assert "7个工作日" in clue.feedback_basis
    assert "国庆节" in clue.feedback_basis


def test_feedback_on_an_ordinary_week(demo, intake):
    clue = intake(now=at("2025-11-03")).clue  # Monday
    assert clue.feedback_due == dt.date(2025, 11, 12)


def test_policy_per_source_kind_changes_the_deadline_and_shows_its_basis(demo, intake):
    policy_set(
        bureau=demo.county,
        clock="clue.feedback",
        variant="complaint",
        length=5,
        basis="本局12315线索规定：{n}个工作日内反馈",
        user=demo.users["office"],
    )
    complaint = intake(source_kind="complaint", entity_uscc="X1", now=at("2025-11-03")).clue
    finding = intake(source_kind="monitoring", entity_uscc="X2", now=at("2025-11-03")).clue
    assert complaint.feedback_due == dt.date(2025, 11, 10)
    assert complaint.feedback_basis.startswith("本局12315线索规定：5个工作日内反馈")
    assert finding.feedback_due == dt.date(2025, 11, 12)


def test_disposal_deadline_runs_from_feedback(demo, intake, unit_user):
    clue = intake(now=at("2025-11-03")).clue
    officer = unit_user(clue)
    services.clue_accept(clue=clue, user=officer, now=at("2025-11-04"))
    services.clue_feedback(clue=clue, user=officer, result="true", actions="已约谈", now=at("2025-11-05"))
    clue.refresh_from_db()
    assert "处置结果" in clue.disposal_basis and "第15个工作日为 2025-11-26" in clue.disposal_basis
    # ... but no later than the filing decision: 15 working days from discovery (程序规定 art. 18)
    assert clue.filing_due == dt.date(2025, 11, 24)
    assert clue.disposal_due == dt.date(2025, 11, 24)
    assert "不得晚于 2025-11-24" in clue.disposal_basis and "第十八条" in clue.disposal_basis


def test_an_unpublished_year_gives_a_provisional_deadline_that_is_never_shown_as_final(demo, intake, login):
    clue = intake(domain=Domain.ONLINE_PRICE, now=at("2026-12-28")).clue  # due in 2027, not published
    assert clue.state == "assigned"  # nothing waits for the calendar
    assert clue.feedback_due == dt.date(2027, 1, 6) and clue.feedback_provisional  # weekends only
    assert "【暂定】2027年节假日安排尚未录入" in clue.feedback_basis
    page = login(demo.users["office"]).get(clue.get_absolute_url()).content.decode()
    assert 'id="feedback-provisional"' in page


def test_a_provisional_deadline_is_never_called_overdue(demo, intake):
    clue = intake(domain=Domain.ONLINE_PRICE, now=at("2026-12-28")).clue
    report = services.clues_remind(now=at("2027-01-08"))
    clue.refresh_from_db()
    assert not clue.feedback_overdue and report.overdue == []
    assert any("暂定" in line for line in report.errors)


def test_a_provisional_deadline_is_computed_again_once_the_year_is_entered(demo, intake):
    from wangjian.core.models import CalendarDay, HolidayArrangement

    clue = intake(domain=Domain.ONLINE_PRICE, now=at("2026-12-28")).clue
    assert clue.feedback_provisional
    arrangement = HolidayArrangement.objects.create(
        year=2027, notice="国务院办公厅关于2027年部分节假日安排的通知"
    )
    CalendarDay.objects.create(arrangement=arrangement, date=dt.date(2027, 1, 1), kind="holiday", name="元旦")
    services.clues_remind(now=at("2026-12-29"))
    clue.refresh_from_db()
    assert clue.feedback_due == dt.date(2027, 1, 7) and not clue.feedback_provisional
    assert "元旦" in clue.feedback_basis and "暂定" not in clue.feedback_basis


def test_the_reminder_job_is_scheduled_every_five_minutes():
    from wangjian.core import schedule

    jobs = schedule.collect()
    assert jobs["followups-run"] == {"task": "wangjian.platform.tasks.followups_run", "every": 300}
    assert "clues-remind" not in jobs  # the clues' duties are followed up by the platform's job


def test_feedback_deadline_is_always_the_seventh_working_day_after_assignment(db):
    """For any assignment day of 2024–2026: the due day is a working day, and exactly 7 working days follow it."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from wangjian.core import workdays
    from wangjian.org.models import Bureau

    bureau = Bureau.objects.create(name="测试县市场监督管理局", code="349999", level="county")
    calendar = workdays.current()

    @settings(max_examples=60, deadline=None)
    @given(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 12, 15)))
    def check(day):
        deadline = services.deadline_feedback(bureau=bureau, source_kind="monitoring", assigned_on=day)
        assert calendar.is_working_day(deadline.due)
        assert calendar.working_days_between(day, deadline.due) == 7
        assert calendar.working_days_between(day, deadline.due - dt.timedelta(days=1)) == 6
        assert f"{day:%Y-%m-%d}分派" in deadline.basis

    check()
