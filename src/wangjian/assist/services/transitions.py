"""The transition tables of 协查 and 内部协作: every step, the states it starts from, where it leads, who may take it
and the rule it applies — and ``*_check``, which names the rule that refused.

Who someone is for an assistance request (``assistance_parties``): the requesting side (``requester``: the
requesting unit's staff and head, whoever drafted it, the requesting bureau's office), the receiving bureau's
office (``receiver_office``: it accepts and assigns) and the unit it assigned (``receiver_unit``: its staff, its
head and the officer named). For an internal request: the requesting department (``requester``), the network
unit (``network``: the bureau's 网络交易监管 department) and the bureau's office. The superuser is every party; the
auditor and the leading group take no step (the leading group's 督办 is the platform's, on the work item).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from wangjian.assist.choices import (
    AssistanceAction,
    AssistanceState,
    InternalAction,
    InternalState,
)
from wangjian.assist.clocks import REPLY_BASIS
from wangjian.assist.models import AssistanceEvent, AssistanceRequest, InternalEvent, InternalRequest
from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.org.choices import Role
from wangjian.org.models import User
from wangjian.org.permissions import OFFICE

REQUESTER, RECEIVER_OFFICE, RECEIVER_UNIT = "requester", "receiver_office", "receiver_unit"
NETWORK, BUREAU_OFFICE = "network", "office"
PARTY_LABELS = {
    REQUESTER: "提出协查的单位或其办公室",
    RECEIVER_OFFICE: "协查局办公室",
    RECEIVER_UNIT: "协查局承办单位",
    NETWORK: "网络市场监管机构",
    BUREAU_OFFICE: "办公室",
}
PARTY_ORDER = (REQUESTER, RECEIVER_OFFICE, RECEIVER_UNIT, NETWORK, BUREAU_OFFICE)


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str | None  # None: the state does not change
    parties: frozenset[str]
    basis: str
    reason_required: bool = False


S, A = AssistanceState, AssistanceAction
RECEIVERS = frozenset({RECEIVER_OFFICE, RECEIVER_UNIT})
DELIVERY = "协助调查函发出即送达协查局（同一平台）；外部局经跨平台消息送达，以其收到之日起算"

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            A.SEND,
            A.SEND.label,
            (S.DRAFT,),
            S.SENT,
            frozenset({REQUESTER}),
            f"出具协助调查函（编号）。{DELIVERY}",
        ),
        Transition(
            A.WITHDRAW,
            A.WITHDRAW.label,
            (S.DRAFT, S.SENT),
            S.WITHDRAWN,
            frozenset({REQUESTER}),
            "协查局接收前，提出协查的局可以撤回，须说明理由",
            True,
        ),
        Transition(
            A.ACCEPT,
            A.ACCEPT.label,
            (S.SENT,),
            S.ACCEPTED,
            frozenset({RECEIVER_OFFICE}),
            "协查局办公室接收协助调查函，分派承办单位（和承办人）；期限自收到协助调查函之日起算，不因分派重新计算",
        ),
        Transition(
            A.REFUSE,
            A.REFUSE.label,
            (S.SENT, S.ACCEPTED),
            S.REFUSED,
            RECEIVERS,
            "协助事项不属于本部门职权范围（如不属本局辖区）的，说明理由，告知提出协查请求的局",
            True,
        ),
        Transition(
            A.EXTEND,
            A.EXTEND.label,
            (S.ACCEPTED,),
            None,
            RECEIVERS,
            "需要延期完成的，应当及时告知提出协查请求的部门（须核实）：登记延长的工作日、理由和批准人",
            True,
        ),
        Transition(A.ANSWER, A.ANSWER.label, (S.ACCEPTED,), S.ANSWERED, RECEIVERS, REPLY_BASIS),
        Transition(
            A.CLOSE,
            A.CLOSE.label,
            (S.ANSWERED,),
            S.CLOSED,
            frozenset({REQUESTER}),
            "提出协查的局确认答复，协查办结",
        ),
        Transition(
            A.RETURN,
            A.RETURN.label,
            (S.ANSWERED,),
            S.ACCEPTED,
            frozenset({REQUESTER}),
            "答复不能满足协查需要的，说明需补充的事项退回；补充协查自退回之日起重新计算期限",
            True,
        ),
    )
}

IS, IA = InternalState, InternalAction
INTERNAL_OPEN = (IS.OPEN, IS.IN_PROGRESS)
YUNNAN = "《云南省工商局关于推进网络市场线上线下一体化协同监管的实施意见》（2017）三(一)"
INTERNAL_TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            IA.ACCEPT,
            IA.ACCEPT.label,
            (IS.OPEN,),
            IS.IN_PROGRESS,
            frozenset({NETWORK, BUREAU_OFFICE}),
            f"{YUNNAN}1：网络市场监管机构组织开展网上检查",
        ),
        Transition(
            IA.CAPTURE,
            IA.CAPTURE.label,
            INTERNAL_OPEN,
            IS.DONE,
            frozenset({NETWORK}),
            f"{YUNNAN}3：网络市场监管机构为业务主管机构提供电子数据证据提取、分析和证据固定等技术支持；"
            "《市场监督管理行政执法电子数据取证暂行规定》",
        ),
        Transition(
            IA.LINK_CAPTURE,
            IA.LINK_CAPTURE.label,
            INTERNAL_OPEN,
            IS.DONE,
            frozenset({NETWORK}),
            f"{YUNNAN}3：已有本局的电子数据取证记录的，关联后办结",
        ),
        Transition(
            IA.RESULT,
            IA.RESULT.label,
            INTERNAL_OPEN,
            IS.DONE,
            frozenset({NETWORK}),
            f"{YUNNAN}1：网上检查发现违法线索并初步核实后，提交业务主管机构组织查办",
        ),
        Transition(
            IA.CANCEL,
            IA.CANCEL.label,
            INTERNAL_OPEN,
            IS.CANCELLED,
            frozenset({REQUESTER, BUREAU_OFFICE}),
            "提出请求的科室不再需要的，说明理由撤销",
            True,
        ),
    )
}


def _acts(user: User | None) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.role not in (Role.AUDITOR, Role.LEADING_GROUP)
    )


def assistance_parties(*, user: User | None, request: AssistanceRequest) -> set[str]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return {REQUESTER, RECEIVER_OFFICE, RECEIVER_UNIT}
    if not _acts(user):
        return set()
    parties: set[str] = set()
    if request.from_bureau_id and user.bureau_id == request.from_bureau_id:
        if (
            user.role in OFFICE
            or request.created_by_id == user.pk
            or (request.from_department_id and user.department_id == request.from_department_id)
        ):
            parties.add(REQUESTER)
    if request.to_bureau_id and user.bureau_id == request.to_bureau_id:
        if user.role in OFFICE:
            parties.add(RECEIVER_OFFICE)
        if request.assignee_id == user.pk or (
            request.to_department_id and user.department_id == request.to_department_id
        ):
            parties.add(RECEIVER_UNIT)
    return parties


def internal_parties(*, user: User | None, request: InternalRequest) -> set[str]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return {REQUESTER, NETWORK, BUREAU_OFFICE}
    if not _acts(user) or user.bureau_id != request.bureau_id:
        return set()
    parties: set[str] = set()
    if user.role in OFFICE:
        parties.add(BUREAU_OFFICE)
    if user.department_id == request.from_department_id or request.requested_by_id == user.pk:
        parties.add(REQUESTER)
    if user.department_id == request.to_department_id or request.assignee_id == user.pk:
        parties.add(NETWORK)
    return parties


def _who(parties: frozenset[str]) -> str:
    return "、".join(PARTY_LABELS[p] for p in PARTY_ORDER if p in parties)


def _check(table: dict[str, Transition], what: str, obj, action: str, parties: set[str]) -> Transition:  # noqa: ANN001
    row = table.get(action)
    if row is None:
        raise WangjianError(f"未知的操作：{action}", f"Unknown action: {action}", code="unknown_action")
    if obj.state not in row.sources:
        raise WangjianError(
            f"{what}处于“{obj.get_state_display()}”状态，不能“{row.label}”。",
            f"A request in state '{obj.state}' cannot take action '{action}'.",
            code="invalid_transition",
            detail={"state": obj.state, "action": action, "allowed_from": list(row.sources)},
        )
    if not (row.parties & parties):
        raise PermissionDeniedError(
            f"“{row.label}”只能由{_who(row.parties)}操作（{row.basis}）。",
            f"Action '{action}' may be taken only by: {', '.join(sorted(row.parties))}.",
            detail={"action": action, "parties": sorted(row.parties)},
        )
    return row


def transition_check(*, user: User | None, request: AssistanceRequest, action: str) -> Transition:
    """The table's verdict on ``action``: the row, or the refusal naming the state or who may take it."""
    return _check(TRANSITIONS, "协查请求", request, action, assistance_parties(user=user, request=request))


