"""The platforms' duties pages: every platform with its last report and re-verification, one platform's duties
(reports schedule and arrivals, guidance, requests), recording a report or a re-verification, and the office's
settings of the work-rule deadlines. The record pages are in ``views_records``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from wangjian.core import uploads
from wangjian.core.audit import acting
from wangjian.core.errors import WangjianError
from wangjian.org import permissions
from wangjian.outreach import clocks, forms, selectors, services
from wangjian.outreach.models import Reverification, SellerReportRecord
from wangjian.outreach.permissions import OUTREACH_SETTINGS
from wangjian.outreach.services.common import can_act
from wangjian.outreach.views_records import act_refusal, read_check, refused
from wangjian.outreach.windows import BASIS, REVERIFY_BASIS
from wangjian.platform.clocks import catalogue
from wangjian.platform.clocks import services as clock_services


@login_required
def platform_list(request):
    """平台责任落实: each platform's last report window and re-verification; ``?overdue=1`` the overdue ones."""
    read_check(request.user)
    rows = selectors.platforms_overdue(request.user, today=timezone.localdate())
    only_overdue = request.GET.get("overdue") == "1"
    if only_overdue:
        rows = [r for r in rows if r["overdue"] or r["reverify"].overdue]
    return render(
        request,
        "outreach/platform_list.html",
        {"rows": rows, "only_overdue": only_overdue, "basis": BASIS, "reverify_basis": REVERIFY_BASIS},
    )


@login_required
def platform_duties(request, pk: int):
    """One platform's duties: the reports owed each January and July and how each came, guidance, requests."""
    read_check(request.user)
    platform = get_object_or_404(selectors.platforms_visible(request.user), pk=pk)
    context = selectors.platform_duties(platform, today=timezone.localdate())
    context.update(
        {
            "platform": platform,
            "may_act": can_act(request.user, platform.bureau_id),
            "basis": BASIS,
            "reverify_basis": REVERIFY_BASIS,
        }
    )
    return render(request, "outreach/platform_duties.html", context)


def _platform_form(request, pk: int, form_class, model, save, title: str):  # noqa: ANN001, ANN202
    read_check(request.user)
    platform = get_object_or_404(selectors.platforms_visible(request.user), pk=pk)
    message = act_refusal(request.user, platform.bureau_id)
    if message:
        return refused(request, message)
    instance = model(bureau_id=platform.bureau_id, platform=platform)
    form = form_class(request.POST or None, request.FILES or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with acting(request.user, via="web"):
                save(form.save(commit=False), request.user)
        except WangjianError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已登记"))
            return redirect("outreach:platform", pk=platform.pk)
    return render(
        request, "outreach/form.html", {"form": form, "title": f"{platform}：{title}", "platform": platform}
    )


@login_required
@uploads.upload_limit(uploads.EVIDENCE)
def report_add(request, pk: int):
    """登记其他方式报送的经营者身份信息 (not an import)."""
    return _platform_form(
        request,
        pk,
        forms.ReportRecordForm,
        SellerReportRecord,
        lambda obj, user: services.report_record(record=obj, user=user),
        _("登记经营者身份信息报送"),
    )


@login_required
def reverification_add(request, pk: int):
    """登记平台申报的核验更新日期."""
    return _platform_form(
        request,
        pk,
        forms.ReverificationForm,
        Reverification,
        lambda obj, user: services.reverification_record(reverification=obj, user=user),
        _("登记核验更新经营者身份信息"),
    )


@login_required
def settings_page(request):
    """协作工作时限: the outreach work rules, each with the bureau's length; the office sets them."""
    read_check(request.user)
    bureau = request.user.bureau
    if bureau is None:
        raise PermissionDenied(_("只有各局人员可以查看本局设置"))
    may_edit = permissions.may(request.user, OUTREACH_SETTINGS)
    if request.method == "POST":
        if not may_edit:
            return refused(request, permissions.get(OUTREACH_SETTINGS).refusal()[0])
        clock = request.POST.get("clock", "")
        try:
            if clock not in clocks.LABELS:
                raise WangjianError("没有该时限", "No such clock")
            with acting(request.user, via="web"):
                clock_services.policy_set(
                    bureau=bureau,
                    clock=clock,
                    length=request.POST.get("length"),
                    basis=request.POST.get("basis", ""),
                    user=request.user,
                )
        except WangjianError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已保存"))
        return redirect("outreach:settings")
    rows = [
        {"kind": catalogue.get(key), "setting": clock_services.setting_for(bureau=bureau, clock=key)}
        for key in clocks.LABELS
    ]
    return render(request, "outreach/settings.html", {"rows": rows, "may_edit": may_edit, "bureau": bureau})
