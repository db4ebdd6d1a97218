"""The unit's duties on a clue are the platform's work items: the feedback it owes, then the disposal,
and a named reporter's answer once the clue is decided. The platform's follow-up reminds, marks overdue
and escalates them; the hooks here keep the clue's own record (its flags and history) in step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils import timezone

from wangjian.clues import clocks
from wangjian.clues.choices import (
    Action,
    Disposal,
)
from wangjian.clues.models import Clue
from wangjian.clues.services.deadlines import Deadline
from wangjian.clues.services.transitions import _record
from wangjian.core.audit import mask_name
from wangjian.org.models import Department, Station, User
from wangjian.platform.inbox.services import notify as inbox_notify
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.models import Escalation, EscalationLevel, WorkItem, WorkItemState
from wangjian.platform.workitems.services import workitem_create, workitem_finish

if TYPE_CHECKING:
    from wangjian.platform.inbox.models import Message

# ---------------------------------------------------------------- who is told (the platform's recipients)


def unit_users(clue: Clue) -> list[User]:
    return workitem_selectors.unit_users(department=clue.department_id, station=clue.station_id)


office_users = workitem_selectors.office_users
leading_group_users = workitem_selectors.leading_group_users


def notify(
    *,
    key: str,
    users: Iterable[User],
    kind: str,
    title: str,
    body: str,
    clue: Clue,
    now: dt.datetime,
    urgent: bool = False,
    units: Iterable[Department | Station] = (),
) -> list[Message]:
    """A message about ``clue`` in the inbox of each of ``users`` (and pushes), once per event."""
    return inbox_notify(
        key=key,
        users=users,
        kind=kind,
        title=title,
        body=body,
        subject=clue,
        urgent=urgent,
        units=units,
        now=now,
    )


REPORT_OUTCOME = "report.outcome"


def _reporters_to_tell(clue: Clue, now: dt.datetime) -> list[WorkItem]:
    """Each named reporter of the clue's sources is told the outcome, each by its own duty.

    投诉举报处理暂行办法 art. 31: within 5 working days of deciding whether to open a case. A lead
    merged into the clue keeps its reporter and so its own duty; the unit that closed the clue owes it.
    """
    items = []
    decision = Disposal(clue.disposal).label
    if clue.disposal_note.startswith("不予立案"):
        decision = "不予立案"
    for source in clue.sources.exclude(reporter_name="").order_by("received_at", "id"):
        items.append(
            workitem_create(
                bureau=clue.bureau,
                kind=REPORT_OUTCOME,
                title=f"告知举报人{mask_name(source.reporter_name)}处理结果",
                body=f"来源：{source.get_kind_display()} {source.ref}（{timezone.localtime(source.received_at):%Y-%m-%d} 收到）。"
                f"处理结果：{decision}{('，' + clue.case_number) if clue.case_number else ''}。举报人联系方式见线索来源。",
                reference=clue.number,
                department=clue.department,
                station=clue.station,
                clock=REPORT_OUTCOME,
                start=timezone.localtime(now).date(),
                subject=clue,
                domain=clue.domain,
                now=now,
            )
        )
    return items


# ---------------------------------------------------------------- the unit's duties are the platform's work items

FEEDBACK_LABEL, DISPOSAL_LABEL = "反馈核查情况", "报送处置结果"
DUTY_KINDS = (clocks.FEEDBACK, clocks.DISPOSAL)


def _duty(clue: Clue) -> WorkItem | None:
    """The clue's running duty (the feedback or the disposal the unit owes), if any."""
    return workitem_selectors.items_of(clue).filter(kind__in=DUTY_KINDS, state=WorkItemState.OPEN).first()


def _duty_end(clue: Clue, *, user: User | None, result: str, state: str, now: dt.datetime) -> None:
    for item in workitem_selectors.items_of(clue).filter(kind__in=DUTY_KINDS, state=WorkItemState.OPEN):
        workitem_finish(item=item, user=None, actor=user, result=result, state=state, now=now)


