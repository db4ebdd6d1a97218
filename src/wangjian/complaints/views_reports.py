"""投诉举报分析报告 pages: the reports, a new one for a period that has ended, the report with its figures, the
unit's 研判 and 建议, recounting, sending it to the leading group, and its PDF as kept.

Every decision is ``services.reports``': who may read and write, what a draft and a sent report allow.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import django_filters as df
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wangjian.complaints.choices import ReportPeriod, ReportState
from wangjian.complaints.models import ComplaintReport
from wangjian.complaints.permissions import COMPLAINT_ANALYSIS
from wangjian.complaints.services import reports as report_services
from wangjian.core.audit import acting
from wangjian.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.org import permissions
from wangjian.platform.filtersets import SearchFilterSet

# how many ended periods of each kind the new report offers
OFFERED = {ReportPeriod.MONTH: 24, ReportPeriod.QUARTER: 8, ReportPeriod.HALF: 4, ReportPeriod.YEAR: 3}


class ReportFilterSet(SearchFilterSet):
    """The reports' list and the API's alike."""

    search_fields = ("title", "number")
    period_kind = df.ChoiceFilter(choices=ReportPeriod.choices, label=gettext_lazy("报告周期"))
    state = df.ChoiceFilter(choices=ReportState.choices, label=gettext_lazy("状态"))

    class Meta:
        model = ComplaintReport
        fields = ["q", "period_kind", "state"]


def _require_read(request) -> None:
    if not permissions.may(request.user, COMPLAINT_ANALYSIS):
        raise PermissionDenied(permissions.get(COMPLAINT_ANALYSIS).refusal()[0])


def _report_for(request, pk: int) -> ComplaintReport:
    try:
        return report_services.report_get(user=request.user, pk=pk)
    except NotFoundError as exc:
        raise Http404(exc.zh) from None
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.zh) from None


@login_required
def report_list(request):
    _require_read(request)
    filterset = ReportFilterSet(
        request.GET or None,
        queryset=report_services.reports_visible(request.user).order_by("-period_start", "-id"),
        request=request,
    )
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "complaints/report_list.html",
        {
            "filter": filterset,
            "page": page,
            "may_draft": report_services.may_write(request.user, request.user.bureau_id),
        },
    )


@login_required
def report_add(request):
    """起草分析报告: choose a period that has ended; its figures are counted now."""
    _require_read(request)
    if request.method == "POST":
        kind, _sep, start = request.POST.get("period", "").partition(":")
        try:
            try:
                start_day = dt.date.fromisoformat(start)
            except ValueError:
                raise ValidationFailed("请选择统计期间", "Choose the period") from None
            with acting(request.user, via="web"):
                report = report_services.report_draft(
                    user=request.user, bureau=request.user.bureau, period_kind=kind, period_start=start_day
                )
        except WangjianError as exc:
            messages.error(request, str(exc))
            return redirect("complaints:report_add")
        messages.success(request, _("已起草：%(title)s") % {"title": report.title})
        return redirect(report.get_absolute_url())
    today = timezone.localdate()
    periods = [
        (
            label,
            [
                (f"{kind}:{start.isoformat()}", text)
                for start, text in report_services.periods_ended(kind=kind, today=today, count=OFFERED[kind])
            ],
        )
        for kind, label in ReportPeriod.choices
    ]
    return render(
        request,
        "complaints/report_form.html",
        {
            "periods": periods,
            "may_draft": report_services.may_write(request.user, request.user.bureau_id),
            "refusal": report_services.WRITERS[0],
            "bureau": request.user.bureau,
        },
    )


@login_required
def report_detail(request, pk: int):
    """The report: its figures, the unit's text (while a draft), recount, send; the PDF once sent."""
    report = _report_for(request, pk)
    if request.method == "POST":
        try:
            with acting(request.user, via="web"):
                if "recount" in request.POST:
                    report_services.report_recount(report=report, user=request.user)
                    messages.success(request, _("已重新统计"))
                else:
                    if "text" in request.POST:
                        report_services.report_edit(
                            report=report, user=request.user, text=request.POST["text"]
                        )
                    if "issue" in request.POST:
                        report_services.report_issue(report=report, user=request.user)
                        messages.success(request, _("已报送领导小组：%(n)s") % {"n": report.number})
                    else:
                        messages.success(request, _("已保存"))
        except WangjianError as exc:
            messages.error(request, str(exc))
        return redirect(report.get_absolute_url())
    context = report_services.report_context(report)
    context.update({"object": report, "may_write": report_services.may_write(request.user, report.bureau_id)})
    return render(request, "complaints/report_detail.html", context)


@login_required
def report_pdf(request, pk: int):
    """The sent report's PDF as kept (checked against its hash), or the draft printed now."""
    report = _report_for(request, pk)
    try:
        data = report_services.report_pdf(report)
    except WangjianError as exc:
        messages.error(request, str(exc))
        return redirect(report.get_absolute_url())
    response = HttpResponse(data, content_type="application/pdf")
    name = f"{report.title}{('-' + report.number) if report.number else '-草稿'}.pdf"
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
    return response
