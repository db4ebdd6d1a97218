"""The filing decision's clock (立案决定期限), 市场监督管理行政处罚程序规定 (2022) art. 18.

“应当自发现线索或者收到材料之日起十五个工作日内予以核查，由市场监督管理部门负责人决定是否立案；
特殊情况下，经市场监督管理部门负责人批准，可以延长十五个工作日。……检测、检验、检疫、鉴定以及
权利人辨认或者鉴别等所需时间，不计入前款规定期限。”

So: 15 working days from the day the clue was found (the day itself not counted, art. 80); once
15 working days more, with the bureau head's approval; testing and appraisal time stops the clock;
the decision — 立案 or 不予立案 — is the bureau head's. The unit's own feedback (7 working days after
assignment) and disposal (15 working days after feedback) may not end later than that decision.

The calendar of these tests (国务院办公厅 2025 arrangement, via chinese_calendar):
    2025-09-28 (Sun) and 2025-10-11 (Sat) are make-up working days; 10-01 … 10-08 are off (国庆、中秋);
    November and early December 2025 have weekends only: Nov 8/9, 15/16, 22/23, 29/30; Dec 6/7, 13/14.
"""

import datetime as dt
import io
import re

import pytest

from wangjian.clues import services
from wangjian.clues.models import Clue
from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.platform.intake.port import Reporter
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.followup import followups_run
from wangjian.platform.workitems.models import WorkItem

from .conftest import at

# A clue found on Monday 2025-11-03 (the day itself is not counted):
#   11-04 … 11-07 → 4, 11-10 … 11-14 → 9, 11-17 … 11-21 → 14, Monday 11-24 → the 15th working day.
FOUND = "2025-11-03"
FILING_DUE = dt.date(2025, 11, 24)


@pytest.fixture
def head(demo):
    """王局长, the bureau's head (负责人) of 旌德县: the one who approves extensions and decides on filing."""
    user = demo.users["leader"]
    user.is_bureau_head = True
    user.save()
    return user


@pytest.fixture
def officer(demo):
    """钱科员 of 广告监管股, the unit an advertising clue of 旌德县 is routed to; no head of the bureau."""
    return demo.users["ad_officer"]


@pytest.fixture
def clue(intake):
    """An advertising clue found and taken in on 2025-11-03, assigned to 广告监管股 the same day."""
    return intake(now=at(FOUND)).clue


def fed_back(clue, officer, *, on="2025-11-05"):
    """The unit takes the clue and feeds back its check (属实), which starts the disposal duty."""
    services.clue_accept(clue=clue, user=officer, now=at("2025-11-04"))
    services.clue_feedback(clue=clue, user=officer, result="true", actions="已现场核查，属实", now=at(on))
    clue.refresh_from_db()
    return clue


def filing_items(clue):
    return workitem_selectors.items_of(clue).filter(kind=services.FILING)


# ---------------------------------------------------------------- 15 working days from discovery


def test_the_filing_decision_is_due_fifteen_working_days_after_the_clue_was_found(clue):
    assert clue.found_on == dt.date(2025, 11, 3)
    assert clue.filing_due == FILING_DUE
    assert not clue.filing_provisional and not clue.filing_overdue
    assert "第十八条" in clue.filing_basis
    assert "2025-11-03发现线索（当日不计）" in clue.filing_basis
    assert "第15个工作日为 2025-11-24" in clue.filing_basis


def test_the_filing_clock_skips_the_national_day_holidays_and_counts_the_make_up_days(intake):
    # found Friday 2025-09-26: 09-28 (Sun, make-up) 1, 09-29 2, 09-30 3, [10-01 … 10-08 off],
    # 10-09 4, 10-10 5, 10-11 (Sat, make-up) 6, 10-13 … 10-17 → 11, 10-20 … 10-23 → 15
    clue = intake(now=at("2025-09-26")).clue
    assert clue.filing_due == dt.date(2025, 10, 23)
    assert "国庆节" in clue.filing_basis


def test_the_clock_runs_as_the_units_work_item_about_the_clue(demo, clue):
    item = services.filing_item(clue)
    assert item.kind == "clue.filing" and item.state == "open"
    assert item.due == FILING_DUE and item.start == clue.found_on
    assert item.reference == clue.number
    assert item.department == clue.department  # 广告监管股, to which the clue was routed
    assert clue.department.name == "广告监管股"