def internal_check(*, user: User | None, request: InternalRequest, action: str) -> Transition:
    return _check(
        INTERNAL_TRANSITIONS, "内部协作请求", request, action, internal_parties(user=user, request=request)
    )


def allowed_actions(*, user: User | None, request: AssistanceRequest) -> list[str]:
    parties = assistance_parties(user=user, request=request)
    external_side = not request.to_bureau_id
    return [
        a
        for a, row in TRANSITIONS.items()
        if request.state in row.sources
        and row.parties & parties
        # an outgoing request to a partner bureau on another instance is accepted and answered over there
        and not (external_side and row.parties <= RECEIVERS)
    ]


def internal_allowed(*, user: User | None, request: InternalRequest) -> list[str]:
    parties = internal_parties(user=user, request=request)
    return [
        a for a, row in INTERNAL_TRANSITIONS.items() if request.state in row.sources and row.parties & parties
    ]


def need(text: str, zh: str, en: str) -> str:
    text = (text or "").strip() if isinstance(text, str) else str(text or "")
    if not text:
        raise ValidationFailed(zh, en)
    return text


def _actor(user: User | None) -> tuple[User | None, str]:
    if user is None:
        return None, "系统"
    return (user if getattr(user, "pk", None) else None), (user.name or user.username)


def record(
    request: AssistanceRequest,
    action: str,
    user: User | None,
    *,
    from_state: str = "",
    comment: str = "",
    now: dt.datetime | None = None,
    actor_name: str = "",
    **detail,
) -> AssistanceEvent:
    actor, name = _actor(user)
    return AssistanceEvent.objects.create(
        request=request,
        action=action,
        from_state=from_state,
        to_state=request.state,
        actor=actor,
        actor_name=actor_name or name,
        at=now or timezone.now(),
        comment=comment,
        detail=detail,
    )


def internal_record(
    request: InternalRequest,
    action: str,
    user: User | None,
    *,
    from_state: str = "",
    comment: str = "",
    now: dt.datetime | None = None,
    **detail,
) -> InternalEvent:
    actor, name = _actor(user)
    return InternalEvent.objects.create(
        request=request,
        action=action,
        from_state=from_state,
        to_state=request.state,
        actor=actor,
        actor_name=name,
        at=now or timezone.now(),
        comment=comment,
        detail=detail,
    )
