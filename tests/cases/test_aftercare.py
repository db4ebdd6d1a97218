"""After the decision, and the coercive measures during the investigation.

- 缴纳罚款 within 15 days of service (行政处罚法 art. 67); then 3 % of the fine a day, never more than the
  fine (art. 72 para. 1 (1)), not counted while a 复议 or a suit runs (art. 73 para. 3).
- 责令改正 (art. 28): a follow-up check owed by the lead officer on the day set.
- 复议 within 60 days (行政复议法 art. 20), 诉讼 within 6 months (行政诉讼法 art. 46) or 15 days after a 复议
  decision (art. 45); filing does not stop execution (行政处罚法 art. 73). A decision that falls comes down
  from publicity within 3 working days.
- 先行登记保存: decided within 7 working days (程序规定 art. 35); 查封、扣押: 30 days, extended once by at most 30
  by the bureau's head (art. 38); both approved by the bureau's head (arts. 33, 36).

The days (see conftest): filed Friday 2025-11-07, decided Wednesday 12-03 (¥20,000), served Thursday 12-04,
so the fine is due Friday 12-19. 2026's calendar: 元旦 1-1 … 1-3 off, Sunday 1-4 worked; 清明 4-4 … 4-6 off.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from wangjian.cases import services
from wangjian.cases.models import CaseMeasure, CaseRemedy
from wangjian.cases.services.aftercare import NOT_RECTIFIED, surcharge
from wangjian.cases.services.measures import measure_item
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.platform.workitems import selectors as workitem_selectors

from .conftest import at

D = dt.date
FINE = Decimal("20000")
PAYMENT_DUE = D(2025, 12, 19)


def items(case, kind):
    return workitem_selectors.items_of(case).filter(kind=kind).order_by("id")


@pytest.fixture
def served(filed, advance):
    """A case decided (¥20,000) on 12-03 and served on 12-04: the fine is due on 12-19."""

    def _served():
        case = advance(filed(), "served")
        assert case.payment_due == PAYMENT_DUE
        return case

    return _served


# ---------------------------------------------------------------- 加处罚款 (行政处罚法 art. 72)


def test_no_surcharge_when_the_fine_is_paid_on_the_last_day():
    assert surcharge(FINE, PAYMENT_DUE, D(2025, 12, 19)) == 0
    assert surcharge(FINE, PAYMENT_DUE, D(2025, 12, 4)) == 0


def test_one_day_late_costs_three_percent_of_the_fine():
    assert surcharge(FINE, PAYMENT_DUE, D(2025, 12, 20)) == Decimal("600.00")


def test_the_surcharge_never_exceeds_the_fine():
    # 12-20 … 12-31 → 12 days, 1-1 … 1-21 → 33 days: 99 %; one more day would be 102 %, capped at the fine
    assert surcharge(FINE, PAYMENT_DUE, D(2026, 1, 21)) == Decimal("19800.00")
    assert surcharge(FINE, PAYMENT_DUE, D(2026, 1, 22)) == FINE
    assert surcharge(FINE, PAYMENT_DUE, D(2026, 6, 1)) == FINE


def test_the_days_of_a_reconsideration_do_not_count():
    # late from 12-20; a 复议 ran 12-22 … 12-31 (10 days): 1-5 is 17 days late, 7 counted
    paused = [(D(2025, 12, 22), D(2025, 12, 31))]
    assert surcharge(FINE, PAYMENT_DUE, D(2026, 1, 5), paused) == Decimal("4200.00")
    # still pending: nothing more accrues
    assert surcharge(FINE, PAYMENT_DUE, D(2026, 1, 5), [(D(2025, 12, 22), None)]) == Decimal("1200.00")


# ---------------------------------------------------------------- 缴纳罚款


def test_a_late_payment_stores_the_surcharge_and_leaves_the_payment_open_until_it_is_paid(
    served, act, officer
):
    case = served()
    # paid Monday 12-22, three days late: 3 × 600
    message = act(case, officer, "payment", "2025-12-22", paid_on=D(2025, 12, 22), amount="20000")
    assert message == "已登记缴款（含加处罚款 1800.00 元），尚欠 1800.00 元"
    assert case.paid_on == D(2025, 12, 22) and case.paid_amount == FINE
    assert case.surcharge_amount == Decimal("1800.00")
    event = case.events.get(action="payment")
    assert "逾期 3 日，加处罚款 1800.00 元" in event.comment and "第七十二条" in event.comment
    assert "尚欠 1800.00 元" in event.comment
    assert items(case, "fine.payment").get().state == "open"

    message = act(
        case, officer, "payment", "2025-12-22", time="16:00", paid_on=D(2025, 12, 22), amount="1800"
    )
    assert message == "已登记缴款（含加处罚款 1800.00 元），已缴清，可登记执行完毕"
    assert case.paid_amount == Decimal("21800.00")
    assert items(case, "fine.payment").get().state == "done"
    act(case, officer, "execute", "2025-12-23", executed_on=D(2025, 12, 23))
    assert case.state == "executed"


def test_a_partial_payment_on_time_is_recorded_and_the_instalment_rule_is_noted(served, act, officer):
    case = served()
    message = act(case, officer, "payment", "2025-12-10", paid_on=D(2025, 12, 10), amount="5000")
    assert message == "已登记缴款，尚欠 15000.00 元"
    assert case.surcharge_amount == 0 and case.paid_amount == Decimal("5000.00")
    assert "行政处罚法第六十六条第二款" in case.events.get(action="payment").comment
    assert items(case, "fine.payment").get().state == "open"


def test_a_payment_paid_on_time_in_full_finishes_the_payment_item(served, act, officer):
    case = served()
    assert act(case, officer, "payment", "2025-12-19", paid_on=D(2025, 12, 19), amount="20000") == (
        "已登记缴款，已缴清，可登记执行完毕"
    )
    assert case.surcharge_amount == 0
    assert items(case, "fine.payment").get().state == "done"


def test_a_payment_before_service_in_the_future_or_above_what_is_owed_is_refused(served, act, officer):
    case = served()
    with pytest.raises(ValidationFailed) as refused:
        act(case, officer, "payment", "2025-12-10", paid_on=D(2025, 12, 3), amount="20000")
    assert refused.value.zh == "缴款日期不能早于决定书送达日期 2025-12-04"
    with pytest.raises(ValidationFailed) as refused:
        act(case, officer, "payment", "2025-12-10", paid_on=D(2025, 12, 11), amount="20000")
    assert refused.value.zh == "缴款日期不能晚于今天"
    with pytest.raises(ValidationFailed) as refused:
        act(case, officer, "payment", "2025-12-10", paid_on=D(2025, 12, 10), amount="20000.01")
    assert refused.value.zh == "累计缴款 20000.01 元超过应缴的罚款及加处罚款 20000.00 元"
    assert case.paid_amount is None and not case.events.filter(action="payment").exists()


def test_only_the_cases_officers_record_a_payment(served, act, leader, legal):
    case = served()
    for user in (leader, legal):
        with pytest.raises(PermissionDeniedError, match="第七十二条"):
            act(case, user, "payment", "2025-12-10", paid_on=D(2025, 12, 10), amount="20000")


# ---------------------------------------------------------------- 责令改正 and its follow-up check


@pytest.fixture
def ordered(filed, advance, act, leader):
    """A case decided on 12-03 with 责令改正 by Monday 12-15."""

    def _ordered():
        case = advance(filed(), "notified")
        act(
            case,
            leader,
            "decide",
            "2025-12-03",
            penalised=True,
            summary="责令改正，罚款二万元",
            fine_amount="20000",
            rectification_order="删除网店首页“最佳”“第一”等绝对化用语",
            rectify_by=D(2025, 12, 15),
        )
        return case

    return _ordered


def test_the_rectification_check_is_a_work_item_of_the_lead_officer_due_on_the_day_set(ordered, officer):
    case = ordered()
    [check] = items(case, "case.rectification_check")
    assert check.state == "open" and check.due == D(2025, 12, 15) and check.assignee == officer
    assert check.title == "责令改正复查" and "绝对化用语" in check.body


def test_the_check_finishes_the_work_item(ordered, act, officer):
    case = ordered()
    message = act(
        case,
        officer,
        "rectify_check",
        "2025-12-15",
        checked_on=D(2025, 12, 15),
        rectified=True,
        note="已删除",
    )
    assert message == "已登记复查：已改正"
    assert case.rectified is True and case.rectification_checked_on == D(2025, 12, 15)
    [check] = items(case, "case.rectification_check")
    assert check.state == "done"
    assert case.events.get(action="rectify_check").comment == "2025-12-15 复查：已改正。已删除"


def test_a_party_that_did_not_rectify_is_checked_again_and_the_record_says_what_the_law_allows(
    ordered, act, head
):
    case = ordered()
    message = act(
        case,
        head,
        "rectify_check",
        "2025-12-16",
        checked_on=D(2025, 12, 16),
        rectified=False,
        note="首页仍有“最佳”字样",
        next_check=D(2025, 12, 22),
    )
    assert message == "已登记复查：未改正，2025-12-22 再次复查"
    assert case.rectified is False and case.rectify_by == D(2025, 12, 22)
    first, second = items(case, "case.rectification_check")
    assert first.state == "done" and second.state == "open" and second.due == D(2025, 12, 22)
    comment = case.events.get(action="rectify_check").comment
    assert NOT_RECTIFIED in comment and "另定 2025-12-22 再次复查（原改正期限 2025-12-15）" in comment


def test_a_decision_without_an_order_has_nothing_to_check(served, act, officer):
    case = served()
    with pytest.raises(ValidationFailed, match="没有责令改正事项"):
        act(
            case, officer, "rectify_check", "2025-12-15", checked_on=D(2025, 12, 15), rectified=True, note="x"
        )


# ---------------------------------------------------------------- 复议 and 诉讼


def test_the_partys_periods_run_from_service(served):
    case = served()
    periods = {p.kind: p for p in services.remedy_periods(case)}
    # 12-04 + 60 days: 12-31 is the 27th, 1-31 the 58th, Monday 2026-02-02 the 60th
    assert periods["reconsideration"].until == D(2026, 2, 2)
    assert "行政复议法" in periods["reconsideration"].basis and "第二十条" in periods["reconsideration"].basis
    assert periods["litigation"].until == D(2026, 6, 4) and "第四十六条" in periods["litigation"].basis


def test_a_reconsideration_on_the_last_day_is_in_time_and_does_not_stop_execution(served, act, officer):
    case = served()
    message = act(
        case,
        officer,
        "remedy",
        "2026-02-02",
        kind="reconsideration",
        body="宣城市市场监督管理局",
        filed_on=D(2026, 2, 2),
    )
    assert message == "已登记行政复议（在法定期限内），行政处罚不停止执行"
    remedy = CaseRemedy.objects.get(case=case)
    assert remedy.in_time and remedy.outcome == "pending"
    comment = case.events.get(action="remedy").comment
    assert "在法定期限内（至 2026-02-02" in comment and "行政处罚法第七十三条第一款" in comment
    assert case.state == "served"


def test_a_suit_after_six_months_is_recorded_as_out_of_time(served, act, legal):
    case = served()
    message = act(
        case, legal, "remedy", "2026-06-05", kind="litigation", body="旌德县人民法院", filed_on=D(2026, 6, 5)
    )
    assert message == "已登记行政诉讼（已超过法定期限），行政处罚不停止执行"
    assert CaseRemedy.objects.get(case=case).in_time is False
    assert "已超过法定期限 2026-06-04" in case.events.get(action="remedy").comment


def test_a_suit_after_a_reconsideration_runs_fifteen_days_from_its_decision(served, act, officer):
    case = served()
    act(
        case,
        officer,
        "remedy",
        "2025-12-22",
        kind="reconsideration",
        body="宣城市市场监督管理局",
        filed_on=D(2025, 12, 22),
    )
    remedy = CaseRemedy.objects.get(case=case)
    act(
        case,
        officer,
        "remedy_outcome",
        "2026-03-20",
        remedy=remedy.pk,
        outcome="upheld",
        decided_on=D(2026, 3, 20),
    )
    # 3-20 + 15 = Saturday 4-4, in 清明 (4-4 … 4-6): the period ends on Tuesday 4-7
    periods = {p.kind: p for p in services.remedy_periods(case)}
    assert periods["litigation"].until == D(2026, 4, 7) and "第四十五条" in periods["litigation"].basis
    act(
        case,
        officer,
        "remedy",
        "2026-04-07",
        kind="litigation",
        body="旌德县人民法院",
        filed_on=D(2026, 4, 7),
    )
    assert CaseRemedy.objects.get(case=case, kind="litigation").in_time


def test_a_second_pending_reconsideration_is_refused(served, act, officer):
    case = served()
    values = {"kind": "reconsideration", "body": "宣城市市场监督管理局", "filed_on": D(2025, 12, 22)}
    act(case, officer, "remedy", "2025-12-22", **values)
    with pytest.raises(ValidationFailed, match="已登记审理中的行政复议"):
        act(case, officer, "remedy", "2025-12-22", **values)


def test_a_revoked_decision_on_display_comes_down_within_three_working_days(served, act, officer, head):
    case = served()
    act(case, officer, "publish", "2025-12-05", published_on=D(2025, 12, 5))
    act(
        case,
        officer,
        "remedy",
        "2025-12-10",
        kind="litigation",
        body="旌德县人民法院",
        filed_on=D(2025, 12, 10),
    )
    remedy = CaseRemedy.objects.get(case=case)
    message = act(
        case,
        head,
        "remedy_outcome",
        "2025-12-26",
        remedy=remedy.pk,
        outcome="revoked",
        decided_on=D(2025, 12, 26),
        note="认定事实不清",
    )
    assert message == "已登记行政诉讼结果：撤销，请在三个工作日内撤下公示信息"
    # decided Friday 12-26: 12-29, 12-30, Wednesday 12-31 → the 3rd working day
    [withdraw] = items(case, "publicity.withdraw")
    assert withdraw.state == "open" and withdraw.due == D(2025, 12, 31) and withdraw.assignee == officer
    assert "撤销" in withdraw.body
    comment = case.events.get(action="remedy_outcome").comment
    assert "应于 2025-12-31 前撤下公示信息" in comment and "原处罚决定不再执行" in comment
    assert items(case, "fine.payment").get().state == "cancelled"  # nothing left to pay
    remedy.refresh_from_db()
    assert remedy.outcome == "revoked" and remedy.decided_on == D(2025, 12, 26)
    # taken down on Friday 2026-01-02, past the 3rd working day: the item is finished, and the record says late
    act(case, officer, "unpublish", "2026-01-02", reason="判决撤销原处罚决定")
    assert items(case, "publicity.withdraw").get().state == "done"
    assert "超过撤下期限 2025-12-31" in case.events.get(action="unpublish").comment


def test_an_upheld_decision_stays_on_display_and_is_still_paid(served, act, officer):
    case = served()
    act(case, officer, "publish", "2025-12-05", published_on=D(2025, 12, 5))
    act(
        case,
        officer,
        "remedy",
        "2025-12-10",
        kind="reconsideration",
        body="宣城市市场监督管理局",
        filed_on=D(2025, 12, 10),
    )
    remedy = CaseRemedy.objects.get(case=case)
    act(
        case,
        officer,
        "remedy_outcome",
        "2025-12-26",
        remedy=remedy.pk,
        outcome="upheld",
        decided_on=D(2025, 12, 26),
    )
    assert not items(case, "publicity.withdraw").exists()
    assert items(case, "fine.payment").get().state == "open"
    with pytest.raises(ValidationFailed, match="没有审理中的复议或诉讼"):
        act(
            case,
            officer,
            "remedy_outcome",
            "2025-12-26",
            remedy=remedy.pk,
            outcome="revoked",
            decided_on=D(2025, 12, 26),
        )


# ---------------------------------------------------------------- 先行登记保存 and 查封、扣押


def seize(act, case, officer, leader, on="2025-11-10", **kw):
    kw.setdefault("kind", "seizure")
    kw.setdefault("items", "涉案茶叶礼盒 200 盒")
    kw.setdefault("started_on", D.fromisoformat(on))
    kw.setdefault("approved_by", leader)
    message = act(case, officer, "measure", on, **kw)
    return message, CaseMeasure.objects.filter(case=case).latest("id")


def test_a_seizure_runs_thirty_days_as_a_work_item(filed, act, officer, leader):
    case = filed()
    message, measure = seize(act, case, officer, leader)
    # Monday 11-10 + 30 days: Wednesday 12-10
    assert message == "已采取查封、扣押，期限 2025-12-10"
    assert measure.due == D(2025, 12, 10) and "第三十八条" in measure.basis and measure.approved_by == leader
    [item] = items(case, "measure.seizure")
    assert item.state == "open" and item.due == D(2025, 12, 10) and item.assignee == officer
    assert item.url == f"/cases/cases/{case.pk}/#measure-{measure.pk}"


def test_a_seizure_is_extended_once_by_the_bureaus_head_only(filed, act, officer, head, leader):
    case = filed()
    _, measure = seize(act, case, officer, leader)
    _, other = seize(act, case, officer, leader, items="包装盒 500 个")
    for who in (officer, head):
        with pytest.raises(PermissionDeniedError, match="第三十八条"):
            act(case, who, "measure_extend", "2025-12-01", measure=measure.pk, days=30, reason="需鉴定真伪")
    # 12-10 + 30 days: Friday 2026-01-09
    message = act(
        case, leader, "measure_extend", "2025-12-01", measure=measure.pk, days=30, reason="需鉴定真伪"
    )
    assert message == "已延长查封、扣押期限至 2026-01-09"
    measure.refresh_from_db()
    assert measure.extended and measure.due == D(2026, 1, 9)
    assert measure_item(measure).due == D(2026, 1, 9)
    assert measure_item(other).due == D(2025, 12, 10)  # each measure its own clock
    assert "行政强制法第二十五条" in case.events.get(action="measure_extend").comment
    with pytest.raises(ValidationFailed, match="只能延长一次"):
        act(case, leader, "measure_extend", "2025-12-02", measure=measure.pk, days=5, reason="仍需鉴定")
    act(case, leader, "measure_extend", "2025-12-02", measure=other.pk, days=10, reason="需鉴定")
    with pytest.raises(ValidationFailed, match="本案没有可以延长的查封、扣押"):  # none left to extend
        act(case, leader, "measure_extend", "2025-12-02", measure=other.pk, days=5, reason="仍需鉴定")


def test_an_extension_beyond_thirty_days_or_of_a_preservation_is_refused(filed, act, officer, leader):
    case = filed()
    _, seizure = seize(act, case, officer, leader)
    with pytest.raises(ValidationFailed, match="不得超过三十日"):
        act(case, leader, "measure_extend", "2025-12-01", measure=seizure.pk, days=31, reason="需鉴定")
    _, kept = seize(act, case, officer, leader, kind="preservation")
    with pytest.raises(ValidationFailed, match="只有查封、扣押可以延长"):
        act(case, leader, "measure_extend", "2025-11-11", measure=kept.pk, days=5, reason="需鉴定")


def test_a_measure_needs_the_approval_of_a_head_of_the_bureau(filed, act, officer, head, leader):
    case = filed()
    with pytest.raises(ValidationFailed) as refused:
        seize(act, case, officer, leader, approved_by=head)
    assert refused.value.zh == "批准人须为本局负责人（程序规定第三十三条、第三十六条）"
    assert not CaseMeasure.objects.exists()
    _, measure = seize(act, case, officer, leader, urgent=True)
    assert "二十四小时内向负责人报告并补办批准手续" in case.events.get(action="measure").comment


def test_a_preservation_is_decided_within_seven_working_days_across_new_year(filed, act, officer, leader):
    case = filed()
    # Monday 12-29: 12-30, 12-31 → 2; 元旦 1-1 … 1-3 off; Sunday 1-4 worked → 3; 1-5 … 1-8 → 7
    message, measure = seize(act, case, officer, leader, on="2025-12-29", kind="preservation")
    assert message == "已采取先行登记保存，期限 2026-01-08"
    assert measure.due == D(2026, 1, 8) and "第三十五条" in measure.basis
    assert items(case, "measure.preservation").get().due == D(2026, 1, 8)

    message = act(
        case,
        officer,
        "measure_end",
        "2026-01-05",
        measure=measure.pk,
        ended_on=D(2026, 1, 5),
        outcome="拍照取证后解除",
    )
    assert message == "已登记先行登记保存的处理：拍照取证后解除"
    measure.refresh_from_db()
    assert not measure.running and measure.ended_on == D(2026, 1, 5)
    assert items(case, "measure.preservation").get().state == "done"


def test_a_running_measure_outlives_the_withdrawal_of_the_case_until_it_is_ended(filed, act, officer, leader):
    case = filed()
    _, measure = seize(act, case, officer, leader)
    act(case, leader, "withdraw", "2025-11-20", reason="不符合立案条件")
    assert case.state == "withdrawn"
    assert items(case, "measure.seizure").get().state == "open"

    summary = services.aftercare_summary(case, today=D(2025, 12, 11))
    assert [(row.measure, row.overdue) for row in summary.measures] == [(measure, True)]
    html = render_to_string("cases/_aftercare.html", {"aftercare": summary, "case": case})
    assert f'id="measure-{measure.pk}" class="table-danger"' in html and "已过期限" in html

    act(
        case,
        officer,
        "measure_end",
        "2025-12-11",
        measure=measure.pk,
        ended_on=D(2025, 12, 11),
        outcome="解除",
    )
    assert "超过期限 2025-12-10" in case.events.get(action="measure_end").comment
    with pytest.raises(ValidationFailed, match="本案没有未解除的措施"):
        act(
            case,
            officer,
            "measure_end",
            "2025-12-11",
            measure=measure.pk,
            ended_on=D(2025, 12, 11),
            outcome="解除",
        )


# ---------------------------------------------------------------- the card and the API


def test_the_card_shows_what_is_owed_the_periods_and_the_remedies(served, act, officer):
    case = served()
    act(
        case,
        officer,
        "remedy",
        "2025-12-22",
        kind="reconsideration",
        body="宣城市市场监督管理局",
        filed_on=D(2025, 12, 22),
    )
    # late 12-20 and 12-21; from 12-22 the 复议 runs and the surcharge stops growing (行政处罚法第七十三条第三款)
    summary = services.aftercare_summary(case, today=D(2025, 12, 29))
    assert summary.surcharge == Decimal("1200.00") and summary.owed == Decimal("21200.00")
    html = render_to_string("cases/_aftercare.html", {"aftercare": summary, "case": case})
    assert "缴款期限" in html and "2025-12-19" in html and "尚欠 21200.00 元" in html
    assert "行政复议：至 2026-02-02" in html and "行政诉讼：至 2026-06-04" in html
    assert "宣城市市场监督管理局" in html and "审理中" in html
    assert "复议、诉讼期间加处罚款不予计算" in case.events.get(action="remedy").comment


def test_the_card_is_not_shown_before_anything_happens(filed):
    case = filed()
    assert not services.aftercare_summary(case, today=D(2025, 11, 10)).shown
    assert render_to_string("cases/_aftercare.html", {"case": case}).strip() == ""


def test_the_api_takes_the_measures_steps_by_role(filed, officer, leader, api, clock):
    case = filed()
    url = f"/api/cases/cases/{case.pk}/transition/"
    clock(at("2025-11-10", "15:00"))
    r = api(officer).post(
        url,
        {
            "action": "measure",
            "kind": "seizure",
            "items": "涉案茶叶礼盒 200 盒",
            "started_on": "2025-11-10",
            "approved_by": leader.pk,
        },
        format="json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["message"] == "已采取查封、扣押，期限 2025-12-10"
    measure = CaseMeasure.objects.get(case=case)

    clock(at("2025-12-01", "15:00"))
    extend = {"action": "measure_extend", "measure": measure.pk, "days": 30, "reason": "需鉴定真伪"}
    r = api(officer).post(url, extend, format="json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "permission_denied"
    assert "第三十八条" in r.json()["error"]["zh"]
    r = api(leader).post(url, extend, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["message"] == "已延长查封、扣押期限至 2026-01-09"
    # extended once: the form offers it no more
    r = api(leader).post(url, {**extend, "days": 5}, format="json")
    assert r.status_code == 400 and "查封、扣押" in r.json()["error"]["zh"]


def test_the_page_offers_the_steps_and_records_a_check_like_the_api(ordered, officer, login, clock):
    case = ordered()
    clock(at("2025-12-16", "15:00"))
    client = login(officer)
    page = client.get(f"/cases/cases/{case.pk}/").content.decode()
    for action in ("rectify_check", "remedy"):
        assert f'data-action="{action}"' in page
    assert 'data-action="remedy_outcome"' not in page  # nothing pending
    r = client.post(
        f"/cases/cases/{case.pk}/act/rectify_check/",
        {
            "rectify_check-checked_on": "2025-12-16",
            "rectify_check-rectified": "false",
            "rectify_check-note": "首页仍有“最佳”字样",
            "rectify_check-next_check": "2025-12-22",
        },
        follow=True,
    )
    assert "已登记复查：未改正，2025-12-22 再次复查" in r.content.decode()
    case.refresh_from_db()
    assert case.rectified is False and case.rectify_by == D(2025, 12, 22)


def test_the_api_shows_the_payment_the_periods_the_remedies_and_the_measures(served, act, officer):
    from wangjian.cases.api_aftercare import AftercareSerializer

    case = served()
    act(case, officer, "payment", "2025-12-10", paid_on=D(2025, 12, 10), amount="5000")
    act(
        case,
        officer,
        "remedy",
        "2025-12-10",
        kind="litigation",
        body="旌德县人民法院",
        filed_on=D(2025, 12, 10),
    )
    body = AftercareSerializer(case, context={"today": D(2025, 12, 10)}).data
    assert body["payment"]["payment_due"] == "2025-12-19" and body["payment"]["owed"] == "15000.00"
    assert [(p["kind"], p["until"]) for p in body["remedy_periods"]] == [
        ("reconsideration", "2026-02-02"),
        ("litigation", "2026-06-04"),
    ]
    assert [(r["kind"], r["in_time"], r["outcome"]) for r in body["remedies"]] == [
        ("litigation", True, "pending")
    ]
    assert body["measures"] == [] and body["rectification"]["rectify_by"] is None


def test_an_expired_seizure_is_marked_overdue_on_the_cases_record(filed, act, officer, leader):
    from wangjian.platform.workitems.followup import followups_run

    case = filed()
    seize(act, case, officer, leader)
    followups_run(now=at("2025-12-11"), deliver=False)  # due Wednesday 12-10
    assert items(case, "measure.seizure").get().overdue
    event = case.events.get(action="overdue")
    assert event.comment.startswith("查封、扣押：期满前解除或作出处理决定的期限 2025-12-10 已过")
