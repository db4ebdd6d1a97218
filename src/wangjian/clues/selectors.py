"""Reads of the clue loop: who sees which clue, work lists, the office overview and the monthly report.

Visibility (the same for the web UI, the API and the CLI): the office, the leading group
and auditors see their bureau's clues (and those of bureaus below it); an officer sees the
clues of their unit, plus those they found or that were shared with them; a department
head also sees the stations' clues of their department's domains. A bureau that transferred a
clue elsewhere keeps read-only sight of it. Whoever sees a clue sees the evidence captures linked to it,
of whichever bureau (``clue_evidence_seen_through``, registered with ``evidence.access``).
"""

from __future__ import annotations

import calendar as pycal
import datetime as dt
import io
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, DateField, F, Q, QuerySet, When
from django.utils import timezone

from wangjian.clues.choices import (
    AWAITING_DISPOSAL,
    AWAITING_FEEDBACK,
    OPEN_STATES,
    CheckResult,
    ClueState,
    Disposal,
)
from wangjian.clues.models import Clue, ClueSource
from wangjian.core import workdays
from wangjian.core.errors import WangjianError
from wangjian.evidence import access
from wangjian.evidence.models import EvidenceCapture, EvidenceLink
from wangjian.exchange.leads import CLUE
from wangjian.exchange.models import Category, Direction, Message, Partner
from wangjian.exchange.services.partners import agreement_problem
from wangjian.org.choices import Role
from wangjian.org.models import Bureau, User
from wangjian.org.selectors import visible_bureau_ids
from wangjian.platform.workitems.models import WorkItem

BUREAU_WIDE_ROLES = (Role.OFFICE_ADMIN, Role.PROVINCE_OFFICE, Role.LEADING_GROUP, Role.AUDITOR)


def with_due(qs: QuerySet) -> QuerySet:
    """Annotate the deadline running now (``due``): feedback while checking, disposal after feedback."""
    return qs.annotate(
        due=Case(
            When(state__in=AWAITING_FEEDBACK, then=F("feedback_due")),
            When(state__in=AWAITING_DISPOSAL, then=F("disposal_due")),
            default=None,
            output_field=DateField(),
        )
    )


def clues_visible(user: User) -> QuerySet:
    """The clues ``user`` may read."""
    qs = Clue.objects.select_related("bureau", "department", "station", "finder")
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    # Shared clues by a subquery, not a join: the join would repeat rows and need a DISTINCT, which
    # makes PostgreSQL sort every visible clue by every column (seconds at 100,000 clues; bench/load.py).
    shared = Clue.shared_with.through.objects.filter(user_id=user.pk).values("clue_id")
    cond = Q(finder=user) | Q(pk__in=shared)
    if user.role in BUREAU_WIDE_ROLES:
        ids = visible_bureau_ids(user) or set()
        cond |= Q(bureau_id__in=ids) | Q(transferred_from__bureau_id__in=ids)
    else:
        if user.station_id:
            cond |= Q(station_id=user.station_id) | Q(transferred_from__station_id=user.station_id)
        if user.department_id:
            cond |= Q(department_id=user.department_id, station__isnull=True) | Q(
                transferred_from__department_id=user.department_id, transferred_from__station__isnull=True
            )
            if user.role == Role.DEPARTMENT_HEAD:
                cond |= Q(department_id=user.department_id)
    return qs.filter(cond)  # every other condition is on the clue's own row or a forward key: no repeats


def clue_read_only(*, user: User, clue: Clue) -> bool:
    """A clue of another bureau (transferred there) is shown read-only to the sender."""
    return not user.is_superuser and clue.bureau_id != user.bureau_id


def unit_clues(*, user: User, open_only: bool = True) -> QuerySet:
    """The user's work list: due soonest first, those without a running deadline last."""
    qs = with_due(clues_visible(user))
    if open_only:
        qs = qs.filter(state__in=OPEN_STATES)
    return qs.order_by(F("due").asc(nulls_last=True), "id")


def office_queue(*, bureau: Bureau) -> QuerySet:
    """What waits for the office: duty-list gaps (待分派) and returned clues (已退回)."""
    return Clue.objects.filter(bureau=bureau, state__in=[ClueState.PENDING, ClueState.RETURNED]).order_by(
        "id"
    )


@dataclass
class WorkbenchRow:
    label: str
    url: str
    due: dt.date | None
    overdue: bool
    state: str


