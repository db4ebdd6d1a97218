"""协查 across instances: a request to, or an answer for, a partner bureau on another wangjian instance travels as a
signed message of the exchange, with the captures it rests on as evidence packages.

* Sending a request whose receiving bureau is external: when that code is a registered partner of the requesting
  bureau whose agreement covers 执法协作, the 协助调查函 leaves as an ``assistance.request`` message (its id kept as
  the request's ``external_ref``); otherwise the letter goes by post as before and the answer is recorded by hand.
* Answering a request that came from a partner: the answer leaves as ``assistance.answer`` (in reply to it).
* Receiving either: the exchange has checked the signature, the agreement and every package; the request is
  made (its 15-working-day clock from the day the message arrived) or the answer recorded on the outgoing
  request, and the packages are linked to it (whoever sees the request opens them).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from wangjian.assist.models import AssistanceRequest
from wangjian.assist.services.external import (
    assistance_answer_external,
    assistance_answer_payload,
    assistance_payload,
    assistance_receive_external,
)
from wangjian.core.errors import ValidationFailed
from wangjian.evidence.choices import CaptureStatus
from wangjian.evidence.models import EvidenceCapture, EvidenceLink
from wangjian.evidence.services import evidence_export
from wangjian.exchange import bundle, kinds
from wangjian.exchange.models import Category, Message, Partner
from wangjian.exchange.services import agreement_problem, message_send
from wangjian.exchange.services.incoming import WACZ
from wangjian.org.models import User

REQUEST, ANSWER = "assistance.request", "assistance.answer"
MODEL = "assist.assistancerequest"


def partner_for(request: AssistanceRequest, code: str) -> Partner | None:
    """The partner to message for ``code``, or None (not registered, inactive, or not covered: the letter goes by post)."""
    bureau_id = request.from_bureau_id if request.to_bureau_id is None else request.to_bureau_id
    partner = Partner.objects.filter(bureau_id=bureau_id, code=code, active=True).first()
    if partner is None or agreement_problem(partner, Category.ENFORCEMENT) is not None:
        return None
    return partner


def _packages(request: AssistanceRequest, user: User | None, bureau_id: int) -> list[bundle.Attachment]:
    linked = EvidenceLink.objects.filter(
        content_type__app_label="assist", content_type__model="assistancerequest", object_id=str(request.pk)
    ).values("capture_id")
    captures = EvidenceCapture.objects.filter(pk__in=linked, bureau_id=bureau_id, status=CaptureStatus.OK)
    return [
        bundle.Attachment(
            f"capture-{c.pk}-{c.metadata_sha256[:12]}.wacz",
            evidence_export(capture=c, user=user, reason=f"随协查 {request.number} 发送协作单位"),
            WACZ,
        )
        for c in captures.order_by("started_at", "id")
    ]


def send_request(request: AssistanceRequest, user: User | None, now: dt.datetime) -> Message | None:
    """The 协助调查函 to an external bureau as a message, when it is a partner; None when it goes by post."""
    partner = partner_for(request, request.external_bureau_code)
    if partner is None:
        return None
    message = message_send(
        bureau=request.from_bureau,
        partner=partner,
        kind=REQUEST,
        body={"title": f"协助调查函 {request.number}", **assistance_payload(request)},
        attachments=_packages(request, user, request.from_bureau_id),
        user=user,
        now=now,
    )
    request.external_ref = message.message_id
    request.save(update_fields=["external_ref"])
    return message


def send_answer(request: AssistanceRequest, user: User | None, now: dt.datetime) -> Message | None:
    """The answer to a partner's request, as a message in reply to the one that brought it."""
    partner = partner_for(request, request.external_from_code)
    if partner is None:
        return None
    return message_send(
        bureau=request.to_bureau,
        partner=partner,
        kind=ANSWER,
        body={"title": f"协查答复 {request.number}", **assistance_answer_payload(request)},
        attachments=_packages(request, user, request.to_bureau_id),
        user=user,
        in_reply_to=request.external_ref,
        now=now,
    )


