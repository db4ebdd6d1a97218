"""The analysis of complaints and reports (投诉举报分析): by month, category, platform, business and region, and the
businesses complained about again and again.

Counted from the records themselves in a handful of grouped queries, whatever their number, so the 12315 unit's
periodic analysis for the leading group reconciles with the records. A business with ``repeat_threshold`` or more
complaints within ``repeat_days`` (the office sets both; 3 within 90 days by default) is flagged — the risk grades
of [14 of 16] read ``repeated``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Substr, TruncMonth
from django.utils import timezone

from wangjian.complaints.choices import Kind, State
from wangjian.complaints.models import Complaint, ComplaintSettings
from wangjian.org.models import Bureau


def settings_for(bureau: Bureau) -> ComplaintSettings:
    return ComplaintSettings.objects.filter(bureau=bureau).first() or ComplaintSettings(bureau=bureau)


@dataclass
class Analysis:
    bureau: Bureau
    start: dt.date
    end: dt.date
    total: int = 0
    complaints: int = 0
    reports: int = 0
    accepted: int = 0
    resolved: int = 0
    accepted_late: int = 0
    recovered: Decimal = Decimal("0")
    by_month: list[tuple[str, int, int]] = field(default_factory=list)  # (YYYY-MM, complaints, reports)
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_platform: list[tuple[str, int]] = field(default_factory=list)
    by_region: list[tuple[str, int]] = field(default_factory=list)
    by_state: list[tuple[str, int]] = field(default_factory=list)
    top_respondents: list[tuple[str, str, int]] = field(default_factory=list)  # (name, uscc, n)
    repeated: list[tuple[str, str, int]] = field(default_factory=list)


def analysis(
    *, bureau: Bureau, start: dt.date, end: dt.date, today: dt.date | None = None, top: int = 10
) -> Analysis:
    """The period ``start`` … ``end`` (by receipt date) of ``bureau``'s complaints and reports."""
    qs = Complaint.objects.filter(bureau=bureau, received_on__range=(start, end))
    out = Analysis(bureau, start, end)
    totals = qs.aggregate(
        total=Count("id"),
        complaints=Count("id", filter=Q(kind=Kind.COMPLAINT)),
        reports=Count("id", filter=Q(kind=Kind.REPORT)),
        accepted=Count("id", filter=Q(accepted_on__isnull=False)),
        resolved=Count("id", filter=Q(state=State.RESOLVED)),
        late=Count("id", filter=Q(accepted_on__isnull=False, accepted_on__gt=F("accept_due"))),
        recovered=Coalesce(Sum("recovered"), Decimal("0")),
    )
    out.total, out.complaints, out.reports = totals["total"], totals["complaints"], totals["reports"]
    out.accepted, out.resolved, out.accepted_late = totals["accepted"], totals["resolved"], totals["late"]
    out.recovered = totals["recovered"]
    months = (
        qs.annotate(m=TruncMonth("received_on"))
        .values("m")
        .annotate(c=Count("id", filter=Q(kind=Kind.COMPLAINT)), r=Count("id", filter=Q(kind=Kind.REPORT)))
        .order_by("m")
    )
    out.by_month = [(row["m"].strftime("%Y-%m"), row["c"], row["r"]) for row in months]
    out.by_category = _top(qs, "category", top)
    out.by_platform = _top(qs, "platform_name", top)
    out.by_region = [
        (code, n)
        for code, n in (
            qs.annotate(town=Substr("respondent_region", 1, 9))
            .values_list("town")
            .annotate(n=Count("id"))
            .order_by("-n", "town")[:top]
        )
    ]
    labels = dict(State.choices)
    out.by_state = [
        (str(labels.get(s, s)), n)
        for s, n in qs.values_list("state").annotate(n=Count("id")).order_by("-n", "state")
    ]
    out.top_respondents = list(
        qs.values_list("respondent_name", "respondent_uscc")
        .annotate(n=Count("id"))
        .order_by("-n", "respondent_name")[:top]
    )
    out.repeated = repeated(bureau=bureau, today=today or end)
    return out


def _top(qs: QuerySet, field_name: str, top: int) -> list[tuple[str, int]]:
    rows = (
        qs.exclude(**{field_name: ""})
        .values_list(field_name)
        .annotate(n=Count("id"))
        .order_by("-n", field_name)
    )
    return [(name, n) for name, n in rows[:top]]


def repeated(*, bureau: Bureau, today: dt.date | None = None) -> list[tuple[str, str, int]]:
    """Businesses with ``repeat_threshold`` or more complaints received within the last ``repeat_days`` days."""
    settings = settings_for(bureau)
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=settings.repeat_days)
    rows = (
        Complaint.objects.filter(bureau=bureau, kind=Kind.COMPLAINT, received_on__range=(since, today))
        .values_list("respondent_name", "respondent_uscc")
        .annotate(n=Count("id"))
        .filter(n__gte=settings.repeat_threshold)
        .order_by("-n", "respondent_name")
    )
    return list(rows)


def settings_set(
    *, bureau: Bureau, user: object, repeat_threshold: object, repeat_days: object, retention_years: object
) -> ComplaintSettings:
    """The office's settings; each a whole number within sensible bounds."""
    from wangjian.core.errors import PermissionDeniedError, ValidationFailed
    from wangjian.org.selectors import can_manage

    if not can_manage(user, bureau):
        raise PermissionDeniedError(
            "只有本局办公室管理员可以修改投诉举报设置", "Only the bureau's office changes these"
        )
    values = {}
    for name, value, low, high, label in (
        ("repeat_threshold", repeat_threshold, 2, 100, "重复投诉提示阈值"),
        ("repeat_days", repeat_days, 7, 366, "统计天数"),
        ("retention_years", retention_years, 1, 30, "保存年限"),
    ):
        try:
            number = int(str(value))
        except (TypeError, ValueError):
            raise ValidationFailed(f"{label}应为整数", f"{name} must be a whole number") from None
        if not low <= number <= high:
            raise ValidationFailed(f"{label}应在 {low} 至 {high} 之间", f"{name} is between {low} and {high}")
        values[name] = number
    found = settings_for(bureau)
    for name, number in values.items():
        setattr(found, name, number)
    found.save()
    return found