def workbench_items(*, user: User, today: dt.date | None = None, limit: int = 20) -> list[WorkbenchRow]:
    """The officer's clues to act on: overdue and due soon first; for the office also its queue."""
    today = today or timezone.localdate()
    items: list[WorkbenchRow] = []
    mine = with_due(clues_visible(user)).filter(state__in=AWAITING_FEEDBACK + AWAITING_DISPOSAL)
    if not user.is_superuser:
        mine = mine.filter(bureau_id=user.bureau_id)  # clues transferred elsewhere are only watched
    if user.role in BUREAU_WIDE_ROLES and not user.is_superuser:
        # the office's own list is what is overdue or escalated across the bureau, plus its queue
        mine = mine.filter(
            Q(feedback_overdue=True) | Q(disposal_overdue=True) | Q(department_id=user.department_id)
        )
        for clue in office_queue(bureau=user.bureau)[:limit] if user.bureau_id else []:
            flag = "职责清单空白" if clue.gap else clue.get_state_display()
            items.append(
                WorkbenchRow(
                    f"{clue.number} 【{flag}】{clue.title}", clue.get_absolute_url(), None, False, clue.state
                )
            )
    for clue in mine.order_by(F("due").asc(nulls_last=True), "id")[:limit]:
        overdue = clue.due is not None and clue.due < today and not clue.current_due_provisional
        items.append(
            WorkbenchRow(
                f"{clue.number} 【{clue.get_state_display()}】{clue.title}",
                clue.get_absolute_url(),
                clue.due,
                overdue,
                clue.state,
            )
        )
    return items[:limit]


# ---------------------------------------------------------------- overview and monthly statistics


@dataclass
class UnitRow:
    """One line of the office overview / 线索处置情况统计表."""

    unit: str
    received: int = 0
    fed_back: int = 0
    on_time: int = 0
    late: int = 0
    overdue_open: int = 0
    in_progress: int = 0
    closed: int = 0
    returned: int = 0
    transferred: int = 0
    escalated: int = 0
    days_total: int = 0
    results: Counter = field(default_factory=Counter)
    disposals: Counter = field(default_factory=Counter)

    @property
    def overdue(self) -> int:
        return self.late + self.overdue_open

    @property
    def average_days(self) -> float | None:
        return round(self.days_total / self.fed_back, 1) if self.fed_back else None

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.fed_back, 1) if self.fed_back else None


@dataclass
class Overview:
    bureau: Bureau
    start: dt.date
    end: dt.date
    rows: list[UnitRow]
    total: UnitRow
    errors: list[str] = field(default_factory=list)


def office_overview(
    *, bureau: Bureau, start: dt.date, end: dt.date, today: dt.date | None = None
) -> Overview:
    """Per unit, clues assigned in [start, end]: received, on time, overdue, average working days to feedback, results.

    "Overdue" counts clues fed back after their deadline and open clues past it. The
    average is in working days from assignment to feedback, as the 7-day rule counts.
    """
    today = today or timezone.localdate()
    calendar = workdays.current()
    rows: dict[str, UnitRow] = {}
    total = UnitRow("合计")
    errors: list[str] = []
    clues = (
        Clue.objects.filter(bureau=bureau, assigned_at__isnull=False)
        .exclude(state__in=[ClueState.MERGED])
        .select_related("department", "station")
    )
    escalated = set(
        WorkItem.objects.filter(subject_type="clues.clue", escalations__isnull=False)
        .values_list("subject_id", flat=True)
        .distinct()
    )
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    for clue in clues.filter(assigned_at__gte=lo, assigned_at__lt=hi):
        name = str(clue.unit or "—")
        row = rows.setdefault(name, UnitRow(name))
        for r in (row, total):
            r.received += 1
            if str(clue.pk) in escalated:
                r.escalated += 1
        assigned_on = timezone.localtime(clue.assigned_at).date()
        if clue.fed_back_at:
            fed_on = timezone.localtime(clue.fed_back_at).date()
            try:
                days = calendar.working_days_between(assigned_on, fed_on)
            except WangjianError as exc:
                errors.append(str(exc))
                days = 0
            on_time = clue.feedback_due is None or fed_on <= clue.feedback_due
            for r in (row, total):
                r.fed_back += 1
                r.days_total += days
                r.on_time += on_time
                r.late += not on_time
                r.results[clue.check_result] += 1
        elif clue.state in AWAITING_FEEDBACK and clue.feedback_due and clue.feedback_due < today:
            for r in (row, total):
                r.overdue_open += 1
        for r in (row, total):
            if clue.state == ClueState.CLOSED:
                r.closed += 1
                r.disposals[clue.disposal] += 1
            elif clue.state == ClueState.RETURNED:
                r.returned += 1
            elif clue.state == ClueState.TRANSFERRED:
                r.transferred += 1
            elif clue.state in OPEN_STATES:
                r.in_progress += 1
    ordered = sorted(rows.values(), key=lambda r: (-r.received, r.unit))
    return Overview(bureau, start, end, ordered, total, sorted(set(errors)))


