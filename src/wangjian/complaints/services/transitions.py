"""The complaint's transition table: every step, the states it starts from, where it leads, who may take it, why.

Each row cites 市场监督管理投诉举报处理暂行办法 (2019, amended 2022) as the clue and case tables cite theirs. Who
someone is on a record (``complaint_parties``): its handler, the handling unit's staff and head, the office.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from wangjian.complaints.choices import Action, Kind, State
from wangjian.complaints.models import Complaint, ComplaintEvent
from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.org.choices import Role
from wangjian.org.models import User
from wangjian.org.permissions import OFFICE

S = State
MEASURES = "《市场监督管理投诉举报处理暂行办法》"


class Party:
    HANDLER = "handler"  # 承办人
    UNIT = "unit"  # 承办科室或所的人员
    HEAD = "head"  # 承办科室负责人（所长）
    OFFICE = "office"  # 办公室（12315）

    LABELS = {
        "handler": "承办人",
        "unit": "承办单位人员",
        "head": "承办单位负责人",
        "office": "办公室（12315）",
    }


@dataclass(frozen=True)
class Transition:
    action: str
    kinds: tuple[str, ...]
    sources: tuple[str, ...]
    target: str | None
    parties: frozenset[str]
    basis: str


def _t(action, kinds, sources, target, parties, basis) -> tuple[str, Transition]:  # noqa: ANN001
    return action, Transition(action, tuple(kinds), tuple(sources), target, frozenset(parties), basis)


C, R = (Kind.COMPLAINT,), (Kind.REPORT,)
BOTH = (Kind.COMPLAINT, Kind.REPORT)
P = Party
WORKERS = {P.HANDLER, P.UNIT, P.HEAD, P.OFFICE}
TRANSITIONS: dict[str, Transition] = dict(
    [
        _t(
            Action.ACCEPT,
            C,
            (S.RECEIVED,),
            S.ACCEPTED,
            WORKERS,
            f"{MEASURES}第十四条：自收到投诉之日起七个工作日内作出受理的决定，并告知投诉人",
        ),
        _t(
            Action.REFUSE,
            C,
            (S.RECEIVED,),
            S.REFUSED,
            WORKERS,
            f"{MEASURES}第十四条、第十五条：不予受理的，告知投诉人并说明理由",
        ),
        _t(
            Action.TRANSFER,
            BOTH,
            (S.RECEIVED, S.VERIFYING),
            S.TRANSFERRED,
            {P.HEAD, P.OFFICE},
            f"{MEASURES}第十四条、第十五条第一项、第二十九条、第三十七条：不属于本部门处理权限的，告知投诉人、举报人向有处理权限的部门提出；经12315平台分送有处理权限的市场监督管理部门",
        ),
        _t(
            Action.MEDIATE,
            C,
            (S.ACCEPTED,),
            None,
            {P.HANDLER, P.UNIT, P.HEAD},
            f"{MEASURES}：调解可以采取现场、电话、互联网等方式，也可以委托消费者协会或者依法成立的其他调解组织调解",
        ),
        _t(
            Action.ODR,
            C,
            (S.ACCEPTED,),
            S.ODR,
            {P.HANDLER, P.HEAD},
            "《电子商务法》第六十三条：电子商务平台经营者可以建立争议在线解决机制；经投诉人同意交平台处理并跟踪结果",
        ),
        _t(
            Action.ODR_RESULT,
            C,
            (S.ODR,),
            None,
            {P.HANDLER, P.HEAD},
            "登记平台在线纠纷解决的结果；未解决的回到调解",
        ),
        _t(
            Action.RESOLVE,
            C,
            (S.ACCEPTED, S.ODR),
            S.RESOLVED,
            {P.HANDLER, P.HEAD},
            f"{MEASURES}：经调解达成协议的，记录调解协议（现场调解的制作调解书）",
        ),
        _t(
            Action.END,
            C,
            (S.ACCEPTED, S.ODR),
            S.ENDED,
            {P.HANDLER, P.HEAD},
            f"{MEASURES}第二十一条：有所列情形之一的终止调解，自作出终止调解决定之日起七个工作日内告知投诉人和被投诉人",
        ),
        _t(
            Action.WITHDRAW,
            C,
            (S.RECEIVED, S.ACCEPTED, S.ODR),
            S.WITHDRAWN,
            {P.HANDLER, P.HEAD},
            f"{MEASURES}第二十一条第一项：投诉人撤回投诉",
        ),
        _t(
            Action.NOTIFY,
            C,
            (S.REFUSED, S.ENDED, S.RESOLVED, S.WITHDRAWN, S.TRANSFERRED),
            None,
            {P.HANDLER, P.HEAD, P.OFFICE},
            f"{MEASURES}第十四条、第二十一条：告知投诉人（和被投诉人）处理结果",
        ),
        _t(
            Action.TO_CLUE,
            R,
            (S.RECEIVED, S.VERIFYING),
            S.CLUE,
            WORKERS,
            "《市场监督管理行政处罚程序规定》第十八条：举报作为线索核查，自收到之日起十五个工作日内决定是否立案",
        ),
        _t(
            Action.CLOSE,
            R,
            (S.RECEIVED, S.VERIFYING),
            S.CLOSED,
            {P.HEAD, P.OFFICE},
            f"{MEASURES}第三十一条：经核查无违法事实的办结，告知实名举报人",
        ),
        _t(
            Action.SPLIT,
            BOTH,
            (S.RECEIVED,),
            None,
            {P.HANDLER, P.HEAD, P.OFFICE},
            "一件既有消费争议又举报违法行为的，拆分为投诉和举报，分别办理",
        ),
    ]
)


def complaint_parties(*, user: User, complaint: Complaint) -> set[str]:
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return {P.HANDLER, P.UNIT, P.HEAD, P.OFFICE}
    if user.bureau_id != complaint.bureau_id or user.role == Role.AUDITOR:
        return set()
    parties: set[str] = set()
    if user.role in OFFICE:
        parties.add(P.OFFICE)
    if complaint.handler_id and complaint.handler_id == user.pk:
        parties.add(P.HANDLER)
    in_unit = (complaint.station_id and user.station_id == complaint.station_id) or (
        not complaint.station_id
        and complaint.department_id
        and user.department_id == complaint.department_id
        and not user.station_id
    )
    if in_unit:
        parties.add(P.UNIT)
        if user.role == Role.DEPARTMENT_HEAD:
            parties.add(P.HEAD)
    return parties


def transition_check(*, user: User, complaint: Complaint, action: str) -> Transition:
    row = TRANSITIONS.get(action)
    if row is None:
        raise WangjianError(f"未知的操作：{action}", f"Unknown action: {action}", code="unknown_action")
    if complaint.kind not in row.kinds:
        raise ValidationFailed(
            f"{complaint.get_kind_display()}不能“{Action(action).label}”",
            f"A {complaint.kind} cannot take '{action}'",
            code="invalid_transition",
        )
    if complaint.state not in row.sources:
        raise WangjianError(
            f"{complaint.get_kind_display()}处于“{complaint.get_state_display()}”状态，不能“{Action(action).label}”。",
            f"A {complaint.kind} in state '{complaint.state}' cannot take '{action}'.",
            code="invalid_transition",
            detail={"state": complaint.state, "action": action, "allowed_from": list(row.sources)},
        )
    if not (row.parties & complaint_parties(user=user, complaint=complaint)):
        who = "、".join(Party.LABELS[p] for p in sorted(row.parties))
        raise PermissionDeniedError(
            f"“{Action(action).label}”只能由{who}操作（{row.basis}）。",
            f"Action '{action}' may be taken only by: {', '.join(sorted(row.parties))}.",
            detail={"action": action, "parties": sorted(row.parties)},
        )
    return row


def allowed_actions(*, user: User, complaint: Complaint) -> list[str]:
    parties = complaint_parties(user=user, complaint=complaint)
    return [
        a
        for a, row in TRANSITIONS.items()
        if complaint.kind in row.kinds and complaint.state in row.sources and row.parties & parties
    ]


def record(
    complaint: Complaint,
    action: str,
    user: User | None,
    *,
    from_state: str = "",
    comment: str = "",
    detail: dict | None = None,
    now: dt.datetime | None = None,
) -> ComplaintEvent:
    return ComplaintEvent.objects.create(
        complaint=complaint,
        action=action,
        from_state=from_state,
        to_state=complaint.state,
        actor=user if getattr(user, "pk", None) else None,
        actor_name=(getattr(user, "name", "") or getattr(user, "username", "")) if user else "系统",
        at=now or timezone.now(),
        comment=comment,
        detail=detail or {},
    )


def records(
    steps: list[tuple[Complaint, str, str]], user: User | None, *, now: dt.datetime | None = None
) -> list[ComplaintEvent]:
    """``record`` for many records at once (an import's registrations): ``(complaint, action, comment)``."""
    at = now or timezone.now()
    actor = user if getattr(user, "pk", None) else None
    name = (getattr(user, "name", "") or getattr(user, "username", "")) if user else "系统"
    return ComplaintEvent.objects.bulk_create(
        [
            ComplaintEvent(
                complaint=c, action=a, to_state=c.state, actor=actor, actor_name=name, at=at, comment=comment
            )
            for c, a, comment in steps
        ],
        batch_size=1000,
    )


def parties_label(parties: Iterable[str]) -> str:
    return "、".join(Party.LABELS[p] for p in parties)
