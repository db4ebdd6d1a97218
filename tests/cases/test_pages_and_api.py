"""The case pages, the REST API and ``wangjian cases``: the same rules, the same words, the same visibility.

- the list shows each running clock with the days left, overdue rows in red (``wj-row-overdue``);
- a natural person's name (自然人当事人) is personal data: masked on the page, shown on request to
  those who handle the case, and the view is logged (ChangeRecord, 查看敏感信息);
- the API drafts and takes steps through the same services and forms as the page: a refusal reads the
  same in both;
- who sees a case: its 办案机构 and officers, the bureau-wide roles (office, legal, auditor) and the
  bureau's head; not another department, not another bureau.
"""

import datetime as dt
import html
import io
import json
import re

import pytest
from django.core.management import call_command

from wangjian.cases.models import Case
from wangjian.core.models import ChangeRecord

from .conftest import at

# ---------------------------------------------------------------- helpers


def page_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def list_rows(page: str) -> dict[int, tuple[str, dict[str, str]]]:
    """The list's rows by case id: the row's classes and each cell's text under its column's header."""
    headers = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", page, re.S)]
    rows = {}
    for classes, pk, body in re.findall(r'<tr class="([^"]*)" data-case="(\d+)">(.*?)</tr>', page, re.S):
        cells = [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
        ]
        rows[int(pk)] = (classes, dict(zip(headers, cells, strict=True)))
    return rows


def messages_of(page: str) -> str:
    return html.unescape(page)


def view_records(case):
    return ChangeRecord.objects.filter(action="view", object_id=str(case.pk))


# ---------------------------------------------------------------- the list


def test_the_list_shows_the_days_left_and_marks_overdue_cases(demo, filed, pending, officer, login, clock):
    late = filed()  # decision due Thursday 2026-02-05
    # filed Monday 11-10: 90 days end Sunday 2026-02-08 → Monday 02-09
    running = filed(opened="2025-11-10")
    waiting = pending()
    clock(at("2026-02-06"))
    rows = list_rows(page_of(login(officer).get("/cases/cases/")))
    classes, cells = rows[late.pk]
    assert "wj-row-overdue" in classes
    assert cells["决定期限"] == "2026-02-05 逾期" and cells["剩余天数"] == "-1"
    classes, cells = rows[running.pk]
    assert "wj-row-overdue" not in classes
    assert cells["决定期限"] == "2026-02-09" and cells["剩余天数"] == "3"  # 02-06 → 02-09
    classes, cells = rows[waiting.pk]
    assert "wj-row-overdue" not in classes
    assert cells["立案编号"] == "（未立案）" and cells["决定期限"] == "—" and cells["剩余天数"] == "—"


def test_the_overdue_filter_lists_only_overdue_cases(filed, officer, login, clock):
    late = filed()
    running = filed(opened="2025-11-10")
    clock(at("2026-02-06"))
    rows = list_rows(page_of(login(officer).get("/cases/cases/?open=true&overdue=true")))
    assert late.pk in rows and running.pk not in rows


def test_the_case_number_links_to_the_case_once(filed, officer, login):
    case = filed()
    page = page_of(login(officer).get("/cases/cases/"))
    row = re.search(rf'<tr class="[^"]*" data-case="{case.pk}">(.*?)</tr>', page, re.S).group(1)
    assert row.count(f'href="/cases/cases/{case.pk}/"') == 1


# ---------------------------------------------------------------- the case page and the party's name


@pytest.fixture
def person_case(filed):
    """A case against a natural person (个体工商户经营者 张三丰), handled by 广告监管股."""
    return filed(party_kind="person", party_name="张三丰")


def test_the_case_page_masks_a_natural_persons_name(person_case, officer, login):
    page = page_of(login(officer).get(f"/cases/cases/{person_case.pk}/"))
    party = re.search(r'id="case-party">(.*?)</dd>', page, re.S).group(1)
    assert "张**" in party and "张三丰" not in page
    assert 'href="?party=1"' in party
    assert not view_records(person_case).exists()


@pytest.mark.parametrize("who", ["ad_officer", "ad_head", "leader", "legal", "office"])
def test_the_name_is_shown_on_request_to_who_handles_or_oversees_the_case_and_the_view_is_logged(
    demo, person_case, login, who
):
    user = demo.users[who]
    page = page_of(login(user).get(f"/cases/cases/{person_case.pk}/?party=1"))
    party = re.search(r'id="case-party">(.*?)</dd>', page, re.S).group(1)
    assert "张三丰" in party and "?party=1" not in party
    [record] = view_records(person_case)
    assert record.user == user and record.object_repr == "旌市监立〔2025〕1号 · 当事人"
    assert record.content_type.model == "case" and record.via == "web"