def test_a_clue_reassigned_to_another_unit_keeps_its_clock_from_discovery(demo, clue):
    price = demo.users["price_officer"].department
    services.clue_override(
        clue=clue, user=demo.users["office"], reason="属价格违法", department=price, now=at("2025-11-06")
    )
    clue.refresh_from_db()
    item = services.filing_item(clue)
    assert item.department == price  # now owed by 价格监督检查股 ...
    assert item.due == clue.filing_due == FILING_DUE  # ... from the same day of discovery
    assert filing_items(clue).count() == 1


def test_the_feedback_duty_ends_no_later_than_the_filing_decision_of_a_clue_found_long_before(intake):
    # found Monday 2025-10-20, taken in and assigned only on Monday 2025-11-03:
    #   filing: 10-21 … 10-24 → 4, 10-27 … 10-31 → 9, 11-03 … 11-07 → 14, 11-10 → 15th
    #   feedback (7 working days after assignment): 11-04 … 11-07 → 4, 11-10 … 11-12 → 7th
    clue = intake(found_on=dt.date(2025, 10, 20), now=at("2025-11-03")).clue
    assert clue.filing_due == dt.date(2025, 11, 10)
    assert clue.feedback_due == dt.date(2025, 11, 10)  # not 11-12
    assert "不得晚于 2025-11-10" in clue.feedback_basis
    assert "第十八条" in clue.feedback_basis


def test_a_feedback_duty_inside_the_filing_period_is_not_capped(clue):
    # feedback 7 working days after 11-03: 11-12, well before the filing decision's 11-24
    assert clue.feedback_due == dt.date(2025, 11, 12)
    assert "不得晚于" not in clue.feedback_basis


def test_the_disposal_duty_ends_no_later_than_the_filing_decision(clue, officer):
    # disposal: 15 working days after the feedback of Wednesday 11-05:
    #   11-06, 11-07 → 2, 11-10 … 11-14 → 7, 11-17 … 11-21 → 12, 11-24 … 11-26 → 15th = 11-26,
    # later than the filing decision's 11-24: capped at 11-24
    fed_back(clue, officer)
    assert clue.filing_due == FILING_DUE
    assert clue.disposal_due == clue.filing_due == dt.date(2025, 11, 24)
    assert "第15个工作日为 2025-11-26" in clue.disposal_basis
    assert "不得晚于 2025-11-24" in clue.disposal_basis and "第十八条" in clue.disposal_basis


# ---------------------------------------------------------------- 15 working days more, with the head's approval


def test_the_bureau_head_extends_by_fifteen_working_days_and_the_disposal_cap_moves(clue, officer, head):
    # 11-24 + 15 working days: 11-25 … 11-28 → 4, 12-01 … 12-05 → 9, 12-08 … 12-12 → 14, 12-15 → 15th
    fed_back(clue, officer)
    assert clue.disposal_due == dt.date(2025, 11, 24)
    services.filing_extend(clue=clue, user=head, reason="涉案商品需调取平台交易数据", now=at("2025-11-20"))
    clue.refresh_from_db()
    assert clue.filing_due == dt.date(2025, 12, 15)
    assert "延长15个工作日" in clue.filing_basis and "王局长" in clue.filing_basis
    assert "涉案商品需调取平台交易数据" in clue.filing_basis
    # the disposal's own 15 working days (11-26) now end before the decision: no longer capped
    assert clue.disposal_due == dt.date(2025, 11, 26)
    assert "不得晚于" not in clue.disposal_basis
    event = clue.events.get(action="filing_extend")
    assert event.actor == head and "2025-12-15" in event.comment


def test_the_extension_through_the_clue_buttons_moves_a_running_feedback_cap(intake, head):
    # found 10-20, assigned 11-03: filing 11-10 caps the feedback (own 11-12);
    # extended: 11-10 + 15 working days = 11-11 … 11-14 → 4, 11-17 … 11-21 → 9, 11-24 … 11-28 → 14, 12-01
    clue = intake(found_on=dt.date(2025, 10, 20), now=at("2025-11-03")).clue
    assert clue.feedback_due == dt.date(2025, 11, 10)
    said = services.clue_act(
        clue=clue,
        user=head,
        action="filing_extend",
        values={"reason": "需协查外省平台"},
        now=at("2025-11-06"),
    )
    clue.refresh_from_db()
    assert clue.filing_due == dt.date(2025, 12, 1)
    assert "2025-12-01" in said
    assert clue.feedback_due == dt.date(2025, 11, 12)  # its own 7 working days again
    assert "不得晚于" not in clue.feedback_basis


