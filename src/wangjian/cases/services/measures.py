"""先行登记保存 (程序规定 arts. 33–35: decided within 7 working days) and 查封、扣押 (arts. 36–40: 30 days, once 30
more by the head): approved by the bureau's head, each a work item until it is ended — after a transfer, a
withdrawal or the closing too."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.cases.choices import Action
from wangjian.cases.models import Case, CaseMeasure, MeasureKind
from wangjian.cases.services.clock import case_clock_open
from wangjian.cases.services.inputs import day as _day
from wangjian.cases.services.inputs import not_future as _not_future
from wangjian.cases.services.inputs import own as _own
from wangjian.cases.services.transitions import record, required, transition_check
from wangjian.core.audit import acting
from wangjian.core.errors import ValidationFailed
from wangjian.org.models import User
from wangjian.platform.clocks.catalogue import get as clock_kind
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.models import WorkItem
from wangjian.platform.workitems.services import clock_extend, workitem_finish

PRESERVATION, SEIZURE = "measure.preservation", "measure.seizure"
MEASURE_CLOCKS = {MeasureKind.PRESERVATION: PRESERVATION, MeasureKind.SEIZURE: SEIZURE}


def _anchor(measure: CaseMeasure) -> str:
    return f"#measure-{measure.pk}"


def measure_item(measure: CaseMeasure) -> WorkItem | None:
    """The measure's work item: the case's item of its clock that links to the measure on the case page."""
    return (
        workitem_selectors.items_of(measure.case)
        .filter(kind=MEASURE_CLOCKS[measure.kind], url__endswith=_anchor(measure))
        .order_by("-id")
        .first()
    )


def _running_measure(case: Case, value: Any) -> CaseMeasure:
    measure = _own(CaseMeasure, case, value, "措施")
    if not measure.running:
        raise ValidationFailed(
            f"该措施已于 {measure.ended_on} 解除或处理", "The measure has been ended already"
        )
    return measure


def measure_take(
    *,
    case: Case,
    user: User,
    kind: str,
    items: str,
    started_on: Any,
    approved_by: Any,
    urgent: bool = False,
    note: str = "",
    now: dt.datetime | None = None,
) -> CaseMeasure:
    """先行登记保存 (decide within 7 working days, art. 35) or 查封、扣押 (30 days, art. 38), approved by the
    bureau's head (arts. 33, 36; in an emergency taken first, reported and approved within 24 hours)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    transition_check(user=user, case=case, action=Action.MEASURE)
    if kind not in MeasureKind.values:
        raise ValidationFailed("请选择先行登记保存或查封、扣押", "Choose preservation or seizure")
    items = required(items, "请填写物品清单", "List the items")
    started_on = _day(started_on, "请填写采取日期", "Give the date the measure was taken")
    _not_future(started_on, today, "采取日期")
    pk = getattr(approved_by, "pk", approved_by)
    approver = User.objects.filter(pk=pk).first() if pk not in (None, "") else None
    if approver is None or not (
        approver.is_active and approver.is_bureau_head and approver.bureau_id == case.bureau_id
    ):
        raise ValidationFailed(
            "批准人须为本局负责人（程序规定第三十三条、第三十六条）",
            "The measure is approved by a head of the bureau",
        )
    label = MeasureKind(kind).label
    how = f"{approver} 批准"
    if urgent:
        how = f"情况紧急当场采取，二十四小时内向负责人报告并补办批准手续（{approver}）"
    with transaction.atomic(), acting(user, via="cases"):
        measure = CaseMeasure.objects.create(
            case=case,
            kind=kind,
            items=items,
            started_on=started_on,
            approved_by=approver,
            recorded_by=user,
            recorded_at=now,
        )
        title = (
            "先行登记保存：七个工作日内作出处理决定"
            if kind == MeasureKind.PRESERVATION
            else "查封、扣押：期满前解除或作出处理决定"
        )
        item = case_clock_open(case, MEASURE_CLOCKS[kind], title, started_on, now)
        item.url = f"{case.get_absolute_url()}{_anchor(measure)}"
        item.body = items
        item.save(update_fields=["url", "body"])
        measure.due, measure.basis = item.due, item.due_basis
        measure.save(update_fields=["due", "basis"])
        comment = f"{started_on} 采取{label}（{how}）：{items}；期限 {item.due}（{clock_kind(MEASURE_CLOCKS[kind]).basis}）"
        if (note or "").strip():
            comment += f"；{note.strip()}"
        record(
            case,
            Action.MEASURE,
            user,
            from_state=case.state,
            comment=comment,
            detail={"measure": measure.pk, "urgent": bool(urgent)},
            now=now,
        )
    return measure


