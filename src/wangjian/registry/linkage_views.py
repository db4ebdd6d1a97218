"""Pages of the match weights (匹配权重): the estimates of the bureau, and one estimate — which fields
weigh how much, drawn as a chart of match weights, and its thresholds, previewed before they are saved."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from wangjian.core.background import dispatch
from wangjian.core.errors import WangjianError
from wangjian.registry import linkage, linkage_selectors
from wangjian.registry.linkage_models import LinkageEstimate
from wangjian.registry.services import linkage as services

CHART_WIDTH, LABEL_WIDTH, ROW = 640, 250, 22


def _chart(table: list[dict]) -> dict:
    """Bars of ``log2(m/u)`` per field and level around a zero line, as an SVG drawn on the server."""
    rows, y = [], 0
    top = max((abs(lv["weight"]) for f in table for lv in f["levels"]), default=1.0) or 1.0
    half = (CHART_WIDTH - LABEL_WIDTH) / 2
    zero = LABEL_WIDTH + half
    for f in table:
        rows.append({"kind": "field", "y": y + 15, "label": f["label"]})
        y += ROW
        for lv in f["levels"]:
            length = abs(lv["weight"]) / top * (half - 40)
            x = zero if lv["weight"] >= 0 else zero - length
            rows.append(
                {
                    "kind": "level",
                    "y": y,
                    "text_y": y + 14,
                    "label": lv["words"],
                    "x": round(x, 1),
                    "width": round(max(length, 1), 1),
                    "positive": lv["weight"] >= 0,
                    "weight": lv["weight"],
                    "value_x": round(zero + length + 4 if lv["weight"] >= 0 else zero - length - 4, 1),
                    "m": lv["m"],
                    "u": lv["u"],
                }
            )
            y += ROW
    return {"rows": rows, "height": y + 4, "width": CHART_WIDTH, "zero": zero, "label_width": LABEL_WIDTH}


@login_required
def linkage_list(request):
    """The bureau's estimates, newest first; the office starts a new one here."""
    bureau = request.user.bureau
    if bureau is None:
        raise PermissionDenied(_("没有所属局"))
    can_tune = linkage_selectors.can_tune(request.user, bureau)
    if request.method == "POST":
        try:
            services.linkage_check_rights(request.user, bureau)
        except WangjianError as exc:
            raise PermissionDenied(str(exc)) from exc
        try:
            services.linkage_check_data(bureau)
            dispatch(
                "wangjian.registry.tasks.linkage_estimate",
                thread_name=f"wangjian-linkage-{bureau.pk}",
                bureau_id=bureau.pk,
                user_id=request.user.pk,
            )
        except WangjianError as exc:
            messages.error(request, str(exc))
        else:
            messages.info(request, _("已开始按本局数据估计匹配权重，完成后出现在下表"))
        return redirect("registry:linkage_list")
    return render(
        request,
        "registry/linkage_list.html",
        {
            "bureau": bureau,
            "estimates": linkage_selectors.estimates(bureau=bureau)[:50],
            "active": linkage_selectors.active_estimate(bureau=bureau),
            "can_tune": can_tune,
        },
    )


def _targets(data) -> tuple[float, float]:
    try:
        return float(data.get("target_precision", "")), float(data.get("review_precision", "0.8") or 0.8)
    except ValueError as exc:
        raise WangjianError("精确率应为0到1之间的小数", "precisions are decimals between 0 and 1") from exc


@login_required
def linkage_detail(request, pk: int):
    estimate = get_object_or_404(LinkageEstimate.objects.select_related("bureau", "created_by"), pk=pk)
    if request.user.bureau_id != estimate.bureau_id and not request.user.is_superuser:
        raise PermissionDenied(_("无权查看其他局的匹配权重"))
    can_tune = linkage_selectors.can_tune(request.user, estimate.bureau)
    preview = error = None
    if request.method == "POST":
        try:
            services.linkage_check_rights(request.user, estimate.bureau)
        except WangjianError as exc:
            raise PermissionDenied(str(exc)) from exc
        try:
            target, review = _targets(request.POST)
            services.linkage_thresholds_save(
                estimate=estimate, user=request.user, target_precision=target, review_precision=review
            )
        except WangjianError as exc:
            error = str(exc)
        else:
            messages.success(request, _("阈值已保存，下次匹配时生效"))
            return redirect(estimate.get_absolute_url())
    elif "target_precision" in request.GET:
        try:
            target, review = _targets(request.GET)
            thresholds, expected = services.linkage_thresholds_preview(
                estimate=estimate, target_precision=target, review_precision=review
            )
            preview = {"target": target, "review": review, "thresholds": thresholds, "expected": expected}
        except WangjianError as exc:
            error = str(exc)
    model = linkage.Model.from_dict(estimate.params)
    table = model.table()
    return render(
        request,
        "registry/linkage_detail.html",
        {
            "estimate": estimate,
            "table": table,
            "chart": _chart(table),
            "prior": estimate.params.get("prior", 0),
            "registered_percent": round(100 * (1 - model.none_weight(estimate.entities))),
            "preview": preview,
            "error": error,
            "can_tune": can_tune,
        },
    )