def test_only_one_extension_of_fifteen_working_days(clue, head):
    services.filing_extend(clue=clue, user=head, reason="特殊情况", now=at("2025-11-20"))
    with pytest.raises(ValidationFailed) as refused:
        services.filing_extend(clue=clue, user=head, reason="再延一次", now=at("2025-12-10"))
    assert "最多延长15" in refused.value.zh
    clue.refresh_from_db()
    assert clue.filing_due == dt.date(2025, 12, 15)


def test_an_extension_needs_its_reason(clue, head):
    with pytest.raises(ValidationFailed):
        services.filing_extend(clue=clue, user=head, reason="  ", now=at("2025-11-20"))


@pytest.mark.parametrize("who", ["ad_officer", "ad_head", "office"])
def test_no_one_but_the_bureau_head_extends(demo, clue, who):
    with pytest.raises(PermissionDeniedError):
        services.filing_extend(clue=clue, user=demo.users[who], reason="特殊情况", now=at("2025-11-20"))
    with pytest.raises(PermissionDeniedError):
        services.clue_act(
            clue=clue, user=demo.users[who], action="filing_extend", values={"reason": "特殊情况"}
        )
    clue.refresh_from_db()
    assert clue.filing_due == FILING_DUE


def test_the_head_of_another_bureau_does_not_extend(demo, clue):
    other = demo.users["jixi_officer"]
    other.is_bureau_head = True
    other.save()
    with pytest.raises(PermissionDeniedError):
        services.filing_extend(clue=clue, user=other, reason="特殊情况", now=at("2025-11-20"))


# ---------------------------------------------------------------- time that does not count (检测、鉴定 …)


def test_testing_stops_the_clock_and_its_end_moves_the_due_by_the_working_days_stopped(clue, officer):
    # before the stop, 11-04 … 11-07 counted: 4 of 15; 11-10 (Mon) … 11-14 (Fri) do not count (5 working days).
    # From 11-17 the 11 left: 11-17 … 11-21 → 9, 11-24 … 11-28 → 14, 12-01 → 15th = 11-24 + 5 working days
    services.clue_act(
        clue=clue,
        user=officer,
        action="filing_stop",
        values={
            "kind": "inspection",
            "start": dt.date(2025, 11, 10),
            "note": "抽样送省产品质量监督检验研究院检验",
        },
        now=at("2025-11-10"),
    )
    clue.refresh_from_db()
    assert clue.filing_due is None  # stopped: no deadline until the testing ends
    assert "期限中止" in clue.filing_basis and "还剩 11个工作日" in clue.filing_basis
    assert clue.feedback_due == dt.date(2025, 11, 12)  # the unit's own feedback still runs
    [stop] = services.filing_stops(clue)
    assert stop.kind == "inspection" and stop.end is None

    services.filing_resume(clue=clue, user=officer, end=dt.date(2025, 11, 14), now=at("2025-11-17"))
    clue.refresh_from_db()
    assert clue.filing_due == dt.date(2025, 12, 1)
    assert "不计入：检测、检验、检疫、鉴定 2025-11-10—2025-11-14" in clue.filing_basis
    assert list(clue.events.values_list("action", flat=True).filter(action__startswith="filing_")) == [
        "filing_stop",
        "filing_resume",
    ]


def test_a_stop_then_a_resume_give_the_disposal_back_its_cap(clue, officer):
    # fed back 11-05: disposal own 11-26, capped at 11-24. Stopped from 11-18: uncapped (11-26);
    # resumed with 11-18 … 11-19 not counted (2 working days): 11-24 + 2 = 11-26; the disposal is 11-26 either way
    fed_back(clue, officer)
    services.filing_stop(
        clue=clue, user=officer, kind="identification", start=dt.date(2025, 11, 18), note="请权利人辨认商标"
    )
    clue.refresh_from_db()
    assert clue.filing_due is None and clue.disposal_due == dt.date(2025, 11, 26)
    services.filing_resume(clue=clue, user=officer, end=dt.date(2025, 11, 19))
    clue.refresh_from_db()
    assert clue.filing_due == dt.date(2025, 11, 26)
    assert clue.disposal_due == dt.date(2025, 11, 26)


