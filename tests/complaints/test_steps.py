"""A complaint's clocks and steps (市场监督管理投诉举报处理暂行办法 arts. 14, 15, 21), a report into a clue, a split.

The story: a consumer's complaint about a seller on a platform whose actual place of business is in 旌阳镇
(341825100, 旌阳市场监管所's territory) is received on Friday 2025-09-26; the acceptance is due 7 working days
later — the National Day holiday (10-01 … 10-08) and the make-up working days 09-28 (Sunday) and 10-11
(Saturday) counted as the calendar says: 09-28 1, 09-29 2, 09-30 3, 10-09 4, 10-10 5, 10-11 6, 10-13 7.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.clues.conftest import at
from wangjian.complaints.choices import State
from wangjian.complaints.services.intake import complaint_register
from wangjian.complaints.services.steps import complaint_act
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.platform.workitems import selectors as workitem_selectors

RECEIVED = dt.date(2025, 9, 26)


@pytest.fixture
def station_officer(demo):
    return demo.users["station_officer"]


@pytest.fixture
def register(demo):
    def _register(user=None, on: str = "2025-09-26", **values):
        values.setdefault("kind", "complaint")
        values.setdefault("channel", "phone")
        values.setdefault("received_on", dt.date.fromisoformat(on))
        values.setdefault("person_name", "张小花")
        values.setdefault("person_phone", "13900001111")
        values.setdefault("respondent_name", "旌德县优品百货网店")
        values.setdefault("respondent_kind", "seller")
        values.setdefault("respondent_region", "341825100")
        values.setdefault("platform_name", "某电商平台")
        values.setdefault("platform_region", "330110")
        values.setdefault("summary", "购买的电水壶漏电，商家拒绝退货")
        values.setdefault("demand", "退货退款")
        return complaint_register(
            user=user or demo.users["office"], bureau=demo.county, values=values, now=at(on, "10:00")
        )

    return _register


def act(complaint, user, action, on, **values):
    message = complaint_act(complaint=complaint, user=user, action=action, values=values, now=at(on, "15:00"))
    complaint.refresh_from_db()
    return message


def test_a_complaint_is_routed_to_the_station_of_the_sellers_place_and_accepted_within_7_working_days(
    register,
):
    c = register()
    assert c.station.name == "旌阳市场监管所" and c.department is None
    assert c.accept_due == dt.date(2025, 10, 13) and "第十四条" in c.accept_basis
    [item] = workitem_selectors.items_of(c).filter(kind="complaint.acceptance")
    assert item.due == dt.date(2025, 10, 13) and item.station == c.station
    assert c.number.startswith("旌") and c.state == State.RECEIVED


def test_a_complaint_names_its_complainant_a_report_may_not(register):
    with pytest.raises(ValidationFailed, match="第九条"):
        register(person_name="")
    report = register(kind="report", person_name="", person_phone="", domain="product_quality")
    assert report.anonymous and report.state == State.VERIFYING and report.accept_due is None


def test_acceptance_starts_45_working_days_of_mediation(register, station_officer):
    c = register()
    act(c, station_officer, "accept", "2025-09-29")
    # 45 working days from Monday 09-29: 09-30 1, the holiday, 10-09 2, 10-10 3, Saturday 10-11 (a make-up
    # working day) 4, then five a week from 10-13: 12-01 … 12-05 are the 40th to the 44th, Monday 12-08 the 45th
    assert c.state == State.ACCEPTED and c.handler == station_officer
    assert c.mediation_due == dt.date(2025, 12, 8)
    assert workitem_selectors.items_of(c).get(kind="complaint.acceptance").state == "done"


def test_refusal_names_its_ground_from_article_15(register, station_officer):
    c = register()
    with pytest.raises(ValidationFailed, match="第十五条"):
        act(c, station_officer, "refuse", "2025-09-29", ground="")
    act(c, station_officer, "refuse", "2025-09-29", ground="late", note="购买于2021年")
    assert c.state == State.REFUSED and "超过三年" in c.events.get(action="refuse").comment


def test_mediation_ends_on_timeout_only_after_45_working_days_and_both_sides_are_told_within_7(
    register, station_officer
):
    c = register()
    act(c, station_officer, "accept", "2025-09-29")
    act(c, station_officer, "mediate", "2025-10-09", method="phone", record="双方意见分歧较大")
    with pytest.raises(ValidationFailed, match="尚未超过"):
        act(c, station_officer, "end", "2025-12-08", ground="timeout")
    act(c, station_officer, "end", "2025-12-09", ground="timeout")
    # Tuesday 12-09 + 7 working days: 12-10 1, 12-11 2, 12-12 3, 12-15 … 12-18 7
    assert c.state == State.ENDED and c.notify_due == dt.date(2025, 12, 18)
    act(c, station_officer, "notify", "2025-12-10", how="电话告知双方")
    assert workitem_selectors.items_of(c).get(kind="complaint.end_notice").state == "done"


def test_an_agreement_records_what_was_recovered_and_the_undertakings(register, station_officer):
    c = register()
    act(c, station_officer, "accept", "2025-09-29")
    act(c, station_officer, "odr", "2025-09-30", platform="某电商平台")
    act(
        c,
        station_officer,
        "odr_result",
        "2025-10-10",
        outcome="平台判定商家退款",
        solved=True,
        recovered="199",
    )
    assert c.state == State.RESOLVED and c.recovered == 199
    assert workitem_selectors.items_of(c).get(kind="complaint.mediation").state == "done"


def test_only_the_handling_unit_or_the_office_takes_the_steps(register, demo):
    c = register()
    with pytest.raises(PermissionDeniedError):
        act(c, demo.users["price_officer"], "accept", "2025-09-29")
    with pytest.raises(PermissionDeniedError):
        act(c, demo.users["jixi_officer"], "accept", "2025-09-29")


def test_a_report_becomes_a_clue_keeping_its_receipt_date_and_not_its_reporter(register, demo):
    shop = {"respondent_uscc": "92341825MA2COMP01X", "presence_label": "优品百货网店"}
    report = register(
        kind="report", domain="product_quality", person_name="李举报", person_phone="13800002222", **shop
    )
    act(report, demo.users["office"], "to_clue", "2025-09-29")
    assert report.state == State.CLUE and report.clue is not None
    clue = report.clue
    assert clue.found_on == RECEIVED and "李举报" not in clue.facts
    # the same shop reported again joins the same clue (the intake port deduplicates by entity and shop)
    again = register(
        kind="report", domain="product_quality", person_name="王举报", person_phone="13800003333", **shop
    )
    act(again, demo.users["office"], "to_clue", "2025-09-30")
    assert again.clue == clue
    # each named reporter is a source of the clue, so the clue loop owes each the filing decision (art. 31)
    assert sorted(clue.sources.exclude(reporter_name="").values_list("reporter_name", flat=True)) == [
        "李举报",
        "王举报",
    ]


def test_a_record_that_is_both_is_split_into_a_complaint_and_a_report(register, demo):
    c = register()
    act(c, demo.users["office"], "split", "2025-09-26")
    [report] = c.split_into.all()
    assert report.kind == "report" and report.received_on == c.received_on and report.person_name == "张小花"


def test_personal_data_is_erased_3_years_after_the_end_unless_a_clue_still_holds_it(register, demo):
    from wangjian.complaints.services.retention import erase_expired

    c = register()
    act(c, demo.users["office"], "refuse", "2025-09-29", ground="late")
    report = register(kind="report", domain="product_quality", respondent_uscc="92341825MA2COMP09X")
    act(report, demo.users["office"], "to_clue", "2025-09-29")
    assert erase_expired(now=at("2028-09-29", "12:00")) == {"erased": 0, "held": 0}  # 3 years not yet over
    # the refused complaint is erased; the report's clue is still open, so its reporter's data stays
    assert erase_expired(now=at("2028-09-30", "12:00")) == {"erased": 1, "held": 1}
    c.refresh_from_db()
    assert c.person_name == c.person_phone == "" and c.erased_at and c.respondent_name  # the record stays
    assert c.events.filter(action="erase").exists()
