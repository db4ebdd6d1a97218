"""Receiving: every message checked before anything is made of it, refused and logged when it does not fit.

The order of the checks is the order of trust: a readable container whose members match its envelope; a
recipient that is a bureau here; a sender that is that bureau's partner; the partner's signature over the
envelope, by the key it published (unsigned, tampered, signed by another key: refused); a message id not seen
before from that sender (seen: the first receipt again, nothing done twice); a time not in the future; a kind
some app receives; an agreement that covers it; each evidence package verified against the partner's package
key. Only then does the kind's app make its record, in the same transaction as the message's; its refusal
undoes everything but the refused message itself, which is kept with the reason (and the container, up to
``KEEP_REFUSED_BYTES``) for whoever audits the exchange. Every answer is a receipt signed by the recipient.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from wangjian.core import uploads
from wangjian.core.errors import WangjianError
from wangjian.evidence import keys
from wangjian.evidence.package import check_package
from wangjian.exchange import bundle, kinds
from wangjian.exchange.models import Direction, Message, Partner, ReceivedPackage, State
from wangjian.exchange.services.outgoing import event, signer
from wangjian.exchange.services.partners import agreement_problem
from wangjian.org.models import Bureau

log = logging.getLogger("wangjian.exchange")

KEEP_REFUSED_BYTES = 5 * 1024 * 1024
CLOCK_SKEW = dt.timedelta(minutes=10)
WACZ = "application/wacz"


@dataclass
class Answer:
    """What the endpoint (or the file import) answers: the message as kept here and the signed receipt."""

    message: Message | None
    receipt: dict[str, Any]
    status: int

    @property
    def accepted(self) -> bool:
        return self.receipt.get("receipt", self.receipt).get("status") in ("accepted", "duplicate")


class Refused(WangjianError):
    http_status = 422

    def __init__(self, zh: str, en: str, code: str, status: int = 422):
        super().__init__(zh, en, code=code)
        self.http_status = status


def _signed(document: dict[str, Any], bureau: Bureau | None) -> dict[str, Any]:
    if bureau is None:  # not addressed to a bureau here: nobody of ours signs the refusal
        return {"receipt": document, "algorithm": "", "key": "", "signature": ""}
    sign, fingerprint = signer(bureau)
    return bundle.sign_receipt(document, sign=sign, key_fingerprint=fingerprint)


def _refuse(
    data: bytes,
    exc: WangjianError,
    *,
    opened: bundle.Opened | None,
    bureau: Bureau | None,
    partner: Partner | None,
    via: str,
    now: dt.datetime,
) -> Answer:
    code = getattr(exc, "code", "refused")
    message = Message(
        bureau=bureau,
        partner=partner,
        direction=Direction.IN,
        message_id=(opened.message_id if opened else "")[:40],
        in_reply_to=str(opened.envelope.get("in_reply_to", ""))[:40] if opened else "",
        kind=(opened.kind if opened else "")[:40],
        title=str((opened.body or {}).get("title", ""))[:300] if opened else "",
        sender_code=(opened.sender_code if opened else "")[:12],
        recipient_code=(opened.recipient_code if opened else "")[:12],
        created_at=(opened.created if opened and opened.created else now),
        state=State.REFUSED,
        bundle_sha256=bundle.sha256(data),
        envelope_sha256=opened.envelope_sha256 if opened else "",
        size=len(data),
        reason_zh=exc.zh[:500],
        reason_en=exc.en[:500],
        refusal_code=code[:20],
    )
    if len(data) <= KEEP_REFUSED_BYTES:
        message.bundle.save(f"refused-{bundle.sha256(data)[:16]}.wjx", ContentFile(data), save=False)
    message.save()
    event(message, "refused", f"{via}：{exc.zh}", at=now)
    log.warning(
        "exchange: refused %s message %s from %s: %s",
        via,
        message.message_id or "?",
        message.sender_code or "?",
        exc.en,
    )
    ref = {
        "id": message.message_id,
        "envelope_sha256": message.envelope_sha256,
        "sender": message.sender_code,
    }
    document = bundle.receipt(
        opened_or_id=ref,
        status="refused",
        by_code=bureau.code if bureau else "",
        at=now,
        reason_zh=exc.zh,
        reason_en=exc.en,
    )
    document["code"] = code
    message.receipt = _signed(document, bureau)
    message.save(update_fields=["receipt"])
    return Answer(message, message.receipt, getattr(exc, "http_status", 422))


def _packages(opened: bundle.Opened, partner: Partner) -> list[tuple[str, bytes, dict[str, Any]]]:
    """Each evidence package of the message, verified against the partner's published package key."""
    out = []
    types = {m["path"]: m.get("media_type", "") for m in opened.envelope["members"]}
    for path, data in opened.attachments.items():
        if types.get(path) != WACZ:
            continue
        if not partner.package_public_key_pem:
            raise Refused(
                "协作单位未登记证据包公钥，无法核验随附证据包",
                "The partner's package key is not registered: its evidence packages cannot be verified",
                "evidence",
            )
        try:
            check = check_package(data, public_key_pem=partner.package_public_key_pem)
        except (ValueError, KeyError, OSError) as exc:  # not a readable package at all
            raise Refused(
                f"证据包 {path} 无法读取", f"The evidence package {path} cannot be read", "evidence"
            ) from exc
        if not check.ok:
            raise Refused(
                f"证据包 {path} 核验未通过：{check.problems[0]}",
                f"The evidence package {path} failed verification: {check.problems[0]}",
                "evidence",
            )
        out.append((path, data, _package_meta(data)))
    return out


