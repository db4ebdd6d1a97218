"""The case's transition table: every step, the states it starts from, where it leads, who may take it, and why.

Each row cites the article that gives the step to its owner, as the clue table does. Who someone
is *on this case* (``case_parties``) is decided here: the designated officers (办案人员), the
办案机构's staff and head, the bureau's head (负责人, ``User.is_bureau_head``), the legal
department (法制审核), the office. ``transition_check`` names the rule that refuses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from wangjian.cases.choices import BEFORE_DECISION, Action, CaseState, Party
from wangjian.cases.models import Case, CaseEvent
from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.org.choices import DepartmentKind, Role
from wangjian.org.models import User
from wangjian.org.permissions import OFFICE

S = CaseState


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str | None  # None: the state does not change, or the step decides it (approval)
    parties: frozenset[str]
    basis: str
    reason_required: bool = False


def _t(
    action: str,
    sources: Iterable[str],
    target: str | None,
    parties: Iterable[str],
    basis: str,
    reason_required: bool = False,
) -> tuple[str, Transition]:
    return action, Transition(action, tuple(sources), target, frozenset(parties), basis, reason_required)


P = Party
TRANSITIONS: dict[str, Transition] = dict(
    [
        # 立案: the 办案机构's head designates two or more certified officers; the bureau's head decides
        _t(
            Action.DESIGNATE,
            (S.DRAFT,),
            S.PENDING,
            {P.HEAD},
            "程序规定第二十条：办案机构负责人指定两名以上具有行政执法资格的办案人员",
        ),
        _t(
            Action.APPROVE,
            (S.PENDING,),
            None,
            {P.BUREAU_HEAD},
            "程序规定第十八条、第二十条：由市场监督管理部门负责人决定是否立案",
            False,
        ),
        _t(Action.SEND_BACK, (S.PENDING,), S.DRAFT, {P.BUREAU_HEAD, P.HEAD}, "审批表退回修改", True),
        # 调查取证 → 调查终结 → 核审 → (法制审核) → 告知 → (听证) → (集体讨论) → 决定
        _t(
            Action.END_INVESTIGATION,
            (S.INVESTIGATING,),
            S.INVESTIGATED,
            {P.OFFICER},
            "程序规定第五十二条：调查终结，办案机构应当撰写调查终结报告",
        ),
        _t(
            Action.SUBMIT_REVIEW,
            (S.INVESTIGATED,),
            S.REVIEWING,
            {P.OFFICER, P.HEAD},
            "程序规定第五十三条：调查终结报告连同案件材料交由审核机构核审",
        ),
        _t(
            Action.REVIEWED,
            (S.REVIEWING,),
            None,
            {P.LEGAL},
            "程序规定第五十四条、第五十五条：审核机构十个工作日内完成核审，提出书面意见",
        ),
        _t(
            Action.LEGAL_REVIEWED,
            (S.LEGAL_REVIEW,),
            S.READY,
            {P.LEGAL},
            "行政处罚法第五十八条；程序规定第五十六条：重大执法决定作出前由法制审核机构进行法制审核",
        ),
        _t(
            Action.NOTIFY,
            (S.READY,),
            S.NOTIFIED,
            {P.OFFICER},
            "行政处罚法第四十四条；程序规定第五十七条：作出行政处罚决定前告知拟处罚的内容及事实、理由、依据，并告知陈述、申辩、要求听证的权利",
        ),
        _t(
            Action.HEARING,
            (S.NOTIFIED,),
            S.HEARING,
            {P.OFFICER, P.HEAD},
            "行政处罚法第六十三条、第六十四条；听证办法第五条：当事人要求听证的，应当组织听证",
        ),
        _t(
            Action.DISCUSS,
            (S.READY, S.NOTIFIED, S.HEARING),
            S.DISCUSSION,
            {P.HEAD, P.BUREAU_HEAD},
            "行政处罚法第五十七条第二款；程序规定第六十条：情节复杂或者重大违法行为给予行政处罚，应当集体讨论决定",
        ),
        _t(
            Action.DECIDE,
            (S.READY, S.NOTIFIED, S.HEARING, S.DISCUSSION),
            S.DECIDED,
            {P.BUREAU_HEAD},
            "行政处罚法第五十七条；程序规定第六十二条：市场监督管理部门负责人作出决定",
        ),
        _t(
            Action.SERVE,
            (S.DECIDED,),
            S.SERVED,
            {P.OFFICER},
            "行政处罚法第六十一条；程序规定第八十一条：七个工作日内送达",
        ),
        _t(
            Action.EXECUTE,
            (S.SERVED,),
            S.EXECUTED,
            {P.OFFICER},
            "行政处罚法第六十六条至第七十二条：当事人履行或者强制执行",
        ),
        _t(
            Action.CLOSE,
            (S.EXECUTED, S.DECIDED, S.SERVED),
            S.CLOSED,
            {P.HEAD, P.BUREAU_HEAD},
            "程序规定第七十七条：执行完毕等情形，办案人员填写结案审批表，经负责人批准结案",
        ),
        # 行刑衔接 (国务院令第310号): the officers report a suspected crime; the head approves (移送) or refuses
        # within 3 days (art. 5); the police's receipt and decision (3 days, art. 9) are recorded; a case the
        # police decline goes on as an administrative case (art. 11)
        _t(
            Action.CRIME_REPORT,
            BEFORE_DECISION,
            None,
            {P.OFFICER, P.HEAD},
            "国务院令第310号第五条：办案人员提出涉嫌犯罪案件移送的书面报告，报经本机关正职负责人审批",
            True,
        ),
        _t(
            Action.CRIME_REFUSE,
            BEFORE_DECISION,
            None,
            {P.BUREAU_HEAD},
            "国务院令第310号第五条：自接到报告之日起三日内作出批准移送或者不批准移送的决定；不批准的，应当将不予批准的理由记录在案",
            True,
        ),
        _t(
            Action.POLICE_RECEIPT,
            (S.TRANSFERRED,),
            None,
            {P.OFFICER, P.HEAD},
            "国务院令第310号第八条：公安机关对移送的案件应当在涉嫌犯罪案件移送书的回执上签字",
        ),
        _t(
            Action.POLICE_DECISION,
            (S.TRANSFERRED,),
            None,
            {P.OFFICER, P.HEAD},
            "国务院令第310号第九条：公安机关自接受移送之日起三日内作出立案或者不予立案的决定并书面通知移送机关",
        ),
        _t(
            Action.RESUME_ADMIN,
            (S.TRANSFERRED,),
            S.INVESTIGATING,
            {P.BUREAU_HEAD},
            "国务院令第310号第十一条：公安机关不予立案的，行政执法机关应当依法作出处理",
            True,
        ),
        # the case leaves the bureau's hands
        _t(
            Action.TRANSFER,
            BEFORE_DECISION,
            S.TRANSFERRED,
            {P.BUREAU_HEAD},
            "行政处罚法第二十七条；国务院令第310号：涉嫌犯罪的移送司法机关；不属本部门管辖的移送有管辖权的机关",
            True,
        ),
        _t(
            Action.WITHDRAW,
            BEFORE_DECISION,
            S.WITHDRAWN,
            {P.BUREAU_HEAD},
            "程序规定第二十一条：立案后发现不符合立案条件的，经负责人批准撤销立案",
            True,
        ),
        # the office or the bureau's head marks a case as 典型案例 for campaigns and publicity
        _t(
            Action.TYPICAL,
            (*BEFORE_DECISION, S.DECIDED, S.SERVED, S.EXECUTED, S.CLOSED),
            None,
            {P.OFFICE, P.BUREAU_HEAD},
            "典型案例供专项行动通报、宣传选用",
        ),
        # publicity (公示规定 arts. 9, 15): recorded when published; taken down when the decision falls
        _t(
            Action.PUBLISH,
            (S.DECIDED, S.SERVED, S.EXECUTED, S.CLOSED),
            None,
            {P.OFFICER, P.HEAD, P.OFFICE},
            "《市场监督管理行政处罚信息公示规定》第六条、第九条：作出决定之日起二十个工作日内公示",
        ),
        _t(
            Action.UNPUBLISH,
            (S.DECIDED, S.SERVED, S.EXECUTED, S.CLOSED),
            None,
            {P.OFFICER, P.HEAD, P.OFFICE},
            "《市场监督管理行政处罚信息公示规定》第十五条：决定被撤销、确认违法或者无效的，三个工作日内撤下",
            True,
        ),
        # the decision clock (art. 64): time that does not count, and extensions by the bureau's head
        _t(
            Action.STOP,
            BEFORE_DECISION,
            None,
            {P.OFFICER, P.HEAD},
            "程序规定第六十四条第二款：中止、听证、公告、检测检验鉴定等期间不计入",
            True,
        ),
        _t(Action.RESUME, BEFORE_DECISION, None, {P.OFFICER, P.HEAD}, "不计入期间结束，期限恢复计算"),
        _t(
            Action.EXTEND,
            BEFORE_DECISION,
            None,
            {P.BUREAU_HEAD},
            "程序规定第六十四条第一款：经负责人批准可以延长三十日；仍不能作出决定的，由负责人集体讨论决定是否继续延期",
            True,
        ),
    ]
)


def case_parties(*, user: User, case: Case) -> set[str]:
    """The capacities in which ``user`` acts on ``case``."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return set(Party.values)
    if user.bureau_id != case.bureau_id or user.role == Role.AUDITOR:
        return set()
    parties: set[str] = set()
    if user.role in OFFICE:
        parties.add(Party.OFFICE)
    if user.is_bureau_head:
        parties.add(Party.BUREAU_HEAD)
    if user.role == Role.LEGAL_REVIEWER or (
        user.department_id
        and user.department.kind == DepartmentKind.LEGAL
        and user.role == Role.DEPARTMENT_HEAD
    ):
        parties.add(Party.LEGAL)
    if user.department_id and user.department_id == case.department_id and not user.station_id:
        parties.add(Party.UNIT)
        if user.role == Role.DEPARTMENT_HEAD:
            parties.add(Party.HEAD)
    # read through ``case_officers.all()`` so that a list prefetching them asks nothing per case
    if case.pk and any(o.user_id == user.pk for o in case.case_officers.all()):
        parties.add(Party.OFFICER)
    return parties


