"""Time that does not count (不计入期间), approved extensions (延长期限) and a deadline's cap on a work item's clock.

程序规定 art. 64: the 90-day case decision does not count 检测、鉴定, 听证, 公告, 中止 …; art. 18:
the 15-working-day clue check does not count 检测、鉴定 and 权利人辨认 — and nothing else. A clock
stopped by a running stop has no deadline (nothing to remind of, nothing overdue) and restarts with
the days it had left. Extensions are the catalogue's: 15 working days once on the clue check, 30 days
on the case decision and more only by collective discussion (集体讨论), none on a statutory clock
without one. A cap is another clock's deadline an item may not pass.

The calendar is the real one (``chinese-calendar``): no holiday in September–December 2025; 2026-01-01
to 01-03 are 元旦 and Sunday 2026-01-04 is a make-up working day (调休上班).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from wangjian.core.errors import ValidationFailed
from wangjian.core.workdays import Calendar
from wangjian.platform.workitems import kinds
from wangjian.platform.workitems.followup import followups_run
from wangjian.platform.workitems.models import ClockExtension, ClockStop, WorkItem
from wangjian.platform.workitems.services import (
    clock_extend,
    clock_resume,
    clock_stop,
    deadline_apply,
    deadlines_follow_calendar,
    due_cap_set,
    workitem_create,
    workitem_finish,
)

BEIJING = ZoneInfo("Asia/Shanghai")
D = dt.date


def at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=BEIJING)


@pytest.fixture
def today(monkeypatch):
    """``today("2025-11-26")``: every service that reads the time reads this day (10:00 Beijing time)."""

    def _set(day: str) -> None:
        moment = at(day)
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)

    return _set


@pytest.fixture
def item(demo):
    """``item(clock, start, **kw)``: a work item of the demo county's office on ``clock`` from ``start``."""

    def _item(clock: str, start: dt.date, **kw) -> WorkItem:
        kw.setdefault("kind", "task.check")
        kw.setdefault("title", f"{clock} {start}")
        return workitem_create(
            bureau=demo.county,
            department=demo.county.office(),
            clock=clock,
            start=start,
            now=at("2025-09-01"),
            **kw,
        )

    return _item


@pytest.fixture
def case(item):
    """A case filed (立案) on Wednesday 2025-09-03: 90 natural days, 09-04 counted first —
    27 days to 09-30, 31 in October (58), 30 in November (88), 12-01 and 12-02 (90): due Tuesday 12-02."""
    made = item("case.decision", D(2025, 9, 3), title="旌德好茶网店虚假宣传案")
    assert made.due == D(2025, 12, 2) and "第六十四条" in made.due_basis
    return made


@pytest.fixture
def clue(item):
    """A clue found on Monday 2025-11-03: 15 working days, 11-04 counted first —
    11-04…11-07 (4), 11-10…11-14 (9), 11-17…11-21 (14), 11-24 (15): due Monday 11-24."""
    made = item("clue.verification", D(2025, 11, 3), title="核查“旌德好茶”网店")
    assert made.due == D(2025, 11, 24) and "第十八条" in made.due_basis
    return made


def refused(call, **kw) -> str:
    """The Chinese message of the ValidationFailed that ``call(**kw)`` raises."""
    with pytest.raises(ValidationFailed) as exc:
        call(**kw)
    return exc.value.zh


# ---------------------------------------------------------------- time that does not count


def test_a_hearing_does_not_count_on_the_decision_clock(case, demo):
    clock_stop(
        item=case, kind="hearing", start=D(2025, 10, 20), note="当事人要求听证", user=demo.users["ad_officer"]
    )
    clock_resume(item=case, end=D(2025, 10, 29))
    case.refresh_from_db()
    # 10-20…10-29, both included, are 10 days that do not count: 12-02 + 10 = Friday 12-12
    assert case.due == D(2025, 12, 12)
    assert "90日届满为 2025-12-12" in case.due_basis
    assert "不计入：听证 2025-10-20—2025-10-29" in case.due_basis
    stop = ClockStop.objects.get(item=case)
    assert (stop.kind, stop.note, stop.recorded_by) == ("hearing", "当事人要求听证", demo.users["ad_officer"])


