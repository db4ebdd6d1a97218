"""The Excel statistics tables (统计表), in the layouts the seeds name, opening in Excel and WPS.

- ``campaign`` (the default): 天津's 网络市场监管专项行动情况统计表, reported by every district bureau by the 28th
  of the month. The seed's annex gives no columns, so the default set is the one written in issue 20: presences
  monitored, pages checked, violations found, clues assigned, cases opened, cases closed, fines and confiscations
  (万元), complaints and reports received, losses recovered for consumers (万元), rectifications ordered, 约谈 of
  platforms and businesses, listings taken down. A row for the bureau itself (本级) and one for each bureau
  directly below it with its own subordinates, and a 合计 row when there are bureaus below. 罚没款 adds the
  fines and the confiscations (a 通报 frozen before confiscations were counted shows its fines, as it said
  then); 责令整改 counts clues and decisions (``rectifications``), 约谈 the clues closed with 行政指导/约谈.
  Listings taken down have no record in the system: that column is left blank for the reporting unit to
  fill (the header says so) rather than written as 0.
- ``annex``: the 通报's 附件 (网络市场监管工作统计表): each figure this month, the month before, the change and
  the same month a year before, with its 口径.

Both read the 通报's frozen figures, so the tables say what the 通报 said. Plain workbooks: one sheet, merged
title cells, Chinese headers, number formats, no formulas, macros, tables or conditional formats — what Excel
and WPS both open unchanged.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from wangjian.bulletins.choices import TableLayout
from wangjian.bulletins.models import Bulletin
from wangjian.bulletins.services.periods import as_text
from wangjian.core.errors import ValidationFailed
from wangjian.org.models import Bureau
from wangjian.platform import statistics

TEN_THOUSAND = Decimal(10000)

# (header, figure keys summed, divisor): a column without keys is the reporting unit's to fill.
CAMPAIGN_COLUMNS: tuple[tuple[str, tuple[str, ...], Decimal | None], ...] = (
    ("监测网络经营场所（个）", ("registry_presences",), None),
    ("检查网页（页）", ("monitoring_pages",), None),
    ("发现违法行为（条）", ("findings_confirmed",), None),
    ("交办线索（件）", ("clues_received",), None),
    ("立案（件）", ("cases_opened",), None),
    ("结案（件）", ("cases_closed",), None),
    ("罚没款（万元）", ("cases_fines", "cases_confiscations"), TEN_THOUSAND),
    ("受理投诉举报（件）", ("complaints_received",), None),
    ("为消费者挽回经济损失（万元）", ("complaints_recovered",), TEN_THOUSAND),
    ("责令整改（件）", ("rectifications",), None),
    ("约谈平台和经营者（次）", ("clues_guidance",), None),
    ("下架商品或服务（条）（填报）", (), None),
)
CAMPAIGN_NOTES = (
    "注：1. 数据由系统按统计指标口径生成，每项指标的口径见“指标口径”一栏所列统计指标；下级局一行含其所辖各局。",
    "2. 罚没款为罚款与没收违法所得金额之和（cases_fines、cases_confiscations）；金额单位为万元，保留四位小数。",
    "3. 责令整改为处置结果为责令整改的线索与决定责令改正的案件之和（rectifications）；约谈为处置结果为行政指导/约谈的线索"
    "（clues_guidance）。",
    "4. 标注“（填报）”的栏目系统尚无记录，由填报单位填写。",
)


def _number(text: str | None) -> Decimal | None:
    return None if text in (None, "") else Decimal(str(text))


def campaign_rows(*, bureau: Bureau, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The campaign table's rows for ``bureau`` over the month (frozen with the 通报's figures)."""
    keys = sorted({k for _h, ks, _d in CAMPAIGN_COLUMNS for k in ks if k in statistics.keys()})
    units: list[tuple[str, frozenset[int]]] = [(f"{bureau.name}（本级）", frozenset({bureau.pk}))]
    below = list(Bureau.objects.filter(parent=bureau).order_by("code", "id"))
    units += [(b.name, frozenset(b.descendant_ids())) for b in below]
    if below:
        units.append(("合计", frozenset(bureau.descendant_ids())))
    rows = []
    for name, ids in units:
        reading = statistics.values(statistics.Scope(bureau_ids=ids), start, end, keys=keys, breakdowns=False)
        rows.append({"unit": name, "values": {v.figure.key: as_text(v.value) for v in reading.values}})
    return rows


def _cell_value(
    values: dict[str, str], keys: tuple[str, ...], divisor: Decimal | None
) -> Decimal | int | None:
    present = [_number(values.get(k)) for k in keys if k in values]
    if not keys or not present:
        return None
    total = sum((p for p in present if p is not None), Decimal(0))
    if divisor is not None:
        return (total / divisor).quantize(Decimal("0.0001"))
    return int(total) if total == total.to_integral_value() else total


THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
FONT = "宋体"  # present on every Chinese Windows and in WPS; other systems substitute a CJK font


def _title(ws: Worksheet, row: int, text: str, width: int, size: int = 16, bold: bool = True) -> None:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    cell = ws.cell(row=row, column=1, value=text)
    cell.font = Font(name=FONT, size=size, bold=bold)
    cell.alignment = CENTRE if size > 12 else LEFT


