"""The rules of the clue closed loop (涉网问题线索闭环处置) — the one place they live.

The seed (旌德县局线上线下一体化监管工作机制，旌市场办〔2022〕116号) sets the loop:
the leading group's office distributes clues; "各办案机构收到核查任务后7个工作日内反馈核查情况；
处置完成后报送处置结果" (二(四)); the office tracks, reminds and escalates (督办); every month it
reports how many clues were handled, by whom, with what result (二(一)).

Every function here returns what it decided and why; views, the API, Celery tasks and
commands call them and hold no rules. ``TRANSITIONS`` is the single table of who may move
a clue from which state to which.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wangjian.clues import clocks
from wangjian.clues.choices import (
    OPEN_STATES,
    Action,
    CheckResult,
    ClueState,
    Disposal,
    Party,
    ReferKind,
    SourceKind,
)
from wangjian.clues.models import Clue, ClueAttachment, ClueEvent, ClueSource
from wangjian.core.audit import acting, mask_name
from wangjian.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.core.models import ChangeRecord
from wangjian.evidence.models import EvidenceCapture
from wangjian.evidence.services import evidence_link
from wangjian.org.choices import Domain, Role
from wangjian.org.models import Bureau, Department, Station, User
from wangjian.org.services import responsible_for
from wangjian.platform.clocks.services import deadline_for
from wangjian.platform.inbox.models import MessageKind
from wangjian.platform.inbox.services import DeliveryReport, webhook_post
from wangjian.platform.inbox.services import notify as inbox_notify
from wangjian.platform.numbering.services import number_attach, number_issue
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.followup import followups_run
from wangjian.platform.workitems.models import Escalation, EscalationLevel, WorkItem, WorkItemState
from wangjian.platform.workitems.services import escalation_answer as workitem_escalation_answer
from wangjian.platform.workitems.services import workitem_create, workitem_escalate, workitem_finish

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


def _t(action, sources, target, parties, reason_required=False) -> tuple[str, Transition]:
    return action, Transition(action, tuple(sources), target, frozenset(parties), reason_required)


RUNNING = (S.ASSIGNED, S.CHECKING, S.FED_BACK, S.DISPOSING)

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
    if same_bureau and user.role == Role.OFFICE_ADMIN:
        parties.add(Party.OFFICE)
    if same_bureau and user.role == Role.LEADING_GROUP:
        parties.add(Party.LEADING_GROUP)
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


# ---------------------------------------------------------------- deadlines


@dataclass
class Deadline:
    """A computed deadline of the clue and its basis: the rule, the start, the days skipped.

    ``provisional``: the period reaches a year whose holidays are not entered yet; the date is
    counted with weekends only, shown as 暂定, and computed again once the year is entered.
    """

    due: dt.date
    basis: str
    provisional: bool = False


def _deadline(bureau: Bureau, clock: str, source_kind: str, start: dt.date, what: str) -> Deadline:
    deadline = deadline_for(bureau=bureau, clock=clock, variant=source_kind, start=start)
    return Deadline(deadline.due, deadline.basis_text(what), deadline.provisional)


def deadline_feedback(*, bureau: Bureau, source_kind: str, assigned_on: dt.date) -> Deadline:
    """Feedback is due N working days after the unit receives the task (default 7, 旌德机制二(四))."""
    return _deadline(bureau, clocks.FEEDBACK, source_kind, assigned_on, "分派")


def deadline_disposal(*, bureau: Bureau, source_kind: str, fed_back_on: dt.date) -> Deadline:
    """The disposal result has its own deadline, counted in working days from the feedback."""
    return _deadline(bureau, clocks.DISPOSAL, source_kind, fed_back_on, "反馈")


# ---------------------------------------------------------------- who is told (the platform's recipients)


def unit_users(clue: Clue) -> list[User]:
    return workitem_selectors.unit_users(department=clue.department_id, station=clue.station_id)


office_users = workitem_selectors.office_users
leading_group_users = workitem_selectors.leading_group_users


def notify(*, key: str, users, kind: str, title: str, body: str, clue: Clue, now, urgent=False, units=()):
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


# ---------------------------------------------------------------- intake and routing


@dataclass
class Routing:
    """Where the clue went and why (the duty-list row and the territory rule)."""

    unit: Department | Station | None
    gap: bool
    reason_zh: str
    reason_en: str
    deadline: Deadline | None = None


@dataclass
class IntakeResult:
    """``created`` False means the report was attached to an open clue about the same matter (dedup)."""

    clue: Clue
    created: bool
    routing: Routing | None
    reason_zh: str
    source: ClueSource | None = None


def clue_find_duplicate(
    *,
    bureau: Bureau,
    domain: str,
    entity_id: int | None = None,
    presence_id: int | None = None,
    entity_uscc: str = "",
    presence_label: str = "",
) -> Clue | None:
    """An open clue of the bureau about the same entity or presence in the same domain, if any."""
    cond = Q()
    if entity_id:
        cond |= Q(entity_id=entity_id)
    if presence_id:
        cond |= Q(presence_id=presence_id)
    if entity_uscc:
        cond |= Q(entity_uscc=entity_uscc)
    if presence_label:
        cond |= Q(presence_label=presence_label)
    if not cond:
        return None
    return (
        Clue.objects.filter(bureau=bureau, domain=domain, state__in=OPEN_STATES)
        .filter(cond)
        .order_by("id")
        .first()
    )


def clue_intake(
    *,
    bureau: Bureau,
    source_kind: str,
    domain: str,
    facts: str,
    title: str = "",
    source_ref: str = "",
    entity: Any = None,
    presence: Any = None,
    entity_name: str = "",
    entity_uscc: str = "",
    presence_label: str = "",
    region_code: str = "",
    finder: User | None = None,
    found_on: dt.date | None = None,
    evidence_refs: Iterable[str] = (),
    reporter: Any = None,
    received_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
    dedup: bool = True,
) -> IntakeResult:
    """Take in a clue from any source; any app (monitoring, evidence, 12315, an external system) calls this.

    A report about the same entity/presence and domain as an open clue is attached to that
    clue as another source and not routed twice; otherwise the clue is numbered and routed
    by the duty list (``clue_route``). Each source keeps its own receipt time (``received_at``,
    default now) and its named reporter (``reporter``: a ``platform.intake.Reporter``), who is
    told the outcome whether the source made the clue or joined it.
    """
    now = now or timezone.now()
    received_at = received_at or now
    if source_kind not in SourceKind.values:
        raise ValidationFailed(f"未知的线索来源：{source_kind}", f"Unknown source kind: {source_kind}")
    if domain not in Domain.values:
        raise ValidationFailed(f"未知的监管领域：{domain}", f"Unknown domain: {domain}")
    facts = _require(facts, "请填写问题描述（线索事实）", "The facts of the clue are required")
    if presence is not None and entity is None:
        entity = getattr(presence, "entity", None)
    if entity is not None:
        entity_name = entity_name or entity.name
        entity_uscc = entity_uscc or entity.uscc
        region_code = region_code or (entity.region_code or "")
    if presence is not None and not presence_label:
        presence_label = str(presence)
    # 统一社会信用代码 as typed or pasted: full-width letters, spaces and hyphens folded (GB 32100-2015)
    entity_uscc = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", entity_uscc)).upper()
    presence_label = presence_label.strip()
    with transaction.atomic(), acting(finder, via="clues"):
        if dedup:
            existing = clue_find_duplicate(
                bureau=bureau,
                domain=domain,
                entity_id=getattr(entity, "pk", None),
                presence_id=getattr(presence, "pk", None),
                entity_uscc=entity_uscc,
                # a shop's name is the key only when the registry does not know the shop
                presence_label=presence_label if presence is None else "",
            )
            if existing is not None:
                source = ClueSource.objects.create(
                    clue=existing,
                    kind=source_kind,
                    ref=source_ref,
                    facts=facts,
                    evidence_refs=list(evidence_refs),
                    finder=finder,
                    received_at=received_at,
                    **_reporter_fields(reporter),
                )
                why = (
                    f"与在办线索 {existing.number} 涉及同一主体/网店且同属“{Domain(domain).label}”，"
                    f"作为新的来源并入，不重复分派。"
                )
                _record(existing, Action.ADD_SOURCE, finder, from_state=existing.state, comment=why, now=now)
                _link_evidence(existing, source.evidence_refs, finder)
                if finder is not None and existing.finder_id != finder.pk:
                    existing.shared_with.add(finder)
                return IntakeResult(existing, False, None, why, source)
        issued = number_issue(bureau=bureau, kind="clue", user=finder, now=now)
        clue = Clue.objects.create(
            bureau=bureau,
            number=issued.number,
            year=issued.year,
            seq=issued.seq,
            title=(title or f"{entity_name or presence_label or '未知主体'}：{Domain(domain).label}")[:200],
            source_kind=source_kind,
            source_ref=source_ref,
            domain=domain,
            entity=entity,
            presence=presence,
            entity_name=entity_name,
            entity_uscc=entity_uscc,
            presence_label=presence_label,
            region_code=region_code,
            facts=facts,
            finder=finder,
            found_on=found_on or timezone.localtime(received_at).date(),
        )
        number_attach(issued=issued, subject=clue)
        source = ClueSource.objects.create(
            clue=clue,
            kind=source_kind,
            ref=source_ref,
            facts=facts,
            evidence_refs=list(evidence_refs),
            finder=finder,
            received_at=received_at,
            **_reporter_fields(reporter),
        )
        _record(
            clue, Action.ADD_SOURCE, finder, comment=f"{SourceKind(source_kind).label}：{source_ref}", now=now
        )
        _link_evidence(clue, source.evidence_refs, finder)
        routing = clue_route(clue=clue, now=now)
    return IntakeResult(clue, True, routing, routing.reason_zh, source)


REPORT_OUTCOME = "report.outcome"


def _reporters_to_tell(clue: Clue, now: dt.datetime) -> list[WorkItem]:
    """Each named reporter of the clue's sources is told the outcome, each by its own duty.

    投诉举报处理暂行办法 art. 31: within 5 working days of deciding whether to open a case. A lead
    merged into the clue keeps its reporter and so its own duty; the unit that closed the clue owes it.
    """
    items = []
    decision = Disposal(clue.disposal).label
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


def _reporter_fields(reporter: Any) -> dict[str, str]:
    if reporter is None:
        return {}
    return {"reporter_name": (reporter.name or "")[:100], "reporter_contact": (reporter.contact or "")[:200]}


def _link_evidence(clue: Clue, refs: list[str], user: User | None) -> int:
    """Link the bureau's evidence captures named ``capture:<id>`` so they are held while the clue is open.

    A reference that names no capture of the bureau stays on the source as text (nothing is lost).
    """
    ids = [int(r.split(":", 1)[1]) for r in refs if r.startswith("capture:") and r.split(":", 1)[1].isdigit()]
    if not ids:
        return 0
    captures = list(EvidenceCapture.objects.filter(pk__in=ids, bureau_id=clue.bureau_id))
    for capture in captures:
        evidence_link(capture=capture, obj=clue, user=user)
    return len(captures)


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
    return _set_feedback_due(clue, now)


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
    """A provisional deadline became final (the year's holidays were entered): the clue's record follows."""
    clue = Clue.objects.get(pk=item.subject_id)
    _duty_copy(clue, item)
    clue.save()


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


# ---------------------------------------------------------------- the unit's steps


def _step(clue: Clue, user: User, action: str, comment: str, now: dt.datetime, **detail) -> ClueEvent:
    from_state = clue.state
    clue.state = TRANSITIONS[action].target
    clue.save()
    return _record(clue, action, user, from_state=from_state, comment=comment, now=now, detail=detail)


def clue_accept(*, clue: Clue, user: User, comment: str = "", now: dt.datetime | None = None) -> ClueEvent:
    """The unit confirms receipt and starts checking (核查中); the deadline runs from assignment, not from here."""
    now = now or timezone.now()
    transition_check(user=user, clue=clue, action=Action.ACCEPT)
    with transaction.atomic(), acting(user, via="clues"):
        return _step(clue, user, Action.ACCEPT, comment, now)


def clue_feedback(
    *, clue: Clue, user: User, result: str, actions: str, now: dt.datetime | None = None
) -> Deadline | None:
    """The unit feeds back its check (属实/部分属实/不属实/无法核实) and what it did; the disposal clock starts."""
    now = now or timezone.now()
    transition_check(user=user, clue=clue, action=Action.FEEDBACK)
    if result not in CheckResult.values:
        raise ValidationFailed("请选择核查结论", "Choose a check result", detail={"result": result})
    actions = _require(actions, "请填写核查情况及采取的措施", "Describe the check and the actions taken")
    with transaction.atomic(), acting(user, via="clues"):
        clue.check_result = result
        clue.check_actions = actions
        clue.fed_back_at = now
        _duty_end(
            clue,
            user=user,
            result=f"核查结论：{CheckResult(result).label}。{actions}",
            state=WorkItemState.DONE,
            now=now,
        )
        deadline = _set_disposal_due(clue, now)
        on_time = clue.feedback_due is None or timezone.localtime(now).date() <= clue.feedback_due
        _step(clue, user, Action.FEEDBACK, actions, now, result=result, on_time=on_time)
        recipients = office_users(clue.bureau_id)
        if clue.transferred_from_id:
            recipients += office_users(clue.transferred_from.bureau_id)
        notify(
            key=f"clue{clue.pk}:fed_back:{now:%Y%m%d%H%M%S}",
            users=recipients,
            kind=MessageKind.STATE,
            title=f"线索 {clue.number} 已反馈：{CheckResult(result).label}",
            body=actions,
            clue=clue,
            now=now,
        )
    return deadline


def clue_start_disposal(
    *, clue: Clue, user: User, comment: str = "", now: dt.datetime | None = None
) -> ClueEvent:
    now = now or timezone.now()
    transition_check(user=user, clue=clue, action=Action.START_DISPOSAL)
    with transaction.atomic(), acting(user, via="clues"):
        return _step(clue, user, Action.START_DISPOSAL, comment, now)


def clue_close(
    *,
    clue: Clue,
    user: User,
    disposal: str,
    note: str = "",
    case_number: str = "",
    refer_kind: str = "",
    refer_target: str = "",
    now: dt.datetime | None = None,
) -> ClueEvent:
    """Close with the disposal result (处置结果) the office reports monthly.

    立案 needs the case number; 移送 needs whom (another authority, or the police when a crime
    is suspected — 行刑衔接, 机制二(五)); 不予处理 needs the reason. A clue found untrue can
    only be closed without action.
    """
    now = now or timezone.now()
    transition_check(user=user, clue=clue, action=Action.CLOSE)
    if disposal not in Disposal.values:
        raise ValidationFailed("请选择处置结果", "Choose a disposal", detail={"disposal": disposal})
    note = (note or "").strip()
    if disposal == Disposal.CASE:
        case_number = _require(case_number, "立案须填写立案文号", "A case number is required for 立案")
    if disposal == Disposal.REFER:
        if refer_kind not in ReferKind.values:
            raise ValidationFailed(
                "移送须选择移送对象类别（其他行政机关或公安机关）", "Choose whom the clue is referred to"
            )
        refer_target = _require(refer_target, "移送须填写接收机关", "Name the receiving authority")
    if disposal == Disposal.NO_ACTION:
        note = _require(note, "不予处理须说明理由", "A reason is required for 不予处理")
    if clue.check_result == CheckResult.FALSE and disposal != Disposal.NO_ACTION:
        raise ValidationFailed(
            "核查不属实的线索只能“不予处理”办结", "A clue found untrue can only be closed with 不予处理"
        )
    with transaction.atomic(), acting(user, via="clues"):
        clue.disposal = disposal
        clue.disposal_note = note
        clue.case_number = case_number if disposal == Disposal.CASE else ""
        clue.refer_kind = refer_kind if disposal == Disposal.REFER else ""
        clue.refer_target = refer_target if disposal == Disposal.REFER else ""
        clue.closed_at = now
        _duty_end(
            clue,
            user=user,
            result=f"处置结果：{Disposal(disposal).label}。{note or case_number or refer_target}".strip("。"),
            state=WorkItemState.DONE,
            now=now,
        )
        on_time = clue.disposal_due is None or timezone.localtime(now).date() <= clue.disposal_due
        event = _step(clue, user, Action.CLOSE, note, now, disposal=disposal, on_time=on_time)
        _reporters_to_tell(clue, now)
        notify(
            key=f"clue{clue.pk}:closed",
            users=office_users(clue.bureau_id),
            kind=MessageKind.STATE,
            title=f"线索 {clue.number} 已办结：{Disposal(disposal).label}",
            body=note or case_number or refer_target,
            clue=clue,
            now=now,
        )
    return event


def clue_return(*, clue: Clue, user: User, reason: str, now: dt.datetime | None = None) -> ClueEvent:
    """The unit returns a clue it is not responsible for (退回) to the office, with the reason; the clock stops."""
    now = now or timezone.now()
    transition_check(user=user, clue=clue, action=Action.RETURN)
    reason = _require(reason, "退回必须说明理由", "A reason is required to return a clue")
    with transaction.atomic(), acting(user, via="clues", reason=reason):
        clue.feedback_due = None
        clue.feedback_overdue = False
        _duty_end(
            clue, user=user, result=f"退回领导小组办公室：{reason}", state=WorkItemState.CANCELLED, now=now
        )
        event = _step(clue, user, Action.RETURN, reason, now, unit=str(clue.unit or ""))
        notify(
            key=f"clue{clue.pk}:returned:{now:%Y%m%d%H%M%S}",
            users=office_users(clue.bureau_id),
            kind=MessageKind.RETURNED,
            title=f"线索 {clue.number} 被{clue.unit}退回",
            body=reason,
            clue=clue,
            now=now,
        )
    return event


def clue_transfer(
    *, clue: Clue, user: User, to_bureau: Bureau, reason: str, now: dt.datetime | None = None
) -> IntakeResult:
    """Transfer to the bureau whose territory the entity is registered in (法定管辖).

    The receiving bureau gets its own clue (its own number), routed by its own duty list;
    the sender's clue is marked 已移交外局 and the sender keeps read-only sight of the new
    one and its feedback.
    """
    now = now or timezone.now()
    transition_check(user=user, clue=clue, action=Action.TRANSFER)
    reason = _require(reason, "移交外局必须说明理由", "A reason is required to transfer")
    if to_bureau.pk == clue.bureau_id:
        raise ValidationFailed("不能移交给本局", "Cannot transfer to the same bureau")
    with transaction.atomic(), acting(user, via="clues", reason=reason):
        result = clue_intake(
            bureau=to_bureau,
            source_kind=SourceKind.TRANSFER,
            source_ref=clue.number,
            domain=clue.domain,
            title=clue.title,
            facts=f"{clue.facts}\n\n【移交理由】{reason}（{clue.bureau}）",
            entity=clue.entity,
            presence=clue.presence,
            entity_name=clue.entity_name,
            entity_uscc=clue.entity_uscc,
            presence_label=clue.presence_label,
            region_code=clue.region_code,
            finder=clue.finder,
            found_on=clue.found_on,
            evidence_refs=[ref for s in clue.sources.all() for ref in s.evidence_refs],
            now=now,
            dedup=False,
        )
        target = result.clue
        target.transferred_from = clue
        target.save()
        clue.feedback_due = None
        clue.feedback_overdue = False
        _duty_end(
            clue, user=user, result=f"移交{to_bureau}：{reason}", state=WorkItemState.CANCELLED, now=now
        )
        _step(clue, user, Action.TRANSFER, reason, now, to_bureau=str(to_bureau), to_clue=target.number)
        notify(
            key=f"clue{target.pk}:transferred",
            users=office_users(to_bureau.pk),
            kind=MessageKind.TRANSFERRED,
            title=f"{clue.bureau}移交线索 {target.number}",
            body=reason,
            clue=target,
            now=now,
        )
    return result


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


def escalations_of(clue: Clue):
    """Every 督办 of the clue, whichever of its duties was escalated."""
    return workitem_selectors.escalations_of(clue)


# ---------------------------------------------------------------- dedup by hand, sharing


def clue_merge(
    *, clue: Clue, into: Clue, user: User, reason: str = "", now: dt.datetime | None = None
) -> Clue:
    """The office merges a duplicate into another open clue of the bureau; its sources move across."""
    now = now or timezone.now()
    transition_check(user=user, clue=clue, action=Action.MERGE)
    if into.pk == clue.pk or into.bureau_id != clue.bureau_id or into.state not in OPEN_STATES:
        raise ValidationFailed(
            "只能并入本局另一条在办线索", "Merge only into another open clue of the bureau"
        )
    with transaction.atomic(), acting(user, via="clues"):
        moved = clue.sources.update(clue=into)
        into.shared_with.add(*clue.shared_with.all())
        if clue.finder_id and clue.finder_id != into.finder_id:
            into.shared_with.add(clue.finder_id)
        clue.merged_into = into
        clue.feedback_due = None
        _duty_end(clue, user=user, result=f"并入线索 {into.number}", state=WorkItemState.CANCELLED, now=now)
        _step(clue, user, Action.MERGE, reason, now, into=into.number)
        _record(
            into,
            Action.MERGE,
            user,
            from_state=into.state,
            comment=f"并入 {clue.number}（{moved} 个来源）",
            now=now,
        )
    return into


def clue_split(
    *,
    clue: Clue,
    source_ids: Iterable[int],
    user: User,
    domain: str | None = None,
    reason: str = "",
    now: dt.datetime | None = None,
) -> IntakeResult:
    """The office splits sources that are a different matter off into a new clue, routed on its own."""
    now = now or timezone.now()
    transition_check(user=user, clue=clue, action=Action.SPLIT)
    ids = set(source_ids)
    sources = list(clue.sources.filter(pk__in=ids))
    if not sources or len(sources) != len(ids) or clue.sources.count() <= len(sources):
        raise ValidationFailed(
            "请选择本线索的部分来源拆分（至少保留一个来源）",
            "Choose some, not all, of this clue's sources to split off",
        )
    with transaction.atomic(), acting(user, via="clues"):
        first = sources[0]
        result = clue_intake(
            bureau=clue.bureau,
            source_kind=first.kind,
            source_ref=first.ref,
            domain=domain or clue.domain,
            facts=first.facts or clue.facts,
            entity=clue.entity,
            presence=clue.presence,
            entity_name=clue.entity_name,
            entity_uscc=clue.entity_uscc,
            presence_label=clue.presence_label,
            region_code=clue.region_code,
            finder=first.finder,
            now=now,
            dedup=False,
        )
        result.source.delete()  # the new clue keeps the very sources split off, not a copy
        ClueSource.objects.filter(pk__in=[s.pk for s in sources]).update(clue=result.clue)
        _record(
            clue,
            Action.SPLIT,
            user,
            from_state=clue.state,
            comment=reason or f"拆分出 {result.clue.number}",
            now=now,
            detail={"new": result.clue.number},
        )
    return result


def clue_share(*, clue: Clue, user: User, with_user: User, now: dt.datetime | None = None) -> None:
    """Let another officer read the clue (e.g. an assisting department of the duty list)."""
    transition_check(user=user, clue=clue, action=Action.SHARE)
    if with_user.bureau_id != clue.bureau_id:
        raise ValidationFailed("只能共享给本局人员", "Share only with staff of the bureau")
    clue.shared_with.add(with_user)
    _record(clue, Action.SHARE, user, from_state=clue.state, comment=str(with_user), now=now)


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
    report = followups_run(now=now, send=send, kinds_only=DUTY_KINDS)
    return RemindReport(
        reminded=report.reminded,
        overdue=report.overdue,
        escalated=report.escalated,
        escalated_office=report.escalated_office,
        errors=report.errors
        + [f"{ref}: 期限为暂定（节假日安排尚未录入），录入后判定是否逾期" for ref in report.waiting_calendar],
        deliveries=report.deliveries,
    )


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


# ---------------------------------------------------------------------------------------------
# Attachments: kept in WANGJIAN_STORAGE's "clues" area; every download is logged


def reporter_reveal(*, clue: Clue, source_id: int, user: Any) -> ClueSource:
    """A reporter's name and contact, for who acts on the clue (the unit, its head, the office, the
    leading group); the view is logged (查看敏感信息). Others see the name masked."""
    source = clue.sources.filter(pk=source_id).exclude(reporter_name="").first()
    if source is None:
        raise NotFoundError("该来源没有举报人信息", "This source names no reporter")
    if not clue_parties(user=user, clue=clue):
        raise PermissionDeniedError(
            "只有承办单位、办公室和领导小组可以查看举报人信息",
            "Only the unit, the office and the leading group see a reporter's details",
        )
    ChangeRecord.log_view(source, user=user, bureau_id=clue.bureau_id, label=f"{clue.number} · 举报人")
    return source


def attachment_add(*, clue: Clue, file: Any, user: Any) -> ClueAttachment:
    """Attach a file (a complaint's letter, a photo, a platform's reply) to the clue."""
    return ClueAttachment.objects.create(
        clue=clue, file=file, name=str(getattr(file, "name", "") or "附件")[:200], uploaded_by=user
    )


def attachment_open(*, clue: Clue, attachment_id: int, user: Any) -> tuple[ClueAttachment, Any]:
    """The attachment's file for download, the download logged (查看敏感信息): attachments of
    complaints and reports often carry a complainant's name, ID number or phone."""
    attachment = clue.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFoundError("没有该附件", "no such attachment")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise NotFoundError(
            f"附件文件缺失：{attachment.name}", f"attachment file missing: {attachment.name}"
        ) from None
    ChangeRecord.log_view(
        attachment, user=user, bureau_id=clue.bureau_id, label=f"{clue.number} · {attachment.name}"
    )
    return attachment, handle
