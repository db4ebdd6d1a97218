"""``wangjian exchange``: partners, agreements and messages between instances from the console.

wangjian exchange keys [--bureau 341825]  the public keys this instance publishes (JSON, as GET /exchange/keys/)
wangjian exchange partner-add --bureau 341825 --code 330523 [--name N] [--endpoint URL]
                              (--fetch-keys | --key-file PEM [--package-key-file PEM]) [--user office]
                                        register a partner; prints its fingerprints to confirm by phone
wangjian exchange agreement --bureau 341825 --partner 330523 --reference R --categories enforcement,reporting
                            [--from 2026-01-01] [--until DATE] [--personal-data] [--no-review] [--user office]
wangjian exchange list --json [--bureau 341825]   one JSON object per message
wangjian exchange deliver               one delivery attempt of every message whose time has come
wangjian exchange receive FILE [--receipt-out F]  receive a message file carried by hand; exit 0 accepted, 1 refused
wangjian exchange receipt FILE           apply a receipt file the partner handed back to the message it answers
wangjian exchange demo-partner --peer-code 341825 --peer-name N --peer-key-file K --peer-package-key-file K
                               --peer-endpoint URL --password P --out DIR
                                        the demo's partner bureau, run in the partner instance (demo_partner)
wangjian exchange verify FILE --key PEM  check a message offline with the sender's published key (no database
                                        needed): exit 0 when the signature and every member's hash hold
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from wangjian.core.errors import ValidationFailed
from wangjian.core.management.base import WangjianCommand
from wangjian.evidence import keys
from wangjian.exchange import bundle, services
from wangjian.exchange.models import Message, Partner
from wangjian.org.models import Bureau, User


def _bureau(code: str) -> Bureau:
    bureau = Bureau.objects.filter(code=code).first()
    if bureau is None:
        raise ValidationFailed(f"没有行政区划代码为 {code} 的局", f"No bureau with code {code}")
    return bureau


def _user(name: str) -> User:
    user = (
        User.objects.filter(username=name).first()
        or User.objects.filter(is_superuser=True).order_by("id").first()
    )
    if user is None:
        raise ValidationFailed(f"没有用户 {name}", f"No user {name}")
    return user


class Command(WangjianCommand):
    help = "跨实例协同：公布公钥、登记协作单位和协议、发送与接收报文、离线核验报文"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        keys_parser = sub.add_parser("keys")
        keys_parser.add_argument("--bureau", default="")
        add = sub.add_parser("partner-add")
        add.add_argument("--bureau", required=True)
        add.add_argument("--code", required=True)
        add.add_argument("--name", default="")
        add.add_argument("--endpoint", default="")
        add.add_argument("--fetch-keys", action="store_true")
        add.add_argument("--key-file")
        add.add_argument("--package-key-file")
        add.add_argument("--user", default="admin")
        agree = sub.add_parser("agreement")
        agree.add_argument("--bureau", required=True)
        agree.add_argument("--partner", required=True)
        agree.add_argument("--reference", required=True)
        agree.add_argument("--categories", required=True)
        agree.add_argument("--from", dest="valid_from", type=dt.date.fromisoformat, default=None)
        agree.add_argument("--until", type=dt.date.fromisoformat, default=None)
        agree.add_argument("--personal-data", action="store_true")
        agree.add_argument("--no-review", action="store_true")
        agree.add_argument("--assistance-days", type=int, default=None)
        agree.add_argument("--user", default="admin")
        listing = sub.add_parser("list")
        listing.add_argument("--json", action="store_true")
        listing.add_argument("--bureau", default="")
        sub.add_parser("deliver")
        receive = sub.add_parser("receive")
        receive.add_argument("file")
        receive.add_argument("--receipt-out")
        receipt = sub.add_parser("receipt")
        receipt.add_argument("file")
        receipt.add_argument("--user", default="admin")
        partner_demo = sub.add_parser("demo-partner")
        for name in (
            "--peer-code",
            "--peer-name",
            "--peer-key-file",
            "--peer-package-key-file",
            "--peer-endpoint",
        ):
            partner_demo.add_argument(name, required=True)
        partner_demo.add_argument("--password", required=True)
        partner_demo.add_argument("--out", required=True)
        verify = sub.add_parser("verify")
        verify.add_argument("file")
        verify.add_argument("--key", required=True, help="发送局公布的签名公钥（PEM 文件）")

    def handle(self, *args, **opts):
        getattr(self, "do_" + opts["what"].replace("-", "_"))(opts)

    def _json(self, value) -> None:
        self.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str))

    def do_keys(self, opts) -> None:
        """Each bureau's keys, made on first use (the server's GET /exchange/keys/ only lists those made)."""
        from wangjian.evidence.ledger import bureau_key

        bureaus = (
            list(Bureau.objects.filter(code=opts["bureau"])) if opts["bureau"] else list(Bureau.objects.all())
        )
        for bureau in bureaus:
            bureau_key(bureau)
        self._json(services.published_keys(bureaus))

    def do_partner_add(self, opts) -> None:
        bureau = _bureau(opts["bureau"])
        if opts["fetch_keys"]:
            fetched = services.keys_fetch(opts["endpoint"], opts["code"])
        elif opts["key_file"]:
            fetched = {
                "name": opts["name"],
                "public_key_pem": Path(opts["key_file"]).read_text(),
                "package_public_key_pem": Path(opts["package_key_file"]).read_text()
                if opts["package_key_file"]
                else "",
            }
        else:
            raise ValidationFailed(
                "请用 --fetch-keys 或 --key-file 提供对方公钥", "Give --fetch-keys or --key-file"
            )
        existing = Partner.objects.filter(bureau=bureau, code=opts["code"]).first()
        partner = services.partner_save(
            user=_user(opts["user"]),
            bureau=bureau,
            code=opts["code"],
            name=opts["name"] or fetched["name"],
            endpoint=opts["endpoint"],
            public_key_pem=fetched["public_key_pem"],
            package_public_key_pem=fetched["package_public_key_pem"],
            partner=existing,
        )
        self.stdout.write(f"协作单位 / partner: {partner}")
        self.stdout.write(f"签名公钥指纹 / signing key fingerprint: {partner.fingerprint}")
        self.stdout.write(f"证据包公钥指纹 / package key fingerprint: {partner.package_fingerprint or '—'}")
        self.stdout.write("请与对方电话核对指纹 / confirm the fingerprints with the partner by phone")

    def do_agreement(self, opts) -> None:
        bureau = _bureau(opts["bureau"])
        partner = Partner.objects.filter(bureau=bureau, code=opts["partner"]).first()
        if partner is None:
            raise ValidationFailed(f"{bureau}没有协作单位 {opts['partner']}", f"No partner {opts['partner']}")
        agreement = services.agreement_save(
            user=_user(opts["user"]),
            partner=partner,
            reference=opts["reference"],
            categories=[c.strip() for c in opts["categories"].split(",") if c.strip()],
            valid_from=opts["valid_from"] or dt.date.today(),
            valid_until=opts["until"],
            personal_data=opts["personal_data"],
            review_before_sending=not opts["no_review"],
            assistance_days=opts["assistance_days"],
        )
        self.stdout.write(f"协作协议 / agreement: {agreement}（{'、'.join(agreement.category_labels())}）")

    def do_list(self, opts) -> None:
        rows = Message.objects.select_related("partner").order_by("recorded_at", "id")
        if opts["bureau"]:
            rows = rows.filter(bureau__code=opts["bureau"])
        out = [
            {
                "message_id": m.message_id,
                "direction": m.direction,
                "kind": m.kind,
                "state": m.state,
                "sender": m.sender_code,
                "recipient": m.recipient_code,
                "title": m.title,
                "attempts": m.attempts,
                "reason": m.reason_zh,
                "result": m.result,
                "created_at": m.created_at.isoformat(),
            }
            for m in rows
        ]
        if opts["json"]:
            self._json(out)
        else:
            for row in out:
                self.stdout.write(
                    f"{row['created_at'][:19]} {row['direction']} {row['kind']} {row['state']} {row['title']}"
                )

    def do_deliver(self, opts) -> None:
        self.stdout.write(f"尝试发送 / attempted: {services.deliver_due()}")

    def do_receive(self, opts) -> None:
        answer = services.message_receive(Path(opts["file"]).read_bytes(), via="文件（命令行）")
        if opts["receipt_out"]:
            Path(opts["receipt_out"]).write_text(json.dumps(answer.receipt, ensure_ascii=False, indent=2))
        document = answer.receipt.get("receipt", {})
        self.stdout.write(
            f"{document.get('status')}: {document.get('reason_zh') or document.get('result', {}).get('label', '')}"
        )
        if not answer.accepted:
            sys.exit(1)

    def do_receipt(self, opts) -> None:
        message = services.receipt_import(data=Path(opts["file"]).read_bytes(), user=_user(opts["user"]))
        self.stdout.write(f"{message.message_id}: {message.get_state_display()}")

    def do_demo_partner(self, opts) -> None:
        from wangjian.exchange import demo_partner

        path = demo_partner.play(
            peer_code=opts["peer_code"],
            peer_name=opts["peer_name"],
            peer_key=Path(opts["peer_key_file"]).read_text(),
            peer_package_key=Path(opts["peer_package_key_file"]).read_text(),
            peer_endpoint=opts["peer_endpoint"],
            password=opts["password"],
            out=Path(opts["out"]),
        )
        self.stdout.write(str(path))

    def do_verify(self, opts) -> None:
        """Offline: the container's members against its envelope, the envelope against the given key."""
        data = Path(opts["file"]).read_bytes()
        public = keys.load_public(Path(opts["key"]).read_text())
        opened = bundle.open_bundle(data)  # refuses (exit 2) a member that differs from the envelope
        if opened.key_fingerprint != keys.fingerprint(public) or not bundle.verify(
            opened, verify_signature=lambda d, s: keys.verify(public, d, s)
        ):
            self.stderr.write("签名无效：不是该公钥所签 / signature invalid: not signed by this key")
            sys.exit(1)
        self.stdout.write(
            f"核验通过 / verified: {opened.kind} {opened.message_id} {opened.sender_code} → {opened.recipient_code}，"
            f"{len(opened.attachments)} 个附件 / attachments"
        )
