"""Two real instances on loopback: 旌德县 (this test's, served by ``live_server``) and 安吉县 (its own home, database,
keys and server process, driven by its console commands).

They register each other from published keys, then: 旌德县 sends a clue with its evidence package over HTTP and
安吉县's signed receipt names the clue it became there; a message sent while 安吉县 is down waits and is delivered
once it is up, and posting it again gives the same receipt without a second record; 安吉县 sends a clue by file,
旌德县 receives it with the package verified and the receipt goes back by file; a tampered message is refused by
安吉县 and kept with the reason.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from types import SimpleNamespace

import httpx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from tests.conftest import ensure_migrated_database_cache
from wangjian.clues import services as clue_services
from wangjian.clues.models import Clue
from wangjian.evidence import keys
from wangjian.evidence import services as evidence_services
from wangjian.evidence.ledger import bureau_key, package_key
from wangjian.exchange import instance, services
from wangjian.exchange.models import Agreement, Category, Direction, Message, Partner, ReceivedPackage, State

pytestmark = pytest.mark.django_db(transaction=True)

CODE, NAME = "330523", "安吉县市场监督管理局"
PASSWORD = "Demo2025pass"


@pytest.fixture(scope="module")
def anji(tmp_path_factory, django_db_setup, live_server):
    """安吉县's instance, up for the module: a migrated database (the suite's copy, made here on a run on
    PostgreSQL alone), ``wangjian init``, 旌德县 registered as its partner from the key files 旌德县 handed over,
    the agreement, its server."""
    home = tmp_path_factory.mktemp("anji")
    shutil.copyfile(ensure_migrated_database_cache(), home / "wangjian.sqlite3")
    instance.run(home, "init", "--bureau-name", NAME, "--bureau-code", CODE, "--admin-password", PASSWORD)
    published = instance.run_json(home, "exchange", "keys", "--bureau", CODE)["bureaus"][0]
    # 旌德县's keys live in one folder for the module (its key rows are made again in each test's database)
    key_dir = tmp_path_factory.mktemp("jingde-keys")
    with override_settings(WANGJIAN_EVIDENCE_KEY_DIR=str(key_dir)):
        jingde = SimpleNamespace(code="341825")
        (key_dir / "k.pem").write_text(keys.public_pem(keys.load_private(jingde).public_key()))
        (key_dir / "p.pem").write_text(keys.public_pem(keys.load_package_private(jingde).public_key()))
    instance.run(
        home,
        "exchange",
        "partner-add",
        "--bureau",
        CODE,
        "--code",
        "341825",
        "--name",
        "旌德县市场监督管理局",
        "--endpoint",
        live_server.url + "/",
        "--key-file",
        str(key_dir / "k.pem"),
        "--package-key-file",
        str(key_dir / "p.pem"),
    )
    instance.run(
        home,
        "exchange",
        "agreement",
        "--bureau",
        CODE,
        "--partner",
        "341825",
        "--reference",
        "协作协议",
        "--categories",
        "enforcement",
        "--from",
        "2026-01-01",
        "--no-review",
    )
    # its network unit and office, and a clue and a 协助调查函 for 旌德县 written to files (the demo's partner role)
    handover = tmp_path_factory.mktemp("handover")
    sent = instance.run(
        home, "exchange", "demo-partner", "--peer-code", "341825", "--peer-name", "旌德县市场监督管理局",
        "--peer-key-file", str(key_dir / "k.pem"), "--peer-package-key-file", str(key_dir / "p.pem"),
        "--peer-endpoint", live_server.url + "/", "--password", PASSWORD, "--out", str(handover),
    ).stdout.strip()  # fmt: skip
    port = instance.free_port()
    link = SimpleNamespace(
        home=home,
        port=port,
        key_dir=key_dir,
        published=published,
        clue_file=sent,
        handover=handover,
        server=instance.serve(home, port, fingerprint=published["fingerprint"]),
    )
    yield link
    instance.stop(link.server)


@pytest.fixture
def linked(demo, anji, settings, tmp_path):
    """旌德县's side in this test's database: its key rows from the module's key folder, 安吉县 as its partner."""
    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")
    settings.WANGJIAN_EVIDENCE_KEY_DIR = str(anji.key_dir)
    bureau_key(demo.county)
    package_key(demo.county)
    anji.partner = services.partner_save(
        user=demo.users["office"],
        bureau=demo.county,
        code=CODE,
        name=NAME,
        endpoint=f"http://127.0.0.1:{anji.port}/",
        public_key_pem=anji.published["public_key_pem"],
        package_public_key_pem=anji.published["package_public_key_pem"],
    )
    Agreement.objects.create(
        partner=anji.partner,  # the agreement on this side; 安吉县's was made by its command
        reference="协作协议",
        categories=[Category.ENFORCEMENT],
        valid_from="2026-01-01",
        review_before_sending=False,
    )
    return anji


def received_there(anji) -> list[dict]:
    return [m for m in instance.run_json(anji.home, "exchange", "list", "--json") if m["direction"] == "in"]