def month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, pycal.monthrange(year, month)[1])


STAT_COLUMNS = [
    ("unit", "承办单位"),
    ("received", "受理线索"),
    ("fed_back", "已反馈"),
    ("on_time", "按期反馈"),
    ("on_time_rate", "按期反馈率（%）"),
    ("overdue", "逾期"),
    ("average_days", "平均反馈用时（工作日）"),
    (CheckResult.TRUE, "属实"),
    (CheckResult.PARTLY, "部分属实"),
    (CheckResult.FALSE, "不属实"),
    (CheckResult.UNVERIFIABLE, "无法核实"),
    (Disposal.RECTIFY, "责令整改"),
    (Disposal.GUIDANCE, "行政指导/约谈"),
    (Disposal.CASE, "立案"),
    (Disposal.REFER, "移送"),
    (Disposal.NO_ACTION, "不予处理"),
    ("in_progress", "在办"),
    ("returned", "退回"),
    ("transferred", "移交外局"),
    ("escalated", "督办"),
]


def stat_values(row: UnitRow) -> list:
    out = []
    for key, _label in STAT_COLUMNS:
        if key in CheckResult.values:
            out.append(row.results.get(key, 0))
        elif key in Disposal.values:
            out.append(row.disposals.get(key, 0))
        else:
            value = getattr(row, key)
            out.append("—" if value is None else value)
    return out


def monthly_statistics_xlsx(*, bureau: Bureau, year: int, month: int, today: dt.date | None = None) -> bytes:
    """线索处置情况统计表: the monthly report the office sends to the leading group (机制二(一)).

    Sheet 1 is the table per unit with a total line; sheet 2 lists every clue of the month.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    start, end = month_range(year, month)
    overview = office_overview(bureau=bureau, start=start, end=end, today=today)
    wb = Workbook()
    ws = wb.active
    ws.title = "线索处置情况统计表"
    width = len(STAT_COLUMNS)
    ws.append([f"{bureau.name}涉网问题线索处置情况统计表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([f"统计期间：{start:%Y年%m月%d日}至{end:%Y年%m月%d日}（按分派日期）"])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.append([label for _key, label in STAT_COLUMNS])
    thin = Side(style="thin")
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in [*overview.rows, overview.total]:
        ws.append(stat_values(row))
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    for row in ws.iter_rows(min_row=3, max_row=ws.max_row, max_col=width):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.append([])
    ws.append(
        [f"填报单位：{bureau.name}领导小组办公室    填报日期：{(today or timezone.localdate()):%Y-%m-%d}"]
    )
    ws.append(
        [
            "说明：反馈时限为分派后7个工作日（旌市场办〔2022〕116号 二(四)，可按来源配置）；逾期含逾期反馈与逾期未反馈。"
        ]
    )
    ws.column_dimensions["A"].width = 28
    for i in range(2, width + 1):
        ws.column_dimensions[get_column_letter(i)].width = 10
    detail = wb.create_sheet("线索明细")
    detail.append(
        [
            "线索编号",
            "来源",
            "监管领域",
            "主体",
            "承办单位",
            "分派时间",
            "反馈期限",
            "反馈时间",
            "核查结论",
            "处置结果",
            "状态",
        ]
    )
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    for clue in (
        Clue.objects.filter(bureau=bureau, assigned_at__gte=lo, assigned_at__lt=hi)
        .select_related("department", "station")
        .order_by("seq")
    ):
        detail.append(
            [
                clue.number,
                clue.get_source_kind_display(),
                clue.get_domain_display(),
                clue.entity_name or clue.presence_label,
                str(clue.unit or ""),
                timezone.localtime(clue.assigned_at).strftime("%Y-%m-%d %H:%M"),
                clue.feedback_due,
                timezone.localtime(clue.fed_back_at).strftime("%Y-%m-%d %H:%M") if clue.fed_back_at else "",
                clue.get_check_result_display(),
                clue.get_disposal_display(),
                clue.get_state_display(),
            ]
        )
    for col, w in zip("ABCDEFGHIJK", (22, 12, 16, 28, 24, 17, 12, 17, 10, 14, 10), strict=True):
        detail.column_dimensions[col].width = w
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def clues_of_entity(*, user: User, entity_id: int) -> QuerySet:
    """For the entity's archive page (registry): the clues concerning it that ``user`` may read."""
    return (
        clues_visible(user).filter(Q(entity_id=entity_id) | Q(presence__entity_id=entity_id)).order_by("-id")
    )


