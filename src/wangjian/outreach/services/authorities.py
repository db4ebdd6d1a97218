"""Requests to other authorities — 公安 (a suspected crime), 通信管理局 (shut a site, cancel its ICP filing),
carriers and others — the letter, its receipt (回执) and what the authority did, each followed up on the bureau's
work rule (``outreach.receipt``, ``outreach.outcome``).

A case transferred to the police (行刑衔接, 国务院令第310号) is one of them: ``cases`` writes it here as the case's
transfer, the police's receipt and decision are recorded there (``case_transfer_sync``); such a record is moved
only from the case, so one receipt is never recorded twice differently.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.core.errors import ValidationFailed
from wangjian.org.models import Bureau, User
from wangjian.outreach import clocks
from wangjian.outreach.choices import AuthorityKind, AuthorityRequestKind, AuthorityState
from wangjian.outreach.models import Authority, AuthorityRequest
from wangjian.outreach.services.common import day, lines, may_act, need, not_before, today_of
from wangjian.outreach.services.duties import file_check
from wangjian.platform.numbering.services import number_issue

FROM_CASE = (
    "移送公安机关的案件请在案件中登记（国务院令第310号），此处随案件更新",
    "A case sent to the police is recorded on the case; this record follows it",
)


def authority_save(*, authority: Authority, user: User | None) -> Authority:
    may_act(user, authority.bureau_id)
    authority.name = need(authority.name, "请填写部门名称", "Name the authority")
    if (
        Authority.objects.filter(bureau_id=authority.bureau_id, name=authority.name)
        .exclude(pk=authority.pk)
        .exists()
    ):
        raise ValidationFailed(f"已有协作部门“{authority.name}”", f"'{authority.name}' is registered already")
    authority.save()
    return authority


def authority_request_send(
    *, request: AuthorityRequest, user: User | None, now: dt.datetime | None = None
) -> AuthorityRequest:
    """Send a letter to another authority: numbered, its receipt followed up."""
    now = now or timezone.now()
    may_act(user, request.bureau_id)
    if request.authority.bureau_id != request.bureau_id:
        raise ValidationFailed("协作部门不属于本局的登记", "The authority is registered by another bureau")
    if request.kind == AuthorityRequestKind.POLICE_TRANSFER:
        raise ValidationFailed(
            "涉嫌犯罪案件移送公安机关请在案件中办理（经负责人批准，国务院令第310号第五条）",
            "A case goes to the police from the case, approved by the head (国务院令第310号 art. 5)",
        )
    if request.kind not in AuthorityRequestKind.values:
        raise ValidationFailed("请选择请求类型", "Choose the kind of request")
    request.sent_on = day(request.sent_on, today_of(now), name="sent_on", default=today_of(now))
    request.subject = need(request.subject, "请填写请求事项", "Say what is asked")
    request.materials = "\n".join(lines(request.materials))
    file_check(request.file)
    request.created_by = user if getattr(user, "pk", None) else None
    request.state = AuthorityState.SENT
    with transaction.atomic():
        request.save()
        request.number = number_issue(
            bureau=request.bureau, kind="outreach_authority_request", subject=request, user=user, now=now
        ).number
        work = clocks.item_open(
            request,
            clocks.RECEIPT,
            bureau=request.bureau,
            start=request.sent_on,
            now=now,
            title=f"{request.authority}：{request.get_kind_display()}",
            reference=request.number,
        )
        request.receipt_due = work.due
        request.save()
    return request


def authority_receipt(
    *, request: AuthorityRequest, user: User | None, values: dict[str, Any], now: dt.datetime
) -> str:
    if request.from_case:
        raise ValidationFailed(*FROM_CASE)
    if request.receipt_on:
        raise ValidationFailed("已登记回执", "The receipt is recorded already")
    received = day(values.get("received_on"), today_of(now), name="received_on")
    not_before(received, request.sent_on, "回执日期不能早于发出日期", "The receipt cannot precede the letter")
    if values.get("file"):
        file_check(values["file"])
        request.receipt_file = values["file"]
    late = (
        f"（晚于跟进期限 {request.receipt_due:%Y-%m-%d}）"
        if request.receipt_due and received > request.receipt_due
        else ""
    )
    with transaction.atomic():
        request.receipt_on, request.state = received, AuthorityState.RECEIVED
        clocks.item_end(request, clocks.RECEIPT, user, f"{received} 回执{late}", now)
        work = clocks.item_open(
            request,
            clocks.OUTCOME,
            bureau=request.bureau,
            start=received,
            now=now,
            title=f"{request.authority}：跟进处理结果",
            reference=request.number,
        )
        request.outcome_due = work.due
        request.save()
    return f"已登记回执{late}"


def authority_outcome(
    *, request: AuthorityRequest, user: User | None, values: dict[str, Any], now: dt.datetime
) -> str:
    if request.from_case:
        raise ValidationFailed(*FROM_CASE)
    if request.receipt_on is None:
        raise ValidationFailed("请先登记回执", "Record the receipt first")
    if request.outcome_on:
        raise ValidationFailed("已登记处理结果", "The outcome is recorded already")
    on = day(values.get("outcome_on"), today_of(now), name="outcome_on")
    not_before(
        on, request.receipt_on, "处理结果日期不能早于回执日期", "The outcome cannot precede the receipt"
    )
    request.outcome = need(
        str(values.get("outcome") or ""), "请填写接收部门的处理结果", "Say what the authority did"
    )
    request.outcome_on, request.state = on, AuthorityState.DONE
    with transaction.atomic():
        request.save()
        clocks.item_end(request, clocks.OUTCOME, user, request.outcome[:200], now)
    return "已登记处理结果"


def case_transfer_sync(
    *,
    bureau: Bureau,
    case_number: str,
    target: str,
    sent_on: dt.date,
    subject: str,
    materials: str = "",
    received_on: dt.date | None = None,
    procuratorate_copy: bool = False,
    outcome: str = "",
    outcome_on: dt.date | None = None,
) -> AuthorityRequest:
    """The authority request of a case sent to the police, as the case now stands (called by ``cases``).

    The police station is found in (or added to) the bureau's register by name; the record follows the case's
    transfer, the police's receipt and their decision. Its deadlines are the case's (国务院令第310号), not ours.
    """
    authority = Authority.objects.filter(bureau=bureau, name=target).first()
    if authority is None:
        authority = Authority.objects.create(bureau=bureau, name=target[:200], kind=AuthorityKind.POLICE)
    request = AuthorityRequest.objects.filter(
        bureau=bureau, kind=AuthorityRequestKind.POLICE_TRANSFER, case_number=case_number
    ).first() or AuthorityRequest(
        bureau=bureau, kind=AuthorityRequestKind.POLICE_TRANSFER, case_number=case_number
    )
    request.authority, request.sent_on = authority, sent_on
    request.subject = (subject or "涉嫌犯罪案件移送").strip()
    request.materials = "\n".join(lines(materials))
    request.receipt_on, request.procuratorate_copy = received_on, bool(procuratorate_copy)
    request.outcome, request.outcome_on = outcome or "", outcome_on
    request.state = (
        AuthorityState.DONE if outcome_on else AuthorityState.RECEIVED if received_on else AuthorityState.SENT
    )
    request.save()
    return request
