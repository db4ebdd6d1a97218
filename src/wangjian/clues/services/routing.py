"""Routing by the duty list (谁监管、谁检查、谁负责): a domain's lead department, a territory's station, or
the office's queue when the duty list has a gap; the office assigns and re-routes (改派) with a reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from wangjian.clues.choices import (
    Action,
)
from wangjian.clues.models import Clue
from wangjian.clues.services.deadlines import Deadline
from wangjian.clues.services.duties import _set_feedback_due, notify, office_users, unit_users
from wangjian.clues.services.filing import filing_follow_unit
from wangjian.clues.services.transitions import S, _record, _require, transition_check
from wangjian.core.audit import acting
from wangjian.core.errors import ValidationFailed
from wangjian.org.models import Department, Station, User
from wangjian.org.services import responsible_for
from wangjian.platform.inbox.models import MessageKind

# ---------------------------------------------------------------- intake and routing


@dataclass
class Routing:
    """Where the clue went and why (the duty-list row and the territory rule)."""

    unit: Department | Station | None
    gap: bool
    reason_zh: str
    reason_en: str
    deadline: Deadline | None = None


def _set_assignment(clue: Clue, unit: Department | Station, now: dt.datetime) -> Deadline:
    if isinstance(unit, Station):
        clue.station = unit
        if clue.department_id is None or clue.department.bureau_id != unit.bureau_id:
            clue.department = unit.bureau.office()
    else:
        clue.department = unit
        clue.station = None
    clue.assigned_at = now
    clue.feedback_overdue = False
    clue.state = S.ASSIGNED
    filing_follow_unit(clue)
    return _set_feedback_due(clue, now)


def _notify_assigned(clue: Clue, now: dt.datetime) -> None:
    notify(
        key=f"clue{clue.pk}:assigned:{clue.assigned_at:%Y%m%d%H%M%S}:{clue.unit.pk if clue.unit else 0}",
        users=unit_users(clue),
        units=[clue.unit] if clue.unit else [],
        kind=MessageKind.ASSIGNED,
        title=f"新线索 {clue.number}：请于 {clue.feedback_due or '（期限待计算）'} 前反馈核查情况",
        body=f"{clue.title}\n{clue.routing_reason}\n{clue.feedback_basis}",
        clue=clue,
        now=now,
    )


def clue_route(*, clue: Clue, now: dt.datetime | None = None) -> Routing:
    """Route by the duty list (``org.services.responsible_for``): domain → department, territory → station.

    A duty-list gap stays in the office's queue (待分派), flagged, so that nothing falls
    between departments; otherwise the unit is assigned and the feedback clock starts.
    """
    now = now or timezone.now()
    r = responsible_for(clue.bureau, clue.domain, clue.region_code or None, on=timezone.localtime(now).date())
    from_state = clue.state
    clue.gap = r.gap
    clue.duty_rule = r.rule
    clue.territory_code = r.territory_code or ""
    clue.routing_reason = r.reason_zh
    if r.gap or r.unit is None:
        clue.department = r.department
        clue.station = None
        clue.state = S.PENDING
        clue.save()
        _record(
            clue,
            Action.ROUTE,
            None,
            from_state=from_state,
            comment=r.reason_zh,
            now=now,
            detail={"gap": True},
        )
        notify(
            key=f"clue{clue.pk}:gap",
            users=office_users(clue.bureau_id),
            kind=MessageKind.ASSIGNED,
            title=f"职责清单空白线索 {clue.number} 待办公室分派",
            body=r.reason_zh,
            clue=clue,
            now=now,
        )
        return Routing(r.unit, True, r.reason_zh, r.reason_en)
    clue.department = r.department
    deadline = _set_assignment(clue, r.unit, now)
    clue.save()
    _record(
        clue,
        Action.ROUTE,
        None,
        from_state=from_state,
        comment=r.reason_zh,
        now=now,
        detail={
            "unit": str(r.unit),
            "rule": r.rule.pk if r.rule else None,
            "due": str(clue.feedback_due or ""),
        },
    )
    _notify_assigned(clue, now)
    return Routing(r.unit, False, r.reason_zh, r.reason_en, deadline)


def _check_unit(clue: Clue, department: Department | None, station: Station | None) -> Department | Station:
    unit = station or department
    if unit is None:
        raise ValidationFailed("请选择承办科室或基层所", "Choose a department or station")
    if unit.bureau_id != clue.bureau_id or not unit.is_active:
        raise ValidationFailed(
            "承办单位必须是本局在用的科室或基层所", "The unit must be an active unit of the bureau"
        )
    return unit


def clue_assign(
    *,
    clue: Clue,
    user: User,
    department: Department | None = None,
    station: Station | None = None,
    comment: str = "",
    now: dt.datetime | None = None,
) -> Deadline | None:
    """The office assigns a clue from its queue (gap or returned) to a unit; the feedback clock starts."""
    now = now or timezone.now()
    transition_check(user=user, clue=clue, action=Action.ASSIGN)
    unit = _check_unit(clue, department, station)
    with transaction.atomic(), acting(user, via="clues"):
        from_state = clue.state
        if station is not None and department is not None:
            clue.department = department
        deadline = _set_assignment(clue, unit, now)
        clue.routing_reason = (
            f"领导小组办公室分派至{unit}"
            + (f"：{comment}" if comment else "。")
            + (f"（原分派理由：{clue.routing_reason}）" if clue.routing_reason else "")
        )
        clue.save()
        _record(
            clue,
            Action.ASSIGN,
            user,
            from_state=from_state,
            comment=comment,
            now=now,
            detail={"unit": str(unit)},
        )
        _notify_assigned(clue, now)
    return deadline


def clue_override(
    *,
    clue: Clue,
    user: User,
    reason: str,
    department: Department | None = None,
    station: Station | None = None,
    now: dt.datetime | None = None,
) -> Deadline | None:
    """The office re-routes an assigned clue (改派) with a reason; the new unit's 7 working days start anew."""
    now = now or timezone.now()
    transition_check(user=user, clue=clue, action=Action.OVERRIDE)
    reason = _require(reason, "改派必须说明理由", "A reason is required to override the routing")
    unit = _check_unit(clue, department, station)
    with transaction.atomic(), acting(user, via="clues", reason=reason):
        from_state, previous = clue.state, str(clue.unit or "—")
        if station is not None and department is not None:
            clue.department = department
        deadline = _set_assignment(clue, unit, now)
        clue.override_reason = reason[:300]
        clue.routing_reason = (
            f"领导小组办公室改派：{previous} → {unit}，理由：{reason}（原分派理由：{clue.routing_reason}）"
        )
        clue.save()
        _record(
            clue,
            Action.OVERRIDE,
            user,
            from_state=from_state,
            comment=reason,
            now=now,
            detail={"from": previous, "to": str(unit)},
        )
        _notify_assigned(clue, now)
    return deadline
