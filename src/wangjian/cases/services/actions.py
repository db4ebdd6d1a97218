"""One entry point for the case page's buttons and the API's transition endpoint: the same step, the same rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from wangjian.cases.choices import Action
from wangjian.cases.models import Case
from wangjian.cases.permissions import CASE_ACT
from wangjian.cases.services.aftercare import AFTERCARE_ACTIONS, aftercare_act
from wangjian.cases.services.clock import case_extend, case_resume, case_stop
from wangjian.cases.services.crime import (
    crime_refuse,
    crime_report,
    police_decision,
    police_receipt,
    resume_admin,
    transfer_receipt,
)
from wangjian.cases.services.groups import GROUP_ACTIONS, group_act
from wangjian.cases.services.opening import case_approve, case_designate, case_send_back
from wangjian.cases.services.procedure import case_step
from wangjian.cases.services.publicity import case_publish, case_unpublish
from wangjian.cases.services.transitions import TRANSITIONS, transition_check
from wangjian.core.errors import ValidationFailed, WangjianError
from wangjian.org import permissions
from wangjian.org.models import User


def case_act(
    *, case: Case, user: User, action: str, values: Mapping[str, Any], now: dt.datetime | None = None
) -> str:
    """Take ``action`` on ``case`` with the step's checked ``values``; returns what happened, in Chinese."""
    permissions.require(user, CASE_ACT)
    if action in TRANSITIONS:  # the state, then the person, before the step's input is read
        transition_check(user=user, case=case, action=action)
    values = dict(values)

    def get(name: str) -> Any:
        value = values.get(name, "")
        return value.strip() if isinstance(value, str) else value

    if action == Action.DESIGNATE:
        officers = list(values.get("officers") or [])
        case_designate(case=case, user=user, officers=officers, lead=values.get("lead") or None, now=now)
        return "已指定办案人员并提交负责人审批"
    if action == Action.APPROVE:
        case_approve(case=case, user=user, opinion=get("opinion"), now=now)
        return f"已批准立案，立案编号 {case.number}" if case.number else "已批准不予立案"
    if action == Action.SEND_BACK:
        case_send_back(case=case, user=user, reason=get("reason"), now=now)
        return "已退回修改"
    if action == Action.STOP:
        start = values.get("start")
        if start is None:
            raise ValidationFailed("请填写开始日期", "Give the start date")
        case_stop(case=case, user=user, kind=get("kind"), start=start, note=get("note"), now=now)
        return "已登记不计入期间，办案期限中止"
    if action == Action.RESUME:
        end = values.get("end")
        if end is None:
            raise ValidationFailed("请填写结束日期", "Give the end date")
        case_resume(case=case, user=user, end=end, now=now)
        return f"期限恢复计算，决定期限 {case.decision_due}"
    if action == Action.EXTEND:
        case_extend(
            case=case,
            user=user,
            days=values.get("days") or 0,
            reason=get("reason"),
            collective=bool(values.get("collective")),
            now=now,
        )
        return f"已延长，决定期限 {case.decision_due}"
    if action == Action.CRIME_REPORT:
        crime_report(case=case, user=user, report=get("report"), now=now)
        return "已报告涉嫌犯罪，待负责人三日内审批"
    if action == Action.CRIME_REFUSE:
        crime_refuse(case=case, user=user, reason=get("reason"), now=now)
        return "已不批准移送，案件继续办理"
    if action == Action.POLICE_RECEIPT:
        received = values.get("received_on")
        if received is None:
            raise ValidationFailed("请填写签收日期", "Give the receipt date")
        police_receipt(
            case=case,
            user=user,
            received_on=received,
            procuratorate_copy=bool(values.get("procuratorate_copy")),
            now=now,
        )
        return "已登记公安机关回执"
    if action == Action.POLICE_DECISION:
        decided = values.get("decided_on")
        if decided is None:
            raise ValidationFailed("请填写决定日期", "Give the decision date")
        police_decision(
            case=case,
            user=user,
            accepted=values.get("decision") == "accepted",
            decided_on=decided,
            note=get("note"),
            now=now,
        )
        return "已登记公安机关决定"
    if action == Action.RESUME_ADMIN:
        resume_admin(case=case, user=user, reason=get("reason"), now=now)
        return f"继续行政处理，决定期限 {case.decision_due}"
    if action == Action.PUBLISH:
        case_publish(case=case, user=user, published_on=values.get("published_on"), now=now)
        return f"已登记公示，公示至 {case.publicity_until}"
    if action == Action.UNPUBLISH:
        case_unpublish(
            case=case, user=user, reason=get("reason"), revoked_on=values.get("revoked_on") or None, now=now
        )
        return "已撤下公示"
    if action == Action.TRANSFER_RECEIPT:
        received = values.get("received_on")
        if received is None:
            raise ValidationFailed("请填写签收日期", "Give the receipt date")
        transfer_receipt(case=case, user=user, received_on=received, outcome=get("outcome"), now=now)
        return "已登记接收机关回执"
    if action in GROUP_ACTIONS:
        return group_act(case=case, user=user, action=action, values=values, now=now)
    if action in AFTERCARE_ACTIONS:
        return aftercare_act(case=case, user=user, action=action, values=values, now=now)
    if action in Action.values:
        return case_step(case=case, user=user, action=action, values=values, now=now)
    raise WangjianError(f"未知的操作：{action}", f"Unknown action: {action}", code="unknown_action")
