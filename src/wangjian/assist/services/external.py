"""协查 with a partner bureau on another wangjian instance: what the exchange layer will call, and what it sends.

The transport (signed messages, receipts) is the exchange layer's; these functions are its two doors into the
assist app, and the payloads are what it carries. A payload names everything by natural keys — bureau division
codes, the 协查函 number, the entity's USCC, the address, platform and shop, the clue's and case's numbers,
evidence as ``evidence:<SHA-256 of the capture's metadata>``, dates as ISO strings — never a database id, and no
personal data beyond what the facts themselves contain (no officer's name, phone or account).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.assist.choices import AssistanceAction as A
from wangjian.assist.choices import AssistanceState as S
from wangjian.assist.models import AssistanceRequest
from wangjian.assist.services.assistance import _open_reply, receiver_users, requester_users
from wangjian.assist.services.common import tell, today_of
from wangjian.assist.services.transitions import need, record
from wangjian.core.audit import acting
from wangjian.core.errors import NotFoundError, ValidationFailed
from wangjian.evidence.models import EvidenceCapture, EvidenceLink
from wangjian.org.models import Bureau
from wangjian.platform.inbox.models import MessageKind

PAYLOAD_REQUEST = "wangjian-assistance-request/1"
PAYLOAD_ANSWER = "wangjian-assistance-answer/1"


def _iso(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date().isoformat()
    return value.isoformat()


def _side(bureau: Bureau | None, code: str, name: str) -> dict[str, str]:
    return {"code": bureau.code, "name": bureau.name} if bureau is not None else {"code": code, "name": name}


def assistance_payload(request: AssistanceRequest) -> dict[str, Any]:
    """The request as the partner's instance receives it (plain, serialisable, natural keys only)."""
    return {
        "format": PAYLOAD_REQUEST,
        "number": request.number,
        "external_ref": request.external_ref,
        "from": _side(request.from_bureau, request.external_from_code, request.external_from_name),
        "to": _side(request.to_bureau, request.external_bureau_code, request.external_bureau_name),
        "question": request.question,
        "subject": {
            "entity_name": request.entity_name,
            "entity_uscc": request.entity_uscc,
            "presence_url": request.presence_url,
            "platform": request.platform_name,
            "shop_name": request.shop_name,
        },
        "serves": {
            "clue_number": request.clue.number if request.clue_id else "",
            "case_number": request.case.number if request.case_id else "",
        },
        "sent_on": _iso(request.sent_at),
        "due": _iso(request.due),
    }


def _evidence_refs(request: AssistanceRequest) -> list[str]:
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(AssistanceRequest)
    linked = EvidenceLink.objects.filter(content_type=ct, object_id=str(request.pk)).values("capture_id")
    refs = [
        f"evidence:{sha}"
        for sha in EvidenceCapture.objects.filter(pk__in=linked)
        .exclude(metadata_sha256="")
        .order_by("started_at", "id")
        .values_list("metadata_sha256", flat=True)
    ]
    return refs + [r for r in request.external_evidence if r not in refs]


def assistance_answer_payload(request: AssistanceRequest) -> dict[str, Any]:
    """The answer as the requesting instance receives it: the text, the findings and the captures' fingerprints."""
    if request.answered_at is None:
        raise ValidationFailed("该协查尚未答复", "The request has not been answered")
    return {
        "format": PAYLOAD_ANSWER,
        "number": request.number,
        "external_ref": request.external_ref,
        "from": _side(request.to_bureau, request.external_bureau_code, request.external_bureau_name),
        "to": _side(request.from_bureau, request.external_from_code, request.external_from_name),
        "answered_on": _iso(request.answered_at),
        "on_time": request.answered_on_time,
        "answer": request.answer,
        "findings": request.findings,
        "evidence": _evidence_refs(request),
    }


