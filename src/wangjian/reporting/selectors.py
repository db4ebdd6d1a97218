"""Reads of upward reporting, scoped the same way for the pages and the API.

A user sees the reports of the bureaus they see (their own bureau's, and those below) and the reports made
to their bureau (its templates, including those from bureaus on other instances); the templates of their
bureau and those their bureau reports on (its superior's).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from wangjian.org import permissions
from wangjian.org.models import Bureau, User
from wangjian.org.selectors import visible_bureau_ids
from wangjian.reporting.models import Report, ReportTemplate
from wangjian.reporting.permissions import (
    REPORTING_READ,
    REPORTING_REVIEW,
    REPORTING_SUBMIT,
    REPORTING_TEMPLATE,
)


def reports_visible(user: User) -> QuerySet:
    qs = Report.objects.select_related("template", "template__bureau", "bureau")
    if not permissions.may(user, REPORTING_READ):
        return qs.none()
    ids = visible_bureau_ids(user)
    if ids is None:
        return qs
    return qs.filter(Q(bureau_id__in=ids) | Q(template__bureau_id__in=ids))


def templates_visible(user: User) -> QuerySet:
    qs = ReportTemplate.objects.select_related("bureau")
    if not permissions.may(user, REPORTING_READ):
        return qs.none()
    ids = visible_bureau_ids(user)
    if ids is None:
        return qs
    parent = user.bureau.parent_id if user.bureau_id else None
    own = Q(bureau_id__in=ids) | Q(reports__bureau_id__in=ids)
    if parent:
        own |= Q(bureau_id=parent)
    return qs.filter(own).distinct()


def is_office_of(user: User | None, bureau_id: int | None) -> bool:
    """The office of that bureau (or the superuser); ``None`` is the system itself."""
    if user is None:
        return True
    if user.is_superuser:
        return True
    return bureau_id is not None and user.bureau_id == bureau_id


def may_submit(user: User | None, report: Report) -> bool:
    return (
        (user is None or permissions.may(user, REPORTING_SUBMIT))
        and not report.is_external
        and is_office_of(user, report.bureau_id)
    )


def may_review(user: User | None, report: Report) -> bool:
    return (
        (user is None or permissions.may(user, REPORTING_REVIEW))
        and report.template.bureau_id is not None
        and is_office_of(user, report.template.bureau_id)
    )


def may_define(user: User | None, bureau: Bureau | None) -> bool:
    return (
        (user is None or permissions.may(user, REPORTING_TEMPLATE))
        and bureau is not None
        and is_office_of(user, bureau.pk)
    )


def subordinates_of(template: ReportTemplate) -> list[Bureau]:
    """The bureaus on this instance that report: those named, else every direct child of the superior."""
    named = list(template.subordinates.order_by("code"))
    if named or template.bureau_id is None:
        return named
    return list(Bureau.objects.filter(parent_id=template.bureau_id).order_by("code"))
