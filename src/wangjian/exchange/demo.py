"""The demo's second instance: 安吉县 (浙江省), an out-of-province partner of 旌德县, on this machine.

``wangjian demo`` prepares its home right after migrating (``prepare``: a copy of the freshly migrated database,
so the partner needs no minute of migrations of its own); this loader then sets it up through its own
commands — first bureau and administrator, published keys, 旌德县 registered as its partner — and exchanges
with it as two bureaus would:

* the keys are handed over both ways (fingerprints to confirm by phone);
* 安吉县 sends a clue with its evidence package as a file carried by hand; 旌德县 receives it (a new clue, the
  package verified against 安吉县's published key) and hands the signed receipt back;
* a message claiming to be 安吉县's but signed with another key is refused and logged;
* the partner's server is started on 127.0.0.1 (port 8001 when free) and stays up while the demo serves, so
  messages sent from the demo county's pages are delivered over HTTP (the clues' loader sends one).

Without a prepared home (a load other than ``wangjian demo``'s, e.g. the backup drill) the partner is skipped.
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection

from wangjian import config
from wangjian.evidence import keys
from wangjian.evidence.ledger import bureau_key, package_key
from wangjian.exchange import bundle, instance, services
from wangjian.exchange.models import Category, Partner

CODE, NAME = "330523", "安吉县市场监督管理局"
PORT = 8001
_RUNNING: dict[str, subprocess.Popen] = {}


def partner_home() -> Path:
    return config.home() / f"partner-{CODE}"


def prepare(stdout) -> None:  # noqa: ANN001
    """After the demo's migrations, before its data: the partner starts from a copy of the migrated database."""
    home = partner_home()
    if (home / "wangjian.sqlite3").exists():
        return
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db():
            return  # a test's database: no partner instance
        instance.copy_database(str(settings.DATABASES["default"]["NAME"]), home)
    else:
        stdout.write(
            "协作单位实例：迁移其数据库（约一至两分钟）/ the partner instance: migrating its database"
        )
        home.mkdir(parents=True, exist_ok=True)
        instance.run(home, "migrate", "-v0")


def partner_port() -> int:
    try:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", PORT))
        return PORT
    except OSError:
        return instance.free_port()


def forged(answer_to: Path) -> bytes:
    """A copy of the partner's message under a new id, signed with a key that is not the partner's."""
    opened = bundle.open_bundle(answer_to.read_bytes())
    stranger = keys.Ed25519PrivateKey.generate()
    return bundle.build(
        message_id=bundle.new_id(),
        kind=opened.kind,
        sender=opened.envelope["sender"],
        recipient=opened.envelope["recipient"],
        created=opened.created,
        body={**opened.body, "facts": opened.body.get("facts", "") + "（伪造）"},
        sign=lambda data: keys.sign(stranger, data),
        key_fingerprint=keys.fingerprint(stranger.public_key()),
    )


def load(org, stdout) -> None:  # noqa: ANN001
    home = partner_home()
    county = org.county
    if not (home / "wangjian.sqlite3").exists():
        stdout.write(
            "跨实例协同：未准备协作单位实例（wangjian demo 才准备），跳过 / partner instance not prepared"
        )
        return
    if Partner.objects.filter(bureau=county, code=CODE).exists():
        if CODE not in _RUNNING:
            start(home, Partner.objects.get(bureau=county, code=CODE))
        stdout.write("跨实例协同演示已存在 / demo exchange exists")
        return
    instance.run(home, "init", "--bureau-name", NAME, "--bureau-code", CODE, "--admin-password", org.password)
    published = next(b for b in instance.run_json(home, "exchange", "keys")["bureaus"] if b["code"] == CODE)
    port = partner_port()
    office = org.users["office"]
    partner = services.partner_save(
        user=office,
        bureau=county,
        code=CODE,
        name=NAME,
        endpoint=f"http://127.0.0.1:{port}/",
        public_key_pem=published["public_key_pem"],
        package_public_key_pem=published["package_public_key_pem"],
        note="长三角网络市场监管协作（演示）：另一套 wangjian 实例",
    )
    services.agreement_save(
        user=office,
        partner=partner,
        reference="长三角一体化网络市场监管执法协作协议（演示）",
        categories=[Category.ENFORCEMENT, Category.REPORTING],
        valid_from=dt.date(2026, 1, 1),
        personal_data=False,
        review_before_sending=True,
    )
    handover = home / "handover"
    handover.mkdir(exist_ok=True)
    _private, own = bureau_key(county)
    package_key(county)
    own.refresh_from_db()
    (handover / "jingde.pem").write_text(own.public_key_pem)
    (handover / "jingde-package.pem").write_text(own.package_public_key_pem)
    clue_file = Path(
        instance.run(
            home,
            "exchange",
            "demo-partner",
            "--peer-code",
            county.code,
            "--peer-name",
            county.name,
            "--peer-key-file",
            str(handover / "jingde.pem"),
            "--peer-package-key-file",
            str(handover / "jingde-package.pem"),
            "--peer-endpoint",
            "http://127.0.0.1:8000/",
            "--password",
            org.password,
            "--out",
            str(handover),
        ).stdout.strip()
    )
    answer = services.message_receive(clue_file.read_bytes(), via="文件（人工送达）")
    letters = []
    for path in sorted(handover.glob("*.wjx")):  # the clue first, then the letter (an app may not receive it)
        got = (
            answer
            if path == clue_file
            else services.message_receive(path.read_bytes(), via="文件（人工送达）")
        )
        receipt = handover / f"receipt-{path.stem}.json"
        receipt.write_text(json.dumps(got.receipt, ensure_ascii=False))
        if got.accepted:
            instance.run(home, "exchange", "receipt", str(receipt))
        if path != clue_file:
            letters.append(got.message.result.get("label", got.receipt["receipt"].get("reason_zh", "")))
    refused = services.message_receive(forged(clue_file), via="HTTP")
    start(home, partner)
    stdout.write(
        f"跨实例协同 / exchange: 协作单位 {NAME}（另一实例 http://127.0.0.1:{port}/，用户 office）；"
        f"收到其移送的线索 {answer.message.result.get('clue_number', '')}（证据包已验签）、{'；'.join(letters)}；"
        f"伪造签名的报文被拒收：{refused.receipt['receipt']['reason_zh'][:30]}…"
    )


def start(home: Path, partner: Partner) -> None:
    """The partner's server for the rest of this process (the load, then the demo's own server)."""
    port = int(partner.endpoint.rsplit(":", 1)[1].strip("/"))
    try:
        process = instance.serve(home, port, fingerprint=partner.fingerprint)
    except RuntimeError:  # the port is taken (another demo's partner?): any free one
        port = instance.free_port()
        process = instance.serve(home, port, fingerprint=partner.fingerprint)
        partner.endpoint = f"http://127.0.0.1:{port}/"
        partner.save(update_fields=["endpoint"])
    _RUNNING[CODE] = process
    atexit.register(instance.stop, process)
