"""Reads of outreach, scoped like every register: a platform's duties, the lists, the overdue reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from wangjian.org.models import User
from wangjian.org.selectors import scope
from wangjian.outreach.choices import ReportVia
from wangjian.outreach.models import (
    Authority,
    AuthorityRequest,
    Guidance,
    GuidanceItem,
    PlatformRequest,
    Reverification,
    SellerReportRecord,
)
from wangjian.outreach.windows import Arrival, ReportRow, report_schedule, reverify_state
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.registry.choices import ImportKind, ImportStatus
from wangjian.registry.models import ImportBatch, Platform


def platforms_visible(user: User) -> QuerySet:
    return scope(Platform.objects.all(), user)


def guidance_visible(user: User) -> QuerySet:
    return scope(Guidance.objects.select_related("platform", "bureau"), user)


def requests_visible(user: User) -> QuerySet:
    return scope(PlatformRequest.objects.select_related("platform", "bureau"), user)


def authorities_visible(user: User) -> QuerySet:
    return scope(Authority.objects.select_related("bureau"), user)


def authority_requests_visible(user: User) -> QuerySet:
    return scope(AuthorityRequest.objects.select_related("authority", "bureau"), user)


def report_records_visible(user: User) -> QuerySet:
    return scope(SellerReportRecord.objects.select_related("platform"), user)


def reverifications_visible(user: User) -> QuerySet:
    return scope(Reverification.objects.select_related("platform"), user)


def arrivals_of(platform: Platform) -> list[Arrival]:
    """The platform's reports: its seller imports (not failed) on the day each started, and those recorded."""
    out = []
    batches = ImportBatch.objects.filter(platform=platform, kind=ImportKind.SELLERS).exclude(
        status=ImportStatus.FAILED
    )
    for batch in batches.only("pk", "started_at", "file_name"):
        out.append(
            Arrival(
                timezone.localtime(batch.started_at).date(),
                ReportVia.IMPORT,
                f"导入批次 #{batch.pk} {batch.file_name}",
                batch.get_absolute_url(),
            )
        )
    for record in SellerReportRecord.objects.filter(platform=platform):
        out.append(Arrival(record.received_on, ReportVia.RECORDED, record.note or "登记的报送", ""))
    return out


def schedule_start(platform: Platform, arrivals: list[Arrival]) -> dt.date:
    """The first window owed: from the platform's registration here, or its first report if earlier."""
    days = [a.on for a in arrivals]
    if platform.created:
        days.append(timezone.localtime(platform.created).date())
    return min(days) if days else timezone.localdate()


def platform_reports(platform: Platform, *, today: dt.date, since: dt.date | None = None) -> list[ReportRow]:
    arrivals = arrivals_of(platform)
    return report_schedule(arrivals, first=since or schedule_start(platform, arrivals), today=today)


def platform_reverify(platform: Platform, *, today: dt.date):  # noqa: ANN201
    last = (
        Reverification.objects.filter(platform=platform, verified_on__lte=today)
        .order_by("-verified_on")
        .values_list("verified_on", flat=True)
        .first()
    )
    return reverify_state(last, today=today)


def overdue_items(items: QuerySet, today: dt.date) -> QuerySet:
    return items.filter(done_on__isnull=True, due__lt=today)


def platform_duties(platform: Platform, *, today: dt.date) -> dict[str, Any]:
    """Everything a platform owes the bureau, on its page: reports, re-verification, guidance, requests."""
    reports = platform_reports(platform, today=today)
    return {
        "reports": list(reversed(reports)),
        "reports_late": sum(1 for r in reports if r.overdue),
        "reverify": platform_reverify(platform, today=today),
        "reverifications": platform.outreach_reverifications.order_by("-verified_on")[:10],
        "guidance": platform.outreach_guidance.order_by("-held_on", "-id")[:50],
        "requests": platform.outreach_requests.order_by("-sent_on", "-id")[:50],
        "items_overdue": overdue_items(
            GuidanceItem.objects.filter(guidance__platform=platform), today
        ).count(),
        "requests_open": platform.outreach_requests.filter(answered_on__isnull=True).count(),
    }


def platforms_overdue(user: User, *, today: dt.date) -> list[dict[str, Any]]:
    """Platforms whose last ended report window is missing or late, with their re-verification flag."""
    out = []
    for platform in platforms_visible(user).order_by("name"):
        reports = platform_reports(platform, today=today)
        ended = [r for r in reports if r.window.end < today]
        last = ended[-1] if ended else None
        reverify = platform_reverify(platform, today=today)
        out.append(
            {
                "platform": platform,
                "last": last,
                "overdue": bool(last and last.overdue),
                "missing": sum(1 for r in reports if r.state == "missing"),
                "late": sum(1 for r in reports if r.state == "late"),
                "reverify": reverify,
            }
        )
    return out


def items_of(obj: Any) -> QuerySet:
    return workitem_selectors.items_of(obj).order_by("id")
