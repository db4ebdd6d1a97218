"""协查: a bureau asks another to investigate what it cannot reach, with a 协助调查函 and its clock.

The steps are the transition table's (``transitions.TRANSITIONS``). The receiving bureau's duty is a platform
work item (``assist.reply``: 15 working days from the receipt of the letter, or the period of a cooperation
agreement with the requester), so reminders, overdue marking and 督办 come from the platform's follow-up; the
hooks here keep the request's record in step. Evidence the receiving bureau links to its answer is linked to
the request, and whoever sees the request — the requesting bureau — opens it (``evidence.access``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.assist.choices import AssistanceAction as A
from wangjian.assist.choices import AssistanceState as S
from wangjian.assist.clocks import REPLY, REPLY_AGREED
from wangjian.assist.models import AssistanceEvent, AssistanceRequest
from wangjian.assist.permissions import ASSIST_ACT
from wangjian.assist.services.common import OUTBOUND, end_items, ids, may, open_item, tell, text, today_of
from wangjian.assist.services.transitions import TRANSITIONS, need, record, transition_check
from wangjian.core.audit import acting
from wangjian.core.errors import ValidationFailed
from wangjian.evidence.models import EvidenceCapture
from wangjian.evidence.services import evidence_link
from wangjian.org.models import Bureau, Department, User
from wangjian.platform.clocks.models import DeadlinePolicy
from wangjian.platform.clocks.services import deadline_for
from wangjian.platform.inbox.models import MessageKind
from wangjian.platform.numbering.services import number_issue
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.models import Escalation, EscalationLevel, WorkItem, WorkItemState
from wangjian.platform.workitems.services import clock_extend, workitem_create

REPLY_LABEL = "完成协查并答复"

# ---------------------------------------------------------------- who is told


def requester_users(request: AssistanceRequest) -> list[User]:
    if not request.from_bureau_id:
        return []
    users = workitem_selectors.office_users(request.from_bureau_id)
    users += workitem_selectors.unit_users(department=request.from_department_id)
    if request.created_by_id:
        users.append(request.created_by)
    return users


def receiver_users(request: AssistanceRequest) -> list[User]:
    if not request.to_bureau_id:
        return []
    users = workitem_selectors.office_users(request.to_bureau_id)
    if request.to_department_id:
        users += workitem_selectors.unit_users(department=request.to_department_id)
    if request.assignee_id:
        users.append(request.assignee)
    return users


# ---------------------------------------------------------------- the clock


def reply_clock(*, to_bureau: Bureau, requester_code: str) -> tuple[str, str]:
    """The agreed period when the receiving bureau recorded one for this partner, else the statutory 15 days."""
    if (
        requester_code
        and DeadlinePolicy.objects.filter(
            bureau=to_bureau, clock=REPLY_AGREED, variant=requester_code
        ).exists()
    ):
        return REPLY_AGREED, requester_code
    return REPLY, ""


def requester_code(request: AssistanceRequest) -> str:
    return request.from_bureau.code if request.from_bureau_id else request.external_from_code


def _copy_due(request: AssistanceRequest, item: WorkItem) -> None:
    request.due, request.due_basis, request.due_provisional = item.due, item.due_basis, item.due_provisional


def _open_reply(
    request: AssistanceRequest, start: dt.date, now: dt.datetime, *, notify_unit: bool
) -> WorkItem:
    """The receiving bureau owes the answer: its office until it assigns a unit, then the unit."""
    clock, variant = reply_clock(to_bureau=request.to_bureau, requester_code=requester_code(request))
    department = request.to_department or request.to_bureau.office()
    if department is None:
        raise ValidationFailed(
            f"{request.to_bureau}尚未设置办公室或网络交易监管科室，无法接收协查",
            f"{request.to_bureau} has no office unit to receive the request",
        )
    item = workitem_create(
        bureau=request.to_bureau,
        kind=REPLY,
        title=REPLY_LABEL,
        body=f"{request.requester_name}请求协查：{request.question}",
        reference=request.number,
        department=department,
        assignee=request.assignee,
        clock=clock,
        variant=variant,
        start=start,
        subject=request,
        now=now,
        notify_unit=notify_unit,
    )
    _copy_due(request, item)
    return item


# ---------------------------------------------------------------- drafting and sending


def _subject_keys(*, entity: Any, presence: Any, values: dict[str, Any]) -> dict[str, Any]:
    keys = {
        "entity": entity,
        "presence": presence,
        "entity_name": text(values, "entity_name"),
        "entity_uscc": text(values, "entity_uscc").upper(),
        "presence_url": text(values, "presence_url"),
        "platform_name": text(values, "platform_name"),
        "shop_name": text(values, "shop_name"),
    }
    if entity is not None:
        keys["entity_name"], keys["entity_uscc"] = entity.name, entity.uscc
    if presence is not None:
        keys["presence_url"] = presence.url or keys["presence_url"]
        keys["platform_name"] = presence.platform.name if presence.platform_id else keys["platform_name"]
        keys["shop_name"] = presence.shop_name or keys["shop_name"]
    if not any(keys[k] for k in ("entity_name", "entity_uscc", "presence_url", "shop_name")):
        raise ValidationFailed(
            "请写明协查对象：市场主体（名称或统一社会信用代码）或网址、平台店铺",
            "Name the subject: a market entity (name or code) or an address, platform and shop",
        )
    return keys


def assistance_create(
    *,
    user: User,
    question: str,
    to_bureau: Bureau | None = None,
    external_bureau_code: str = "",
    external_bureau_name: str = "",
    entity: Any = None,
    presence: Any = None,
    clue: Any = None,
    case: Any = None,
    from_department: Department | None = None,
    values: dict[str, Any] | None = None,
    send: bool = False,
    now: dt.datetime | None = None,
) -> AssistanceRequest:
    """起草协查请求 from the user's bureau to a bureau of this instance or a partner bureau elsewhere."""
    now = now or timezone.now()
    may(user, ASSIST_ACT)
    values = values or {}
    bureau = user.bureau
    if bureau is None:
        raise ValidationFailed("只有局的工作人员可以提出协查", "Only a bureau's staff ask for assistance")
    question = need(question, "请写明需要协查的事项", "Say what the other bureau is asked to investigate")
    code, name = (external_bureau_code or "").strip(), (external_bureau_name or "").strip()
    if (to_bureau is None) == (not code):
        raise ValidationFailed(
            "请选择本平台的协查局，或填写外部局的行政区划代码和名称（二者选一）",
            "Choose a bureau of this instance or give a partner bureau's code and name (one of the two)",
        )
    if to_bureau is not None and to_bureau.pk == bureau.pk:
        raise ValidationFailed("不能向本局提出协查", "A bureau does not ask itself for assistance")
    if code and (not code.isdigit() or len(code) != 6 or not name):
        raise ValidationFailed(
            "外部局须填写6位行政区划代码和名称",
            "A partner bureau needs its 6-digit division code and its name",
        )
    if code and Bureau.objects.filter(code=code).exists():
        raise ValidationFailed(
            f"行政区划代码 {code} 的局在本平台，请直接选择该局",
            f"The bureau {code} is on this instance: choose it",
        )
    for obj, label in ((entity, "市场主体"), (presence, "网络经营场所"), (clue, "线索"), (case, "案件")):
        if obj is not None and obj.bureau_id != bureau.pk:
            raise ValidationFailed(f"所涉{label}须为本局的", f"The {label} must be the bureau's own")
    department = from_department or user.department or bureau.office()
    if department is not None and department.bureau_id != bureau.pk:
        raise ValidationFailed("提出协查的单位须为本局科室", "The requesting unit must be the bureau's")
    with transaction.atomic(), acting(user, via="assist"):
        request = AssistanceRequest.objects.create(
            from_bureau=bureau,
            from_department=department,
            created_by=user,
            to_bureau=to_bureau,
            external_bureau_code=code,
            external_bureau_name=name[:100],
            question=question,
            clue=clue,
            case=case,
            **_subject_keys(entity=entity, presence=presence, values=values),
        )
        record(request, A.CREATE, user, now=now, comment=question)
        if send:
            assistance_send(request=request, user=user, now=now)
    return request


