"""报送事项: the superior bureau's office defines what the bureaus below report, how often and by when.

A template names figures of the statistics registry (``platform.statistics``) — each is computed for the
reporting bureau (and the bureaus below it: a bureau reports for its whole area) over the period, with the
口径 the registry writes beside it — and, for figures whose records the registry can list, asks for the
records' list as well (its address and count, kept with the revision). The due date is a work rule:
N working days after the period ends.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.org import permissions
from wangjian.org.models import Bureau, User
from wangjian.platform import statistics
from wangjian.reporting import periods, selectors
from wangjian.reporting.choices import PeriodKind
from wangjian.reporting.models import ReportTemplate
from wangjian.reporting.permissions import REPORTING_TEMPLATE

KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
MAX_DUE_DAYS = 60


def _keys(raw: Any, label: str, label_en: str) -> list[str]:
    if isinstance(raw, str):
        raw = [k for k in re.split(r"[\s,，、]+", raw) if k]
    out: list[str] = []
    for key in raw or []:
        key = str(key).strip()
        if key and key not in out:
            out.append(key)
    unknown = [k for k in out if k not in statistics.keys()]
    if unknown:
        raise ValidationFailed(
            f"{label}中有未登记的统计指标：{'、'.join(unknown)}",
            f"{label_en} names figures the statistics registry does not have: {', '.join(unknown)}",
            detail={"unknown": unknown},
        )
    return out


def template_check(
    *,
    bureau: Bureau,
    user: User | None,
    name: str,
    figures: Any,
    period_kind: str,
    due_days: Any = 5,
    records: Any = (),
    subordinates: list[Bureau] | None = None,
    key: str = "",
    template: ReportTemplate | None = None,
) -> dict[str, Any]:
    """The template's fields checked (for the page and the API alike), or the refusal naming what is wrong."""
    if user is not None:
        permissions.require(user, REPORTING_TEMPLATE)
    if not selectors.may_define(user, bureau):
        raise PermissionDeniedError(
            "只能由本局办公室制定要求下级局报送的事项",
            "Only the bureau's own office defines what the bureaus below report to it",
        )
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("请填写报送事项名称", "Give the template a name")
    if period_kind not in PeriodKind.values:
        raise ValidationFailed(
            "报送周期应为月、季度、半年或年", "The period is a month, a quarter, a half-year or a year"
        )
    figure_keys = _keys(figures, "统计指标", "The figures")
    if not figure_keys:
        raise ValidationFailed("请至少选择一项统计指标", "Choose at least one figure")
    record_keys = _keys(records, "记录清单", "The record lists")
    outside = [k for k in record_keys if k not in figure_keys]
    if outside:
        raise ValidationFailed(
            f"附记录清单的指标须在所报指标之中：{'、'.join(outside)}",
            f"Record lists are asked only for figures of the template: {', '.join(outside)}",
        )
    try:
        days = int(str(due_days).strip())
    except (TypeError, ValueError):
        raise ValidationFailed(
            "报送期限应为工作日数（整数）", "The due date is a number of working days"
        ) from None
    if not 1 <= days <= MAX_DUE_DAYS:
        raise ValidationFailed(
            f"报送期限应在1至{MAX_DUE_DAYS}个工作日之间", f"The due date is 1 to {MAX_DUE_DAYS} working days"
        )
    children = set(Bureau.objects.filter(parent=bureau).values_list("pk", flat=True))
    chosen = list(subordinates or [])
    strangers = [b.name for b in chosen if b.pk not in children]
    if strangers:
        raise ValidationFailed(
            f"报送单位只能是本局的直属下级局：{'、'.join(strangers)}",
            f"Only the bureau's direct children report to it: {', '.join(strangers)}",
        )
    if not chosen and not children:
        raise ValidationFailed(
            "本局没有下级局，无需制定报送事项", "The bureau has no bureaus below it to report to it"
        )
    key = (key or "").strip().lower()
    if key and not KEY.match(key):
        raise ValidationFailed(
            "事项代码只能由小写字母、数字和连字符组成（不超过40个字符）",
            "The key is lower-case letters, digits and hyphens (40 at most)",
        )
    if key:
        clash = ReportTemplate.objects.filter(bureau=bureau, key=key)
        if template is not None and template.pk:
            clash = clash.exclude(pk=template.pk)
        if clash.exists():
            raise ValidationFailed(
                f"本局已有代码为 {key} 的报送事项", f"The bureau has a template {key} already"
            )
    return {
        "name": name[:200],
        "figures": figure_keys,
        "records": record_keys,
        "period_kind": period_kind,
        "due_days": days,
        "key": key,
        "subordinates": chosen,
    }


def _free_key(bureau: Bureau, period_kind: str) -> str:
    taken = set(ReportTemplate.objects.filter(bureau=bureau).values_list("key", flat=True))
    n = 1
    while f"{period_kind}-{n}" in taken:
        n += 1
    return f"{period_kind}-{n}"


def template_save(
    *,
    bureau: Bureau,
    user: User | None,
    name: str,
    figures: Any,
    period_kind: str,
    due_days: Any = 5,
    records: Any = (),
    subordinates: list[Bureau] | None = None,
    key: str = "",
    instructions: str = "",
    starts_on: dt.date | None = None,
    active: bool = True,
    template: ReportTemplate | None = None,
    today: dt.date | None = None,
) -> ReportTemplate:
    """Define (or change) a template. A change applies to reports opened afterwards; submitted revisions keep
    the figures and 口径 they were sent with."""
    if template is not None and template.pk and template.bureau_id != getattr(bureau, "pk", None):
        raise ValidationFailed("报送事项不能改到其他局", "A template stays with its bureau")
    data = template_check(
        bureau=bureau,
        user=user,
        name=name,
        figures=figures,
        period_kind=period_kind,
        due_days=due_days,
        records=records,
        subordinates=subordinates,
        key=key,
        template=template,
    )
    chosen = data.pop("subordinates")
    if template is None:
        template = ReportTemplate(bureau=bureau, created_by=user if getattr(user, "pk", None) else None)
    for field, value in data.items():
        setattr(template, field, value)
    template.key = template.key or _free_key(bureau, template.period_kind)
    template.instructions = (instructions or "").strip()
    template.active = bool(active)
    if starts_on is not None:
        template.starts_on = starts_on
    elif not template.starts_on:
        # from the period it is defined in (reported once it ends): no report is owed for earlier periods
        template.starts_on = periods.containing(template.period_kind, today or timezone.localdate()).start
    with transaction.atomic():
        template.save()
        template.subordinates.set(chosen)
    return template