def a_clue_with_a_capture(demo):
    capture = evidence_services.evidence_upload(
        files=[SimpleUploadedFile("首页.png", b"\x89PNG\r\n\x1a\n" + b"p" * 400, content_type="image/png")],
        kind="screen",
        description="网店首页截图",
        operators=["钱科员", "李主任"],
        purpose="移送",
        bureau=demo.county,
    ).capture
    return clue_services.clue_intake(
        bureau=demo.county,
        source_kind="monitoring",
        domain="internet_advertising",
        title="茶叶网店宣称有机认证",
        facts="网店宣称“有机认证”未公示证书，经营者登记在安吉县。",
        entity_name="安吉县某茶业有限公司",
        evidence_refs=[f"capture:{capture.pk}"],
    ).clue


def test_a_clue_and_its_package_cross_over_http_and_the_receipt_names_the_clue_it_became(demo, anji, linked):
    partner = linked.partner
    clue = a_clue_with_a_capture(demo)

    _event, message = clue_services.clue_transfer_external(
        clue=clue, user=demo.users["office"], partner=partner, reason="经营者住所地在安吉县"
    )
    message = services.message_deliver(message.pk)

    assert message.state == State.DELIVERED, message.last_error
    there = [m for m in received_there(anji) if m["message_id"] == message.message_id]
    assert [(m["kind"], m["state"]) for m in there] == [("clue", "accepted")]
    assert message.result["clue_number"] == there[0]["result"]["clue_number"]
    clue.refresh_from_db()
    assert clue.state == "transferred"


def test_a_message_sent_while_the_partner_is_down_is_delivered_once_it_is_up_and_never_twice(
    demo, anji, linked
):
    partner, port = linked.partner, linked.port
    instance.stop(linked.server)
    clue = a_clue_with_a_capture(demo)
    _event, message = clue_services.clue_transfer_external(
        clue=clue, user=demo.users["office"], partner=partner, reason="经营者住所地在安吉县"
    )
    message = services.message_deliver(message.pk)
    assert message.state == State.RETRYING and message.attempts >= 1

    linked.server = instance.serve(anji.home, port, fingerprint=anji.published["fingerprint"])
    Message.objects.filter(pk=message.pk).update(next_attempt_at=message.created_at)
    assert services.deliver_due() == 1
    message.refresh_from_db()
    assert message.state == State.DELIVERED
    # the same bytes posted again (a retry whose answer was lost): the first receipt, no second clue
    with message.bundle.open("rb") as fh:
        again = httpx.post(f"http://127.0.0.1:{port}/exchange/inbox/", content=fh.read()).json()
    assert again == message.receipt
    assert len([m for m in received_there(anji) if m["message_id"] == message.message_id]) == 1


def test_a_clue_sent_by_file_arrives_with_its_package_verified_and_the_receipt_goes_back(demo, anji, linked):
    handover = anji.handover
    sent = anji.clue_file
    answer = services.message_receive(open(sent, "rb").read(), via="文件")

    assert answer.accepted
    clue = Clue.objects.get(number=answer.message.result["clue_number"])
    package = ReceivedPackage.objects.get(linked_id=clue.pk)
    assert package.verified and package.linked_model == "clues.clue"
    (handover / "receipt.json").write_text(json.dumps(answer.receipt))
    instance.run(anji.home, "exchange", "receipt", str(handover / "receipt.json"))
    out = [
        m
        for m in instance.run_json(anji.home, "exchange", "list", "--json")
        if m["message_id"] == answer.message.message_id
    ]
    assert out[0]["state"] == "delivered"


def test_a_tampered_message_is_refused_by_the_other_instance_and_kept_there_with_the_reason(
    demo, anji, linked
):
    partner, port = linked.partner, linked.port
    clue = a_clue_with_a_capture(demo)
    message = services.message_send(
        bureau=demo.county,
        partner=partner,
        kind="clue",
        user=demo.users["office"],
        deliver=False,
        body=clue_services.clue_body(clue, "测试"),
    )
    with message.bundle.open("rb") as fh:
        data = fh.read()
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "body.json":
                content = content.replace("测试".encode(), "篡改".encode())
            zf.writestr(info.filename, content)

    response = httpx.post(f"http://127.0.0.1:{port}/exchange/inbox/", content=out.getvalue())

    assert response.status_code == 400 and response.json()["receipt"]["code"] == "tampered"
    refused = [m for m in received_there(anji) if m["state"] == "refused"]
    assert refused and "被改动" in refused[-1]["reason"]
    assert Partner.objects.get(code=CODE).messages.filter(direction=Direction.OUT).count() == 1


def test_a_letter_of_assistance_crosses_and_the_other_instance_owes_the_answer(demo, anji, linked):
    from wangjian.assist import services as assist

    request = assist.assistance_create(
        user=demo.users["ad_officer"],
        question="请协查安吉县某茶业有限公司的网店实际经营者",
        external_bureau_code=CODE,
        external_bureau_name=NAME,
        values={"entity_name": "安吉县某茶业有限公司"},
        send=True,
    )
    message = Message.objects.get(message_id=request.external_ref)
    message = services.message_deliver(message.pk)

    assert message.state == State.DELIVERED, message.last_error
    there = [m for m in received_there(anji) if m["message_id"] == message.message_id]
    assert there[0]["kind"] == "assistance.request" and there[0]["state"] == "accepted"
    assert there[0]["result"]["number"] == request.number and there[0]["result"]["due"]