def test_a_running_stop_leaves_no_deadline_and_nothing_to_remind_of_or_mark_overdue(case):
    clock_stop(item=case, kind="hearing", start=D(2025, 10, 20))
    case.refresh_from_db()
    assert case.due is None
    # counted 09-04…10-19: 27 + 19 = 46 days; 90 - 46 = 44 left when it restarts
    assert "已计 46日，期限中止，恢复后还剩 44日" in case.due_basis
    # without the stop: reminded from Friday 11-28 (2 working days before 12-02), overdue on 12-03
    for day in ("2025-12-01", "2025-12-03", "2025-12-20"):
        report = followups_run(now=at(day))
        assert (report.reminded, report.overdue, report.escalated_office) == ([], [], [])
    case.refresh_from_db()
    assert not case.overdue and not case.escalations.exists()


def test_resuming_gives_the_clock_a_deadline_again_with_the_days_it_had_left(case):
    clock_stop(item=case, kind="hearing", start=D(2025, 10, 20))
    followups_run(now=at("2025-12-03"))
    clock_resume(item=case, end=D(2025, 11, 18))
    case.refresh_from_db()
    # 44 days left from 11-19: 12 to 11-30, 31 to 12-31 (43), 2026-01-01 (44) is 元旦 — and so are 01-02
    # and 01-03: the last day moves to the first working day after, the make-up Sunday 2026-01-04
    assert case.due == D(2026, 1, 4)
    assert "2026-01-01 为节假日，顺延至其后第一个工作日" in case.due_basis
    # reminded two working days before, counting back over 01-03…01-01: 12-31 (1), Tuesday 12-30 (2)
    assert followups_run(now=at("2025-12-29")).reminded == []
    assert followups_run(now=at("2025-12-30")).reminded == [case.title]


def test_a_stop_of_one_day_ends_the_day_it_starts(case):
    clock_stop(item=case, kind="announcement", start=D(2025, 10, 20))
    clock_resume(item=case, end=D(2025, 10, 20))
    case.refresh_from_db()
    assert case.due == D(2025, 12, 3)  # one day: 12-02 + 1


def test_stops_one_after_another_add_up(case):
    clock_stop(item=case, kind="hearing", start=D(2025, 10, 20))
    clock_resume(item=case, end=D(2025, 10, 29))
    clock_stop(item=case, kind="announcement", start=D(2025, 11, 10))
    clock_resume(item=case, end=D(2025, 11, 14))
    case.refresh_from_db()
    # 10 days of hearing and 5 of announcement: 12-02 + 15 = Wednesday 12-17
    assert case.due == D(2025, 12, 17)
    assert "不计入：公告 2025-11-10—2025-11-14" in case.due_basis


def test_an_inspection_stops_the_clue_check_for_the_working_days_it_covers(clue):
    clock_stop(item=clue, kind="inspection", start=D(2025, 11, 8), note="送省质检院检验")
    clock_resume(item=clue, end=D(2025, 11, 16))
    clue.refresh_from_db()
    # Saturday 11-08 … Sunday 11-16 covers the working days 11-10…11-14 (5): the 15th working day is
    # 5 working days after 11-24 — 11-25, 11-26, 11-27, 11-28, Monday 12-01
    assert clue.due == D(2025, 12, 1)
    assert "第15个工作日为 2025-12-01" in clue.due_basis and "不计入期间" in clue.due_basis


def test_a_kind_the_rule_does_not_name_does_not_stop_the_clock(clue):
    message = refused(clock_stop, item=clue, kind="suspension", start=D(2025, 11, 10))
    # art. 18 names 检测、检验、检疫、鉴定 and 权利人辨认 (and 在途时间, art. 80): not 案件中止
    assert "“案件中止”不计入“核查线索并决定是否立案”的期限没有依据" in message
    assert "检测、检验、检疫、鉴定" in message and "权利人辨认或者鉴别" in message and "在途时间" in message
    assert "听证" not in message
    clue.refresh_from_db()
    assert clue.due == D(2025, 11, 24) and not ClockStop.objects.filter(item=clue).exists()


