"""The leading group's year in 2025 (a published calendar year), with fixed moments in Beijing time.

常州's rules: the 纪要's decisions are carried out by the units and followed up (督办) by the office; each
member unit's yearly summary reaches the office by the end of November (30 November 2025 is a Sunday).
"""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from tests.clues.conftest import at
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.leadership import services
from wangjian.leadership.models import MeetingKind, Scoring
from wangjian.org.choices import DepartmentKind as K
from wangjian.platform import statistics
from wangjian.platform.inbox.models import Message
from wangjian.platform.numbering.models import IssuedNumber
from wangjian.platform.workitems.models import Escalation, EscalationLevel, WorkItem


def _meeting(demo, users, held=dt.date(2025, 9, 1)):
    return services.meeting_create(
        bureau=demo.county,
        kind=MeetingKind.PLENARY,
        title="2025年领导小组全体成员会议",
        held_on=held,
        chair=users["leader"],
        attendees=[users["leader"], users["office"]],
        summary="会议议定事项如下。",
        user=users["office"],
    )


def test_decisions_become_work_items_with_owners_and_deadlines_when_the_minutes_are_issued(
    demo, users, units
):
    meeting = _meeting(demo, users)
    services.decision_add(
        meeting=meeting,
        text="开展广告专项监测",
        due=dt.date(2025, 9, 30),
        department=units[K.ADVERTISING],
        user=users["office"],
    )
    services.decision_add(
        meeting=meeting,
        text="辖区网店建档",
        due=dt.date(2025, 10, 15),
        station=units["station"],
        user=users["office"],
    )
    assert not WorkItem.objects.filter(kind=services.DECISION_KIND).exists()  # a draft hands nothing out
    services.minutes_issue(meeting=meeting, user=users["office"], now=at("2025-09-02", "16:00"))
    meeting.refresh_from_db()
    assert meeting.summary_number.startswith("旌市监网监纪〔2025〕") and meeting.summary_number.endswith(
        "1号"
    )
    first, second = meeting.decisions.order_by("seq")
    assert first.work_item.kind == "leadership.decision"
    assert (first.work_item.department, first.work_item.due) == (units[K.ADVERTISING], dt.date(2025, 9, 30))
    assert (second.work_item.station, second.work_item.due) == (units["station"], dt.date(2025, 10, 15))
    assert first.work_item.reference == f"{meeting.summary_number}-1"
    assert first.work_item.url == meeting.get_absolute_url()
    # the unit was told; the 纪要 is numbered once and takes no more decisions
    assert Message.objects.filter(user=users["ad_officer"], title__contains="开展广告专项监测").exists()
    with pytest.raises(ValidationFailed, match="纪要已印发"):
        services.minutes_issue(meeting=meeting, user=users["office"], now=at("2025-09-03"))
    with pytest.raises(ValidationFailed, match="纪要已印发"):
        services.decision_add(
            meeting=meeting,
            text="x",
            due=dt.date(2025, 10, 1),
            department=units[K.PRICE],
            user=users["office"],
        )
    assert IssuedNumber.objects.filter(kind=services.NUMBER_KIND).count() == 1


def test_an_overdue_decision_is_escalated_by_the_daily_job_once(demo, users, units):
    meeting = _meeting(demo, users)
    services.decision_add(
        meeting=meeting,
        text="完成网络价格专项检查",
        due=dt.date(2025, 9, 30),
        department=units[K.PRICE],
        user=users["office"],
    )
    services.minutes_issue(meeting=meeting, user=users["office"], now=at("2025-09-02"))
    item = meeting.decisions.get().work_item
    report = services.leadership_daily(now=at("2025-09-30", "09:00"))
    item.refresh_from_db()
    assert not item.overdue and not item.escalations.exists()  # due today: reminded, not late
    assert report.followups.reminded == [item.reference]
    # 10-01…10-08 is 国庆: the first working day after is 10-09, but any day after the deadline is late
    report = services.leadership_daily(now=at("2025-10-09", "09:00"))
    item.refresh_from_db()
    assert item.overdue and report.followups.overdue == [item.reference]
    escalation = Escalation.objects.get(item=item)
    assert escalation.level == EscalationLevel.OFFICE and escalation.automatic
    assert "期限 2025-09-30 已过" in escalation.note
    services.leadership_daily(now=at("2025-10-09", "15:00"))
    assert Escalation.objects.filter(item=item, level=EscalationLevel.OFFICE).count() == 1
    tally = services.meeting_rollup(meeting, today=dt.date(2025, 10, 9))
    assert (tally.total, tally.done, tally.open, tally.overdue) == (1, 0, 1, 1)