def clue_holds_evidence(clue: Clue) -> bool:
    """Evidence linked to a clue is kept while the matter is open anywhere.

    A clue transferred to another bureau or merged into another one is finished here, but the
    matter goes on there, so its evidence is held until that clue is finished too.
    """
    if clue.state in OPEN_STATES:
        return True
    if clue.state == ClueState.TRANSFERRED:
        return any(clue_holds_evidence(t) for t in clue.transferred_to.all())
    if clue.state == ClueState.MERGED and clue.merged_into_id:
        return clue_holds_evidence(clue.merged_into)
    return False


def clue_evidence_seen_through(user: User, capture_ids: Collection[int]) -> dict[int, list[access.Via]]:
    """``evidence.access``'s question for the clue loop: of these captures, which does ``user`` see through a
    clue they may read (``clues_visible``) — a clue transferred in from another bureau among them."""
    return access.through_links(
        model=Clue, visible=clues_visible(user), capture_ids=capture_ids, label="线索"
    )


def clue_captures(clue: Clue) -> QuerySet[EvidenceCapture]:
    """The captures the clue rests on: linked to it, or to the clues merged into it (their sources moved
    here, their links stayed), of whichever bureau made them."""
    ids, frontier = {clue.pk}, [clue.pk]
    while frontier:
        frontier = list(
            Clue.objects.filter(merged_into_id__in=frontier).exclude(pk__in=ids).values_list("pk", flat=True)
        )
        ids.update(frontier)
    linked = EvidenceLink.objects.filter(
        content_type=ContentType.objects.get_for_model(Clue), object_id__in=[str(i) for i in ids]
    ).values("capture_id")
    return EvidenceCapture.objects.filter(pk__in=linked).select_related("bureau").order_by("started_at", "id")


def source_evidence(
    sources: list[ClueSource], captures: list[EvidenceCapture]
) -> list[tuple[ClueSource, list[tuple[str, EvidenceCapture | None]]]]:
    """Each source with its evidence references, each beside the linked capture it names (``capture:<id>``,
    or ``evidence:<metadata SHA-256>``) so the page links it; a reference naming none stays text."""
    by_ref = {f"capture:{c.pk}": c for c in captures}
    by_ref.update({f"evidence:{c.metadata_sha256}": c for c in captures if c.metadata_sha256})
    return [(s, [(ref, by_ref.get(ref)) for ref in s.evidence_refs]) for s in sources]


def transfer_suggestion(clue: Clue) -> tuple[Bureau, str] | None:
    """The bureau whose territory the entity is in, when it is not this clue's bureau (法定管辖), and why.

    From the township/region code given with the clue, else from positions 3–8 of the
    统一社会信用代码 (the registering authority's division code, GB 32100-2015).
    """
    code, why = "", ""
    if len(clue.region_code) >= 6:
        code, why = clue.region_code[:6], f"区划代码 {clue.region_code}"
    elif len(clue.entity_uscc) == 18 and clue.entity_uscc[2:8].isdigit():
        code, why = (
            clue.entity_uscc[2:8],
            f"统一社会信用代码第3–8位 {clue.entity_uscc[2:8]}（登记机关所在地）",
        )
    if not code or code == clue.bureau.code or code.startswith(clue.bureau.code.rstrip("0") or "-"):
        return None
    bureau = Bureau.objects.filter(code=code).first()
    if bureau is None:
        return None
    return bureau, f"{why}属{bureau}辖区，可按属地管辖移交"


def transfer_partners(clue: Clue) -> QuerySet:
    """The partner bureaus on other instances this clue may be sent to: the clue's bureau's, active, whose
    agreement covers 执法协作 today."""
    partners = Partner.objects.filter(bureau_id=clue.bureau_id, active=True, agreement__isnull=False)
    ok = [
        p.pk
        for p in partners.select_related("agreement")
        if agreement_problem(p, Category.ENFORCEMENT) is None
    ]
    return Partner.objects.filter(pk__in=ok).order_by("code")


def clue_sent_to_partners(clue: Clue) -> list[Message]:
    """The messages that sent this clue to partner instances, with their state (delivered, refused …)."""
    return list(
        Message.objects.filter(
            bureau_id=clue.bureau_id, direction=Direction.OUT, kind=CLUE, body__number=clue.number
        )
        .select_related("partner")
        .order_by("recorded_at")
    )
