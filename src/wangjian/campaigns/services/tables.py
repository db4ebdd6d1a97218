"""Each unit's table (统计表): computed from the system where a figure exists, entered where none does.

A computed value is shown beside what the unit entered; an entry that differs from it needs a reason,
and keeps it with the computed value as it was. On submission the computed values are fixed (a later
correction of the records does not change a submitted table). The office reads every unit's table for
a month with totals and the late units, and exports the month as XLSX.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.campaigns import columns as column_defs
from wangjian.campaigns import selectors
from wangjian.campaigns.models import CampaignUnit, Period, ReportState, ReportValue, UnitReport
from wangjian.campaigns.permissions import CAMPAIGN_REPORT
from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.org import permissions
from wangjian.org.models import User
from wangjian.platform import statistics


@dataclass
class Cell:
    column: column_defs.Column
    computed: Decimal | None = None  # from the system (None: no figure for this unit, entered)
    entered: Decimal | None = None
    reason: str = ""

    @property
    def value(self) -> Decimal | None:
        return self.entered if self.entered is not None else self.computed

    @property
    def changed(self) -> bool:
        return self.computed is not None and self.entered is not None and self.entered != self.computed

    @property
    def is_computed(self) -> bool:
        return self.computed is not None


@dataclass
class Row:
    unit: CampaignUnit
    report: UnitReport | None
    cells: list[Cell]
    late: bool = False

    @property
    def submitted(self) -> bool:
        return bool(self.report and self.report.state == ReportState.SUBMITTED)


@dataclass
class Overview:
    period: Period
    columns: list[column_defs.Column]
    rows: list[Row] = field(default_factory=list)
    totals: list[Decimal] = field(default_factory=list)

    @property
    def late(self) -> list[Row]:
        return [r for r in self.rows if r.late]


def report_for(*, period: Period, unit: CampaignUnit) -> UnitReport:
    report, _ = UnitReport.objects.get_or_create(period=period, unit=unit)
    return report


def computed(
    unit: CampaignUnit, period: Period, cols: list[column_defs.Column] | None = None
) -> dict[str, Decimal | None]:
    """Each column's value from the statistics registry for the unit and the period; ``None`` where the
    column names no figure or the figure cannot be read for this unit (no station filter on cases …)."""
    cols = cols or column_defs.columns_of(period.campaign)
    scope = selectors.unit_scope(unit)
    out: dict[str, Decimal | None] = {}
    for col in cols:
        if not col.figure:
            out[col.key] = None
            continue
        try:
            number = statistics.value(col.figure, scope, period.start, period.end)
        except WangjianError:
            out[col.key] = None
            continue
        out[col.key] = col.scaled(number)
    return out


def cells(report: UnitReport, *, live: dict | None = None) -> list[Cell]:
    """The table's cells: a submitted table's fixed values, a draft's computed live."""
    cols = column_defs.columns_of(report.period.campaign)
    stored = {v.column: v for v in report.values.all()}
    if report.state != ReportState.SUBMITTED:
        live = live if live is not None else computed(report.unit, report.period, cols)
    out = []
    for col in cols:
        value = stored.get(col.key)
        comp = value.computed if (value is not None and report.state == ReportState.SUBMITTED) else None
        if report.state != ReportState.SUBMITTED:
            comp = live.get(col.key)
        out.append(
            Cell(
                column=col,
                computed=comp,
                entered=value.entered if value else None,
                reason=value.reason if value else "",
            )
        )
    return out


def require_report(user: User | None, report: UnitReport) -> None:
    if user is not None:
        permissions.require(user, CAMPAIGN_REPORT)
    if not selectors.may_report(user, report.unit):
        raise PermissionDeniedError("只能填报本单位的统计表", "You fill in your own unit's table only")


def _number(text: Any, label: str) -> Decimal | None:
    if text is None or str(text).strip() == "":
        return None
    try:
        number = Decimal(str(text).strip()).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"“{label}”应为数字", f"'{label}' must be a number") from None
    if number < 0:
        raise ValidationFailed(f"“{label}”不能为负数", f"'{label}' cannot be negative")
    return number