def test_the_summary_reminder_comes_five_working_days_before_30_november_once(demo, users, units, plan):
    assert plan.summary_due == dt.date(2025, 11, 30) and plan.summary_remind_days == 5
    # the advertising unit has sent its summary already: it is not reminded
    ad = plan.summaries.get(department=units[K.ADVERTISING])
    services.summary_submit(summary=ad, user=users["ad_officer"], text="全年工作总结", now=at("2025-11-03"))
    # 30 Nov is a Sunday; 5 working days before it: Fri 28, Thu 27, Wed 26, Tue 25, Mon 24
    assert services.summary_reminders_run(now=at("2025-11-21", "09:00")) == []
    reminded = services.summary_reminders_run(now=at("2025-11-24", "09:00"))
    assert f"2025 {units[K.PRICE]}" in reminded and f"2025 {units[K.ADVERTISING]}" not in reminded
    # every unit still owing it whose staff can be told (the demo's other stations have no staff yet)
    assert len(reminded) == 4 and f"2025 {units['station']}" in reminded
    assert services.summary_reminders_run(now=at("2025-11-25", "09:00")) == []  # once
    message = Message.objects.get(user=users["price_officer"], kind="remind")
    # counted as the platform's reminders count: the working days after today up to the due day (25–28)
    assert "2025-11-30" in message.title and "还有 4 个工作日" in message.title
    assert not Message.objects.filter(user=users["ad_officer"], kind="remind").exists()


def test_a_summary_after_the_due_day_is_marked_late(demo, users, units, plan):
    price = plan.summaries.get(department=units[K.PRICE])
    services.summary_submit(summary=price, user=users["price_officer"], text="总结", now=at("2025-12-01"))
    food = plan.summaries.get(department=units[K.FOOD])
    services.summary_submit(
        summary=food, user=users["food_officer"], text="总结", now=at("2025-11-30", "23:00")
    )
    price.refresh_from_db()
    food.refresh_from_db()
    assert price.late and not food.late
    with pytest.raises(PermissionDeniedError, match="只能报送或办结本单位"):
        services.summary_submit(summary=food, user=users["price_officer"], text="代报", now=at("2025-12-01"))


def test_the_plan_rollup_counts_done_open_and_overdue_per_unit_and_overall(demo, users, units, plan):
    office = users["office"]
    made = {}
    for key, unit, due in [
        ("a1", units[K.ADVERTISING], dt.date(2025, 6, 30)),
        ("a2", units[K.ADVERTISING], dt.date(2025, 12, 20)),
        ("p1", units[K.PRICE], dt.date(2025, 6, 30)),
        ("p2", units[K.PRICE], dt.date(2025, 7, 31)),
    ]:
        made[key] = services.task_add(
            plan=plan, title=f"任务{key}", due=due, department=unit, user=office, now=at("2025-03-03")
        )
    services.item_complete(
        item=made["a1"].work_item, user=users["ad_officer"], result="已完成", now=at("2025-06-20")
    )
    services.item_complete(
        item=made["p1"].work_item, user=users["price_officer"], result="已完成", now=at("2025-07-02")
    )
    total, by_unit = services.plan_rollup(plan, today=dt.date(2025, 9, 1))
    assert (total.total, total.done, total.open, total.overdue) == (4, 2, 2, 1)
    rows = {t.label: (t.total, t.done, t.open, t.overdue) for t in by_unit}
    assert rows == {str(units[K.ADVERTISING]): (2, 1, 1, 0), str(units[K.PRICE]): (2, 1, 1, 1)}
    # a unit completes only its own
    with pytest.raises(PermissionDeniedError):
        services.item_complete(item=made["p2"].work_item, user=users["ad_officer"], result="代办")
    year_total, per_meeting = services.year_decisions_rollup(demo.county, 2025, today=dt.date(2025, 9, 1))
    assert year_total.total == 0 and per_meeting == []


@pytest.fixture
def figures(units):
    """Two figures of a fake app: per department, 8 of 10 on time in advertising, 3 of 4 in price."""
    top = {units[K.ADVERTISING].pk: 8, units[K.PRICE].pk: 3}
    bottom = {units[K.ADVERTISING].pk: 10, units[K.PRICE].pk: 4}
    made = [
        statistics.Figure(
            key,
            key,
            key,
            "测试口径",
            "test",
            "件",
            "tests",
            lambda scope, s, e, d=data: d.get(scope.department_id, 0),
            filters=frozenset({statistics.DEPARTMENT, statistics.STATION}),
        )
        for key, data in (("leadershiptest_on_time", top), ("leadershiptest_fed_back", bottom))
    ]
    statistics.register(*made)
    yield
    for figure in made:
        statistics.unregister(figure.key)


