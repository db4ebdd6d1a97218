"""The office's pages and the API: the same services, the same refusals; who may open a received package."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from wangjian.clues.models import Clue
from wangjian.exchange.models import Agreement, Direction, Message, Partner, ReceivedPackage, State
from wangjian.exchange.services import message_receive, message_send

from .conftest import at, clue_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(demo, remote):
    Agreement.objects.filter(partner=remote.partner).update(review_before_sending=True)
    return message_send(
        bureau=demo.county,
        partner=remote.partner,
        kind="clue",
        body=clue_body(),
        user=demo.users["office"],
        now=at("2026-03-02"),
        deliver=False,
    )


def test_the_published_keys_list_each_bureaus_public_halves_only(demo, remote, client):
    data = client.get("/exchange/keys/").json()

    assert data["format"] == "wangjian-keys/1"
    row = next(b for b in data["bureaus"] if b["code"] == "999001")
    assert row["fingerprint"] == remote.fingerprint and "PRIVATE" not in str(data)


def test_the_office_reads_messages_on_the_page_and_the_api_and_an_officer_is_refused_on_both(
    demo, held, login, api
):
    office = login(demo.users["office"])
    assert held.title in office.get("/exchange/messages/").content.decode()
    page = office.get(f"/exchange/messages/{held.pk}/").content.decode()
    assert "待审核" in page and 'id="review-form"' in page
    assert (
        api(demo.users["office"]).get(f"/api/exchange/messages/{held.pk}/").json()["events"][0]["what"]
        == "signed"
    )

    officer = demo.users["ad_officer"]
    assert login(officer).get("/exchange/messages/").status_code == 403
    refused = api(officer).get("/api/exchange/messages/")
    assert refused.status_code == 403 and "查看本局与协作单位往来的报文" in refused.json()["error"]["zh"]


def test_a_refusal_to_send_needs_a_reason_on_the_page_and_in_the_api_alike(demo, held, login, api):
    page = login(demo.users["office"]).post(
        f"/exchange/messages/{held.pk}/review/", {"approve": "0", "note": ""}, follow=True
    )
    assert "不同意发送须说明理由" in page.content.decode()
    answer = api(demo.users["office"]).post(
        f"/api/exchange/messages/{held.pk}/review/", {"approve": False, "note": ""}, format="json"
    )
    assert answer.status_code == 400 and answer.json()["error"]["zh"] == "不同意发送须说明理由"

    approved = api(demo.users["office"]).post(
        f"/api/exchange/messages/{held.pk}/review/", {"approve": True, "note": "同意"}, format="json"
    )
    assert approved.json()["state"] == State.QUEUED


def test_another_bureaus_office_does_not_see_the_message(demo, held, login, api):
    other = demo.users["jixi_officer"]
    assert api(other).get(f"/api/exchange/messages/{held.pk}/").status_code in (403, 404)


def test_the_office_registers_a_partner_from_pasted_keys_and_signs_the_agreement_on_the_pages(
    demo, remote, login
):
    office = login(demo.users["office"])
    response = office.post(
        "/exchange/partners/add/",
        {
            "code": "330522",
            "name": "长兴县市场监督管理局",
            "public_key_pem": remote.partner.public_key_pem,
            "package_public_key_pem": remote.partner.package_public_key_pem,
            "active": "on",
        },
    )
    partner = Partner.objects.get(code="330522")
    assert response.status_code == 302 and partner.fingerprint == remote.fingerprint

    office.post(
        f"/exchange/partners/{partner.pk}/agreement/",
        {
            "reference": "协议",
            "categories": ["enforcement"],
            "valid_from": "2026-01-01",
            "review_before_sending": "on",
        },
    )
    assert Agreement.objects.get(partner=partner).categories == ["enforcement"]
    page = office.get(f"/exchange/partners/{partner.pk}/").content.decode()
    assert "执法协作" in page and remote.fingerprint in page


def test_a_bad_key_is_refused_on_the_partner_form(demo, login):
    page = login(demo.users["office"]).post(
        "/exchange/partners/add/",
        {"code": "330522", "name": "x", "public_key_pem": "not a key", "active": "on"},
    )
    assert "签名公钥不是有效的 Ed25519 公钥" in page.content.decode()


def test_a_partner_code_of_this_instance_is_refused(demo, remote, login):
    page = login(demo.users["office"]).post(
        "/exchange/partners/add/",
        {"code": "341824", "name": "绩溪", "public_key_pem": remote.partner.public_key_pem, "active": "on"},
    )
    assert "是本实例的单位" in page.content.decode()


def test_a_message_file_imported_on_the_page_is_received_like_a_posted_one(demo, remote, login):
    data = remote.message()
    response = login(demo.users["office"]).post(
        "/exchange/files/", {"what": "message", "file": SimpleUploadedFile("m.wjx", data)}, follow=True
    )

    assert "报文已接收" in response.content.decode()
    message = Message.objects.get(direction=Direction.IN)
    assert message.state == State.ACCEPTED and [e.what for e in message.events.all()][-1] == "imported"
    receipt = login(demo.users["office"]).get(f"/exchange/messages/{message.pk}/receipt/")
    assert receipt.json()["receipt"]["status"] == "accepted"


def test_a_received_package_opens_for_whoever_sees_its_clue_and_for_nobody_else(
    demo, remote, remote_capture, login, unit_user
):
    message_receive(
        remote.message(attachments=[remote.package(remote_capture)]), now=at("2026-03-02", "11:00")
    )
    clue = Clue.objects.get(source_kind="transfer")
    package = ReceivedPackage.objects.get()
    handler = unit_user(clue)

    page = login(handler).get(clue.get_absolute_url()).content.decode()
    assert 'id="received-packages"' in page and "验签通过" in page
    download = login(handler).get(f"/exchange/packages/{package.pk}/")
    assert download.status_code == 200 and download.content[:2] == b"PK"
    assert "下载证据包" in Message.objects.get().events.last().detail

    assert login(demo.users["jixi_officer"]).get(f"/exchange/packages/{package.pk}/").status_code == 404


def test_the_clue_page_offers_the_partner_to_the_office_and_sends_the_clue(demo, remote, login):
    from wangjian.clues import services as clue_services

    clue = clue_services.clue_intake(
        bureau=demo.county,
        source_kind="monitoring",
        domain="internet_advertising",
        facts="网店宣称“国家级”",
        now=at("2026-03-02"),
    ).clue
    office = login(demo.users["office"])
    assert 'id="transfer-partner"' in office.get(clue.get_absolute_url()).content.decode()

    response = office.post(
        f"/clues/clues/{clue.pk}/transfer-partner/", {"partner": remote.partner.pk, "reason": ""}, follow=True
    )
    assert "移送必须说明理由" in response.content.decode()

    office.post(
        f"/clues/clues/{clue.pk}/transfer-partner/", {"partner": remote.partner.pk, "reason": "住所在安吉县"}
    )
    clue.refresh_from_db()
    sent = Message.objects.get(direction=Direction.OUT)
    assert clue.state == "transferred" and sent.body["number"] == clue.number
    assert 'id="sent-to-partners"' in office.get(clue.get_absolute_url()).content.decode()


def test_the_agreement_period_is_checked_on_the_day_of_sending(demo, remote):
    Agreement.objects.filter(partner=remote.partner).update(valid_until=dt.date(2026, 2, 28))
    from wangjian.core.errors import WangjianError

    with pytest.raises(WangjianError, match="不在有效期内"):
        message_send(
            bureau=demo.county,
            partner=remote.partner,
            kind="clue",
            body=clue_body(),
            user=demo.users["office"],
            now=at("2026-03-02"),
            deliver=False,
        )


def test_another_bureaus_office_sees_none_of_the_messages_or_partners(demo, held, login):
    from wangjian.org import services as org_services

    jixi_office, _ = org_services.user_create(
        username="jixi_office_x", bureau=demo.other_county, role="office_admin", password=demo.password
    )
    client = login(jixi_office)
    assert held.title not in client.get("/exchange/messages/").content.decode()
    assert client.get(f"/exchange/messages/{held.pk}/").status_code == 404
    assert "安吉县" not in client.get("/exchange/partners/").content.decode()
    assert client.get(f"/exchange/partners/{held.partner_id}/").status_code == 404
