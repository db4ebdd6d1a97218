"""The handling results for entry into the national 12315 platform (办理结果导出，供录入全国12315平台).

The platform is the record of what it received (``services.imports``); the bureau handles the complaint here and
must then enter the result there: 受理 or 不予受理 with the ground of art. 15 (市场监督管理投诉举报处理暂行办法
art. 14: the complainant is told), 调解 and its agreement or its end on a ground of art. 21, 移送 (art. 14, 29,
37), a report's verification and filing decision (art. 31). This export gives one row per record, keyed by the
12315 number, in a layout a clerk keys in or a provincial upload reads.

Which records: the bureau's, whose **state was changed by a step** (a ``ComplaintEvent`` whose state differs
from the one before it) on a day of ``since`` … ``until``, in Beijing time — a result to enter. Registration (or
the import that registered it) is not a result: the platform holds the receipt. A mediation session or a
notice leaves the state as it was and brings no row of its own; the row of a record shows it as it stands at the
export (the latest result, which the platform overwrites). By default only what came from the platform
(channel 全国12315平台 with its number); a part split off such a record (``split_from``) is entered under its
parent's 12315 number, since the platform knows the one submission. ``only_platform=False`` adds the records
received by phone, letter or visit, for a bureau that enters those into the platform too.

Who: the holders of ``complaints.import.run`` (the office, department heads, officers) — the desk that moves
the data between the platform and wangjian in the one direction moves it back in the other; the analysis
permission is a read of figures held by the leading group and the auditor too, who key nothing into the
platform. Of a bureau the caller sees, the records the caller may read (``selectors.complaints_visible``): the
office the whole bureau, a unit its own. The command line (``user=None``) is the server's operator: the bureau.

No personal data: the platform already holds the complainant's and the reporter's; the file leaves wangjian.
No column names the person, and the texts officers wrote (a refusal's note, the agreement, a step's comment)
have the record's own name, phone, address and ID number masked wherever they were typed in.

The headers are our layout, not the platform's specification (which differs by year and province): our own
registration number is ``本局登记编号`` because the platform's exports call *its* number ``登记编号``
(``imports.COLUMNS``). Every cell passes ``core.exports`` (no spreadsheet formula); the 12315 number stays
text in the workbook (a long number would lose digits as a number).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone, translation

from wangjian.complaints.choices import (
    ENDED_STATES,
    Channel,
    Kind,
    MediationEnd,
    MediationMethod,
    RefusalGround,
    State,
)
from wangjian.complaints.models import Complaint, ComplaintEvent
from wangjian.complaints.permissions import COMPLAINT_RESULTS
from wangjian.complaints.selectors import complaints_visible
from wangjian.core.audit import mask, mask_name
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.core.exports import csv_writer, xlsx_append
from wangjian.org import permissions
from wangjian.org.models import Bureau, User
from wangjian.org.selectors import visible_bureau_ids

HEADERS: tuple[str, ...] = (
    "12315编号",
    "本局登记编号",
    "类别",
    "收到日期",
    "处理状态",
    "受理日期",
    "不予受理日期",
    "不予受理理由",
    "承办单位",
    "调解方式",
    "调解结果",
    "是否达成调解协议",
    "挽回经济损失（元）",
    "终止调解理由",
    "办结日期",
    "转交/移送",
    "举报处理结果",
    "办理说明",
)
TEXT_COLUMNS = ("12315编号", "本局登记编号")  # kept as text: digits, not numbers
WIDTHS = {
    "12315编号": 24,
    "本局登记编号": 22,
    "不予受理理由": 40,
    "调解结果": 40,
    "举报处理结果": 36,
    "办理说明": 48,
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_KINDS = ("xlsx", "csv")

_PERSON = (
    ("person_id_number", mask),
    ("person_address", mask),
    ("person_phone", mask),
    ("person_name", mask_name),
)
_LABELS = {
    "kind": dict(Kind.choices),
    "state": dict(State.choices),
    "refusal": dict(RefusalGround.choices),
    "end": dict(MediationEnd.choices),
    "method": dict(MediationMethod.choices),
}


def results_check(*, user: User | None, bureau: Bureau) -> None:
    """Refuse who may not export ``bureau``'s results: the permission table's row, then the bureau's scope."""
    if user is None:  # the command line: the server's operator
        return
    permissions.require(user, COMPLAINT_RESULTS)
    ids = visible_bureau_ids(user)
    if ids is not None and bureau.pk not in ids:
        raise PermissionDeniedError(
            "只能导出本局或下辖局的办理结果",
            "Only the results of your own bureau (or those under it) are exported",
        )


def results_period(since: str | None, until: str | None) -> tuple[dt.date | None, dt.date | None]:
    """``since`` and ``until`` as written (YYYY-MM-DD, either may be empty): the days, or the refusal."""
    days: list[dt.date | None] = []
    for text in (since, until):
        text = (text or "").strip()
        try:
            days.append(dt.date.fromisoformat(text) if text else None)
        except ValueError:
            raise ValidationFailed(
                f"日期格式应为 YYYY-MM-DD：{text}", f"Dates are YYYY-MM-DD: {text}"
            ) from None
    return days[0], days[1]


