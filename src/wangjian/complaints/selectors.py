"""The reads of complaints and reports: who sees which record, and the person's data as shown.

The complainant's or reporter's name, phone, address and ID number are shown to who handles that record — its
handler, the handling unit, the office — and masked for everyone else (the auditor too), in lists, exports and
the API; an unmasked read is logged (``platform.personal.personal_read``).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from wangjian.complaints.models import Complaint
from wangjian.org.choices import Role
from wangjian.org.models import User
from wangjian.org.permissions import OFFICE
from wangjian.org.selectors import visible_bureau_ids

BUREAU_WIDE = frozenset({*OFFICE, Role.LEADING_GROUP, Role.AUDITOR})


def complaints_visible(user: User) -> QuerySet:
    qs = Complaint.objects.select_related("bureau", "department", "station", "handler")
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    if user.role in BUREAU_WIDE or user.is_bureau_head:
        return qs.filter(bureau_id__in=visible_bureau_ids(user) or set())
    cond = Q(handler=user)
    if user.station_id:
        cond |= Q(station_id=user.station_id)
    elif user.department_id:
        cond |= Q(department_id=user.department_id)
    return qs.filter(cond)


def may_see_person(*, user: User, complaint: Complaint) -> bool:
    """Who handles this record: its handler, its unit, the office of its bureau (per record, not per role)."""
    if user.is_superuser:
        return True
    if user.bureau_id != complaint.bureau_id or user.role == Role.AUDITOR:
        return False
    if user.role in OFFICE or complaint.handler_id == user.pk:
        return True
    if complaint.station_id:
        return user.station_id == complaint.station_id
    return bool(
        complaint.department_id and user.department_id == complaint.department_id and not user.station_id
    )
