"""The inspection pages: a plan (edit, publish), a draw (its published inputs, the value entered and
confirmed, the result, the re-run, a re-draw) and the entity page's panel. Every decision is a service's."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangjian.core.audit import acting
from wangjian.core.errors import ValidationFailed, WangjianError
from wangjian.core.uploads import IMPORT, upload_limit
from wangjian.inspections import forms, selectors
from wangjian.inspections.choices import (
    CheckMethod,
    CheckState,
    DrawOrigin,
    DrawState,
    ObjectionOutcome,
    PlanState,
    PublishedField,
    ResultCategory,
)
from wangjian.inspections.models import (
    Draw,
    DrawnObject,
    InspectionResult,
    OnlineCheck,
    Plan,
    ResultObjection,
)
from wangjian.inspections.permissions import INSPECTION_READ
from wangjian.inspections.services import (
    check_note,
    check_outcome,
    check_period_end,
    check_request,
    draw_import,
    draw_publish,
    draw_redo,
    draw_rerun,
    draw_value_confirm,
    draw_value_enter,
    may_plan,
    may_plan_draw,
    may_record,
    objection_decide,
    objection_file,
    plan_publish,
    plan_save,
    result_record,
    results_csv,
    results_publish,
    results_xlsx,
    settings_check,
    settings_for,
    settings_save,
)
from wangjian.inspections.services.checks import FETCH_LABELS, OUTCOME_LABELS
from wangjian.inspections.services.publication import current_draw, publication_item
from wangjian.org import permissions
from wangjian.platform.generic import scoped_bureau


def _read(request) -> None:
    if not permissions.may(request.user, INSPECTION_READ):
        raise PermissionDenied(permissions.get(INSPECTION_READ).refusal()[0])


def _plan_for(request, pk: int) -> Plan:
    _read(request)
    plan = selectors.plans_visible(request.user).filter(pk=pk).first()
    if plan is None:
        raise Http404(_("没有这个抽查计划，或无权查看"))
    return plan


def _draw_for(request, pk: int) -> Draw:
    _read(request)
    draw = selectors.draws_visible(request.user).filter(pk=pk).first()
    if draw is None:
        raise Http404(_("没有这次抽取，或无权查看"))
    return draw


@login_required
def plan_edit(request, pk: int | None = None):
    """制定或修改抽查计划 (a draft only: a published plan is frozen)."""
    _read(request)
    plan = _plan_for(request, pk) if pk else None
    if plan is None and not may_plan(request.user, request.user.bureau_id):
        raise PermissionDenied(permissions.get("inspections.plan.manage").refusal()[0])
    if plan is not None and (plan.frozen or not may_plan(request.user, plan.bureau_id, plan.department)):
        raise PermissionDenied(_("已公布的抽查计划不能修改，或无权修改"))
    form = forms.PlanForm(request.POST or None, instance=plan, user=request.user)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        try:
            with acting(request.user, via="web"):
                plan_save(
                    plan=obj,
                    user=request.user,
                    items=form.cleaned_data["items"],
                    joint_departments=form.cleaned_data["joint_departments"],
                    stations=form.cleaned_data["inspector_stations"],
                )
        except WangjianError as exc:
            form.add_error(None, str(exc))
            for line in exc.detail if isinstance(exc.detail, list) else []:
                form.add_error(None, line)
        else:
            messages.success(request, _("已保存：%(obj)s") % {"obj": obj})
            return redirect(obj.get_absolute_url())
    return render(request, "inspections/plan_form.html", {"form": form, "plan": plan})


@login_required
def plan_detail(request, pk: int):
    plan = _plan_for(request, pk)
    return render(
        request,
        "inspections/plan_detail.html",
        {
            "object": plan,
            "plan": plan,
            "items": plan.items.select_related("department"),
            "draws": plan.draws.order_by("id"),
            "may_plan": may_plan(request.user, plan.bureau_id, plan.department)
            and plan.state == PlanState.DRAFT,
            "may_draw": may_plan_draw(request.user, plan) and plan.state == PlanState.PUBLISHED,
            "draw_form": forms.DrawPublishForm(),
            "strata": selectors.ratio_table(plan),
        },
    )


@login_required
@require_POST
def plan_publish_view(request, pk: int):
    plan = _plan_for(request, pk)
    try:
        with acting(request.user, via="web"):
            plan_publish(plan=plan, user=request.user)
        messages.success(request, _("抽查计划和抽查事项清单已公布"))
    except WangjianError as exc:
        messages.error(request, str(exc))
    return redirect(plan.get_absolute_url())


@login_required
@require_POST
def draw_publish_view(request, pk: int):
    """Publish a draw's inputs (or a re-draw's, with ``replaces`` and its reason)."""
    plan = _plan_for(request, pk)
    form = forms.DrawPublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写公开随机源及其产生日期"))
        return redirect(plan.get_absolute_url())
    data = form.cleaned_data
    replaces = request.POST.get("replaces")
    try:
        with acting(request.user, via="web"):
            if replaces:
                earlier = selectors.draws_visible(request.user).filter(pk=replaces, plan=plan).first()
                if earlier is None:
                    raise Http404
                draw = draw_redo(
                    draw=earlier,
                    user=request.user,
                    reason=data["reason"],
                    source_name=data["source_name"],
                    source_date=data["source_date"],
                )
            else:
                draw = draw_publish(
                    plan=plan,
                    user=request.user,
                    source_name=data["source_name"],
                    source_date=data["source_date"],
                )
    except WangjianError as exc:
        messages.error(request, str(exc))
        return redirect(plan.get_absolute_url())
    messages.success(request, _("抽取要素已公布"))
    return redirect(draw.get_absolute_url())


@login_required
@require_POST
@upload_limit(IMPORT)
def draw_import_view(request, pk: int):
    """导入省级双随机系统的抽取结果: the draw page then shows the origin and the refused rows."""
    plan = _plan_for(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择省级双随机系统导出的抽取结果文件（Excel 或 CSV）"))
        return redirect(plan.get_absolute_url())
    try:
        with acting(request.user, via="web"):
            draw = draw_import(plan=plan, user=request.user, path_or_bytes=upload, file_name=upload.name)
    except WangjianError as exc:  # a refusal too: shown in the service's words, as the API gives them
        messages.error(request, str(exc))
        for line in exc.detail if isinstance(exc.detail, list) else []:
            messages.error(request, str(line))
        return redirect(plan.get_absolute_url())
    messages.success(
        request,
        _("已导入省级系统的抽取结果：%(n)s 户，拒收 %(r)s 行")
        % {"n": draw.objects_count, "r": draw.rejected_rows.count()},
    )
    return redirect(draw.get_absolute_url())


def _rows_context(request, draw: Draw, objects) -> dict:
    """What a row of the draw's objects shows (the page's table, and one row polled while a check runs)."""
    items = list(draw.plan.items.order_by("name"))
    return {
        "draw": draw,
        "rows": selectors.check_rows(draw, objects, user=request.user, may_record=may_record, items=items),
        "items": items,
        "categories": ResultCategory.choices,
        "published_fields": PublishedField.choices,
        "CheckMethod": CheckMethod,
        "ObjectionOutcome": ObjectionOutcome,
        "outcome_labels": OUTCOME_LABELS,
        "fetch_labels": FETCH_LABELS,
        "is_current": current_draw(draw.plan) == draw,
        "may_publish": may_plan(request.user, draw.plan.bureau_id, draw.plan.department),
    }


@login_required
def draw_detail(request, pk: int):
    draw = _draw_for(request, pk)
    objects = selectors.drawn_objects(draw)
    item = publication_item(draw.plan)
    return render(
        request,
        "inspections/draw_detail.html",
        {
            **_rows_context(request, draw, objects),
            "object": draw,
            "publication": item,
            "inputs": selectors.published_inputs(draw) if draw.origin == DrawOrigin.WANGJIAN else None,
            "imported": draw.origin == DrawOrigin.PROVINCE,
            "rejected_rows": draw.rejected_rows.all()[:500],
            "objects": objects,
            "may_draw": may_plan_draw(request.user, draw.plan),
            "value_form": forms.ValueForm(),
            "redraw_form": forms.DrawPublishForm(),
            "rerun": None,
            "DrawState": DrawState,
        },
    )


@login_required
@require_POST
def draw_value(request, pk: int, step: str):
    """录入 (``enter``) or 复核 (``confirm``) the source's value; confirming makes the draw."""
    draw = _draw_for(request, pk)
    form = forms.ValueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写随机源数值"))
        return redirect(draw.get_absolute_url())
    service = {"enter": draw_value_enter, "confirm": draw_value_confirm}.get(step)
    if service is None:
        raise Http404
    try:
        with acting(request.user, via="web"):
            service(draw=draw, user=request.user, value=form.cleaned_data["value"])
        messages.success(request, _("已录入，待另一人复核") if step == "enter" else _("已复核并完成抽取"))
    except WangjianError as exc:
        messages.error(request, str(exc))
    return redirect(draw.get_absolute_url())