def _package_meta(data: bytes) -> dict[str, Any]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        try:
            first = zf.read("pages/pages.jsonl").decode().splitlines()
            pages = [json.loads(line) for line in first if line.strip()]
        except (KeyError, ValueError):
            pages = []
    page = next((p for p in pages if p.get("url")), {})
    return {
        "url": str(page.get("url", ""))[:2000],
        "ts": str(page.get("ts", ""))[:40],
        "title": str(page.get("title", ""))[:300],
    }


def message_receive(
    data: bytes, *, via: str = "http", now: dt.datetime | None = None, declared_size: int = 0
) -> Answer:
    """Check and receive one message's bytes; the answer carries the receipt to return to the sender.

    ``declared_size``: a body announced larger than ``bundle.MAX_BYTES`` is refused unread."""
    now = now or timezone.now()
    opened = bureau = partner = None
    try:
        if declared_size > bundle.MAX_BYTES or len(data) > bundle.MAX_BYTES:
            size = max(declared_size, len(data))
            raise Refused(
                f"报文 {size} 字节，超过上限 {bundle.MAX_BYTES} 字节",
                f"The message of {size} bytes exceeds the limit of {bundle.MAX_BYTES} bytes",
                "malformed",
                413,
            )
        try:
            uploads.zip_check(io.BytesIO(data), name="message.wjx")
        except WangjianError as exc:
            raise Refused(exc.zh, exc.en, "malformed", 413 if exc.code == "too_large" else 400) from exc
        try:
            opened = bundle.open_bundle(data)
        except bundle.BundleRefused as exc:
            raise Refused(exc.zh, exc.en, exc.code, 400) from exc
        bureau = Bureau.objects.filter(code=opened.recipient_code).first()
        if bureau is None:
            raise Refused(
                f"接收方 {opened.recipient_code} 不是本实例的单位",
                f"The recipient {opened.recipient_code} is not a bureau of this instance",
                "recipient",
                404,
            )
        partner = Partner.objects.filter(bureau=bureau, code=opened.sender_code).first()
        if partner is None:
            raise Refused(
                f"发送方 {opened.sender_code} 不是{bureau}登记的协作单位",
                f"The sender {opened.sender_code} is not a registered partner of {bureau.code}",
                "sender",
                403,
            )
        if opened.key_fingerprint != partner.fingerprint or not bundle.verify(
            opened, verify_signature=lambda d, s: keys.verify(keys.load_public(partner.public_key_pem), d, s)
        ):
            raise Refused(
                f"签名无效：不是{partner}公布的公钥所签（报文可能被篡改或冒用）",
                f"Invalid signature: not signed by the key {partner.code} published (altered or forged)",
                "signature",
                403,
            )
        earlier = (
            Message.objects.filter(
                direction=Direction.IN, sender_code=opened.sender_code, message_id=opened.message_id
            )
            .exclude(state=State.REFUSED)
            .first()
        )
        if earlier is not None:
            return _duplicate(earlier, opened, bureau, partner, via=via, now=now)
        if opened.created and opened.created > now + CLOCK_SKEW:
            raise Refused(
                f"报文时间 {opened.created:%Y-%m-%d %H:%M} 晚于本机时间",
                "The message is dated in the future",
                "clock",
            )
        spec = kinds.get(opened.kind)
        if spec is None:
            raise Refused(
                f"本实例不接收“{opened.kind}”类报文",
                f"This instance receives no {opened.kind} messages",
                "kind",
            )
        problem = agreement_problem(partner, spec.category, on=timezone.localdate(now))
        if problem:
            raise Refused(*problem, "agreement", 403)
        packages = _packages(opened, partner)
        try:
            with transaction.atomic():
                return _accept(data, opened, spec, bureau, partner, packages, via=via, now=now)
        except IntegrityError:  # the same message arriving twice at once: the other delivery kept it
            earlier = (
                Message.objects.filter(
                    direction=Direction.IN, sender_code=opened.sender_code, message_id=opened.message_id
                )
                .exclude(state=State.REFUSED)
                .first()
            )
            if earlier is None:
                raise
            return _duplicate(earlier, opened, bureau, partner, via=via, now=now)
    except WangjianError as exc:
        if not isinstance(exc, Refused):
            exc = Refused(exc.zh, exc.en, "refused")
        return _refuse(data, exc, opened=opened, bureau=bureau, partner=partner, via=via, now=now)