def assistance_send(*, request: AssistanceRequest, user: User | None, now: dt.datetime | None = None) -> str:
    """出具协助调查函: numbered; a bureau of this instance receives it at once and its clock starts that day."""
    now = now or timezone.now()
    may(user, ASSIST_ACT)
    transition_check(user=user, request=request, action=A.SEND)
    today = today_of(now)
    with transaction.atomic(), acting(user, via="assist"):
        request.number = number_issue(
            bureau=request.from_bureau, kind="assistance", subject=request, user=user, now=now
        ).number
        request.state, request.sent_at = S.SENT, now
        if request.to_bureau_id:
            request.received_on = today
            _open_reply(request, today, now, notify_unit=False)
        else:
            # the partner's clock runs on its own instance from the day it receives the letter: an estimate here
            estimate = deadline_for(bureau=request.from_bureau, clock=REPLY, start=today)
            request.due, request.due_provisional = estimate.due, estimate.provisional
            request.due_basis = (
                "预计（外部局自收到协助调查函之日起算，以其答复为准）：" + estimate.basis_text("发出")
            )
        request.save()
        # a partner on another instance receives the letter as a signed message (else it goes by post)
        message = OUTBOUND["request"](request, user, now) if not request.to_bureau_id else None
        record(
            request,
            A.SEND,
            user,
            from_state=S.DRAFT,
            now=now,
            number=request.number,
            **({"message": message.message_id} if message else {}),
        )
        tell(
            key=f"assist{request.pk}:sent",
            users=receiver_users(request),
            kind=MessageKind.TASK,
            title=f"{request.requester_name}协助调查函 {request.number}：请于 {request.due or '—'} 前完成协查",
            body=f"{request.question}\n{request.due_basis}",
            subject=request,
            now=now,
        )
    return f"已发出协查函 {request.number}，答复期限 {request.due or '—'}"


