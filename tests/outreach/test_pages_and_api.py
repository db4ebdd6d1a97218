"""The pages and the API refuse the same thing with the same words; who may read, act and set the deadlines."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from tests.outreach.conftest import at


@pytest.fixture
def stopped(clock):
    return clock(at("2025-11-04"))


def _takedown_form(platform):
    return {
        "platform": platform.pk,
        "kind": "takedown",
        "sent_on": "2025-11-04",
        "basis": "电子商务法第二十九条",
        "urls": "",
    }


def test_a_takedown_without_links_is_refused_alike_by_the_page_and_the_api(
    staff, platform, login, api, stopped
):
    page = login(staff["net_officer"]).post(reverse("outreach:request_add"), _takedown_form(platform))
    assert "下架/删除链接请求须列明链接" in page.content.decode()
    r = api(staff["net_officer"]).post("/api/outreach/requests/", _takedown_form(platform), format="json")
    assert r.status_code == 400 and r.json()["error"]["zh"] == "下架/删除链接请求须列明链接"


def test_an_officer_outside_the_network_unit_is_refused_alike(staff, platform, login, api, stopped):
    refusal = "业务人员只有网络交易监管科室的可以办理平台责任和外部门协作事项"
    page = login(staff["ad_officer"]).get(reverse("outreach:request_add"))
    assert page.status_code == 403 and refusal in page.content.decode()
    form = dict(_takedown_form(platform), urls="https://shop.example.cn/item/1")
    r = api(staff["ad_officer"]).post("/api/outreach/requests/", form, format="json")
    assert r.status_code == 403 and r.json()["error"]["zh"] == refusal


def test_an_answer_recorded_twice_is_refused_alike(staff, platform, login, api, stopped):
    from wangjian.outreach import services
    from wangjian.outreach.models import PlatformRequest

    request = services.request_send(
        request=PlatformRequest(
            bureau=platform.bureau,
            platform=platform,
            kind="data",
            basis="电子商务法第二十五条",
            data_scope="订单",
        ),
        user=staff["net_officer"],
        now=at("2025-11-04"),
    )
    answer = {"answered_on": "2025-11-04", "answer": "done"}
    r = api(staff["net_officer"]).post(
        f"/api/outreach/requests/{request.pk}/step/", {"action": "answer", **answer}, format="json"
    )
    assert r.status_code == 200 and r.json()["answer"] == "done"
    r = api(staff["net_officer"]).post(
        f"/api/outreach/requests/{request.pk}/step/", {"action": "answer", **answer}, format="json"
    )
    assert r.status_code == 400 and r.json()["error"]["zh"] == "当前不能“登记平台答复”"
    page = login(staff["net_officer"]).post(
        reverse("outreach:act", args=["request", request.pk, "answer"]), answer, follow=True
    )
    assert "当前不能“登记平台答复”" in page.content.decode()


def test_every_member_of_staff_reads_the_auditor_may_not_act_and_only_the_office_sets_deadlines(
    staff, platform, login, api, stopped
):
    for name in ("auditor", "station_officer", "ad_officer"):
        assert login(staff[name]).get(reverse("outreach:platform", args=[platform.pk])).status_code == 200
        assert api(staff[name]).get("/api/outreach/requests/").status_code == 200
    assert login(staff["auditor"]).get(reverse("outreach:guidance_add")).status_code == 403
    r = api(staff["auditor"]).post(
        "/api/outreach/authorities/", {"name": "宣城市公安局", "kind": "police"}, format="json"
    )
    assert r.status_code == 403 and "outreach.outreach.act" in r.json()["error"]["zh"]
    head = login(staff["ad_head"]).post(
        reverse("outreach:settings"), {"clock": "outreach.takedown", "length": 5}
    )
    assert head.status_code == 403
    office = login(staff["office"]).post(
        reverse("outreach:settings"), {"clock": "outreach.takedown", "length": 5}
    )
    assert office.status_code == 302
    from wangjian.platform.clocks.services import setting_for

    assert setting_for(bureau=platform.bureau, clock="outreach.takedown").length == 5


def test_the_platform_page_shows_a_missing_report_and_another_bureau_sees_nothing(
    staff, platform, seller_import, login, clock
):
    clock(at("2025-08-05"))
    seller_import(platform, "2025-01-10")
    page = login(staff["office"]).get(reverse("outreach:platform", args=[platform.pk])).content.decode()
    assert "2025年7月" in page and "未报送" in page and "平台未申报核验更新" in page
    listed = login(staff["office"]).get(reverse("outreach:platform_list") + "?overdue=1").content.decode()
    assert "测试优选商城" in listed
    from wangjian.org import services as org_services

    other, _ = org_services.user_create(
        username="jixi_office",
        role="office_admin",
        bureau=staff["office"]
        .bureau.__class__.objects.exclude(pk=platform.bureau_id)
        .filter(name__contains="绩溪")
        .first(),
        password="Demo2025pass",
    )
    assert login(other).get(reverse("outreach:platform", args=[platform.pk])).status_code == 404


def test_the_lists_and_record_pages_show_the_records_with_their_steps(
    demo, staff, platform, login, api, clock
):
    from wangjian.outreach import demo as outreach_demo

    clock(at("2025-11-04"))
    outreach_demo.load(demo, io.StringIO())
    web = login(staff["net_officer"])
    for name in ("guidance", "request", "authority", "authority_request"):
        listed = web.get(reverse(f"outreach:{name}_list"))
        assert listed.status_code == 200
    from wangjian.outreach.models import AuthorityRequest, Guidance, PlatformRequest

    guidance = Guidance.objects.get(bureau=demo.county)
    page = web.get(guidance.get_absolute_url()).content.decode()
    assert "逾期" in page and "step-assess" in page
    data = PlatformRequest.objects.get(bureau=demo.county, kind="data")
    assert "step-answer" in web.get(data.get_absolute_url()).content.decode()
    letter = AuthorityRequest.objects.get(bureau=demo.county, kind="shutdown")
    assert "step-outcome" in web.get(letter.get_absolute_url()).content.decode()
    assert web.get(reverse("outreach:settings")).status_code == 200
    r = api(staff["net_officer"]).get(f"/api/outreach/platforms/{guidance.platform_id}/duties/")
    assert r.status_code == 200 and any(row["state"] == "late" for row in r.json()["reports"])