def _code(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value.isdigit() or len(value) != 6:
        raise ValidationFailed(
            f"{what}应为6位行政区划代码：{value}", f"{what}: a 6-digit division code: {value}"
        )
    return value


def assistance_receive_external(
    *,
    to_bureau: Bureau,
    from_code: str,
    from_name: str,
    external_ref: str,
    number: str,
    question: str,
    received_on: dt.date,
    entity_name: str = "",
    entity_uscc: str = "",
    presence_url: str = "",
    platform_name: str = "",
    shop_name: str = "",
    now: dt.datetime | None = None,
) -> AssistanceRequest:
    """A 协助调查函 from a partner bureau elsewhere: an incoming request awaiting acceptance, its clock from
    ``received_on`` (the day the letter was received). The same message twice is the same request."""
    now = now or timezone.now()
    external_ref = need(external_ref, "缺少外部消息编号", "The message id is required")
    found = AssistanceRequest.objects.filter(from_bureau__isnull=True, external_ref=external_ref).first()
    if found is not None:
        return found
    from_code = _code(from_code, "提出协查的局")
    if from_code == to_bureau.code:
        raise ValidationFailed(
            "提出协查的局与协查局相同", "The requesting and the receiving bureau are the same"
        )
    question = need(question, "协查函缺少协查事项", "The letter names no question")
    if received_on > today_of(now):
        raise ValidationFailed("收到日期不能晚于今天", "The day of receipt cannot be in the future")
    with transaction.atomic(), acting(None, via="exchange"):
        request = AssistanceRequest.objects.create(
            number=(number or "").strip()[:80],
            external_from_code=from_code,
            external_from_name=(from_name or "").strip()[:100] or from_code,
            to_bureau=to_bureau,
            external_ref=external_ref[:100],
            question=question,
            entity_name=(entity_name or "").strip()[:200],
            entity_uscc=(entity_uscc or "").strip().upper()[:18],
            presence_url=(presence_url or "").strip()[:500],
            platform_name=(platform_name or "").strip()[:100],
            shop_name=(shop_name or "").strip()[:200],
            state=S.SENT,
            sent_at=now,
            received_on=received_on,
        )
        _open_reply(request, received_on, now, notify_unit=False)
        request.save()
        record(
            request, A.RECEIVE, None, now=now, actor_name=request.external_from_name, number=request.number
        )
        tell(
            key=f"assist{request.pk}:received",
            users=receiver_users(request),
            kind=MessageKind.TASK,
            title=f"{request.requester_name}协助调查函 {request.number}：请于 {request.due or '—'} 前完成协查",
            body=f"{request.question}\n{request.due_basis}",
            subject=request,
            now=now,
        )
    return request


def assistance_answer_external(
    *,
    external_ref: str = "",
    number: str = "",
    from_code: str,
    answer: str,
    answered_on: dt.date,
    findings: str = "",
    evidence: Iterable[str] = (),
    now: dt.datetime | None = None,
) -> AssistanceRequest:
    """A partner bureau's answer to an outgoing request, found by the message id (or the letter's number and
    the partner's code); recorded as its answer, the requester told. The same answer twice changes nothing."""
    now = now or timezone.now()
    qs = AssistanceRequest.objects.filter(
        to_bureau__isnull=True, external_bureau_code=_code(from_code, "答复的局")
    )
    if external_ref:
        qs = qs.filter(external_ref=external_ref)
    elif number:
        qs = qs.filter(number=number)
    else:
        raise ValidationFailed("须给出外部消息编号或协查函编号", "Give the message id or the letter's number")
    request = qs.select_related("from_bureau").first()
    if request is None:
        raise NotFoundError("没有对应的协查请求", "No such outgoing request")
    answer = need(answer, "答复内容为空", "The answer is empty")
    refs = [r.strip() for r in evidence if r and r.strip()]
    if request.state == S.ANSWERED and request.answer == answer:
        return request
    if request.state not in (S.SENT, S.ACCEPTED):
        raise ValidationFailed(
            f"协查请求处于“{request.get_state_display()}”状态，不能登记答复",
            f"A request in state '{request.state}' cannot take an answer",
        )
    with transaction.atomic(), acting(None, via="exchange"):
        from_state = request.state
        request.answer, request.findings = answer, (findings or "").strip()
        request.external_evidence = refs
        request.answered_at = now
        request.answered_on_time = request.due is None or answered_on <= request.due
        request.state = S.ANSWERED
        request.save()
        record(
            request,
            A.ANSWER,
            None,
            from_state=from_state,
            comment=answer,
            now=now,
            actor_name=request.external_bureau_name,
            answered_on=answered_on.isoformat(),
            evidence=refs,
        )
        tell(
            key=f"assist{request.pk}:answered:{now:%Y%m%d%H%M%S}",
            users=requester_users(request),
            title=f"协查 {request.number}：{request.receiver_name}已答复，请确认",
            body=answer,
            subject=request,
            now=now,
        )
    return request
