"""Importing the national 12315 platform's exports (全国12315平台导出数据): the platform stays the record.

The platform is the system of record for what it received; a bureau exports its list (Excel or CSV, GBK or
UTF-8) again and again and imports it here. Each row is found by its 12315 number (with the bureau and the
kind, ``complaints_source_unique``): a new one is registered as if keyed by hand (``complaint_register``:
content checked, jurisdiction, routed, numbered, the acceptance clock opened from the receipt date); a known
one has the fields the platform owns (``PLATFORM_OWNED``) updated when they changed, counted as updated or
unchanged — never what wangjian added (state, handler, unit, clocks, links). So nobody keys a complaint twice.

Every row refused — no 12315 number, a date that cannot be read or lies in the future, a kind that is neither
投诉 nor 举报, an unreadable amount, content a complaint must carry (art. 9) — is kept as a
``ComplaintRejectedRow`` with its row number, column, value, reason and the raw row; one bad row never
stops the file. The whole file is refused only when it cannot be read (encoding, a damaged workbook, over
the upload cap) or has no number column.

**The headers below are our reading of the platform's export, not its specification**: the national
platform's export templates differ by year and by province, and the real file a bureau downloads must be
checked against ``COLUMNS`` before the first import. Headers are compared after NFKC, lower case, without
spaces, colons or asterisks and with full-width brackets made half-width (``importing.auto_mapping``), so
``投诉人 姓名：`` and ``投诉人姓名`` are the same. A bureau whose export spells a column otherwise adds the
spelling to that field's tuple here (one line, reviewed like any code change), or renames the column of
the file; the file's refusal lists the headers it found, to make either easy.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wangjian.complaints.choices import Channel, Kind, RespondentKind
from wangjian.complaints.models import Complaint, ComplaintImport, ComplaintRejectedRow
from wangjian.complaints.permissions import COMPLAINT_IMPORT
from wangjian.complaints.services.intake import check_content, complaints_register_many
from wangjian.core import regions, uploads
from wangjian.core.audit import mask, mask_name
from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.core.exports import csv_writer
from wangjian.core.models import bulk_update_audited
from wangjian.org import permissions
from wangjian.org.models import Bureau, Station, User
from wangjian.platform.inbox.models import MessageKind
from wangjian.platform.inbox.services import notify
from wangjian.platform.workitems.selectors import unit_users
from wangjian.registry import importing
from wangjian.registry.services.batches import _as


def _spellings(words: str) -> tuple[str, ...]:
    return tuple(words.split())


# Our field → the header spellings we expect in a 12315 export (space-separated: a header has no spaces once
# normalised), Chinese first, then our own name.
COLUMNS: dict[str, tuple[str, ...]] = {
    "source_number": _spellings(
        "登记编号 投诉举报编号 工单编号 投诉编号 举报编号 投诉举报登记编号 12315编号 诉求编号 件号 source_number"
    ),
    "kind": _spellings("类型 类别 投诉举报类型 诉求类型 业务类型 登记类型 kind"),
    "received_on": _spellings(
        "登记日期 收到日期 接收时间 接收日期 登记时间 收到时间 投诉举报日期 received_on"
    ),
    "person_name": _spellings(
        "投诉人/举报人姓名 投诉人/举报人 投诉(举报)人姓名 投诉人姓名 举报人姓名 投诉人 举报人 姓名 person_name"
    ),
    "person_phone": _spellings(
        "联系电话 投诉人电话 举报人电话 投诉人联系电话 举报人联系电话 手机号码 person_phone"
    ),
    "person_address": _spellings(
        "地址 投诉人地址 举报人地址 通讯地址 联系地址 投诉人通讯地址 person_address"
    ),
    "person_id_number": _spellings("证件号码 身份证号码 身份证号 投诉人证件号码 person_id_number"),
    "respondent_name": _spellings(
        "被投诉人/被举报人名称 被投诉(举报)人名称 被投诉人名称 被举报人名称 被投诉人 被举报人 被投诉举报对象 respondent_name"
    ),
    "respondent_uscc": _spellings(
        "统一社会信用代码 被投诉人统一社会信用代码 被举报人统一社会信用代码 社会信用代码 respondent_uscc"
    ),
    "respondent_address": _spellings(
        "被投诉人地址 被举报人地址 被投诉人/被举报人地址 经营地址 经营场所 respondent_address"
    ),
    "respondent_region": _spellings(
        "所在地区划 被投诉人所在地区划 被举报人所在地区划 所在地区划代码 被投诉人所在地 被举报人所在地 行政区划 区划代码 respondent_region"
    ),
    "respondent_kind": _spellings("被投诉人类型 被举报人类型 经营者类别 经营者类型 respondent_kind"),
    "platform_name": _spellings("电商平台名称 平台名称 电商平台 所属平台 platform_name"),
    "platform_region": _spellings("平台所在地区划 平台住所地区划 平台住所地 platform_region"),
    "presence_label": _spellings("网店名称/网址 网店名称 网址 店铺名称 网店网址 店铺网址 presence_label"),
    "category": _spellings("商品/服务类别 商品或服务类别 商品类别 服务类别 涉及商品/服务 category"),
    "summary": _spellings("投诉内容 举报内容 投诉举报内容 投诉/举报内容 问题描述 事实与理由 summary"),
    "demand": _spellings("诉求 投诉诉求 消费者诉求 投诉请求 demand"),
    "amount": _spellings("涉及金额 涉及金额(元) 涉案金额 涉案金额(元) 金额 amount"),
}
REQUIRED = ("source_number",)

# What the platform owns and an updated export may change; everything else is wangjian's.
PLATFORM_OWNED = tuple(
    "received_on person_name person_phone person_address person_id_number respondent_name respondent_uscc"
    " respondent_kind respondent_region platform_name platform_region presence_label category summary demand"
    " amount".split()
)
PERSONAL = {
    "person_name": mask_name,
    "person_phone": mask,
    "person_address": mask,
    "person_id_number": mask,
}
TEXT_FIELDS = tuple(f for f in PLATFORM_OWNED if f not in ("received_on", "amount", "respondent_kind"))

KINDS = {
    "投诉": Kind.COMPLAINT,
    "投诉件": Kind.COMPLAINT,
    "消费投诉": Kind.COMPLAINT,
    "举报": Kind.REPORT,
    "举报件": Kind.REPORT,
    "违法举报": Kind.REPORT,
    "complaint": Kind.COMPLAINT,
    "report": Kind.REPORT,
}
RESPONDENT_KINDS = {
    **{c.value: c.value for c in RespondentKind},
    **{str(c.label): c.value for c in RespondentKind},
    "电商平台": RespondentKind.PLATFORM,
    "平台经营者": RespondentKind.PLATFORM,
    "平台": RespondentKind.PLATFORM,
    "平台内商家": RespondentKind.SELLER,
    "网店": RespondentKind.SELLER,
    "自建网站": RespondentKind.WEBSITE,
    "网站": RespondentKind.WEBSITE,
    "线下": RespondentKind.OFFLINE,
    "实体店": RespondentKind.OFFLINE,
}
CHUNK = 500  # rows per transaction and per lookup of the numbers already known
_REGION_CODE = re.compile(r"\d{6}(\d{3})?(\d{3})?")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


MAX_LENGTHS = {f: Complaint._meta.get_field(f).max_length for f in TEXT_FIELDS}


def column_label(field: str) -> str:
    """A column's name where the file's own header is not known (the model's words)."""
    if field == "source_number":
        return "12315编号"
    if field == "respondent_address":
        return "被投诉人/被举报人地址"
    try:
        return str(Complaint._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:
        return field


@dataclass
class _Row:
    number: int
    cells: list[str]
    kind: str
    source_number: str
    values: dict[str, Any]  # Complaint field → cleaned value (only the columns the file has)


class _Places:
    """Division codes from what the export says: a code, a division's name, or an address.

    Addresses name the county (``regions.region_from_address``); the township, which decides the station
    that handles a consumer complaint, is read from the bureau's own stations' territories (code and name).
    """

    def __init__(self, bureau: Bureau):
        self.townships: list[tuple[str, str]] = []
        for station in Station.objects.filter(bureau=bureau):
            names = [n for n in re.split(r"[、，,;；\s]+", station.territory_names or "") if n]
            codes = [str(c).strip() for c in station.territory or []]
            if len(names) == len(codes):
                self.townships.extend(zip(names, codes, strict=True))
        self.townships.sort(key=lambda p: -len(p[0]))

    def code(self, text: str) -> str:
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
        if not text:
            return ""
        if _REGION_CODE.fullmatch(text):
            return text
        county = regions.region_from_address(text) or ""
        for name, code in self.townships:
            if name in text and (not county or code.startswith(county)):
                return code
        return county


def _text(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip()


def _date(text: str) -> dt.date | None:
    """A receipt date as exports write it: 2025-09-30, 2025/9/30 10:20:33, 2025年9月30日, or an Excel serial."""
    text = _text(text)
    if not text:
        return None
    if re.fullmatch(r"\d{5}(\.\d+)?", text):  # a date cell the workbook kept as its serial number
        return _EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    day = re.split(r"[ T]", text, maxsplit=1)[0]
    return importing.parse_date(day)


def _amount(text: str) -> Decimal | None:
    raw = _text(text).replace(",", "").replace("元", "").replace("¥", "").replace("￥", "").strip()
    if not raw:
        return None
    value = Decimal(raw).quantize(Decimal("0.01"))  # InvalidOperation for what is not a number
    if value < 0:
        raise InvalidOperation(raw)
    return value


def _file_kind(headers: list[str]) -> str | None:
    """The kind of a file without a 类型 column, where its headers say it (a list of 举报 only, say)."""
    joined = "".join(headers)
    complaint, report = "投诉" in joined, "举报" in joined
    if complaint != report:
        return Kind.COMPLAINT if complaint else Kind.REPORT
    return None


def _clean(
    cells: list[str],
    cols: dict[str, int],
    *,
    file_kind: str | None,
    today: dt.date,
    places: _Places,
) -> tuple[str, str, dict[str, Any], list[importing.Problem]]:
    """One row → (kind, 12315 number, Complaint values, problems)."""
    raw = {f: (cells[i] if i < len(cells) else "") for f, i in cols.items()}
    problems: list[importing.Problem] = []
    out: dict[str, Any] = {}

    def refuse(field: str, value: str, zh: str, en: str) -> None:
        problems.append(importing.Problem(field, value, zh, en))

    number = _text(raw.get("source_number", ""))
    if not number:
        refuse("source_number", "", "12315编号为空", "the 12315 number is empty")
    elif len(number) > 60:
        refuse(
            "source_number", number[:50], "12315编号超过60个字符", "the 12315 number is over 60 characters"
        )
    kind = file_kind or ""
    if "kind" in raw:
        word = _text(raw["kind"])
        kind = KINDS.get(word.lower()) or ("" if word else file_kind or "")
        if not kind:
            refuse(
                "kind",
                word,
                "无法识别的类型（应为投诉或举报；既是投诉又是举报的，请人工登记后拆分）",
                "unknown kind (complaint or report; one that is both is registered by hand and split)",
            )
    elif not kind:
        refuse(
            "kind",
            "",
            "文件没有“类型”列，无法判断是投诉还是举报",
            "the file has no kind column: complaint or report cannot be told",
        )
    try:
        received = _date(raw.get("received_on", ""))
    except ValueError:
        received = None
        refuse(
            "received_on",
            raw["received_on"],
            "收到日期无法识别（应如 2025-09-30）",
            "unreadable receipt date (write it as 2025-09-30)",
        )
    else:
        if received is None:
            refuse(
                "received_on",
                "",
                "收到日期为空（受理期限自收到之日起计算）",
                "no receipt date (the acceptance clock runs from it)",
            )
    if received and received > today:
        refuse(
            "received_on",
            raw["received_on"],
            f"收到日期 {received} 晚于导入之日 {today}",
            f"the receipt date {received} is after the day of import {today}",
        )
    elif received:
        out["received_on"] = received
    if "amount" in raw:
        try:
            out["amount"] = _amount(raw["amount"])
        except (InvalidOperation, ValueError):
            refuse(
                "amount", raw["amount"], "涉及金额应为非负的数字（元）", "the amount is a non-negative number"
            )
    for f in TEXT_FIELDS:
        if f in raw:
            value = _text(raw[f])
            if f == "respondent_uscc":
                value = value.upper()
            out[f] = value[: MAX_LENGTHS[f]] if MAX_LENGTHS[f] else value
    for f in ("respondent_region", "platform_region"):
        if out.get(f):
            out[f] = places.code(out[f])[: MAX_LENGTHS[f]]
    if not out.get("respondent_region") and _text(raw.get("respondent_address", "")):
        out["respondent_region"] = places.code(raw["respondent_address"])[: MAX_LENGTHS["respondent_region"]]
    if "respondent_kind" in raw and _text(raw["respondent_kind"]):
        out["respondent_kind"] = RESPONDENT_KINDS.get(_text(raw["respondent_kind"]), "")
    if not out.get("respondent_kind"):
        # no column, or words we do not know: a business on a platform, on its own site, or offline
        out["respondent_kind"] = (
            RespondentKind.SELLER
            if out.get("platform_name")
            else RespondentKind.WEBSITE
            if out.get("presence_label")
            else RespondentKind.OFFLINE
        )
    return kind, number, out, problems


def _blame(kind: str, values: dict[str, Any]) -> str:
    """The column a ``check_content`` refusal is about, in the order it checks them."""
    if not values.get("respondent_name"):
        return "respondent_name"
    if not values.get("summary"):
        return "summary"
    if kind == Kind.COMPLAINT and not values.get("person_name"):
        return "person_name"
    if kind == Kind.COMPLAINT and not values.get("person_phone"):
        return "person_phone"
    return ""


class _Rejects:
    def __init__(self, batch: ComplaintImport, headers: list[str], cols: dict[str, int]):
        self.batch, self.headers, self.pending, self.rows = batch, headers, [], set()
        self.column_of = {f: headers[i] for f, i in cols.items() if i < len(headers)}

    def add(self, row: int, problem: importing.Problem, cells: list[str]) -> None:
        self.pending.append(
            ComplaintRejectedRow(
                batch=self.batch,
                row_number=row,
                column=(self.column_of.get(problem.field) or column_label(problem.field))[:100],
                value=str(problem.value)[:500],
                reason=problem.reason[:500],
                raw=[[h, c] for h, c in zip(self._headers(len(cells)), cells, strict=True)],
            )
        )
        self.rows.add(row)

    def _headers(self, n: int) -> list[str]:
        return [self.headers[i] if i < len(self.headers) else f"列{i + 1}" for i in range(n)]

    def flush(self) -> None:
        ComplaintRejectedRow.objects.bulk_create(self.pending, batch_size=1000)
        self.pending = []


def complaints_import(
    *,
    user: User | None,
    bureau: Bureau,
    path_or_bytes: str | Path | bytes | IO[bytes],
    file_name: str,
    now: dt.datetime | None = None,
) -> ComplaintImport:
    """Import one 12315 export into ``bureau``: new rows registered, known ones updated, refused ones kept.

    ``user`` is who imports (``None``: the server's operator on the command line); new records are
    registered in their name. Returns the batch with its counts; raises ``ValidationFailed`` (nothing
    written) when the file cannot be read or has no 12315 number column.
    """
    permissions.require(user, COMPLAINT_IMPORT)
    if user is not None and not user.is_superuser and user.bureau_id != bureau.pk:
        raise PermissionDeniedError(
            "只能导入本局的12315数据", "Only your own bureau's 12315 exports are imported"
        )
    now = now or timezone.now()
    started = timezone.now()
    with uploads.import_path(path_or_bytes, file_name, prefix="wangjian-12315-") as path, _as(user):
        table = importing.open_table(path, file_name)
        cols = importing.auto_mapping(table.headers, COLUMNS)
        if "source_number" not in cols:
            close = getattr(table.rows, "close", None)
            if close:
                close()
            raise ValidationFailed(
                f"文件没有12315编号列（如“登记编号”“投诉举报编号”“工单编号”），无法按编号导入；表头为：{'、'.join(table.headers)}",
                "the file has no 12315 number column (登记编号, 投诉举报编号, 工单编号): rows cannot be matched; "
                f"headers: {', '.join(table.headers)}",
                code="mapping",
                detail={"headers": table.headers},
            )
        batch = ComplaintImport.objects.create(
            bureau=bureau,
            file_name=file_name[:255],
            sha256=uploads.file_sha256(path),
            encoding=table.encoding,
            total_rows=table.total_rows,
            user=user if getattr(user, "pk", None) else None,
            started_at=now,
        )
        importer = _Importer(batch, table, cols, user=user, now=now)
        counts = importer.run()
        importer.tell_units()
    batch.total_rows = counts["rows"]
    batch.created_count = counts["created"]
    batch.updated_count = counts["updated"]
    batch.unchanged_count = counts["unchanged"]
    batch.rejected_count = counts["rejected"]
    batch.finished_at = now + (timezone.now() - started)
    batch.save()
    return batch


class _Importer:
    """One run over a file: rows cleaned, looked up a chunk at a time, registered or updated, refused rows kept."""

    def __init__(
        self,
        batch: ComplaintImport,
        table: importing.Table,
        cols: dict[str, int],
        *,
        user: User | None,
        now: dt.datetime,
    ):
        self.batch, self.table, self.cols, self.user, self.now = batch, table, cols, user, now
        self.bureau = batch.bureau
        self.today = timezone.localtime(now).date()
        self.counts = {"rows": 0, "created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
        self.rejects = _Rejects(batch, table.headers, cols)
        self.places = _Places(self.bureau)
        self.file_kind = _file_kind(table.headers)
        # only the columns the file has are compared and written: no phone column blanks no phone
        self.present = set(PLATFORM_OWNED) & {*cols, "respondent_kind"}
        if "respondent_address" in cols:
            self.present.add("respondent_region")
        self.known: dict[tuple[str, str], Complaint] = {}  # every record the file touched, by (kind, number)
        self.arrived: dict[tuple[int | None, int | None], list[Complaint]] = {}  # new records by unit

    def run(self) -> dict[str, int]:
        chunk: list[tuple[int, list[str]]] = []
        for item in self.table.rows:
            chunk.append(item)
            if len(chunk) >= CHUNK:
                self.chunk(chunk)
                chunk = []
        if chunk:
            self.chunk(chunk)
        self.counts["rejected"] = len(self.rejects.rows)
        return self.counts

    def chunk(self, chunk: list[tuple[int, list[str]]]) -> None:
        rows: list[_Row] = []
        for row_number, cells in chunk:
            self.counts["rows"] += 1
            kind, number, values, problems = _clean(
                cells, self.cols, file_kind=self.file_kind, today=self.today, places=self.places
            )
            if problems:
                for p in problems:
                    self.rejects.add(row_number, p, cells)
                continue
            rows.append(_Row(row_number, cells, kind, number, values))
        wanted = {r.source_number for r in rows if (r.kind, r.source_number) not in self.known}
        if wanted:  # one query per chunk for the numbers already registered
            for c in Complaint.objects.filter(bureau=self.bureau, source_number__in=wanted):
                self.known.setdefault((c.kind, c.source_number), c)
        changed: dict[int, Complaint] = {}
        with transaction.atomic():
            new: dict[tuple[str, str], _Row] = {}
            again: list[_Row] = []  # a number twice in the chunk: the second row updates the first
            for r in rows:
                key = (r.kind, r.source_number)
                if key in self.known:
                    self.update(r, changed)
                elif key in new:
                    again.append(r)
                else:
                    new[key] = r
            created = self.register(list(new.values()))
            for r in again:
                if (r.kind, r.source_number) in self.known:
                    self.update(r, changed)
                else:  # its first row was refused: this one is registered in its place
                    created += self.register([r])
            if changed:
                objs = list(changed.values())
                for obj in objs:
                    obj.import_batch = self.batch
                bulk_update_audited(objs, [*sorted(self.present), "import_batch"])
            self.rejects.flush()
        self.counts["created"] += len(created)
        for c in created:
            self.arrived.setdefault((c.department_id, c.station_id), []).append(c)

    def update(self, r: _Row, changed: dict[int, Complaint]) -> None:
        current = self.known[(r.kind, r.source_number)]
        outcome = _update(current, r, self.present)
        if isinstance(outcome, importing.Problem):
            self.rejects.add(r.number, outcome, r.cells)
        elif outcome:
            changed[current.pk] = current
            self.counts["updated"] += 1  # rows, like the others: a record changed twice counts twice
        else:
            self.counts["unchanged"] += 1

    def register(self, rows: list[_Row]) -> list[Complaint]:
        """New records, as if keyed by hand in the importing user's name; refused rows kept with the reason."""
        values = [
            {**r.values, "kind": r.kind, "source_number": r.source_number, "channel": Channel.PLATFORM_12315}
            for r in rows
        ]
        made = complaints_register_many(
            user=self.user, bureau=self.bureau, rows=values, now=self.now, fields={"import_batch": self.batch}
        )
        created = []
        for r, outcome in zip(rows, made, strict=True):
            if isinstance(outcome, WangjianError):  # the content check (art. 9), or a calendar year missing
                field = _blame(r.kind, r.values) if isinstance(outcome, ValidationFailed) else ""
                value = str(r.values.get(field) or "") if field else ""
                self.rejects.add(r.number, importing.Problem(field, value, outcome.zh, outcome.en), r.cells)
                continue
            self.known[(r.kind, r.source_number)] = outcome
            created.append(outcome)
        return created

    def tell_units(self) -> None:
        """One message to each unit that received new complaints or reports, not one per row."""
        url = reverse("complaints:complaint_list") + f"?import_batch={self.batch.pk}"
        for (department_id, station_id), made in self.arrived.items():
            unit = made[0].station or made[0].department
            complaints = [c for c in made if c.kind == Kind.COMPLAINT]
            dues = sorted(c.accept_due for c in complaints if c.accept_due)
            title = f"12315导入：新分来投诉{len(complaints)}件、举报{len(made) - len(complaints)}件"
            if dues:
                title += f"，最早须于 {dues[0]:%Y-%m-%d} 前决定是否受理"
            notify(
                key=f"complaintimport{self.batch.pk}:d{department_id or 0}s{station_id or 0}",
                users=unit_users(department=department_id, station=station_id),
                units=[unit] if unit else [],
                kind=MessageKind.TASK,
                title=title,
                body=f"导入文件：{self.batch.file_name}",
                url=url,
                now=self.now,
            )


def _update(complaint: Complaint, row: _Row, present: set[str]) -> bool | importing.Problem:
    """Set the platform's fields of a known record from ``row``; whether anything changed, or why not.

    The row must still carry what the record must (``check_content``: an update may not strip it). A record
    whose personal data was erased (``erased_at``) is checked on the row's but does not take it back.
    """
    given = {f: row.values[f] for f in PLATFORM_OWNED if f in present and f in row.values}
    trial = Complaint(**{f: getattr(complaint, f) for f in ("kind", *PLATFORM_OWNED)})
    for f, v in given.items():
        setattr(trial, f, v)
    new = {f: v for f, v in given.items() if not (complaint.erased_at and f in PERSONAL)}
    if all(getattr(complaint, f) == v for f, v in new.items()):
        return False
    try:
        check_content(trial)
    except ValidationFailed as exc:
        field = _blame(row.kind, {f: getattr(trial, f) for f in PLATFORM_OWNED})
        return importing.Problem(field, "", exc.zh, exc.en)
    for f, v in new.items():
        setattr(complaint, f, v)
    return True


# ---------------------------------------------------------------------------------------------
# The rejected rows as a reader may see them


def _personal_field(header: str) -> str | None:
    """Which personal field a header of the export is (by the spellings above), if any."""
    found = importing.auto_mapping([header], COLUMNS)
    name = next(iter(found), None)
    if name in PERSONAL:
        return name
    key = unicodedata.normalize("NFKC", header or "")
    if "被投诉" in key or "被举报" in key:
        return None
    for word, f in (("姓名", "person_name"), ("电话", "person_phone"), ("手机", "person_phone")):
        if word in key:
            return f
    if "证件" in key or "身份证" in key:
        return "person_id_number"
    return None


def masked_value(column: str, value: str) -> str:
    """A cell of the export with the person's data masked (name 张**, phone 138****5678)."""
    field = _personal_field(column)
    return PERSONAL[field](value) if field and value else value


def rejected_row_view(row: ComplaintRejectedRow) -> dict[str, Any]:
    """A rejected row for the page and the download: personal columns masked, the 12315 number kept."""
    raw = [(h, masked_value(h, c)) for h, c in (row.raw or []) if isinstance(h, str)]
    headers = [h for h, _c in raw]
    at = importing.auto_mapping(headers, {"source_number": COLUMNS["source_number"]}).get("source_number")
    number = raw[at][1] if at is not None else ""
    return {
        "row_number": row.row_number,
        "column": row.column,
        "value": masked_value(row.column, row.value),
        "reason": row.reason,
        "source_number": number,
        "raw": raw,
    }


def rejected_rows_csv(*, batch: ComplaintImport) -> str:
    """The rejected rows of a batch: row number, column, value, reason, then the row as the file had it under
    the file's own headers, every personal column masked — what correcting the export needs, and no more of
    the complainant's data (the file leaves wangjian)."""
    out = io.StringIO()
    writer = csv_writer(out)
    header_written = False
    for r in batch.rejected_rows.order_by("row_number", "id").iterator(chunk_size=2000):
        view = rejected_row_view(r)
        if not header_written:
            writer.writerow(["行号", "列", "值", "原因", *(h for h, _c in view["raw"])])
            header_written = True
        writer.writerow(
            [view["row_number"], view["column"], view["value"], view["reason"], *(c for _h, c in view["raw"])]
        )
    if not header_written:
        writer.writerow(["行号", "列", "值", "原因"])
    return out.getvalue()
