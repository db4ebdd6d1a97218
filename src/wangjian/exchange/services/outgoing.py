"""Sending: a message built and signed once, reviewed where the agreement asks, delivered until receipted.

The container is built and stored when the item is sent, so every retry posts the same bytes under the same
message id: the partner keeps the first and answers a repeat with its first receipt (``duplicate``), so nothing
is delivered twice however often the network fails between the post and the answer. A receipt counts only when
its signature is the partner's.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urljoin

import httpx
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from wangjian.core.audit import mask, mask_name
from wangjian.core.errors import ValidationFailed, WangjianError
from wangjian.evidence import keys
from wangjian.evidence.ledger import bureau_key
from wangjian.exchange import bundle, kinds
from wangjian.exchange.models import Agreement, Direction, Message, MessageEvent, Partner, State
from wangjian.exchange.permissions import MESSAGE_REVIEW
from wangjian.exchange.services.partners import agreement_problem, client
from wangjian.org import permissions
from wangjian.org.models import Bureau, User

log = logging.getLogger("wangjian.exchange")

INBOX_PATH = "exchange/inbox/"
#: minutes to wait after each failed attempt; after the last, the message is marked failed (an officer may resend)
BACKOFF_MINUTES = (1, 5, 15, 60, 180, 360, 720, 1440)


def event(
    message: Message, what: str, detail: str = "", *, user: User | None = None, at: dt.datetime | None = None
) -> None:
    MessageEvent.objects.create(
        message=message, at=at or timezone.now(), what=what, detail=detail[:500], user=user
    )


def _masked(body: Mapping[str, Any], personal: Sequence[str]) -> dict[str, Any]:
    out = dict(body)
    for key in personal:
        value = out.get(key)
        if isinstance(value, dict):
            out[key] = {k: (mask_name(v) if k == "name" else mask(v)) if v else v for k, v in value.items()}
        elif value:
            out[key] = mask(value)
    return out


def signer(bureau: Bureau) -> tuple[Callable[[bytes], str], str]:
    private, row = bureau_key(bureau)
    return (lambda data: keys.sign(private, data)), row.fingerprint


def message_send(
    *,
    bureau: Bureau,
    partner: Partner,
    kind: str,
    body: Mapping[str, Any],
    user: User | None,
    attachments: Sequence[bundle.Attachment] = (),
    in_reply_to: str = "",
    now: dt.datetime | None = None,
    deliver: bool = True,
) -> Message:
    """Build, sign and keep a message to ``partner``; queue it (or hold it for review) and start delivery.

    Refused, with nothing kept, when the kind is unknown, the partner is not ``bureau``'s, or the agreement
    does not cover the item. Personal data (the kind's ``personal`` keys) is masked unless the agreement
    allows it.
    """
    now = now or timezone.now()
    spec = kinds.get(kind)
    if spec is None:
        raise ValidationFailed(f"未知的报文类型：{kind}", f"Unknown message kind: {kind}")
    if partner.bureau_id != bureau.pk:
        raise ValidationFailed(
            f"{partner}不是{bureau}的协作单位", f"{partner.code} is not a partner of {bureau.code}"
        )
    problem = agreement_problem(partner, spec.category, on=timezone.localdate(now))
    if problem:
        raise WangjianError(*problem, code="agreement")
    agreement = Agreement.objects.get(partner=partner)
    if not agreement.personal_data:
        body = _masked(body, spec.personal)
    sign, fingerprint = signer(bureau)
    message_id = bundle.new_id()
    data = bundle.build(
        message_id=message_id,
        kind=kind,
        sender={"code": bureau.code, "name": bureau.name},
        recipient={"code": partner.code, "name": partner.name},
        created=now,
        body=body,
        attachments=attachments,
        sign=sign,
        key_fingerprint=fingerprint,
        in_reply_to=in_reply_to,
    )
    opened = bundle.open_bundle(data)
    with transaction.atomic():
        message = Message(
            bureau=bureau,
            partner=partner,
            direction=Direction.OUT,
            message_id=message_id,
            in_reply_to=in_reply_to,
            kind=kind,
            category=spec.category,
            title=spec.title(dict(body)),
            sender_code=bureau.code,
            recipient_code=partner.code,
            created_at=now,
            state=State.REVIEW if agreement.review_before_sending else State.QUEUED,
            body=dict(body),
            bundle_sha256=bundle.sha256(data),
            envelope_sha256=opened.envelope_sha256,
            size=len(data),
            created_by=user,
            next_attempt_at=now,
        )
        message.bundle.save(f"{message_id}.wjx", ContentFile(data), save=False)
        message.save()
        event(
            message,
            "signed",
            f"签名 {fingerprint[:16]}，{len(data)} 字节，{len(attachments)} 个附件",
            user=user,
            at=now,
        )
        if message.state == State.REVIEW:
            event(message, "held", "协作协议要求发送前审核", at=now)
        elif deliver:
            transaction.on_commit(lambda: start_delivery(message.pk))
    return message


def start_delivery(message_id: int) -> None:
    from wangjian.core.background import dispatch

    dispatch(
        "wangjian.exchange.tasks.exchange_deliver",
        thread_name=f"exchange-{message_id}",
        message_id=message_id,
    )


def message_review(
    *, message: Message, user: User, approve: bool, note: str = "", now: dt.datetime | None = None
) -> Message:
    """The office's review of a message its agreement holds: approved it is queued, else withdrawn (kept)."""
    now = now or timezone.now()
    permissions.require(user, MESSAGE_REVIEW)
    if message.direction != Direction.OUT or message.state != State.REVIEW:
        raise ValidationFailed("该报文不在待审核状态", "This message is not awaiting review")
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationFailed("不同意发送须说明理由", "Say why the message may not be sent")
    with transaction.atomic():
        message.state = State.QUEUED if approve else State.WITHDRAWN
        message.reviewed_by, message.reviewed_at, message.review_note = user, now, note[:300]
        message.next_attempt_at = now
        message.save()
        event(message, "approved" if approve else "withdrawn", note, user=user, at=now)
        if approve:
            transaction.on_commit(lambda: start_delivery(message.pk))
    return message


def _verify_with(partner: Partner) -> Callable[[bytes, str], bool]:
    public = keys.load_public(partner.public_key_pem)
    return lambda data, signature: keys.verify(public, data, signature)


def receipt_apply(message: Message, signed: Mapping[str, Any], *, now: dt.datetime, via: str) -> Message:
    """Record the partner's signed receipt on ``message`` (delivered, or refused with the partner's reason)."""
    document = signed.get("receipt") if isinstance(signed, Mapping) else None
    if not isinstance(document, dict) or not bundle.receipt_verified(
        signed, verify_signature=_verify_with(message.partner)
    ):
        raise ValidationFailed(
            "回执签名无效或不是对方的签名", "The receipt's signature is invalid or not the partner's"
        )
    ref = document.get("message") or {}
    if ref.get("id") != message.message_id or ref.get("envelope_sha256") != message.envelope_sha256:
        raise ValidationFailed("回执答复的不是这份报文", "The receipt answers another message")
    status = document.get("status")
    if status in ("accepted", "duplicate"):
        message.state, message.delivered_at = State.DELIVERED, message.delivered_at or now
        message.result = dict(document.get("result") or {})
        message.next_attempt_at, message.last_error = None, ""
    elif status == "refused":
        message.state, message.next_attempt_at = State.REFUSED, None
        message.reason_zh = str(document.get("reason_zh", ""))[:500]
        message.reason_en = str(document.get("reason_en", ""))[:500]
    else:
        raise ValidationFailed("回执状态无效", "The receipt's status is invalid")
    message.receipt = dict(signed)
    message.save()
    event(
        message,
        f"receipt_{status}",
        f"{via}：{document.get('reason_zh') or document.get('result', {}).get('label', '')}",
        at=now,
    )
    return message


def message_deliver(message_id: int, *, now: dt.datetime | None = None) -> Message:
    """One attempt to post ``message_id`` to its partner; the next attempt is scheduled on failure."""
    now = now or timezone.now()
    with transaction.atomic():
        message = Message.objects.select_for_update(of=("self",)).select_related("partner").get(pk=message_id)
        if message.direction != Direction.OUT or message.state not in (State.QUEUED, State.RETRYING):
            return message
        if not message.partner.endpoint:
            return message  # file only: exported and carried by hand
        message.attempts += 1
        message.save(update_fields=["attempts"])
    url = urljoin(
        message.partner.endpoint
        if message.partner.endpoint.endswith("/")
        else message.partner.endpoint + "/",
        INBOX_PATH,
    )
    with message.bundle.open("rb") as fh:
        data = fh.read()
    problem = ""
    try:
        with client() as http:
            response = http.post(url, content=data, headers={"Content-Type": "application/zip"})
        signed = response.json()
    except (httpx.HTTPError, OSError, ValueError) as exc:
        problem = f"{type(exc).__name__}: {exc}"[:400]
        signed = None
    with transaction.atomic():
        message = Message.objects.select_for_update(of=("self",)).select_related("partner").get(pk=message_id)
        if message.state not in (State.QUEUED, State.RETRYING):
            return message
        if signed is not None:
            try:
                return receipt_apply(message, signed, now=now, via=f"HTTP {response.status_code}")
            except WangjianError as exc:
                problem = f"HTTP {response.status_code}: {exc.zh}"
        message.last_error = problem
        if message.attempts >= len(BACKOFF_MINUTES):
            message.state, message.next_attempt_at = State.FAILED, None
            event(message, "failed", f"第{message.attempts}次发送失败，停止重试：{problem}", at=now)
        else:
            message.state = State.RETRYING
            message.next_attempt_at = now + dt.timedelta(minutes=BACKOFF_MINUTES[message.attempts - 1])
            event(
                message,
                "retry",
                f"第{message.attempts}次发送失败：{problem}；{message.next_attempt_at:%m-%d %H:%M} 重试",
                at=now,
            )
        message.save()
        log.warning(
            "exchange: message %s to %s not delivered: %s",
            message.message_id,
            message.recipient_code,
            problem,
        )
        return message


def deliver_due(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Attempt every queued or retrying message whose time has come (the periodic job); returns how many."""
    now = now or timezone.now()
    due = list(
        Message.objects.filter(
            direction=Direction.OUT, state__in=(State.QUEUED, State.RETRYING), next_attempt_at__lte=now
        )
        .exclude(partner__endpoint="")
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        message_deliver(pk, now=now)
    return len(due)


def message_resend(*, message: Message, user: User, now: dt.datetime | None = None) -> Message:
    """Queue a failed message again: the same container, the same id (the partner still keeps it once)."""
    now = now or timezone.now()
    permissions.require(user, MESSAGE_REVIEW)
    if message.direction != Direction.OUT or message.state != State.FAILED:
        raise ValidationFailed("只有发送失败的报文可以重新发送", "Only a failed message can be sent again")
    message.state, message.attempts, message.next_attempt_at = State.RETRYING, 0, now
    message.save()
    event(message, "resend", "重新发送", user=user, at=now)
    transaction.on_commit(lambda: start_delivery(message.pk))
    return message


def message_file(*, message: Message, user: User | None = None, now: dt.datetime | None = None) -> bytes:
    """The container as a file to carry by hand (内网无直连); a queued file-only message becomes 已导出待回执."""
    now = now or timezone.now()
    if message.state in (State.REVIEW, State.WITHDRAWN):
        raise ValidationFailed("报文未经审核同意，不能导出", "The message has not been approved for sending")
    with message.bundle.open("rb") as fh:
        data = fh.read()
    if message.direction == Direction.OUT and message.state == State.QUEUED and not message.partner.endpoint:
        message.state = State.EXPORTED
        message.save(update_fields=["state"])
        event(message, "exported", "导出报文文件，待对方回执", user=user, at=now)
    return data


def receipt_import(*, data: bytes, user: User, now: dt.datetime | None = None) -> Message:
    """Apply a receipt file the partner handed back (file exchange)."""
    import json

    now = now or timezone.now()
    permissions.require(user, MESSAGE_REVIEW)
    try:
        signed = json.loads(data)
        ref = signed["receipt"]["message"]
    except (ValueError, KeyError, TypeError):
        raise ValidationFailed("不是 wangjian 回执文件", "Not a wangjian receipt file") from None
    message = (
        Message.objects.filter(direction=Direction.OUT, message_id=str(ref.get("id", "")))
        .select_related("partner")
        .first()
    )
    if message is None or not permissions.may(user, MESSAGE_REVIEW):
        raise ValidationFailed(
            "本实例没有发出该回执对应的报文", "This instance sent no message this receipt answers"
        )
    with transaction.atomic():
        return receipt_apply(message, signed, now=now, via="回执文件")