def test_the_auditor_reads_the_case_but_not_the_persons_name(demo, person_case, login):
    page = page_of(login(demo.users["auditor"]).get(f"/cases/cases/{person_case.pk}/?party=1"))
    assert "张三丰" not in page and "张**" in page
    assert "只有办案机构、办案人员、负责人、法制审核和办公室可以查看自然人当事人姓名" in messages_of(page)
    assert not view_records(person_case).exists()


def test_an_officer_of_another_department_cannot_even_see_the_case(demo, person_case, login):
    client = login(demo.users["price_officer"])
    assert client.get(f"/cases/cases/{person_case.pk}/?party=1").status_code == 404
    assert not view_records(person_case).exists()


def test_an_organisations_name_is_not_masked_and_not_logged(filed, officer, login):
    case = filed()
    page = page_of(login(officer).get(f"/cases/cases/{case.pk}/?party=1"))
    party = re.search(r'id="case-party">(.*?)</dd>', page, re.S).group(1)
    assert "旌德县云乐茶叶有限公司" in party and "?party=1" not in party
    assert not view_records(case).exists()


def test_the_case_page_shows_the_clocks_and_offers_only_the_users_steps(filed, officer, leader, login, clock):
    case = filed()
    clock(at("2026-02-06"))
    page = page_of(login(officer).get(f"/cases/cases/{case.pk}/"))
    assert re.search(r'id="case-decision-due" class="wj-overdue">2026-02-05<', page)
    assert 'id="case-overdue"' in page and "90日届满为 2026-02-05" in page
    assert 'data-action="end_investigation"' in page and 'data-action="extend"' not in page
    page = page_of(login(leader).get(f"/cases/cases/{case.pk}/"))
    assert 'data-action="extend"' in page and 'data-action="end_investigation"' not in page


# ---------------------------------------------------------------- the 审批表 page


def test_the_draft_page_is_prefilled_from_the_clue(fed_back, officer, login, clock):
    clue = fed_back()
    clock(at("2025-11-04"))
    page = page_of(login(officer).get(f"/cases/cases/add/?clue={clue.pk}"))
    assert f'<input type="hidden" name="clue" value="{clue.pk}">' in page
    assert 'name="title" value="旌德县云乐茶叶有限公司：互联网广告"' in page
    assert 'name="party_name" value="旌德县云乐茶叶有限公司"' in page
    assert 'name="party_uscc" value="91341825MA2CASE01X"' in page
    assert 'name="party_region" value="341825"' in page
    assert 'name="presence_label" value="云乐茶叶淘宝店1"' in page
    assert re.search(r'id="id_facts">\s*商品详情页使用“国家级”“最佳”等绝对化用语</textarea>', page)
    assert f'<option value="{clue.department_id}" selected>广告监管股</option>' in page
    assert "立案决定期限：2025-11-24" in page


def test_the_draft_page_shows_the_clues_discovery_date(fed_back, officer, login, clock):
    clue = fed_back()
    clock(at("2025-11-04"))
    page = page_of(login(officer).get(f"/cases/cases/add/?clue={clue.pk}"))
    assert re.search(r'<input type="date" name="discovered_on" value="2025-11-03"', page)


def test_the_draft_page_saves_the_form_from_the_clue(fed_back, officer, login, clock):
    clue = fed_back()
    clock(at("2025-11-04"))
    r = login(officer).post(
        "/cases/cases/add/",
        {
            "clue": clue.pk,
            "proposal": "file",
            "title": "使用“国家级”“最佳”等绝对化用语",
            "domain": "internet_advertising",
            "party_name": "旌德县云乐茶叶有限公司",
            "party_kind": "organisation",
            "party_region": "341825",
            "facts": clue.facts,
            "department": clue.department_id,
        },
    )
    case = Case.objects.get(clue=clue)
    assert r.status_code == 302 and r["Location"] == f"/cases/cases/{case.pk}/"
    assert case.title == "使用“国家级”“最佳”等绝对化用语" and case.discovered_on == dt.date(2025, 11, 3)
    assert case.state == "draft" and case.drafted_by == officer


# ---------------------------------------------------------------- the API