def test_a_stop_the_article_does_not_name_is_refused(clue, officer):
    with pytest.raises(ValidationFailed) as refused:
        services.filing_stop(
            clue=clue, user=officer, kind="hearing", start=dt.date(2025, 11, 10), note="听证"
        )
    assert "没有依据" in refused.value.zh
    clue.refresh_from_db()
    assert clue.filing_due == FILING_DUE and services.filing_stops(clue) == []


def test_a_stop_needs_what_it_is_for_and_a_resume_needs_a_running_stop(clue, officer):
    with pytest.raises(ValidationFailed):
        services.filing_stop(clue=clue, user=officer, kind="inspection", start=dt.date(2025, 11, 10), note="")
    with pytest.raises(ValidationFailed):
        services.filing_resume(clue=clue, user=officer, end=dt.date(2025, 11, 14))


def test_another_units_officer_cannot_stop_the_clock(demo, clue):
    with pytest.raises(PermissionDeniedError):
        services.filing_stop(
            clue=clue,
            user=demo.users["price_officer"],
            kind="inspection",
            start=dt.date(2025, 11, 10),
            note="送检",
        )


# ---------------------------------------------------------------- the decision ends the clock


def test_closing_the_clue_is_a_decision_and_ends_the_filing_clock(clue, officer):
    fed_back(clue, officer)
    services.clue_close(clue=clue, user=officer, disposal="rectify", note="已责令整改", now=at("2025-11-12"))
    item = filing_items(clue).get()
    assert item.state == "done" and "责令整改" in item.result
    assert services.filing_item(clue) is None


def test_a_case_is_not_opened_by_closing_the_clue(clue, officer):
    fed_back(clue, officer)
    with pytest.raises(ValidationFailed) as refused:
        services.clue_close(clue=clue, user=officer, disposal="case", case_number="旌市监立〔2025〕7号")
    assert refused.value.code == "case_through_filing"
    for action in ("file_case", "not_filed"):
        with pytest.raises(ValidationFailed) as refused:
            services.clue_act(clue=clue, user=officer, action=action, values={"reason": "x"})
        assert refused.value.code == "case_through_filing"
    clue.refresh_from_db()
    assert clue.state == "fed_back" and services.filing_item(clue) is not None


def test_the_bureau_head_files_a_case_and_the_clue_closes_linked_to_it(clue, officer, head):
    fed_back(clue, officer)
    services.clue_filing_decided(
        clue=clue,
        user=head,
        filed=True,
        case_number="旌市监立〔2025〕7号",
        case_url="/cases/7/",
        now=at("2025-11-20"),
    )
    clue.refresh_from_db()
    assert clue.state == "closed" and clue.disposal == "case"
    assert clue.case_number == "旌市监立〔2025〕7号" and clue.case_url == "/cases/7/"
    event = clue.events.get(action="file_case")
    assert event.actor == head and event.detail["on_time"] is True
    assert event.detail["filing_due"] == "2025-11-24"
    assert filing_items(clue).get().state == "done"
    assert not workitem_selectors.items_of(clue).filter(state="open", kind__startswith="clue.").exists()


def test_a_case_needs_its_number_and_a_clue_found_untrue_is_not_filed(intake, officer, head):
    clue = fed_back(intake(now=at(FOUND)).clue, officer)
    with pytest.raises(ValidationFailed):
        services.clue_filing_decided(clue=clue, user=head, filed=True, case_number="")
    untrue = intake(entity_uscc="91341825MA2N000001", now=at(FOUND)).clue
    services.clue_accept(clue=untrue, user=officer, now=at("2025-11-04"))
    services.clue_feedback(
        clue=untrue, user=officer, result="false", actions="经核查不属实", now=at("2025-11-05")
    )
    with pytest.raises(ValidationFailed):
        services.clue_filing_decided(clue=untrue, user=head, filed=True, case_number="旌市监立〔2025〕8号")


@pytest.mark.parametrize("who", ["ad_officer", "ad_head", "office"])
def test_only_the_bureau_head_decides_on_filing(demo, clue, officer, who):
    fed_back(clue, officer)
    with pytest.raises(PermissionDeniedError):
        services.clue_filing_decided(
            clue=clue, user=demo.users[who], filed=True, case_number="旌市监立〔2025〕7号"
        )
    with pytest.raises(PermissionDeniedError):
        services.clue_filing_decided(clue=clue, user=demo.users[who], filed=False, reason="情节轻微")
    clue.refresh_from_db()
    assert clue.state == "fed_back"


