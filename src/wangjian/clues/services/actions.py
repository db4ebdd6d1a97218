"""One entry point for the clue's buttons and the API's transition endpoint: the same input means the same step."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from wangjian.clues.choices import (
    Action,
)
from wangjian.clues.models import Clue
from wangjian.clues.selectors import clue_read_only
from wangjian.clues.services.escalation import clue_escalate, escalation_answer, escalations_of
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
from wangjian.org.models import Bureau, Department, Station, User
from wangjian.platform.workitems.models import EscalationLevel

# ---------------------------------------------------------------- one entry point for the UI and the API


def _pk(value: Any, zh: str, en: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(zh, en, detail={"value": str(value)}) from exc


def clue_act(*, clue: Clue, user: User, action: str, data: dict, now: dt.datetime | None = None) -> str:
    """Take ``action`` on ``clue`` with plain form/JSON ``data``; returns what happened, in Chinese.

    The web buttons and the API's transition endpoint both come here, so the same input
    means the same step everywhere.
    """

    if clue_read_only(user=user, clue=clue):
        raise PermissionDeniedError(
            "移交外局的线索只读：由接收局办理", "A clue transferred to another bureau is read-only here"
        )

    def get(name: str) -> str:
        value = data.get(name, "")
        return value.strip() if isinstance(value, str) else value

    def unit() -> dict:
        dept_id = _pk(get("department"), "科室编号无效", "Invalid department id")
        station_id = _pk(get("station"), "基层所编号无效", "Invalid station id")
        return {
            "department": Department.objects.filter(pk=dept_id).first() if dept_id else None,
            "station": Station.objects.filter(pk=station_id).first() if station_id else None,
        }

    if action == Action.ASSIGN:
        clue_assign(clue=clue, user=user, comment=get("comment"), now=now, **unit())
        return f"已分派至{clue.unit}，反馈期限 {clue.feedback_due or '待计算'}"
    if action == Action.OVERRIDE:
        clue_override(clue=clue, user=user, reason=get("reason"), now=now, **unit())
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
            case_number=get("case_number"),
            refer_kind=get("refer_kind"),
            refer_target=get("refer_target"),
            now=now,
        )
        return f"已办结：{clue.get_disposal_display()}"
    if action == Action.RETURN:
        clue_return(clue=clue, user=user, reason=get("reason"), now=now)
        return "已退回领导小组办公室"
    if action == Action.TRANSFER:
        bureau_id = _pk(get("to_bureau"), "请选择接收的市场监管局", "Choose the receiving bureau")
        to_bureau = Bureau.objects.filter(pk=bureau_id).first()
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
        ref = str(get("into"))
        into = (
            Clue.objects.filter(bureau=clue.bureau)
            .filter(Q(number=ref) | Q(pk=int(ref) if ref.isdigit() else 0))
            .first()
        )
        if into is None:
            raise ValidationFailed(f"找不到本局线索 {ref}", f"No clue {ref} in this bureau")
        clue_merge(clue=clue, into=into, user=user, reason=get("reason"), now=now)
        return f"已并入 {into.number}"
    if action == Action.SPLIT:
        raw = data.getlist("sources") if hasattr(data, "getlist") else data.get("sources") or []
        ids = [_pk(v, "来源编号无效", "Invalid source id") for v in raw]
        result = clue_split(
            clue=clue, source_ids=ids, user=user, domain=get("domain") or None, reason=get("reason"), now=now
        )
        return f"已拆分出 {result.clue.number}"
    if action == Action.SHARE:
        uid = _pk(get("with_user"), "请选择共享对象", "Choose whom to share with")
        with_user = User.objects.filter(pk=uid).first()
        if with_user is None:
            raise ValidationFailed("请选择共享对象", "Choose whom to share with")
        clue_share(clue=clue, user=user, with_user=with_user, now=now)
        return f"已共享给{with_user}"
    raise WangjianError(f"未知的操作：{action}", f"Unknown action: {action}", code="unknown_action")
