"""Sending: built and signed once, held for review where the agreement says so, masked where it says so, and
delivered until the partner's signed receipt says it arrived — the same bytes on every attempt, so a partner that
received a message whose answer was lost keeps it once."""

from __future__ import annotations

import http.server
import io
import json
import threading
import zipfile

import pytest

from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.exchange import bundle
from wangjian.exchange.models import Agreement, Message, State
from wangjian.exchange.services import (
    deliver_due,
    message_deliver,
    message_review,
    message_send,
    receipt_import,
)
from wangjian.exchange.services.outgoing import BACKOFF_MINUTES

from .conftest import at, clue_body

pytestmark = pytest.mark.django_db


def send(demo, remote, **kw) -> Message:
    kw.setdefault("body", clue_body())
    return message_send(
        bureau=demo.county,
        partner=remote.partner,
        kind="clue",
        user=demo.users["office"],
        now=at("2026-03-02"),
        deliver=False,
        **kw,
    )


class Partner(http.server.BaseHTTPRequestHandler):
    """The partner's endpoint: fails the first ``failures`` posts, then answers with a receipt signed by its key."""

    remote = None
    failures = 0
    seen: list[bytes] = []

    def do_POST(self):  # noqa: N802
        data = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).seen.append(data)
        if len(type(self).seen) <= type(self).failures:
            self.send_response(503)
            self.end_headers()
            return
        opened = bundle.open_bundle(data)
        document = bundle.receipt(
            opened_or_id=opened,
            status="accepted",
            by_code=opened.recipient_code,
            at=at("2026-03-02"),
            result={"label": "线索 AJ-2026-0100", "clue_number": "AJ-2026-0100"},
        )
        signed = bundle.sign_receipt(
            document, sign=type(self).remote.sign, key_fingerprint=type(self).remote.fingerprint
        )
        body = json.dumps(signed).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint(remote):
    Partner.remote, Partner.failures, Partner.seen = remote, 0, []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Partner)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    remote.partner.endpoint = f"http://127.0.0.1:{server.server_address[1]}/"
    remote.partner.save()
    yield Partner
    server.shutdown()


def test_a_message_is_signed_by_the_bureau_and_kept_as_sent(demo, remote):
    message = send(demo, remote)

    with message.bundle.open("rb") as fh:
        opened = bundle.open_bundle(fh.read())
    assert opened.sender_code == "341825" and opened.recipient_code == "330523"
    from wangjian.evidence import keys

    own = keys.load_public(demo.county.evidence_key.public_key_pem)
    assert bundle.verify(opened, verify_signature=lambda d, s: keys.verify(own, d, s))
    assert message.state == State.QUEUED and message.envelope_sha256 == opened.envelope_sha256


def test_personal_data_is_masked_unless_the_agreement_allows_it(demo, remote):
    masked = send(demo, remote)
    assert masked.body["reporter"] == {"name": "张*", "contact": "138****1234"}

    Agreement.objects.filter(partner=remote.partner).update(personal_data=True)
    plain = send(demo, remote)
    assert plain.body["reporter"] == {"name": "张三", "contact": "13800001234"}


def test_an_agreement_asking_for_review_holds_the_message_until_the_office_approves(demo, remote):
    Agreement.objects.filter(partner=remote.partner).update(review_before_sending=True)
    message = send(demo, remote)
    assert message.state == State.REVIEW

    with pytest.raises(PermissionDeniedError):
        message_review(message=message, user=demo.users["ad_officer"], approve=True)
    with pytest.raises(ValidationFailed, match="不同意发送须说明理由"):
        message_review(message=message, user=demo.users["office"], approve=False)
    message_review(message=message, user=demo.users["office"], approve=True, note="已核")

    assert message.state == State.QUEUED and message.reviewed_by == demo.users["office"]


def test_a_category_outside_the_agreement_is_not_sent(demo, remote):
    Agreement.objects.filter(partner=remote.partner).update(categories=["consumer"])

    with pytest.raises(WangjianError, match="协作协议不含“执法协作”"):
        send(demo, remote)
    assert not Message.objects.exists()