def test_the_api_drafts_from_a_clue_designates_and_approves(fed_back, officer, head, leader, api, clock):
    clue = fed_back(evidence_refs=["网页截图-0001"])
    clock(at("2025-11-04"))
    r = api(officer).post("/api/cases/cases/", {"clue": clue.pk}, format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["state"] == "draft" and body["clue"] == clue.pk and body["number"] == ""
    assert body["party_name"] == "旌德县云乐茶叶有限公司" and body["discovered_on"] == "2025-11-03"
    assert body["filing_due"] == "2025-11-24" and body["evidence_refs"] == ["网页截图-0001"]
    assert body["jurisdiction"] == "advertiser" and body["allowed_actions"] == []
    pk = body["id"]

    r = api(head).post(
        f"/api/cases/cases/{pk}/transition/",
        {"action": "designate", "officers": [officer.pk, head.pk], "lead": officer.pk},
        format="json",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["state"] == "pending" and body["message"] == "已指定办案人员并提交负责人审批"
    assert [(o["name"], o["lead"]) for o in body["officers"]] == [("钱科员", True), ("赵股长", False)]

    clock(at("2025-11-07"))
    r = api(leader).post(
        f"/api/cases/cases/{pk}/transition/", {"action": "approve", "opinion": "同意"}, format="json"
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["message"] == "已批准立案，立案编号 旌市监立〔2025〕1号"
    assert body["state"] == "investigating" and body["opened_on"] == "2025-11-07"
    assert body["decision_due"] == "2026-02-05" and body["overdue"] is False

    history = api(officer).get(f"/api/cases/cases/{pk}/history/").json()
    assert [(e["action"], e["from_state"], e["to_state"], e["actor_name"]) for e in history] == [
        ("draft", "", "draft", "钱科员"),
        ("designate", "draft", "pending", "赵股长"),
        ("approve", "pending", "investigating", "王局长"),
    ]


def test_the_api_masks_a_natural_persons_name(person_case, officer, api):
    body = api(officer).get(f"/api/cases/cases/{person_case.pk}/").json()
    assert body["party_name"] == "张**" and body["party_kind"] == "person"


def test_the_api_refuses_a_clue_its_caller_cannot_see(demo, fed_back, api, clock):
    clue = fed_back()
    clock(at("2025-11-04"))
    r = api(demo.users["price_officer"]).post("/api/cases/cases/", {"clue": clue.pk}, format="json")
    assert r.status_code == 400 and r.json()["error"]["zh"] == f"找不到线索 {clue.pk}，或无权查看"


def test_designating_one_officer_is_refused_in_the_same_words_by_the_api_and_the_page(
    draft, officer, head, api, login, clock
):
    case = draft()
    clock(at("2025-11-04"))
    refusal = "须指定两名以上办案人员（程序规定第二十条）"
    r = api(head).post(
        f"/api/cases/cases/{case.pk}/transition/",
        {"action": "designate", "officers": [officer.pk]},
        format="json",
    )
    assert r.status_code == 400 and r.json()["error"]["zh"] == refusal
    r = login(head).post(
        f"/cases/cases/{case.pk}/act/designate/", {"designate-officers": [officer.pk]}, follow=True
    )
    assert refusal in messages_of(page_of(r))
    case.refresh_from_db()
    assert case.state == "draft"


def test_an_expired_certificate_is_refused_by_name_in_the_api_and_the_page(
    draft, officer, head, api, login, clock
):
    from wangjian.org.models import User

    User.objects.filter(pk=officer.pk).update(certificate_valid_until=dt.date(2025, 11, 1))
    case = draft()
    clock(at("2025-11-04"))
    refusal = "钱科员 未持有有效的行政执法证，不能担任办案人员（程序规定第二十条）"
    r = api(head).post(
        f"/api/cases/cases/{case.pk}/transition/",
        {"action": "designate", "officers": [officer.pk, head.pk]},
        format="json",
    )
    assert r.status_code == 400 and r.json()["error"]["zh"] == refusal
    r = login(head).post(
        f"/cases/cases/{case.pk}/act/designate/", {"designate-officers": [officer.pk, head.pk]}, follow=True
    )
    assert refusal in messages_of(page_of(r))


def test_approval_by_the_department_head_is_refused_in_the_same_words_by_the_api_and_the_page(
    pending, head, api, login, clock
):
    case = pending()
    clock(at("2025-11-07"))
    refusal = (
        "“负责人批准”只能由局负责人操作（程序规定第十八条、第二十条：由市场监督管理部门负责人决定是否立案）。"
    )
    r = api(head).post(f"/api/cases/cases/{case.pk}/transition/", {"action": "approve"}, format="json")
    assert r.status_code == 403 and r.json()["error"] == {
        "code": "permission_denied",
        "zh": refusal,
        "en": "Action 'approve' may be taken only by: bureau_head.",
        "detail": {"action": "approve", "parties": ["bureau_head"]},
    }
    r = login(head).post(f"/cases/cases/{case.pk}/act/approve/", {"approve-opinion": "同意"}, follow=True)
    assert refusal in messages_of(page_of(r))
    case.refresh_from_db()
    assert case.state == "pending" and case.number == ""


def test_the_page_takes_a_step_like_the_api(pending, leader, login, clock):
    case = pending()
    clock(at("2025-11-07"))
    r = login(leader).post(
        f"/cases/cases/{case.pk}/act/approve/", {"approve-opinion": "同意立案"}, follow=True
    )
    assert "已批准立案，立案编号 旌市监立〔2025〕1号" in messages_of(page_of(r))
    case.refresh_from_db()
    assert case.state == "investigating" and case.approval_opinion == "同意立案"


def test_a_step_from_the_wrong_state_is_an_invalid_transition_in_the_api(filed, leader, api):
    case = filed()
    r = api(leader).post(
        f"/api/cases/cases/{case.pk}/transition/", {"action": "approve", "opinion": "同意"}, format="json"
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_transition"


# ---------------------------------------------------------------- who sees what


@pytest.mark.parametrize("who", ["jixi_officer", "price_officer"])
def test_another_bureau_or_another_department_does_not_see_the_case(demo, filed, api, login, who):
    case = filed()
    user = demo.users[who]
    assert api(user).get("/api/cases/cases/").json()["results"] == []
    assert api(user).get(f"/api/cases/cases/{case.pk}/").status_code == 404
    assert api(user).get(f"/api/cases/cases/{case.pk}/history/").status_code == 404
    r = api(user).post(
        f"/api/cases/cases/{case.pk}/transition/", {"action": "end_investigation", "report": "x"}
    )
    assert r.status_code == 404
    assert login(user).get(f"/cases/cases/{case.pk}/").status_code == 404
    assert case.number not in page_of(login(user).get("/cases/cases/"))


def test_the_auditor_reads_every_case_of_the_bureau_but_takes_no_step(demo, filed, api, login):
    case = filed()
    auditor = demo.users["auditor"]
    assert [row["id"] for row in api(auditor).get("/api/cases/cases/").json()["results"]] == [case.pk]
    assert api(auditor).get(f"/api/cases/cases/{case.pk}/").json()["allowed_actions"] == []
    r = api(auditor).post(
        f"/api/cases/cases/{case.pk}/transition/",
        {"action": "end_investigation", "report": "x"},
        format="json",
    )
    assert r.status_code == 403
    page = page_of(login(auditor).get(f"/cases/cases/{case.pk}/"))
    assert "当前没有您可以办理的步骤。" in page
    login(auditor).post(f"/cases/cases/{case.pk}/act/end_investigation/", {"end_investigation-report": "x"})
    case.refresh_from_db()
    assert case.state == "investigating"


# ---------------------------------------------------------------- wangjian cases list --json


def test_the_command_lists_each_case_with_its_clock_as_json(filed, pending, clock):
    late = filed()
    waiting = pending()
    clock(at("2026-02-06"))
    out = io.StringIO()
    call_command("cases", "list", "--json", stdout=out)
    rows = {row["id"]: row for row in map(json.loads, out.getvalue().splitlines())}
    keys = ["id", "number", "bureau", "state", "procedure", "opened_on", "decision_due"]
    keys += ["suspended_days", "extension_days", "overdue"]
    assert {k: rows[late.pk][k] for k in keys} == {
        "id": late.pk,
        "number": "旌市监立〔2025〕1号",
        "bureau": "341825",
        "state": "investigating",
        "procedure": "general",
        "opened_on": "2025-11-07",
        "decision_due": "2026-02-05",
        "suspended_days": 0,
        "extension_days": 0,
        "overdue": True,  # on 2026-02-06, the day after
    }
    assert {k: rows[waiting.pk][k] for k in keys} == {
        "id": waiting.pk,
        "number": None,
        "bureau": "341825",
        "state": "pending",
        "procedure": "general",
        "opened_on": None,
        "decision_due": None,
        "suspended_days": 0,
        "extension_days": 0,
        "overdue": False,
    }


def test_the_command_lists_only_open_cases_of_a_bureau_when_asked(filed, advance, leader, act):
    kept = filed()
    gone = filed()
    act(gone, leader, "withdraw", "2025-11-21", reason="不符合立案条件")
    out = io.StringIO()
    call_command("cases", "list", "--json", "--open", "--bureau", "341825", stdout=out)
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == [kept.pk]
    out = io.StringIO()
    call_command("cases", "list", "--json", "--bureau", "341824", stdout=out)
    assert out.getvalue() == ""
