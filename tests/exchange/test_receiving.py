"""A message from a partner instance is received only when everything about it fits, and never twice.

Each refusal is kept with its reason (and the container) and answered with a receipt that names it; an accepted
clue goes through the intake port like any other source and its evidence packages, verified against the
partner's published package key, are linked to the clue.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from wangjian.clues.models import Clue
from wangjian.evidence import keys
from wangjian.exchange import bundle
from wangjian.exchange.models import Agreement, Direction, Message, ReceivedPackage, State
from wangjian.exchange.services import message_receive

from .conftest import at, clue_body

pytestmark = pytest.mark.django_db


def post(client, data: bytes):
    return client.post("/exchange/inbox/", data=data, content_type="application/zip")


def test_a_signed_clue_with_its_package_becomes_a_clue_with_the_package_linked(
    demo, remote, remote_capture, client
):
    data = remote.message(attachments=[remote.package(remote_capture)])

    response = post(client, data)

    assert response.status_code == 200
    signed = response.json()
    assert signed["receipt"]["status"] == "accepted"
    clue = Clue.objects.get(bureau=demo.county, source_kind="transfer")
    assert signed["receipt"]["result"]["clue_number"] == clue.number
    assert "安吉县市场监督管理局（330523）线索 AJ-2026-0007" in clue.facts
    assert clue.sources.get().ref == "330523/AJ-2026-0007"
    package = ReceivedPackage.objects.get()
    assert (package.linked_model, package.linked_id, package.verified) == ("clues.clue", clue.pk, True)
    # the receipt is signed by 旌德县's published key: the partner can check it
    own = keys.load_public(demo.county.evidence_key.public_key_pem)
    assert bundle.receipt_verified(signed, verify_signature=lambda d, s: keys.verify(own, d, s))
    kept = Message.objects.get(direction=Direction.IN)
    assert kept.state == State.ACCEPTED and kept.bundle_sha256 == bundle.sha256(data)


def test_the_same_message_delivered_again_is_answered_with_the_first_receipt_and_not_received_twice(
    demo, remote, client
):
    data = remote.message()
    first = post(client, data).json()
    again = post(client, data)

    assert again.status_code == 200 and again.json() == first
    assert Clue.objects.filter(source_kind="transfer").count() == 1
    kept = Message.objects.get(direction=Direction.IN)
    assert [e.what for e in kept.events.all()][-1] == "duplicate"


def test_another_message_under_an_id_already_received_is_refused_as_a_conflict(demo, remote, client):
    post(client, remote.message(message_id="4b1c5b6e-0000-4000-8000-000000000001"))
    other = remote.message(message_id="4b1c5b6e-0000-4000-8000-000000000001", body=clue_body(title="另一件"))

    response = post(client, other)

    assert response.status_code == 409
    assert response.json()["receipt"]["code"] == "conflict"
    assert Clue.objects.filter(source_kind="transfer").count() == 1


def _tamper(data: bytes, path: str, content: bytes) -> bytes:
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            zf.writestr(info.filename, content if info.filename == path else src.read(info.filename))
    return out.getvalue()


def test_a_body_changed_after_signing_is_refused_as_tampered(demo, remote, client):
    data = remote.message()
    changed = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("body.json"))
    changed["facts"] = "已被篡改的事实"

    response = post(client, _tamper(data, "body.json", bundle.canonical(changed)))

    assert response.status_code == 400
    assert response.json()["receipt"]["code"] == "tampered"
    assert not Clue.objects.filter(source_kind="transfer").exists()
    refused = Message.objects.get(direction=Direction.IN, state=State.REFUSED)
    assert "被改动" in refused.reason_zh and refused.bundle  # kept for whoever audits the exchange


def test_an_envelope_changed_after_signing_fails_the_signature(demo, remote, client):
    data = remote.message()
    envelope = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("envelope.json"))
    envelope["created"] = "2026-03-01T00:00:00+00:00"

    response = post(client, _tamper(data, "envelope.json", bundle.canonical(envelope)))

    assert response.status_code == 403 and response.json()["receipt"]["code"] == "signature"


def test_an_unsigned_message_is_refused(demo, remote, client):
    data = remote.message()
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            if info.filename != "signature.json":
                zf.writestr(info.filename, src.read(info.filename))

    response = post(client, out.getvalue())

    assert response.json()["receipt"]["code"] == "unsigned"
    assert Message.objects.get().reason_en == "The message is not signed"


def test_a_message_signed_with_another_key_is_refused(demo, remote, client):
    stranger = keys.Ed25519PrivateKey.generate()

    response = post(client, remote.message(sign=lambda d: keys.sign(stranger, d)))

    assert response.status_code == 403 and response.json()["receipt"]["code"] == "signature"


def test_a_sender_that_is_not_a_registered_partner_is_refused(demo, remote, client):
    response = post(client, remote.message(sender="330522"))

    assert response.status_code == 403
    assert response.json()["receipt"]["code"] == "sender"
    assert "不是旌德县市场监督管理局登记的协作单位" in Message.objects.get().reason_zh


def test_a_message_for_a_bureau_not_on_this_instance_is_refused_unsigned(demo, remote, client):
    response = post(client, remote.message(to="110101"))

    assert response.status_code == 404
    assert response.json()["receipt"]["code"] == "recipient" and response.json()["signature"] == ""


def test_a_kind_outside_the_agreement_is_refused(demo, remote, client):
    Agreement.objects.filter(partner=remote.partner).update(categories=["reporting"])

    response = post(client, remote.message())

    assert response.status_code == 403 and response.json()["receipt"]["code"] == "agreement"
    assert "协作协议不含“执法协作”" in response.json()["receipt"]["reason_zh"]


def test_an_agreement_not_yet_in_force_refuses_every_message(demo, remote, client, monkeypatch):
    Agreement.objects.filter(partner=remote.partner).update(valid_from="2030-01-01")

    response = post(client, remote.message())

    assert response.json()["receipt"]["code"] == "agreement"


def test_a_package_not_signed_by_the_partners_package_key_is_refused_with_the_whole_message(
    demo, remote, client, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wangjian.evidence import services as evidence_services

    # a capture of 旌德县 itself: signed with 旌德县's package key, not the partner's
    own = evidence_services.evidence_upload(
        files=[SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"x" * 300, content_type="image/png")],
        kind="screen",
        description="截图",
        operators=["甲", "乙"],
        purpose="测试",
        bureau=demo.county,
    ).capture

    response = post(client, remote.message(attachments=[remote.package(own)]))

    assert response.json()["receipt"]["code"] == "evidence"
    assert not Clue.objects.filter(source_kind="transfer").exists()
    assert not ReceivedPackage.objects.exists()


def test_a_message_dated_in_the_future_is_refused(demo, remote, client):
    response = post(client, remote.message(created=at("2099-01-01")))

    assert response.json()["receipt"]["code"] == "clock"


def test_garbage_is_refused_without_a_crash(demo, client):
    response = post(client, b"not a zip at all")

    assert response.status_code == 400
    assert response.json()["receipt"]["code"] == "malformed"


def test_a_clue_the_intake_port_refuses_leaves_nothing_but_the_refusal(demo, remote):
    answer = message_receive(
        remote.message(body=clue_body(domain="no_such_domain")), now=at("2026-03-02", "11:00")
    )

    assert not answer.accepted
    assert answer.receipt["receipt"]["code"] == "content"
    assert "未知的监管领域" in answer.receipt["receipt"]["reason_zh"]
    assert not Clue.objects.exists() and not ReceivedPackage.objects.exists()
    assert Message.objects.get().state == State.REFUSED


def test_a_message_larger_than_a_form_is_received_from_the_stream(demo, remote, client):
    import os

    big = bundle.Attachment("采集视频.mp4", os.urandom(3 * 1024 * 1024), "video/mp4")

    response = post(client, remote.message(attachments=[big]))

    assert response.status_code == 200 and response.json()["receipt"]["status"] == "accepted"


def test_a_message_announced_over_the_cap_is_refused_unread(demo, client, monkeypatch):
    monkeypatch.setattr(bundle, "MAX_BYTES", 1000)

    response = post(client, b"x" * 2000)

    assert response.status_code == 413 and response.json()["receipt"]["code"] == "malformed"
