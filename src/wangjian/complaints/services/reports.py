"""The periodic analysis report (投诉举报分析报告) the 12315 unit sends to the leading group as a document.

The figures are the analysis of the period (``services.analysis``: the same counts as the analysis page, so the
report reconciles with the records), frozen when the report is drafted — recounted only on request while it is a
draft — with the previous period beside them (环比). The unit writes its own 研判 and 建议; sending it numbers it
(a number kind of its own, ``complaint_report``), prints it to PDF with Chromium (tables and bar charts drawn here
as inline SVG, no script) and keeps the PDF in the evidence store by its SHA-256. A report sent never changes: a
correction is a new report of the same period.

Who: the analysis row of the permission table (``complaints.analysis.read``) reads the reports of the bureaus one
sees; the report row (``complaints.report.issue``: the office and the department heads — the 12315 work sits with
the office in a county, with the 消费者权益保护 department in a city) drafts and sends its own bureau's.

Two rates, defined here once: 按期受理率 is the complaints accepted within the 7 working days of art. 14 over the
complaints accepted; 调解成功率 is the mediations ending in an agreement (调解成功) over the mediations that ended,
by agreement or not (调解成功 + 调解终止), of the complaints received in the period.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from wangjian.complaints.choices import Kind, ReportPeriod, ReportState, State
from wangjian.complaints.models import Complaint, ComplaintReport
from wangjian.complaints.permissions import COMPLAINT_ANALYSIS, COMPLAINT_REPORT
from wangjian.complaints.services.analysis import Analysis, analysis, settings_for
from wangjian.core import regions
from wangjian.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from wangjian.evidence import engine
from wangjian.evidence.store import get_store
from wangjian.org import permissions
from wangjian.org.models import Bureau, Station, User
from wangjian.org.selectors import scope
from wangjian.platform.inbox.models import MessageKind
from wangjian.platform.inbox.services import notify
from wangjian.platform.numbering import kinds as number_kinds
from wangjian.platform.numbering.services import number_attach, number_issue
from wangjian.platform.workitems.selectors import leading_group_users

NUMBER_KIND = "complaint_report"
MONTHS = {ReportPeriod.MONTH: 1, ReportPeriod.QUARTER: 3, ReportPeriod.HALF: 6, ReportPeriod.YEAR: 12}
FIRST_YEAR = 2000  # no bureau reports on complaints before the 12315 platform's time
TEXT_MAX = 20000
WRITERS = (
    "只能起草和报送本局的投诉举报分析报告",
    "Only one's own bureau's analysis report is drafted and sent",
)


def register_numbers() -> None:
    number_kinds.register(
        number_kinds.NumberKind(
            NUMBER_KIND, "投诉举报分析报告编号", "{prefix}诉析〔{year}〕{seq}号", "分析报告报送领导小组时编号"
        )
    )


# ---------------------------------------------------------------- periods


def _months_after(day: dt.date, n: int) -> dt.date:
    years, month = divmod(day.month - 1 + n, 12)
    return dt.date(day.year + years, month + 1, 1)


def period_label(kind: str, start: dt.date) -> str:
    """2025年10月, 2025年第三季度, 2025年上半年, 2025年度."""
    if kind == ReportPeriod.MONTH:
        return f"{start.year}年{start.month}月"
    if kind == ReportPeriod.QUARTER:
        return f"{start.year}年第{'一二三四'[(start.month - 1) // 3]}季度"
    if kind == ReportPeriod.HALF:
        return f"{start.year}年{'上' if start.month == 1 else '下'}半年"
    return f"{start.year}年度"


def period_bounds(kind: str, start: dt.date) -> tuple[dt.date, dt.date]:
    """The period of ``kind`` that begins on ``start``; a start that begins no such period is refused."""
    if kind not in MONTHS:
        raise ValidationFailed(
            "报告周期应为月度、季度、半年或年度", "The period is a month, a quarter, a half-year or a year"
        )
    months = MONTHS[kind]
    if start.day != 1 or (start.month - 1) % months:
        firsts = "、".join(f"{m}月1日" for m in range(1, 13, months))
        raise ValidationFailed(
            f"{ReportPeriod(kind).label}报告的统计期间应从{firsts}开始",
            f"A {kind} report's period starts on the first day of its {kind}",
        )
    if not FIRST_YEAR <= start.year <= 9998:
        raise ValidationFailed(f"统计期间应在{FIRST_YEAR}年以后", f"The period is in {FIRST_YEAR} or later")
    return start, _months_after(start, months) - dt.timedelta(days=1)


def previous_start(kind: str, start: dt.date) -> dt.date:
    return _months_after(start, -MONTHS[kind])


def periods_ended(*, kind: str, today: dt.date, count: int) -> list[tuple[dt.date, str]]:
    """The last ``count`` periods of ``kind`` that ended before ``today``, latest first (the new report's choices)."""
    months = MONTHS[kind]
    current = dt.date(today.year, (today.month - 1) // months * months + 1, 1)
    out, start = [], previous_start(kind, current)
    while len(out) < count and start.year >= FIRST_YEAR:
        out.append((start, period_label(kind, start)))
        start = previous_start(kind, start)
    return out


# ---------------------------------------------------------------- who


def reports_visible(user: User) -> QuerySet:
    """The reports of the bureaus ``user`` sees (whether the table lets them read any is ``report_get``'s check)."""
    qs = ComplaintReport.objects.select_related("bureau", "drafted_by", "issued_by")
    if not user.is_authenticated:
        return qs.none()
    return scope(qs, user)


def _own_bureau(user: User, bureau: Bureau | int | None) -> bool:
    bureau_id = bureau.pk if isinstance(bureau, Bureau) else bureau
    return user.is_superuser or (bureau_id is not None and bureau_id == user.bureau_id)


def may_write(user: User, bureau: Bureau | int | None) -> bool:
    return permissions.may(user, COMPLAINT_REPORT) and _own_bureau(user, bureau)


def _require_write(user: User, bureau: Bureau) -> None:
    permissions.require(user, COMPLAINT_REPORT)
    if not _own_bureau(user, bureau):
        raise PermissionDeniedError(*WRITERS)


def report_get(*, user: User, pk: int) -> ComplaintReport:
    """One report: a report of a bureau one does not see is missing (404) before a refusal of the table (403)."""
    report = reports_visible(user).filter(pk=pk).first()
    if report is None:
        raise NotFoundError("没有这份分析报告，或无权查看", "No such analysis report, or not visible to you")
    permissions.require(user, COMPLAINT_ANALYSIS)
    return report


# ---------------------------------------------------------------- figures


def _rate(part: int, whole: int) -> str | None:
    if not whole:
        return None
    return str((Decimal(part) * 100 / whole).quantize(Decimal("0.1")))


def _totals(a: Analysis, mediation_ended: int) -> dict[str, Any]:
    on_time = a.accepted - a.accepted_late
    return {
        "total": a.total,
        "complaints": a.complaints,
        "reports": a.reports,
        "accepted": a.accepted,
        "accepted_on_time": on_time,
        "accepted_late": a.accepted_late,
        "resolved": a.resolved,
        "mediation_ended": mediation_ended,
        "recovered": str(Decimal(a.recovered).quantize(Decimal("0.01"))),
        "on_time_rate": _rate(on_time, a.accepted),
        "agreement_rate": _rate(a.resolved, a.resolved + mediation_ended),
    }


def _mediation_ended(bureau: Bureau, start: dt.date, end: dt.date) -> int:
    return Complaint.objects.filter(
        bureau=bureau, kind=Kind.COMPLAINT, state=State.ENDED, received_on__range=(start, end)
    ).count()


COMPARED = (
    ("total", "登记合计（件）"),
    ("complaints", "投诉（件）"),
    ("reports", "举报（件）"),
    ("accepted", "受理投诉（件）"),
    ("resolved", "调解成功（件）"),
    ("recovered", "挽回经济损失（元）"),
)
RATES = (("on_time_rate", "按期受理率（%）"), ("agreement_rate", "调解成功率（%）"))


def _change(now: dict[str, Any], before: dict[str, Any]) -> list[dict[str, Any]]:
    """Each figure against the previous period: the difference and, for counts, the change in per cent."""
    rows = []
    for key, label in COMPARED:
        a, b = Decimal(str(now[key])), Decimal(str(before[key]))
        pct = str(((a - b) * 100 / b).quantize(Decimal("0.1"))) if b else None
        rows.append(
            {
                "key": key,
                "label": label,
                "now": now[key],
                "before": before[key],
                "diff": str(a - b),
                "pct": pct,
            }
        )
    for key, label in RATES:
        a, b = now[key], before[key]
        diff = str(Decimal(a) - Decimal(b)) if a is not None and b is not None else None
        rows.append({"key": key, "label": label, "now": a, "before": b, "diff": diff, "pct": None})
    return rows


def _region_name(code: str, stations: list[Station]) -> str:
    """The station whose territory covers the town (the county's own words), else the county's name."""
    for station in stations:
        if code and station.covers(code):
            return f"{station.name}辖区"
    return regions.name_of(code)


def report_figures(
    *, bureau: Bureau, period_kind: str, period_start: dt.date, now: dt.datetime
) -> dict[str, Any]:
    """The frozen figures of the period: the analysis page's counts, the two rates, the repeated-complaint flags by
    the office's threshold as of the period's last day, and the previous period's totals beside them."""
    start, end = period_bounds(period_kind, period_start)
    before_start = previous_start(period_kind, start)
    before_end = start - dt.timedelta(days=1)
    settings = settings_for(bureau)
    with translation.override("zh-hans"):  # the state names are the document's words
        current = analysis(bureau=bureau, start=start, end=end, today=end)
        previous = analysis(bureau=bureau, start=before_start, end=before_end, today=before_end)
    totals = _totals(current, _mediation_ended(bureau, start, end))
    before = _totals(previous, _mediation_ended(bureau, before_start, before_end))
    stations = list(Station.objects.filter(bureau=bureau).order_by("id"))

    def counts(rows: list[tuple[str, int]]) -> list[dict[str, Any]]:
        return [{"name": name or "", "count": n} for name, n in rows]

    def businesses(rows: list[tuple[str, str, int]]) -> list[dict[str, Any]]:
        return [{"name": name, "uscc": uscc or "", "count": n} for name, uscc, n in rows]

    return {
        "computed_at": timezone.localtime(now).isoformat(timespec="seconds"),
        "period": {
            "kind": period_kind,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "label": period_label(period_kind, start),
        },
        "totals": totals,
        "by_state": counts(current.by_state),
        "by_month": [{"month": m, "complaints": c, "reports": r} for m, c, r in current.by_month],
        "by_category": counts(current.by_category),
        "by_platform": counts(current.by_platform),
        "by_region": [
            {"code": code or "", "name": _region_name(code or "", stations), "count": n}
            for code, n in current.by_region
        ],
        "top_respondents": businesses(current.top_respondents),
        "repeated": {
            "threshold": settings.repeat_threshold,
            "days": settings.repeat_days,
            "as_of": end.isoformat(),
            "rows": businesses(current.repeated),
            "total": current.repeated_total,
        },
        "previous": {
            "start": before_start.isoformat(),
            "end": before_end.isoformat(),
            "label": period_label(period_kind, before_start),
            "totals": before,
        },
        "change": _change(totals, before),
    }


# ---------------------------------------------------------------- the report's life


def report_draft(
    *,
    user: User,
    bureau: Bureau | None,
    period_kind: str,
    period_start: dt.date,
    now: dt.datetime | None = None,
) -> ComplaintReport:
    """A draft for a period that has ended (its figures would still move otherwise), one draft per period."""
    now = now or timezone.now()
    if bureau is None:
        raise PermissionDeniedError(
            "没有所属局的账号不能起草分析报告", "An account without a bureau drafts no report"
        )
    _require_write(user, bureau)
    start, end = period_bounds(period_kind, period_start)
    today = timezone.localtime(now).date()
    if end >= today:
        raise ValidationFailed(
            f"统计期间至{end:%Y年%m月%d日}结束，期满后方可起草分析报告",
            f"The period runs until {end}; the report is drafted after it ends",
        )
    open_draft = ComplaintReport.objects.filter(
        bureau=bureau, period_kind=period_kind, period_start=start, state=ReportState.DRAFT
    ).first()
    if open_draft is not None:
        raise ValidationFailed(
            f"{open_draft.title}已有草稿，请在草稿上修改",
            f"A draft of this period's report exists already (#{open_draft.pk})",
            detail={"report": open_draft.pk},
        )
    return ComplaintReport.objects.create(
        bureau=bureau,
        period_kind=period_kind,
        period_start=start,
        period_end=end,
        title=f"{bureau.name}{period_label(period_kind, start)}投诉举报分析报告",
        figures=report_figures(bureau=bureau, period_kind=period_kind, period_start=start, now=now),
        drafted_by=user,
        drafted_at=now,
    )


def _require_draft(report: ComplaintReport) -> None:
    if report.issued:
        raise ValidationFailed(
            f"{report.title}（{report.number}）已报送，不再修改；如需更正请重新起草",
            "A report sent never changes: draft a new one to correct it",
        )


def report_recount(*, report: ComplaintReport, user: User, now: dt.datetime | None = None) -> ComplaintReport:
    """Count the period again (records imported or ended since the draft); only while a draft."""
    now = now or timezone.now()
    _require_write(user, report.bureau)
    _require_draft(report)
    report.figures = report_figures(
        bureau=report.bureau, period_kind=report.period_kind, period_start=report.period_start, now=now
    )
    report.save(update_fields=["figures", "last_updated"])
    return report


def report_edit(*, report: ComplaintReport, user: User, text: str) -> ComplaintReport:
    """The unit's 研判 and 建议; only while a draft."""
    _require_write(user, report.bureau)
    _require_draft(report)
    text = (text or "").strip()
    if len(text) > TEXT_MAX:
        raise ValidationFailed(f"研判和建议不超过{TEXT_MAX}字", f"At most {TEXT_MAX} characters")
    report.text = text
    report.save(update_fields=["text", "last_updated"])
    return report


def report_issue(*, report: ComplaintReport, user: User, now: dt.datetime | None = None) -> ComplaintReport:
    """Send the report to the leading group: numbered, printed, kept by its hash, its members told.

    The number is taken inside the transaction that marks the report sent, so a failed print returns it.
    """
    now = now or timezone.now()
    _require_write(user, report.bureau)
    _require_draft(report)
    if not report.text.strip():
        raise ValidationFailed(
            "请先填写研判和建议，再报送领导小组", "Write the unit's assessment and proposals before sending"
        )
    try:
        with transaction.atomic():
            _require_draft(ComplaintReport.objects.select_for_update().get(pk=report.pk))  # sent meanwhile?
            issued = number_issue(bureau=report.bureau, kind=NUMBER_KIND, user=user, now=now)
            report.number = issued.number
            report.state, report.issued_at, report.issued_by = ReportState.ISSUED, now, user
            pdf = engine.render_pdf(report_html(report))
            report.pdf_sha256, report.pdf_size = get_store().put(pdf), len(pdf)
            report.save()
            number_attach(issued=issued, subject=report)
            notify(
                key=f"complaintreport{report.pk}:issued",
                users=[u for u in leading_group_users(report.bureau_id) if u.pk != user.pk],
                kind=MessageKind.NOTICE,
                title=f"{report.title}（{report.number}）",
                body="12315投诉举报工作机构报送领导小组",
                subject=report,
                now=now,
            )
    except Exception:
        report.refresh_from_db()
        raise
    return report


def report_pdf(report: ComplaintReport) -> bytes:
    """The sent report's PDF as kept, checked against its hash; a draft printed now, marked as a draft."""
    if not report.issued:
        return engine.render_pdf(report_html(report))
    data = get_store().get(report.pdf_sha256)
    if hashlib.sha256(data).hexdigest() != report.pdf_sha256:
        raise ValidationFailed(
            f"{report.title}（{report.number}）的PDF与登记的SHA-256不符，已被改动，不予提供",
            "The kept PDF differs from its recorded SHA-256: it was changed and is not served",
        )
    return data


# ---------------------------------------------------------------- the document


def _sign(diff: str | None, pct: str | None, unit: str) -> str:
    if diff is None:
        return ""
    d = Decimal(diff)
    if not d:
        return "持平"
    word = "增加" if d > 0 else "减少"
    text = f"{word}{abs(d).normalize():f}{unit}"
    if pct is not None:
        text += f"（{'增长' if d > 0 else '下降'}{abs(Decimal(pct))}%）"
    return text


def report_summary(figures: dict[str, Any]) -> list[str]:
    """The 基本情况 paragraphs, written from the frozen figures (so the text and the tables never disagree)."""
    if not figures:
        return []
    t, before = figures["totals"], figures["previous"]
    change = {row["key"]: row for row in figures["change"]}
    total = change["total"]
    out = [
        f"{figures['period']['label']}，共登记投诉举报{t['total']}件，其中投诉{t['complaints']}件、举报{t['reports']}件，"
        f"较上期（{before['label']}）{_sign(total['diff'], total['pct'], '件')}。"
    ]
    on_time = f"按期受理率{t['on_time_rate']}%" if t["on_time_rate"] is not None else "无受理"
    agreed = f"调解成功率{t['agreement_rate']}%" if t["agreement_rate"] is not None else "尚无调解终结"
    out.append(
        f"受理投诉{t['accepted']}件，其中按期受理{t['accepted_on_time']}件（{on_time}）；"
        f"调解成功{t['resolved']}件、调解终止{t['mediation_ended']}件（{agreed}），"
        f"为消费者挽回经济损失{t['recovered']}元。"
    )
    parts = []
    if figures["by_category"]:
        parts.append(
            "主要集中在" + "、".join(f"{r['name']}（{r['count']}件）" for r in figures["by_category"][:3])
        )
    if figures["by_platform"]:
        parts.append(
            "涉及"
            + "、".join(f"{r['name']}（{r['count']}件）" for r in figures["by_platform"][:3])
            + "等平台"
        )
    if parts:
        out.append("从商品或服务类别和平台看，" + "，".join(parts) + "。")
    repeated = figures["repeated"]
    if repeated["rows"]:
        total = repeated.get("total", len(repeated["rows"]))
        named = repeated["rows"][:10]
        names = "、".join(f"{r['name']}（{r['count']}件）" for r in named)
        more = f"等（按件数列前{len(named)}户）" if total > len(named) else ""
        out.append(
            f"截至{repeated['as_of']}，{repeated['days']}天内被投诉{repeated['threshold']}件以上的经营者"
            f"{total}户：{names}{more}，建议列为重点关注对象。"
        )
    else:
        out.append(
            f"截至{repeated['as_of']}，没有{repeated['days']}天内被投诉{repeated['threshold']}件以上的经营者。"
        )
    return out


CHART_WIDTH, LABEL_WIDTH, VALUE_WIDTH, BAR, GAP = 520, 160, 48, 12, 6
COLOURS = ("#2f5597", "#c55a11")


def bar_chart(
    title: str, rows: list[tuple[str, list[int]]], series: tuple[str, ...] = ("件数",)
) -> dict[str, Any]:
    """A horizontal bar chart's geometry (labels left, bars scaled to the largest value, values right): the page
    and the PDF draw it as inline SVG, nothing computed in the browser."""
    peak = max((v for _label, values in rows for v in values), default=0) or 1
    span = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    y, items = 4, []
    for label, values in rows:
        bars = []
        for i, value in enumerate(values):
            width = round(span * value / peak, 1)
            top = y + i * BAR
            bars.append(
                {
                    "x": LABEL_WIDTH,
                    "y": top,
                    "w": width,
                    "h": BAR - 2,
                    "fill": COLOURS[i % len(COLOURS)],
                    "value": value,
                    "tx": LABEL_WIDTH + width + 4,
                    "ty": top + BAR - 3,
                }
            )
        label = label or "—"
        items.append(
            {
                "label": label if len(label) <= 12 else label[:11] + "…",
                "y": y + len(values) * BAR / 2 + 4,
                "bars": bars,
            }
        )
        y += len(values) * BAR + GAP
    legend = []
    if len(series) > 1:  # a key under the bars: a swatch and the series' name
        legend = [
            {
                "name": name,
                "fill": COLOURS[i % len(COLOURS)],
                "x": LABEL_WIDTH + i * 80,
                "y": y + 2,
                "ty": y + 11,
            }
            for i, name in enumerate(series)
        ]
        y += 16
    return {
        "title": title,
        "width": CHART_WIDTH,
        "height": max(y, 20),
        "label_x": LABEL_WIDTH - 6,
        "rows": items,
        "legend": legend,
    }


def report_charts(figures: dict[str, Any]) -> list[dict[str, Any]]:
    if not figures:
        return []
    charts = []
    if figures["by_month"]:
        charts.append(
            bar_chart(
                "按月",
                [(r["month"], [r["complaints"], r["reports"]]) for r in figures["by_month"]],
                ("投诉", "举报"),
            )
        )
    for key, title in (("by_category", "按商品或服务类别"), ("by_platform", "按平台")):
        if figures[key]:
            charts.append(bar_chart(title, [(r["name"], [r["count"]]) for r in figures[key]]))
    return charts


def report_context(report: ComplaintReport) -> dict[str, Any]:
    """What the page and the PDF show: the figures, the 基本情况 written from them, the charts, the unit's text."""
    return {
        "report": report,
        "f": report.figures,
        "computed_at": dt.datetime.fromisoformat(report.figures["computed_at"]) if report.figures else None,
        "summary": report_summary(report.figures),
        "charts": report_charts(report.figures),
        "paragraphs": [p for p in report.text.splitlines() if p.strip()],
    }


def report_html(report: ComplaintReport) -> str:
    """The printable document: the bureau, title, number, 基本情况, tables and charts, 研判和建议, date."""
    with translation.override("zh-hans"):
        return render_to_string("complaints/report_print.html", report_context(report))