def test_a_hearing_stops_the_case_clock_but_not_the_clue_check(clue, case):
    assert "“听证”不计入" in refused(clock_stop, item=clue, kind="hearing", start=D(2025, 11, 10))
    clock_stop(item=case, kind="hearing", start=D(2025, 11, 10))
    assert ClockStop.objects.filter(item=case).count() == 1


def test_a_second_stop_waits_for_the_first_to_end(case):
    clock_stop(item=case, kind="hearing", start=D(2025, 10, 20))
    message = refused(clock_stop, item=case, kind="inspection", start=D(2025, 10, 25))
    assert "已有未结束的不计入期间" in message
    assert ClockStop.objects.filter(item=case).count() == 1


def test_a_stop_starts_after_the_clocks_start(case):
    for day in (D(2025, 9, 3), D(2025, 9, 1)):  # the day of 立案 itself is not counted, nor anything before
        assert "不计入期间应晚于起算日 2025-09-03" in refused(
            clock_stop, item=case, kind="hearing", start=day
        )
    assert not ClockStop.objects.filter(item=case).exists()
    clock_stop(item=case, kind="hearing", start=D(2025, 9, 4))  # the first day counted may be stopped


def test_a_stop_does_not_end_before_it_starts(case):
    clock_stop(item=case, kind="hearing", start=D(2025, 10, 20))
    assert "结束早于开始" in refused(clock_resume, item=case, end=D(2025, 10, 19))
    case.refresh_from_db()
    assert case.due is None and ClockStop.objects.get(item=case).end is None


def test_only_a_running_stop_is_resumed(case):
    assert "没有未结束的不计入期间" in refused(clock_resume, item=case, end=D(2025, 10, 29))
    clock_stop(item=case, kind="hearing", start=D(2025, 10, 20))
    clock_resume(item=case, end=D(2025, 10, 29))
    assert "没有未结束的不计入期间" in refused(clock_resume, item=case, end=D(2025, 11, 5))


def test_no_stop_on_an_item_without_a_clock_or_on_a_closed_one(demo, case):
    given = workitem_create(
        bureau=demo.county,
        kind="task.check",
        title="按交办期限办理",
        department=demo.county.office(),
        working_days=5,
        now=at("2025-11-03"),
    )
    assert "没有法定时限" in refused(clock_stop, item=given, kind="hearing", start=D(2025, 11, 5))
    workitem_finish(item=case, user=None, result="已作出处罚决定")
    assert "已办结" in refused(clock_stop, item=case, kind="hearing", start=D(2025, 10, 20))


# ---------------------------------------------------------------- extensions


def test_the_clue_check_is_extended_by_15_working_days_once(clue, demo):
    clock_extend(
        item=clue,
        length=15,
        approved_by=demo.users["leader"],
        approved_on=D(2025, 11, 20),
        basis="需调取平台数据",
    )
    clue.refresh_from_db()
    # 30 working days from 11-03: after 11-24 (15), 11-25…11-28 (19), 12-01…12-05 (24),
    # 12-08…12-12 (29), Monday 12-15 (30)
    assert clue.due == D(2025, 12, 15)
    assert "第30个工作日为 2025-12-15" in clue.due_basis
    assert "延长15个工作日（王局长 2025-11-20 批准，需调取平台数据）" in clue.due_basis
    ext = ClockExtension.objects.get(item=clue)
    assert (ext.approved_by, ext.approver_name, ext.collective) == (demo.users["leader"], "王局长", False)
    message = refused(
        clock_extend,
        item=clue,
        length=1,
        approved_by=demo.users["leader"],
        approved_on=D(2025, 12, 10),
        basis="再延",
    )
    assert "最多延长15个工作日" in message and "特殊情况下" in message
    # not even by collective discussion: art. 18 knows none
    assert "最多延长15个工作日" in refused(
        clock_extend,
        item=clue,
        length=1,
        approved_by=demo.users["leader"],
        approved_on=D(2025, 12, 10),
        basis="再延",
        collective=True,
    )
    assert ClockExtension.objects.filter(item=clue).count() == 1


