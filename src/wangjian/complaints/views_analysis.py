"""投诉举报分析: the period's figures with charts, the businesses complained about again and again, the Excel the
12315 unit sends to the leading group; and the office's settings (the repeat threshold, the retention period)."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from wangjian.complaints.permissions import COMPLAINT_ANALYSIS
from wangjian.complaints.services import analysis as analysis_services
from wangjian.core.errors import ValidationFailed, WangjianError
from wangjian.org import permissions
from wangjian.org.selectors import can_manage
from wangjian.platform.generic import scoped_bureau


def _period(data) -> tuple[dt.date, dt.date]:  # noqa: ANN001  (request.GET or request.POST)
    today = timezone.localdate()
    data = getattr(data, "GET", data)
    try:
        start = dt.date.fromisoformat(data.get("start") or today.replace(day=1).isoformat())
        end = dt.date.fromisoformat(data.get("end") or today.isoformat())
    except ValueError:
        raise ValidationFailed("日期格式应为 YYYY-MM-DD", "Dates are YYYY-MM-DD") from None
    if end < start or (end - start).days > 3 * 366:
        raise ValidationFailed(
            "统计期间应在三年以内且起日不晚于止日", "The period is at most three years, start before end"
        )
    return start, end


def _chart(labels: list[str], *series: tuple[str, list]) -> dict:
    return {"labels": labels, "series": [{"name": name, "data": data} for name, data in series]}


@login_required
def analysis(request):
    if not permissions.may(request.user, COMPLAINT_ANALYSIS):
        raise PermissionDenied(permissions.get(COMPLAINT_ANALYSIS).refusal()[0])
    bureau = scoped_bureau(request)
    try:
        start, end = _period(request)
    except WangjianError as exc:
        messages.error(request, str(exc))
        start = end = timezone.localdate()
    as_xlsx = request.GET.get("format") == "xlsx"  # the file lists every flagged business, the page the first
    result = analysis_services.analysis(
        bureau=bureau,
        start=start,
        end=end,
        repeated_shown=None if as_xlsx else analysis_services.REPEATED_SHOWN,
    )
    if as_xlsx:
        return _xlsx(result)
    context = {
        "a": result,
        "bureau": bureau,
        "settings": analysis_services.settings_for(bureau),
        "may_draft": can_manage(request.user, bureau),
        "months": _chart(
            [m for m, _c, _r in result.by_month],
            (_("投诉"), [c for _m, c, _r in result.by_month]),
            (_("举报"), [r for _m, _c, r in result.by_month]),
        ),
        "categories": _chart(
            [c for c, _n in result.by_category], (_("件数"), [n for _c, n in result.by_category])
        ),
        "platforms": _chart(
            [p for p, _n in result.by_platform], (_("件数"), [n for _p, n in result.by_platform])
        ),
    }
    return render(request, "complaints/analysis.html", context)


def _xlsx(a: analysis_services.Analysis) -> HttpResponse:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "概况"
    ws.append(["统计期间", f"{a.start} 至 {a.end}"])
    for label, value in (
        ("受理登记合计", a.total),
        ("投诉", a.complaints),
        ("举报", a.reports),
        ("已受理投诉", a.accepted),
        ("其中超过受理期限", a.accepted_late),
        ("调解成功", a.resolved),
        ("挽回经济损失（元）", float(a.recovered)),
    ):
        ws.append([label, value])
    for title, header, rows in (
        ("按月", ["月份", "投诉", "举报"], a.by_month),
        ("按类别", ["商品或服务类别", "件数"], a.by_category),
        ("按平台", ["平台", "件数"], a.by_platform),
        ("按地区", ["区划代码", "件数"], a.by_region),
        ("被投诉较多的经营者", ["经营者", "统一社会信用代码", "件数"], a.top_respondents),
        ("重复投诉提示", ["经营者", "统一社会信用代码", "件数"], a.repeated),
    ):
        sheet = wb.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    name = f"投诉举报分析_{a.bureau.name}_{a.start}_{a.end}.xlsx"
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def warning_draft(request):
    """起草消费提示: from the period's analysis into an unpublished notice, opened for editing."""
    if request.method != "POST":
        return redirect("complaints:analysis")
    if not permissions.may(request.user, COMPLAINT_ANALYSIS):
        raise PermissionDenied(permissions.get(COMPLAINT_ANALYSIS).refusal()[0])
    bureau = scoped_bureau(request, request.POST.get("bureau"))
    try:
        start, end = _period(request.POST)
        result = analysis_services.analysis(bureau=bureau, start=start, end=end)
        notice = analysis_services.consumer_warning_draft(bureau=bureau, user=request.user, result=result)
    except WangjianError as exc:
        messages.error(request, str(exc))
        return redirect("complaints:analysis")
    messages.success(request, _("已起草消费提示，请修改后发布"))
    return redirect("org:notice_edit", pk=notice.pk)


@login_required
def settings_page(request):
    """The office sets the repeat threshold (件/天) and the retention of personal data."""
    bureau = request.user.bureau
    if bureau is None or not can_manage(request.user, bureau):
        raise PermissionDenied(_("只有本局办公室管理员可以修改投诉举报设置"))
    current = analysis_services.settings_for(bureau)
    if request.method == "POST":
        try:
            analysis_services.settings_set(
                bureau=bureau,
                user=request.user,
                repeat_threshold=request.POST.get("repeat_threshold"),
                repeat_days=request.POST.get("repeat_days"),
                retention_years=request.POST.get("retention_years"),
            )
        except WangjianError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已保存"))
        return redirect("complaints:settings")
    return render(request, "complaints/settings.html", {"settings": current, "bureau": bureau})
