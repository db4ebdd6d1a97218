"""The province's case-handling system (省级行政执法办案系统 / 市场监管案件管理系统) as the record.

A bureau is in one of two modes (案件办理设置 → 案件记录系统, ``CaseSettings.record_system``): wangjian is the
case system, or the province runs its own and that system stays the record of the decision, wangjian keeping
the online case file, its clocks and its evidence. Either way this module is the exchange with that system:
``province_export`` writes the cases in its layout (XLSX); ``province_diff`` reads its export back (XLSX, or
CSV in UTF-8, GBK or GB18030, as the registry's imports read files) and reports, case by case — matched by its
case number (``Case.external_number``), else by the 立案编号 — the items that differ, the cases only here, the
rows only there and every row not read with its reason. Nothing is saved; the report downloads (``diff_xlsx``).

The layouts (the columns, how each is read and compared) are ``services.province_layout``'s; its ``GENERIC``
is NOT any province's import template — check it against the real system's before relying on it.

The export feeds the record system, which needs the party's real name: in the province mode a natural
person's name is exported in full and each such case's view logged (查看敏感信息, as ``privacy.party_reveal``
logs the page's); otherwise it is masked as publicity masks it (张**). A person's name the report shows as a
difference is logged the same way.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db.models import Q, QuerySet
from openpyxl import Workbook
from openpyxl.styles import Font

from wangjian.cases.choices import PartyKind
from wangjian.cases.models import Case
from wangjian.cases.permissions import PROVINCE_EXCHANGE
from wangjian.cases.services.documents import document_pdf
from wangjian.cases.services.province_layout import (  # noqa: F401  (re-exported: the layouts' API)
    AMOUNT,
    DATE,
    GENERIC,
    SOURCE,
    STATE,
    STATE_LABELS,
    Column,
    Layout,
    get_layout,
    layouts,
    norm_code,
    register_layout,
    shown,
)
from wangjian.cases.services.publicity import settings_for
from wangjian.core import uploads
from wangjian.core.audit import mask_name
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.core.models import ChangeRecord
from wangjian.org import permissions
from wangjian.org.models import Bureau, User
from wangjian.registry import importing

PROVINCE = "province"  # CaseSettings.record_system: the province's system is the record

# ---------------------------------------------------------------- who, and which cases


def _check(user: User, bureau: Bureau) -> None:
    """The permission table's row, and one's own bureau: the exchange is the bureau's with its province."""
    permissions.require(user, PROVINCE_EXCHANGE)
    if not user.is_superuser and user.bureau_id != bureau.pk:
        raise PermissionDeniedError(
            "只能导出和核对本局的案件数据", "Only one's own bureau's cases are exported and compared"
        )


def cases_in(*, bureau: Bureau, start: dt.date | None = None, end: dt.date | None = None) -> QuerySet:
    """The bureau's filed cases; with a period, those filed, decided or closed in it (what changed then)."""
    qs = Case.objects.filter(bureau=bureau, opened_on__isnull=False)
    if start and end:
        if start > end:
            raise ValidationFailed("起始日期不能晚于截止日期", "the start cannot be after the end")
        qs = qs.filter(
            Q(opened_on__range=(start, end))
            | Q(decided_on__range=(start, end))
            | Q(closed_on__range=(start, end))
        )
    return qs.select_related("department").prefetch_related("case_officers__user").order_by("opened_on", "id")


def _is_person(case: Case) -> bool:
    return case.party_kind == PartyKind.PERSON


def _log_party(case: Case, user: User, why: str) -> None:
    ChangeRecord.log_view(
        case, user=user, bureau_id=case.bureau_id, label=f"{case.number or case.pk} · 当事人", reason=why
    )


# ---------------------------------------------------------------- the export


def province_export(
    *,
    bureau: Bureau,
    user: User,
    start: dt.date,
    end: dt.date,
    layout: Layout | None = None,
) -> bytes:
    """The cases filed, decided or closed in ``start``–``end`` as XLSX in ``layout`` (the province's import)."""
    _check(user, bureau)
    layout = layout or GENERIC
    setting = settings_for(bureau)
    unmasked = setting.record_system == PROVINCE
    system = setting.province_system or "省级办案系统"
    wb = Workbook()
    ws = wb.active
    ws.title = layout.sheet
    ws.append(layout.headers())
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for case in cases_in(bureau=bureau, start=start, end=end):
        row = []
        for column in layout.columns:
            value = column.read(case)
            if column.compare in (STATE, SOURCE):
                value = shown(column, case)
            elif column.personal and _is_person(case) and not unmasked:
                value = mask_name(value)
            elif isinstance(value, Decimal):
                value = float(value)
            row.append("" if value is None else value)
        ws.append(row)
        if unmasked and _is_person(case) and any(c.personal for c in layout.columns):
            _log_party(case, user, f"导出至{system}（{start}至{end}）")
    for r in ws.iter_rows(min_row=2):
        for cell, column in zip(r, layout.columns, strict=True):
            if column.compare is DATE:
                cell.number_format = "yyyy-mm-dd"
            elif column.compare is AMOUNT:
                cell.number_format = "0.00"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- the comparison


