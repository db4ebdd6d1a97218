"""The pages and the API: the same rules, refused in the same words; the permission table's refusals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.assist.conftest import at
from wangjian.assist import services
from wangjian.assist.models import AssistanceRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(monkeypatch):
    """Pages and the API read this moment as now (the services are given ``now`` in the other tests)."""
    moment = at("2025-09-29")
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    return moment


def test_page_and_api_refuse_the_same_step_in_the_same_words(demo, staff, sent, client, api, frozen):
    request = sent(now=at("2025-09-26"))
    client.force_login(staff["ad_officer"])
    response = client.post(reverse("assist:request_act", args=[request.pk, "accept"]), follow=True)
    page_error = [str(m) for m in response.context["messages"]][0]
    answer = api(staff["ad_officer"]).post(
        f"/api/assist/requests/{request.pk}/transition/", {"action": "accept"}, format="json"
    )
    assert answer.status_code == 403
    assert answer.json()["error"]["zh"] in page_error and "只能由协查局办公室操作" in page_error
    # a rule of the input: an answer needs its text, on both
    services.assistance_accept(
        request=request, user=staff["jixi_office"], assignee=staff["jixi_officer"], now=frozen
    )
    client.force_login(staff["jixi_officer"])
    response = client.post(
        reverse("assist:request_act", args=[request.pk, "answer"]), {"answer": ""}, follow=True
    )
    page_error = [str(m) for m in response.context["messages"]][0]
    answer = api(staff["jixi_officer"]).post(
        f"/api/assist/requests/{request.pk}/transition/", {"action": "answer", "answer": ""}, format="json"
    )
    assert answer.status_code == 400 and answer.json()["error"]["zh"] in page_error


def test_the_requester_drafts_and_sends_on_the_page_and_the_receiver_answers_through_the_api(
    demo, staff, client, api, frozen
):
    client.force_login(staff["ad_officer"])
    assert client.get(reverse("assist:request_add")).status_code == 200
    response = client.post(
        reverse("assist:request_add"),
        {
            "to_bureau": demo.other_county.pk,
            "question": "请协查该店铺经营者",
            "shop_name": "徽韵茶业旗舰店",
            "send": "on",
        },
    )
    request = AssistanceRequest.objects.get(question="请协查该店铺经营者")
    assert response.status_code == 302 and request.number and request.state == "sent"
    detail = client.get(request.get_absolute_url())
    assert detail.status_code == 200 and "旌市监协" in detail.content.decode()
    jixi = api(staff["jixi_office"])
    listed = jixi.get("/api/assist/requests/", {"direction": "received"}).json()["results"]
    assert [r["id"] for r in listed] == [request.pk] and listed[0]["allowed_actions"] == ["accept", "refuse"]
    step = jixi.post(
        f"/api/assist/requests/{request.pk}/transition/",
        {"action": "accept", "department": staff["jixi_officer"].department_id},
        format="json",
    )
    assert step.status_code == 200 and step.json()["state"] == "accepted"
    payload = jixi.get(f"/api/assist/requests/{request.pk}/payload/").json()
    assert payload["request"]["from"]["code"] == "341825"
    assert api(staff["third_officer"]).get(f"/api/assist/requests/{request.pk}/").status_code == 404
    client.force_login(staff["third_officer"])
    assert client.get(request.get_absolute_url()).status_code == 404
    client.force_login(staff["jixi_office"])
    assert (
        client.get(reverse("assist:request_list"), {"direction": "received", "overdue": "false"}).status_code
        == 200
    )


def test_the_permission_table_refuses_the_auditor_on_the_page_and_the_api(demo, staff, client, api, frozen):
    client.force_login(staff["auditor"])
    assert client.get(reverse("assist:request_add")).status_code == 403
    assert client.get(reverse("assist:internal_add")).status_code == 403
    assert client.get(reverse("assist:request_list")).status_code == 200  # reading is everyone's
    response = api(staff["auditor"]).post(
        "/api/assist/requests/",
        {"to_bureau": demo.other_county.pk, "question": "x", "entity_name": "x"},
        format="json",
    )
    assert (
        response.status_code == 403
        and response.json()["error"]["detail"]["permission"] == "assist.request.act"
    )
    response = api(staff["auditor"]).post(
        "/api/assist/internal/",
        {"kind": "check", "url": "https://a.example.com", "purpose": "x"},
        format="json",
    )
    assert (
        response.status_code == 403
        and response.json()["error"]["detail"]["permission"] == "assist.internal.act"
    )


def test_internal_requests_on_the_page_and_the_api_and_the_offices_settings(demo, staff, client, api, frozen):
    client.force_login(staff["food_officer"])
    response = client.post(
        reverse("assist:internal_add"),
        {"kind": "check", "url": "https://shop.example.com/x", "purpose": "查许可证"},
    )
    assert response.status_code == 302
    created = api(staff["net_officer"]).get("/api/assist/internal/").json()["results"]
    assert len(created) == 1 and created[0]["allowed_actions"] == [
        "accept",
        "capture",
        "link_capture",
        "result",
    ]
    pk = created[0]["id"]
    done = api(staff["net_officer"]).post(
        f"/api/assist/internal/{pk}/transition/",
        {"action": "result", "result": "未公示许可证"},
        format="json",
    )
    assert done.status_code == 200 and done.json()["state"] == "done"
    assert client.get(reverse("assist:internal", args=[pk])).status_code == 200
    assert client.get(reverse("assist:settings")).status_code == 403
    client.force_login(staff["office"])
    assert client.get(reverse("assist:settings")).status_code == 200
    client.post(reverse("assist:settings"), {"form": "period", "days": "4"})
    client.post(
        reverse("assist:settings"),
        {
            "form": "agreement",
            "partner_code": "341824",
            "partner_name": "绩溪县",
            "agreement": "协作协议",
            "days": "10",
        },
    )
    page = client.get(reverse("assist:settings")).content.decode()
    assert "4个工作日" in page and "341824" in page
