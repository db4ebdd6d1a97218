"""The complaint pages and the REST API: the same rules, the same words, the same visibility.

- registration (page and API) checks what art. 9 asks of a complaint, routes it to the station whose territory
  covers the business's place (or to the unit the duty list names) and starts the acceptance clock;
- the complainant's or reporter's data is personal: masked in the list, its export, the record's page and
  the API for everyone; who handles the record reads it on request with a reason, and the read is logged
  (ChangeRecord, 查看敏感信息); anyone else is refused in the same words on the page and through the API;
- a step is checked by the same form and the same service on the page and through the API: a refusal reads
  the same in both;
- another bureau sees nothing of the record (404), and the list's overdue filter finds what is past the 7
  working days of art. 14 while still 待受理.

The demo county (tests/conftest.py ``demo``): 旌德县, its 旌阳市场监管所 covers 旌阳镇 (341825100), where 吴所员
(station_officer) works; 李主任 (office) is the office (12315). The calendar: November 2025 has weekends only,
so a complaint received Monday 2025-11-03 is to be accepted or refused by Wednesday 11-12 (7 working days),
one received Monday 11-10 by Wednesday 11-19.
"""

from __future__ import annotations

import html
import re

import pytest

from tests.clues import conftest as clues
from wangjian.complaints.models import Complaint
from wangjian.complaints.permissions import COMPLAINT_ACT
from wangjian.complaints.services.intake import complaint_register
from wangjian.complaints.services.transitions import allowed_actions
from wangjian.core.models import ChangeRecord
from wangjian.org import permissions

# the clue tests' moments in Beijing time and their stopped clock (a fixture)
at, clock = clues.at, clues.clock
LIST = "/complaints/complaints/"
API = "/api/complaints/complaints/"
JINGYANG = "341825100"  # 旌阳镇, territory of 旌阳市场监管所
NOT_YOURS = "无权查看该记录的个人信息（仅限办理该记录需要的岗位）"
FORM = {
    "kind": "complaint",
    "channel": "phone",
    "received_on": "2025-11-03",
    "person_name": "张三丰",
    "person_phone": "13912345678",
    "person_address": "旌德县旌阳镇文化路1号",
    "respondent_name": "旌德县旌阳超市",
    "respondent_kind": "offline",
    "respondent_region": JINGYANG,
    "category": "乳制品",
    "summary": "2025年11月1日在该超市购买的纯牛奶已过保质期",
    "demand": "退货并赔偿",
    "amount": "36.00",
}


# ---------------------------------------------------------------- helpers


def page_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def list_rows(page: str) -> dict[int, tuple[str, dict[str, str]]]:
    """The list's rows by complaint id: the row's classes and each cell's text under its column's header."""
    headers = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", page, re.S)]
    rows = {}
    for classes, pk, body in re.findall(r'<tr class="([^"]*)" data-complaint="(\d+)">(.*?)</tr>', page, re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)]
        rows[int(pk)] = (classes, dict(zip(headers, cells, strict=True)))
    return rows


def person_shown(page: str) -> dict[str, str]:
    return dict(re.findall(r'id="person-(person_\w+)">(.*?)</dd>', page))


def view_records(complaint):
    return ChangeRecord.objects.filter(
        action="view", object_id=str(complaint.pk), content_type__model="complaint"
    )


@pytest.fixture
def office(demo):
    """李主任, the office (12315): registers, refuses, transfers, reads the person's data of every record."""
    return demo.users["office"]


@pytest.fixture
def station_officer(demo):
    """吴所员 of 旌阳市场监管所, the unit a complaint about a business in 旌阳镇 goes to."""
    return demo.users["station_officer"]


@pytest.fixture
def registered(office):
    """``registered(received=..., **values)`` → a complaint 李主任 registered that day (about a shop in 旌阳镇)."""

    def _registered(received: str = "2025-11-03", **values):
        data = {**FORM, "received_on": None, **values}
        data.pop("amount")
        return complaint_register(user=office, bureau=office.bureau, values=data, now=at(received, "09:00"))

    return _registered


# ---------------------------------------------------------------- registration