def transition_check(*, user: User, case: Case, action: str) -> Transition:
    row = TRANSITIONS.get(action)
    if row is None:
        raise WangjianError(f"未知的操作：{action}", f"Unknown action: {action}", code="unknown_action")
    if case.state not in row.sources:
        raise WangjianError(
            f"案件处于“{case.get_state_display()}”状态，不能“{Action(action).label}”。",
            f"A case in state '{case.state}' cannot take action '{action}'.",
            code="invalid_transition",
            detail={"state": case.state, "action": action, "allowed_from": list(row.sources)},
        )
    if not (row.parties & case_parties(user=user, case=case)):
        who = "、".join(str(Party(p).label) for p in sorted(row.parties))
        raise PermissionDeniedError(
            f"“{Action(action).label}”只能由{who}操作（{row.basis}）。",
            f"Action '{action}' may be taken only by: {', '.join(sorted(row.parties))}.",
            detail={"action": action, "parties": sorted(row.parties)},
        )
    return row


def allowed_actions(*, user: User, case: Case) -> list[str]:
    parties = case_parties(user=user, case=case)
    return [a for a, row in TRANSITIONS.items() if case.state in row.sources and row.parties & parties]


def record(
    case: Case,
    action: str,
    user: User | None,
    *,
    from_state: str = "",
    comment: str = "",
    detail: dict | None = None,
    now: dt.datetime | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        action=action,
        from_state=from_state,
        to_state=case.state,
        actor=user if getattr(user, "pk", None) else None,
        actor_name=(getattr(user, "name", "") or getattr(user, "username", "")) if user else "系统",
        at=now or timezone.now(),
        comment=comment,
        detail=detail or {},
    )


def required(text: str, zh: str, en: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(zh, en)
    return text
