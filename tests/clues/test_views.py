"""The pages: list scoped to the unit, detail with routing reason and only the allowed buttons, overview, Excel."""

import io

from openpyxl import load_workbook

from wangjian.clues.models import Clue


def test_officer_list_shows_only_their_units_clues(demo, intake, login):
    ad = intake(entity_uscc="A1").clue
    price = intake(domain="online_price", entity_uscc="A2").clue
    page = login(demo.users["ad_officer"]).get("/clues/clues/").content.decode()
    assert ad.number in page and price.number not in page


def test_another_units_clue_is_not_found_for_an_officer(demo, intake, login):
    price = intake(domain="online_price").clue
    assert login(demo.users["ad_officer"]).get(f"/clues/clues/{price.pk}/").status_code == 404


def test_detail_explains_routing_and_offers_only_allowed_steps(demo, intake, login):
    clue = intake().clue
    page = login(demo.users["ad_officer"]).get(f"/clues/clues/{clue.pk}/").content.decode()
    assert "职责清单第 #" in page and "旌市场办〔2022〕116号" in page
    assert 'data-action="accept"' in page and 'data-action="return"' in page
    assert 'data-action="assign"' not in page and 'data-action="escalate"' not in page


def test_officer_takes_the_loop_through_the_pages(demo, intake, login):
    clue = intake().clue
    c = login(demo.users["ad_officer"])
    c.post(f"/clues/clues/{clue.pk}/act/accept/", {"accept-comment": "收到"})
    r = c.post(
        f"/clues/clues/{clue.pk}/act/feedback/",
        {"feedback-result": "partly", "feedback-actions": "部分用语已删除"},
        follow=True,
    )
    assert "已反馈核查情况" in r.content.decode()
    clue.refresh_from_db()
    assert clue.state == "fed_back" and clue.check_result == "partly"


def test_a_refused_step_shows_the_reason_and_changes_nothing(demo, intake, login):
    clue = intake().clue
    r = login(demo.users["ad_officer"]).post(
        f"/clues/clues/{clue.pk}/act/close/", {"close-disposal": "rectify"}, follow=True
    )
    assert "不能“办结”" in r.content.decode()
    clue.refresh_from_db()
    assert clue.state == "assigned"


def test_intake_page_routes_and_reports_why(demo, login):
    c = login(demo.users["food_officer"])
    r = c.post(
        "/clues/clues/add/",
        {
            "source_kind": "inspection",
            "domain": "online_food",
            "facts": "网店无许可证",
            "region_code": "341825102",
        },
        follow=True,
    )
    clue = Clue.objects.get()
    assert clue.station.name == "三溪市场监管所" and clue.finder == demo.users["food_officer"]
    assert "按属地分派" in r.content.decode()


def test_office_overview_and_monthly_excel(demo, intake, login):
    from .conftest import at

    clue = intake(now=at("2025-09-26")).clue
    officer = demo.users["ad_officer"]
    from wangjian.clues import services

    services.clue_accept(clue=clue, user=officer, now=at("2025-09-29"))
    services.clue_feedback(clue=clue, user=officer, result="true", actions="属实", now=at("2025-10-09"))
    intake(domain="online_price", entity_uscc="B", now=at("2025-09-28"))
    c = login(demo.users["office"])
    page = c.get("/clues/overview/?year=2025&month=9").content.decode()
    assert "广告监管股" in page and "价格监督检查股" in page
    r = c.get("/clues/statistics.xlsx?year=2025&month=9")
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb["线索处置情况统计表"]
    assert "线索处置情况统计表" in ws["A1"].value
    header = [cell.value for cell in ws[3]]
    rows = {
        r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=4, max_row=6, values_only=True)
    }
    assert rows["广告监管股"]["受理线索"] == 1 and rows["广告监管股"]["按期反馈"] == 1
    assert rows["广告监管股"]["平均反馈用时（工作日）"] == 4  # 09-28 (调休), 09-29, 09-30, 10-09
    assert rows["合计"]["受理线索"] == 2
    assert wb["线索明细"].max_row == 3


def test_overview_is_closed_to_officers(demo, login):
    assert login(demo.users["ad_officer"]).get("/clues/overview/").status_code == 403


def test_workbench_lists_my_clues_overdue_first(demo, intake, login):
    from .conftest import at

    old = intake(entity_uscc="OLD", now=at("2025-09-01")).clue
    new = intake(entity_uscc="NEW", now=at("2025-11-03")).clue
    page = login(demo.users["ad_officer"]).get("/").content.decode()
    assert page.index(old.number) < page.index(new.number)


def test_officer_adds_own_push_address_but_not_a_units(demo, login):
    from wangjian.platform.inbox.models import PushAddress as NotificationAddress

    c = login(demo.users["ad_officer"])
    c.post("/inbox/addresses/", {"url": "mailto://qian:pw@example.com", "label": "工作邮箱"})
    assert NotificationAddress.objects.get().user == demo.users["ad_officer"]
    ad = demo.county.departments.get(kind="advertising")
    r = c.post(
        "/inbox/addresses/", {"url": "mailto://group:pw@example.com", "department": ad.pk}, follow=True
    )
    assert "办公室管理员" in r.content.decode()
    r = c.post("/inbox/addresses/", {"url": "not a url"}, follow=True)
    assert "Apprise" in r.content.decode()
    assert NotificationAddress.objects.count() == 1
    office = login(demo.users["office"])
    office.post("/inbox/addresses/", {"url": "mailto://group:pw@example.com", "department": ad.pk})
    assert NotificationAddress.objects.filter(department=ad).count() == 1
    page = office.get("/inbox/addresses/").content.decode()
    assert "group:pw" not in page  # the token of an address is never shown