def test_the_page_registers_a_complaint_for_the_station_of_the_businesss_place(office, login, clock):
    clock(at("2025-11-03"))
    page = page_of(login(office).get(f"{LIST}add/"))
    assert re.search(r'<input type="date" name="received_on" value="2025-11-03"', page)
    r = login(office).post(f"{LIST}add/", FORM)
    complaint = Complaint.objects.get()
    assert r.status_code == 302 and r["Location"] == f"{LIST}{complaint.pk}/"
    assert complaint.number == "旌市监诉〔2025〕1号" and complaint.state == "received"
    assert str(complaint.station) == "旌阳市场监管所" and complaint.department is None
    assert complaint.accept_due.isoformat() == "2025-11-12" and "第十四条" in complaint.accept_basis
    page = page_of(login(office).get(r["Location"]))
    assert "已登记 旌市监诉〔2025〕1号：被投诉人经营地 341825100 属旌阳市场监管所辖区" in page
    assert re.search(r'id="complaint-accept-due" class="">2025-11-12<', page)
    basis = re.search(r'id="complaint-accept-basis">(.*?)</div>', page).group(1)
    assert "第十四条：自收到投诉之日起七个工作日内" in basis and "第7个工作日为 2025-11-12" in basis
    assert 'id="complaint-items"' in page and "决定是否受理投诉" in page


