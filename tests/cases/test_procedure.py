"""The general procedure after filing, 市场监督管理行政处罚程序规定 (2022) and 行政处罚法 (2021).

调查终结 (art. 52, the officers) → 核审 within 10 working days (arts. 54, 55, the review body) →
法制审核 for a major case (行政处罚法 art. 58) → 告知 (art. 57; 5 working days to state one's case or ask
for a hearing) → 听证 (notified 7 working days before, 听证办法 arts. 5, 20) → 集体讨论 for a major case
(art. 60) → 决定 by the bureau's head (art. 62) → 送达 within 7 working days (art. 81) → 执行 (a fine
within 15 days, 行政处罚法 art. 67) → 结案 within 15 working days, approved by a head (art. 77).

Every step comes from ``services.transitions.TRANSITIONS``: a step from the wrong state is refused
with ``invalid_transition``; by the wrong person with ``PermissionDeniedError`` citing the row's basis.

The days (November and December 2025 have weekends only): filed Friday 11-07, decision due
Thursday 2026-02-05 (see conftest).
"""

import datetime as dt

import pytest

from wangjian.cases import services
from wangjian.cases.choices import Action, CaseState
from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.models import ClockStop

from .conftest import DECISION_DUE, LESSONS, MATERIALS, at

# well-formed input for any step, so that only the table decides
VALUES = {
    "start": dt.date(2025, 12, 1),
    "end": dt.date(2025, 12, 5),
    "kind": "inspection",
    "note": "送检",
    "days": 30,
    "reason": "理由",
    "target": "旌德县公安局",
    "report": "调查终结",
    "opinion": "同意",
    "summary": "不予行政处罚",
    "minutes": "同意",
    "lessons": "举一反三",
    "published_on": dt.date(2025, 12, 5),
}

# the clocks of the procedure (the decision's and the steps' after it)
CASE_CLOCKS = [
    "case.decision",
    "case.review",
    "case.statement",
    "case.service",
    "fine.payment",
    "case.closing",
]


def items(case, kind):
    return workitem_selectors.items_of(case).filter(kind=kind)


# ---------------------------------------------------------------- the whole road, each step by its owner


