"""The filing decision's clock (立案决定期限): 程序规定 art. 18, on every clue from the day it was found.

"市场监督管理部门对依据监督检查职权或者通过投诉、举报、其他部门移送、上级交办等途径发现的违法线索，
应当自发现线索或者收到材料之日起十五个工作日内予以核查，由市场监督管理部门负责人决定是否立案；特殊
情况下，经市场监督管理部门负责人批准，可以延长十五个工作日。法律、法规、规章另有规定的除外。检测、
检验、检疫、鉴定以及权利人辨认或者鉴别等所需时间，不计入前款规定期限。"

The clock starts on the clue's discovery date (``found_on``: the finding date for monitoring, the
receipt date for a 举报 or a transfer), runs as a work item of the unit (``clue.filing``), and caps the
feedback and disposal duties: a clue can no longer be "on time" while its filing decision is late.
The decision itself — 立案 or 不予立案 — is the bureau head's (``clue_filing_decided``, called by the
case app once the head approves its 审批表).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from wangjian.clues import clocks
from wangjian.clues.choices import Action, CheckResult, Disposal, Party
from wangjian.clues.models import Clue, ClueEvent
from wangjian.clues.services.duties import (
    _duty,
    _duty_copy,
    _duty_end,
    _reporters_to_tell,
    notify,
    office_users,
)
from wangjian.clues.services.transitions import TRANSITIONS, _record, _require, clue_parties, transition_check
from wangjian.core.audit import acting
from wangjian.core.clocks import Suspension
from wangjian.core.errors import ValidationFailed
from wangjian.org.models import User
from wangjian.platform.clocks.catalogue import SuspensionKind
from wangjian.platform.clocks.catalogue import get as clock_get
from wangjian.platform.clocks.services import deadline_for
from wangjian.platform.inbox.models import MessageKind
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.models import WorkItem, WorkItemState
from wangjian.platform.workitems.services import (
    clock_extend,
    clock_resume,
    clock_stop,
    due_cap_set,
    workitem_create,
    workitem_finish,
)

FILING = "clue.filing"  # the work item's kind
CLOCK = "clue.verification"  # the catalogue's statutory clock (art. 18)
FILING_LABEL = "核查并决定是否立案"


def filing_item(clue: Clue) -> WorkItem | None:
    return workitem_selectors.items_of(clue).filter(kind=FILING, state=WorkItemState.OPEN).first()


def cap_basis(clue: Clue) -> str:
    return f"线索 {clue.number} 须于 {clue.filing_due:%Y-%m-%d} 前决定是否立案（程序规定第十八条）"


def _copy(clue: Clue, item: WorkItem | None) -> None:
    if item is None:
        deadline = deadline_for(bureau=clue.bureau_id, clock=CLOCK, start=clue.found_on)
        clue.filing_due, clue.filing_provisional = deadline.due, deadline.provisional
        clue.filing_basis = deadline.basis_text(clock_get(CLOCK).starts)
        return
    clue.filing_due, clue.filing_basis, clue.filing_provisional = (
        item.due,
        item.due_basis,
        item.due_provisional,
    )


def filing_open(clue: Clue, now: dt.datetime) -> WorkItem | None:
    """Start the clock on a new clue, owed by its unit (the office's until it is assigned)."""
    unit = clue.unit or clue.bureau.office()
    item = None
    if unit is not None:
        item = workitem_create(
            bureau=clue.bureau,
            kind=FILING,
            title=FILING_LABEL,
            reference=clue.number,
            department=unit if clue.station_id is None else clue.department,
            station=clue.station,
            clock=CLOCK,
            start=clue.found_on,
            subject=clue,
            domain=clue.domain,
            now=now,
            notify_unit=False,
        )
    _copy(clue, item)
    clue.save()
    return item


def filing_backfill(*, bureau_id: int | None = None, now: dt.datetime | None = None) -> int:
    """Start the filing clock on open clues registered before it existed (an upgrade), once each.

    The clock runs from each clue's own discovery date, so a clue found long ago may be overdue at once:
    that is the truth the office needs to see, not an artefact of the upgrade.
    """
    now = now or timezone.now()
    has_clock = WorkItem.objects.filter(kind=FILING, subject_type="clues.clue").values_list(
        "subject_id", flat=True
    )
    clues = Clue.objects.filter(state__in=TRANSITIONS[Action.FILING_EXTEND].sources).exclude(
        pk__in=[int(s) for s in has_clock if str(s).isdigit()]
    )
    if bureau_id is not None:
        clues = clues.filter(bureau_id=bureau_id)
    started = 0
    for clue in (
        clues.select_related("bureau", "department", "station").order_by("id").iterator(chunk_size=500)
    ):
        with transaction.atomic():
            filing_open(clue, now)
            _recap(clue)
            clue.save()
        started += 1
    return started


def filing_follow_unit(clue: Clue) -> None:
    """The clue changed hands: the filing clock keeps running from discovery, now owed by the new unit."""
    item = filing_item(clue)
    if item is None or clue.unit is None:
        return
    WorkItem.objects.filter(pk=item.pk).update(department=clue.department, station=clue.station)


def filing_to_office(clue: Clue) -> None:
    """A returned clue: the office owes the filing decision until it assigns the clue again."""
    item = filing_item(clue)
    office = clue.bureau.office()
    if item is not None and office is not None:
        WorkItem.objects.filter(pk=item.pk).update(department=office, station=None)


def filing_end(clue: Clue, *, user: User | None, result: str, state: str, now: dt.datetime) -> None:
    item = filing_item(clue)
    if item is not None:
        workitem_finish(item=item, user=None, actor=user, result=result, state=state, now=now)


def _recap(clue: Clue) -> None:
    """The running feedback or disposal duty may not end later than the filing decision."""
    duty = _duty(clue)
    if duty is None:
        return
    due_cap_set(item=duty, cap=clue.filing_due, basis=cap_basis(clue) if clue.filing_due else "")
    _duty_copy(clue, duty)
    if not duty.overdue:  # moved into the future: the clue's record follows its duty
        setattr(clue, "feedback_overdue" if duty.kind == clocks.FEEDBACK else "disposal_overdue", False)


# hooks: the platform's follow-up tells the clue what happened to the filing clock


def filing_due_changed(item: WorkItem) -> None:
    clue = Clue.objects.get(pk=item.subject_id)
    _copy(clue, item)
    if item.due is None or item.due >= timezone.localdate():
        clue.filing_overdue = False
    _recap(clue)
    clue.save()


def filing_overdue(item: WorkItem) -> None:
    clue = Clue.objects.get(pk=item.subject_id)
    clue.filing_overdue = True
    clue.save()
    _record(
        clue,
        Action.OVERDUE,
        None,
        from_state=clue.state,
        comment=f"决定是否立案的期限 {item.due} 已过（程序规定第十八条）",
        now=item.overdue_at,
    )


def may_draft_filing(*, user: User, clue: Clue) -> bool:
    """The clue's unit (or its head) drafts the 立案 or 不予立案 审批表 once the check is fed back."""
    return clue.state in TRANSITIONS[Action.FILE_CASE].sources and bool(
        {Party.UNIT, Party.HEAD} & clue_parties(user=user, clue=clue)
    )


def filing_stops(clue: Clue) -> list[Suspension]:
    """The time that did not count on the clue's filing clock, as the officer reads it."""
    return workitem_selectors.stops_of(clue, FILING)


# the unit's and the head's steps on the clock


def _running(clue: Clue) -> WorkItem:
    item = filing_item(clue)
    if item is None:
        raise ValidationFailed("该线索没有在计的立案决定期限", "This clue has no running filing clock")
    return item


def filing_stop(
    *, clue: Clue, user: User, kind: str, start: dt.date, note: str, now: dt.datetime | None = None
) -> ClueEvent:
    """检测、检验、检疫、鉴定 or 权利人辨认 begins: that time does not count (art. 18, para. 2)."""
    now = now or timezone.now()
    transition_check(user=user, clue=clue, action=Action.FILING_STOP)
    note = _require(note, "请说明不计入期间的事由（如送检机构、鉴定事项）", "Say what the stop is for")
    with transaction.atomic(), acting(user, via="clues"):
        item = _running(clue)
        clock_stop(item=item, kind=kind, start=start, note=note, user=user)
        clue.refresh_from_db()
        label = SuspensionKind(kind).label
        return _record(
            clue,
            Action.FILING_STOP,
            user,
            from_state=clue.state,
            comment=f"{label}：{note}（{start} 起）",
            now=now,
        )


def filing_resume(*, clue: Clue, user: User, end: dt.date, now: dt.datetime | None = None) -> ClueEvent:
    now = now or timezone.now()
    transition_check(user=user, clue=clue, action=Action.FILING_RESUME)
    with transaction.atomic(), acting(user, via="clues"):
        stop = clock_resume(item=_running(clue), end=end, user=user)
        clue.refresh_from_db()
        return _record(
            clue,
            Action.FILING_RESUME,
            user,
            from_state=clue.state,
            comment=f"不计入期间 {stop.start}—{stop.end} 结束；立案决定期限为 {clue.filing_due or '—'}",
            now=now,
        )


def filing_extend(*, clue: Clue, user: User, reason: str, now: dt.datetime | None = None) -> ClueEvent:
    """The bureau's head approves 15 working days more (特殊情况, art. 18); once, and no more than that."""
    now = now or timezone.now()
    transition_check(user=user, clue=clue, action=Action.FILING_EXTEND)
    reason = _require(reason, "延长期限须说明特殊情况", "An extension needs its reason")
    with transaction.atomic(), acting(user, via="clues"):
        ext = clock_extend(
            item=_running(clue),
            length=clock_get(CLOCK).max_extension,
            approved_by=user,
            approved_on=timezone.localtime(now).date(),
            basis=reason,
        )
        clue.refresh_from_db()
        return _record(
            clue,
            Action.FILING_EXTEND,
            user,
            from_state=clue.state,
            comment=f"经负责人批准延长{ext.length}个工作日：{reason}；立案决定期限为 {clue.filing_due}",
            now=now,
        )


def clue_filing_decided(
    *,
    clue: Clue,
    user: User,
    filed: bool,
    case_number: str = "",
    case_url: str = "",
    reason: str = "",
    now: dt.datetime | None = None,
) -> ClueEvent:
    """The bureau's head decided: 立案 (the clue closes as 立案查处, linked to its case) or 不予立案.

    Called by the case app once the 立案审批表 or 不予立案审批表 is approved; named reporters are told
    (投诉举报处理暂行办法 art. 31) by their own duties.
    """
    now = now or timezone.now()
    action = Action.FILE_CASE if filed else Action.NOT_FILED
    transition_check(user=user, clue=clue, action=action)
    if filed:
        case_number = _require(case_number, "立案须有立案编号", "A case number is required")
    else:
        reason = _require(reason, "不予立案须说明理由", "A reason is required for 不予立案")
    if filed and clue.check_result == CheckResult.FALSE:
        raise ValidationFailed("核查不属实的线索不能立案", "A clue found untrue cannot be filed as a case")
    with transaction.atomic(), acting(user, via="clues"):
        on_time = clue.filing_due is None or timezone.localtime(now).date() <= clue.filing_due
        from_state = clue.state
        clue.disposal = Disposal.CASE if filed else Disposal.NO_ACTION
        clue.disposal_note = f"不予立案：{reason}" if not filed else ""
        clue.case_number = case_number if filed else ""
        clue.case_url = case_url[:200] if filed else ""
        clue.closed_at = now
        result = f"立案：{case_number}" if filed else f"不予立案：{reason}"
        _duty_end(clue, user=user, result=result, state=WorkItemState.DONE, now=now)
        filing_end(clue, user=user, result=result, state=WorkItemState.DONE, now=now)
        clue.state = TRANSITIONS[action].target
        clue.save()
        event = _record(
            clue,
            action,
            user,
            from_state=from_state,
            comment=result,
            now=now,
            detail={"disposal": clue.disposal, "on_time": on_time, "filing_due": str(clue.filing_due or "")},
        )
        _reporters_to_tell(clue, now)
        notify(
            key=f"clue{clue.pk}:closed",
            users=office_users(clue.bureau_id),
            kind=MessageKind.STATE,
            title=f"线索 {clue.number} 已办结：{'立案查处' if filed else '不予立案'}",
            body=result,
            clue=clue,
            now=now,
        )
    return event
