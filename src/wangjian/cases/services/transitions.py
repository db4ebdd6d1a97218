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

from wangjian.cases.choices import AFTER_FILING, BEFORE_DECISION, Action, CaseState, Party
from wangjian.cases.models import Case, CaseEvent, JointGroup, MemberRole
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
            Action.HEARING_REPORT,
            (S.HEARING,),
            None,
            {P.OFFICER, P.HEAD, P.LEGAL},
            "《市场监督管理行政处罚听证办法》：听证结束后，听证主持人撰写听证报告、提出处理意见建议，连同听证笔录报送；听证期间不计入办案期限（程序规定第六十四条）",
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
        # publicity (公示规定 arts. 2, 9, 13): recorded when published; taken down when the decision falls
        _t(
            Action.PUBLISH,
            (S.DECIDED, S.SERVED, S.EXECUTED, S.CLOSED),
            None,
            {P.OFFICER, P.HEAD, P.OFFICE},
            "《市场监督管理行政处罚信息公示规定》第二条、第九条：作出决定之日起二十个工作日内公示",
        ),
        _t(
            Action.UNPUBLISH,
            (S.DECIDED, S.SERVED, S.EXECUTED, S.CLOSED),
            None,
            {P.OFFICER, P.HEAD, P.OFFICE},
            "《市场监督管理行政处罚信息公示规定》第十一条：决定被撤销、确认违法或者无效的，三个工作日内撤下",
            True,
        ),
        # a transfer to an authority other than the police: its receipt and what it did (行政处罚法第二十七条)
        _t(
            Action.TRANSFER_RECEIPT,
            (S.TRANSFERRED,),
            None,
            {P.OFFICER, P.HEAD},
            "行政处罚法第二十七条；程序规定第十三条：移送有管辖权的机关，登记签收回执及处理结果",
        ),
        # the joint case group (旌德机制 二(五)；云南实施意见 三(三)2): formed by the leading-group office
        _t(
            Action.GROUP_FORM,
            (*BEFORE_DECISION, S.DECIDED, S.SERVED),
            None,
            {P.OFFICE},
            "重大、疑难、跨区域案件由领导小组办公室牵头组建联合办案组，跨部门、跨地区协同办案",
        ),
        _t(
            Action.GROUP_MEMBER,
            AFTER_FILING,
            None,
            {P.OFFICE, P.GROUP_LEAD},
            "办案组成员由领导小组办公室或组长调整；成员可跨局查看本案",
        ),
        _t(
            Action.GROUP_TASK,
            AFTER_FILING,
            None,
            {P.OFFICE, P.GROUP_LEAD},
            "组长布置任务，明确责任人和完成时限",
        ),
        _t(Action.TASK_DONE, AFTER_FILING, None, {P.MEMBER, P.OFFICER, P.OFFICE}, "任务责任人报告完成情况"),
        _t(
            Action.JOURNAL,
            AFTER_FILING,
            None,
            {P.MEMBER, P.OFFICER, P.OFFICE},
            "执法全过程记录：办案组的会商、分工与进展记入办案日志",
        ),
        _t(Action.GROUP_DISSOLVE, AFTER_FILING, None, {P.OFFICE}, "案件办结或无需联合办理时解散办案组", True),
        # measures during the investigation (程序规定第三十三条至第四十条)
        _t(
            Action.MEASURE,
            BEFORE_DECISION,
            None,
            {P.OFFICER},
            "程序规定第三十三条、第三十六条：先行登记保存、查封扣押经负责人批准；情况紧急的二十四小时内补办批准手续",
        ),
        _t(
            Action.MEASURE_EXTEND,
            (*BEFORE_DECISION, S.DECIDED, S.SERVED),
            None,
            {P.BUREAU_HEAD},
            "程序规定第三十八条：情况复杂的，经负责人批准可以延长查封扣押期限，延长不超过三十日",
            True,
        ),
        _t(
            Action.MEASURE_END,
            (*BEFORE_DECISION, S.DECIDED, S.SERVED, S.EXECUTED, S.TRANSFERRED, S.WITHDRAWN),
            None,
            {P.OFFICER, P.HEAD},
            "程序规定第三十五条、第三十九条、第四十条：先行登记保存七个工作日内作出处理决定；查封扣押期满或不再需要的及时解除",
        ),
        # after the decision: payment, 责令改正, the party's remedies
        _t(
            Action.PAYMENT,
            (S.SERVED,),
            None,
            {P.OFFICER},
            "行政处罚法第六十七条、第七十二条：十五日内缴纳罚款；逾期每日按罚款数额的百分之三加处罚款，不得超出罚款数额",
        ),
        _t(
            Action.RECTIFY_CHECK,
            (S.DECIDED, S.SERVED, S.EXECUTED, S.CLOSED),
            None,
            {P.OFFICER, P.UNIT},
            "行政处罚法第二十八条：实施行政处罚时应当责令当事人改正；期满复查改正情况",
        ),
        _t(
            Action.REMEDY,
            (S.DECIDED, S.SERVED, S.EXECUTED, S.CLOSED),
            None,
            {P.OFFICER, P.HEAD, P.LEGAL},
            "行政复议法第二十条：六十日内申请复议；行政诉讼法第四十六条：六个月内提起诉讼",
        ),
        _t(
            Action.REMEDY_OUTCOME,
            (S.DECIDED, S.SERVED, S.EXECUTED, S.CLOSED),
            None,
            {P.OFFICER, P.HEAD, P.LEGAL},
            "复议决定或裁判结果记入案卷；决定被撤销、确认违法或无效的，三个工作日内撤下公示",
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


# Steps that exist only when their object does: a group's steps while a group stands, a measure's
# while it runs, a remedy's outcome while one is pending. (predicate, why not — zh, en)
def _group(case: Case) -> JointGroup | None:
    try:
        group = case.group
    except JointGroup.DoesNotExist:
        return None
    return group if group.dissolved_at is None else None


def _running_measures(case: Case) -> list:
    return [m for m in case.measures.all() if m.ended_on is None]


APPLIES: dict[str, tuple] = {
    Action.GROUP_FORM: (lambda c: _group(c) is None, "本案已有联合办案组", "The case has a standing group"),
    Action.GROUP_MEMBER: (lambda c: _group(c) is not None, "本案没有联合办案组", "The case has no group"),
    Action.GROUP_TASK: (lambda c: _group(c) is not None, "本案没有联合办案组", "The case has no group"),
    Action.JOURNAL: (lambda c: _group(c) is not None, "本案没有联合办案组", "The case has no group"),
    Action.GROUP_DISSOLVE: (lambda c: _group(c) is not None, "本案没有联合办案组", "The case has no group"),
    Action.TASK_DONE: (
        lambda c: (g := _group(c)) is not None and any(t.state == "open" for t in g.tasks.all()),
        "办案组没有未完成的任务",
        "The group has no open task",
    ),
    Action.MEASURE_END: (
        lambda c: bool(_running_measures(c)),
        "本案没有未解除的措施",
        "No measure is running",
    ),
    Action.MEASURE_EXTEND: (
        lambda c: any(m.kind == "seizure" and not m.extended for m in _running_measures(c)),
        "本案没有可以延长的查封、扣押",
        "No seizure may be extended",
    ),
    Action.PAYMENT: (lambda c: bool(c.fine_amount), "本案没有罚款", "The decision imposes no fine"),
    Action.RECTIFY_CHECK: (
        lambda c: bool(c.rectification_order),
        "处罚决定没有责令改正事项",
        "The decision orders no rectification",
    ),
    Action.REMEDY_OUTCOME: (
        lambda c: any(r.outcome == "pending" for r in c.remedies.all()),
        "没有审理中的复议或诉讼",
        "No remedy is pending",
    ),
    Action.TRANSFER_RECEIPT: (
        lambda c: not c.transfer_to_police,
        "移送公安机关的案件请登记“公安机关回执”",
        "A transfer to the police records the police's receipt",
    ),
    Action.POLICE_RECEIPT: (
        lambda c: c.transfer_to_police,
        "该案件不是移送公安机关的案件",
        "This case was not sent to the police",
    ),
    Action.POLICE_DECISION: (
        lambda c: c.transfer_to_police,
        "该案件不是移送公安机关的案件",
        "This case was not sent to the police",
    ),
}


def applies(case: Case, action: str) -> bool:
    rule = APPLIES.get(action)
    return rule is None or bool(rule[0](case))


def case_parties(*, user: User, case: Case) -> set[str]:
    """The capacities in which ``user`` acts on ``case``."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return set(Party.values)
    if user.role == Role.AUDITOR:
        return set()
    parties = group_parties(user=user, case=case)  # a joint group's members may be of another bureau
    if user.bureau_id != case.bureau_id:
        return parties
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


def group_parties(*, user: User, case: Case) -> set[str]:
    """Membership of the case's joint group (联合办案组), in any bureau, while the group stands."""
    if not case.pk:
        return set()
    group = (
        getattr(case, "group", None) if _group_loaded(case) else JointGroup.objects.filter(case=case).first()
    )
    if group is None or group.dissolved_at is not None:
        return set()
    member = next((m for m in group.members.all() if m.user_id == user.pk and m.left_at is None), None)
    if member is None:
        return set()
    return {Party.MEMBER, Party.GROUP_LEAD} if member.role == MemberRole.LEAD else {Party.MEMBER}


def _group_loaded(case: Case) -> bool:
    return "group" in case._state.fields_cache


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
    rule = APPLIES.get(action)
    if rule is not None and not rule[0](case):
        raise ValidationFailed(rule[1], rule[2], code="not_applicable", detail={"action": action})
    return row


def allowed_actions(*, user: User, case: Case) -> list[str]:
    parties = case_parties(user=user, case=case)
    return [
        a
        for a, row in TRANSITIONS.items()
        if case.state in row.sources and row.parties & parties and applies(case, a)
    ]


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