def measure_extend(
    *, case: Case, user: User, measure: Any, days: Any, reason: str, now: dt.datetime | None = None
) -> CaseMeasure:
    """A 查封、扣押 extended once, by at most 30 days, by the bureau's head (程序规定 art. 38; 行政强制法 art. 25)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    transition_check(user=user, case=case, action=Action.MEASURE_EXTEND)
    measure = _running_measure(case, measure)
    if measure.kind != MeasureKind.SEIZURE:
        raise ValidationFailed(
            "只有查封、扣押可以延长；先行登记保存应当在七个工作日内作出处理决定（程序规定第三十五条）",
            "Only a seizure is extended",
        )
    if measure.extended:
        raise ValidationFailed(
            "查封、扣押的期限只能延长一次，延长期限不得超过三十日（程序规定第三十八条）",
            "A seizure is extended once only",
        )
    if measure.due and today > measure.due:
        raise ValidationFailed(
            f"查封、扣押期限已于 {measure.due} 届满，不能再延长，应当及时解除（行政强制法第二十八条第一款第四项）",
            "The seizure has expired: it cannot be extended",
        )
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ValidationFailed("延长天数应为整数", "The extension is a whole number of days") from None
    if not 1 <= days <= 30:
        raise ValidationFailed(
            "查封、扣押的延长期限不得超过三十日（程序规定第三十八条）", "At most 30 days more"
        )
    reason = required(reason, "延长查封、扣押期限须说明理由", "An extension needs its reason")
    item = measure_item(measure)
    if item is None or not item.is_open:
        raise ValidationFailed("该措施没有在计的期限", "This measure has no running clock")
    with transaction.atomic(), acting(user, via="cases"):
        clock_extend(item=item, length=days, approved_by=user, approved_on=today, basis=reason)
        item.refresh_from_db()
        measure.refresh_from_db()
        measure.due, measure.basis, measure.extended = item.due, item.due_basis, True
        measure.save(update_fields=["due", "basis", "extended"])
        record(
            case,
            Action.MEASURE_EXTEND,
            user,
            from_state=case.state,
            comment=(
                f"经负责人批准延长查封、扣押{days}日：{reason}；期限至 {measure.due}"
                "（程序规定第三十八条；延长的决定应当及时书面告知当事人并说明理由，行政强制法第二十五条）"
            ),
            detail={"measure": measure.pk, "days": days},
            now=now,
        )
    return measure


def measure_end(
    *,
    case: Case,
    user: User,
    measure: Any,
    ended_on: Any,
    outcome: str,
    now: dt.datetime | None = None,
) -> CaseMeasure:
    """The measure lifted or dealt with (解除, 没收, 移送 …); its clock is done — after the case ended too."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    transition_check(user=user, case=case, action=Action.MEASURE_END)
    measure = _running_measure(case, measure)
    ended_on = _day(ended_on, "请填写解除或处理日期", "Give the date the measure ended")
    _not_future(ended_on, today, "解除或处理日期")
    if ended_on < measure.started_on:
        raise ValidationFailed("解除或处理日期不能早于采取日期", "A measure cannot end before it starts")
    outcome = required(outcome, "请填写处理结果", "Say how the measure ended")
    label = measure.get_kind_display()
    comment = f"{ended_on} {label}处理：{outcome}（{measure.started_on} 采取）"
    if measure.due and ended_on > measure.due:
        comment += f"；超过期限 {measure.due}（行政强制法第二十八条：期限届满应当及时解除）"
    with transaction.atomic(), acting(user, via="cases"):
        measure.ended_on, measure.outcome = ended_on, outcome
        measure.save(update_fields=["ended_on", "outcome"])
        item = measure_item(measure)
        if item is not None and item.is_open:
            workitem_finish(item=item, user=None, actor=user, result=f"{ended_on} {outcome}", now=now)
        record(
            case,
            Action.MEASURE_END,
            user,
            from_state=case.state,
            comment=comment,
            detail={"measure": measure.pk},
            now=now,
        )
    return measure


# hooks from the platform's follow-up (registered with the kinds below)


def measure_due_changed(item: WorkItem) -> None:
    """A provisional deadline computed again, or an extension: the measure keeps the item's deadline."""
    _, _, pk = item.url.rpartition("#measure-")
    if pk.isdigit():
        CaseMeasure.objects.filter(pk=int(pk)).update(due=item.due, basis=item.due_basis)