@login_required
def draw_rerun_view(request, pk: int):
    """复算: anyone who reads the draw re-runs it from its published inputs and sees what agrees."""
    draw = _draw_for(request, pk)
    try:
        rerun = draw_rerun(draw)
    except WangjianError as exc:
        messages.error(request, str(exc))
        return redirect(draw.get_absolute_url())
    return render(request, "inspections/draw_rerun.html", {"draw": draw, "rerun": rerun})


@login_required
def entity_inspections(request, pk: int):
    """A fragment for the entity's archive page: the draws that selected it, its results, its checks."""
    if not permissions.may(request.user, INSPECTION_READ):
        raise PermissionDenied(permissions.get(INSPECTION_READ).refusal()[0])
    return render(
        request,
        "inspections/entity_inspections.html",
        {"rows": selectors.entity_inspections(user=request.user, entity_id=pk, limit=50)},
    )


# ------------------------------------------------------------------------------ online checks and results


def _drawn_for(request, pk: int):
    _read(request)
    drawn = (
        DrawnObject.objects.filter(pk=pk, draw__in=selectors.draws_visible(request.user))
        .select_related("draw__plan", "entity")
        .first()
    )
    if drawn is None:
        raise Http404(_("没有这个抽中主体，或无权查看"))
    return drawn


