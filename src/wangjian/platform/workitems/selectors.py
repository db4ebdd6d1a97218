"""Reads of the work items: who is told, who may do what, and the lists of the workbench and domain pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from wangjian.core.clocks import Suspension
from wangjian.org import permissions
from wangjian.org.choices import Role
from wangjian.org.models import Department, LeadingGroupMember, Station, User
from wangjian.org.permissions import OFFICE
from wangjian.org.selectors import visible_bureau_ids
from wangjian.platform.clocks.catalogue import SuspensionKind
from wangjian.platform.permissions import WORKITEMS_CREATE
from wangjian.platform.workitems.models import ClockStop, Escalation, WorkItem, WorkItemState

# ---------------------------------------------------------------- who is told


def _active(qs: QuerySet[User]) -> QuerySet[User]:
    return qs.filter(is_active=True).exclude(role=Role.AUDITOR)


def unit_users(
    *, department: Department | int | None = None, station: Station | int | None = None
) -> list[User]:
    """The staff of a unit: a station's if it is a station's matter, else the department's."""
    if station:
        return list(_active(User.objects.filter(station=station)))
    if department:
        return list(_active(User.objects.filter(department=department)))
    return []


def office_users(bureau_id: int) -> list[User]:
    return list(User.objects.filter(bureau_id=bureau_id, role__in=OFFICE, is_active=True))


def leading_group_users(bureau_id: int) -> list[User]:
    members = LeadingGroupMember.objects.filter(group__bureau_id=bureau_id).values("user_id")
    return list(
        User.objects.filter(is_active=True, bureau_id=bureau_id)
        .filter(Q(role=Role.LEADING_GROUP) | Q(pk__in=members))
        .distinct()
    )


def item_users(item: WorkItem) -> list[User]:
    """Who owes the item: its unit's staff and its assignee."""
    users = unit_users(department=item.department_id, station=item.station_id)
    if item.assignee_id and item.assignee_id not in {u.pk for u in users} and item.assignee.is_active:
        users.append(item.assignee)
    return users


# ---------------------------------------------------------------- who may do what


def _same_bureau(user: User, item: WorkItem) -> bool:
    return user.is_superuser or user.bureau_id == item.bureau_id


def is_office(user: User, bureau_id: int) -> bool:
    return user.is_superuser or (user.role in OFFICE and user.bureau_id == bureau_id)


def in_unit(user: User, item: WorkItem) -> bool:
    """The assignee, a member of the unit, or the head of the department (科室负责人) of the item."""
    if not user.is_authenticated or user.role == Role.AUDITOR or not _same_bureau(user, item):
        return False
    if item.assignee_id == user.pk:
        return True
    if item.station_id:
        return user.station_id == item.station_id or (
            user.role == Role.DEPARTMENT_HEAD
            and item.department_id
            and user.department_id == item.department_id
        )
    return bool(item.department_id) and user.department_id == item.department_id


def may_create(
    user: User | None, *, bureau_id: int, department: Department | None, station: Station | None
) -> bool:
    """The office hands anything to any unit; a department head to their department and its stations."""
    if user is None:
        return True
    if not permissions.may(user, WORKITEMS_CREATE):
        return False
    if is_office(user, bureau_id):
        return True
    if user.bureau_id != bureau_id or user.role != Role.DEPARTMENT_HEAD:
        return False
    return department is not None and department.pk == user.department_id


def may_finish(user: User, item: WorkItem) -> bool:
    return is_office(user, item.bureau_id) or in_unit(user, item)


def may_escalate(user: User | None, item: WorkItem, level: int) -> bool:
    """Level 1 is the office's; level 2 the office's or the leading group's (机制二(一))."""
    if user is None:
        return True
    if is_office(user, item.bureau_id):
        return True
    return level == 2 and user.role == Role.LEADING_GROUP and user.bureau_id == item.bureau_id


# ---------------------------------------------------------------- lists


def items_visible(user: User) -> QuerySet:
    """The office, leading group and auditors see their bureaus' items; others the items of their unit."""
    qs = WorkItem.objects.select_related("department", "station", "assignee")
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    if user.role in (*OFFICE, Role.LEADING_GROUP, Role.AUDITOR):
        return qs.filter(bureau_id__in=visible_bureau_ids(user) or set())
    cond = Q(assignee=user) | Q(created_by=user)
    if user.station_id:
        cond |= Q(station_id=user.station_id)
    if user.department_id:
        cond |= Q(department_id=user.department_id, station__isnull=True)
        if user.role == Role.DEPARTMENT_HEAD:
            cond |= Q(department_id=user.department_id)
    return qs.filter(cond)


def open_items_for(
    user: User, *, kinds: list[str] | None = None, exclude_kinds: list[str] | None = None
) -> QuerySet:
    """The user's open items: the office's are what is overdue or escalated across its bureau."""
    qs = items_visible(user).filter(state=WorkItemState.OPEN)
    if user.is_authenticated and not user.is_superuser and user.role in (*OFFICE, Role.LEADING_GROUP):
        qs = qs.filter(
            Q(overdue=True) | Q(assignee=user) | Q(created_by=user) | Q(department_id=user.department_id)
        )
    if kinds is not None:
        qs = qs.filter(kind__in=kinds)
    if exclude_kinds:
        qs = qs.exclude(kind__in=exclude_kinds)
    return qs.order_by(F("due").asc(nulls_last=True), "id")


def domain_items(user: User, domain: str, *, bureau_id: int | None = None) -> QuerySet:
    qs = items_visible(user).filter(state=WorkItemState.OPEN, domain=domain)
    if bureau_id:
        qs = qs.filter(bureau_id=bureau_id)
    return qs.order_by(F("due").asc(nulls_last=True), "id")


def items_of(subject: Any) -> QuerySet:
    return WorkItem.objects.filter(subject_type=subject._meta.label_lower, subject_id=str(subject.pk))


def suspension_of(stop: ClockStop) -> Suspension:
    """A recorded stop as the clock module counts it, labelled as the officer reads it."""
    label = str(SuspensionKind(stop.kind).label) if stop.kind in SuspensionKind.values else stop.kind
    return Suspension(stop.kind, stop.start, stop.end, label, stop.note)


def stops_of(subject: Any, kind: str) -> list[Suspension]:
    """The time that did not count on the ``kind`` clock of ``subject`` (a clue's filing, a case's decision)."""
    items = items_of(subject).filter(kind=kind)
    return [suspension_of(s) for s in ClockStop.objects.filter(item__in=items).order_by("start", "id")]


def escalations_of(subject: Any) -> QuerySet:
    """Every 督办 of the items about ``subject`` (a clue's, whichever of its duties was escalated)."""
    return Escalation.objects.filter(
        item__subject_type=subject._meta.label_lower, item__subject_id=str(subject.pk)
    ).select_related("item", "raised_by", "answered_by")


def is_late(item: WorkItem, today: dt.date | None = None) -> bool:
    """Past a final deadline (a provisional one is never called late)."""
    today = today or timezone.localdate()
    return bool(item.due and item.due < today and not item.due_provisional and item.is_open)
