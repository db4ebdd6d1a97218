"""The reads of enforcement cases: who sees which case (and so its evidence), the list with its clocks, the
party's name as shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from wangjian.cases.choices import CaseState, PartyKind, Procedure
from wangjian.cases.models import Case, CaseEvent, CaseOfficer, GroupMember
from wangjian.clues.models import Clue
from wangjian.core.audit import mask_name
from wangjian.evidence import access
from wangjian.evidence.models import EvidenceLink
from wangjian.org.choices import Role
from wangjian.org.models import Bureau, Department, User
from wangjian.org.permissions import OFFICE
from wangjian.org.selectors import visible_bureau_ids

# Roles that see every case of their bureaus: the office, the leading group, the legal department, the auditor.
BUREAU_WIDE = frozenset({*OFFICE, Role.LEADING_GROUP, Role.LEGAL_REVIEWER, Role.AUDITOR})


def cases_visible(user: User) -> QuerySet:
    """The cases ``user`` may read: bureau-wide roles and the bureau's head see the bureau's (and those
    below it); others the cases of their 办案机构 and those they handle or drafted; anyone, of any bureau,
    the cases whose standing joint group (联合办案组) they are on and have not left."""
    qs = Case.objects.select_related("bureau", "department", "clue")
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    # the cases of the groups the user stands on, read first: a handful at most, and an empty list adds
    # no condition, so that a bureau's list keeps its index plan (bench/cases.py) instead of an OR-subquery
    grouped_ids = list(
        GroupMember.objects.filter(
            user_id=user.pk, left_at__isnull=True, group__dissolved_at__isnull=True
        ).values_list("group__case_id", flat=True)
    )
    grouped = Q(pk__in=grouped_ids) if grouped_ids else Q(pk__in=[])
    if user.role in BUREAU_WIDE or user.is_bureau_head:
        ours = Q(bureau_id__in=visible_bureau_ids(user) or set())
        return qs.filter(ours | grouped if grouped_ids else ours)
    mine = CaseOfficer.objects.filter(user_id=user.pk).values("case_id")
    cond = Q(pk__in=mine) | Q(drafted_by=user)
    if grouped_ids:
        cond |= grouped
    if user.department_id and not user.station_id:
        cond |= Q(department_id=user.department_id)
    return qs.filter(cond)


def case_evidence_seen_through(user: User, capture_ids: Collection[int]) -> dict[int, list[access.Via]]:
    """``evidence.access``'s question for the cases: of these captures, which does ``user`` see through a case
    they may read (``cases_visible``: its joint group's members of other bureaus among them) — the captures
    linked to the case, and those linked to the clue it was opened from, as the case page lists them
    (``services.case_evidence``)."""
    visible = cases_visible(user)
    found = access.through_links(model=Case, visible=visible, capture_ids=capture_ids, label="案件")
    links = list(
        EvidenceLink.objects.filter(
            content_type=ContentType.objects.get_for_model(Clue), capture_id__in=list(capture_ids)
        ).values_list("capture_id", "object_id")
    )
    clue_ids = {int(object_id) for _capture_id, object_id in links if object_id.isdigit()}
    if not clue_ids:
        return found
    by_clue: dict[str, list[access.Via]] = {}
    for case in visible.filter(clue_id__in=clue_ids):
        by_clue.setdefault(str(case.clue_id), []).append(access.via_of(case, label="案件"))
    for capture_id, object_id in links:
        for via in by_clue.get(object_id, []):
            if via not in found.setdefault(capture_id, []):
                found[capture_id].append(via)
    return {capture_id: via for capture_id, via in found.items() if via}


def may_see_party(*, user: User, case: Case) -> bool:
    """A person's name (自然人当事人) is shown in full to those who handle or oversee the case, the members
    of its standing joint group (联合办案组, of any bureau) among them."""
    if case.party_kind != PartyKind.PERSON or user.is_superuser:
        return True
    if user.role == Role.AUDITOR:
        return False
    if user.bureau_id == case.bureau_id and (
        user.is_bureau_head
        or user.role in OFFICE
        or user.role == Role.LEGAL_REVIEWER
        or user.department_id == case.department_id
        or case.case_officers.filter(user=user).exists()
    ):
        return True
    return GroupMember.objects.filter(
        group__case_id=case.pk, group__dissolved_at__isnull=True, user_id=user.pk, left_at__isnull=True
    ).exists()


def party_shown(*, user: User, case: Case) -> str:
    return case.party_name if may_see_party(user=user, case=case) else mask_name(case.party_name)


def cases_of_entity(*, user: User, entity_id: int) -> QuerySet:
    return cases_visible(user).filter(entity_id=entity_id).order_by("-opened_on", "-id")


def officers_of(case: Case) -> list[CaseOfficer]:
    return list(case.case_officers.select_related("user"))


# ---------------------------------------------------------------- the monthly 涉网案件 figures

FIGURE_SOURCES = ("monitoring", "complaint", "inspection", "transfer")  # the rest count as 其他


@dataclass
class FigureRow:
    """One unit's month: cases filed by source, decided, fined, closed, sent to the police, overdue."""

    unit: str
    filed: dict[str, int] = field(default_factory=dict)
    not_filed: int = 0
    decided: int = 0
    penalised: int = 0
    fines: Decimal = Decimal("0")
    confiscated: Decimal = Decimal("0")
    simple: int = 0
    closed: int = 0
    police: int = 0
    running: int = 0
    overdue: int = 0

    @property
    def filed_total(self) -> int:
        return sum(self.filed.values())


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    import calendar as pycal

    return dt.date(year, month, 1), dt.date(year, month, pycal.monthrange(year, month)[1])


def monthly_figures(
    *, bureau: Bureau, year: int, month: int, today: dt.date | None = None
) -> list[FigureRow]:
    """Per 办案机构, counted from the case records themselves (so the table reconciles with them): filed in the
    month by source, 不予立案, decided, penalised with fines and confiscations, closed, transferred to the
    police, and the cases still before decision at the month's end with those past their deadline.
    A handful of grouped queries, whatever the number of cases."""
    first, last = month_bounds(year, month)
    end = min(last, today or timezone.localdate())
    cases = Case.objects.filter(bureau=bureau)
    names = dict(Department.objects.filter(bureau=bureau).values_list("pk", "name"))
    rows: dict[int, FigureRow] = {}

    def row(department_id: int) -> FigureRow:
        return rows.setdefault(department_id, FigureRow(names.get(department_id, "—")))

    for r in (
        cases.filter(opened_on__range=(first, last), procedure=Procedure.GENERAL)
        .values("department_id", "source_kind")
        .annotate(n=Count("id"))
    ):
        source = r["source_kind"] if r["source_kind"] in FIGURE_SOURCES else "other"
        filed = row(r["department_id"]).filed
        filed[source] = filed.get(source, 0) + r["n"]
    for r in (
        cases.filter(state=CaseState.NOT_FILED, approved_at__date__range=(first, last))
        .values("department_id")
        .annotate(n=Count("id"))
    ):
        row(r["department_id"]).not_filed = r["n"]
    penalised = Q(penalised=True)
    for r in (
        cases.filter(decided_on__range=(first, last))
        .values("department_id")
        .annotate(
            n=Count("id"),
            p=Count("id", filter=penalised),
            fines=Sum("fine_amount", filter=penalised),
            confiscated=Sum("confiscated_amount", filter=penalised),
        )
    ):
        target = row(r["department_id"])
        target.decided, target.penalised = r["n"], r["p"]
        target.fines, target.confiscated = r["fines"] or Decimal("0"), r["confiscated"] or Decimal("0")
    # 当场处罚 (simple procedure) are decisions without 立案: counted apart, and among the decisions and fines
    simple = cases.filter(procedure=Procedure.SIMPLE, decided_on__range=(first, last))
    for r in simple.values("department_id").annotate(n=Count("id")):
        row(r["department_id"]).simple = r["n"]
    for r in cases.filter(closed_on__range=(first, last)).values("department_id").annotate(n=Count("id")):
        row(r["department_id"]).closed = r["n"]
    police = CaseEvent.objects.filter(
        case__bureau=bureau, case__transfer_to_police=True, action="transfer", at__date__range=(first, last)
    )
    for r in police.values("case__department_id").annotate(n=Count("case_id", distinct=True)):
        row(r["case__department_id"]).police = r["n"]
    # still before decision at the month's end: opened by then, neither decided nor transferred or withdrawn by then
    ended = CaseEvent.objects.filter(
        case__bureau=bureau, action__in=("transfer", "withdraw"), at__date__lte=end
    ).values("case_id")
    running = (
        cases.filter(opened_on__lte=end)
        .exclude(decided_on__lte=end)
        .exclude(pk__in=ended)
        .values("department_id")
        .annotate(
            n=Count("id"),
            late=Count("id", filter=Q(decision_due__lt=end, decision_provisional=False)),
        )
    )
    for r in running:
        target = row(r["department_id"])
        target.running, target.overdue = r["n"], r["late"]
    return sorted(rows.values(), key=lambda r: r.unit)


def figures_total(rows: list[FigureRow]) -> FigureRow:
    total = FigureRow("合计")
    for r in rows:
        for k, v in r.filed.items():
            total.filed[k] = total.filed.get(k, 0) + v
        for name in (
            "not_filed",
            "decided",
            "penalised",
            "fines",
            "confiscated",
            "simple",
            "closed",
            "police",
            "running",
            "overdue",
        ):
            setattr(total, name, getattr(total, name) + getattr(r, name))
    return total


FIGURE_COLUMNS = [
    ("unit", "办案机构"),
    ("monitoring", "立案：监测发现"),
    ("complaint", "立案：投诉举报"),
    ("inspection", "立案：监督检查"),
    ("transfer", "立案：移送"),
    ("other", "立案：其他"),
    ("filed_total", "立案合计"),
    ("not_filed", "不予立案"),
    ("decided", "作出决定"),
    ("penalised", "其中行政处罚"),
    ("fines", "罚款（元）"),
    ("confiscated", "没收违法所得（元）"),
    ("simple", "其中当场处罚"),
    ("closed", "结案"),
    ("police", "移送公安"),
    ("running", "月末在办"),
    ("overdue", "其中超过办案期限"),
]


def figure_values(row: FigureRow) -> list:
    out = []
    for key, _label in FIGURE_COLUMNS:
        if key == "unit":
            out.append(row.unit)
        elif key in (*FIGURE_SOURCES, "other"):
            out.append(row.filed.get(key, 0))
        else:
            value = getattr(row, key)
            out.append(float(value) if isinstance(value, Decimal) else value)
    return out


def monthly_figures_xlsx(*, bureau: Bureau, year: int, month: int, today: dt.date | None = None) -> bytes:
    """涉网案件统计表: the month per 办案机构 with a total line, and every case of the month on sheet 2."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    rows = monthly_figures(bureau=bureau, year=year, month=month, today=today)
    first, last = month_bounds(year, month)
    wb = Workbook()
    ws = wb.active
    ws.title = "涉网案件统计表"
    ws.append([f"{bureau.name}涉网案件统计表（{year}年{month}月）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(FIGURE_COLUMNS))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(
        [
            f"统计期间：{first:%Y年%m月%d日}至{last:%Y年%m月%d日}；立案按立案日期，决定按决定日期，结案按结案日期"
        ]
    )
    ws.append([label for _key, label in FIGURE_COLUMNS])
    for row in [*rows, figures_total(rows)]:
        ws.append(figure_values(row))
    listing = wb.create_sheet("案件清单")
    listing.append(
        ["立案编号", "案由", "办案机构", "来源", "状态", "立案日期", "决定日期", "罚款（元）", "结案日期"]
    )
    month_cases = (
        Case.objects.filter(bureau=bureau)
        .filter(
            Q(opened_on__range=(first, last))
            | Q(decided_on__range=(first, last))
            | Q(closed_on__range=(first, last))
        )
        .select_related("department")
        .order_by("opened_on", "id")
    )
    for case in month_cases:
        listing.append(
            [
                case.number,
                case.title,
                str(case.department),
                case.get_source_kind_display(),
                case.get_state_display(),
                case.opened_on,
                case.decided_on,
                float(case.fine_amount) if case.fine_amount else None,
                case.closed_on,
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def running_first(qs: QuerySet) -> QuerySet:
    """The list's order: cases whose clock runs first, soonest deadline first; then the rest, newest first.

    ``running_due`` is the decision deadline while the clock runs and empty otherwise, so the order is
    one index (``cases_list_order``) rather than a computed sort over every case (bench/cases.py)."""
    return qs.order_by(F("running_due").asc(nulls_last=True), "-id")