# ---------------------------------------------------------------- the receiving bureau


def _step(
    request: AssistanceRequest, action: str, user: User | None, now: dt.datetime, comment: str = "", **detail
) -> AssistanceEvent:
    from_state = request.state
    target = TRANSITIONS[action].target
    if target is not None:
        request.state = target
    request.save()
    return record(request, action, user, from_state=from_state, comment=comment, now=now, **detail)


def assistance_accept(
    *,
    request: AssistanceRequest,
    user: User | None,
    department: Department | None = None,
    assignee: User | None = None,
    now: dt.datetime | None = None,
) -> str:
    """The receiving office accepts and assigns a unit (and an officer); the clock keeps its start."""
    now = now or timezone.now()
    may(user, ASSIST_ACT)
    transition_check(user=user, request=request, action=A.ACCEPT)
    if assignee is not None and department is None:
        department = assignee.department
    if department is None:
        raise ValidationFailed("请选择承办单位", "Choose the unit that does the work")
    if department.bureau_id != request.to_bureau_id or not department.is_active:
        raise ValidationFailed("承办单位须为本局在用的科室", "The unit must be an active unit of the bureau")
    if assignee is not None and (assignee.bureau_id != request.to_bureau_id or not assignee.is_active):
        raise ValidationFailed("承办人须为本局人员", "The officer must belong to the bureau")
    with transaction.atomic(), acting(user, via="assist"):
        request.to_department, request.assignee, request.accepted_at = department, assignee, now
        item = open_item(request, [REPLY])
        if item is not None:
            item.department, item.station, item.assignee = department, None, assignee
            item.save()
        _step(
            request,
            A.ACCEPT,
            user,
            now,
            comment=f"承办单位：{department}{'，承办人：' + str(assignee) if assignee else ''}",
        )
        tell(
            key=f"assist{request.pk}:assigned:{department.pk}",
            users=workitem_selectors.unit_users(department=department) + ([assignee] if assignee else []),
            kind=MessageKind.ASSIGNED,
            title=f"协查 {request.number}（{request.requester_name}）分派本单位，请于 {request.due or '—'} 前答复",
            body=request.question,
            subject=request,
            now=now,
        )
    return f"已接收，分派{department}"