def _moment(day: dt.date) -> dt.datetime:
    """The first moment of ``day`` in the bureau's time (Beijing), as steps are dated."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def results_queryset(
    *,
    user: User | None,
    bureau: Bureau,
    since: dt.date | None,
    until: dt.date | None,
    only_platform: bool = True,
) -> QuerySet:
    """The records of the export (see the module's docstring), oldest receipt first."""
    results_check(user=user, bureau=bureau)
    if since and until and since > until:
        raise ValidationFailed(
            f"起始日期 {since} 晚于截止日期 {until}", f"The start {since} is after the end {until}"
        )
    steps = (
        ComplaintEvent.objects.filter(complaint=OuterRef("pk"))
        .exclude(from_state="")  # registration: the platform's receipt, not a result
        .exclude(to_state=F("from_state"))
    )
    if since:
        steps = steps.filter(at__gte=_moment(since))
    if until:
        steps = steps.filter(at__lt=_moment(until + dt.timedelta(days=1)))
    qs = Complaint.objects.all() if user is None else complaints_visible(user)
    qs = qs.filter(bureau=bureau).filter(Exists(steps))
    if only_platform:
        qs = qs.filter(channel=Channel.PLATFORM_12315).filter(
            Q(source_number__gt="") | Q(split_from__source_number__gt="")
        )
    moves = (
        ComplaintEvent.objects.exclude(from_state="").exclude(to_state=F("from_state")).order_by("at", "id")
    )
    return (
        qs.select_related("station", "department", "clue", "split_from")
        .prefetch_related("mediations", Prefetch("events", queryset=moves, to_attr="moves"))
        .order_by("received_on", "id")
    )


def results_rows(
    *,
    user: User | None,
    bureau: Bureau,
    since: dt.date | None,
    until: dt.date | None,
    only_platform: bool = True,
) -> list[dict[str, Any]]:
    """One row per record whose state a step changed in ``since`` … ``until``: ``HEADERS`` → value.

    Dates are ``date``s, the amount recovered a ``Decimal``, everything else text ("" where the record has
    nothing to enter). Raises ``PermissionDeniedError`` (the permission table's row, or the bureau's scope) and
    ``ValidationFailed`` (a start after the end).
    """
    qs = results_queryset(user=user, bureau=bureau, since=since, until=until, only_platform=only_platform)
    with translation.override("zh-hans"):  # the platform's language, whatever the caller's page shows
        return [result_row(c) for c in qs]


def _label(vocabulary: str, value: str) -> str:
    return str(_LABELS[vocabulary].get(value, value)) if value else ""


def _scrub(c: Complaint, text: str) -> str:
    """``text`` an officer wrote, with the record's own personal data masked where it was typed in."""
    text = text or ""
    for name, masker in _PERSON:
        value = (getattr(c, name) or "").strip()
        if len(value) >= 2 and value in text:
            text = text.replace(value, masker(value))
    return text


def _mediation(c: Complaint) -> tuple[str, str, str]:
    """调解方式, 调解结果 and 是否达成调解协议 of a complaint (a report is not mediated)."""
    if c.kind != Kind.COMPLAINT:
        return "", "", ""
    ways = []
    for m in c.mediations.all():
        way = f"{m.held_on.isoformat()} {_label('method', m.method)}"
        ways.append(way + (f"（{_scrub(c, m.entrusted_to)}）" if m.entrusted_to else ""))
    if c.odr_platform:
        ways.append(f"平台在线纠纷解决（{c.odr_platform}）")
    if c.state == State.RESOLVED:
        return "；".join(ways), _scrub(c, c.agreement), "是"
    if c.state in (State.ENDED, State.WITHDRAWN) and c.accepted_on:
        outcome = _label("state", c.state)
        if c.odr_outcome:
            outcome += f"；平台处理结果：{_scrub(c, c.odr_outcome)}"
        return "；".join(ways), outcome, "否"
    if c.odr_outcome:  # handed back by the platform unresolved, mediation goes on
        return "；".join(ways), f"平台处理结果：{_scrub(c, c.odr_outcome)}", ""
    return "；".join(ways), "", ""


def _report_result(c: Complaint) -> str:
    """A report's result: the clue it became (its state, disposal and case number), or closed after verifying."""
    if c.kind != Kind.REPORT:
        return ""
    if c.clue is not None:
        clue = c.clue
        parts = [f"转为线索 {clue.number}（{clue.get_state_display()}）"]
        if clue.disposal:
            parts.append(f"处置结果：{clue.get_disposal_display()}")
        if clue.case_number:
            parts.append(f"立案 {clue.case_number}")
        return "；".join(parts)
    if c.state == State.CLOSED:
        return "经核查办结"
    return ""


def result_row(c: Complaint) -> dict[str, Any]:
    """One record as the export shows it (``results_queryset``'s prefetches expected)."""
    number = c.source_number
    note = ""
    if not number and c.split_from_id and c.split_from.source_number:
        number = c.split_from.source_number
        note = f"由12315编号 {number} 的{_label('kind', c.split_from.kind)}拆分出的{_label('kind', c.kind)}。"
    moves = getattr(c, "moves", None)
    if moves is None:
        moves = list(c.events.exclude(from_state="").exclude(to_state=F("from_state")).order_by("at", "id"))
    if moves:
        note += _scrub(c, moves[-1].comment)
    unit = c.station or c.department
    way, outcome, agreed = _mediation(c)
    return {
        "12315编号": number,
        "本局登记编号": c.number,
        "类别": _label("kind", c.kind),
        "收到日期": c.received_on,
        "处理状态": _label("state", c.state),
        "受理日期": c.accepted_on,
        "不予受理日期": c.ended_on if c.state == State.REFUSED else None,
        "不予受理理由": _label("refusal", c.refusal_ground),
        "承办单位": unit.name if unit else "",
        "调解方式": way,
        "调解结果": outcome,
        "是否达成调解协议": agreed,
        "挽回经济损失（元）": c.recovered,
        "终止调解理由": _label("end", c.end_ground),
        "办结日期": c.ended_on if c.state in ENDED_STATES else None,
        "转交/移送": c.transfer_target,
        "举报处理结果": _report_result(c),
        "办理说明": note,
    }


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def results_csv(rows: Iterable[dict[str, Any]]) -> bytes:
    """The rows as CSV, UTF-8 with a BOM (Excel and WPS read it as UTF-8), the headers first."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([_csv_cell(row[h]) for h in HEADERS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def results_xlsx(rows: Iterable[dict[str, Any]], *, about: Sequence[tuple[str, str]] = ()) -> bytes:
    """The rows as an Excel workbook: sheet 办理结果 (the headers in row 1, frozen), and 说明 when ``about`` is given."""
    from openpyxl import Workbook  # loaded when a workbook is written, as the neighbours' exports do
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "办理结果"
    xlsx_append(ws, HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        xlsx_append(ws, [row[h] for h in HEADERS])
        for cell, header in zip(ws[ws.max_row], HEADERS, strict=True):
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, Decimal):
                cell.number_format = "0.00"
            elif header in TEXT_COLUMNS:
                cell.number_format = "@"
    for i, header in enumerate(HEADERS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = WIDTHS.get(header, 14)
    ws.freeze_panes = "A2"
    if about:
        sheet = wb.create_sheet("说明")
        for item in about:
            xlsx_append(sheet, item)
        sheet.column_dimensions["A"].width = 16
        sheet.column_dimensions["B"].width = 80
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def results_about(
    *, bureau: Bureau, since: dt.date | None, until: dt.date | None, only_platform: bool, count: int
) -> list[tuple[str, str]]:
    """The 说明 sheet: what the file holds and by which rule, for who keys it in or checks it later."""
    period = f"{since.isoformat() if since else '不限'} 至 {until.isoformat() if until else '不限'}"
    return [
        ("所属局", f"{bureau.name}（{bureau.code}）"),
        ("期间", period),
        ("范围", "仅全国12315平台来源" if only_platform else "含非12315来源（电话、信函、来访等）"),
        ("条数", str(count)),
        (
            "选取规则",
            "期间内（北京时间）有办理步骤改变了处理状态的投诉举报，每件一行，按12315编号录入；"
            "各列为导出时的办理结果。登记（导入）不算办理结果。",
        ),
        ("个人信息", "不含投诉人、举报人的个人信息（全国12315平台已有）；办理说明等文字中的个人信息已遮蔽。"),
    ]


def results_file(
    *,
    user: User | None,
    bureau: Bureau,
    since: dt.date | None,
    until: dt.date | None,
    only_platform: bool = True,
    kind: str = "xlsx",
) -> tuple[bytes, str, str, int]:
    """The export as a file: (content, file name, content type, rows) — the page, the API and the command's one call."""
    if kind not in FILE_KINDS:
        raise ValidationFailed(f"文件格式应为 xlsx 或 csv：{kind}", f"The file is xlsx or csv: {kind}")
    rows = results_rows(user=user, bureau=bureau, since=since, until=until, only_platform=only_platform)
    name = f"12315办理结果_{bureau.code}_{since.isoformat() if since else '始'}_{until.isoformat() if until else '今'}.{kind}"
    if kind == "csv":
        return results_csv(rows), name, "text/csv; charset=utf-8", len(rows)
    about = results_about(
        bureau=bureau, since=since, until=until, only_platform=only_platform, count=len(rows)
    )
    return results_xlsx(rows, about=about), name, XLSX, len(rows)