def _subject(body: dict) -> dict:
    subject = body.get("subject") if isinstance(body.get("subject"), dict) else {}
    return {
        k: str(subject.get(k, "") or "")
        for k in ("entity_name", "entity_uscc", "presence_url", "platform", "shop_name")
    }


def receive_request(incoming: kinds.Incoming) -> kinds.Result:
    body, partner = incoming.body, incoming.partner
    subject = _subject(body)
    request = assistance_receive_external(
        to_bureau=incoming.bureau,
        from_code=partner.code,
        from_name=partner.name,
        external_ref=incoming.message.message_id,
        number=str(body.get("number", ""))[:80],
        question=str(body.get("question", "")),
        received_on=timezone.localdate(),
        entity_name=subject["entity_name"],
        entity_uscc=subject["entity_uscc"],
        presence_url=subject["presence_url"],
        platform_name=subject["platform"],
        shop_name=subject["shop_name"],
    )
    return kinds.Result(
        label=f"协查请求 {request.number}（{request.due or '—'} 前答复）",
        url=reverse("assist:request", args=[request.pk]),
        ref={"number": request.number, "due": request.due.isoformat() if request.due else ""},
        linked_model=MODEL,
        linked_id=request.pk,
    )


def receive_answer(incoming: kinds.Incoming) -> kinds.Result:
    body = incoming.body
    reply_to = incoming.message.in_reply_to or str(body.get("external_ref", ""))
    if not reply_to:
        raise ValidationFailed("答复未指明所答复的协查请求", "The answer names no request")
    try:
        answered_on = dt.date.fromisoformat(str(body.get("answered_on", "")))
    except ValueError:
        answered_on = timezone.localdate()
    request = assistance_answer_external(
        external_ref=reply_to,
        from_code=incoming.partner.code,
        answer=str(body.get("answer", "")),
        answered_on=answered_on,
        findings=str(body.get("findings", "")),
        evidence=[str(r) for r in body.get("evidence", []) if isinstance(r, str)],
    )
    return kinds.Result(
        label=f"协查答复 {request.number}",
        url=reverse("assist:request", args=[request.pk]),
        ref={"number": request.number},
        linked_model=MODEL,
        linked_id=request.pk,
    )


def agreement_followed(agreement, user: User | None) -> None:  # noqa: ANN001
    """The agreement's 协查 period becomes the receiving bureau's clock for that partner's letters (or, cleared,
    the statutory 15 working days again)."""
    from wangjian.assist.clocks import REPLY_AGREED
    from wangjian.platform.clocks.models import DeadlinePolicy
    from wangjian.platform.clocks.services import policy_set

    partner = agreement.partner
    if agreement.assistance_days:
        policy_set(
            bureau=partner.bureau,
            clock=REPLY_AGREED,
            variant=partner.code,
            length=agreement.assistance_days,
            basis=f"与{partner.name}的协作协议《{agreement.reference}》约定：收到协助调查函之日起{{n}}个工作日内完成协查",
            user=user,
        )
    else:
        DeadlinePolicy.objects.filter(
            bureau=partner.bureau, clock=REPLY_AGREED, variant=partner.code
        ).delete()


def register() -> None:
    from wangjian.assist.selectors import requests_visible
    from wangjian.assist.services.common import OUTBOUND
    from wangjian.exchange import selectors as exchange_selectors
    from wangjian.exchange.services.partners import AGREEMENT_SAVED

    OUTBOUND.update(request=send_request, answer=send_answer)
    AGREEMENT_SAVED.append(agreement_followed)
    kinds.register(kinds.Kind(REQUEST, "协助调查函（协查请求）", Category.ENFORCEMENT, receive_request))
    kinds.register(kinds.Kind(ANSWER, "协查答复", Category.ENFORCEMENT, receive_answer))
    exchange_selectors.register_viewer(MODEL, lambda user, pk: requests_visible(user).filter(pk=pk).exists())