def assistance_refuse(
    *, request: AssistanceRequest, user: User | None, reason: str, now: dt.datetime | None = None
) -> str:
    """拒绝协查 with the reason (not the bureau's jurisdiction …); the requester is told."""
    now = now or timezone.now()
    may(user, ASSIST_ACT)
    transition_check(user=user, request=request, action=A.REFUSE)
    reason = need(reason, "拒绝协查须说明理由", "A refusal needs its reason")
    with transaction.atomic(), acting(user, via="assist", reason=reason):
        request.refused_at, request.refusal_reason = now, reason
        end_items(
            request, [REPLY], user=user, result=f"拒绝协查：{reason}", state=WorkItemState.CANCELLED, now=now
        )
        _step(request, A.REFUSE, user, now, comment=reason)
        tell(
            key=f"assist{request.pk}:refused",
            users=requester_users(request),
            kind=MessageKind.RETURNED,
            title=f"协查 {request.number} 被{request.receiver_name}拒绝",
            body=reason,
            subject=request,
            now=now,
        )
    return "已拒绝协查并告知提出协查的局"


def assistance_extend(
    *, request: AssistanceRequest, user: User, days: Any, reason: str, now: dt.datetime | None = None
) -> str:
    """延期完成: more working days on the clock (a ``ClockExtension``), the reason recorded, the requester told."""
    now = now or timezone.now()
    may(user, ASSIST_ACT)
    transition_check(user=user, request=request, action=A.EXTEND)
    reason = need(reason, "延期须说明理由", "An extension needs its reason")
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ValidationFailed("请填写延长的工作日数", "Give the number of working days") from None
    item = open_item(request, [REPLY])
    if item is None:
        raise ValidationFailed("该协查没有在办的期限", "The request has no running clock")
    with transaction.atomic(), acting(user, via="assist", reason=reason):
        before = item.due
        clock_extend(item=item, length=days, approved_by=user, approved_on=today_of(now), basis=reason)
        item.refresh_from_db()
        _copy_due(request, item)
        _step(request, A.EXTEND, user, now, comment=reason, days=days, before=str(before), due=str(item.due))
        tell(
            key=f"assist{request.pk}:extended:{item.extensions.count()}",
            users=requester_users(request),
            title=f"协查 {request.number}：{request.receiver_name}需要延期完成，答复期限延至 {item.due}",
            body=reason,
            subject=request,
            now=now,
        )
    return f"已延长{days}个工作日，答复期限 {item.due}，已告知提出协查的局"


def _captures(request: AssistanceRequest, capture_ids: list[int]) -> list[EvidenceCapture]:
    captures = list(EvidenceCapture.objects.filter(pk__in=capture_ids, bureau_id=request.to_bureau_id))
    missing = set(capture_ids) - {c.pk for c in captures}
    if missing:
        raise ValidationFailed(
            f"取证记录不存在或不是本局的：{', '.join(map(str, sorted(missing)))}",
            f"Not captures of this bureau: {sorted(missing)}",
        )
    return captures