def test_the_clue_check_is_not_extended_by_more_than_15_working_days_at_once(clue, demo):
    assert "最多延长15个工作日" in refused(
        clock_extend,
        item=clue,
        length=16,
        approved_by=demo.users["leader"],
        approved_on=D(2025, 11, 20),
        basis="复杂",
    )


def test_the_decision_clock_is_extended_30_days_by_approval(case, demo):
    clock_extend(
        item=case,
        length=30,
        approved_by=demo.users["leader"],
        approved_on=D(2025, 11, 25),
        basis="涉案主体多",
    )
    case.refresh_from_db()
    # 120 days: 12-02 + 30 = 2026-01-01, 元旦 (to 01-03): moved to the make-up working Sunday 01-04
    assert case.due == D(2026, 1, 4)
    assert "120日届满为 2026-01-04" in case.due_basis and "延长30日（王局长 2025-11-25 批准" in case.due_basis


def test_more_than_30_days_on_the_decision_clock_only_by_collective_discussion(case, demo):
    leader = demo.users["leader"]
    clock_extend(item=case, length=20, approved_by=leader, approved_on=D(2025, 11, 25), basis="涉案主体多")
    case.refresh_from_db()
    assert case.due == D(2025, 12, 22)  # 12-02 + 20, a Monday
    message = refused(
        clock_extend, item=case, length=15, approved_by=leader, approved_on=D(2025, 12, 15), basis="仍需鉴定"
    )
    assert "最多延长30日" in message and "集体讨论" in message
    clock_extend(
        item=case,
        length=15,
        approved_by=leader,
        approved_on=D(2025, 12, 15),
        basis="局务会集体讨论决定",
        collective=True,
    )
    case.refresh_from_db()
    # 35 days more: 12-02 + 35 = Tuesday 2026-01-06 (29 to 12-31, then 01-01…01-06)
    assert case.due == D(2026, 1, 6)
    assert [e.collective for e in ClockExtension.objects.filter(item=case).order_by("id")] == [False, True]


def test_a_statutory_clock_without_an_extension_is_not_extended(item, demo):
    statement = item("case.statement", D(2025, 11, 3))
    assert statement.due == D(2025, 11, 10)  # 5 working days: 11-04…11-07, Monday 11-10
    message = refused(
        clock_extend,
        item=statement,
        length=2,
        approved_by=demo.users["leader"],
        approved_on=D(2025, 11, 5),
        basis="x",
    )
    assert "“陈述、申辩或者要求听证”是法定期限，不得延长" in message
    assert not ClockExtension.objects.exists()


def test_an_extension_needs_its_reason(clue, demo):
    for basis in ("", "   "):
        assert "延长期限须说明理由" in refused(
            clock_extend,
            item=clue,
            length=5,
            approved_by=demo.users["leader"],
            approved_on=D(2025, 11, 20),
            basis=basis,
        )
    assert "延长的期限应为正" in refused(
        clock_extend,
        item=clue,
        length=0,
        approved_by=demo.users["leader"],
        approved_on=D(2025, 11, 20),
        basis="复杂",
    )
    assert not ClockExtension.objects.exists()


def test_an_overdue_item_given_more_time_is_no_longer_overdue(clue, demo, today):
    report = followups_run(now=at("2025-11-25"))  # the working day after 11-24
    assert report.overdue == [clue.title]
    clue.refresh_from_db()
    assert clue.overdue and clue.overdue_at is not None
    today("2025-11-26")
    clock_extend(
        item=clue,
        length=15,
        approved_by=demo.users["leader"],
        approved_on=D(2025, 11, 26),
        basis="需调取平台数据",
    )
    clue.refresh_from_db()
    assert clue.due == D(2025, 12, 15)  # as above: the 30th working day
    assert not clue.overdue and clue.overdue_at is None
    assert followups_run(now=at("2025-11-27")).overdue == []


def test_an_overdue_item_whose_extension_still_ends_in_the_past_stays_overdue(case, demo, today):
    followups_run(now=at("2025-12-03"))
    case.refresh_from_db()
    assert case.overdue
    today("2025-12-20")
    clock_extend(
        item=case, length=10, approved_by=demo.users["leader"], approved_on=D(2025, 12, 20), basis="补批"
    )
    case.refresh_from_db()
    assert case.due == D(2025, 12, 12) and case.overdue  # 12-02 + 10, before 12-20