@dataclass
class Difference:
    header: str
    ours: str  # wangjian's value, as exported
    theirs: str  # the province file's cell, as written


@dataclass
class CaseDifferences:
    case: Case
    row: int  # the row of the province's file
    matched_by: str  # the header that found the case
    differences: list[Difference]


@dataclass
class RejectedRow:
    """A row of the province's file that was not compared, and why (never dropped silently)."""

    row: int
    key: str
    reasons: list[str]  # "中文 / English"


@dataclass
class ProvinceRow:
    row: int
    key: str
    values: dict[str, str]  # header → cell


@dataclass
class ProvinceDiff:
    """The report: what differs between wangjian and the province's system, case by case."""

    layout: Layout
    file_name: str
    encoding: str
    rows: int = 0  # data rows read
    same: int = 0  # cases found with nothing different
    differing: list[CaseDifferences] = field(default_factory=list)
    only_wangjian: list[Case] = field(default_factory=list)
    only_province: list[ProvinceRow] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)  # the layout's, absent from the file
    ignored_headers: list[str] = field(default_factory=list)  # the file's, not in the layout

    @property
    def matched(self) -> int:
        return self.same + len(self.differing)

    @property
    def clean(self) -> bool:
        return not (self.differing or self.only_wangjian or self.only_province or self.rejected)


