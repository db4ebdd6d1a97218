"""The case's decision clock (程序规定 art. 64): 90 days from filing, run by a platform work item.

Natural days; 中止, 听证, 公告, 检测检验检疫鉴定, 权利人辨认 and 责令退还多收价款 periods do not count;
the bureau's head may extend by 30 days, and more only by collective discussion (集体讨论). The
work item carries the reminders, overdue marking and 督办 of the platform; the case keeps a copy of
the deadline with its basis for its list and the monthly figures.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from wangjian.cases.choices import Action
from wangjian.cases.models import Case
from wangjian.cases.services.transitions import record, required, transition_check
from wangjian.core.audit import acting
from wangjian.core.clocks import Suspension
from wangjian.core.errors import ValidationFailed
from wangjian.org.choices import DepartmentKind
from wangjian.org.models import User
from wangjian.platform.clocks.catalogue import SuspensionKind
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.models import ClockExtension, ClockStop, WorkItem, WorkItemState
from wangjian.platform.workitems.services import (
    clock_extend,
    clock_resume,
    clock_stop,
    workitem_create,
    workitem_finish,
)

DECISION = "case.decision"  # the work item's kind and the catalogue's clock
DECISION_LABEL = "作出处理决定"


def case_clock_open(
    case: Case, clock: str, title: str, start: dt.date, now: dt.datetime, *, legal: bool = False
) -> WorkItem:
    """A clock of the procedure (catalogue key ``clock``) owed by the lead officer, or by the legal department."""
    department = case.department
    assignee = _lead(case)
    if legal:
        department = (
            case.bureau.departments.filter(kind=DepartmentKind.LEGAL, is_active=True).first() or department
        )
        assignee = None
    return workitem_create(
        bureau=case.bureau,
        kind=clock,
        title=title,
        reference=case.number,
        department=department,
        assignee=assignee,
        clock=clock,
        start=start,
        subject=case,
        domain=case.domain,
        now=now,
        notify_unit=legal,
    )


def case_clock_end(
    case: Case, clock: str, user: User | None, result: str, now: dt.datetime, cancelled: bool = False
) -> None:
    for item in workitem_selectors.items_of(case).filter(kind=clock, state=WorkItemState.OPEN):
        state = WorkItemState.CANCELLED if cancelled else WorkItemState.DONE
        workitem_finish(item=item, user=None, actor=user, result=result, state=state, now=now)


def decision_item(case: Case) -> WorkItem | None:
    return workitem_selectors.items_of(case).filter(kind=DECISION, state=WorkItemState.OPEN).first()


def _lead(case: Case) -> User | None:
    row = case.case_officers.select_related("user").order_by("-lead", "id").first()
    return row.user if row else None


def decision_copy(case: Case, item: WorkItem) -> None:
    """The case keeps the deadline, its basis and the days stopped and added, for its list and figures."""
    case.decision_due, case.decision_basis = item.due, item.due_basis
    case.decision_provisional = item.due_provisional
    total, running = 0, None
    for stop in ClockStop.objects.filter(item=item):
        if stop.end is None:
            running = stop.start  # counted on read (``Case.days_suspended``), so it never goes stale
        else:
            total += max(0, (stop.end - stop.start).days + 1)
    case.suspended_days, case.stopped_since = total, running
    case.extension_days = sum(ClockExtension.objects.filter(item=item).values_list("length", flat=True))


def decision_clock_open(case: Case, now: dt.datetime) -> WorkItem:
    item = workitem_create(
        bureau=case.bureau,
        kind=DECISION,
        title=DECISION_LABEL,
        reference=case.number,
        department=case.department,
        assignee=_lead(case),
        clock=DECISION,
        start=case.opened_on,
        subject=case,
        domain=case.domain,
        now=now,
        notify_unit=False,
    )
    decision_copy(case, item)
    case.save()
    return item


def decision_clock_end(case: Case, *, user: User | None, result: str, state: str, now: dt.datetime) -> None:
    item = decision_item(case)
    if item is not None:
        workitem_finish(item=item, user=None, actor=user, result=result, state=state, now=now)


def decision_stops(case: Case) -> list[Suspension]:
    """The time that did not count on the decision clock, as the officer reads it."""
    return workitem_selectors.stops_of(case, DECISION)


# hooks from the platform's follow-up


def decision_due_changed(item: WorkItem) -> None:
    case = Case.objects.get(pk=item.subject_id)
    decision_copy(case, item)
    if item.due is None or item.due >= timezone.localdate():
        case.decision_overdue = False
    case.save()


def decision_overdue(item: WorkItem) -> None:
    case = Case.objects.get(pk=item.subject_id)
    case.decision_overdue = True
    case.save()
    record(
        case,
        Action.OVERDUE,
        None,
        from_state=case.state,
        comment=f"作出处理决定的期限 {item.due} 已过（程序规定第六十四条）",
        now=item.overdue_at,
    )


# the officers' and the head's steps on the clock


def _running(case: Case) -> WorkItem:
    item = decision_item(case)
    if item is None:
        raise ValidationFailed("该案件没有在计的办案期限", "This case has no running decision clock")
    return item


def case_stop(
    *, case: Case, user: User, kind: str, start: dt.date, note: str, now: dt.datetime | None = None
) -> Case:
    """中止, 听证, 公告, 检测检验鉴定 … begins: the time does not count (art. 64 para. 2)."""
    now = now or timezone.now()
    transition_check(user=user, case=case, action=Action.STOP)
    note = required(note, "请说明不计入期间的事由", "Say what the stop is for")
    with transaction.atomic(), acting(user, via="cases"):
        clock_stop(item=_running(case), kind=kind, start=start, note=note, user=user)
        case.refresh_from_db()
        label = SuspensionKind(kind).label
        record(
            case, Action.STOP, user, from_state=case.state, comment=f"{label}：{note}（{start} 起）", now=now
        )
    return case


def case_resume(*, case: Case, user: User, end: dt.date, now: dt.datetime | None = None) -> Case:
    now = now or timezone.now()
    transition_check(user=user, case=case, action=Action.RESUME)
    with transaction.atomic(), acting(user, via="cases"):
        stop = clock_resume(item=_running(case), end=end, user=user)
        case.refresh_from_db()
        record(
            case,
            Action.RESUME,
            user,
            from_state=case.state,
            comment=f"{SuspensionKind(stop.kind).label} {stop.start}—{stop.end} 结束；决定期限为 {case.decision_due}",
            now=now,
        )
    return case


def case_extend(
    *,
    case: Case,
    user: User,
    days: int,
    reason: str,
    collective: bool = False,
    now: dt.datetime | None = None,
) -> Case:
    """The bureau's head approves more time: 30 days, more only by collective discussion (art. 64)."""
    now = now or timezone.now()
    transition_check(user=user, case=case, action=Action.EXTEND)
    reason = required(reason, "延长办案期限须说明理由", "An extension needs its reason")
    with transaction.atomic(), acting(user, via="cases"):
        ext = clock_extend(
            item=_running(case),
            length=days,
            approved_by=user,
            approved_on=timezone.localtime(now).date(),
            basis=reason,
            collective=collective,
        )
        case.refresh_from_db()
        how = "经集体讨论决定" if collective else "经负责人批准"
        record(
            case,
            Action.EXTEND,
            user,
            from_state=case.state,
            comment=f"{how}延长{ext.length}日：{reason}；决定期限为 {case.decision_due}",
            now=now,
        )
    return case
