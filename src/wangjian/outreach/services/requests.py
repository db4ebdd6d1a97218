"""Requests to a platform: take listings down (下架/删除链接), hand data over (调取数据), stop serving a seller.

The letter is numbered; the platform's answer is due on the bureau's work rule (``outreach.takedown``,
``outreach.data``, ``outreach.block``), followed up by a work item; an answer after the deadline is flagged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.core.errors import ValidationFailed
from wangjian.org.models import User
from wangjian.outreach import clocks
from wangjian.outreach.choices import Answer, RequestKind
from wangjian.outreach.models import PlatformRequest
from wangjian.outreach.services.common import day, lines, may_act, need, not_before, today_of
from wangjian.outreach.services.duties import file_check
from wangjian.platform.numbering.services import number_issue


def request_send(
    *, request: PlatformRequest, user: User | None, now: dt.datetime | None = None
) -> PlatformRequest:
    """Send a request to a platform: what it asks (the links, the data, the seller) and its legal basis."""
    now = now or timezone.now()
    may_act(user, request.bureau_id)
    if request.platform.bureau_id != request.bureau_id:
        raise ValidationFailed("平台不属于该局", "The platform belongs to another bureau")
    if request.kind not in RequestKind.values:
        raise ValidationFailed("请选择请求类型", "Choose the kind of request")
    request.sent_on = day(request.sent_on, today_of(now), name="sent_on", default=today_of(now))
    request.basis = need(request.basis, "请填写法律依据", "Give the legal basis")
    if request.kind == RequestKind.TAKEDOWN:
        urls = lines(request.urls)
        if not urls:
            raise ValidationFailed("下架/删除链接请求须列明链接", "A takedown lists its links")
        request.urls, request.link_count = "\n".join(urls), len(urls)
    elif request.kind == RequestKind.DATA:
        request.data_scope = need(request.data_scope, "请填写调取的数据", "Say what data is asked for")
        if request.period_from and request.period_to and request.period_to < request.period_from:
            raise ValidationFailed("数据期间的结束早于开始", "The period ends before it starts")
    else:
        request.seller = need(request.seller, "请填写平台内经营者", "Name the seller")
        request.measure = need(request.measure, "请填写要求采取的措施", "Say what the platform is to do")
    file_check(request.file)
    request.created_by = user if getattr(user, "pk", None) else None
    with transaction.atomic():
        request.save()
        request.number = number_issue(
            bureau=request.bureau, kind="outreach_platform_request", subject=request, user=user, now=now
        ).number
        work = clocks.item_open(
            request,
            clocks.REQUEST_CLOCKS[request.kind],
            bureau=request.bureau,
            start=request.sent_on,
            now=now,
            title=f"{request.platform}：{request.get_kind_display()}",
            reference=request.number,
        )
        request.due, request.due_basis = work.due, work.due_basis
        request.save()
    return request


def request_answer(
    *, request: PlatformRequest, user: User | None, values: dict[str, Any], now: dt.datetime
) -> str:
    """The platform's answer — done, partly, refused with its reason — and, for a takedown, the links removed."""
    if request.answered_on:
        raise ValidationFailed("已登记平台答复", "The answer is recorded already")
    answered = day(values.get("answered_on"), today_of(now), name="answered_on")
    not_before(answered, request.sent_on, "答复日期早于发函日期", "An answer before the letter")
    answer = str(values.get("answer") or "")
    if answer not in Answer.values:
        raise ValidationFailed("请选择平台的答复", "Choose the platform's answer")
    reason = str(values.get("reason") or "").strip()
    if answer != Answer.DONE and not reason:
        raise ValidationFailed("部分办理或拒绝办理的，请记录平台的理由", "Record the platform's reason")
    removed = 0
    if request.kind == RequestKind.TAKEDOWN:
        raw = values.get("links_removed")
        removed = request.link_count if answer == Answer.DONE and raw in (None, "") else _count(raw)
        if removed > request.link_count:
            raise ValidationFailed(
                f"已下架链接数不能多于请求的 {request.link_count} 个", f"At most {request.link_count} links"
            )
        if answer == Answer.REFUSED:
            removed = 0
    request.answered_on, request.answer, request.answer_reason = answered, answer, reason
    request.links_removed = removed
    request.answered_late = bool(request.due and answered > request.due)
    if values.get("file"):
        file_check(values["file"])
        request.answer_file = values["file"]
    late = f"；逾期答复（期限 {request.due:%Y-%m-%d}）" if request.answered_late else ""
    with transaction.atomic():
        request.save()
        clocks.item_end(
            request,
            clocks.REQUEST_CLOCKS[request.kind],
            user,
            f"平台答复：{request.get_answer_display()}{late}",
            now,
        )
    return f"已登记平台答复：{request.get_answer_display()}{late}"


def _count(raw: Any) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValidationFailed("已下架链接数应为整数", "The links removed is a whole number") from None
    if value < 0:
        raise ValidationFailed("已下架链接数不能为负数", "The links removed cannot be negative")
    return value