def test_delivery_retries_with_the_same_bytes_until_the_signed_receipt_arrives(demo, remote, endpoint):
    endpoint.failures = 2
    message = send(demo, remote)

    first = message_deliver(message.pk, now=at("2026-03-02", "10:00"))
    assert first.state == State.RETRYING and first.attempts == 1
    assert first.next_attempt_at == at("2026-03-02", f"10:{BACKOFF_MINUTES[0]:02d}")
    assert deliver_due(now=at("2026-03-02", "10:00")) == 0  # not yet due

    assert deliver_due(now=at("2026-03-02", "10:30")) == 1
    assert deliver_due(now=at("2026-03-02", "11:30")) == 1
    message.refresh_from_db()

    assert message.state == State.DELIVERED and message.attempts == 3
    assert message.result["clue_number"] == "AJ-2026-0100"
    assert len({bytes(b) for b in endpoint.seen}) == 1 and len(endpoint.seen) == 3  # one message, three posts
    assert [e.what for e in message.events.all()] == ["signed", "retry", "retry", "receipt_accepted"]


def test_a_receipt_not_signed_by_the_partner_is_not_taken_as_delivery(demo, remote, endpoint):
    endpoint.remote = type("Forger", (), {"sign": staticmethod(lambda d: "AAAA"), "fingerprint": "x"})()
    message = send(demo, remote)

    message = message_deliver(message.pk, now=at("2026-03-02"))

    assert message.state == State.RETRYING and "回执签名无效" in message.last_error


def test_after_the_last_attempt_the_message_is_failed_and_the_office_may_resend_it(demo, remote, closed_port):
    from wangjian.exchange.services import message_resend

    remote.partner.endpoint = f"http://127.0.0.1:{closed_port}/"
    remote.partner.save()
    message = send(demo, remote)
    for _ in BACKOFF_MINUTES:
        message = message_deliver(message.pk, now=at("2026-03-02"))
    assert message.state == State.FAILED

    message = message_resend(message=message, user=demo.users["office"], now=at("2026-03-03"))
    assert message.state == State.RETRYING and message.attempts == 0


def test_a_partner_without_endpoint_gets_the_file_and_its_receipt_file_completes_the_message(demo, remote):
    from wangjian.exchange.services import message_file

    message = send(demo, remote)
    data = message_file(message=message, user=demo.users["office"])
    assert message.state == State.EXPORTED and bundle.sha256(data) == message.bundle_sha256

    opened = bundle.open_bundle(data)
    document = bundle.receipt(opened_or_id=opened, status="accepted", by_code="330523", at=at("2026-03-03"))
    signed = bundle.sign_receipt(document, sign=remote.sign, key_fingerprint=remote.fingerprint)
    receipt_import(data=json.dumps(signed).encode(), user=demo.users["office"], now=at("2026-03-03"))

    message.refresh_from_db()
    assert message.state == State.DELIVERED


def test_a_receipt_for_another_message_is_refused(demo, remote):
    one, other = send(demo, remote), send(demo, remote)
    with other.bundle.open("rb") as fh:
        opened = bundle.open_bundle(fh.read())
    document = bundle.receipt(opened_or_id=opened, status="accepted", by_code="330523", at=at("2026-03-03"))
    document["message"]["id"] = one.message_id
    signed = bundle.sign_receipt(document, sign=remote.sign, key_fingerprint=remote.fingerprint)

    with pytest.raises(ValidationFailed, match="回执答复的不是这份报文"):
        receipt_import(data=json.dumps(signed).encode(), user=demo.users["office"])


def test_the_file_carries_a_readme_for_checking_it_without_wangjian(demo, remote):
    message = send(demo, remote)
    with message.bundle.open("rb") as fh:
        names = zipfile.ZipFile(io.BytesIO(fh.read())).namelist()
    assert names[:3] == ["envelope.json", "signature.json", "body.json"] and "README.txt" in names
