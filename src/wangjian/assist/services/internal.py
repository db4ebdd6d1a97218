"""内部协作: a business department (广告、食品、药品 …) asks its bureau's network supervision unit (网络市场监管机构,
the department of kind 网络交易监管) for an online check of a presence or an evidence capture of an address.

云南 实施意见 (2017) 三(一)1、3: the business unit hands the online check to the network unit; the network unit
gives technical support — extracting, analysing and fixing electronic evidence. The request goes to the network
unit of the same bureau by itself, on the bureau's own clock (``assist.internal``, 3 working days unless the office
sets another) as a platform work item (reminders, overdue, 督办); it ends with the capture linked back (taken here
through ``evidence.services.evidence_capture``, or an existing capture of the bureau) or the officer's result with
the monitoring findings it rests on, and the requesting department is told.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.assist.choices import InternalAction as IA
from wangjian.assist.choices import InternalKind, InternalState
from wangjian.assist.clocks import INTERNAL, REPLY_AGREED
from wangjian.assist.models import InternalRequest
from wangjian.assist.permissions import INTERNAL_ACT
from wangjian.assist.services.common import end_items, ids, may, open_item, tell, text, today_of
from wangjian.assist.services.transitions import internal_check, internal_record, need
from wangjian.core.audit import acting
from wangjian.core.errors import ValidationFailed
from wangjian.core.fetching.limits import url_problem
from wangjian.evidence.choices import CaptureMode
from wangjian.evidence.models import EvidenceCapture
from wangjian.evidence.services import evidence_capture, evidence_link
from wangjian.monitoring.models import Finding
from wangjian.org.choices import DepartmentKind
from wangjian.org.models import Bureau, Department, User
from wangjian.platform.clocks.models import DeadlinePolicy
from wangjian.platform.clocks.services import policy_set
from wangjian.platform.inbox.models import MessageKind
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.models import Escalation, EscalationLevel, WorkItem, WorkItemState
from wangjian.platform.workitems.services import workitem_create

INTERNAL_LABEL = "办结内部协作请求"


def network_unit(bureau: Bureau) -> Department:
    """The bureau's network supervision unit: its active department of kind 网络交易监管."""
    unit = (
        Department.objects.filter(bureau=bureau, kind=DepartmentKind.ONLINE_TRADE, is_active=True)
        .order_by("id")
        .first()
    )
    if unit is None:
        raise ValidationFailed(
            f"{bureau}没有在用的网络交易监管科室（网络市场监管机构），请先在组织机构中设置",
            f"{bureau} has no active network supervision unit (a department of kind online_trade)",
        )
    return unit


def requester_users(request: InternalRequest) -> list[User]:
    users = workitem_selectors.unit_users(department=request.from_department_id)
    if request.requested_by_id:
        users.append(request.requested_by)
    return users