def assistance_answer(
    *,
    request: AssistanceRequest,
    user: User | None,
    answer: str,
    findings: str = "",
    capture_ids: list[int] = (),
    now: dt.datetime | None = None,
) -> str:
    """答复协查 with what was found and the bureau's captures linked, so that the requester opens them."""
    now = now or timezone.now()
    may(user, ASSIST_ACT)
    transition_check(user=user, request=request, action=A.ANSWER)
    answer = need(answer, "请填写协查答复", "The answer is required")
    captures = _captures(request, list(capture_ids))
    today = today_of(now)
    with transaction.atomic(), acting(user, via="assist"):
        request.answer, request.findings = answer, (findings or "").strip()
        request.answered_at = now
        request.answered_on_time = request.due is None or today <= request.due
        for capture in captures:
            evidence_link(capture=capture, obj=request, user=user)
        end_items(
            request, [REPLY], user=user, result=f"已答复：{answer[:200]}", state=WorkItemState.DONE, now=now
        )
        if request.from_bureau_id is None:  # the answer goes back to the partner's instance
            OUTBOUND["answer"](request, user, now)
        _step(
            request,
            A.ANSWER,
            user,
            now,
            comment=answer,
            on_time=request.answered_on_time,
            captures=[c.pk for c in captures],
        )
        tell(
            key=f"assist{request.pk}:answered:{now:%Y%m%d%H%M%S}",
            users=requester_users(request),
            title=f"协查 {request.number}：{request.receiver_name}已答复，请确认",
            body=answer,
            subject=request,
            now=now,
        )
    return "已答复协查" + ("" if request.answered_on_time else "（已超过答复期限）")


# ---------------------------------------------------------------- the requester


def assistance_close(
    *, request: AssistanceRequest, user: User | None, note: str = "", now: dt.datetime | None = None
) -> str:
    now = now or timezone.now()
    may(user, ASSIST_ACT)
    transition_check(user=user, request=request, action=A.CLOSE)
    with transaction.atomic(), acting(user, via="assist"):
        request.closed_at, request.close_note = now, (note or "").strip()
        _step(request, A.CLOSE, user, now, comment=request.close_note)
        tell(
            key=f"assist{request.pk}:closed",
            users=receiver_users(request),
            title=f"协查 {request.number}：{request.requester_name}已确认答复，协查办结",
            body=request.close_note,
            subject=request,
            now=now,
        )
    return "已确认答复，协查办结"


def assistance_return(
    *, request: AssistanceRequest, user: User | None, reason: str, now: dt.datetime | None = None
) -> str:
    """退回补充协查: the receiving unit owes a further answer, on a clock from the day it is returned."""
    now = now or timezone.now()
    may(user, ASSIST_ACT)
    transition_check(user=user, request=request, action=A.RETURN)
    reason = need(reason, "退回须写明需要补充协查的事项", "Say what more is needed")
    with transaction.atomic(), acting(user, via="assist", reason=reason):
        request.answered_at, request.answered_on_time = None, None
        if request.to_bureau_id:
            _open_reply(request, today_of(now), now, notify_unit=False)
        _step(request, A.RETURN, user, now, comment=reason, due=str(request.due or ""))
        tell(
            key=f"assist{request.pk}:returned:{now:%Y%m%d%H%M%S}",
            users=receiver_users(request),
            kind=MessageKind.RETURNED,
            title=f"协查 {request.number} 被退回补充协查，请于 {request.due or '—'} 前答复",
            body=reason,
            subject=request,
            now=now,
        )
    return f"已退回补充协查，答复期限 {request.due or '—'}"


def assistance_withdraw(
    *, request: AssistanceRequest, user: User | None, reason: str, now: dt.datetime | None = None
) -> str:
    now = now or timezone.now()
    may(user, ASSIST_ACT)
    transition_check(user=user, request=request, action=A.WITHDRAW)
    reason = need(reason, "撤回须说明理由", "A withdrawal needs its reason")
    was_sent = request.state == S.SENT
    with transaction.atomic(), acting(user, via="assist", reason=reason):
        request.withdrawn_at = now
        end_items(
            request,
            [REPLY],
            user=user,
            result=f"提出协查的局撤回：{reason}",
            state=WorkItemState.CANCELLED,
            now=now,
        )
        _step(request, A.WITHDRAW, user, now, comment=reason)
        if was_sent:
            tell(
                key=f"assist{request.pk}:withdrawn",
                users=receiver_users(request),
                title=f"协查 {request.number} 已被{request.requester_name}撤回",
                body=reason,
                subject=request,
                now=now,
            )
    return "已撤回协查请求"