@login_required
@require_POST
def drawn_check(request, pk: int):
    """线上检查: request the check of the drawn object's presences (refused at once, else run in the
    background); the row shows "检查进行中" and refreshes itself until the check is done."""
    drawn = _drawn_for(request, pk)
    try:
        with acting(request.user, via="web"):
            drawn = check_request(drawn=drawn, user=request.user, record=request.POST.get("record", ""))
    except WangjianError as exc:
        messages.error(request, str(exc))
    else:
        if drawn.check_state == CheckState.DONE:  # it ran before the answer (no worker, no thread)
            checks = drawn.checks.filter(checked_at__gte=drawn.check_requested_at).select_related("presence")
            labels = "；".join(f"{c.presence}：{OUTCOME_LABELS[check_outcome(c)]}" for c in checks)
            messages.success(request, _("线上检查已记录：%(labels)s") % {"labels": labels})
        elif drawn.check_state == CheckState.FAILED:
            messages.error(request, _("线上检查失败：%(reason)s") % {"reason": drawn.check_error})
        else:
            messages.success(request, _("已请求线上检查，检查进行中，完成后本页自动显示结果"))
    return redirect(f"{drawn.draw.get_absolute_url()}#drawn-{drawn.pk}")


@login_required
def drawn_row(request, pk: int):
    """One row of the draw page's table, polled by the page while the object's check is pending."""
    drawn = _drawn_for(request, pk)
    objects = (
        DrawnObject.objects.filter(pk=drawn.pk).select_related("entity").prefetch_related("inspectors__user")
    )
    context = _rows_context(request, drawn.draw, objects)
    return render(request, "inspections/_drawn_row.html", {**context, "row": context["rows"][0]})


@login_required
@require_POST
def check_record(request, pk: int):
    """检查记录: the inspector writes or corrects the record of a check until the results are published."""
    _read(request)
    check = (
        OnlineCheck.objects.filter(pk=pk, drawn__draw__in=selectors.draws_visible(request.user))
        .select_related("drawn__draw__plan", "drawn__entity")
        .first()
    )
    if check is None:
        raise Http404(_("没有这个线上检查，或无权查看"))
    try:
        with acting(request.user, via="web"):
            check_note(check=check, user=request.user, record=request.POST.get("record", ""))
    except WangjianError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("检查记录已保存"))
    return redirect(f"{check.drawn.draw.get_absolute_url()}#drawn-{check.drawn_id}")


@login_required
def settings_page(request):
    """双随机抽查设置: the objection periods of the bureau, for its office (the change log keeps each change)."""
    bureau = scoped_bureau(request)
    try:
        settings_check(user=request.user, bureau=bureau)
    except WangjianError as exc:
        raise PermissionDenied(str(exc)) from None
    current = settings_for(bureau)
    error = None
    if request.method == "POST":
        try:
            with acting(request.user, via="web"):
                settings_save(
                    user=request.user,
                    bureau=bureau,
                    objection_days=request.POST.get("objection_days", ""),
                    objection_decision_days=request.POST.get("objection_decision_days", ""),
                )
        except WangjianError as exc:
            error = str(exc)
        else:
            messages.success(request, _("双随机抽查设置已保存；此后登记的异议按新期限计算。"))
            return redirect(f"{request.path}?bureau={bureau.pk}")
    return render(
        request,
        "inspections/settings.html",
        {
            "bureau": bureau,
            "settings": current,
            "error": error,
            "posted": request.POST if request.method == "POST" else None,
            "changes": _settings_changes(current),
        },
    )