def test_the_general_procedure_runs_from_investigation_to_closing_each_step_by_its_owner(
    filed, act, officer, head, leader, legal
):
    case = filed()

    assert (
        act(case, officer, "end_investigation", "2025-11-20", report="事实清楚，证据确凿，建议罚款")
        == "调查终结"
    )
    assert case.state == "investigated"

    # review: submitted Thursday 11-20 (not counted): 11-21 1, 11-24 … 11-28 → 6, 12-01 … 12-04 → 10
    assert act(case, officer, "submit_review", "2025-11-20") == "已提交核审，核审期限 2025-12-04"
    [review] = items(case, "case.review")
    assert review.department.name == "法规股" and review.due == dt.date(2025, 12, 4)

    assert act(case, legal, "reviewed", "2025-11-24", opinion="事实清楚，定性准确，处罚适当") == "核审完毕"
    assert case.state == "ready" and case.review_opinion == "事实清楚，定性准确，处罚适当"
    review.refresh_from_db()
    assert review.state == "done"

    # statement: 告知书 served Tuesday 11-25 (not counted): 11-26, 11-27, 11-28, 12-01, Tuesday 12-02 → 5th
    message = act(case, officer, "notify", "2025-11-25", served_on=dt.date(2025, 11, 25), fine_amount="20000")
    assert message == "已告知，陈述申辩期限 2025-12-02"
    assert case.state == "notified" and case.notified_on == dt.date(2025, 11, 25)
    assert case.statement_due == dt.date(2025, 12, 2) and case.fine_amount == 20000
    assert items(case, "case.statement").get().due == dt.date(2025, 12, 2)

    # decided Wednesday 12-03, the day after the statement period
    message = act(
        case, leader, "decide", "2025-12-03", penalised=True, summary="罚款二万元", fine_amount="20000"
    )
    assert message == "已作出决定，文号 旌市监处罚〔2025〕1号"
    assert case.state == "decided" and case.penalised and case.decided_on == dt.date(2025, 12, 3)
    assert case.decision_number == "旌市监处罚〔2025〕1号"
    assert case.events.get(action="decide").detail == {"on_time": True}  # before 2026-02-05
    assert services.decision_item(case) is None and items(case, "case.decision").get().state == "done"
    assert items(case, "case.statement").get().state == "done"
    # service: decided Wednesday 12-03: 12-04, 12-05, 12-08 … 12-12 → the 7th working day is Friday 12-12
    assert items(case, "case.service").get().due == dt.date(2025, 12, 12)

    # served Thursday 12-04: the fine is paid within 15 (natural) days, by Friday 12-19
    assert act(case, officer, "serve", "2025-12-04", served_on=dt.date(2025, 12, 4)) == "已送达（2025-12-04）"
    assert case.state == "served" and case.served_on == dt.date(2025, 12, 4)
    assert items(case, "case.service").get().state == "done"
    payment = items(case, "fine.payment").get()
    assert payment.state == "open" and payment.due == dt.date(2025, 12, 19)

    # executed Wednesday 12-10: closing within 15 working days: 12-11, 12-12 → 2, 12-15 … 12-19 → 7,
    # 12-22 … 12-26 → 12, 12-29, 12-30, Wednesday 12-31 → 15
    act(case, officer, "execute", "2025-12-10", executed_on=dt.date(2025, 12, 10), comment="罚款已缴纳")
    assert case.state == "executed" and case.executed_on == dt.date(2025, 12, 10)
    assert items(case, "fine.payment").get().state == "done"
    assert items(case, "case.closing").get().due == dt.date(2025, 12, 31)

    with pytest.raises(ValidationFailed) as refused:  # 举一反三 first
        act(case, head, "close", "2025-12-11", comment="执行完毕，结案")
    assert refused.value.zh == "结案须填写举一反三：案件暴露的监管漏洞和采取的措施"
    assert act(case, head, "close", "2025-12-11", comment="执行完毕，结案", lessons=LESSONS) == "已结案"
    assert case.state == "closed" and case.closed_on == dt.date(2025, 12, 11)
    assert items(case, "case.closing").get().state == "done"
    assert not workitem_selectors.items_of(case).filter(state="open", kind__in=CASE_CLOCKS).exists()
    assert [(e.action, e.actor.username) for e in case.events.all()] == [
        ("draft", "ad_officer"),
        ("designate", "ad_head"),
        ("approve", "leader"),
        ("end_investigation", "ad_officer"),
        ("submit_review", "ad_officer"),
        ("reviewed", "legal"),
        ("notify", "ad_officer"),
        ("decide", "leader"),
        ("serve", "ad_officer"),
        ("execute", "ad_officer"),
        ("close", "ad_head"),
    ]


def test_the_service_date_of_the_notice_cannot_be_in_the_future(filed, advance, act, officer):
    case = advance(filed(), "ready")
    with pytest.raises(ValidationFailed) as refused:
        act(case, officer, "notify", "2025-11-25", served_on=dt.date(2025, 11, 26))
    assert refused.value.zh == "送达日期不能晚于今天"
    assert case.state == "ready"


def test_a_notice_served_earlier_counts_from_its_service(filed, advance, act, officer):
    # served Friday 11-21, recorded Tuesday 11-25: 11-24, 11-25, 11-26, 11-27, Friday 11-28 → 5th
    case = advance(filed(), "ready")
    act(case, officer, "notify", "2025-11-25", served_on=dt.date(2025, 11, 21))
    assert case.statement_due == dt.date(2025, 11, 28)


# ---------------------------------------------------------------- the decision