def assistance_act(*, request: AssistanceRequest, user: User, action: str, values: dict[str, Any]) -> str:
    """One entry point for the page's buttons and the API's ``transition``: the same input, the same step."""
    if action == A.SEND:
        return assistance_send(request=request, user=user)
    if action == A.WITHDRAW:
        return assistance_withdraw(request=request, user=user, reason=text(values, "reason"))
    if action == A.ACCEPT:
        department = assignee = None
        if text(values, "department"):
            department = Department.objects.filter(
                pk=ids(values, "department")[0], bureau_id=request.to_bureau_id
            ).first()
            if department is None:
                raise ValidationFailed(
                    "承办单位须为本局在用的科室", "The unit must be an active unit of the bureau"
                )
        if text(values, "assignee"):
            assignee = User.objects.filter(
                pk=ids(values, "assignee")[0], bureau_id=request.to_bureau_id
            ).first()
            if assignee is None:
                raise ValidationFailed("承办人须为本局人员", "The officer must belong to the bureau")
        return assistance_accept(request=request, user=user, department=department, assignee=assignee)
    if action == A.REFUSE:
        return assistance_refuse(request=request, user=user, reason=text(values, "reason"))
    if action == A.EXTEND:
        return assistance_extend(
            request=request, user=user, days=values.get("days"), reason=text(values, "reason")
        )
    if action == A.ANSWER:
        return assistance_answer(
            request=request,
            user=user,
            answer=text(values, "answer"),
            findings=text(values, "findings"),
            capture_ids=ids(values, "captures"),
        )
    if action == A.CLOSE:
        return assistance_close(request=request, user=user, note=text(values, "note"))
    if action == A.RETURN:
        return assistance_return(request=request, user=user, reason=text(values, "reason"))
    transition_check(user=user, request=request, action=action)  # names the unknown action
    raise ValidationFailed(f"未知的操作：{action}", f"Unknown action: {action}")


# ---------------------------------------------------------------- hooks: the platform's follow-up tells the request


def _request_of(item: WorkItem) -> AssistanceRequest:
    return AssistanceRequest.objects.select_related("from_bureau", "to_bureau").get(pk=item.subject_id)


def reply_overdue(item: WorkItem) -> None:
    request = _request_of(item)
    record(
        request,
        A.OVERDUE,
        None,
        from_state=request.state,
        comment=f"答复期限 {item.due} 已过",
        now=item.overdue_at,
    )
    tell(
        key=f"assist{request.pk}:overdue:{item.pk}",
        users=requester_users(request),
        kind=MessageKind.OVERDUE,
        title=f"协查 {request.number}：{request.receiver_name}逾期未答复（期限 {item.due}）",
        subject=request,
        now=item.overdue_at or timezone.now(),
    )


def reply_escalated(item: WorkItem, escalation: Escalation) -> None:
    request = _request_of(item)
    action = A.ESCALATE if escalation.level == EscalationLevel.OFFICE else A.ESCALATE_GROUP
    record(
        request,
        action,
        escalation.raised_by,
        from_state=request.state,
        comment=escalation.note,
        now=escalation.raised_at,
        level=escalation.level,
        automatic=escalation.automatic,
    )


def reply_answered(item: WorkItem, escalation: Escalation) -> None:
    request = _request_of(item)
    record(
        request,
        A.ESCALATION_ANSWER,
        escalation.answered_by,
        from_state=request.state,
        comment=escalation.answer,
        now=escalation.answered_at,
    )


def reply_due_changed(item: WorkItem) -> None:
    request = _request_of(item)
    _copy_due(request, item)
    request.save()
