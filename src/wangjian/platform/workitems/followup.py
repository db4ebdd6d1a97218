"""The follow-up job (催办、督办) over every open work item of every app, each step exactly once.

Run every few minutes (``schedule.py``) and safe to repeat or retry:

- a provisional deadline (a year's holidays not entered) is computed again; once final, the app hears;
- a reminder goes to the unit N working days before the deadline and on the day (the bureau's
  settings; default 2 and on the day), keyed by the item and the deadline, so once each;
- the working day after a final deadline the item is marked overdue (a conditional update: once),
  the unit and the office are told, and — unless the office switched it off — the office's level-1
  督办 is raised, with the ``followup.answer`` clock to answer;
- a level-1 督办 unanswered past its answer date goes to the leading group (level 2), once;
- a deadline that is still provisional is never called overdue: the office is told, once, to enter
  the year's holiday arrangement.

Pushes wait outside the bureau's working hours unless urgent (``inbox.services.deliveries_send``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from wangjian.core.audit import acting
from wangjian.core.clocks import Period, Unit, compute, working_days_between
from wangjian.core.errors import WangjianError
from wangjian.core.workdays import current
from wangjian.platform.followup.services import followup_settings
from wangjian.platform.inbox.models import MessageKind
from wangjian.platform.inbox.services import DeliveryReport, deliveries_send, notify
from wangjian.platform.workitems import kinds, selectors
from wangjian.platform.workitems.models import Escalation, EscalationLevel, WorkItem, WorkItemState
from wangjian.platform.workitems.services import deadline_apply, subject_of, workitem_escalate


@dataclass
class FollowUpReport:
    """What one run did, by the items' references (a clue's number …); each step at most once across runs."""

    reminded: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)
    escalated_office: list[str] = field(default_factory=list)  # automatic level 1 on overdue
    escalated: list[str] = field(default_factory=list)  # automatic level 2 on an unanswered level 1
    recomputed: list[str] = field(default_factory=list)
    waiting_calendar: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    deliveries: DeliveryReport | None = None


def _ref(item: WorkItem) -> str:
    return item.reference or item.title


def _label(item: WorkItem, noun: str) -> str:
    """How a message names the item: 线索 旌市监线〔2026〕0001, or 核查“现场核查…”."""
    return f"{noun} {item.reference}" if item.reference else f"{noun}“{item.title}”"


def _what(item: WorkItem) -> str:
    """The duty, when the label did not already say it: "：请反馈核查情况"."""
    return f"：请{item.title}" if item.reference else ""


def followups_run(
    *,
    now: dt.datetime | None = None,
    send: Callable | None = None,
    kinds_only: Iterable[str] | None = None,
    deliver: bool = True,
) -> FollowUpReport:
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    report = FollowUpReport()
    calendar = current()
    items = WorkItem.objects.filter(state=WorkItemState.OPEN, due__isnull=False).select_related(
        "bureau", "department", "station", "assignee"
    )
    escalations = Escalation.objects.filter(
        level=EscalationLevel.OFFICE,
        answered_at__isnull=True,
        answer_due__lt=today,
        answer_provisional=False,
        item__state=WorkItemState.OPEN,
    )
    if kinds_only is not None:
        items = items.filter(kind__in=list(kinds_only))
        escalations = escalations.filter(item__kind__in=list(kinds_only))
    for item in items.order_by("id"):
        try:
            with acting(None, via="task"):
                _follow(item, now, today, calendar, report)
        except WangjianError as exc:  # reported; the other items go on
            report.errors.append(f"{_ref(item)}: {exc}")
    unanswered = escalations.values("item_id").annotate(first=Min("raised_at")).order_by("item_id")
    for row in unanswered:
        item = WorkItem.objects.select_related("bureau").get(pk=row["item_id"])
        if not followup_settings(item.bureau_id).escalate_unanswered:
            continue
        if item.escalations.filter(level=EscalationLevel.LEADING_GROUP, raised_at__gte=row["first"]).exists():
            continue
        first = item.escalations.filter(level=EscalationLevel.OFFICE, answered_at__isnull=True).order_by(
            "raised_at"
        )[0]
        with acting(None, via="task"):
            workitem_escalate(
                item=item,
                user=None,
                level=EscalationLevel.LEADING_GROUP,
                note=f"一级督办（{first.raised_at:%Y-%m-%d}）逾期未答复（答复期限 {first.answer_due:%Y-%m-%d}），"
                f"自动提请领导小组督办。原督办意见：{first.note}",
                automatic=True,
                now=now,
            )
        report.escalated.append(_ref(item))
    if deliver:
        report.deliveries = deliveries_send(now=now, send=send)
    return report


def _follow(item: WorkItem, now: dt.datetime, today: dt.date, calendar, report: FollowUpReport) -> None:
    kind = kinds.get(item.kind)
    settings = followup_settings(item.bureau_id)
    if item.due_provisional and (item.clock or item.period_days):
        before = (item.due, item.due_provisional)
        deadline_apply(item, calendar=calendar)
        if (item.due, item.due_provisional) != before:
            with transaction.atomic():
                item.save()
                if kind.on_due_changed:
                    kind.on_due_changed(item)
            report.recomputed.append(_ref(item))
    due = item.due
    if due is None:
        return  # a stopped clock (不计入期间 still running) has no deadline to remind of
    if today > due and item.due_provisional:
        # never overdue on a guessed date: the office enters the year's holidays first
        notify(
            key=f"workitem{item.pk}:provisional:{due}",
            users=selectors.office_users(item.bureau_id),
            kind=MessageKind.TASK,
            title=f"请录入节假日安排：{_label(item, kind.noun)} 的期限 {due:%Y-%m-%d} 为暂定，无法判定是否逾期",
            body=item.due_basis,
            subject=subject_of(item),
            url=item.url,
            now=now,
        )
        report.waiting_calendar.append(_ref(item))
        return
    if today > due:
        _overdue(item, kind, settings, now, today, calendar, report)
        return
    left = working_days_between(today, due, calendar)[0]
    users, units = selectors.item_users(item), [item.unit] if item.unit else []
    if today == due and settings.remind_on_day:
        made = notify(
            key=f"workitem{item.pk}:dueday:{due}",
            users=users,
            units=units,
            kind=MessageKind.REMIND,
            title=f"{_label(item, kind.noun)} 今日（{due:%Y-%m-%d}）到期{_what(item)}",
            body=item.due_basis,
            subject=subject_of(item),
            url=item.url,
            now=now,
        )
        if made:
            report.reminded.append(_ref(item))
        return
    if settings.remind_days:
        remind_from = compute(
            start=due, period=Period(-settings.remind_days, Unit.WORKING_DAYS), calendar=calendar
        ).due
        if today >= remind_from:
            made = notify(
                key=f"workitem{item.pk}:remind:{due}",
                users=users,
                units=units,
                kind=MessageKind.REMIND,
                title=f"{_label(item, kind.noun)} 将于 {due:%Y-%m-%d} 到期（还有 {left} 个工作日）{_what(item)}",
                body=item.body or item.due_basis,
                subject=subject_of(item),
                url=item.url,
                now=now,
            )
            if made:
                report.reminded.append(_ref(item))


def _overdue(item, kind, settings, now, today, calendar, report) -> None:
    with transaction.atomic():
        claimed = WorkItem.objects.filter(pk=item.pk, overdue=False).update(overdue=True, overdue_at=now)
        if not claimed:
            return
        item.overdue, item.overdue_at = True, now
        if kind.on_overdue:
            kind.on_overdue(item)
    late = working_days_between(item.due, today, calendar)[0]
    notify(
        key=f"workitem{item.pk}:overdue:{item.due}",
        users=selectors.item_users(item) + selectors.office_users(item.bureau_id),
        units=[item.unit] if item.unit else [],
        kind=MessageKind.OVERDUE,
        title=f"{_label(item, kind.noun)} 已逾期：{item.title if item.reference else ''}期限为 {item.due:%Y-%m-%d}",
        body=f"已逾期 {late} 个工作日。{item.due_basis}",
        subject=subject_of(item),
        url=item.url,
        now=now,
    )
    report.overdue.append(_ref(item))
    pending = item.escalations.filter(level=EscalationLevel.OFFICE, answered_at__isnull=True).exists()
    if settings.escalate_overdue and not pending:
        workitem_escalate(
            item=item,
            user=None,
            level=EscalationLevel.OFFICE,
            note=f"{item.title}期限 {item.due:%Y-%m-%d} 已过，逾期 {late} 个工作日，领导小组办公室自动督办，请说明情况并尽快办结。",
            automatic=True,
            now=now,
        )
        report.escalated_office.append(_ref(item))