def _intake_with_attachment(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        "/clues/clues/add/",
        {
            "source_kind": "media",
            "domain": "online_price",
            "facts": "媒体报道哄抬价格",
            "attachment": SimpleUploadedFile("报道截图.png", b"\x89PNG fake"),
        },
    )
    return Clue.objects.get()


def test_intake_with_an_attachment(demo, login, tmp_path, settings):
    settings.WANGJIAN_STORAGE = str(tmp_path)
    clue = _intake_with_attachment(login(demo.users["office"]))
    attachment = clue.attachments.get()
    assert attachment.name == "报道截图.png" and attachment.file.read() == b"\x89PNG fake"
    assert str(tmp_path) in attachment.file.path


def test_an_attachment_is_downloaded_from_the_clue_page_and_the_download_logged(demo, login, s3):
    from django.test import Client

    from wangjian.core.models import ChangeRecord

    office = login(demo.users["office"])
    clue = _intake_with_attachment(office)
    attachment = clue.attachments.get()
    (key,) = s3.keys()
    assert key.startswith("jingde/clues/")  # kept where every machine of the bureau reads it
    link = f"/clues/clues/{clue.pk}/attachments/{attachment.pk}/"
    assert link in office.get(clue.get_absolute_url()).content.decode()

    response = office.get(link)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"\x89PNG fake"
    assert response["Content-Type"] == "image/png" and "attachment" in response["Content-Disposition"]
    logged = ChangeRecord.objects.get(action=ChangeRecord.Action.VIEW, object_id=str(attachment.pk))
    assert logged.user == demo.users["office"] and "报道截图.png" in logged.object_repr

    neighbour = Client()
    neighbour.force_login(demo.users["jixi_officer"])  # 绩溪县: not this clue's bureau
    assert neighbour.get(link).status_code == 404
    assert office.get(f"/clues/clues/{clue.pk}/attachments/{attachment.pk + 1}/").status_code == 404
    assert ChangeRecord.objects.filter(action=ChangeRecord.Action.VIEW).count() == 1


def test_changelog_and_deadline_policy_pages(demo, intake, login):
    from wangjian.platform.clocks.models import DeadlinePolicy

    clue = intake().clue
    office = login(demo.users["office"])
    assert office.get(f"/clues/clues/{clue.pk}/changelog/").status_code == 200
    r = office.post(
        "/clocks/",
        {"clock": "clue.feedback", "variant": "complaint", "length": 5, "basis": "本局12315线索规定"},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    policy = DeadlinePolicy.objects.get()
    assert (policy.clock, policy.variant, policy.length) == ("clue.feedback", "complaint", 5)
    assert "本局12315线索规定" in office.get("/clocks/").content.decode()
    officer = login(demo.users["ad_officer"])
    officer.post("/clocks/", {"clock": "clue.feedback", "variant": "complaint", "length": 30})
    policy.refresh_from_db()
    assert policy.length == 5


def test_saved_filter(demo, intake, login):
    c = login(demo.users["office"])
    c.post("/clues/clues/saved/", {"name": "逾期在办", "query": "open=true&overdue=true"})
    assert "逾期在办" in c.get("/clues/clues/").content.decode()


def test_list_exports_the_filtered_rows_as_csv(demo, intake, login):
    ad = intake(entity_uscc="A1").clue
    intake(domain="online_price", entity_uscc="A2")
    r = login(demo.users["office"]).get("/clues/clues/?domain=internet_advertising&export=csv")
    text = r.content.decode("utf-8-sig")
    assert ad.number in text and "网络交易价格" not in text
    assert "2025-10-13" in text


def test_office_merges_and_splits_through_the_page(demo, intake, login):
    a = intake(entity_uscc="M1").clue
    intake(entity_uscc="M1", source_kind="complaint", facts="虚构原价")
    b = intake(presence_label="另一店铺").clue
    office = login(demo.users["office"])
    complaint = a.sources.get(kind="complaint")
    r = office.post(
        f"/clues/clues/{a.pk}/act/split/",
        {"split-sources": [str(complaint.pk)], "split-domain": "online_price", "split-reason": "价格问题"},
        follow=True,
    )
    assert "已拆分出" in r.content.decode()
    assert Clue.objects.filter(domain="online_price").get().sources.get() == complaint
    r = office.post(f"/clues/clues/{b.pk}/act/merge/", {"merge-into": a.number}, follow=True)
    assert f"已并入 {a.number}" in r.content.decode()
    b.refresh_from_db()
    assert b.state == "merged"


def test_workbench_shows_unread_clue_notifications(demo, intake, login):
    clue = intake().clue
    page = login(demo.users["ad_officer"]).get("/").content.decode()
    assert "消息与通知" in page and f"新线索 {clue.number}" in page