def _read(upload: bytes, file_name: str) -> tuple[str, list[str], list[tuple[int, list[str]]]]:
    """The file as the registry's imports read it: (encoding, headers, rows), or a clear refusal."""
    uploads.check_size(upload, kind=uploads.IMPORT)
    if not upload.strip():
        raise ValidationFailed("文件为空", "the file is empty", code="empty")
    if upload.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationFailed(
            "不支持旧版 Excel（.xls）文件，请在省级办案系统导出为 .xlsx 或 CSV，或另存为 .xlsx 后上传",
            "old Excel (.xls) files are not read: export .xlsx or CSV, or save the file as .xlsx",
            code="xls",
        )
    suffix = ".xlsx" if upload.startswith(b"PK\x03\x04") else ".csv"
    with tempfile.TemporaryDirectory(prefix="wangjian-province-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(upload)
        table = importing.open_table(path, file_name)
        try:
            rows = list(table.rows)
        finally:
            table.rows.close()
    return table.encoding, table.headers, rows


def _problem(exc: ValidationFailed, header: str) -> str:
    return f"{header}：{exc.zh} / {header}: {exc.en}"


def province_diff(
    *,
    bureau: Bureau,
    user: User,
    upload: bytes,
    file_name: str,
    layout: Layout | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> ProvinceDiff:
    """Compare the province system's export with the bureau's cases (of ``start``–``end`` when given).

    A row finds its case by the province's case number (``external_number``), else by the 立案编号. A row
    with neither, with a date or an amount that cannot be read, or naming a case another row already named
    is rejected with its reason. The cases of the period no row found are listed as only in wangjian.
    """
    _check(user, bureau)
    layout = layout or GENERIC
    encoding, headers, rows = _read(upload, file_name)
    mapping = importing.auto_mapping(headers, {c.header: (c.header, *c.aliases) for c in layout.columns})
    keys = [c for c in layout.columns if c.match and c.header in mapping]
    if not keys:
        raise ValidationFailed(
            "文件中没有找到用于对应案件的列（"
            + "、".join(c.header for c in layout.columns if c.match)
            + "），请确认上传的是省级办案系统导出的案件表，且第一行为表头",
            "the file has none of the columns that find a case ("
            + ", ".join(c.header for c in layout.columns if c.match)
            + "): upload the case table exported by the province's system, headers in the first row",
            code="columns",
            detail={"headers": headers},
        )
    report = ProvinceDiff(layout=layout, file_name=file_name, encoding=encoding, rows=len(rows))
    used = set(mapping.values())
    report.missing_columns = [c.header for c in layout.columns if c.header not in mapping]
    report.ignored_headers = [h for i, h in enumerate(headers) if i not in used and h]
    columns = [c for c in layout.columns if c.header in mapping]

    known = list(Case.objects.filter(bureau=bureau, opened_on__isnull=False))
    index = {
        column.match: {norm_code(str(column.read(case) or "")): case for case in known if column.read(case)}
        for column in keys
    }
    seen: dict[int, int] = {}  # case id → the row that found it
    found: list[tuple[Case, int, str, dict[str, str]]] = []
    for number, cells in rows:
        values = {
            c.header: (cells[mapping[c.header]] if mapping[c.header] < len(cells) else "") for c in columns
        }
        key = next((values[c.header].strip() for c in keys if values[c.header].strip()), "")
        reasons = []
        for column in columns:
            try:
                column.compare.normalise(values[column.header])
            except ValidationFailed as exc:
                reasons.append(_problem(exc, column.header))
        if not key:
            names = "、".join(c.header for c in keys)
            reasons.insert(0, f"缺少{names} / no case number ({', '.join(c.header for c in keys)})")
        if reasons:
            report.rejected.append(RejectedRow(number, key, reasons))
            continue
        case, matched_by = None, ""
        for column in keys:
            wanted = norm_code(values[column.header])
            if wanted and (case := index[column.match].get(wanted)) is not None:
                matched_by = column.header
                break
        if case is None:
            report.only_province.append(ProvinceRow(number, key, values))
            continue
        if case.pk in seen:
            first = seen[case.pk]
            why = f"与第{first}行对应同一案件（{case.number}） / names the same case ({case.number}) as row {first}"
            report.rejected.append(RejectedRow(number, key, [why]))
            continue
        seen[case.pk] = number
        found.append((case, number, matched_by, values))

    # the matched cases again, with their officers, for the comparison
    full = {c.pk: c for c in cases_in(bureau=bureau).filter(pk__in=[case.pk for case, *_ in found])}
    for case, number, matched_by, values in found:
        case = full[case.pk]
        differences = []
        for column in columns:
            if column.header == matched_by:
                continue
            ours = shown(column, case)
            if column.compare.normalise(ours) != column.compare.normalise(values[column.header]):
                differences.append(Difference(column.header, ours, values[column.header]))
                if column.personal and _is_person(case):
                    _log_party(case, user, "与省级办案系统核对差异")
        if differences:
            report.differing.append(CaseDifferences(case, number, matched_by, differences))
        else:
            report.same += 1
    report.only_wangjian = [
        case for case in cases_in(bureau=bureau, start=start, end=end) if case.pk not in seen
    ]
    return report


# ---------------------------------------------------------------- the report as a workbook


def _sheet(wb: Workbook, title: str, header: list[str], rows: Iterable[list]) -> None:
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)


def _cells(x: Difference) -> list[str]:
    return [x.header, x.ours, x.theirs]


def diff_xlsx(report: ProvinceDiff) -> bytes:
    """差异报告: a summary, the differences per item, the cases only here, the rows only there, the rejected."""
    wb = Workbook()
    summary = wb.active
    summary.title = "说明"
    counts = (report.rows, report.matched, report.same, len(report.differing), len(report.only_wangjian))
    labels = ("读入行数", "对应到案件", "其中一致", "其中有差异", "仅本平台有")
    for row in (
        ["文件", report.file_name],
        ["编码", report.encoding],
        ["格式", report.layout.name],
        *([label, n] for label, n in zip(labels, counts, strict=True)),
        ["仅省级办案系统有", len(report.only_province)],
        ["未读入的行", len(report.rejected)],
        ["文件中缺少的列（未比对）", "、".join(report.missing_columns)],
        ["文件中未比对的列", "、".join(report.ignored_headers)],
    ):
        summary.append(row)
    _sheet(
        wb,
        "差异",
        ["行号", "立案编号", "案件编号", "案由", "对应方式", "项目", "本平台", "省级办案系统"],
        (
            [d.row, d.case.number, d.case.external_number, d.case.title, d.matched_by, *_cells(x)]
            for d in report.differing
            for x in d.differences
        ),
    )
    _sheet(
        wb,
        "仅本平台有",
        ["立案编号", "案件编号", "案由", "立案日期", "案件状态"],
        (
            [c.number, c.external_number, c.title, c.opened_on, STATE_LABELS.get(c.state, c.state)]
            for c in report.only_wangjian
        ),
    )
    headers = [c.header for c in report.layout.columns if c.header not in report.missing_columns]
    _sheet(
        wb,
        "仅省级办案系统有",
        ["行号", *headers],
        ([r.row, *(r.values.get(h, "") for h in headers)] for r in report.only_province),
    )
    _sheet(
        wb,
        "未读入的行",
        ["行号", "编号", "原因"],
        ([r.row, r.key, "；".join(r.reasons)] for r in report.rejected),
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- a case's issued documents, for the record


def case_documents_zip(*, case: Case, user: User) -> bytes:
    """The case's issued documents as kept (each PDF checked against its hash), for the province's file.

    Only issued documents: a draft is not the case's document yet. Names carry the title and number."""
    _check(user, case.bureau)
    issued = list(case.documents.filter(issued=True).order_by("issued_on", "id"))
    if not issued:
        raise ValidationFailed("该案件还没有签发的文书", "the case has no issued document yet")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, doc in enumerate(issued, 1):
            name = re.sub(r"[\\/:*?\"<>|\s]+", "_", f"{n:02d}-{doc.title}-{doc.number or doc.pk}")
            archive.writestr(f"{name}.pdf", document_pdf(doc))
    return out.getvalue()
