"""The layouts of the province's case system: the columns, how each is read from a case, how it compares.

A layout is a named list of columns: the Chinese header, how the value is read from a case, how it compares
(dates, amounts, numbers and states normalised first: 2025/12/3 = 2025-12-03, ¥20,000 = 20000.00,
旌市监立[2025]1号 = 旌市监立〔2025〕1号). ``GENERIC`` is modelled on the data items a provincial 办案系统 export
typically has; it is NOT any province's import template. Check its columns — names, order, date and amount
formats, code lists — against the real system's import template before relying on it, and where they differ
register that system's layout with ``register_layout`` when the deployment starts (``AppConfig.ready``).
``services.province`` exports and compares with them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ImproperlyConfigured

from wangjian.cases.choices import CaseState, SourceKind
from wangjian.cases.models import Case
from wangjian.core.errors import NotFoundError, ValidationFailed
from wangjian.registry import importing

# ---------------------------------------------------------------- comparing: each kind of value, normalised


def norm_text(text: str) -> str:
    """Full-width to half-width, runs of white space to one space, trimmed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip()


_BRACKETS = str.maketrans(
    {"[": "〔", "]": "〕", "［": "〔", "］": "〕", "【": "〔", "】": "〕", "(": "〔", ")": "〕"}
)


def norm_code(text: str) -> str:
    """Numbers and codes: no spaces, upper case, 〔〕 for every bracket a year is written in."""
    return norm_text(text).replace(" ", "").upper().translate(_BRACKETS)


EXCEL_EPOCH = dt.date(1899, 12, 30)


def norm_date(text: str) -> str:
    """2025-12-03, 2025/12/3, 20251203, 2025年12月3日, a time after it, or an Excel day number → ISO."""
    text = norm_text(text)
    if re.fullmatch(r"\d{5}(\.0+)?", text):  # a date cell saved as its Excel serial number
        return (EXCEL_EPOCH + dt.timedelta(days=int(float(text)))).isoformat()
    try:
        found = importing.parse_date(text.split(" ")[0])
    except ValueError:
        raise ValidationFailed(f"日期无法识别：{text}", f"not a date: {text}") from None
    return found.isoformat() if found else ""


def norm_amount(text: str) -> str:
    """Yuan with two decimals; ¥, 元 and thousands separators dropped; blank and zero alike (no amount)."""
    text = norm_text(text).replace(",", "").replace("，", "").replace(" ", "")
    text = text.removeprefix("¥").removeprefix("￥").removesuffix("元")
    if not text:
        return ""
    try:
        amount = Decimal(text)
        if not amount.is_finite():
            raise InvalidOperation(text)
        return "" if amount == 0 else f"{amount.quantize(Decimal('0.01'))}"
    except InvalidOperation:
        raise ValidationFailed(f"金额无法识别：{text}", f"not an amount: {text}") from None


# How the province's systems name the stages; each spelling → our state (unknown spellings compare as text).
S = CaseState
STATE_LABELS: dict[str, str] = {
    **dict.fromkeys((S.DRAFT, S.PENDING), "待立案"),
    **{S.NOT_FILED: "不予立案", S.INVESTIGATING: "调查取证", S.INVESTIGATED: "调查终结", S.REVIEWING: "审核"},
    **{S.LEGAL_REVIEW: "法制审核", S.READY: "审核完毕", S.NOTIFIED: "已告知", S.HEARING: "听证"},
    **{S.DISCUSSION: "集体讨论", S.DECIDED: "已决定", S.SERVED: "已送达", S.EXECUTED: "执行完毕"},
    **{S.CLOSED: "已结案", S.TRANSFERRED: "已移送", S.WITHDRAWN: "已撤销立案"},
}
STATE_ALIASES: dict[str, str] = {
    **{label: state for state, label in STATE_LABELS.items() if state != S.PENDING},
    **{str(state.label): state.value for state in CaseState},
    **dict.fromkeys(("立案", "已立案", "调查中", "在办"), S.INVESTIGATING),
    **dict.fromkeys(("核审", "案件审核"), S.REVIEWING),
    **dict.fromkeys(("决定", "处罚决定"), S.DECIDED),
    **dict.fromkeys(("送达", "执行", "执行中"), S.SERVED),
    **{
        "告知": S.NOTIFIED,
        "已执行": S.EXECUTED,
        "结案": S.CLOSED,
        "移送": S.TRANSFERRED,
        "撤销立案": S.WITHDRAWN,
    },
}
SOURCE_ALIASES: dict[str, str] = {
    **{str(kind.label): kind.value for kind in SourceKind},
    **dict.fromkeys(("监测", "网络监测"), SourceKind.MONITORING),
    **dict.fromkeys(("投诉举报", "投诉", "举报"), SourceKind.COMPLAINT),
    **dict.fromkeys(("检查发现", "日常检查"), SourceKind.INSPECTION),
    **dict.fromkeys(("移送", "其他机关移送", "其他部门移送"), SourceKind.TRANSFER),
    **{"交办": SourceKind.SUPERIOR, "媒体": SourceKind.MEDIA},
}