def _duty_open(clue: Clue, clock: str, start: dt.datetime, now: dt.datetime) -> WorkItem:
    """The unit owes the feedback (or the disposal) by the clock's deadline; any earlier duty is cancelled."""
    _duty_end(clue, user=None, result="改派或重新分派", state=WorkItemState.CANCELLED, now=now)
    item = workitem_create(
        bureau=clue.bureau,
        kind=clock,
        title=FEEDBACK_LABEL if clock == clocks.FEEDBACK else DISPOSAL_LABEL,
        reference=clue.number,
        department=clue.department,
        station=clue.station,
        clock=clock,
        variant=clue.source_kind,
        start=timezone.localtime(start).date(),
        subject=clue,
        domain=clue.domain,
        now=now,
        notify_unit=False,  # the clue loop tells the unit itself (新线索 …)
        # never later than the filing decision (程序规定 art. 18)
        due_cap=clue.filing_due if clue.filing_due else None,
        due_cap_basis=(
            f"线索 {clue.number} 须于 {clue.filing_due:%Y-%m-%d} 前决定是否立案（程序规定第十八条）"
            if clue.filing_due
            else ""
        ),
    )
    _duty_copy(clue, item)
    return item


def _duty_copy(clue: Clue, item: WorkItem) -> None:
    """The clue keeps its deadlines as the record the statistics read; the duty item runs them."""
    if item.kind == clocks.FEEDBACK:
        clue.feedback_due, clue.feedback_basis, clue.feedback_provisional = (
            item.due,
            item.due_basis,
            item.due_provisional,
        )
    else:
        clue.disposal_due, clue.disposal_basis, clue.disposal_provisional = (
            item.due,
            item.due_basis,
            item.due_provisional,
        )


def _set_feedback_due(clue: Clue, now: dt.datetime) -> Deadline:
    item = _duty_open(clue, clocks.FEEDBACK, clue.assigned_at, now)
    return Deadline(item.due, item.due_basis, item.due_provisional)


def _set_disposal_due(clue: Clue, now: dt.datetime) -> Deadline:
    item = _duty_open(clue, clocks.DISPOSAL, clue.fed_back_at, now)
    return Deadline(item.due, item.due_basis, item.due_provisional)


# hooks: the platform's follow-up tells the clue loop what happened to a duty


def duty_overdue(item: WorkItem) -> None:
    clue = Clue.objects.get(pk=item.subject_id)
    flag = "feedback_overdue" if item.kind == clocks.FEEDBACK else "disposal_overdue"
    setattr(clue, flag, True)
    clue.save()
    _record(
        clue,
        Action.OVERDUE,
        None,
        from_state=clue.state,
        comment=f"{item.title}期限 {item.due} 已过",
        now=item.overdue_at,
    )


def duty_escalated(item: WorkItem, escalation: Escalation) -> None:
    clue = Clue.objects.get(pk=item.subject_id)
    action = Action.ESCALATE if escalation.level == EscalationLevel.OFFICE else Action.ESCALATE_GROUP
    _record(
        clue,
        action,
        escalation.raised_by,
        from_state=clue.state,
        comment=escalation.note,
        now=escalation.raised_at,
        detail={"level": escalation.level, "automatic": escalation.automatic},
    )


def duty_answered(item: WorkItem, escalation: Escalation) -> None:
    clue = Clue.objects.get(pk=item.subject_id)
    _record(
        clue,
        Action.ANSWER,
        escalation.answered_by,
        from_state=clue.state,
        comment=escalation.answer,
        now=escalation.answered_at,
    )


def duty_due_changed(item: WorkItem) -> None:
    """The duty's deadline moved (a year's holidays entered, an extension of the filing clock that caps
    it): the clue's record follows, and a deadline moved into the future is no longer overdue."""
    clue = Clue.objects.get(pk=item.subject_id)
    _duty_copy(clue, item)
    if not item.overdue:
        flag = "feedback_overdue" if item.kind == clocks.FEEDBACK else "disposal_overdue"
        setattr(clue, flag, False)
    clue.save()