def _header(ws: Worksheet, row: int, headers: list[str]) -> None:
    for col, text in enumerate(headers, 1):
        cell = ws.cell(row=row, column=col, value=text)
        cell.font = Font(name=FONT, size=10, bold=True)
        cell.alignment, cell.border = CENTRE, BOX
    ws.row_dimensions[row].height = 42


def _body(ws: Worksheet, row: int, values: list[Any], formats: list[str | None]) -> None:
    for col, (value, fmt) in enumerate(zip(values, formats, strict=True), 1):
        cell = ws.cell(row=row, column=col, value=value)
        cell.font = Font(name=FONT, size=10)
        cell.border = BOX
        cell.alignment = LEFT if col == 1 else CENTRE
        if fmt:
            cell.number_format = fmt


def _period(bulletin: Bulletin) -> dict[str, dict[str, str]]:
    """The frozen period's names (blank for a 通报 whose figures were never counted)."""
    f = bulletin.figures or {}
    return {k: f.get(k, {}) for k in ("month", "previous", "last_year")}


def campaign_workbook(bulletin: Bulletin) -> Workbook:
    f, p = bulletin.figures or {}, _period(bulletin)
    wb = Workbook()
    ws = wb.active
    ws.title = "统计表"
    width = len(CAMPAIGN_COLUMNS) + 1
    _title(ws, 1, f"{p['month'].get('label', '')}网络市场监管专项行动情况统计表", width)
    _title(
        ws,
        2,
        f"填报单位：{bulletin.bureau.name}　　统计期间：{p['month'].get('start', '')}至{p['month'].get('end', '')}"
        f"　　文号：{bulletin.number or '（草稿）'}",
        width,
        size=10,
        bold=False,
    )
    _header(ws, 3, ["单位", *(h for h, _k, _d in CAMPAIGN_COLUMNS)])
    formats = [None, *("0.0000" if d is not None else "0" for _h, _k, d in CAMPAIGN_COLUMNS)]
    row = 4
    for line in f.get("campaign", []):
        cells = [_cell_value(line["values"], keys, d) for _h, keys, d in CAMPAIGN_COLUMNS]
        _body(ws, row, [line["unit"], *cells], formats)
        row += 1
    for note in CAMPAIGN_NOTES:
        _title(ws, row, note, width, size=9, bold=False)
        row += 1
    ws.column_dimensions["A"].width = 30
    for col in range(2, width + 1):
        ws.column_dimensions[get_column_letter(col)].width = 13
    ws.freeze_panes = "B4"
    return wb


ANNEX_HEADERS = ["统计指标", "单位", "本月", "上月", "增减", "增减幅度（%）", "上年同月", "口径"]


def annex_rows(bulletin: Bulletin) -> list[list[Any]]:
    """The 附件's rows (the Word file's table and the workbook's): label, unit, now, before, change, %, a year ago."""
    out = []
    for r in (bulletin.figures or {}).get("rows", []):
        out.append(
            [
                r["label"],
                r["unit"],
                _number(r["now"]),
                _number(r["before"]),
                _number(r["change"]["diff"]),
                _number(r["change"]["pct"]),
                _number(r["last_year"]),
                r["basis"],
            ]
        )
    return out


def annex_workbook(bulletin: Bulletin) -> Workbook:
    p = _period(bulletin)
    wb = Workbook()
    ws = wb.active
    ws.title = "附件"
    width = len(ANNEX_HEADERS)
    _title(ws, 1, f"{p['month'].get('label', '')}网络市场监管工作统计表", width)
    _title(
        ws,
        2,
        f"{bulletin.bureau.name}（含下级局）　　上月：{p['previous'].get('label', '')}　　上年同月：{p['last_year'].get('label', '')}"
        f"　　文号：{bulletin.number or '（草稿）'}",
        width,
        size=10,
        bold=False,
    )
    _header(ws, 3, ANNEX_HEADERS)
    for i, values in enumerate(annex_rows(bulletin), 4):
        _body(ws, i, values, [None, None, "0.##", "0.##", "0.##", "0.0", "0.##", None])
    for col, w in zip("ABCDEFGH", (26, 6, 12, 12, 12, 12, 12, 60), strict=True):
        ws.column_dimensions[col].width = w
    ws.freeze_panes = "C4"
    return wb


def workbook_bytes(bulletin: Bulletin, layout: str = TableLayout.CAMPAIGN) -> bytes:
    if layout not in TableLayout.values:
        raise ValidationFailed(
            "统计表格式应为专项行动情况统计表（campaign）或通报附件（annex）",
            "The layout is campaign or annex",
        )
    wb = campaign_workbook(bulletin) if layout == TableLayout.CAMPAIGN else annex_workbook(bulletin)
    wb.properties.creator = bulletin.bureau.name
    wb.properties.title = bulletin.title
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def workbook_name(bulletin: Bulletin, layout: str) -> str:
    label = (bulletin.figures or {}).get("month", {}).get("label", "")
    return f"{label}{TableLayout(layout).label}.xlsx"
