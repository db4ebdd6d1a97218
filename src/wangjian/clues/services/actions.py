"""One entry point for the clue's buttons and the API's transition endpoint: the same step, the same rules.

The input arrives checked and typed (``clues.forms.action_input``: units, bureaus, users and
clues as rows); what may be done with it is decided here and in the step services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from wangjian.clues.choices import Action
from wangjian.clues.models import Clue
from wangjian.clues.permissions import CLUE_ACT
from wangjian.clues.selectors import clue_read_only
from wangjian.clues.services.escalation import clue_escalate, escalation_answer, escalations_of
from wangjian.clues.services.filing import filing_extend, filing_resume, filing_stop
from wangjian.clues.services.merging import clue_merge, clue_share, clue_split
from wangjian.clues.services.routing import clue_assign, clue_override
from wangjian.clues.services.steps import (
    clue_accept,
    clue_close,
    clue_feedback,
    clue_return,
    clue_start_disposal,
    clue_transfer,
)
from wangjian.clues.services.transitions import transition_check
from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.org import permissions
from wangjian.org.models import User
from wangjian.platform.workitems.models import EscalationLevel


def clue_act(
    *, clue: Clue, user: User, action: str, values: Mapping[str, Any], now: dt.datetime | None = None
) -> str:
    """Take ``action`` on ``clue`` with the step's checked ``values``; returns what happened, in Chinese."""
    permissions.require(user, CLUE_ACT)  # who takes part at all; the step's party is the transition table's
    if clue_read_only(user=user, clue=clue):
        raise PermissionDeniedError(
            "移交外局的线索只读：由接收局办理", "A clue transferred to another bureau is read-only here"
        )

    def get(name: str) -> Any:
        value = values.get(name, "")
        if value is None:
            return ""
        return value.strip() if isinstance(value, str) else value

    if action == Action.ASSIGN:
        clue_assign(
            clue=clue,
            user=user,
            comment=get("comment"),
            now=now,
            department=values.get("department"),
            station=values.get("station"),
        )
        return f"已分派至{clue.unit}，反馈期限 {clue.feedback_due or '待计算'}"
    if action == Action.OVERRIDE:
        clue_override(
            clue=clue,
            user=user,
            reason=get("reason"),
            now=now,
            department=values.get("department"),
            station=values.get("station"),
        )
        return f"已改派至{clue.unit}，反馈期限 {clue.feedback_due or '待计算'}"

    if action == Action.ACCEPT:
        clue_accept(clue=clue, user=user, comment=get("comment"), now=now)
        return "已接收，开始核查"
    if action == Action.FEEDBACK:
        clue_feedback(clue=clue, user=user, result=get("result"), actions=get("actions"), now=now)
        return f"已反馈核查情况，处置期限 {clue.disposal_due or '待计算'}"
    if action == Action.START_DISPOSAL:
        clue_start_disposal(clue=clue, user=user, comment=get("comment"), now=now)
        return "已开始处置"
    if action == Action.CLOSE:
        clue_close(
            clue=clue,
            user=user,
            disposal=get("disposal"),
            note=get("note"),
            refer_kind=get("refer_kind"),
            refer_target=get("refer_target"),
            lessons=get("lessons"),
            now=now,
        )
        return f"已办结：{clue.get_disposal_display()}"
    if action == Action.RETURN:
        clue_return(clue=clue, user=user, reason=get("reason"), now=now)
        return "已退回领导小组办公室"
    if action == Action.TRANSFER:
        to_bureau = values.get("to_bureau")
        if to_bureau is None:
            raise ValidationFailed("请选择接收的市场监管局", "Choose the receiving bureau")
        result = clue_transfer(clue=clue, user=user, to_bureau=to_bureau, reason=get("reason"), now=now)
        return f"已移交{to_bureau}，对方线索编号 {result.clue.number}"
    if action in (Action.ESCALATE, Action.ESCALATE_GROUP):
        level = EscalationLevel.OFFICE if action == Action.ESCALATE else EscalationLevel.LEADING_GROUP
        esc = clue_escalate(clue=clue, user=user, note=get("note"), level=level, now=now)
        return f"已{esc.get_level_display()}，答复期限 {esc.answer_due}"
    if action == Action.ANSWER:
        transition_check(user=user, clue=clue, action=Action.ANSWER)
        esc = escalations_of(clue).filter(answered_at__isnull=True).order_by("-raised_at").first()
        if esc is None:
            raise ValidationFailed("没有待答复的督办", "No escalation awaits an answer")
        escalation_answer(escalation=esc, user=user, answer=get("answer"), now=now)
        return "已答复督办"
    if action == Action.MERGE:
        into = values.get("into")
        if not isinstance(into, Clue):
            raise ValidationFailed(f"找不到本局线索 {into or ''}", f"No clue {into or ''} in this bureau")
        clue_merge(clue=clue, into=into, user=user, reason=get("reason"), now=now)
        return f"已并入 {into.number}"
    if action == Action.SPLIT:
        result = clue_split(
            clue=clue,
            source_ids=list(values.get("sources") or []),
            user=user,
            domain=get("domain") or None,
            reason=get("reason"),
            now=now,
        )
        return f"已拆分出 {result.clue.number}"
    if action == Action.SHARE:
        with_user = values.get("with_user")
        if with_user is None:
            raise ValidationFailed("请选择共享对象", "Choose whom to share with")
        clue_share(clue=clue, user=user, with_user=with_user, now=now)
        return f"已共享给{with_user}"
    if action == Action.FILING_STOP:
        filing_stop(
            clue=clue, user=user, kind=get("kind"), start=values.get("start"), note=get("note"), now=now
        )
        return "已登记不计入期间，立案决定期限中止（恢复后重新计算）"
    if action == Action.FILING_RESUME:
        filing_resume(clue=clue, user=user, end=values.get("end"), now=now)
        return f"不计入期间已结束，立案决定期限为 {clue.filing_due or '—'}"
    if action == Action.FILING_EXTEND:
        filing_extend(clue=clue, user=user, reason=get("reason"), now=now)
        return f"已批准延长，立案决定期限为 {clue.filing_due}"
    if action in (Action.FILE_CASE, Action.NOT_FILED):
        raise ValidationFailed(
            "立案或不予立案由局负责人审批立案审批表、不予立案审批表作出（案件办理）",
            "立案 and 不予立案 are decided by the bureau head's approval of the filing form (cases)",
            code="case_through_filing",
        )
    raise WangjianError(f"未知的操作：{action}", f"Unknown action: {action}", code="unknown_action")
