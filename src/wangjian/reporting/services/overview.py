"""The superior's overview: per template and period, who submitted, was returned, was accepted, is late; the
sum across subordinates of each figure over the accepted reports only; and the same as an Excel sheet."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from wangjian.platform import statistics
from wangjian.reporting import periods, selectors
from wangjian.reporting.choices import Outcome, ReportState
from wangjian.reporting.models import Report, ReportTemplate, Revision
from wangjian.reporting.services.common import text


@dataclass
class Row:
    code: str
    name: str
    report: Report | None
    revisions: list[Revision] = field(default_factory=list)
    late: bool = False
    values: dict[str, Decimal | None] = field(default_factory=dict)  # the accepted revision's

    @property
    def state(self) -> str:
        return self.report.state if self.report else ""

    @property
    def state_label(self) -> str:
        return self.report.get_state_display() if self.report else "未开启"

    @property
    def returned_times(self) -> int:
        return sum(1 for r in self.revisions if r.outcome == Outcome.RETURNED)


@dataclass
class Overview:
    template: ReportTemplate
    period: periods.ReportPeriod
    figures: list[tuple[str, str, str]]  # key, label, unit
    rows: list[Row]
    totals: dict[str, Decimal]

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows if r.state == state)

    @property
    def late(self) -> int:
        return sum(1 for r in self.rows if r.late)

    @property
    def accepted(self) -> int:
        return self.count(ReportState.ACCEPTED)


def _labels(template: ReportTemplate, revisions: list[Revision]) -> list[tuple[str, str, str]]:
    known: dict[str, tuple[str, str]] = {}
    for revision in revisions:
        for f in revision.figures.all():
            known.setdefault(f.key, (f.label, f.unit))
    out = []
    for key in template.figures:
        if key not in known and key in statistics.keys():
            figure = statistics.get(key)
            known[key] = (figure.label_zh, figure.unit)
        label, unit = known.get(key, (key, ""))
        out.append((key, label, unit))
    return out


def overview(*, template: ReportTemplate, period: periods.ReportPeriod, today: dt.date) -> Overview:
    reports = list(
        Report.objects.filter(template=template, period_start=period.start)
        .select_related("bureau")
        .prefetch_related("revisions__figures")
    )
    by_bureau = {r.bureau_id: r for r in reports if r.bureau_id}
    rows: list[Row] = []
    for bureau in selectors.subordinates_of(template) if template.bureau_id else []:
        rows.append(Row(bureau.code, bureau.name, by_bureau.pop(bureau.pk, None)))
    for report in [*by_bureau.values(), *(r for r in reports if not r.bureau_id)]:
        rows.append(Row(report.bureau_code, report.bureau_name, report))
    revisions_all: list[Revision] = []
    totals = {key: Decimal(0) for key in template.figures}
    for row in rows:
        if row.report is None:
            continue
        row.revisions = sorted(row.report.revisions.all(), key=lambda r: r.number)
        revisions_all += row.revisions
        open_late = row.report.state in (ReportState.OPEN, ReportState.RETURNED) and (
            row.report.due is not None and today > row.report.due
        )
        row.late = row.report.late or open_late
        if row.report.state == ReportState.ACCEPTED:
            accepted = next((r for r in reversed(row.revisions) if r.outcome == Outcome.ACCEPTED), None)
            for f in accepted.figures.all() if accepted else []:
                row.values[f.key] = f.value
                if f.key in totals and f.value is not None:
                    totals[f.key] += f.value
    return Overview(template, period, _labels(template, revisions_all), rows, totals)


def overview_xlsx(*, template: ReportTemplate, period: periods.ReportPeriod, today: dt.date) -> bytes:
    """One sheet: a row per subordinate (state, late, revisions, accepted values), the sum of the accepted."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from wangjian.core.exports import xlsx_append

    data = overview(template=template, period=period, today=today)
    book = Workbook()
    sheet = book.active
    sheet.title = period.label[:31]
    xlsx_append(sheet, [f"{template.name}（{period.label_zh}）报送情况"])
    sheet["A1"].font = Font(bold=True, size=14)
    xlsx_append(
        sheet,
        [
            f"上级局：{template.superior_name}　统计期间：{period.start} 至 {period.end}　"
            f"导出日期：{today}　合计只计审核通过的报送"
        ],
    )
    header = ["行政区划代码", "报送单位", "状态", "逾期", "版本数", "退回次数"]
    header += [f"{label}（{unit}）" for _key, label, unit in data.figures]
    xlsx_append(sheet, header)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in data.rows:
        values = [row.values.get(key) for key, _l, _u in data.figures]
        xlsx_append(
            sheet,
            [
                row.code,
                row.name,
                row.state_label,
                "是" if row.late else "",
                len(row.revisions),
                row.returned_times,
                *[float(v) if v is not None else None for v in values],
            ],
        )
    xlsx_append(
        sheet,
        ["", f"合计（审核通过 {data.accepted} 个）", "", f"逾期 {data.late} 个", "", ""]
        + [float(data.totals[key]) for key, _l, _u in data.figures],
    )
    sheet.column_dimensions["B"].width = 28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def overview_text(value: Decimal | None) -> str:
    return text(value) if value is not None else "—"