def test_an_assessment_score_from_a_statistics_figure_equals_the_figure(demo, users, units, plan, figures):
    office = users["office"]
    rate = services.criterion_add(
        plan=plan,
        name="线索按期反馈率",
        weight=60,
        figure="leadershiptest_on_time",
        denominator="leadershiptest_fed_back",
        user=office,
    )
    count = services.criterion_add(
        plan=plan,
        name="按期反馈件数",
        weight=20,
        scoring=Scoring.RELATIVE,
        figure="leadershiptest_on_time",
        user=office,
    )
    manual = services.criterion_add(
        plan=plan, name="信息报送", weight=20, scoring=Scoring.MANUAL, user=office
    )
    services.assessment_compute(plan=plan, user=office, now=at("2025-12-10"))
    scope = statistics.Scope(bureau_ids=frozenset({demo.county.pk}), department_id=units[K.ADVERTISING].pk)
    figure = statistics.value("leadershiptest_on_time", scope, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    ad_rate = rate.scores.get(department=units[K.ADVERTISING])
    assert ad_rate.value == ad_rate.computed == Decimal("80.00") == Decimal(figure) * 10
    assert rate.scores.get(department=units[K.PRICE]).computed == Decimal("75.00")
    assert rate.scores.get(department=units[K.FOOD]).value is None  # 0 of 0: no rate, not 0 %
    ad_count = count.scores.get(department=units[K.ADVERTISING])
    assert ad_count.value == Decimal(figure) and ad_count.computed == Decimal("100.00")
    assert count.scores.get(department=units[K.PRICE]).computed == Decimal("37.50")
    # edited by hand only with a reason; the computed score stays beside it
    price_rate = rate.scores.get(department=units[K.PRICE])
    with pytest.raises(ValidationFailed, match="须说明理由"):
        services.score_set(score=price_rate, value=90, reason=" ", user=office)
    services.score_set(score=price_rate, value=90, reason="反馈迟延系平台原因，经核实予以认定", user=office)
    price_rate.refresh_from_db()
    assert (price_rate.computed, price_rate.final) == (Decimal("75.00"), Decimal("90.00"))
    for score in manual.scores.all():
        services.score_set(score=score, value=50, reason="按时报送", user=office)
    criteria, rows = services.assessment_table(plan)
    top = rows[0]
    assert str(top.unit) == str(units[K.ADVERTISING])
    assert top.total == Decimal("78.00")  # (80×60 + 100×20 + 50×20) / 100
    assert rows[1].total == Decimal("71.50")  # (90×60 + 37.5×20 + 50×20) / 100
    assert [r.rank for r in rows[:2]] == [1, 2]

    book = openpyxl.load_workbook(io.BytesIO(services.assessment_xlsx(plan)))
    sheet = book["考核得分"]
    assert "2025年度线上线下一体化监管工作考核" in sheet["A1"].value
    header = [c.value for c in sheet[2]]
    assert header[:3] == ["名次", "单位", "线索按期反馈率（权重60.0）"] and header[-1] == "综合得分"
    first = [c.value for c in sheet[3]]
    assert first[:3] == [1, str(units[K.ADVERTISING]), 80.0] and first[-1] == 78.0
    reasons = [[c.value for c in row] for row in book["评分说明"].iter_rows(min_row=2)]
    assert any(r[3] == str(units[K.PRICE]) and r[7] == "反馈迟延系平台原因，经核实予以认定" for r in reasons)


def test_only_figures_that_count_per_unit_feed_the_assessment(demo, users, plan):
    with pytest.raises(ValidationFailed, match="不能按科室统计"):
        services.criterion_add(
            plan=plan, name="主体数", weight=10, figure="registry_entities", user=users["office"]
        )


def test_a_joint_meeting_names_its_outside_attendees(demo, users):
    with pytest.raises(ValidationFailed, match="外单位参会人员"):
        services.meeting_create(
            bureau=demo.county,
            kind=MeetingKind.JOINT,
            title="联席会议",
            held_on=dt.date(2025, 9, 1),
            user=users["office"],
        )
    meeting = services.meeting_create(
        bureau=demo.county,
        kind=MeetingKind.JOINT,
        title="联席会议",
        held_on=dt.date(2025, 9, 1),
        outside_attendees="县公安局 张队长\n\n县委网信办 刘主任",
        user=users["office"],
    )
    assert meeting.outside_list() == ["县公安局 张队长", "县委网信办 刘主任"]


def test_the_auditor_and_the_officer_run_nothing(demo, users, plan):
    for who in ("auditor", "ad_officer"):
        with pytest.raises(PermissionDeniedError, match="leadership.manage"):
            services.meeting_create(
                bureau=demo.county,
                kind=MeetingKind.ANALYSIS,
                title="分析会",
                held_on=dt.date(2025, 9, 1),
                user=users[who],
            )
