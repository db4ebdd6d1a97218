"""案件办理模式 page: which system is the bureau's record, the export in the province's layout, the difference report.

Every decision is ``cases.services.province``'s (who may, which cases, how values compare); this module
reads the request and shows the answer.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from wangjian.cases import selectors
from wangjian.cases.permissions import PROVINCE_EXCHANGE
from wangjian.cases.services import province, publicity
from wangjian.core.audit import acting
from wangjian.core.errors import ValidationFailed, WangjianError
from wangjian.core.uploads import IMPORT, upload_limit
from wangjian.org import permissions
from wangjian.org.models import Bureau

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _bureau(request) -> Bureau:
    """One's own bureau (the superuser names one with ``?bureau=``), once the table's row allows."""
    if not permissions.may(request.user, PROVINCE_EXCHANGE):
        raise PermissionDenied(permissions.get(PROVINCE_EXCHANGE).refusal()[0])
    bureau = request.user.bureau
    ref = request.GET.get("bureau") or request.POST.get("bureau")
    if request.user.is_superuser and ref and str(ref).isdigit():
        bureau = Bureau.objects.filter(pk=int(ref)).first()
    if bureau is None:
        raise Http404(_("请选择市场监管局"))
    return bureau


def _date(value: str | None, default: dt.date | None) -> dt.date | None:
    if not value:
        return default
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed(
            f"日期格式应为 YYYY-MM-DD：{value}", f"dates are YYYY-MM-DD: {value}"
        ) from None


def _default_period() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return dt.date(today.year, 1, 1), today


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@upload_limit(IMPORT)
@login_required
def province_page(request):
    """The mode, the export form and the upload form; a posted file is compared and the report shown
    (or downloaded as XLSX with ``download``)."""
    bureau = _bureau(request)
    setting = publicity.settings_for(bureau)
    start, end = _default_period()
    report = None
    form = {"start": "", "end": "", "layout": province.GENERIC.key}
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in form}
        try:
            upload = request.FILES.get("file")
            if upload is None:
                raise ValidationFailed(
                    "请选择省级办案系统导出的文件", "choose the file the province's system exported"
                )
            with acting(request.user, via="web"):
                report = province.province_diff(
                    bureau=bureau,
                    user=request.user,
                    upload=upload.read(),
                    file_name=upload.name,
                    layout=province.get_layout(form["layout"]),
                    start=_date(form["start"], None),
                    end=_date(form["end"], None),
                )
        except WangjianError as exc:
            messages.error(request, str(exc))
        else:
            if "download" in request.POST:
                return _xlsx(province.diff_xlsx(report), f"省级办案系统差异报告-{timezone.localdate()}.xlsx")
    return render(
        request,
        "cases/province.html",
        {
            "bureau": bureau,
            "settings": setting,
            "province_mode": setting.record_system == province.PROVINCE,
            "layouts": province.layouts(),
            "layout": province.get_layout(form["layout"]) if report is None else report.layout,
            "start": start,
            "end": end,
            "form": form,
            "report": report,
            "may_manage": request.user.is_superuser or request.user.role in permissions.OFFICE,
        },
    )


@login_required
def province_export(request):
    """The bureau's cases filed, decided or closed in the period, in the province system's layout."""
    bureau = _bureau(request)
    default_start, default_end = _default_period()
    try:
        start = _date(request.GET.get("start"), default_start)
        end = _date(request.GET.get("end"), default_end)
        layout = province.get_layout(request.GET.get("layout"))
        with acting(request.user, via="web"):
            content = province.province_export(
                bureau=bureau, user=request.user, start=start, end=end, layout=layout
            )
    except WangjianError as exc:
        messages.error(request, str(exc))
        return redirect("cases:province")
    return _xlsx(content, f"{bureau.name}-案件数据-{start}-{end}.xlsx")


@login_required
def province_documents(request, pk: int):
    """A case's issued documents (PDF, as kept) in one ZIP, for the province system's case file."""
    bureau = _bureau(request)
    case = selectors.cases_visible(request.user).filter(pk=pk, bureau=bureau).first()
    if case is None:
        raise Http404(_("没有这个案件，或无权查看"))
    try:
        content = province.case_documents_zip(case=case, user=request.user)
    except WangjianError as exc:
        messages.error(request, str(exc))
        return redirect(case.get_absolute_url() + "#documents")
    response = HttpResponse(content, content_type="application/zip")
    name = f"{case.number or case.pk}-文书.zip"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