def test_a_penalty_before_the_statement_period_ends_is_refused_unless_the_party_waived(
    filed, advance, act, leader
):
    case = advance(filed(), "notified")  # statement due Tuesday 12-02
    with pytest.raises(ValidationFailed) as refused:
        act(case, leader, "decide", "2025-12-02", penalised=True, summary="罚款二万元", fine_amount="20000")
    assert refused.value.zh.startswith("陈述、申辩期限 2025-12-02 未届满（程序规定第五十七条）")
    assert case.state == "notified"
    act(
        case,
        leader,
        "decide",
        "2025-12-02",
        penalised=True,
        summary="罚款二万元",
        fine_amount="20000",
        waived=True,
    )
    assert case.state == "decided" and case.decision_number == "旌市监处罚〔2025〕1号"


def test_a_penalty_without_notification_is_refused(filed, advance, act, leader):
    case = advance(filed(), "ready")
    with pytest.raises(ValidationFailed) as refused:
        act(case, leader, "decide", "2025-12-03", penalised=True, summary="罚款二万元", fine_amount="20000")
    assert "行政处罚法第四十四条" in refused.value.zh
    assert case.state == "ready" and case.decision_number == ""


def test_no_penalty_is_decided_from_ready_without_notification_and_takes_no_decision_number(
    filed, advance, act, head, leader
):
    case = advance(filed(), "ready")
    message = act(
        case, leader, "decide", "2025-11-26", penalised=False, summary="违法行为轻微并及时改正，不予行政处罚"
    )
    assert message == "已作出决定（不予行政处罚）"
    assert case.state == "decided" and case.penalised is False and case.decision_number == ""
    assert case.fine_amount is None and not items(case, "case.service").exists()
    assert services.decision_item(case) is None
    # nothing to execute: a head closes it
    act(case, head, "close", "2025-11-27", lessons=LESSONS)
    assert case.state == "closed"
    # the penalty sequence was not used: the next penalty decision is the year's first
    other = advance(filed(), "decided")
    assert other.decision_number == "旌市监处罚〔2025〕1号"


def test_a_major_case_is_reviewed_by_the_legal_department_and_decided_by_collective_discussion(
    filed, act, officer, leader, legal
):
    case = filed(major=True)
    act(case, officer, "end_investigation", "2025-11-20", report="情节严重")
    act(case, officer, "submit_review", "2025-11-20")
    assert act(case, legal, "reviewed", "2025-11-24", opinion="同意") == "核审完毕，重大案件转法制审核"
    assert case.state == "legal_review"
    with pytest.raises(PermissionDeniedError) as refused:
        act(case, officer, "legal_reviewed", "2025-11-24", opinion="同意")
    assert "程序规定第五十六条" in refused.value.zh
    act(case, legal, "legal_reviewed", "2025-11-24", opinion="程序合法，处罚适当")
    assert case.state == "ready" and case.legal_opinion == "程序合法，处罚适当"
    act(case, officer, "notify", "2025-11-25", served_on=dt.date(2025, 11, 25), fine_amount="200000")
    with pytest.raises(ValidationFailed) as refused:
        act(
            case, leader, "decide", "2025-12-03", penalised=True, summary="罚款二十万元", fine_amount="200000"
        )
    assert refused.value.zh == "重大案件须经负责人集体讨论决定（行政处罚法第五十七条第二款）"
    act(case, leader, "discuss", "2025-12-03", minutes="局长办公会集体讨论：同意罚款二十万元")
    assert case.state == "discussion"
    act(case, leader, "decide", "2025-12-03", penalised=True, summary="罚款二十万元", fine_amount="200000")
    assert case.state == "decided" and case.fine_amount == 200000


def test_a_major_case_discussed_during_the_statement_period_still_waits_for_it(filed, advance, act, leader):
    case = advance(filed(major=True), "notified")  # statement due Tuesday 12-02
    act(case, leader, "discuss", "2025-11-26", minutes="集体讨论：同意罚款二万元")
    with pytest.raises(ValidationFailed):
        act(case, leader, "decide", "2025-11-27", penalised=True, summary="罚款二万元", fine_amount="20000")
    assert case.state == "discussion"


# ---------------------------------------------------------------- service, execution, closing