def internal_create(
    *,
    user: User,
    kind: str,
    purpose: str,
    url: str = "",
    presence: Any = None,
    from_department: Department | None = None,
    now: dt.datetime | None = None,
) -> InternalRequest:
    """提出协作请求: routed to the bureau's network unit, due by the bureau's rule (default 3 working days)."""
    now = now or timezone.now()
    may(user, INTERNAL_ACT)
    if user.bureau_id is None:
        raise ValidationFailed("只有局的工作人员可以提出协作请求", "Only a bureau's staff make a request")
    bureau = user.bureau
    if kind not in InternalKind.values:
        raise ValidationFailed("请选择请求类型（网上检查或电子数据取证）", "Choose a check or a capture")
    purpose = need(
        purpose, "请写明需要核查或取证的事项和事由", "Say what is to be checked or captured, and why"
    )
    department = from_department or user.department
    if department is None or department.bureau_id != bureau.pk:
        raise ValidationFailed(
            "提出请求的须为本局业务科室", "The request comes from a department of the bureau"
        )
    if presence is not None and presence.bureau_id != bureau.pk:
        raise ValidationFailed("网络经营场所须为本局登记的", "The presence must be the bureau's own")
    url = (url or "").strip() or (presence.url if presence is not None else "")
    if kind == InternalKind.CAPTURE and not url:
        raise ValidationFailed("电子数据取证须填写网址", "A capture needs the address")
    if kind == InternalKind.CHECK and not (url or presence):
        raise ValidationFailed(
            "网上检查须填写网址或选择网络经营场所", "A check needs an address or a presence"
        )
    if url and (problem := url_problem(url)):
        raise ValidationFailed(f"网址无法取证：{problem}", f"The address cannot be fetched: {problem}")
    unit = network_unit(bureau)
    if department.pk == unit.pk:
        raise ValidationFailed(
            "网络市场监管机构可直接开展网上检查和取证，无需向本机构提出协作请求",
            "The network unit checks and captures itself; it does not ask itself",
        )
    with transaction.atomic(), acting(user, via="assist"):
        request = InternalRequest.objects.create(
            bureau=bureau,
            kind=kind,
            from_department=department,
            requested_by=user,
            to_department=unit,
            presence=presence,
            url=url[:2000],
            purpose=purpose,
            requested_at=now,
        )
        item = workitem_create(
            bureau=bureau,
            kind=INTERNAL,
            title=f"{department}请求{InternalKind(kind).label}",
            body=f"{purpose}\n{url}".strip(),
            department=unit,
            clock=INTERNAL,
            start=today_of(now),
            subject=request,
            reference=f"内部协作{request.pk}",
            now=now,
        )
        request.due, request.due_basis = item.due, item.due_basis
        request.save()
        internal_record(request, IA.CREATE, user, now=now, comment=purpose, due=str(item.due or ""))
    return request


def _finish(
    request: InternalRequest, user: User | None, action: str, result: str, now: dt.datetime, **detail
) -> str:
    from_state = request.state
    request.state = InternalState.DONE
    request.result, request.done_at = result, now
    request.done_by = user if getattr(user, "pk", None) else None
    request.on_time = request.due is None or today_of(now) <= request.due
    request.save()
    end_items(request, [INTERNAL], user=user, result=result[:500], state=WorkItemState.DONE, now=now)
    internal_record(
        request,
        action,
        user,
        from_state=from_state,
        comment=result,
        now=now,
        on_time=request.on_time,
        **detail,
    )
    tell(
        key=f"internal{request.pk}:done",
        users=requester_users(request),
        title=f"{request.to_department}已办结您的{request.get_kind_display()}请求",
        body=result,
        subject=request,
        now=now,
    )
    return f"已办结并告知{request.from_department}"


def internal_accept(
    *, request: InternalRequest, user: User, assignee: User | None = None, now: dt.datetime | None = None
) -> str:
    now = now or timezone.now()
    may(user, INTERNAL_ACT)
    internal_check(user=user, request=request, action=IA.ACCEPT)
    assignee = assignee or user
    if assignee.bureau_id != request.bureau_id or not assignee.is_active:
        raise ValidationFailed("承办人须为本局人员", "The officer must belong to the bureau")
    with transaction.atomic(), acting(user, via="assist"):
        request.assignee, request.state = assignee, InternalState.IN_PROGRESS
        request.save()
        item = open_item(request, [INTERNAL])
        if item is not None:
            item.assignee = assignee
            item.save()
        internal_record(
            request, IA.ACCEPT, user, from_state=InternalState.OPEN, now=now, comment=f"承办人：{assignee}"
        )
    return f"已接收，承办人 {assignee}"