def _duplicate(
    earlier: Message, opened: bundle.Opened, bureau: Bureau, partner: Partner, *, via: str, now: dt.datetime
) -> Answer:
    if earlier.envelope_sha256 != opened.envelope_sha256:
        raise Refused(
            "同一报文编号的内容与先前收到的不同",
            "A message with this id and different content was received before",
            "conflict",
            409,
        )
    event(earlier, "duplicate", f"{via}：重复送达，按首次回执答复，未重复处理", at=now)
    signed = dict(earlier.receipt)
    return Answer(earlier, signed, 200)


def _accept(
    data: bytes,
    opened: bundle.Opened,
    spec: kinds.Kind,
    bureau: Bureau,
    partner: Partner,
    packages: list,
    *,
    via: str,
    now: dt.datetime,
) -> Answer:
    message = Message(
        bureau=bureau,
        partner=partner,
        direction=Direction.IN,
        message_id=opened.message_id,
        in_reply_to=str(opened.envelope.get("in_reply_to", ""))[:40],
        kind=opened.kind,
        category=spec.category,
        title=spec.title(opened.body),
        sender_code=opened.sender_code,
        recipient_code=opened.recipient_code,
        created_at=opened.created,
        state=State.ACCEPTED,
        body=opened.body,
        bundle_sha256=bundle.sha256(data),
        envelope_sha256=opened.envelope_sha256,
        size=len(data),
        delivered_at=now,
    )
    message.bundle.save(f"{opened.message_id}.wjx", ContentFile(data), save=False)
    message.save()
    event(message, "received", f"{via}：签名有效（{partner.fingerprint[:16]}），{len(data)} 字节", at=now)
    rows = [
        ReceivedPackage.objects.create(
            message=message,
            bureau=bureau,
            name=path.removeprefix("attachments/"),
            sha256=bundle.sha256(content),
            size=len(content),
            url=meta["url"],
            captured_at=meta["ts"],
            capture_title=meta["title"],
            verified=True,
            checked_at=now,
        )
        for path, content, meta in packages
    ]
    if rows:
        event(message, "packages", f"证据包 {len(rows)} 个，均按对方公布的证据包公钥核验通过", at=now)
    try:
        with transaction.atomic():
            result = spec.receive(
                kinds.Incoming(
                    message=message, bureau=bureau, partner=partner, body=opened.body, packages=rows
                )
            )
    except WangjianError as exc:
        raise Refused(exc.zh, exc.en, "content") from exc
    if result.linked_model:
        ReceivedPackage.objects.filter(message=message).update(
            linked_model=result.linked_model, linked_id=result.linked_id
        )
    message.result = {"label": result.label, "url": result.url, **result.ref}
    document = bundle.receipt(
        opened_or_id=opened,
        status="accepted",
        by_code=bureau.code,
        at=now,
        result={"label": result.label, **result.ref},
    )
    message.receipt = _signed(document, bureau)
    message.save()
    event(message, "accepted", result.label, at=now)
    return Answer(message, message.receipt, 200)