def test_serving_a_decision_without_a_fine_opens_no_payment_clock(filed, advance, act, officer, leader):
    case = advance(filed(), "notified")
    act(
        case,
        leader,
        "decide",
        "2025-12-03",
        penalised=True,
        penalty_kinds=["warning"],
        summary="警告，责令改正",
    )
    act(case, officer, "serve", "2025-12-04", served_on=dt.date(2025, 12, 4))
    assert case.state == "served" and not items(case, "fine.payment").exists()


@pytest.mark.parametrize("state", ["decided", "served"])
def test_a_penalty_case_closes_only_after_execution(filed, advance, act, head, state):
    case = advance(filed(), state)
    with pytest.raises(ValidationFailed) as refused:
        act(case, head, "close", "2025-12-11", lessons=LESSONS)
    assert refused.value.zh == "给予行政处罚的案件执行完毕后方可结案（程序规定第七十七条）"
    assert case.state == state and case.closed_on is None


def test_the_bureau_head_may_close_too(filed, advance, act, leader):
    case = advance(filed(), "executed")
    act(case, leader, "close", "2025-12-11", lessons=LESSONS)
    assert case.state == "closed"


# ---------------------------------------------------------------- hearings (听证办法 arts. 5, 20)


@pytest.mark.parametrize(
    "party_kind, fine, hearing",
    [
        ("person", "9999.99", False),
        ("person", "10000", True),  # 听证办法 art. 5: ¥10,000 or more for a natural person
        ("organisation", "99999.99", False),
        ("organisation", "100000", True),  # ¥100,000 or more for an organisation
    ],
)
def test_a_fine_at_the_hearing_threshold_for_the_partys_kind_offers_a_hearing(
    filed, advance, act, officer, party_kind, fine, hearing
):
    case = advance(filed(party_kind=party_kind), "ready")
    message = act(case, officer, "notify", "2025-11-25", served_on=dt.date(2025, 11, 25), fine_amount=fine)
    assert case.events.get(action="notify").detail == {"hearing": hearing}
    assert ("已告知听证权利" in message) is hearing
    assert services.hearing_qualifies(case, case.fine_amount) is hearing


def test_a_hearing_must_be_notified_seven_working_days_ahead(filed, advance, act, officer):
    # a hearing on Wednesday 12-10, counted back: 12-09 1, 12-08 2, 12-05 3, 12-04 4, 12-03 5, 12-02 6,
    # Monday 12-01 7: notified on 12-01 at the latest
    case = advance(filed(party_kind="person"), "ready")
    act(case, officer, "notify", "2025-11-25", served_on=dt.date(2025, 11, 25), fine_amount="10000")
    with pytest.raises(ValidationFailed) as refused:
        act(case, officer, "hearing", "2025-12-02", hearing_on=dt.date(2025, 12, 10))
    assert refused.value.zh == (
        "听证应于举行七个工作日前通知当事人（听证办法第二十条）：2025-12-10 的听证最迟应于 2025-12-01 通知"
    )
    assert case.state == "notified"
    assert (
        act(case, officer, "hearing", "2025-12-01", hearing_on=dt.date(2025, 12, 10)) == "听证定于 2025-12-10"
    )
    assert case.state == "hearing" and case.hearing_on == dt.date(2025, 12, 10)
    assert items(case, "case.statement").get().state == "done"  # the party asked for the hearing


def test_the_hearing_report_ends_the_hearings_time_on_the_day_it_was_held(
    filed, advance, act, officer, legal
):
    case = advance(filed(), "notified")
    act(case, officer, "hearing", "2025-12-01", hearing_on=dt.date(2025, 12, 10))
    with pytest.raises(ValidationFailed, match="听证举行日期应在"):
        act(case, legal, "hearing_report", "2025-12-11", held_on=dt.date(2025, 12, 9), report="x")
    act(
        case,
        legal,
        "hearing_report",
        "2025-12-11",
        held_on=dt.date(2025, 12, 10),
        report="事实清楚，建议维持",
    )
    stop = ClockStop.objects.get(item__kind="case.decision", item__subject_id=str(case.pk))
    # 12-01 … 12-10 not counted (10 days): 2026-02-05 + 10 = 2026-02-15, a Sunday in the Spring Festival
    # holiday (02-15 … 02-23) — natural days, so the last day moves to the first working day after, 02-24
    assert stop.end == dt.date(2025, 12, 10)
    assert case.hearing_report == "事实清楚，建议维持" and case.hearing_held_on == dt.date(2025, 12, 10)
    assert case.state == "hearing" and case.decision_due is not None


