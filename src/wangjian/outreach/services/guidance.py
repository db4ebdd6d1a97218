"""行政指导 of a platform — 约谈, 提示, 告诫, 建议 (旌德 方案 三(二)1; 天津 方案 五(三)) — and its follow-up.

Each item the platform is to put right has a deadline (given, or the bureau's work rule ``outreach.rectification``
from the day of the guidance) and a work item that reminds, goes overdue and to 督办; the platform's
rectification report and the officer's assessment close it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.core.errors import ValidationFailed
from wangjian.org.models import User
from wangjian.outreach import clocks
from wangjian.outreach.choices import Assessment, GuidanceState
from wangjian.outreach.models import Guidance, GuidanceItem
from wangjian.outreach.services.common import day, may_act, need, not_before, today_of
from wangjian.outreach.services.duties import file_check
from wangjian.platform.numbering.services import number_issue
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.models import WorkItemState
from wangjian.platform.workitems.services import workitem_finish


def guidance_record(
    *,
    guidance: Guidance,
    items: list[tuple[str, dt.date | None]],
    user: User | None,
    now: dt.datetime | None = None,
) -> Guidance:
    """Record a 约谈 (提示, 告诫, 建议): numbered, with its follow-up items each on a deadline."""
    now = now or timezone.now()
    may_act(user, guidance.bureau_id)
    if guidance.platform.bureau_id != guidance.bureau_id:
        raise ValidationFailed("平台不属于该局", "The platform belongs to another bureau")
    today = today_of(now)
    guidance.held_on = day(guidance.held_on, today, name="held_on")
    guidance.matters = need(guidance.matters, "请填写指出的问题和要求", "Write the matters raised")
    file_check(guidance.file)
    wanted = [(need(text, "整改事项不能为空", "A follow-up item needs its text"), due) for text, due in items]
    for _text, due in wanted:
        if due is not None:
            not_before(due, guidance.held_on, "整改期限早于指导日期", "A deadline before the guidance")
    guidance.created_by = user if getattr(user, "pk", None) else None
    with transaction.atomic():
        guidance.save()
        guidance.number = number_issue(
            bureau=guidance.bureau, kind="outreach_guidance", subject=guidance, user=user, now=now
        ).number
        guidance.save()
        for text, due in wanted:
            item_add(guidance=guidance, text=text, due=due, now=now)
    return guidance


def item_add(*, guidance: Guidance, text: str, due: dt.date | None, now: dt.datetime) -> GuidanceItem:
    item = GuidanceItem(guidance=guidance, text=text, due=due or guidance.held_on)
    item.save()
    work = clocks.item_open(
        item,
        clocks.RECTIFICATION,
        bureau=guidance.bureau,
        start=guidance.held_on,
        due=due,
        now=now,
        title=f"{guidance.platform}：{text[:60]}",
        reference=guidance.number,
        body=guidance.matters,
    )
    item.due, item.due_basis = work.due, (work.due_basis or "")[:300]
    item.save(update_fields=["due", "due_basis"])
    return item


def _item_close(
    item: GuidanceItem, user: User | None, result: str, now: dt.datetime, cancelled: bool = False
) -> None:
    for work in workitem_selectors.items_of(item).filter(state=WorkItemState.OPEN):
        state = WorkItemState.CANCELLED if cancelled else WorkItemState.DONE
        workitem_finish(item=work, user=None, actor=user, result=result, state=state, now=now)


def item_done(*, guidance: Guidance, user: User | None, values: dict[str, Any], now: dt.datetime) -> str:
    today = today_of(now)
    item = guidance.items.filter(pk=str(values.get("item") or "0").strip() or 0).first()
    if item is None:
        raise ValidationFailed("没有该整改事项", "No such follow-up item")
    if item.done_on:
        raise ValidationFailed("该整改事项已完成", "This item is done already")
    item.done_on = day(values.get("done_on"), today, name="done_on", default=today)
    not_before(item.done_on, guidance.held_on, "完成日期早于指导日期", "Done before the guidance")
    item.note = need(str(values.get("note") or ""), "请填写完成情况", "Say what was done")
    late = f"（逾期，期限 {item.due:%Y-%m-%d}）" if item.done_on > item.due else ""
    with transaction.atomic():
        item.save()
        _item_close(item, user, f"{item.note}{late}", now)
    return f"已登记整改事项完成{late}"


def rectification_report(
    *, guidance: Guidance, user: User | None, values: dict[str, Any], now: dt.datetime
) -> str:
    if guidance.state == GuidanceState.CLOSED:
        raise ValidationFailed("该行政指导已评估办结", "This guidance is closed")
    received = day(values.get("received_on"), today_of(now), name="received_on")
    not_before(received, guidance.held_on, "整改报告日期早于指导日期", "A report before the guidance")
    guidance.report_received_on = received
    guidance.report = need(str(values.get("report") or ""), "请填写整改报告摘要", "Summarise the report")
    if values.get("file"):
        file_check(values["file"])
        guidance.report_file = values["file"]
    guidance.state = GuidanceState.REPORTED
    guidance.save()
    return "已登记平台整改报告"


def assess(*, guidance: Guidance, user: User | None, values: dict[str, Any], now: dt.datetime) -> str:
    """The officer's assessment closes the guidance; items still open are closed with it."""
    if guidance.state == GuidanceState.CLOSED:
        raise ValidationFailed("该行政指导已评估办结", "This guidance is closed")
    verdict = str(values.get("assessment") or "")
    if verdict not in Assessment.values:
        raise ValidationFailed("请选择评估结论", "Choose the assessment")
    if guidance.report_received_on is None and verdict != Assessment.NOT_DONE:
        raise ValidationFailed(
            "未收到整改报告的，只能评估为“未整改”", "Without the platform's report the verdict is 'not done'"
        )
    on = day(values.get("assessed_on"), today_of(now), name="assessed_on", default=today_of(now))
    not_before(
        on,
        guidance.report_received_on or guidance.held_on,
        "评估日期早于整改报告",
        "Assessed before the report",
    )
    guidance.assessment, guidance.assessed_on = verdict, on
    guidance.assessment_note = need(str(values.get("note") or ""), "请填写评估意见", "Write the assessment")
    guidance.state = GuidanceState.CLOSED
    with transaction.atomic():
        guidance.save()
        for item in guidance.items.filter(done_on__isnull=True):
            _item_close(item, user, f"评估办结：{Assessment(verdict).label}", now, cancelled=True)
    return f"已评估：{Assessment(verdict).label}"
