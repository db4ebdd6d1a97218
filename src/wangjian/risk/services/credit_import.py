"""Importing the province's 企业信用风险分类 (A–D per entity and month) from its credit system's export.

The province classifies enterprises by general credit risk and refreshes the classes monthly; the bureau
exports its entities' classes (Excel or CSV, GBK or UTF-8) and imports them here with the registry's
reading of files (``registry.importing``: encodings, XLSX streamed, headers in Chinese or English). Columns:
统一社会信用代码, 名称 (for the reader: the code decides), 风险类别 (A/B/C/D, "A类", "信用风险低（A类）"…),
月份 (2026-11, 2026年11月, 202611, 2026/11/01 …). A file without a 月份 column takes the month the officer
gives for the whole file.

One row per entity and month (``risk_credit_class_once_a_month``): a known (entity, month) has its class
updated when the file says otherwise, counted as updated or unchanged, so importing a file twice changes
nothing. Every row refused — a code that is not a valid 统一社会信用代码, an entity not in this bureau's
register, a class that is not A–D, a month that cannot be read or is still to come, the same entity and
month twice in the file with different classes — is kept as a ``CreditRejectedRow`` with its reason; one
bad row never stops the file.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from wangjian.core import uploads
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.core.exports import csv_writer
from wangjian.org import permissions
from wangjian.org.models import Bureau
from wangjian.org.selectors import can_manage
from wangjian.registry import importing
from wangjian.registry import uscc as uscc_mod
from wangjian.registry.models import MarketEntity
from wangjian.risk.models import CreditImport, CreditRejectedRow, CreditRiskClass
from wangjian.risk.permissions import IMPORT_RUN

COLUMNS: dict[str, tuple[str, ...]] = {
    "uscc": ("统一社会信用代码", "社会信用代码", "信用代码", "uscc"),
    "name": ("名称", "企业名称", "主体名称", "市场主体名称", "name"),
    "risk_class": (
        "风险类别",
        "信用风险类别",
        "风险分类",
        "信用风险分类",
        "分类结果",
        "风险等级",
        "信用风险分类结果",
        "risk_class",
        "class",
    ),
    "month": ("月份", "分类月份", "评价月份", "所属月份", "分类时间", "month"),
}
LABELS = {"uscc": "统一社会信用代码", "name": "名称", "risk_class": "风险类别", "month": "月份"}
CHUNK = 2000
_CLASS_WORDS = {"低": "A", "一般": "B", "较高": "C", "高": "D"}


def parse_class(text: str) -> str | None:
    """A–D from "A", "a类", "Ａ", "信用风险低（A类）", or the words 低/一般/较高/高 alone."""
    t = unicodedata.normalize("NFKC", text or "").strip().upper()
    letters = set(re.findall(r"(?<![A-Z])([ABCD])(?![A-Z])", t))
    if len(letters) == 1:
        return letters.pop()
    if letters:
        return None
    words = t.replace("信用风险", "").replace("风险", "").replace("类", "").strip()
    return _CLASS_WORDS.get(words)


def parse_month(text: str) -> dt.date | None:
    """The first of the month from 2026-11, 2026/11, 2026.11, 2026年11月, 202611 or a date in that month."""
    t = unicodedata.normalize("NFKC", text or "").strip()
    m = re.fullmatch(r"(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*月?", t) or re.fullmatch(r"(\d{4})(\d{2})", t)
    if m is None:
        try:
            day = importing.parse_date(t)
        except ValueError:
            return None
        return day.replace(day=1) if day else None
    year, month = int(m.group(1)), int(m.group(2))
    return dt.date(year, month, 1) if 1 <= month <= 12 else None


def import_check(*, user: Any, bureau: Bureau) -> None:
    """Who may import: the office (the table's row), into its own bureau or one below it."""
    permissions.require(user, IMPORT_RUN)
    if user is not None and not can_manage(user, bureau):
        raise PermissionDeniedError(
            "只能导入本局（及下级局）的信用风险分类", "Only your own bureau's (or a lower one's) classes"
        )


def credit_import(
    *,
    user: Any,
    bureau: Bureau,
    path_or_bytes: str | Path | bytes | IO[bytes],
    file_name: str,
    month: dt.date | None = None,
    now: dt.datetime | None = None,
) -> CreditImport:
    """Import one file of credit-risk classes into ``bureau`` (see the module's docstring); returns the batch.

    Raises ``ValidationFailed`` (nothing written) when the file cannot be read, has no code or class column,
    or has no month column and no ``month`` was given.
    """
    import_check(user=user, bureau=bureau)
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    with uploads.import_path(path_or_bytes, file_name, prefix="wangjian-credit-") as path:
        table = importing.open_table(path, file_name)
        cols = importing.auto_mapping(table.headers, COLUMNS)
        missing = [LABELS[f] for f in ("uscc", "risk_class") if f not in cols]
        if "month" not in cols and month is None:
            missing.append(LABELS["month"])
        if missing:
            close = getattr(table.rows, "close", None)
            if close:
                close()
            raise ValidationFailed(
                f"文件缺少{'、'.join(missing)}列（或导入时未指定月份）；表头为：{'、'.join(table.headers)}",
                f"the file lacks the column(s) {', '.join(missing)} (or give the month); headers: "
                f"{', '.join(table.headers)}",
                code="mapping",
                detail={"headers": table.headers},
            )
        batch = CreditImport.objects.create(
            bureau=bureau,
            file_name=file_name[:255],
            sha256=uploads.file_sha256(path),
            encoding=table.encoding,
            total_rows=table.total_rows,
            user=user if getattr(user, "pk", None) else None,
            started_at=now,
        )
        counts = _Importer(
            batch, table, cols, month=month.replace(day=1) if month else None, today=today
        ).run()
    batch.total_rows = counts["rows"]
    batch.created_count, batch.updated_count = counts["created"], counts["updated"]
    batch.unchanged_count, batch.rejected_count = counts["unchanged"], counts["rejected"]
    batch.finished_at = timezone.now()
    batch.save()
    return batch


class _Importer:
    def __init__(
        self,
        batch: CreditImport,
        table: importing.Table,
        cols: dict[str, int],
        *,
        month: dt.date | None,
        today: dt.date,
    ) -> None:
        self.batch, self.table, self.cols, self.month, self.today = batch, table, cols, month, today
        self.counts = {"rows": 0, "created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
        self.column_of = {f: table.headers[i] for f, i in cols.items() if i < len(table.headers)}
        self.seen: dict[tuple[str, dt.date], str] = {}
        self.rejected: list[CreditRejectedRow] = []

    def run(self) -> dict[str, int]:
        chunk: list[tuple[int, list[str], str, str, dt.date]] = []
        for n, cells in self.table.rows:
            self.counts["rows"] += 1
            row = self._clean(n, cells)
            if row is not None:
                chunk.append(row)
            if len(chunk) >= CHUNK:
                self._write(chunk)
                chunk = []
        self._write(chunk)
        return self.counts

    def _cell(self, cells: list[str], f: str) -> str:
        i = self.cols.get(f)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    def _reject(self, n: int, cells: list[str], problem: importing.Problem) -> None:
        headers = [
            self.table.headers[i] if i < len(self.table.headers) else f"列{i + 1}" for i in range(len(cells))
        ]
        self.rejected.append(
            CreditRejectedRow(
                batch=self.batch,
                row_number=n,
                column=(self.column_of.get(problem.field) or LABELS.get(problem.field, problem.field))[:100],
                value=str(problem.value)[:500],
                reason=problem.reason[:500],
                raw=[[h, c] for h, c in zip(headers, cells, strict=True)],
            )
        )
        self.counts["rejected"] += 1

    def _clean(self, n: int, cells: list[str]) -> tuple[int, list[str], str, str, dt.date] | None:
        code, bad = uscc_mod.validate(self._cell(cells, "uscc"))
        if bad is not None:
            return self._reject(n, cells, importing.Problem("uscc", code, bad.zh, bad.en))
        raw_class = self._cell(cells, "risk_class")
        risk_class = parse_class(raw_class)
        if risk_class is None:
            return self._reject(
                n,
                cells,
                importing.Problem(
                    "risk_class", raw_class, "风险类别应为A、B、C或D类", "the class is one of A, B, C, D"
                ),
            )
        month = self.month
        if "month" in self.cols:
            raw_month = self._cell(cells, "month")
            month = parse_month(raw_month) if raw_month else self.month
            if month is None:
                return self._reject(
                    n,
                    cells,
                    importing.Problem(
                        "month",
                        raw_month,
                        "无法识别月份（应如2026-11或2026年11月）",
                        "cannot read the month (2026-11)",
                    ),
                )
        if month > self.today:
            return self._reject(
                n,
                cells,
                importing.Problem("month", f"{month:%Y-%m}", "月份晚于本月", "the month is still to come"),
            )
        known = self.seen.get((code, month))
        if known is not None and known != risk_class:
            return self._reject(
                n,
                cells,
                importing.Problem(
                    "risk_class",
                    raw_class,
                    f"同一主体同一月份在文件中出现两次且类别不同（先为{known}类）",
                    f"the same entity and month appear twice with different classes (first {known})",
                ),
            )
        self.seen[(code, month)] = risk_class
        return (n, cells, code, risk_class, month)

    @transaction.atomic
    def _write(self, chunk: list) -> None:
        bureau_id = self.batch.bureau_id
        entities = dict(
            MarketEntity.objects.filter(
                bureau_id=bureau_id, uscc__in={c for _n, _r, c, _k, _m in chunk}
            ).values_list("uscc", "id")
        )
        existing = {
            (row.entity_id, row.month): row
            for row in CreditRiskClass.objects.filter(
                entity_id__in=entities.values(), month__in={m for *_x, m in chunk}
            )
        }
        new, changed = {}, []
        for n, cells, code, risk_class, month in chunk:
            entity_id = entities.get(code)
            if entity_id is None:
                self._reject(
                    n,
                    cells,
                    importing.Problem(
                        "uscc",
                        code,
                        "本局登记库中没有该统一社会信用代码的市场主体",
                        "no entity of this bureau's register has this code",
                    ),
                )
                continue
            row = existing.get((entity_id, month)) or new.get((entity_id, month))
            if row is None:
                new[(entity_id, month)] = CreditRiskClass(
                    bureau_id=bureau_id,
                    entity_id=entity_id,
                    month=month,
                    risk_class=risk_class,
                    batch=self.batch,
                )
                self.counts["created"] += 1
            elif row.risk_class == risk_class:
                self.counts["unchanged"] += 1
            else:
                row.risk_class, row.batch = risk_class, self.batch
                if row.pk:
                    changed.append(row)
                self.counts["updated"] += 1
        CreditRiskClass.objects.bulk_create(new.values(), batch_size=1000)
        CreditRiskClass.objects.bulk_update(changed, ["risk_class", "batch"], batch_size=1000)
        CreditRejectedRow.objects.bulk_create(self.rejected, batch_size=1000)
        self.rejected = []


def rejected_rows_csv(*, batch: CreditImport) -> str:
    """The refused rows: row number, column, value, reason, then the row as the file had it."""
    out = io.StringIO()
    writer = csv_writer(out)
    header_written = False
    for r in batch.rejected_rows.order_by("row_number", "id").iterator(chunk_size=2000):
        if not header_written:
            writer.writerow(["行号", "列", "值", "原因", *(h for h, _c in r.raw)])
            header_written = True
        writer.writerow([r.row_number, r.column, r.value, r.reason, *(c for _h, c in r.raw)])
    if not header_written:
        writer.writerow(["行号", "列", "值", "原因"])
    return out.getvalue()