def test_the_hearing_stops_the_decision_clock_and_deciding_resumes_it(
    filed, advance, act, officer, leader, clock
):
    # stopped from the hearing's notice on Monday 12-01 to the day before the decision (Thursday 12-11):
    # 12-01 … 12-10 = 10 days; 2026-02-05 + 10 = Sunday 02-15, inside 春节 2026 (02-15 … 02-23 off),
    # so the first working day after, Tuesday 2026-02-24
    case = advance(filed(party_kind="person"), "ready")
    act(case, officer, "notify", "2025-11-25", served_on=dt.date(2025, 11, 25), fine_amount="10000")
    clock(at("2025-12-01", "15:00"))
    act(case, officer, "hearing", "2025-12-01", hearing_on=dt.date(2025, 12, 10))
    assert case.decision_due is None  # stopped while the hearing runs
    [stop] = ClockStop.objects.filter(item=services.decision_item(case))
    assert stop.kind == "hearing" and stop.start == dt.date(2025, 12, 1) and stop.end is None
    clock(at("2025-12-11", "15:00"))
    act(case, leader, "decide", "2025-12-11", penalised=True, summary="罚款一万元", fine_amount="10000")
    stop.refresh_from_db()
    assert stop.end == dt.date(2025, 12, 10)
    assert case.state == "decided" and case.suspended_days == 10
    assert case.decision_due == items(case, "case.decision").get().due == dt.date(2026, 2, 24)
    assert case.events.get(action="decide").detail == {"on_time": True}


# ---------------------------------------------------------------- the case leaves the bureau's hands


def test_the_bureau_head_transfers_a_suspected_crime_to_the_police_and_the_clock_ends(filed, act, leader):
    case = filed()
    assert (
        act(
            case,
            leader,
            "transfer",
            "2025-11-21",
            target="旌德县公安局",
            police=True,
            reason="涉案金额逾五万元，涉嫌销售假冒注册商标的商品罪",
            materials=MATERIALS,
        )
        == "已移送"
    )
    assert case.state == "transferred" and case.transfer_to_police and case.transfer_target == "旌德县公安局"
    assert items(case, "case.decision").get().state == "cancelled"
    assert services.decision_item(case) is None and not case.clock_running and not case.overdue


def test_a_transfer_needs_its_reason_and_the_receiving_authority(filed, act, leader):
    case = filed()
    with pytest.raises(ValidationFailed):
        act(case, leader, "transfer", "2025-11-21", target="旌德县公安局", reason="")
    with pytest.raises(ValidationFailed):
        act(case, leader, "transfer", "2025-11-21", target="", reason="涉嫌犯罪")
    with pytest.raises(ValidationFailed, match="国务院令第310号第六条"):  # the police get the material list
        act(case, leader, "transfer", "2025-11-21", target="旌德县公安局", police=True, reason="涉嫌犯罪")
    assert case.state == "investigating"


def test_the_bureau_head_withdraws_a_case_and_the_clock_ends(filed, advance, act, leader):
    case = advance(filed(), "investigated")
    assert act(case, leader, "withdraw", "2025-11-21", reason="立案后发现不符合立案条件") == "已撤销立案"
    assert case.state == "withdrawn"
    assert items(case, "case.decision").get().state == "cancelled"