def report_save(
    *,
    report: UnitReport,
    user: User | None,
    values: dict[str, Any],
    reasons: dict[str, str] | None = None,
    text: str | None = None,
    now: dt.datetime | None = None,
) -> UnitReport:
    """Keep the unit's entries: a value that differs from the computed one is refused without a reason,
    and kept with its reason and the computed value."""
    require_report(user, report)
    if report.state == ReportState.SUBMITTED:
        raise ValidationFailed(
            "统计表已报送，不能修改；如需更正请联系办公室退回", "The table was submitted already"
        )
    now = now or timezone.now()
    reasons = reasons or {}
    live = computed(report.unit, report.period)
    cols = {c.key: c for c in column_defs.columns_of(report.period.campaign)}
    rows = []
    for key, raw in values.items():
        col = cols.get(key)
        if col is None:
            raise ValidationFailed(f"统计表没有栏目“{key}”", f"The table has no column {key!r}")
        entered = _number(raw, col.label)
        comp = live.get(key)
        reason = (reasons.get(key) or "").strip()
        if comp is not None and entered is not None and entered != comp:
            if not reason:
                raise ValidationFailed(
                    f"“{col.label}”的系统统计值为 {comp}，改为 {entered} 须填写修改理由",
                    f"'{col.label}' is {comp} by the system; changing it to {entered} needs a reason",
                    detail={"column": key, "computed": str(comp)},
                )
        if comp is not None and entered == comp:
            entered, reason = None, ""  # the same as the system's: nothing entered
        if comp is not None and entered is None:
            reason = ""
        rows.append((key, comp, entered, reason))
    with transaction.atomic():
        for key, comp, entered, reason in rows:
            ReportValue.objects.update_or_create(
                report=report,
                column=key,
                defaults={
                    "computed": comp,
                    "entered": entered,
                    "reason": reason,
                    "edited_by": user if getattr(user, "pk", None) else None,
                    "edited_at": now,
                },
            )
        if text is not None:
            report.text = text.strip()
            report.save(update_fields=["text"])
    return report


def report_submit(*, report: UnitReport, user: User | None, now: dt.datetime | None = None) -> UnitReport:
    """Submit: every entered column filled, a brief text written; the computed values are fixed as they are now."""
    require_report(user, report)
    if report.state == ReportState.SUBMITTED:
        raise ValidationFailed("统计表已报送", "The table was submitted already")
    now = now or timezone.now()
    current = cells(report)
    missing = [c.column.label for c in current if c.computed is None and c.entered is None]
    if missing and report.period.kind == "month":
        raise ValidationFailed(
            f"请填写：{'、'.join(missing)}",
            f"Fill in: {', '.join(c.column.key for c in current if c.value is None)}",
        )
    if not report.text.strip():
        raise ValidationFailed("请填写文字说明", "Write the brief text (文字说明)")
    with transaction.atomic():
        for cell in current:
            ReportValue.objects.update_or_create(
                report=report,
                column=cell.column.key,
                defaults={"computed": cell.computed, "entered": cell.entered, "reason": cell.reason},
            )
        report.state = ReportState.SUBMITTED
        report.submitted_at = now
        report.submitted_by = user if getattr(user, "pk", None) else None
        report.late = report.late or timezone.localtime(now).date() > report.period.due
        report.save()
    return report


def report_return(*, report: UnitReport, user: User | None) -> UnitReport:
    """The office sends a submitted table back to the unit for correction."""
    from wangjian.campaigns.services.plan import require_manage

    require_manage(user, report.period.campaign)
    report.state = ReportState.DRAFT
    report.save(update_fields=["state"])
    return report


def overview(*, period: Period, today: dt.date) -> Overview:
    """Every unit's table for the period, with totals per column and who is late (past due without a table)."""
    cols = column_defs.columns_of(period.campaign)
    reports = {
        r.unit_id: r
        for r in UnitReport.objects.filter(period=period)
        .prefetch_related("values")
        .select_related("period__campaign")
    }
    result = Overview(period=period, columns=cols)
    totals = [Decimal(0) for _ in cols]
    for unit in period.campaign.units.select_related("department", "station", "bureau", "campaign"):
        report = reports.get(unit.pk)
        if report is not None:
            row_cells = cells(report)
        else:
            live = computed(unit, period, cols)
            row_cells = [Cell(column=c, computed=live.get(c.key)) for c in cols]
        submitted = report is not None and report.state == ReportState.SUBMITTED
        late = bool(report and report.late) or (not submitted and today > period.due)
        result.rows.append(Row(unit=unit, report=report, cells=row_cells, late=late))
        for i, cell in enumerate(row_cells):
            totals[i] += cell.value or 0
    result.totals = totals
    return result


def overview_xlsx(*, period: Period, today: dt.date) -> bytes:
    """The month as one sheet: a row per unit, the totals, who is late, each unit's text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from wangjian.core.exports import xlsx_append

    data = overview(period=period, today=today)
    campaign = period.campaign
    book = Workbook()
    sheet = book.active
    sheet.title = period.label[:31]
    xlsx_append(sheet, [f"{campaign.title}统计表（{period.label}）"])
    sheet["A1"].font = Font(bold=True, size=14)
    xlsx_append(
        sheet,
        [f"填报单位：{campaign.bureau}　统计期间：{period.start} 至 {period.end}　报送期限：{period.due}"],
    )
    header = ["单位", *[f"{c.label}（{c.unit}）" for c in data.columns], "状态", "文字说明"]
    xlsx_append(sheet, header)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in data.rows:
        state = "已报送" if row.submitted else "未报送"
        if row.late:
            state += "（逾期）"
        xlsx_append(
            sheet,
            [
                str(row.unit),
                *[float(c.value) if c.value is not None else None for c in row.cells],
                state,
                row.report.text if row.report else "",
            ],
        )
    xlsx_append(sheet, ["合计", *[float(t) for t in data.totals], f"逾期{len(data.late)}个", ""])
    sheet.column_dimensions["A"].width = 24
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