def test_the_decision_waits_for_the_units_check(clue, head):
    with pytest.raises(WangjianError) as refused:
        services.clue_filing_decided(clue=clue, user=head, filed=True, case_number="旌市监立〔2025〕7号")
    assert refused.value.code == "invalid_transition"


def test_not_filed_needs_a_reason_and_the_named_reporter_is_told(intake, officer, head):
    clue = intake(
        source_kind="complaint",
        source_ref="12315-2025-0001",
        reporter=Reporter("张三", "13900000001"),
        now=at(FOUND),
    ).clue
    fed_back(clue, officer)
    with pytest.raises(ValidationFailed):
        services.clue_filing_decided(clue=clue, user=head, filed=False, reason="")
    services.clue_filing_decided(
        clue=clue,
        user=head,
        filed=False,
        reason="违法行为轻微并及时改正，没有造成危害后果",
        now=at("2025-11-20"),
    )
    clue.refresh_from_db()
    assert clue.state == "closed" and clue.disposal == "no_action" and clue.case_number == ""
    assert clue.disposal_note == "不予立案：违法行为轻微并及时改正，没有造成危害后果"
    assert clue.events.get(action="not_filed").actor == head
    assert filing_items(clue).get().state == "done"
    [told] = WorkItem.objects.filter(kind="report.outcome", reference=clue.number)
    assert "不予立案" in told.body and "张三" not in told.title  # the reporter's name is masked


# ---------------------------------------------------------------- merged or transferred: the clock goes with it


def test_a_merged_clue_cancels_its_filing_clock(demo, intake):
    kept = intake(entity_uscc="91341825MA2N000002", now=at(FOUND)).clue
    gone = intake(entity_uscc="91341825MA2N000003", now=at(FOUND)).clue
    services.clue_merge(
        clue=gone, into=kept, user=demo.users["office"], reason="同一网店", now=at("2025-11-04")
    )
    assert filing_items(gone).get().state == "cancelled"
    assert services.filing_item(kept) is not None


def test_a_transferred_clue_starts_the_receiving_bureaus_clock_on_receipt(demo, clue):
    # received by 绩溪县 on Monday 11-10: 11-11 … 11-14 → 4, 11-17 … 11-21 → 9, 11-24 … 11-28 → 14, 12-01 → 15th
    result = services.clue_transfer(
        clue=clue,
        user=demo.users["office"],
        to_bureau=demo.other_county,
        reason="住所地在绩溪县",
        now=at("2025-11-10"),
    )
    assert filing_items(clue).get().state == "cancelled"
    there = Clue.objects.get(pk=result.clue.pk)
    assert there.found_on == dt.date(2025, 11, 10)
    assert there.filing_due == dt.date(2025, 12, 1)


# ---------------------------------------------------------------- the follow-up job


def test_the_follow_up_job_marks_the_filing_decision_overdue_the_working_day_after(clue, officer):
    fed_back(clue, officer)
    followups_run(now=at("2025-11-24", "17:00"), deliver=False)
    clue.refresh_from_db()
    assert not clue.filing_overdue  # the due day itself is in time (art. 84)
    report = followups_run(now=at("2025-11-25", "09:00"), deliver=False)
    clue.refresh_from_db()
    assert clue.number in report.overdue
    assert clue.filing_overdue
    assert services.filing_item(clue).overdue
    [event] = clue.events.filter(action="overdue", comment__contains="立案")
    assert event.comment == "决定是否立案的期限 2025-11-24 已过（程序规定第十八条）"
    followups_run(now=at("2025-11-25", "09:05"), deliver=False)
    assert clue.events.filter(action="overdue", comment__contains="立案").count() == 1  # once


def test_the_clue_loops_own_reminder_run_marks_the_filing_decision_overdue(clue, officer):
    fed_back(clue, officer)
    services.clues_remind(now=at("2025-11-25", "09:00"))
    clue.refresh_from_db()
    assert clue.filing_overdue


def test_a_stopped_filing_clock_is_never_overdue(clue, officer):
    services.filing_stop(clue=clue, user=officer, kind="inspection", start=dt.date(2025, 11, 10), note="送检")
    followups_run(now=at("2025-12-10"), deliver=False)
    clue.refresh_from_db()
    assert not clue.filing_overdue and clue.filing_due is None


