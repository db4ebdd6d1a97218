"""The simple procedure (简易程序, 当场处罚): a warning, or up to ¥200 (a person) / ¥3,000 (an organisation),
by two certified officers, on a pre-printed numbered form, filed with the bureau, never published
(行政处罚法 arts. 42, 51, 52, 67, 68; 公示规定 art. 2)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.clues.conftest import at
from wangjian.cases.choices import CaseState, Procedure
from wangjian.cases.services.simple import case_on_the_spot
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.platform.workitems import selectors as workitem_selectors


@pytest.fixture
def spot(demo, officer, head):
    """``spot(**values)`` → a penalty 钱科员 and 赵股长 decide on the spot on Tuesday 2025-11-04."""

    def _spot(user=None, on: str = "2025-11-04", **values):
        values.setdefault("decision_number", "旌市监当罚〔2025〕0012号")
        values.setdefault("decided_on", dt.date.fromisoformat(on))
        values.setdefault("title", "网店未在首页显著位置公示营业执照信息")
        values.setdefault("domain", "internet_advertising")
        values.setdefault("source_kind", "inspection")
        values.setdefault("party_name", "旌德县小梅百货店")
        values.setdefault("party_kind", "organisation")
        values.setdefault("facts", "现场检查发现当事人网店首页未公示营业执照信息")
        values.setdefault("provisions", "《电子商务法》第十五条、第七十六条")
        values.setdefault("penalty_kinds", ["fine"])
        values.setdefault("fine_amount", "500")
        values.setdefault("summary", "罚款五百元")
        values.setdefault("department", officer.department)
        values.setdefault("officers", [head])
        return case_on_the_spot(user=user or officer, values=values, now=at(on, "10:00"))

    return _spot


def test_a_fine_on_the_spot_is_served_at_once_and_paid_within_15_days(spot):
    case = spot()
    assert case.procedure == Procedure.SIMPLE and case.state == CaseState.SERVED
    assert case.decided_on == case.served_on == case.opened_on == dt.date(2025, 11, 4)
    assert case.decision_number == case.number == "旌市监当罚〔2025〕0012号"
    assert case.case_officers.count() == 2
    # 行政处罚法 art. 67: 15 days from receipt, 11-04 + 15 = Wednesday 11-19
    assert case.payment_due == dt.date(2025, 11, 19)
    [item] = workitem_selectors.items_of(case).filter(kind="fine.payment")
    assert item.due == dt.date(2025, 11, 19)
    assert "报本局备案" in case.events.get(action="decide").comment
    assert (
        case.decision_due is None and case.running_due is None
    )  # no 90-day clock: nothing is left to decide


def test_simple_procedure_decisions_are_not_published(spot):
    case = spot()
    assert not case.publicity_required and "简易程序" in case.publicity_note


@pytest.mark.parametrize(
    "party_kind, fine, allowed",
    [
        ("person", "200", True),  # 行政处罚法 art. 51: ¥200 or less for a person
        ("person", "200.01", False),
        ("organisation", "3000", True),  # ¥3,000 or less for an organisation
        ("organisation", "3000.01", False),
    ],
)
def test_the_spot_limit_depends_on_the_partys_kind(spot, party_kind, fine, allowed):
    if allowed:
        assert spot(party_kind=party_kind, fine_amount=fine).fine_amount == Decimal(fine)
    else:
        with pytest.raises(ValidationFailed, match="应当适用普通程序"):
            spot(party_kind=party_kind, fine_amount=fine)


def test_only_a_warning_or_a_fine_is_imposed_on_the_spot(spot):
    with pytest.raises(ValidationFailed, match="只能给予警告或者罚款"):
        spot(penalty_kinds=["confiscate_gains"], fine_amount=None)


def test_a_warning_alone_has_nothing_to_execute(spot):
    case = spot(penalty_kinds=["warning"], fine_amount=None, summary="警告")
    assert case.state == CaseState.EXECUTED and case.payment_due is None


def test_two_certified_officers_are_needed(spot, demo):
    with pytest.raises(ValidationFailed, match="两名以上"):
        spot(officers=[])
    uncertified = demo.users["office"]
    assert not uncertified.enforcement_certificate
    with pytest.raises(ValidationFailed, match="行政执法证"):
        spot(officers=[uncertified])


def test_the_numbered_form_is_recorded_once(spot):
    spot()
    with pytest.raises(ValidationFailed, match="已登记"):
        spot()


def test_collecting_more_than_100_yuan_on_the_spot_needs_its_reason(spot):
    with pytest.raises(ValidationFailed, match="第六十八条"):
        spot(collected_on_spot=True, fine_amount="500")
    case = spot(collected_on_spot=True, fine_amount="50", decision_number="旌市监当罚〔2025〕0013号")
    assert (
        case.state == CaseState.EXECUTED and case.paid_amount == 50 and case.paid_on == dt.date(2025, 11, 4)
    )
    assert not workitem_selectors.items_of(case).filter(kind="fine.payment").exists()


def test_a_future_date_and_another_bureaus_unit_are_refused(spot, demo):
    with pytest.raises(ValidationFailed, match="不能晚于今天"):
        spot(decided_on=dt.date(2025, 11, 5))
    other = demo.users["jixi_officer"].department
    with pytest.raises(ValidationFailed, match="本局的办案机构"):
        spot(department=other)


def test_who_may_not_draft_cases_may_not_record_one(spot, demo):
    with pytest.raises(PermissionDeniedError):
        spot(user=demo.users["auditor"])


def test_the_page_and_the_api_record_it_alike(demo, officer, head, login, api, clock):
    clock(at("2025-11-04", "10:00"))
    form = {
        "decision_number": "旌市监当罚〔2025〕0020号",
        "decided_on": "2025-11-04",
        "title": "网店未公示营业执照信息",
        "domain": "internet_advertising",
        "source_kind": "inspection",
        "party_name": "旌德县小梅百货店",
        "party_kind": "organisation",
        "facts": "现场检查发现",
        "provisions": "《电子商务法》第十五条",
        "penalty_kinds": ["fine"],
        "fine_amount": "300",
        "summary": "罚款三百元",
        "department": officer.department_id,
        "officers": [head.pk],
    }
    response = login(officer).post("/cases/cases/spot/", form)
    assert response.status_code == 302
    answer = api(officer).post(
        "/api/cases/cases/spot/",
        {**form, "decision_number": "旌市监当罚〔2025〕0021号", "fine_amount": "3500"},
        format="json",
    )
    assert answer.status_code == 400 and "应当适用普通程序" in answer.json()["error"]["zh"]
    answer = api(officer).post(
        "/api/cases/cases/spot/", {**form, "decision_number": "旌市监当罚〔2025〕0021号"}, format="json"
    )
    assert answer.status_code == 201 and answer.json()["procedure"] == "simple"