@pytest.mark.parametrize("step", ["transfer", "withdraw"])
def test_a_case_that_leaves_the_bureaus_hands_leaves_no_clock_running(filed, advance, act, leader, step):
    case = advance(filed(), "reviewing")
    act(case, leader, step, "2025-11-21", target="宣城市市场监督管理局", reason="不属本局管辖")
    assert not workitem_selectors.items_of(case).filter(state="open").exists()


# ---------------------------------------------------------------- the table: from where, by whom

GROUP_STEPS = ("group_member", "group_task", "task_done", "journal", "group_dissolve")  # filed to closed


@pytest.mark.parametrize(
    "state, allowed",
    [
        ("draft", {"designate"}),
        (
            "investigating",
            {
                "end_investigation",
                "transfer",
                "withdraw",
                "stop",
                "resume",
                "extend",
                "typical",
                "crime_report",
                "crime_refuse",
                *GROUP_STEPS,
                "group_form",
                "measure",
                "measure_extend",
                "measure_end",
            },
        ),
        # after the decision: 典型案例, 公示, the group's work, 责令改正复查, 复议/诉讼
        (
            "closed",
            {"typical", "publish", "unpublish", *GROUP_STEPS, "rectify_check", "remedy", "remedy_outcome"},
        ),
    ],
)
def test_every_action_from_a_wrong_state_is_refused_as_an_invalid_transition(
    draft, filed, advance, leader, state, allowed
):
    case = draft() if state == "draft" else advance(filed(), state)
    for action in sorted(set(services.TRANSITIONS) - allowed):
        with pytest.raises(WangjianError) as refused:  # the state is checked before the person
            services.case_act(case=case, user=leader, action=action, values=VALUES)
        assert refused.value.code == "invalid_transition", action
        assert refused.value.zh == (f"案件处于“{CaseState(state).label}”状态，不能“{Action(action).label}”。")
        assert state not in refused.value.detail["allowed_from"]
    case.refresh_from_db()
    assert case.state == state


# who is the wrong party in the right state, for every row of the table
WRONG_PARTY = [
    ("designate", "draft", "ad_officer", "程序规定第二十条"),
    ("approve", "pending", "ad_head", "程序规定第十八条、第二十条"),
    ("send_back", "pending", "ad_officer", "审批表退回修改"),
    ("end_investigation", "investigating", "legal", "程序规定第五十二条"),
    ("submit_review", "investigated", "legal", "程序规定第五十三条"),
    ("reviewed", "reviewing", "ad_officer", "程序规定第五十四条、第五十五条"),
    ("notify", "ready", "legal", "程序规定第五十七条"),
    ("hearing", "notified", "leader", "听证办法第五条"),
    ("discuss", "notified", "ad_officer", "程序规定第六十条"),
    ("decide", "notified", "ad_head", "程序规定第六十二条"),
    ("serve", "decided", "leader", "程序规定第八十一条"),
    ("execute", "served", "leader", "行政处罚法第六十六条"),
    ("close", "executed", "ad_officer", "程序规定第七十七条"),
    ("transfer", "investigating", "ad_head", "行政处罚法第二十七条"),
    ("withdraw", "investigating", "ad_officer", "程序规定第二十一条"),
    ("stop", "investigating", "leader", "程序规定第六十四条第二款"),
    ("resume", "investigating", "legal", "不计入期间结束"),
    ("extend", "investigating", "ad_head", "程序规定第六十四条第一款"),
    ("typical", "investigating", "ad_head", "典型案例"),
    ("publish", "decided", "leader", "公示规定》第二条、第九条"),
    ("unpublish", "decided", "legal", "公示规定》第十一条"),
    ("crime_report", "investigating", "legal", "国务院令第310号第五条"),
    ("crime_refuse", "investigating", "ad_officer", "国务院令第310号第五条"),
    ("police_receipt", "transferred", "leader", "国务院令第310号第八条"),
    ("police_decision", "transferred", "legal", "国务院令第310号第九条"),
    ("resume_admin", "transferred", "ad_officer", "国务院令第310号第十一条"),
    ("transfer_receipt", "transferred", "leader", "行政处罚法第二十七条"),
    ("hearing_report", "hearing", "leader", "听证主持人撰写听证报告"),
    ("group_form", "investigating", "ad_officer", "领导小组办公室牵头组建联合办案组"),
    ("group_member", "investigating", "ad_officer", "办案组成员由领导小组办公室或组长调整"),
    ("group_task", "investigating", "ad_officer", "组长布置任务"),
    ("task_done", "investigating", "legal", "任务责任人报告完成情况"),
    ("journal", "investigating", "legal", "执法全过程记录"),
    ("group_dissolve", "investigating", "ad_officer", "解散办案组"),
    ("measure", "investigating", "leader", "程序规定第三十三条、第三十六条"),
    ("measure_extend", "investigating", "ad_officer", "程序规定第三十八条"),
    ("measure_end", "investigating", "legal", "程序规定第三十五条"),
    ("payment", "served", "leader", "行政处罚法第六十七条、第七十二条"),
    ("rectify_check", "decided", "legal", "行政处罚法第二十八条"),
    ("remedy", "decided", "price_officer", "行政复议法第二十条"),
    ("remedy_outcome", "decided", "price_officer", "复议决定或裁判结果记入案卷"),
]


