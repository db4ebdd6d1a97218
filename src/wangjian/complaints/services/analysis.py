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
from wangjian.org.models import Bureau, Notice


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
    repeated: list[tuple[str, str, int]] = field(default_factory=list)  # the most complained about first
    repeated_total: int = (
        0  # how many businesses the rule flags (``repeated`` may show only the first of them)
    )


REPEATED_SHOWN = 100  # a page lists this many flagged businesses; the Excel file and the risk grades take all


def analysis(
    *,
    bureau: Bureau,
    start: dt.date,
    end: dt.date,
    today: dt.date | None = None,
    top: int = 10,
    repeated_shown: int | None = REPEATED_SHOWN,
) -> Analysis:
    """The period ``start`` … ``end`` (by receipt date) of ``bureau``'s complaints and reports.

    ``repeated_shown``: how many of the flagged businesses to list (``None``: all); ``repeated_total`` counts them all.
    """
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
    flagged = repeated(bureau=bureau, today=today or end)
    out.repeated_total = len(flagged)
    out.repeated = flagged if repeated_shown is None else flagged[:repeated_shown]
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


def consumer_warning_draft(*, bureau: Bureau, user: object, result: Analysis) -> Notice:
    """A 消费提示 drafted from the period's analysis, left unpublished for the office to edit and publish as a notice.

    It names the kinds of goods and the platforms most complained about, never a business: a warning about one
    needs its facts established first (a case, not a count)."""
    from wangjian.core.errors import PermissionDeniedError, ValidationFailed
    from wangjian.org.selectors import can_manage

    if not can_manage(user, bureau):
        raise PermissionDeniedError(
            "只有本局办公室管理员可以起草消费提示", "Only the bureau's office drafts a warning"
        )
    if not result.complaints:
        raise ValidationFailed(
            "统计期间没有投诉，无从起草消费提示", "No complaints in the period to draw a warning from"
        )
    categories = "、".join(f"{name}（{n}件）" for name, n in result.by_category[:3]) or "多个类别"
    platforms = "、".join(name for name, _n in result.by_platform[:3])
    body = (
        f"{result.start:%Y年%m月%d日}至{result.end:%Y年%m月%d日}，{bureau.name}共受理网络消费投诉{result.complaints}件，"
        f"主要集中在{categories}"
        + (f"，涉及{platforms}等平台" if platforms else "")
        + "。\n\n提醒广大消费者：\n"
        "一、选择证照齐全、信誉良好的经营者，查看网店首页公示的营业执照信息；\n"
        "二、保存好订单、聊天记录和付款凭证，收货时当面查验；\n"
        "三、除定作、鲜活易腐等法定不适用商品外，网购商品可以自收到商品之次日起七日内无理由退货（《消费者权益保护法》第二十五条）；\n"
        "四、权益受到侵害的，可先与经营者或平台协商，协商不成的，可通过全国12315平台投诉。"
    )
    return Notice.objects.create(
        bureau=bureau,
        kind=Notice.Kind.NOTICE,
        title=f"消费提示（{result.start:%Y年%m月}—{result.end:%Y年%m月}网络消费投诉分析）",
        body=body,
        author=user,
    )
