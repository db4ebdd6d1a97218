"""Reads of the organisation, scoped the same way for the web UI and the API.

Scoping rule: staff see their own bureau and the bureaus below it (a city bureau
oversees its counties); they never see a sibling or superior bureau's internal data.
Only the office (办公室管理员) of a bureau, or a superuser, changes its organisation and
duty list. Who may take which action is the permission table (``org.permissions``); the
functions here add the bureau the action is about.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from wangjian.org import permissions
from wangjian.org.choices import BureauLevel, DepartmentKind, Domain, DutyRole
from wangjian.org.models import Bureau, Department, DutyRule, LoginDay, Station, User

# Kinds that serve the whole bureau and need no domain of the duty list.
SUPPORT_KINDS = {
    DepartmentKind.GENERAL_OFFICE,
    DepartmentKind.INFORMATION,
    DepartmentKind.LEGAL,
    DepartmentKind.CONSUMER_ASSOCIATION,
    DepartmentKind.HOTLINE_12315,
    DepartmentKind.ONLINE_TRADE,
    DepartmentKind.ENFORCEMENT,
}


def visible_bureau_ids(user: User) -> set[int] | None:
    """Bureau ids the user may read; ``None`` means all (superuser)."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return None
    if not user.bureau_id or not permissions.may(user, permissions.ORG_READ):
        return set()
    cache = getattr(user, "_visible_bureau_ids", None)
    if cache is None:
        cache = user.bureau.descendant_ids()
        user._visible_bureau_ids = cache
    return cache


def scope(queryset: QuerySet, user: User, bureau_field: str = "bureau") -> QuerySet:
    """Restrict ``queryset`` to rows of bureaus ``user`` may see."""
    ids = visible_bureau_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{bureau_field}__in": ids})


def can_manage(user: User, bureau: Bureau | int | None) -> bool:
    """May ``user`` change the organisation, registers and settings of ``bureau``? The table's
    ``org.manage`` row (the office), for the user's own bureau."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    bureau_id = bureau.pk if isinstance(bureau, Bureau) else bureau
    return (
        permissions.may(user, permissions.ORG_MANAGE)
        and bureau_id is not None
        and bureau_id == user.bureau_id
    )


def can_check_attendance(user: User) -> bool:
    """The office (and the leading group, heads, auditors) checks who has not logged in."""
    return permissions.may(user, permissions.ATTENDANCE_READ)


def can_draft_notice(user: User) -> bool:
    """The office, the leading group and department heads write notices (the table's ``org.notices.draft``)."""
    return permissions.may(user, permissions.NOTICES_DRAFT)


PASSWORD_CHANGE_REQUIRED = (
    "请先修改一次性密码，然后才能继续使用",
    "Change your one-time password before doing anything else",
)


def must_change_password(user: User) -> bool:
    """A one-time password (a new account, a reset) is changed before anything else is done."""
    return bool(getattr(user, "is_authenticated", False) and user.must_change_password)


def may_edit_calendar(user: User) -> bool:
    """The national calendar moves every bureau's legal deadlines: the superuser and the province
    office (of a province-level bureau, on the province's own instance) enter it; no county or
    city office does (the table's ``calendar.edit``)."""
    if user.is_superuser:
        return True
    return permissions.may(user, permissions.CALENDAR_EDIT) and (
        user.bureau is not None and user.bureau.level == BureauLevel.PROVINCE
    )


def can_read_audit(user: User) -> bool:
    return permissions.may(user, permissions.CHANGELOG_READ)


@dataclass
class DutyGaps:
    """The gap view of a bureau's duty list."""

    uncovered_domains: list[str] = field(default_factory=list)
    idle_departments: list[Department] = field(default_factory=list)
    overlaps: dict[str, list[DutyRule]] = field(default_factory=dict)
    missing_departments: list[DutyRule] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.uncovered_domains or self.overlaps or self.missing_departments)


def duty_gaps(*, bureau: Bureau, on: dt.date | None = None) -> DutyGaps:
    """Domains nobody leads, departments with no domain, domains led twice, rules naming absent kinds."""
    rules = list(DutyRule.objects.filter(bureau=bureau).active_on(on))
    departments = list(Department.objects.filter(bureau=bureau, is_active=True))
    kinds_present = {d.kind for d in departments}
    lead_by_domain: dict[str, list[DutyRule]] = defaultdict(list)
    for rule in rules:
        if rule.role == DutyRole.LEAD:
            lead_by_domain[rule.domain].append(rule)
    gaps = DutyGaps()
    gaps.uncovered_domains = [d for d in Domain.values if not lead_by_domain.get(d)]
    gaps.overlaps = {d: rs for d, rs in lead_by_domain.items() if len({r.department_kind for r in rs}) > 1}
    ruled_kinds = {r.department_kind for r in rules}
    gaps.idle_departments = [
        d for d in departments if d.kind not in ruled_kinds and d.kind not in SUPPORT_KINDS
    ]
    gaps.missing_departments = [r for r in rules if r.department_kind not in kinds_present]
    return gaps


def users_not_logged_in(*, bureau: Bureau, day: dt.date) -> QuerySet:
    """Active staff of ``bureau`` who did not log in on ``day`` (the daily log-in duty of the Shandong norms)."""
    logged = LoginDay.objects.filter(date=day).values("user_id")
    return (
        User.objects.filter(bureau=bureau, is_active=True)
        .exclude(pk__in=logged)
        .select_related("department", "station")
        .order_by("department__name", "station__name", "username")
    )


def stations_of(bureau: Bureau) -> QuerySet:
    return Station.objects.filter(bureau=bureau, is_active=True)


@dataclass
class CoverageRow:
    domain: str
    label: str
    leads: list[tuple[DutyRule, Department | None]]
    assists: list[tuple[DutyRule, Department | None]]


def duty_coverage(*, bureau: Bureau, on: dt.date | None = None) -> list[CoverageRow]:
    """Every domain with the departments that lead and assist it here — the duty list read as a matrix."""
    rules = DutyRule.objects.filter(bureau=bureau).active_on(on).order_by("id")
    by_kind = {}
    for dept in Department.objects.filter(bureau=bureau, is_active=True).order_by("id"):
        by_kind.setdefault(dept.kind, dept)
    rows = {d: CoverageRow(d, str(label), [], []) for d, label in Domain.choices}
    for rule in rules:
        target = rows[rule.domain].leads if rule.role == DutyRole.LEAD else rows[rule.domain].assists
        target.append((rule, by_kind.get(rule.department_kind)))
    return list(rows.values())