def test_the_heads_extension_lifts_the_overdue_mark(clue, officer, head, clock):
    fed_back(clue, officer)
    clock(at("2025-11-25", "09:00"))
    followups_run(now=at("2025-11-25", "09:00"), deliver=False)
    clue.refresh_from_db()
    assert clue.filing_overdue
    services.filing_extend(clue=clue, user=head, reason="检验报告未出", now=at("2025-11-25", "10:00"))
    clue.refresh_from_db()
    assert clue.filing_due == dt.date(2025, 12, 15)
    assert not clue.filing_overdue and not services.filing_item(clue).overdue


def test_the_heads_extension_lifts_the_disposals_overdue_mark_with_its_cap(clue, officer, head, clock):
    # the disposal, capped at the filing decision's 11-24, is overdue on 11-25 with it; once extended
    # (filing 12-15) the disposal's own 11-26 applies again, which is not past on 11-25
    fed_back(clue, officer)
    clock(at("2025-11-25", "09:00"))
    followups_run(now=at("2025-11-25", "09:00"), deliver=False)
    clue.refresh_from_db()
    assert clue.disposal_overdue
    services.filing_extend(clue=clue, user=head, reason="检验报告未出", now=at("2025-11-25", "10:00"))
    clue.refresh_from_db()
    assert clue.disposal_due == dt.date(2025, 11, 26)
    assert not clue.disposal_overdue


def test_a_returned_clue_owes_its_filing_decision_to_the_office_until_reassigned(demo, clue, officer):
    services.clue_return(clue=clue, user=officer, reason="不属本股职责", now=at("2025-11-04"))
    item = services.filing_item(clue)
    assert item.due == FILING_DUE  # still running from discovery
    assert item.department == demo.county.office()


# ---------------------------------------------------------------- the clue page


def _text_of(page: str, id_: str) -> str:
    found = re.search(rf'id="{id_}"[^>]*>(.*?)</', page, re.S)
    assert found, f"no element with id {id_}"
    return found.group(1).strip()


def test_the_clue_page_shows_the_filing_decisions_due_day_and_basis(clue, officer, login):
    page = login(officer).get(clue.get_absolute_url()).content.decode()
    assert _text_of(page, "filing-due") == "2025-11-24"
    assert "第十八条" in _text_of(page, "filing-basis")


def test_the_clue_page_shows_a_stopped_clock_and_what_stopped_it(clue, officer, login):
    services.filing_stop(
        clue=clue, user=officer, kind="inspection", start=dt.date(2025, 11, 10), note="送省质检院"
    )
    page = login(officer).get(clue.get_absolute_url()).content.decode()
    assert _text_of(page, "filing-due") == "中止"
    assert "送省质检院" in page and "2025-11-10—至今" in page


def test_the_unit_drafts_the_filing_form_from_the_clue_page_once_fed_back(clue, officer, login):
    fed_back(clue, officer)
    page = login(officer).get(clue.get_absolute_url()).content.decode()
    assert 'id="draft-filing"' in page and f"?clue={clue.pk}" in page
    assert 'data-action="file_case"' not in page and 'data-action="not_filed"' not in page


def test_an_upgrade_starts_the_filing_clock_on_open_clues_once(demo, intake, unit_user):
    from django.core.management import call_command

    clue = intake(now=at("2025-11-03")).clue
    officer = unit_user(clue)
    services.clue_accept(clue=clue, user=officer, now=at("2025-11-04"))
    services.clue_feedback(clue=clue, user=officer, result="true", actions="已约谈", now=at("2025-11-05"))
    # as a clue registered before the clock existed: no filing item, no filing due, no cap on its duty
    WorkItem.objects.filter(kind="clue.filing").delete()
    WorkItem.objects.filter(kind="clue.disposal").update(
        due_cap=None, due_cap_basis="", due=dt.date(2025, 11, 26)
    )
    Clue.objects.filter(pk=clue.pk).update(
        filing_due=None, filing_basis="", disposal_due=dt.date(2025, 11, 26)
    )
    out = io.StringIO()
    call_command("clues", "filing-backfill", stdout=out)
    assert "1" in out.getvalue()
    clue.refresh_from_db()
    assert clue.filing_due == dt.date(2025, 11, 24)  # 15 working days from its discovery, 11-03
    assert clue.disposal_due == dt.date(2025, 11, 24) and "不得晚于" in clue.disposal_basis
    assert services.filing_backfill() == 0  # once
    assert WorkItem.objects.filter(kind="clue.filing").count() == 1
