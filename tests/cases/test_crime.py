"""行刑衔接 (国务院令第310号): the report, the head's decision within 3 days, the police's receipt and answer,
and a case the police decline going on as an administrative case with the transfer time not counted."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cases.conftest import DECISION_DUE, MATERIALS
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.platform.workitems.models import WorkItem


def approval_items(case):
    return WorkItem.objects.filter(
        subject_type="cases.case", subject_id=str(case.pk), kind="crime.transfer_approval"
    )


def test_a_report_is_decided_by_the_head_within_3_days(filed, act, officer):
    case = filed()
    act(case, officer, "crime_report", "2025-11-20", report="销售假冒注册商标的商品，金额逾五万元")
    [item] = approval_items(case)
    # 3 natural days from 11-20: 11-23 is a Sunday, so the last day moves to Monday 11-24
    assert item.due == dt.date(2025, 11, 24) and item.urgent and item.assignee.is_bureau_head
    assert case.police_reported_on == dt.date(2025, 11, 20)
    with pytest.raises(ValidationFailed):  # one report at a time
        act(case, officer, "crime_report", "2025-11-20", report="再次报告")


def test_the_police_decline_and_the_case_goes_on_with_the_transfer_time_not_counted(
    filed, act, officer, leader
):
    case = filed()  # opened 11-07: decision due 2026-02-05
    act(case, officer, "crime_report", "2025-11-20", report="涉嫌犯罪")
    with pytest.raises(PermissionDeniedError):
        act(
            case,
            officer,
            "transfer",
            "2025-11-21",
            target="旌德县公安局",
            police=True,
            reason="涉嫌犯罪",
            materials=MATERIALS,
        )
    act(
        case,
        leader,
        "transfer",
        "2025-11-21",
        target="旌德县公安局",
        police=True,
        reason="涉嫌犯罪",
        materials=MATERIALS,
    )
    assert case.state == "transferred" and case.police_approved_on == case.transferred_on == dt.date(
        2025, 11, 21
    )
    assert approval_items(case).get().state == "done"
    with pytest.raises(ValidationFailed):  # the decision needs the receipt first
        act(
            case,
            officer,
            "police_decision",
            "2025-11-22",
            decision="declined",
            decided_on=dt.date(2025, 11, 22),
        )
    act(
        case,
        officer,
        "police_receipt",
        "2025-11-22",
        received_on=dt.date(2025, 11, 22),
        procuratorate_copy=True,
    )
    assert case.procuratorate_copy
    with pytest.raises(ValidationFailed):  # a decline is recorded with its reason
        act(
            case,
            officer,
            "police_decision",
            "2025-11-25",
            decision="declined",
            decided_on=dt.date(2025, 11, 25),
        )
    act(
        case,
        officer,
        "police_decision",
        "2025-11-25",
        decision="declined",
        decided_on=dt.date(2025, 11, 25),
        note="涉案金额未达追诉标准",
    )
    act(case, leader, "resume_admin", "2025-11-26", reason="依法作出行政处理")
    assert case.state == "investigating"
    # the transfer 11-21 … 11-25 (5 days) does not count: 2026-02-05 + 5 = Tuesday 2026-02-10
    assert DECISION_DUE == dt.date(2026, 2, 5) and case.decision_due == dt.date(2026, 2, 10)
    assert case.suspended_days == 5


def test_a_refused_transfer_is_recorded_with_its_reason_and_the_case_goes_on(filed, act, officer, leader):
    case = filed()
    act(case, officer, "crime_report", "2025-11-20", report="涉嫌犯罪")
    with pytest.raises(ValidationFailed):
        act(case, leader, "crime_refuse", "2025-11-21", reason="")
    act(case, leader, "crime_refuse", "2025-11-21", reason="涉案金额未达追诉标准")
    assert case.state == "investigating" and case.police_reported_on is None
    assert approval_items(case).get().state == "done"
    assert "未达追诉标准" in case.events.filter(action="crime_refuse").get().comment


def test_an_approval_after_3_days_is_marked_late(filed, act, officer, leader):
    case = filed()
    act(case, officer, "crime_report", "2025-11-20", report="涉嫌犯罪")
    act(
        case,
        leader,
        "transfer",
        "2025-11-26",
        target="旌德县公安局",
        police=True,
        reason="涉嫌犯罪",
        materials=MATERIALS,
    )
    assert "超过审批期限 2025-11-24" in case.events.filter(action="transfer").get().comment


def test_a_transfer_to_another_authority_records_its_material_list_receipt_and_outcome(
    filed, act, officer, leader
):
    case = filed()
    act(
        case,
        leader,
        "transfer",
        "2025-11-21",
        target="旌德县文化旅游体育局",
        reason="网络游戏经营许可事项，不属本部门管辖（行政处罚法第二十七条）",
        materials="案件移送函\n网页取证记录 3 份",
    )
    assert case.transfer_materials == "案件移送函\n网页取证记录 3 份" and not case.transfer_to_police
    with pytest.raises(ValidationFailed, match="不是移送公安机关的案件"):
        act(case, officer, "police_receipt", "2025-11-24", received_on=dt.date(2025, 11, 24))
    with pytest.raises(ValidationFailed, match="不能早于移送日期"):
        act(case, officer, "transfer_receipt", "2025-11-24", received_on=dt.date(2025, 11, 20))
    act(
        case,
        officer,
        "transfer_receipt",
        "2025-11-24",
        received_on=dt.date(2025, 11, 24),
        outcome="已立案调查",
    )
    assert case.transfer_received_on == dt.date(2025, 11, 24) and case.transfer_outcome == "已立案调查"
    assert "旌德县文化旅游体育局 2025-11-24 签收" in case.events.get(action="transfer_receipt").comment


def test_a_police_transfer_records_the_police_receipt_not_the_general_one(filed, act, officer, leader):
    case = filed()
    act(case, officer, "crime_report", "2025-11-20", report="涉嫌犯罪")
    act(
        case,
        leader,
        "transfer",
        "2025-11-21",
        target="旌德县公安局",
        police=True,
        reason="涉嫌犯罪",
        materials=MATERIALS,
    )
    with pytest.raises(ValidationFailed, match="公安机关回执"):
        act(case, officer, "transfer_receipt", "2025-11-22", received_on=dt.date(2025, 11, 22))
