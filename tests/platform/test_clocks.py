"""The clock catalogue and each bureau's settings: statutory clocks are locked, shorten-only clocks only
shorten, work rules are the bureau's; the page and the API refuse the same thing with the same message."""

from __future__ import annotations

import datetime as dt

import pytest

from wangjian.core.clocks import Extension, Suspension
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.platform.clocks import catalogue
from wangjian.platform.clocks.catalogue import Lock
from wangjian.platform.clocks.models import DeadlinePolicy
from wangjian.platform.clocks.services import deadline_for, extension_check, policy_set, suspension_check

D = dt.date


def test_every_clock_names_its_basis_and_every_statutory_clock_its_article():
    kinds = catalogue.kinds()
    keys = {k.key for k in kinds}
    assert {
        "clue.verification",
        "case.decision",
        "complaint.acceptance",
        "clue.feedback",
        "followup.answer",
    } <= keys
    for kind in kinds:
        assert kind.basis and kind.label and kind.length != 0
        if kind.lock != Lock.WORK_RULE:
            assert "第" in kind.basis and "《" in kind.basis, kind.key


def test_a_bureau_cannot_lengthen_the_ninety_day_case_clock(demo):
    with pytest.raises(ValidationFailed, match="法定期限") as refused:
        policy_set(bureau=demo.county, clock="case.decision", length=120, user=demo.users["office"])
    assert refused.value.code == "clock_locked"
    assert not DeadlinePolicy.objects.exists()
    assert deadline_for(bureau=demo.county, clock="case.decision", start=D(2025, 7, 3)).due == D(2025, 10, 9)


def test_a_shorten_only_clock_may_be_shortened_never_lengthened(demo):
    office = demo.users["office"]
    policy_set(
        bureau=demo.county, clock="publicity.publish", length=10, basis="本局十个工作日内公示", user=office
    )
    assert deadline_for(bureau=demo.county, clock="publicity.publish", start=D(2025, 11, 3)).due == D(
        2025, 11, 17
    )
    with pytest.raises(ValidationFailed, match="只能缩短"):
        policy_set(bureau=demo.county, clock="publicity.publish", length=25, user=office)


def test_a_work_rule_is_the_bureaus_per_case_and_the_others_keep_the_default(demo):
    office = demo.users["office"]
    policy_set(bureau=demo.county, clock="clue.feedback", variant="complaint", length=5, user=office)
    complaint = deadline_for(
        bureau=demo.county, clock="clue.feedback", variant="complaint", start=D(2025, 11, 3)
    )
    finding = deadline_for(
        bureau=demo.county, clock="clue.feedback", variant="monitoring", start=D(2025, 11, 3)
    )
    neighbour = deadline_for(
        bureau=demo.other_county, clock="clue.feedback", variant="complaint", start=D(2025, 11, 3)
    )
    assert (complaint.due, finding.due, neighbour.due) == (D(2025, 11, 10), D(2025, 11, 12), D(2025, 11, 12))


def test_only_the_bureaus_office_sets_its_clocks(demo):
    with pytest.raises(PermissionDeniedError):
        policy_set(bureau=demo.county, clock="clue.feedback", length=5, user=demo.users["ad_officer"])
    with pytest.raises(PermissionDeniedError):
        policy_set(bureau=demo.county, clock="clue.feedback", length=5, user=demo.users["jixi_officer"])


def test_extensions_need_an_approver_and_stay_within_what_the_rule_allows():
    approved = [Extension(15, "局长", D(2025, 10, 20))]
    extension_check(clock="clue.verification", extensions=approved)  # art. 18: +15 working days
    with pytest.raises(ValidationFailed, match="最多延长15"):
        extension_check(clock="clue.verification", extensions=[Extension(20, "局长", D(2025, 10, 20))])
    with pytest.raises(ValidationFailed, match="批准人"):
        extension_check(clock="case.decision", extensions=[Extension(30, " ", D(2025, 10, 20))])
    beyond = [Extension(30, "局长", D(2025, 9, 1)), Extension(30, "局务会", D(2025, 10, 1))]
    with pytest.raises(ValidationFailed, match="最多延长30"):
        extension_check(clock="case.decision", extensions=beyond)
    extension_check(clock="case.decision", extensions=beyond, collective=True)  # art. 64: 集体讨论
    with pytest.raises(ValidationFailed, match="不得延长"):
        extension_check(clock="complaint.acceptance", extensions=approved)


def test_only_the_kinds_of_time_the_rule_names_stop_a_clock():
    suspension_check(clock="case.decision", kind="hearing")  # art. 64
    suspension_check(clock="clue.verification", kind="inspection")  # art. 18
    with pytest.raises(ValidationFailed, match="听证"):
        suspension_check(clock="clue.verification", kind="hearing")


def test_the_case_clock_stops_for_a_hearing_and_restarts_with_the_days_left(demo):
    hearing = Suspension("hearing", D(2025, 8, 1), D(2025, 8, 10), "听证")
    deadline = deadline_for(
        bureau=demo.county, clock="case.decision", start=D(2025, 7, 3), suspensions=[hearing]
    )
    assert deadline.due == D(2025, 10, 11)  # 10 days later, a Saturday worked (调休上班): not moved


