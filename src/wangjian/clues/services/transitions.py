"""The clue's transition table: every action, the states it starts from, where it leads and who may take it.

The seed (旌德机制二(三)、二(四)) sets who distributes, who checks and feeds back, who disposes and
who escalates; ``transition_check`` names the rule that refuses. Every step is written to the clue's
history (``_record``) and pushed to the bureau's webhooks.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from wangjian.clues.choices import (
    OPEN_STATES,
    Action,
    ClueState,
    Party,
)
from wangjian.clues.models import Clue, ClueEvent
from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.org.choices import Role
from wangjian.org.models import User
from wangjian.org.permissions import OFFICE
from wangjian.platform.inbox.services import webhook_post

log = logging.getLogger(__name__)

S = ClueState

# ---------------------------------------------------------------- the transition table


@dataclass(frozen=True)
class Transition:
    """One row of the table: an action, the states it starts from, the state it leads to, who may take it."""

    action: str
    sources: tuple[str, ...]
    target: str | None  # None: the state does not change (督办, 共享, 拆分)
    parties: frozenset[str]
    reason_required: bool = False


def _t(
    action: str,
    sources: Iterable[str],
    target: str | None,
    parties: Iterable[str],
    reason_required: bool = False,
) -> tuple[str, Transition]:
    return action, Transition(action, tuple(sources), target, frozenset(parties), reason_required)


RUNNING = (S.ASSIGNED, S.CHECKING, S.FED_BACK, S.DISPOSING)
FILING_OPEN = (S.PENDING, *RUNNING, S.RETURNED)  # the filing decision is still to be taken

TRANSITIONS: dict[str, Transition] = dict(
    [
        # the office distributes (二(三)“及时向各部门分发监测发现的市场主体线索清单”)
        _t(Action.ASSIGN, (S.PENDING, S.RETURNED), S.ASSIGNED, {Party.OFFICE}),
        _t(Action.OVERRIDE, (S.ASSIGNED, S.CHECKING), S.ASSIGNED, {Party.OFFICE}, True),
        # the unit checks and feeds back within 7 working days (二(四))
        _t(Action.ACCEPT, (S.ASSIGNED,), S.CHECKING, {Party.UNIT, Party.HEAD}),
        _t(Action.FEEDBACK, (S.CHECKING,), S.FED_BACK, {Party.UNIT, Party.HEAD}),
        _t(Action.RETURN, (S.ASSIGNED, S.CHECKING), S.RETURNED, {Party.UNIT, Party.HEAD}, True),
        # then disposes and reports the result ("处置完成后报送处置结果")
        _t(Action.START_DISPOSAL, (S.FED_BACK,), S.DISPOSING, {Party.UNIT, Party.HEAD}),
        _t(Action.CLOSE, (S.FED_BACK, S.DISPOSING), S.CLOSED, {Party.UNIT, Party.HEAD}),
        # 法定管辖: a matter of another bureau's territory goes there
        _t(
            Action.TRANSFER,
            (S.PENDING, S.ASSIGNED, S.CHECKING, S.RETURNED),
            S.TRANSFERRED,
            {Party.OFFICE},
            True,
        ),
        # 督办: the office first, then the leading group
        _t(Action.ESCALATE, RUNNING, None, {Party.OFFICE}, True),
        _t(Action.ESCALATE_GROUP, RUNNING, None, {Party.OFFICE, Party.LEADING_GROUP}, True),
        _t(Action.ANSWER, RUNNING, None, {Party.UNIT, Party.HEAD}, True),
        # dedup by hand
        _t(Action.MERGE, OPEN_STATES, S.MERGED, {Party.OFFICE}),
        _t(Action.SPLIT, OPEN_STATES, None, {Party.OFFICE}),
        _t(Action.SHARE, OPEN_STATES, None, {Party.OFFICE, Party.HEAD}),
        # the filing decision's clock (程序规定 art. 18): time for testing or appraisal does not count;
        # 15 working days more only with the approval of the bureau's head (负责人)
        _t(Action.FILING_STOP, FILING_OPEN, None, {Party.UNIT, Party.HEAD, Party.OFFICE}, True),
        _t(Action.FILING_RESUME, FILING_OPEN, None, {Party.UNIT, Party.HEAD, Party.OFFICE}),
        _t(Action.FILING_EXTEND, FILING_OPEN, None, {Party.BUREAU_HEAD}, True),
        # the decision itself, approved by the bureau's head (立案审批表 / 不予立案审批表), after the check
        _t(Action.FILE_CASE, (S.FED_BACK, S.DISPOSING), S.CLOSED, {Party.BUREAU_HEAD}),
        _t(Action.NOT_FILED, (S.FED_BACK, S.DISPOSING), S.CLOSED, {Party.BUREAU_HEAD}, True),
    ]
)


def clue_parties(*, user: User, clue: Clue) -> set[str]:
    """The capacities in which ``user`` acts on ``clue`` (office, the assigned unit, its head, leading group)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return set(Party.values)
    parties: set[str] = set()
    same_bureau = user.bureau_id == clue.bureau_id
    if same_bureau and user.role in OFFICE:
        parties.add(Party.OFFICE)
    if same_bureau and user.role == Role.LEADING_GROUP:
        parties.add(Party.LEADING_GROUP)
    if same_bureau and user.is_bureau_head and user.role != Role.AUDITOR:
        parties.add(Party.BUREAU_HEAD)
    if same_bureau and user.role not in (Role.AUDITOR, Role.LEADING_GROUP):
        if clue.station_id:
            in_unit = user.station_id == clue.station_id
        else:
            in_unit = clue.department_id is not None and user.department_id == clue.department_id
        if in_unit:
            parties.add(Party.UNIT)
        if (
            user.role == Role.DEPARTMENT_HEAD
            and clue.department_id
            and user.department_id == clue.department_id
        ):
            parties.add(Party.HEAD)
    return parties


