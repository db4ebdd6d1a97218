"""Reads of 协查 and 内部协作: who sees which request, and through them which captures.

A request is seen by the bureaus of both sides and the bureaus above them (the organisation's rule, applied
to either side); a draft only by its own side. The receiving bureau's captures linked to its answer are seen by
whoever sees the request (``assistance_evidence_seen_through``, registered with ``evidence.access``) — so the
requesting bureau opens them, a third bureau does not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.db.models import Q, QuerySet

from wangjian.assist.choices import AssistanceState, Direction, InternalState
from wangjian.assist.models import AssistanceRequest, InternalRequest
from wangjian.assist.permissions import ASSIST_READ, INTERNAL_READ
from wangjian.evidence import access
from wangjian.org import permissions
from wangjian.org.models import User
from wangjian.org.selectors import visible_bureau_ids

RELATED = ("from_bureau", "to_bureau", "from_department", "to_department", "assignee", "created_by")


def requests_visible(user: User) -> QuerySet[AssistanceRequest]:
    qs = AssistanceRequest.objects.select_related(*RELATED)
    if not getattr(user, "is_authenticated", False) or not permissions.may(user, ASSIST_READ):
        return qs.none()
    ids = visible_bureau_ids(user)
    if ids is None:
        return qs
    return qs.filter(Q(from_bureau__in=ids) | (Q(to_bureau__in=ids) & ~Q(state=AssistanceState.DRAFT)))


def direction_filter(qs: QuerySet, user: User, direction: str) -> QuerySet:
    """本局发出 / 本局收到, from the reader's bureaus (all bureaus for the superuser)."""
    ids = visible_bureau_ids(user)
    side = "from_bureau" if direction == Direction.SENT else "to_bureau"
    if ids is None:
        return qs.filter(**{f"{side}__isnull": False})
    return qs.filter(**{f"{side}__in": ids})


def overdue_on(qs: QuerySet, day: dt.date) -> QuerySet:
    """Received by the end of ``day``, the deadline (final) passed before it, not answered, refused or withdrawn
    by its end: what ``figures.overdue`` counts."""
    return (
        qs.filter(received_on__lte=day, due__lt=day, due_provisional=False, to_bureau__isnull=False)
        .filter(Q(answered_at__isnull=True) | Q(answered_at__date__gt=day))
        .filter(Q(refused_at__isnull=True) | Q(refused_at__date__gt=day))
        .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__date__gt=day))
        .exclude(state=AssistanceState.CLOSED, closed_at__date__lte=day)
    )


def assistance_evidence_seen_through(user: User, capture_ids: Collection[int]) -> dict[int, list[access.Via]]:
    return access.through_links(
        model=AssistanceRequest, visible=requests_visible(user), capture_ids=capture_ids, label="协查"
    )


def assistance_holds_evidence(request: AssistanceRequest) -> bool:
    """An open request holds the captures linked to it (not deleted while the matter runs)."""
    return request.state not in (AssistanceState.CLOSED, AssistanceState.REFUSED, AssistanceState.WITHDRAWN)


def internal_visible(user: User) -> QuerySet[InternalRequest]:
    qs = InternalRequest.objects.select_related(
        "bureau", "from_department", "to_department", "assignee", "requested_by", "capture"
    )
    if not getattr(user, "is_authenticated", False) or not permissions.may(user, INTERNAL_READ):
        return qs.none()
    ids = visible_bureau_ids(user)
    return qs if ids is None else qs.filter(bureau__in=ids)


def internal_holds_evidence(request: InternalRequest) -> bool:
    return request.state in (InternalState.OPEN, InternalState.IN_PROGRESS)
