"""Work items (待办) and 督办 for every app, and the office's follow-up settings.

Any app hands a unit or a person something to do with ``workitem_create``: a deadline from a
clock of the catalogue (with its basis, provisional where a year is not entered) or a given date.
``workitem_escalate`` is the one 督办: level 1 by the office, level 2 by the leading group, each
demanding an answer within the ``followup.answer`` clock. Reminders, overdue marking and automatic
督办 run in ``followup.followups_run``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wangjian.core import workdays
from wangjian.core.clocks import Extension, Period, Suspension, Unit, compute
from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.core.models import bulk_create_audited
from wangjian.core.services import MovedDeadline
from wangjian.org import permissions
from wangjian.org.models import Bureau, Department, Station, User
from wangjian.platform.clocks import catalogue
from wangjian.platform.clocks.services import deadline_for, extension_check, suspension_check
from wangjian.platform.inbox.models import MessageKind
from wangjian.platform.inbox.services import notify
from wangjian.platform.permissions import WORKITEMS_CREATE
from wangjian.platform.workitems import kinds, selectors
from wangjian.platform.workitems.models import (
    ClockExtension,
    ClockStop,
    Escalation,
    EscalationLevel,
    WorkItem,
    WorkItemState,
)

# ---------------------------------------------------------------- work items


def _subject_fields(subject: Any) -> dict[str, str]:
    if subject is None:
        return {}
    url = subject.get_absolute_url() if hasattr(subject, "get_absolute_url") else ""
    return {"subject_type": subject._meta.label_lower, "subject_id": str(subject.pk), "url": url[:500]}


def deadline_apply(item: WorkItem, *, calendar: Any = None, memo: dict | None = None) -> None:
    """The item's deadline from its clock (the bureau's setting, less the time that does not count,
    plus the approved extensions) or the working days it was given, with the basis and a
    provisional flag; never later than its cap (another clock's deadline it must meet)."""
    if item.start and item.period_days and not item.clock:
        deadline = compute(
            start=item.start,
            period=Period(item.period_days, Unit.WORKING_DAYS, "交办时指定期限"),
            calendar=calendar,
        )
        item.due, item.due_provisional = deadline.due, deadline.provisional
        item.due_basis = deadline.basis_text("交办")
    elif item.clock and item.start and memo is not None and not item.pk:
        # new items of one batch: a clock from the same day ends on the same day (nothing stopped it yet)
        key = (item.bureau_id, item.clock, item.variant, item.start)
        if key not in memo:
            deadline = deadline_for(
                bureau=item.bureau_id,
                clock=item.clock,
                variant=item.variant,
                start=item.start,
                calendar=calendar,
            )
            memo[key] = (
                deadline.due,
                deadline.basis_text(catalogue.get(item.clock).starts),
                deadline.provisional,
            )
        item.due, item.due_basis, item.due_provisional = memo[key]
    elif item.clock and item.start:
        stops, extensions = _clock_changes(item)
        deadline = deadline_for(
            bureau=item.bureau_id,
            clock=item.clock,
            variant=item.variant,
            start=item.start,
            suspensions=stops,
            extensions=extensions,
            collective=any(getattr(e, "collective", False) for e in extensions),
            calendar=calendar,
        )
        item.due = deadline.due
        item.due_basis = deadline.basis_text(catalogue.get(item.clock).starts)
        item.due_provisional = deadline.provisional
    else:
        return
    if item.due_cap and item.due and item.due > item.due_cap:
        item.due_basis += f"【受限】不得晚于 {item.due_cap:%Y-%m-%d}：{item.due_cap_basis}"
        item.due = item.due_cap


@dataclass(frozen=True)
class _ApprovedExtension(Extension):
    collective: bool = False


def _clock_changes(item: WorkItem) -> tuple[list[Suspension], list[Extension]]:
    if not item.pk:
        return [], []
    stops = [selectors.suspension_of(s) for s in ClockStop.objects.filter(item=item).order_by("start", "id")]
    extensions = [
        _ApprovedExtension(e.length, e.approver_name, e.approved_on, e.basis, e.collective)
        for e in ClockExtension.objects.filter(item=item).order_by("approved_on", "id")
    ]
    return stops, extensions


def _due_changed(item: WorkItem, *, save: bool = False) -> None:
    """Compute the deadline again after a stop, an extension or a new cap, and tell the owning app.

    ``save``: the item itself changed (a new cap) and is saved even when its deadline stays."""
    before = (item.due, item.due_provisional, item.due_basis)
    deadline_apply(item)
    if (item.due, item.due_provisional, item.due_basis) == before:
        if save and item.pk:
            item.save()
        return
    if item.overdue and (item.due is None or item.due >= timezone.localdate()):
        item.overdue, item.overdue_at = False, None  # more time: no longer overdue
    item.save()
    hook = kinds.get(item.kind).on_due_changed
    if hook:
        hook(item)


def clock_stop(
    *, item: WorkItem, kind: str, start: dt.date, note: str = "", user: User | None = None
) -> ClockStop:
    """Stop the item's clock from ``start`` (检测、鉴定、听证 …): only the kinds its rule names stop it.

    The owning app checks who may record it (the case's officers, the clue's unit) before calling.
    """
    if not item.is_open:
        raise ValidationFailed(f"该事项已{item.get_state_display()}", f"The item is {item.state} already")
    if not item.clock:
        raise ValidationFailed("该事项没有法定时限，无需登记不计入期间", "This item runs on no clock")
    suspension_check(clock=item.clock, kind=kind)
    if item.start and start <= item.start:
        raise ValidationFailed(
            f"不计入期间应晚于起算日 {item.start:%Y-%m-%d}",
            f"A stop must start after the clock's start {item.start}",
        )
    if ClockStop.objects.filter(item=item, end__isnull=True).exists():
        raise ValidationFailed(
            "已有未结束的不计入期间，请先登记其结束", "A stop is still running: record its end first"
        )
    with transaction.atomic():
        stop = ClockStop.objects.create(
            item=item, kind=kind, start=start, note=(note or "").strip()[:300], recorded_by=_pk_or_none(user)
        )
        _due_changed(item)
    return stop


def clock_resume(*, item: WorkItem, end: dt.date, user: User | None = None) -> ClockStop:
    """The running stop ends on ``end`` (included): the clock restarts with the days it had left."""
    if not item.is_open:
        raise ValidationFailed(f"该事项已{item.get_state_display()}", f"The item is {item.state} already")
    stop = ClockStop.objects.filter(item=item, end__isnull=True).first()
    if stop is None:
        raise ValidationFailed("没有未结束的不计入期间", "No stop is running")
    if end < stop.start:
        raise ValidationFailed("不计入期间的结束早于开始", "A stop cannot end before it starts")
    with transaction.atomic():
        stop.end = end
        stop.save(update_fields=["end"])
        _due_changed(item)
    return stop


def clock_extend(
    *,
    item: WorkItem,
    length: int,
    approved_by: User,
    approved_on: dt.date,
    basis: str = "",
    collective: bool = False,
) -> ClockExtension:
    """Add an approved extension; the catalogue says how much a clock may be extended, and whether
    more needs collective discussion (集体讨论). Whether ``approved_by`` may approve is the owning app's rule."""
    if not item.is_open:
        raise ValidationFailed(f"该事项已{item.get_state_display()}", f"The item is {item.state} already")
    if not item.clock:
        raise ValidationFailed("该事项没有法定时限，不能延长", "This item runs on no clock")
    try:
        length = int(length)
    except (TypeError, ValueError):
        raise ValidationFailed(
            "延长的期限应为正整数", "An extension must be a positive whole number"
        ) from None
    basis = (basis or "").strip()
    if not basis:
        raise ValidationFailed("延长期限须说明理由", "An extension needs its reason")
    name = getattr(approved_by, "name", "") or getattr(approved_by, "username", "")
    _, earlier = _clock_changes(item)
    extension_check(
        clock=item.clock,
        extensions=[*earlier, Extension(length, name, approved_on, basis)],
        collective=collective,
    )
    with transaction.atomic():
        ext = ClockExtension.objects.create(
            item=item,
            length=length,
            approved_by=_pk_or_none(approved_by),
            approver_name=name[:50],
            approved_on=approved_on,
            basis=basis[:300],
            collective=collective,
        )
        _due_changed(item)
    return ext


def due_cap_set(*, item: WorkItem, cap: dt.date | None, basis: str = "") -> None:
    """This item's deadline may not pass ``cap`` (another clock's deadline), with the reason."""
    item.due_cap, item.due_cap_basis = cap, (basis or "")[:300] if cap else ""
    with transaction.atomic():
        _due_changed(item, save=True)  # kept even when it moves nothing today: a later extension meets it


def _pk_or_none(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def _item_build(
    *,
    bureau: Bureau,
    kind: str,
    title: str,
    body: str = "",
    department: Department | None = None,
    station: Station | None = None,
    assignee: User | None = None,
    clock: str = "",
    variant: str = "",
    start: dt.date | None = None,
    due: dt.date | None = None,
    working_days: int | None = None,
    subject: Any = None,
    reference: str = "",
    domain: str = "",
    urgent: bool = False,
    created_by: User | None = None,
    now: dt.datetime,
    due_cap: dt.date | None = None,
    due_cap_basis: str = "",
    calendar: Any = None,
    offices: dict[int, Department] | None = None,
    deadlines: dict | None = None,
) -> WorkItem:
    """A new item checked and timed, not yet saved (``offices``: each station's office, looked up once)."""
    item_kind = kinds.get(kind)
    title = (title or "").strip()
    if not title:
        raise ValidationFailed("请填写待办事项", "The work item needs a title")
    unit = station or department
    if unit is None and assignee is None:
        raise ValidationFailed("请选择承办科室、基层所或承办人", "Choose a unit or a person to do it")
    for part in (department, station):
        if part is not None and (part.bureau_id != bureau.pk or not part.is_active):
            raise ValidationFailed(
                "承办单位必须是本局在用的科室或基层所", "The unit must be an active unit of the bureau"
            )
    if assignee is not None and assignee.bureau_id != bureau.pk:
        raise ValidationFailed("承办人必须是本局人员", "The person must belong to the bureau")
    if created_by is not None:
        permissions.require(created_by, WORKITEMS_CREATE)
    if not selectors.may_create(created_by, bureau_id=bureau.pk, department=department, station=station):
        raise PermissionDeniedError(
            "只有办公室可以向各单位交办事项；科室负责人只能向本科室交办",
            "Only the office hands work to any unit; a department head only to their department",
        )
    if station is not None and department is None:
        department = offices.get(station.pk) if offices is not None else None
        if department is None:
            department = station.bureau.office()
            if offices is not None:
                offices[station.pk] = department
    clock = clock or item_kind.clock
    if due is None and not clock and not working_days:
        raise ValidationFailed("请填写期限或选择时限规则", "Give a deadline or a clock")
    item = WorkItem(
        bureau=bureau,
        kind=kind,
        title=title[:200],
        body=body,
        reference=reference[:80],
        domain=domain,
        department=department,
        station=station,
        assignee=assignee,
        created_by=created_by if getattr(created_by, "pk", None) else None,
        urgent=urgent,
        due_cap=due_cap,
        due_cap_basis=(due_cap_basis or "")[:300] if due_cap else "",
        **_subject_fields(subject),
    )
    today = timezone.localtime(now).date()
    if due is not None:
        if due < today:
            raise ValidationFailed("期限不能早于今天", "The deadline cannot be in the past")
        item.due, item.due_basis = due, f"交办时指定期限：{due:%Y-%m-%d}"
    elif working_days:
        item.start, item.period_days = today, int(working_days)
        deadline_apply(item, calendar=calendar)
    else:
        item.clock, item.variant = clock, variant
        item.start = start or today
        deadline_apply(item, calendar=calendar, memo=deadlines)
    return item


def workitem_create(
    *,
    bureau: Bureau,
    kind: str,
    title: str,
    body: str = "",
    department: Department | None = None,
    station: Station | None = None,
    assignee: User | None = None,
    clock: str = "",
    variant: str = "",
    start: dt.date | None = None,
    due: dt.date | None = None,
    working_days: int | None = None,
    subject: Any = None,
    reference: str = "",
    domain: str = "",
    urgent: bool = False,
    created_by: User | None = None,
    now: dt.datetime | None = None,
    notify_unit: bool = True,
    due_cap: dt.date | None = None,
    due_cap_basis: str = "",
) -> WorkItem:
    """Hand a unit or a person something to do by a deadline: from a clock of the catalogue, or given.

    The office hands anything to any unit; a department head to their department; apps create
    their own (``created_by=None``). The unit is told unless the owning app tells it itself.
    """
    now = now or timezone.now()
    item = _item_build(
        bureau=bureau,
        kind=kind,
        title=title,
        body=body,
        department=department,
        station=station,
        assignee=assignee,
        clock=clock,
        variant=variant,
        start=start,
        due=due,
        working_days=working_days,
        subject=subject,
        reference=reference,
        domain=domain,
        urgent=urgent,
        created_by=created_by,
        now=now,
        due_cap=due_cap,
        due_cap_basis=due_cap_basis,
    )
    item_kind = kinds.get(kind)
    with transaction.atomic():
        item.save()
        if not subject:
            WorkItem.objects.filter(pk=item.pk).update(url=item.get_absolute_url())
            item.url = item.get_absolute_url()
        if notify_unit:
            notify(
                key=f"workitem{item.pk}:created",
                users=selectors.item_users(item),
                units=[item.unit] if item.unit else [],
                kind=MessageKind.TASK,
                title=f"新{item_kind.noun}：{item.title}，请于 {item.due or '—'} 前办结",
                body=f"{item.body}\n{item.due_basis}".strip(),
                subject=item if not subject else subject,
                url=item.url,
                urgent=urgent,
                now=now,
            )
    return item


def workitems_prepare(
    *, specs: list[dict[str, Any]], now: dt.datetime | None = None
) -> list[WorkItem | WangjianError]:
    """Many items of an app at once — an import's acceptance clocks — each checked and timed as
    ``workitem_create`` would (the arguments are its own but ``subject``), with one calendar for all; not
    saved. Item for item, the item or why it cannot be made (a calendar year not entered): the app refuses
    that record and reads the others' deadlines into its new records, then ``workitems_insert`` saves them."""
    now = now or timezone.now()
    calendar, offices, deadlines = workdays.current(), {}, {}
    items: list[WorkItem | WangjianError] = []
    for spec in specs:
        if spec.get("subject") is not None:
            raise ValidationFailed(
                "批量待办的所属事项在保存时给出", "Bulk work items get their subject when inserted"
            )
        try:
            items.append(
                _item_build(**spec, now=now, calendar=calendar, offices=offices, deadlines=deadlines)
            )
        except WangjianError as exc:
            items.append(exc)
    return items


def workitems_insert(*, items: list[WorkItem], subjects: list[Any]) -> list[WorkItem]:
    """Save prepared items, each about its (saved) subject, in one insert with their change records.

    The units are not told item by item: the calling app tells each unit once what arrived (one message
    for a 12315 export of three hundred complaints, not three hundred).
    """
    for item, subject in zip(items, subjects, strict=True):
        if subject is None or subject.pk is None:
            raise ValidationFailed("批量待办须有已保存的所属事项", "Bulk work items need a saved subject")
        for name, value in _subject_fields(subject).items():
            setattr(item, name, value)
    with transaction.atomic():
        bulk_create_audited(items)
    return items


def workitem_finish(
    *,
    item: WorkItem,
    user: User | None,
    result: str = "",
    state: str = WorkItemState.DONE,
    now: dt.datetime | None = None,
    actor: User | None = None,
) -> WorkItem:
    """Close an item as done (办结) or cancelled (撤销); a done item needs what was done, a cancelled one why.

    ``user`` is checked against who may close it; an owning app that closes its own item after its
    own check passes ``user=None`` and the person who acted as ``actor``.
    """
    if not item.is_open:
        raise ValidationFailed(f"该事项已{item.get_state_display()}", f"The item is {item.state} already")
    if user is not None:
        allowed = (
            selectors.may_finish(user, item)
            if state == WorkItemState.DONE
            else (selectors.is_office(user, item.bureau_id) or item.created_by_id == user.pk)
        )
        if not allowed:
            raise PermissionDeniedError("无权办结或撤销该事项", "You may not close this item")
        if not (result or "").strip():
            raise ValidationFailed("请填写办理结果或撤销理由", "Say what was done, or why it is cancelled")
    item.state = state
    item.result = (result or "").strip()
    item.done_at = now or timezone.now()
    actor = actor or user
    item.done_by = actor if getattr(actor, "pk", None) else None
    item.save()
    return item


def workitem_escalate(
    *,
    item: WorkItem,
    user: User | None,
    note: str,
    level: int = EscalationLevel.OFFICE,
    automatic: bool = False,
    now: dt.datetime | None = None,
) -> Escalation:
    """督办: the office (level 1) or the leading group (level 2) demands an answer within the answer clock.

    Its messages are urgent (sent at once whatever the hour). The owning app hears of it.
    """
    now = now or timezone.now()
    if level not in EscalationLevel.values:
        raise ValidationFailed("督办级别只能是1或2", "Escalation level must be 1 or 2")
    if not item.is_open:
        raise ValidationFailed("已办结的事项不再督办", "A closed item is not escalated")
    if not automatic and not selectors.may_escalate(user, item, level):
        raise PermissionDeniedError(
            "一级督办由领导小组办公室发起，二级督办由办公室或领导小组发起",
            "Level 1 is the office's; level 2 the office's or the leading group's",
        )
    note = (note or "").strip()
    if not note:
        raise ValidationFailed("请填写督办意见", "An escalation note is required")
    today = timezone.localtime(now).date()
    answer = deadline_for(bureau=item.bureau_id, clock="followup.answer", start=today)
    item_kind = kinds.get(item.kind)
    with transaction.atomic():
        escalation = Escalation.objects.create(
            item=item,
            level=level,
            note=note,
            raised_by=user if getattr(user, "pk", None) else None,
            raised_at=now,
            answer_due=answer.due,
            answer_provisional=answer.provisional,
            automatic=automatic,
        )
        users = selectors.item_users(item)
        if level == EscalationLevel.LEADING_GROUP:
            users += selectors.leading_group_users(item.bureau_id) + selectors.office_users(item.bureau_id)
        notify(
            key=f"escalation{escalation.pk}",
            users=users,
            units=[item.unit] if item.unit else [],
            kind=MessageKind.ESCALATED,
            title=f"{EscalationLevel(level).label}：{item_kind.noun} {item.reference or '“' + item.title + '”'}，"
            f"请于 {answer.due or '（期限待计算）'} 前答复",
            body=note,
            subject=subject_of(item),
            url=item.url,
            urgent=True,
            now=now,
        )
        if item_kind.on_escalated:
            item_kind.on_escalated(item, escalation)
    return escalation


def escalation_answer(
    *, escalation: Escalation, user: User, answer: str, now: dt.datetime | None = None
) -> Escalation:
    """The unit answers a 督办 (答复督办)."""
    item = escalation.item
    if not (selectors.in_unit(user, item) or user.is_superuser):
        raise PermissionDeniedError("只有承办单位可以答复督办", "Only the responsible unit answers")
    answer = (answer or "").strip()
    if not answer:
        raise ValidationFailed("请填写答复内容", "An answer is required")
    if escalation.answered:
        raise ValidationFailed(
            "该督办已答复", "This escalation was already answered", code="already_answered"
        )
    with transaction.atomic():
        escalation.answer = answer
        escalation.answered_by = user
        escalation.answered_at = now or timezone.now()
        escalation.save()
        hook = kinds.get(item.kind).on_answered
        if hook:
            hook(item, escalation)
    return escalation


def deadlines_follow_calendar(*, calendar: Any) -> list[MovedDeadline]:
    """The open items' deadlines counted again on a changed national calendar (``core.services``
    calls it inside the change): a deadline counted in working days is where the calendar puts it.
    An item that moves is saved (its change record names the calendar change) and its app is told
    (``on_due_changed``: a clue's record of its feedback or disposal deadline follows); the moved
    ones are returned. A deadline given as a date is not the calendar's and stays."""
    moved: list[MovedDeadline] = []
    items = (
        WorkItem.objects.filter(state=WorkItemState.OPEN, start__isnull=False)
        .filter(Q(period_days__isnull=False) | ~Q(clock=""))
        .select_related("bureau", "department", "station")
        .order_by("id")
    )
    for item in items:
        before = (item.due, item.due_provisional, item.due_basis)
        deadline_apply(item, calendar=calendar)
        if (item.due, item.due_provisional, item.due_basis) == before:
            continue
        kind = kinds.get(item.kind)
        item.save()
        if kind.on_due_changed:
            kind.on_due_changed(item)
        if item.due != before[0]:
            label = f"{kind.noun} {item.reference}" if item.reference else kind.label
            moved.append(
                MovedDeadline(
                    what=f"{label}：{item.title}（{item.unit or '—'}）",
                    bureau=item.bureau.name,
                    before=before[0],
                    after=item.due,
                    url=item.url or item.get_absolute_url(),
                    basis=item.due_basis,
                    overdue=item.overdue,
                )
            )
    return moved


def subject_of(item: WorkItem) -> Any:
    """What messages about the item are about: its subject (a clue) when it has one, else the item."""
    if item.subject_type and item.subject_id:
        try:
            model = apps.get_model(item.subject_type)
        except (LookupError, ValueError):
            return item
        return model.objects.filter(pk=item.subject_id).first() or item
    return item


def workitem_act(*, item: WorkItem, user: User, action: str, data: Any) -> str:
    """One entry point for the item's buttons and the API: the same input means the same step everywhere."""

    def get(name: str) -> str:
        value = data.get(name, "")
        return value.strip() if isinstance(value, str) else value

    if kinds.get(item.kind).own_section and action in ("finish", "cancel"):
        raise ValidationFailed(
            "该事项由所属业务办结（如线索在线索页面反馈、办结）",
            "This item is closed by its own workflow (a clue's duty closes on the clue's page)",
        )
    if action == "finish":
        workitem_finish(item=item, user=user, result=get("result"))
        return "已办结"
    if action == "cancel":
        workitem_finish(item=item, user=user, result=get("result"), state=WorkItemState.CANCELLED)
        return "已撤销"
    if action in ("escalate", "escalate_group"):
        level = EscalationLevel.OFFICE if action == "escalate" else EscalationLevel.LEADING_GROUP
        escalation = workitem_escalate(item=item, user=user, note=get("note"), level=level)
        return f"已{escalation.get_level_display()}，答复期限 {escalation.answer_due}"
    if action == "answer":
        pending = item.escalations.filter(answered_at__isnull=True).order_by("-raised_at").first()
        if pending is None:
            raise ValidationFailed("没有待答复的督办", "No escalation awaits an answer")
        escalation_answer(escalation=pending, user=user, answer=get("answer"))
        return "已答复督办"
    raise WangjianError(f"未知的操作：{action}", f"Unknown action: {action}", code="unknown_action")