# ---------------------------------------------------------------- the page and the API


def test_the_page_lists_every_clock_and_refuses_a_locked_one_with_the_services_message(demo, login):
    office = login(demo.users["office"])
    html = office.get("/clocks/").content.decode()
    for kind in catalogue.kinds():
        assert f'data-clock="{kind.key}"' in html
    page = office.post("/clocks/", {"clock": "case.decision", "length": 120}, follow=True).content.decode()
    assert "是法定期限" in page and "本局不能修改" in page
    office.post(
        "/clocks/", {"clock": "clue.feedback", "variant": "complaint", "length": 5, "basis": "本局规定"}
    )
    assert DeadlinePolicy.objects.get().length == 5


def test_the_api_refuses_a_locked_clock_with_the_same_message(demo, api):
    client = api(demo.users["office"])
    body = {"bureau": demo.county.pk, "clock": "case.decision", "length": 120}
    r = client.post("/api/clock-policies/", body, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "clock_locked"
    assert "本局不能修改" in r.json()["error"]["zh"]
    r = client.post("/api/clock-policies/", {**body, "clock": "clue.feedback", "length": 5}, format="json")
    assert r.status_code == 201 and r.json()["length"] == 5
    officer = api(demo.users["ad_officer"])
    r = officer.post("/api/clock-policies/", {**body, "clock": "clue.disposal", "length": 5}, format="json")
    assert r.status_code == 403


def test_a_bureau_parameter_that_is_not_an_id_names_no_bureau_404_not_500(demo, api):
    client = api(demo.users["office"])
    for value in ("null", "1.5", "9" * 25):
        r = client.get("/api/clocks/", {"bureau": value})
        assert r.status_code == 404 and r.json()["error"]["en"].startswith("Name a bureau"), value
    assert client.get("/api/clocks/", {"bureau": demo.county.pk}).status_code == 200


def test_the_api_computes_a_deadline_with_its_basis(demo, api):
    r = api(demo.users["ad_officer"]).get("/api/clocks/case.decision/deadline/", {"start": "2025-07-03"})
    assert r.status_code == 200
    assert r.json()["due"] == "2025-10-09" and not r.json()["provisional"] and "顺延" in r.json()["basis"]
    late = api(demo.users["ad_officer"]).get(
        "/api/clocks/clue.verification/deadline/", {"start": "2026-12-21"}
    )
    assert late.json()["provisional"] and "2027" in late.json()["provisional_reason"]


def test_the_office_edits_the_follow_up_settings_and_an_officer_cannot(demo, login):
    from wangjian.platform.followup.services import followup_settings

    form = {"action": "followup", "work_start": "09:00", "work_end": "17:00", "remind_days": 3}
    login(demo.users["office"]).post("/clocks/", form)
    settings = followup_settings(demo.county)
    assert settings.pk and settings.work_start == dt.time(9) and settings.remind_days == 3
    assert not settings.escalate_overdue  # unchecked boxes are off
    page = login(demo.users["ad_officer"]).post("/clocks/", {**form, "remind_days": 9}, follow=True)
    assert "只有本局办公室管理员" in page.content.decode()
    assert followup_settings(demo.county).remind_days == 3


def test_the_api_computes_with_time_that_does_not_count_and_refuses_what_the_rule_does_not_allow(demo, api):
    client = api(demo.users["ad_officer"])
    body = {
        "start": "2025-09-26",
        "suspensions": [{"kind": "inspection", "start": "2025-10-13", "end": "2025-10-15"}],
        "extensions": [{"length": 15, "approved_by": "局长", "approved_on": "2025-10-20"}],
    }
    r = client.post("/api/clocks/clue.verification/deadline/", body, format="json")
    assert r.status_code == 200 and r.json()["due"] == "2025-11-18"  # 30 working days, 3 not counted
    running = client.post(
        "/api/clocks/clue.verification/deadline/",
        {"start": "2025-09-26", "suspensions": [{"kind": "inspection", "start": "2025-10-13"}]},
        format="json",
    )
    assert running.json()["stopped"] and running.json()["left"] == 9 and running.json()["due"] is None
    refused = client.post(
        "/api/clocks/clue.verification/deadline/",
        {"start": "2025-09-26", "suspensions": [{"kind": "hearing", "start": "2025-10-13"}]},
        format="json",
    )
    assert refused.status_code == 400 and "听证" in refused.json()["error"]["zh"]


def test_the_page_calculates_a_deadline_with_its_basis(demo, login):
    page = login(demo.users["office"]).get(
        "/clocks/",
        {
            "calc_clock": "case.decision",
            "calc_start": "2025-07-03",
            "susp_kind": "hearing",
            "susp_start": "2025-08-01",
            "susp_end": "2025-08-10",
        },
    )
    html = page.content.decode()
    assert (
        'id="calc-result"' in html and "2025-10-11" in html and "不计入：听证 2025-08-01—2025-08-10" in html
    )
    refused = login(demo.users["office"]).get(
        "/clocks/",
        {"calc_clock": "complaint.acceptance", "calc_start": "2025-07-03", "ext_length": 3, "ext_by": "局长"},
    )
    assert 'id="calc-error"' in refused.content.decode() and "不得延长" in refused.content.decode()