def internal_capture(
    *,
    request: InternalRequest,
    user: User,
    operators: list[str],
    mode: str = CaptureMode.BROWSER,
    now: dt.datetime | None = None,
) -> str:
    """Capture the address as evidence (the evidence app's service), linked back; a failed capture is kept and
    linked, and the request stays open for another try or a result."""
    now = now or timezone.now()
    may(user, INTERNAL_ACT)
    internal_check(user=user, request=request, action=IA.CAPTURE)
    if not request.url:
        raise ValidationFailed(
            "该请求没有网址，请登记核查结果", "The request has no address: record a result"
        )
    with acting(user, via="assist"):
        outcome = evidence_capture(
            url=request.url,
            operators=operators,
            purpose=f"{request.from_department}请求：{request.purpose}"[:500],
            case_ref=f"内部协作{request.pk}",
            mode=mode,
            user=user,
            link_to=request,
        )
        capture = outcome.capture
        if not outcome.ok:
            internal_record(
                request,
                IA.CAPTURE,
                user,
                from_state=request.state,
                now=now,
                comment="取证未成功",
                capture=capture.pk,
            )
            return f"取证未成功（{capture.get_failure_reason_display()}），记录已保存；请重试或登记核查结果"
        with transaction.atomic():
            request.capture = capture
            return _finish(
                request,
                user,
                IA.CAPTURE,
                f"已取证：{capture.url}（取证记录 {capture.pk}）",
                now,
                capture=capture.pk,
            )


def internal_link_capture(
    *, request: InternalRequest, user: User, capture_id: int, result: str = "", now: dt.datetime | None = None
) -> str:
    now = now or timezone.now()
    may(user, INTERNAL_ACT)
    internal_check(user=user, request=request, action=IA.LINK_CAPTURE)
    capture = EvidenceCapture.objects.filter(pk=capture_id, bureau_id=request.bureau_id).first()
    if capture is None or not capture.ok:
        raise ValidationFailed(
            "取证记录不存在、不是本局的或取证未成功", "No successful capture of this bureau with that id"
        )
    with transaction.atomic(), acting(user, via="assist"):
        evidence_link(capture=capture, obj=request, user=user)
        request.capture = capture
        text_ = (result or "").strip() or f"已关联取证记录 {capture.pk}：{capture.url or capture.title}"
        return _finish(request, user, IA.LINK_CAPTURE, text_, now, capture=capture.pk)


def internal_result(
    *,
    request: InternalRequest,
    user: User,
    result: str,
    finding_ids: list[int] = (),
    now: dt.datetime | None = None,
) -> str:
    """The check's result as the officer records it, with the monitoring findings it rests on."""
    now = now or timezone.now()
    may(user, INTERNAL_ACT)
    internal_check(user=user, request=request, action=IA.RESULT)
    result = need(result, "请填写核查结果", "The result is required")
    findings = list(Finding.objects.filter(pk__in=list(finding_ids), bureau_id=request.bureau_id))
    if len(findings) != len(set(finding_ids)):
        raise ValidationFailed("监测发现不存在或不是本局的", "A finding is not the bureau's")
    with transaction.atomic(), acting(user, via="assist"):
        request.findings.add(*findings)
        return _finish(request, user, IA.RESULT, result, now, findings=[f.pk for f in findings])


def internal_cancel(
    *, request: InternalRequest, user: User, reason: str, now: dt.datetime | None = None
) -> str:
    now = now or timezone.now()
    may(user, INTERNAL_ACT)
    internal_check(user=user, request=request, action=IA.CANCEL)
    reason = need(reason, "撤销须说明理由", "A cancellation needs its reason")
    with transaction.atomic(), acting(user, via="assist", reason=reason):
        from_state = request.state
        request.state, request.cancel_reason = InternalState.CANCELLED, reason
        request.save()
        end_items(
            request, [INTERNAL], user=user, result=f"撤销：{reason}", state=WorkItemState.CANCELLED, now=now
        )
        internal_record(request, IA.CANCEL, user, from_state=from_state, now=now, comment=reason)
        tell(
            key=f"internal{request.pk}:cancelled",
            users=workitem_selectors.unit_users(department=request.to_department_id),
            title=f"{request.from_department}已撤销{request.get_kind_display()}请求",
            body=reason,
            subject=request,
            now=now,
        )
    return "已撤销"