def test_the_wrong_party_table_covers_every_row_but_the_legal_review():
    assert {row[0] for row in WRONG_PARTY} | {"legal_reviewed"} == set(services.TRANSITIONS)


@pytest.mark.parametrize("action, state, who, article", WRONG_PARTY)
def test_every_action_by_the_wrong_party_is_refused_citing_its_basis(
    demo, draft, pending, filed, advance, action, state, who, article
):
    if state == "draft":
        case = draft()
    elif state == "pending":
        case = pending()
    elif state == "transferred":
        case = filed()
        services.case_act(
            case=case,
            user=demo.users["leader"],
            action="transfer",
            values={"target": "旌德县公安局", "police": True, "reason": "涉嫌犯罪", "materials": MATERIALS},
        )
        case.refresh_from_db()
    elif state == "hearing":
        case = advance(filed(), "notified")
        services.case_act(
            case=case,
            user=demo.users["ad_officer"],
            action="hearing",
            values={"hearing_on": dt.date(2025, 12, 10)},
            now=at("2025-11-26", "10:00"),
        )
        case.refresh_from_db()
    else:
        case = advance(filed(), state)
    with pytest.raises(PermissionDeniedError) as refused:
        services.case_act(case=case, user=demo.users[who], action=action, values=VALUES)
    row = services.TRANSITIONS[action]
    assert row.basis in refused.value.zh and article in refused.value.zh
    assert refused.value.zh.startswith(f"“{Action(action).label}”只能由")
    assert refused.value.detail == {"action": action, "parties": sorted(row.parties)}
    case.refresh_from_db()
    assert case.state == state


@pytest.mark.parametrize("who", ["auditor", "jixi_officer"])
def test_the_auditor_and_another_bureau_take_no_step(demo, filed, who):
    case = filed()
    with pytest.raises(PermissionDeniedError):
        services.case_act(case=case, user=demo.users[who], action="end_investigation", values={"report": "x"})
    assert services.allowed_actions(user=demo.users[who], case=case) == []


def test_each_party_is_offered_only_its_own_steps(demo, filed, officer, head, leader, legal):
    case = filed()
    mine = {"end_investigation", "stop", "resume", "crime_report", "measure"}  # no group, no measure yet
    assert set(services.allowed_actions(user=officer, case=case)) == mine
    # 赵股长 heads the department and is designated as well
    assert set(services.allowed_actions(user=head, case=case)) == mine
    assert services.allowed_actions(user=demo.users["price_officer"], case=case) == []
    assert set(services.allowed_actions(user=leader, case=case)) == {
        "transfer",
        "withdraw",
        "extend",
        "typical",
        "crime_refuse",
    }
    assert services.allowed_actions(user=legal, case=case) == []
    assert case.decision_due == DECISION_DUE
