"""督办 of a clue's running duty and the follow-up run for the clues' duties (the platform's job, for them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wangjian.clues.choices import (
    Action,
)
from wangjian.clues.models import Clue
from wangjian.clues.services.duties import DUTY_KINDS, _duty
from wangjian.clues.services.filing import FILING
from wangjian.clues.services.transitions import _require, transition_check
from wangjian.core.audit import acting
from wangjian.core.errors import ValidationFailed
from wangjian.org.models import User
from wangjian.platform.inbox.services import DeliveryReport
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.followup import followups_run
from wangjian.platform.workitems.models import Escalation, EscalationLevel
from wangjian.platform.workitems.services import escalation_answer as workitem_escalation_answer
from wangjian.platform.workitems.services import workitem_escalate

if TYPE_CHECKING:
    from django.db.models import QuerySet

# ---------------------------------------------------------------- 督办


def clue_escalate(
    *,
    clue: Clue,
    user: User | None,
    note: str,
    level: int = EscalationLevel.OFFICE,
    now: dt.datetime | None = None,
    automatic: bool = False,
) -> Escalation:
    """督办 on the unit's running duty: the office (level 1) or the leading group (level 2) demands an answer.

    The leading group exists so that clues do not sit unanswered (机制二(一)); the platform's
    follow-up job raises an overdue duty to level 1 and an unanswered level 1 to level 2.
    """
    action = Action.ESCALATE if level == EscalationLevel.OFFICE else Action.ESCALATE_GROUP
    if level not in EscalationLevel.values:
        raise ValidationFailed("督办级别只能是1或2", "Escalation level must be 1 or 2")
    if not automatic:
        transition_check(user=user, clue=clue, action=action)
    note = _require(note, "请填写督办意见", "An escalation note is required")
    duty = _duty(clue)
    if duty is None:
        raise ValidationFailed("该线索没有在办的核查或处置事项", "The clue has no running duty to escalate")
    with acting(user, via="clues"):
        return workitem_escalate(item=duty, user=user, note=note, level=level, automatic=automatic, now=now)


def escalation_answer(
    *, escalation: Escalation, user: User, answer: str, now: dt.datetime | None = None
) -> Escalation:
    """The unit answers a 督办 of the clue (the table says who may)."""
    clue = Clue.objects.get(pk=escalation.item.subject_id)
    transition_check(user=user, clue=clue, action=Action.ANSWER)
    with acting(user, via="clues"):
        return workitem_escalation_answer(escalation=escalation, user=user, answer=answer, now=now)


def escalations_of(clue: Clue) -> QuerySet[Escalation]:
    """Every 督办 of the clue, whichever of its duties was escalated."""
    return workitem_selectors.escalations_of(clue)


# ---------------------------------------------------------------- reminders, overdue, automatic escalation


@dataclass
class RemindReport:
    """What one run of the follow-up did for the clues (each step at most once across runs)."""

    reminded: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)
    escalated: list[str] = field(default_factory=list)
    escalated_office: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    deliveries: DeliveryReport | None = None


def clues_remind(*, now: dt.datetime | None = None, send: Callable | None = None) -> RemindReport:
    """The platform's follow-up (reminders, overdue, 督办) for the clues' duties, then the waiting pushes.

    The scheduled job (``platform.tasks.followups_run``) does this for every app's items; this one is
    the clue loop's own, for ``wangjian clues remind`` and the clue pages.
    """
    report = followups_run(now=now, send=send, kinds_only=(*DUTY_KINDS, FILING))
    return RemindReport(
        reminded=report.reminded,
        overdue=report.overdue,
        escalated=report.escalated,
        escalated_office=report.escalated_office,
        errors=report.errors
        + [f"{ref}: 期限为暂定（节假日安排尚未录入），录入后判定是否逾期" for ref in report.waiting_calendar],
        deliveries=report.deliveries,
    )