def internal_act(*, request: InternalRequest, user: User, action: str, values: dict[str, Any]) -> str:
    if action == IA.ACCEPT:
        assignee = None
        if text(values, "assignee"):
            assignee = User.objects.filter(pk=ids(values, "assignee")[0], bureau_id=request.bureau_id).first()
            if assignee is None:
                raise ValidationFailed("承办人须为本局人员", "The officer must belong to the bureau")
        return internal_accept(request=request, user=user, assignee=assignee)
    if action == IA.CAPTURE:
        operators = [
            o for o in text(values, "operators").replace("，", ",").replace("、", ",").split(",") if o.strip()
        ]
        return internal_capture(
            request=request,
            user=user,
            operators=operators or [user.name or user.username],
            mode=text(values, "mode") or CaptureMode.BROWSER,
        )
    if action == IA.LINK_CAPTURE:
        capture = ids(values, "capture")
        if not capture:
            raise ValidationFailed("请填写取证记录编号", "Give the capture's id")
        return internal_link_capture(
            request=request, user=user, capture_id=capture[0], result=text(values, "result")
        )
    if action == IA.RESULT:
        return internal_result(
            request=request, user=user, result=text(values, "result"), finding_ids=ids(values, "findings")
        )
    if action == IA.CANCEL:
        return internal_cancel(request=request, user=user, reason=text(values, "reason"))
    internal_check(user=user, request=request, action=action)
    raise ValidationFailed(f"未知的操作：{action}", f"Unknown action: {action}")


# ---------------------------------------------------------------- the office's settings


def internal_period_set(*, bureau: Bureau, days: Any, user: User | None) -> DeadlinePolicy:
    """The bureau's own work rule for its network unit (the office only, through the clock settings)."""
    return policy_set(bureau=bureau, clock=INTERNAL, length=days, user=user)


def agreement_set(
    *, bureau: Bureau, partner_code: str, partner_name: str, days: Any, agreement: str, user: User | None
) -> DeadlinePolicy:
    """A cooperation agreement's period for 协查 from ``partner_code`` (received by ``bureau``)."""
    code = (partner_code or "").strip()
    if not code.isdigit() or len(code) != 6:
        raise ValidationFailed(
            "协作单位须填写6位行政区划代码", "The partner's 6-digit division code is required"
        )
    if code == bureau.code:
        raise ValidationFailed("不能与本局约定", "A bureau has no agreement with itself")
    agreement = need(agreement, "请填写协作协议名称或文号", "Name the agreement")
    basis = f"与{(partner_name or code).strip()}（{code}）的{agreement}约定：收到协助调查函之日起{{n}}个工作日内完成协查"
    return policy_set(bureau=bureau, clock=REPLY_AGREED, length=days, basis=basis, variant=code, user=user)


# ---------------------------------------------------------------- hooks


def _of(item: WorkItem) -> InternalRequest:
    return InternalRequest.objects.select_related("from_department", "to_department").get(pk=item.subject_id)


def internal_overdue(item: WorkItem) -> None:
    request = _of(item)
    internal_record(
        request,
        IA.OVERDUE,
        None,
        from_state=request.state,
        comment=f"办结期限 {item.due} 已过",
        now=item.overdue_at,
    )
    tell(
        key=f"internal{request.pk}:overdue:{item.pk}",
        users=requester_users(request),
        kind=MessageKind.OVERDUE,
        title=f"{request.to_department}逾期未办结您的{request.get_kind_display()}请求（期限 {item.due}）",
        subject=request,
        now=item.overdue_at or timezone.now(),
    )


def internal_escalated(item: WorkItem, escalation: Escalation) -> None:
    request = _of(item)
    action = IA.ESCALATE if escalation.level == EscalationLevel.OFFICE else IA.ESCALATE_GROUP
    internal_record(
        request,
        action,
        escalation.raised_by,
        from_state=request.state,
        comment=escalation.note,
        now=escalation.raised_at,
    )


def internal_answered(item: WorkItem, escalation: Escalation) -> None:
    request = _of(item)
    internal_record(
        request,
        IA.ESCALATION_ANSWER,
        escalation.answered_by,
        from_state=request.state,
        comment=escalation.answer,
        now=escalation.answered_at,
    )


def internal_due_changed(item: WorkItem) -> None:
    request = _of(item)
    request.due, request.due_basis = item.due, item.due_basis
    request.save()