def transition_check(*, user: User, clue: Clue, action: str) -> Transition:
    """The table's verdict on ``action``: the row, or an error saying which rule refused it."""
    row = TRANSITIONS.get(action)
    if row is None:
        raise WangjianError(f"未知的操作：{action}", f"Unknown action: {action}", code="unknown_action")
    if clue.state not in row.sources:
        raise WangjianError(
            f"线索处于“{clue.get_state_display()}”状态，不能“{Action(action).label}”。",
            f"A clue in state '{clue.state}' cannot take action '{action}'.",
            code="invalid_transition",
            detail={"state": clue.state, "action": action, "allowed_from": list(row.sources)},
        )
    if not (row.parties & clue_parties(user=user, clue=clue)):
        who = "、".join(str(Party(p).label) for p in sorted(row.parties))
        raise PermissionDeniedError(
            f"“{Action(action).label}”只能由{who}操作。",
            f"Action '{action}' may be taken only by: {', '.join(sorted(row.parties))}.",
            detail={"action": action, "parties": sorted(row.parties)},
        )
    return row


def allowed_actions(*, user: User, clue: Clue) -> list[str]:
    """Actions the table lets ``user`` take on ``clue`` now (the buttons the UI shows)."""
    parties = clue_parties(user=user, clue=clue)
    return [a for a, row in TRANSITIONS.items() if clue.state in row.sources and row.parties & parties]


def _record(
    clue: Clue,
    action: str,
    user: User | None,
    *,
    from_state: str = "",
    comment: str = "",
    detail: dict | None = None,
    now: dt.datetime | None = None,
) -> ClueEvent:
    event = ClueEvent.objects.create(
        clue=clue,
        action=action,
        from_state=from_state,
        to_state=clue.state,
        actor=user if getattr(user, "pk", None) else None,
        actor_name=(getattr(user, "name", "") or getattr(user, "username", "")) if user else "系统",
        at=now or timezone.now(),
        comment=comment,
        detail=detail or {},
    )
    _webhook(clue, event)
    return event


def _webhook(clue: Clue, event: ClueEvent) -> None:
    """Every step of a clue is pushed to the bureau's webhooks (another system following the loop), once each."""
    payload = {
        "clue": clue.pk,
        "number": clue.number,
        "action": event.action,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "unit": str(clue.unit or ""),
        "due": str(clue.current_due or ""),
        "actor": event.actor_name,
        "at": event.at.isoformat(),
        "comment": event.comment,
    }
    title = f"线索 {clue.number}：{Action(event.action).label}"
    webhook_post(bureau_id=clue.bureau_id, key=f"event{event.pk}", title=title, payload=payload, now=event.at)


def _require(text: str, zh: str, en: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(zh, en)
    return text
