"""The steps of each outreach record, one table for the pages, the API and the service: label, input, when open.

``outreach_act`` checks who may act (``common.may_act``), that the step is open for the record, then calls the
step's service; the page and the API show its refusal in the same words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.core.errors import ValidationFailed, WangjianError
from wangjian.org.models import User
from wangjian.outreach.choices import Answer, Assessment, GuidanceState
from wangjian.outreach.services import authorities, guidance, requests
from wangjian.outreach.services.common import may_act

GUIDANCE, REQUEST, AUTHORITY_REQUEST = "guidance", "request", "authority_request"


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text | textarea | date | check | select | file | number | item
    choices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Step:
    label: str
    fields: tuple[Field, ...]
    open: Callable[[Any], bool]
    run: Callable[..., str]


ANSWERS = tuple((v, str(label)) for v, label in Answer.choices)
ASSESSMENTS = tuple((v, str(label)) for v, label in Assessment.choices)

STEPS: dict[tuple[str, str], Step] = {
    (GUIDANCE, "item_done"): Step(
        "登记整改事项完成",
        (
            Field("item", "整改事项", "item"),
            Field("done_on", "完成日期", "date"),
            Field("note", "完成情况", "textarea"),
        ),
        # read from the items as loaded (the lists prefetch them): no query per row
        lambda g: g.state != GuidanceState.CLOSED and any(item.done_on is None for item in g.items.all()),
        lambda obj, user, values, now: guidance.item_done(guidance=obj, user=user, values=values, now=now),
    ),
    (GUIDANCE, "report"): Step(
        "登记平台整改报告",
        (
            Field("received_on", "收到日期", "date"),
            Field("report", "整改报告摘要", "textarea"),
            Field("file", "整改报告文件", "file"),
        ),
        lambda g: g.state == GuidanceState.OPEN,
        lambda obj, user, values, now: guidance.rectification_report(
            guidance=obj, user=user, values=values, now=now
        ),
    ),
    (GUIDANCE, "assess"): Step(
        "评估整改情况并办结",
        (
            Field("assessment", "评估结论", "select", ASSESSMENTS),
            Field("assessed_on", "评估日期", "date"),
            Field("note", "评估意见", "textarea"),
        ),
        lambda g: g.state != GuidanceState.CLOSED,
        lambda obj, user, values, now: guidance.assess(guidance=obj, user=user, values=values, now=now),
    ),
    (REQUEST, "answer"): Step(
        "登记平台答复",
        (
            Field("answered_on", "答复日期", "date"),
            Field("answer", "答复", "select", ANSWERS),
            Field("reason", "未办理部分的理由", "textarea"),
            Field("links_removed", "已下架链接数（下架请求）", "number"),
            Field("file", "答复文件", "file"),
        ),
        lambda r: r.answered_on is None,
        lambda obj, user, values, now: requests.request_answer(
            request=obj, user=user, values=values, now=now
        ),
    ),
    (AUTHORITY_REQUEST, "receipt"): Step(
        "登记回执",
        (Field("received_on", "回执日期", "date"), Field("file", "回执文件", "file")),
        lambda r: not r.from_case and r.receipt_on is None,
        lambda obj, user, values, now: authorities.authority_receipt(
            request=obj, user=user, values=values, now=now
        ),
    ),
    (AUTHORITY_REQUEST, "outcome"): Step(
        "登记处理结果",
        (Field("outcome_on", "处理结果日期", "date"), Field("outcome", "接收部门的处理结果", "textarea")),
        lambda r: not r.from_case and r.receipt_on is not None and r.outcome_on is None,
        lambda obj, user, values, now: authorities.authority_outcome(
            request=obj, user=user, values=values, now=now
        ),
    ),
}


def steps_of(record: str) -> list[str]:
    return [a for (r, a) in STEPS if r == record]


def allowed_steps(*, user: User, record: str, obj: Any) -> list[str]:
    """The steps open for ``obj`` that ``user`` may take (an empty list for who may not act)."""
    try:
        may_act(user, obj.bureau_id)
    except WangjianError:
        return []
    return [a for a in steps_of(record) if STEPS[(record, a)].open(obj)]


def outreach_act(
    *,
    record: str,
    obj: Any,
    user: User | None,
    action: str,
    values: dict[str, Any],
    now: dt.datetime | None = None,
) -> str:
    """Take step ``action`` of ``obj``: who may, then whether it is open, then the step's own rules."""
    now = now or timezone.now()
    step = STEPS.get((record, action))
    if step is None:
        raise ValidationFailed(f"没有该步骤：{action}", f"No such step: {action}")
    may_act(user, obj.bureau_id)
    if not step.open(obj):
        raise ValidationFailed(f"当前不能“{step.label}”", f"'{action}' is not open for this record")
    with transaction.atomic():
        return step.run(obj, user, values, now)
