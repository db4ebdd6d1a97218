"""What every reporting service shares: the figures of a bureau and period, the due dates, the work items."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from wangjian.core.clocks import Period, Unit, compute
from wangjian.core.errors import ValidationFailed, WangjianError
from wangjian.org.models import Bureau, User
from wangjian.platform import statistics
from wangjian.platform.inbox.models import MessageKind
from wangjian.platform.inbox.services import notify
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.models import WorkItem, WorkItemState
from wangjian.platform.workitems.services import deadline_apply, workitem_create, workitem_finish
from wangjian.reporting.clocks import REPORT_ITEM
from wangjian.reporting.models import Report, ReportTemplate

CENT = Decimal("0.01")


def number(value: statistics.Number | None) -> Decimal | None:
    """A figure as kept: a decimal to the fen (counts are whole, money to the fen, rates to two places)."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(CENT)


def entered(raw: Any, label: str) -> Decimal | None:
    """A number typed by an officer (``None`` when left empty), refused in both languages otherwise."""
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "")).quantize(CENT)
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"“{label}”应为数字：{raw}", f"'{label}' must be a number: {raw}") from None
    if value < 0 or value.is_nan() or value.is_infinite():
        raise ValidationFailed(f"“{label}”不能为负数", f"'{label}' cannot be negative")
    return value


def text(value: Decimal | None) -> str:
    """12, 1234.5 → "12", "1234.50": the value as written in a message and a sheet (never a float)."""
    if value is None:
        return ""
    return str(int(value)) if value == value.to_integral_value() else f"{value:.2f}"


def bureau_scope(bureau: Bureau) -> statistics.Scope:
    """A bureau reports for its whole area: itself and the bureaus below it."""
    return statistics.Scope(bureau_ids=frozenset(bureau.descendant_ids()))


@dataclass
class Computed:
    key: str
    figure: statistics.Figure | None  # None: no longer in the registry
    value: Decimal | None
    records_url: str = ""
    problem: str = ""


def computed(template: ReportTemplate, bureau: Bureau, start: dt.date, end: dt.date) -> list[Computed]:
    """Each figure of the template from the statistics registry for the bureau and the period."""
    scope = bureau_scope(bureau)
    out = []
    for key in template.figures:
        try:
            figure = statistics.get(key)
        except WangjianError:
            out.append(Computed(key, None, None, problem="统计指标已不在指标库中"))
            continue
        try:
            value = number(statistics.value(key, scope, start, end))
        except WangjianError as exc:
            out.append(Computed(key, figure, None, problem=exc.zh))
            continue
        url = ""
        if key in (template.records or []) and figure.records_url is not None:
            try:
                url = figure.records_url(scope, start, end)[:500]
            except Exception:  # noqa: BLE001 (an app's link must not stop a report)
                url = ""
        out.append(Computed(key, figure, value, url))
    return out


def due_after(start: dt.date, days: int, rule: str) -> tuple[dt.date, str, bool]:
    """``days`` working days after ``start`` (not counted), with the basis an officer reads."""
    deadline = compute(start=start, period=Period(days, Unit.WORKING_DAYS, rule))
    return deadline.due, deadline.basis_text(), deadline.provisional


def actor_name(user: User | None) -> str:
    if user is None or not getattr(user, "pk", None):
        return "系统"
    return (getattr(user, "name", "") or user.username)[:100]


def office_unit(bureau: Bureau):  # noqa: ANN201
    """The unit a bureau's report is handed to: the leading group's office, else the general office."""
    from wangjian.org.choices import DepartmentKind

    return (
        bureau.office()
        or bureau.departments.filter(kind=DepartmentKind.GENERAL_OFFICE, is_active=True).first()
    )


def item_open(
    report: Report, *, start: dt.date, days: int, title: str, basis: str, now: dt.datetime
) -> WorkItem | None:
    """The report's work item: ``days`` working days from ``start`` (the period's end, or the return), so the
    platform reminds, marks it overdue and lets the office raise a 督办. None where the bureau is on another
    instance or has no office to hand it to."""
    if report.is_external:
        return None
    unit = office_unit(report.bureau)
    if unit is None:
        return None
    item = workitem_create(
        bureau=report.bureau,
        kind=REPORT_ITEM,
        title=title,
        body=basis,
        department=unit,
        working_days=days,
        subject=report,
        reference=report.period_label,
        now=now,
        notify_unit=False,
    )
    if item.start != start:
        item.start = start  # counted from the period's end (or the return), whatever day it is opened
        deadline_apply(item)
    item.due_basis = basis  # the rule's own words (the template's or the return's), not 交办时指定期限
    item.save()
    notify(
        key=f"reporting-item{item.pk}:opened",
        users=workitem_selectors.office_users(report.bureau_id) or workitem_selectors.item_users(item),
        kind=MessageKind.TASK,
        title=f"{title}，请于 {item.due or '—'} 前报送",
        body=item.due_basis,
        subject=report,
        now=now,
    )
    return item


def item_close(report: Report, *, user: User | None, result: str, now: dt.datetime) -> None:
    if report.work_item_id is None:
        return
    item = report.work_item
    if item.state == WorkItemState.OPEN:
        workitem_finish(item=item, user=None, actor=user, result=result, now=now)


def local_day(now: dt.datetime) -> dt.date:
    return timezone.localtime(now).date()


def lock(report: Report) -> None:
    """Lock the report's row and read it again into the caller's instance (a second click, another office)."""
    list(Report.objects.select_for_update(of=("self",)).filter(pk=report.pk).values_list("pk", flat=True))
    report.refresh_from_db()


# What carries a revision up, or the review down, to a bureau on another instance (``reporting.crossing`` fills
# it at start-up with the exchange's signed messages); without it nothing leaves this instance.
OUTBOUND: dict[str, Any] = {
    "submitted": lambda report, user, now: None,
    "reviewed": lambda report, user, now: None,
}