def _settings_changes(current) -> list:
    """The settings' change log (latest first), shown under the form."""
    if current.pk is None:
        return []
    from django.contrib.contenttypes.models import ContentType

    from wangjian.core.models import ChangeRecord

    return list(
        ChangeRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(current), object_id=str(current.pk)
        ).order_by("-time", "-id")[:20]
    )


@login_required
@require_POST
def drawn_result(request, pk: int):
    """Record the result of one item for the drawn object, in the publicity system's categories."""
    drawn = _drawn_for(request, pk)
    item = drawn.draw.plan.items.filter(pk=request.POST.get("item") or 0).first()
    if item is None:
        messages.error(request, _("请选择抽查事项"))
        return redirect(f"{drawn.draw.get_absolute_url()}#drawn-{drawn.pk}")
    try:
        with acting(request.user, via="web"):
            result_record(
                drawn=drawn,
                item=item,
                category=request.POST.get("category", ""),
                note=request.POST.get("note", ""),
                user=request.user,
                checked_field=request.POST.get("checked_field", ""),
                published_value=request.POST.get("published_value", ""),
                found_value=request.POST.get("found_value", ""),
            )
    except WangjianError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已记录抽查结果"))
    return redirect(f"{drawn.draw.get_absolute_url()}#drawn-{drawn.pk}")


@login_required
@require_POST
def draw_results(request, pk: int, step: str):
    """结束抽查 (``end``: the publication clock starts), 公示结果 (``publish``), 登记异议 (``objection``) or
    作出异议处理 (``objection-decide``) on a published result."""
    draw = _draw_for(request, pk)
    if step in ("objection", "objection-decide"):
        return _objection_step(request, draw, step)
    if step not in ("end", "publish"):
        raise Http404
    try:
        with acting(request.user, via="web"):
            if step == "end":
                item = check_period_end(plan=draw.plan, user=request.user)
                messages.success(request, _("抽查已结束，结果应于 %(due)s 前公示") % {"due": item.due or "—"})
            else:
                results_publish(plan=draw, user=request.user)
                messages.success(request, _("抽查结果已公示"))
    except WangjianError as exc:
        messages.error(request, str(exc))
    return redirect(draw.get_absolute_url())


def _post_date(request, name: str):
    value = parse_date(request.POST.get(name) or "")
    if value is None:
        raise ValidationFailed("请填写日期", "Give the date")
    return value


def _objection_step(request, draw: Draw, step: str):
    """The objection forms of a published result: the services decide, the page reports their words."""
    try:
        with acting(request.user, via="web"):
            if step == "objection":
                result = InspectionResult.objects.filter(
                    pk=request.POST.get("result") or 0, drawn__draw=draw
                ).first()
                if result is None:
                    raise Http404(_("本次抽取没有这个抽查结果"))
                objection_file(
                    result=result,
                    text=request.POST.get("text", ""),
                    filed_on=_post_date(request, "filed_on"),
                    user=request.user,
                )
                messages.success(request, _("已登记异议"))
            else:
                objection = ResultObjection.objects.filter(
                    pk=request.POST.get("objection") or 0, result__drawn__draw=draw
                ).first()
                if objection is None:
                    raise Http404(_("本次抽取没有这个异议"))
                objection_decide(
                    objection=objection,
                    outcome=request.POST.get("outcome", ""),
                    reason=request.POST.get("reason", ""),
                    category=request.POST.get("category", ""),
                    decided_on=_post_date(request, "decided_on"),
                    user=request.user,
                )
                messages.success(request, _("已作出异议处理"))
    except WangjianError as exc:
        messages.error(request, str(exc))
    return redirect(draw.get_absolute_url())


@login_required
def draw_results_export(request, pk: int, fmt: str):
    """The results in the publicity system's layout, as CSV or Excel."""
    draw = _draw_for(request, pk)
    name = f"抽查检查结果_{draw.plan.year}_{draw.plan_id}_{draw.pk}"
    if fmt == "csv":
        response = HttpResponse(results_csv(draw.plan), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            results_xlsx(draw.plan),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.{fmt}"
    return response