def _vocabulary(aliases: dict[str, str]) -> Callable[[str], str]:
    table = {norm_code(k): v for k, v in aliases.items()}

    def normalise(text: str) -> str:
        return table.get(norm_code(text), norm_text(text))

    return normalise


@dataclass(frozen=True)
class Compare:
    """How a column's two values are compared: both normalised, then equal or not."""

    label: str  # shown beside the layout's columns: 文本, 日期 …
    normalise: Callable[[str], str]  # raises ``ValidationFailed`` for a value that cannot be read


TEXT = Compare("文本", norm_text)
CODE = Compare("编号", norm_code)
DATE = Compare("日期", norm_date)
AMOUNT = Compare("金额（元）", norm_amount)
STATE = Compare("案件状态", _vocabulary(STATE_ALIASES))
SOURCE = Compare("案件来源", _vocabulary(SOURCE_ALIASES))


# ---------------------------------------------------------------- layouts


@dataclass(frozen=True)
class Column:
    """One column of the province system's file."""

    header: str  # as the province's file spells it
    read: Callable[[Case], object]  # the case's value (text, date or amount)
    compare: Compare = TEXT
    aliases: tuple[str, ...] = ()  # other spellings of the header in that system's exports
    match: str = ""  # "external_number" or "number": the column finds the case
    personal: bool = False  # a natural person's name: masked unless exported to the record system


@dataclass(frozen=True)
class Layout:
    key: str
    name: str
    columns: tuple[Column, ...]
    sheet: str = "案件信息"
    note: str = ""

    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


_LAYOUTS: dict[str, Layout] = {}


def register_layout(layout: Layout) -> Layout:
    """Add a province system's layout (a deployment's, at start-up). The same layout twice is harmless."""
    known = _LAYOUTS.get(layout.key)
    if known is not None and known != layout:
        raise ImproperlyConfigured(f"province layout {layout.key} is registered twice, differently")
    if not any(c.match for c in layout.columns):
        raise ImproperlyConfigured(f"province layout {layout.key} has no column that finds the case")
    _LAYOUTS[layout.key] = layout
    return layout


def get_layout(key: str | None) -> Layout:
    if not key:
        return GENERIC
    try:
        return _LAYOUTS[key]
    except KeyError:
        raise NotFoundError(f"没有这种导出格式：{key}", f"no such layout: {key}") from None


def layouts() -> list[Layout]:
    return list(_LAYOUTS.values())


def _lead_name(case: Case) -> str:
    officers = list(case.case_officers.all())
    lead = next((o for o in officers if o.lead), officers[0] if officers else None)
    return (getattr(lead.user, "name", "") or lead.user.get_username()) if lead else ""


GENERIC = register_layout(
    Layout(
        key="generic",
        name="通用格式（示例，须按本省办案系统导入模板核对）",
        note="按省级行政执法办案系统常见数据项编排；实际使用前须与本省系统的导入模板逐列核对。",
        columns=(
            Column(
                "案件编号",
                lambda c: c.external_number,
                CODE,
                ("省级办案系统案件编号", "办案系统案件编号", "案件ID", "案件号"),
                match="external_number",
            ),
            Column(
                "立案编号", lambda c: c.number, CODE, ("立案文号", "立案决定书文号", "立案号"), match="number"
            ),
            Column("案由", lambda c: c.title, TEXT, ("案件名称",)),
            Column("当事人", lambda c: c.party_name, TEXT, ("当事人名称", "当事人姓名或名称"), personal=True),
            Column(
                "统一社会信用代码", lambda c: c.party_uscc, CODE, ("当事人统一社会信用代码", "社会信用代码")
            ),
            Column("案件来源", lambda c: c.source_kind, SOURCE),
            Column("立案日期", lambda c: c.opened_on, DATE, ("立案时间",)),
            Column("办案机构", lambda c: c.department.name, TEXT, ("承办机构", "办案单位", "承办部门")),
            Column("主办人", _lead_name, TEXT, ("主办人员", "承办人", "主办执法人员")),
            Column("案件状态", lambda c: c.state, STATE, ("办理状态", "状态")),
            Column("决定书文号", lambda c: c.decision_number, CODE, ("处罚决定书文号", "行政处罚决定书文号")),
            Column("决定日期", lambda c: c.decided_on, DATE, ("处罚决定日期", "作出决定日期")),
            Column("罚款金额（元）", lambda c: c.fine_amount, AMOUNT, ("罚款金额", "罚款(元)", "罚没金额")),
            Column(
                "没收金额（元）", lambda c: c.confiscated_amount, AMOUNT, ("没收金额", "没收违法所得（元）")
            ),
            Column("送达日期", lambda c: c.served_on, DATE, ("决定书送达日期",)),
            Column("结案日期", lambda c: c.closed_on, DATE, ("结案时间",)),
        ),
    )
)


def shown(column: Column, case: Case) -> str:
    """The case's value as text, in the layout's words (a state and a source by the province's label)."""
    value = column.read(case)
    if column.compare is STATE:
        return STATE_LABELS.get(value, str(value or ""))
    if column.compare is SOURCE:
        return str(SourceKind(value).label) if value in SourceKind.values else str(value or "")
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value).strip()