# ---------------------------------------------------------------- the cap


CAP_BASIS = "线索处置不得晚于立案决定期限（程序规定第十八条）"


def test_an_item_whose_own_clock_ends_after_its_cap_is_due_on_the_cap(item):
    capped = item("clue.verification", D(2025, 11, 3), due_cap=D(2025, 11, 20), due_cap_basis=CAP_BASIS)
    assert capped.due == D(2025, 11, 20)  # its own 15 working days end 11-24, after the cap
    assert f"【受限】不得晚于 2025-11-20：{CAP_BASIS}" in capped.due_basis
    assert "第15个工作日为 2025-11-24" in capped.due_basis  # its own clock is still stated
    capped.refresh_from_db()
    assert (capped.due, capped.due_cap, capped.due_cap_basis) == (D(2025, 11, 20), D(2025, 11, 20), CAP_BASIS)


def test_a_cap_later_than_the_own_deadline_changes_nothing(item):
    capped = item("clue.verification", D(2025, 11, 3), due_cap=D(2025, 11, 28), due_cap_basis=CAP_BASIS)
    assert capped.due == D(2025, 11, 24) and "受限" not in capped.due_basis


def test_removing_the_cap_gives_the_item_its_own_deadline(item):
    capped = item("clue.verification", D(2025, 11, 3), due_cap=D(2025, 11, 20), due_cap_basis=CAP_BASIS)
    due_cap_set(item=capped, cap=None)
    capped.refresh_from_db()
    assert capped.due == D(2025, 11, 24) and "受限" not in capped.due_basis
    assert (capped.due_cap, capped.due_cap_basis) == (None, "")


def test_a_cap_set_later_holds_an_item_to_it(clue):
    due_cap_set(item=clue, cap=D(2025, 11, 18), basis=CAP_BASIS)
    clue.refresh_from_db()
    assert clue.due == D(2025, 11, 18) and "不得晚于 2025-11-18" in clue.due_basis


def test_a_cap_is_kept_and_removed_even_when_it_does_not_move_the_deadline_today(clue, demo):
    due_cap_set(item=clue, cap=D(2025, 12, 5), basis=CAP_BASIS)  # after 11-24: nothing moves yet
    clue.refresh_from_db()
    assert (clue.due, clue.due_cap, clue.due_cap_basis) == (D(2025, 11, 24), D(2025, 12, 5), CAP_BASIS)
    # 15 working days more would end 12-15: the cap holds it to 12-05
    clock_extend(
        item=clue, length=15, approved_by=demo.users["leader"], approved_on=D(2025, 11, 20), basis="复杂"
    )
    clue.refresh_from_db()
    assert clue.due == D(2025, 12, 5) and "不得晚于 2025-12-05" in clue.due_basis

    other = WorkItem.objects.get(pk=clue.pk)
    due_cap_set(item=other, cap=None)
    other.refresh_from_db()
    assert (other.due, other.due_cap) == (D(2025, 12, 15), None)


def test_a_cap_set_and_removed_without_moving_anything_is_not_left_behind(item, demo):
    capped = item("clue.verification", D(2025, 11, 3), due_cap=D(2025, 11, 28), due_cap_basis=CAP_BASIS)
    due_cap_set(item=capped, cap=None)  # the cap did not move 11-24: removing it moves nothing either
    capped = WorkItem.objects.get(pk=capped.pk)
    assert (capped.due_cap, capped.due_cap_basis) == (None, "")
    clock_extend(
        item=capped, length=15, approved_by=demo.users["leader"], approved_on=D(2025, 11, 20), basis="复杂"
    )
    capped.refresh_from_db()
    assert capped.due == D(2025, 12, 15)  # not held to the removed cap of 11-28


def test_an_extension_still_meets_the_cap(item, demo):
    capped = item("case.decision", D(2025, 9, 3), due_cap=D(2025, 12, 10), due_cap_basis="专项行动结案期限")
    assert capped.due == D(2025, 12, 2)
    clock_extend(
        item=capped, length=30, approved_by=demo.users["leader"], approved_on=D(2025, 11, 25), basis="复杂"
    )
    capped.refresh_from_db()
    assert (
        capped.due == D(2025, 12, 10) and "【受限】不得晚于 2025-12-10：专项行动结案期限" in capped.due_basis
    )


