"""The credit pages and the REST API: the same steps, the same refusals in the same words, the same visibility;
the entity page's credit panel; ``credit_state_of`` through the API; the command."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.core.management import call_command

from tests.credit.conftest import at, d
from wangjian.credit.choices import AbnormalGround as G
from wangjian.credit.services import abnormal_act, listing_propose

API = "/api/credit/abnormal-listings/"


@pytest.fixture
def listing(demo, staff, entity):
    """A listing proposed 2025-10-09 after an ordered period that ended 2025-09-30 (due 10-21)."""
    return listing_propose(
        bureau=demo.county,
        entity=entity(51),
        ground=G.ORDERED,
        period_end=d("2025-09-30"),
        user=staff["credit_officer"],
        now=at("2025-10-09"),
    )


def _messages(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_step_refused_on_the_page_and_through_the_api_reads_the_same(staff, listing, login, api):
    outsider = staff["ad_officer"]  # an officer, but of the advertising department
    page = login(outsider).post(
        f"/credit/abnormal/{listing.pk}/act/list/", {"decided_on": "2025-10-10"}, follow=True
    )
    answer = api(outsider).post(
        f"{API}{listing.pk}/transition/", {"action": "list", "decided_on": "2025-10-10"}, format="json"
    )
    assert answer.status_code == 403
    zh = answer.json()["error"]["zh"]
    assert zh.startswith(
        "“作出列入决定”只能由登记注册或信用监管部门人员、登记注册或信用监管部门负责人、办公室操作"
    )
    assert zh in _messages(page)
    listing.refresh_from_db()
    assert listing.state == "proposed"


def test_the_auditor_is_refused_by_the_permission_table_in_the_same_words(staff, listing, login, api):
    auditor = staff["auditor"]
    page = login(auditor).post(f"/credit/abnormal/{listing.pk}/act/list/", {}, follow=True)
    answer = api(auditor).post(f"{API}{listing.pk}/transition/", {"action": "list"}, format="json")
    zh = answer.json()["error"]["zh"]
    assert answer.status_code == 403 and "权限表：credit.credit.act" in zh
    assert zh in _messages(page)


def test_the_credit_officer_lists_through_the_api_and_the_page_shows_it(staff, listing, login, api, clock):
    clock(at("2025-10-21"))
    answer = api(staff["credit_officer"]).post(
        f"{API}{listing.pk}/transition/", {"action": "list"}, format="json"
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["state"] == "listed" and body["listing_due"] == "2025-10-21" and not body["listed_late"]
    assert "apply_removal" in body["allowed_actions"]
    page = login(staff["credit_officer"]).get(f"/credit/abnormal/{listing.pk}/")
    text = _messages(page)
    assert body["decision_number"] in text and "登记移出申请" in text
    history = api(staff["auditor"]).get(f"{API}{listing.pk}/history/").json()
    assert [e["action"] for e in history] == ["propose", "list"]


def test_the_neighbouring_county_sees_nothing(demo, staff, listing, login, api):
    jixi = staff["jixi_officer"]
    assert login(jixi).get(f"/credit/abnormal/{listing.pk}/").status_code == 404
    assert api(jixi).get(f"{API}{listing.pk}/").status_code == 404
    assert listing.entity.name not in login(jixi).get("/credit/abnormal/").content.decode()


def test_the_entity_panel_shows_the_listing_and_the_state_endpoint_agrees(staff, listing, login, api):
    abnormal_act(
        listing=listing, user=staff["credit_officer"], action="list", values={}, now=at("2025-10-21")
    )
    panel = login(staff["auditor"]).get(f"/credit/entities/{listing.entity_id}/credit/")
    assert panel.status_code == 200
    text = _messages(panel)
    assert "经营异常" in text and "未在市场监督管理部门责令的期限内公示" in text
    state = api(staff["auditor"]).get(f"{API}state/", {"entity": [listing.entity_id]}).json()
    assert state == [
        {"entity": listing.entity_id, "abnormal": True, "serious": False, "penalties_on_display": 0}
    ]


def test_proposing_through_the_api_starts_the_clock(staff, entity, api, clock):
    clock(at("2025-10-09"))
    e = entity(52)
    answer = api(staff["credit_head"]).post(
        API, {"uscc": e.uscc, "ground": "ordered", "period_end": "2025-09-30"}, format="json"
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["listing_due"] == "2025-10-21"


def test_wangjian_credit_list_json_prints_one_object_per_record(staff, listing, capsys):
    call_command("credit", "list", "--json", "--kind", "abnormal")
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows == [
        {
            "kind": "abnormal",
            "id": listing.pk,
            "bureau": "341825",
            "entity": listing.entity.name,
            "uscc": listing.entity.uscc,
            "state": "proposed",
            "state_label": "拟列入",
            "ground": "ordered",
            "decision_number": None,
            "period_end": "2025-09-30",
            "listing_due": "2025-10-21",
            "decided_on": None,
            "listed_on": None,
            "removal_applied_on": None,
            "removal_verified_on": None,
            "removal_due": None,
            "removed_on": None,
            "revocation_flagged_on": None,
        }
    ]


def test_every_credit_page_renders_for_the_office(staff, listing, login, tmp_path):
    from wangjian.credit.models import AnnualReportImport, DeclarationMismatch

    abnormal_act(
        listing=listing, user=staff["credit_officer"], action="list", values={}, now=at("2025-10-21")
    )
    batch = AnnualReportImport.objects.create(
        bureau=listing.bureau, file_name="年报.csv", imported_at=at("2025-10-22")
    )
    mismatch = DeclarationMismatch.objects.create(
        bureau=listing.bureau,
        entity=listing.entity,
        year=2024,
        kind="not_found",
        key="declared:x",
        detail="申报的网店未见",
        batch=batch,
    )
    web = login(staff["office"])
    for url in (
        "/credit/abnormal/",
        "/credit/abnormal/?state=listed&ground=ordered",
        "/credit/abnormal/add/",
        f"/credit/abnormal/{listing.pk}/",
        f"/credit/abnormal/{listing.pk}/changelog/",
        "/credit/serious/",
        "/credit/serious/add/",
        "/credit/repairs/",
        f"/credit/repairs/add/?target=abnormal&record={listing.pk}",
        "/credit/mismatches/",
        f"/credit/mismatches/{mismatch.pk}/",
        "/credit/imports/",
        f"/credit/imports/{batch.pk}/",
        f"/credit/entities/{listing.entity_id}/credit/",
    ):
        assert web.get(url).status_code == 200, url
    page = web.get(f"/credit/abnormal/{listing.pk}/").content.decode()
    assert 'id="step-apply_removal"' in page and "2025-10-21" in page


def test_the_repair_page_refuses_too_early_in_the_service_s_words(demo, staff, entity, login):
    from wangjian.credit.services import serious_act, serious_propose

    serious = serious_propose(
        bureau=demo.county,
        entity=entity(53),
        ground="较重处罚",
        user=staff["credit_head"],
        now=at("2025-03-03"),
    )
    serious_act(
        serious=serious,
        user=staff["credit_head"],
        action="notify",
        values={"notified_on": "2025-03-03"},
        now=at("2025-03-03"),
    )
    serious_act(
        serious=serious,
        user=staff["credit_head"],
        action="decide",
        values={"decided_on": "2025-03-12", "superior_consent_on": "2025-03-11"},
        now=at("2025-03-12"),
    )
    serious_act(
        serious=serious,
        user=staff["credit_head"],
        action="list",
        values={"listed_on": "2025-03-12"},
        now=at("2025-03-12"),
    )
    response = login(staff["credit_officer"]).post(
        "/credit/repairs/add/",
        {"target": "serious", "record": str(serious.pk), "applied_on": "2025-09-01", "fulfilled": "on"},
    )
    assert "最早 2026-03-12 可以申请" in _messages(response)