def test_the_api_registers_an_anonymous_report_for_the_unit_of_the_duty_list(demo, api, clock):
    clock(at("2025-11-03"))
    r = api(demo.users["ad_officer"]).post(
        API,
        {
            "kind": "report",
            "channel": "phone",
            "respondent_name": "云乐茶叶淘宝店",
            "respondent_region": JINGYANG,
            "domain": "internet_advertising",
            "summary": "商品详情页称“国家级”“最佳”",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["number"] == "旌市监诉〔2025〕1号" and body["kind"] == "report"
    assert body["state"] == "verifying" and body["anonymous"] is True and body["person_name"] == ""
    assert body["department"] == demo.users["ad_officer"].department_id and body["station"] is None
    assert body["accept_due"] is None  # a report has no acceptance decision: it is verified
    assert "广告监管" in body["routing_basis"]


def test_a_complaint_without_a_phone_is_refused_in_the_same_words_by_the_page_and_the_api(
    office, login, api, clock
):
    clock(at("2025-11-03"))
    refusal = "投诉须提供联系电话（投诉举报处理暂行办法第九条）；匿名反映违法行为的请按举报登记"
    r = api(office).post(API, {**FORM, "person_phone": ""}, format="json")
    assert r.status_code == 400 and r.json()["error"]["zh"] == refusal
    page = page_of(login(office).post(f"{LIST}add/", {**FORM, "person_phone": ""}))
    assert re.search(r'id="form-errors">([^<]*)<', page).group(1).startswith(f"{refusal} / ")
    assert not Complaint.objects.exists()


def test_the_auditor_registers_nothing_on_the_page_or_the_api(demo, login, api, clock):
    clock(at("2025-11-03"))
    auditor = demo.users["auditor"]
    refusal = permissions.get("complaints.complaint.create").refusal()[0]
    assert login(auditor).post(f"{LIST}add/", FORM).status_code == 403
    r = api(auditor).post(API, FORM, format="json")
    assert r.status_code == 403 and r.json()["error"]["zh"] == refusal
    assert not Complaint.objects.exists()


# ---------------------------------------------------------------- the person's data


@pytest.mark.parametrize("who", ["leader", "auditor", "office", "station_officer"])
def test_the_list_and_its_export_mask_the_persons_name_for_everyone(demo, registered, login, clock, who):
    complaint = registered()
    clock(at("2025-11-04"))
    client = login(demo.users[who])
    page = page_of(client.get(LIST))
    _classes, cells = list_rows(page)[complaint.pk]
    assert cells["投诉人/举报人"] == "张**" and "张三丰" not in page and "13912345678" not in page
    assert cells["登记编号"] == "旌市监诉〔2025〕1号" and cells["承办单位"] == "旌阳市场监管所"
    export = client.get(LIST, {"export": "csv"}).content.decode("utf-8-sig")
    assert "张**" in export and "张三丰" not in export
    assert not view_records(complaint).exists()


def test_the_handling_station_reads_the_persons_data_after_giving_a_reason_and_the_read_is_logged(
    registered, station_officer, login, clock
):
    complaint = registered()
    clock(at("2025-11-04"))
    client = login(station_officer)
    page = page_of(client.get(f"{LIST}{complaint.pk}/"))
    assert person_shown(page)["person_name"] == "张**" and "张三丰" not in page
    assert person_shown(page)["person_phone"] == "139****5678" and 'id="person-form"' in page
    assert not view_records(complaint).exists()

    page = page_of(client.post(f"{LIST}{complaint.pk}/person/", {"reason": "回电核实诉求"}))
    assert person_shown(page) == {
        "person_name": "张三丰",
        "person_phone": "13912345678",
        "person_address": "旌德县旌阳镇文化路1号",
        "person_id_number": "—",
    }
    assert 'id="person-logged"' in page and 'id="person-form"' not in page
    [record] = view_records(complaint)
    assert record.user == station_officer and record.reason == "回电核实诉求" and record.via == "web"
    assert record.object_repr == "旌市监诉〔2025〕1号 投诉 旌德县旌阳超市"
    # the list still masks it: the read was of this record, on its page
    assert list_rows(page_of(client.get(LIST)))[complaint.pk][1]["投诉人/举报人"] == "张**"


def test_the_office_reads_the_persons_data_by_the_address_too(registered, office, login, clock):
    complaint = registered()
    clock(at("2025-11-04"))
    page = page_of(login(office).get(f"{LIST}{complaint.pk}/", {"person": "1", "reason": "12315回访"}))
    assert person_shown(page)["person_name"] == "张三丰"
    [record] = view_records(complaint)
    assert record.user == office and record.reason == "12315回访"


def test_a_read_without_a_reason_is_refused_and_not_logged(registered, station_officer, login, api, clock):
    complaint = registered()
    clock(at("2025-11-04"))
    page = page_of(login(station_officer).post(f"{LIST}{complaint.pk}/person/", {"reason": " "}))
    assert "查看个人信息须写明理由" in page and "张三丰" not in page
    assert api(station_officer).post(f"{API}{complaint.pk}/person/", {}, format="json").status_code == 400
    assert not view_records(complaint).exists()


@pytest.mark.parametrize("who", ["auditor", "leader"])
def test_the_auditor_and_another_unit_are_refused_the_persons_data_in_the_same_words(
    demo, registered, login, api, clock, who
):
    complaint = registered()
    clock(at("2025-11-04"))
    user = demo.users[who]
    page = page_of(login(user).get(f"{LIST}{complaint.pk}/"))
    assert person_shown(page)["person_name"] == "张**" and 'id="person-form"' not in page
    page = page_of(login(user).post(f"{LIST}{complaint.pk}/person/", {"reason": "查看"}))
    assert NOT_YOURS in page and "张三丰" not in page
    r = api(user).post(f"{API}{complaint.pk}/person/", {"reason": "查看"}, format="json")
    assert r.status_code == 403 and r.json()["error"]["zh"] == NOT_YOURS
    assert not view_records(complaint).exists()


def test_the_api_masks_the_person_and_gives_it_to_the_handling_station_with_the_read_logged(
    registered, station_officer, api, clock
):
    complaint = registered()
    clock(at("2025-11-04"))
    client = api(station_officer)
    body = client.get(f"{API}{complaint.pk}/").json()
    assert (body["person_name"], body["person_phone"]) == ("张**", "139****5678")
    assert [row["person_name"] for row in client.get(API).json()["results"]] == ["张**"]
    r = client.post(f"{API}{complaint.pk}/person/", {"reason": "回电核实诉求"}, format="json")
    assert r.status_code == 200 and r.json() == {
        "person_name": "张三丰",
        "person_phone": "13912345678",
        "person_address": "旌德县旌阳镇文化路1号",
        "person_id_number": "",
    }
    [record] = view_records(complaint)
    assert record.user == station_officer and record.via == "api" and record.reason == "回电核实诉求"


# ---------------------------------------------------------------- steps


def test_the_page_offers_each_user_only_their_steps_with_the_rows_basis(
    registered, office, station_officer, login
):
    complaint = registered()
    page = page_of(login(station_officer).get(f"{LIST}{complaint.pk}/"))
    offered = re.findall(r'data-action="(\w+)"', page)
    assert offered == allowed_actions(user=station_officer, complaint=complaint)
    assert "accept" in offered and "transfer" not in offered  # 移送 is the unit head's or the office's
    assert "第十四条：自收到投诉之日起七个工作日内作出受理的决定，并告知投诉人" in page
    page = page_of(login(office).get(f"{LIST}{complaint.pk}/"))
    offered = re.findall(r'data-action="(\w+)"', page)
    assert offered == allowed_actions(user=office, complaint=complaint) and "transfer" in offered


def test_a_refusal_without_its_ground_is_refused_in_the_same_words_by_the_page_and_the_api(
    registered, office, login, api, clock
):
    complaint = registered()
    clock(at("2025-11-05"))
    refusal = "请选择不予受理的情形（第十五条）"
    r = api(office).post(f"{API}{complaint.pk}/transition/", {"action": "refuse", "note": "x"}, format="json")
    assert r.status_code == 400 and r.json()["error"]["zh"] == refusal
    page = page_of(login(office).post(f"{LIST}{complaint.pk}/act/refuse/", {"refuse-note": "x"}, follow=True))
    assert refusal in page
    complaint.refresh_from_db()
    assert complaint.state == "received" and complaint.events.count() == 1


def test_a_step_of_someone_else_is_refused_in_the_same_words_by_the_page_and_the_api(
    registered, station_officer, login, api, clock
):
    complaint = registered()
    clock(at("2025-11-05"))
    transfer = {"target": "绩溪县市场监督管理局", "reason": "被投诉人实际经营地在绩溪县"}
    r = api(station_officer).post(
        f"{API}{complaint.pk}/transition/", {"action": "transfer", **transfer}, format="json"
    )
    assert r.status_code == 403
    refusal = r.json()["error"]["zh"]
    assert refusal.startswith("“移送”只能由承办单位负责人、办公室（12315）操作")
    page = page_of(
        login(station_officer).post(
            f"{LIST}{complaint.pk}/act/transfer/",
            {f"transfer-{k}": v for k, v in transfer.items()},
            follow=True,
        )
    )
    assert refusal in page
    complaint.refresh_from_db()
    assert complaint.state == "received" and complaint.transfer_target == ""


def test_the_auditor_takes_no_step_on_the_page_or_the_api(demo, registered, login, api, clock):
    complaint = registered()
    clock(at("2025-11-05"))
    auditor = demo.users["auditor"]
    refusal = permissions.get(COMPLAINT_ACT).refusal()[0]
    assert api(auditor).get(f"{API}{complaint.pk}/").json()["allowed_actions"] == []
    r = api(auditor).post(f"{API}{complaint.pk}/transition/", {"action": "accept"}, format="json")
    assert r.status_code == 403 and r.json()["error"]["zh"] == refusal
    page = page_of(login(auditor).post(f"{LIST}{complaint.pk}/act/accept/", {}, follow=True))
    assert refusal in page and "当前没有您可以办理的步骤。" in page
    complaint.refresh_from_db()
    assert complaint.state == "received"


def test_the_station_accepts_on_the_page_and_records_a_mediation_through_the_api(
    registered, station_officer, login, api, clock
):
    complaint = registered()
    clock(at("2025-11-05"))
    page = page_of(
        login(station_officer).post(
            f"{LIST}{complaint.pk}/act/accept/", {"accept-accepted_on": "2025-11-05"}, follow=True
        )
    )
    complaint.refresh_from_db()
    assert complaint.state == "accepted" and complaint.handler == station_officer
    assert f"已受理，{complaint.mediation_due} 前调解终结" in page
    basis = re.search(r'id="complaint-mediation-basis">(.*?)</div>', page).group(1)
    assert basis == complaint.mediation_basis and "第二十一条" in basis
    offered = re.findall(r'data-action="(\w+)"', page)
    assert offered == allowed_actions(user=station_officer, complaint=complaint) and "mediate" in offered

    clock(at("2025-11-06"))
    r = api(station_officer).post(
        f"{API}{complaint.pk}/transition/",
        {
            "action": "mediate",
            "method": "phone",
            "record": "电话联系双方，超市同意退货",
            "first_responsibility": True,
        },
        format="json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["message"] == "已记录调解" and r.json()["first_responsibility"] is True
    [mediation] = api(station_officer).get(f"{API}{complaint.pk}/").json()["mediations"]
    assert (mediation["held_on"], mediation["method"]) == ("2025-11-06", "phone")
    history = api(station_officer).get(f"{API}{complaint.pk}/history/").json()
    assert [(e["action"], e["from_state"], e["to_state"], e["actor_name"]) for e in history] == [
        ("register", "", "received", "李主任"),
        ("accept", "received", "accepted", "吴所员"),
        ("mediate", "accepted", "accepted", "吴所员"),
    ]
    page = page_of(login(station_officer).get(f"{LIST}{complaint.pk}/"))
    assert "电话联系双方，超市同意退货" in re.search(r'id="mediations">(.*?)</table>', page, re.S).group(1)


# ---------------------------------------------------------------- who sees what


def test_another_bureau_sees_nothing_of_the_record(demo, registered, login, api, clock):
    complaint = registered()
    clock(at("2025-11-04"))
    user = demo.users["jixi_officer"]
    assert api(user).get(API).json()["results"] == []
    for url in ("", "history/"):
        assert api(user).get(f"{API}{complaint.pk}/{url}").status_code == 404
    for url, data in (("transition/", {"action": "accept"}), ("person/", {"reason": "查看"})):
        assert api(user).post(f"{API}{complaint.pk}/{url}", data, format="json").status_code == 404
    client = login(user)
    assert client.get(f"{LIST}{complaint.pk}/").status_code == 404
    assert client.post(f"{LIST}{complaint.pk}/person/", {"reason": "查看"}).status_code == 404
    assert client.post(f"{LIST}{complaint.pk}/act/accept/", {}).status_code == 404
    assert complaint.number not in page_of(client.get(LIST))
    assert not view_records(complaint).exists()


def test_an_officer_of_another_department_does_not_see_the_stations_complaint(demo, registered, login):
    complaint = registered()
    client = login(demo.users["price_officer"])
    assert client.get(f"{LIST}{complaint.pk}/").status_code == 404
    assert complaint.pk not in list_rows(page_of(client.get(LIST)))


# ---------------------------------------------------------------- the list's clock


def test_the_list_shows_the_days_left_and_the_overdue_filter_finds_what_is_past_art_14(
    registered, office, login, api, clock
):
    late = registered("2025-11-03")  # due 11-12
    running = registered("2025-11-10", respondent_name="旌德县版书超市")  # due 11-19
    clock(at("2025-11-13"))
    rows = list_rows(page_of(login(office).get(LIST)))
    classes, cells = rows[late.pk]
    assert "wj-row-overdue" in classes
    assert cells["受理决定期限"] == "2025-11-12 逾期" and cells["剩余天数"] == "-1"
    classes, cells = rows[running.pk]
    assert "wj-row-overdue" not in classes
    assert cells["受理决定期限"] == "2025-11-19" and cells["剩余天数"] == "6"

    page = page_of(login(office).get(f"{LIST}{late.pk}/"))
    assert re.search(r'id="complaint-accept-due" class="wj-overdue">2025-11-12<', page)

    assert set(list_rows(page_of(login(office).get(LIST, {"overdue": "true"})))) == {late.pk}
    assert set(list_rows(page_of(login(office).get(LIST, {"overdue": "false"})))) == {running.pk}
    body = api(office).get(API, {"overdue": "true"}).json()["results"]
    assert [(row["id"], row["accept_overdue"]) for row in body] == [(late.pk, True)]


def test_an_accepted_complaint_is_no_longer_overdue_for_acceptance(registered, station_officer, login, clock):
    late = registered("2025-11-03")
    clock(at("2025-11-13"))
    login(station_officer).post(f"{LIST}{late.pk}/act/accept/", {})
    rows = list_rows(page_of(login(station_officer).get(LIST, {"overdue": "true"})))
    assert rows == {}
    late.refresh_from_db()
    assert late.state == "accepted" and late.accepted_on.isoformat() == "2025-11-13"
    page = page_of(login(station_officer).get(f"{LIST}{late.pk}/"))  # the acceptance clock stopped
    assert re.search(r'id="complaint-accept-due" class="">2025-11-12<', page)