# ---------------------------------------------------------------- the owning app hears, the recount keeps them


@pytest.fixture
def hooked(monkeypatch, item):
    """An item of a kind registered for this test, whose ``on_due_changed`` records each due it hears of."""
    monkeypatch.setattr(kinds, "_KINDS", dict(kinds._KINDS))  # the registration ends with the test
    heard: list[dt.date | None] = []
    kinds.register(
        kinds.WorkItemKind(
            "tests.clock_stops.decision",
            "作出处理决定（测试）",
            "案件",
            clock="case.decision",
            on_due_changed=lambda changed: heard.append(changed.due),
        )
    )
    made = item(
        "case.decision", D(2025, 9, 3), kind="tests.clock_stops.decision", title="旌德好茶网店虚假宣传案"
    )
    assert made.due == D(2025, 12, 2) and heard == []
    return made, heard


def test_the_owning_app_hears_when_a_stop_or_an_extension_moves_the_deadline(hooked, demo):
    made, heard = hooked
    clock_stop(item=made, kind="hearing", start=D(2025, 10, 20))
    assert heard == [None]  # stopped: no deadline
    clock_resume(item=made, end=D(2025, 10, 29))
    assert heard == [None, D(2025, 12, 12)]  # 10 days: 12-02 + 10
    clock_extend(
        item=made, length=10, approved_by=demo.users["leader"], approved_on=D(2025, 12, 1), basis="复杂"
    )
    assert heard == [None, D(2025, 12, 12), D(2025, 12, 22)]  # 10 more
    due_cap_set(item=made, cap=D(2025, 12, 19), basis="专项行动")
    assert heard[-1] == D(2025, 12, 19)


def test_the_owning_app_does_not_hear_of_a_refused_change(hooked, demo):
    made, heard = hooked
    refused(clock_stop, item=made, kind="hearing", start=D(2025, 9, 3))
    refused(
        clock_extend,
        item=made,
        length=31,
        approved_by=demo.users["leader"],
        approved_on=D(2025, 12, 1),
        basis="x",
    )
    refused(clock_extend, item=made, length=5, approved_by=demo.users["leader"], approved_on=D(2025, 12, 1))
    assert heard == []


def test_the_deadline_counted_again_keeps_the_stops_and_the_extensions(case, demo):
    clock_stop(item=case, kind="hearing", start=D(2025, 10, 20))
    clock_resume(item=case, end=D(2025, 10, 29))
    clock_extend(
        item=case, length=10, approved_by=demo.users["leader"], approved_on=D(2025, 12, 1), basis="复杂"
    )
    case.refresh_from_db()
    assert case.due == D(2025, 12, 22)  # 12-02 + 10 stopped + 10 extended
    fresh = WorkItem.objects.get(pk=case.pk)
    fresh.due = None
    deadline_apply(fresh)
    assert (fresh.due, fresh.due_basis) == (case.due, case.due_basis)
    # a calendar change counts every open item again: nothing of this one moves
    assert deadlines_follow_calendar(calendar=Calendar.load()) == []
    case.refresh_from_db()
    assert case.due == D(2025, 12, 22)


def test_deadline_apply_reads_the_rows_an_app_recorded(case, demo):
    ClockStop.objects.create(item=case, kind="inspection", start=D(2025, 10, 1), end=D(2025, 10, 5))
    ClockExtension.objects.create(
        item=case, length=5, approver_name="王局长", approved_on=D(2025, 11, 1), basis="补充鉴定"
    )
    deadline_apply(case)
    # 5 days stopped (10-01…10-05) and 5 extended: 12-02 + 10 = 12-12
    assert case.due == D(2025, 12, 12)
    assert "延长5日（王局长 2025-11-01 批准，补充鉴定）" in case.due_basis
    assert "不计入：检测、检验、检疫、鉴定 2025-10-01—2025-10-05" in case.due_basis
