"""Risk pages: the grade list, an entity's grade with its reasons and history, the entity page's panel, the
office's settings with the preview of what they would change, and the credit-class imports.

Every rule is the services' (``services.settings``, ``grading``, ``store``, ``credit_import``); every read
goes through ``selectors``. A refusal is shown in the words of the permission table.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from wangjian.core import uploads
from wangjian.core.audit import acting
from wangjian.core.errors import WangjianError
from wangjian.org import permissions
from wangjian.org.choices import Domain
from wangjian.org.selectors import scope
from wangjian.platform import generic, indicators
from wangjian.platform.generic import bureau_choices, scoped_bureau
from wangjian.registry.models import MarketEntity
from wangjian.risk import filtersets, selectors, tables
from wangjian.risk.choices import CreditClass, RiskGrade
from wangjian.risk.models import EntityGrade
from wangjian.risk.permissions import GRADE_READ, IMPORT_RUN, SETTINGS_MANAGE
from wangjian.risk.services import credit_import, grading, store
from wangjian.risk.services import settings as risk_settings

REJECTED_SHOWN = 500


def _require(request, key: str) -> None:
    if not permissions.may(request.user, key):
        raise PermissionDenied(permissions.get(key).refusal()[0])


class GradeList(generic.ObjectListView):
    """Every entity's grade the user may see, highest score first; filter by grade, region, credit class."""

    model = EntityGrade
    url_prefix = "risk:grade"
    filterset_class = filtersets.EntityGradeFilterSet
    table_class = tables.EntityGradeTable
    template_name = "risk/grade_list.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _require(request, GRADE_READ)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.grades_visible(self.request.user)

    def can_change(self, obj=None):
        return False  # grades are computed, never typed


@login_required
def grade_detail(request, pk: int):
    """An entity's grade: the score term by term, the words, the credit classes by month and every change."""
    _require(request, GRADE_READ)
    grade = selectors.grades_visible(request.user).filter(pk=pk).first()
    if grade is None:
        raise Http404(_("没有这个风险等级记录，或无权查看"))
    return render(
        request,
        "risk/grade_detail.html",
        {
            "object": grade,
            "grade": grade,
            "entity": grade.entity,
            "changes": selectors.changes_of(entity_id=grade.entity_id)[:100],
            "classes": selectors.classes_of(entity_id=grade.entity_id)[:24],
        },
    )


@login_required
def entity_risk(request, pk: int):
    """A fragment for the entity's archive page (registry): its grade, reasons and recent changes."""
    entity = scope(MarketEntity.objects.all(), request.user).filter(pk=pk).first()
    if entity is None:
        raise Http404(_("没有这个市场主体，或无权查看"))
    context = {"entity": entity, "may_read": selectors.may_read(request.user)}
    if context["may_read"]:
        context["grade"] = EntityGrade.objects.filter(entity=entity).first()
        context["changes"] = selectors.changes_of(entity_id=entity.pk)[:5]
        context["classes"] = selectors.classes_of(entity_id=entity.pk)[:3]
    return render(request, "risk/entity_risk.html", context)


def _settings_values(post) -> dict:
    """The settings form's fields as ``settings_build`` reads them (blank fields keep the current value)."""
    values: dict = {"weights": {}, "caps": {}, "class_points": {}}
    for indicator in indicators.all():
        for prefix, table in (("w", "weights"), ("c", "caps")):
            raw = (post.get(f"{prefix}:{indicator.key}") or "").strip()
            if raw:
                values[table][indicator.key] = raw
    for c in CreditClass.values:
        raw = (post.get(f"cp:{c}") or "").strip()
        if raw:
            values["class_points"][c] = raw
    for name in ("key_threshold", "warning_threshold", "task_working_days", "task_domain", "sweep_key_hours"):
        raw = (post.get(name) or "").strip()
        if raw:
            values[name] = raw
    values["task_on_key"] = post.get("task_on_key") == "on"
    return values


def _settings_rows(settings) -> list[dict]:
    return [
        {
            "key": i.key,
            "label": i.label_zh,
            "app": i.source_app,
            "weight": risk_settings.weight_of(settings, i.key),
            "cap": risk_settings.cap_of(settings, i.key),
        }
        for i in indicators.all()
    ]


@login_required
def settings_page(request):
    """风险分级设置: weights, caps, thresholds and the treatment of 重点监控; 预览 counts the grade changes first."""
    _require(request, SETTINGS_MANAGE)
    bureau = scoped_bureau(request)
    today = timezone.localdate()
    settings = risk_settings.settings_for(bureau)
    preview, error = None, None
    if request.method == "POST":
        action = request.POST.get("action", "preview")
        try:
            risk_settings.settings_check(user=request.user, bureau=bureau)
            if action == "regrade":
                with acting(request.user, via="web"):
                    result = store.grades_store(bureau=bureau, today=today, user=request.user)
                messages.success(
                    request,
                    _("已重新评定 %(n)s 个主体：等级变化 %(changed)s 个，派发核查任务 %(tasks)s 件")
                    % {"n": result.graded, "changed": result.changed, "tasks": result.tasks},
                )
                return redirect(f"{request.path}?bureau={bureau.pk}")
            settings = risk_settings.settings_build(bureau=bureau, values=_settings_values(request.POST))
            if action == "save":
                with acting(request.user, via="web"):
                    risk_settings.settings_save(
                        user=request.user, bureau=bureau, values=_settings_values(request.POST)
                    )
                messages.success(request, _("风险分级设置已保存；下次评定（每日，或“立即重新评定”）时生效。"))
                return redirect(f"{request.path}?bureau={bureau.pk}")
            preview = grading.grades_preview(bureau=bureau, today=today, settings=settings)
        except WangjianError as exc:
            error = str(exc)
    counts = {g: 0 for g in RiskGrade.values}
    for g, n in (
        EntityGrade.objects.filter(bureau=bureau).values_list("grade").annotate(n=Count("id")).order_by()
    ):
        counts[g] = n
    return render(
        request,
        "risk/settings.html",
        {
            "bureau": bureau,
            "bureaus": bureau_choices(request),
            "settings": settings,
            "rows": _settings_rows(settings),
            "class_points": [
                (c, label, risk_settings.class_points_of(settings, c)) for c, label in CreditClass.choices
            ],
            "domains": Domain.choices,
            "preview": preview,
            "preview_rows": preview.rows() if preview else [],
            "error": error,
            "counts": [(RiskGrade(g).label, n) for g, n in counts.items()],
        },
    )


@login_required
@uploads.upload_limit(uploads.IMPORT)
def import_list(request):
    """导入企业信用风险分类: the upload (for the office) and the batches of the bureaus one sees."""
    _require(request, GRADE_READ)
    may_import = permissions.may(request.user, IMPORT_RUN) and request.user.bureau_id is not None
    error = None
    if request.method == "POST":
        if not may_import:
            raise PermissionDenied(permissions.get(IMPORT_RUN).refusal()[0])
        upload = request.FILES.get("file")
        month = (
            credit_import.parse_month(request.POST.get("month", "")) if request.POST.get("month") else None
        )
        if upload is None:
            error = _("请选择文件")
        elif request.POST.get("month") and month is None:
            error = _("无法识别月份（应如2026-11）")
        else:
            try:
                with acting(request.user, via="web"):
                    batch = credit_import.credit_import(
                        user=request.user,
                        bureau=request.user.bureau,
                        path_or_bytes=upload,
                        file_name=upload.name,
                        month=month,
                    )
            except WangjianError as exc:
                error = str(exc)
            else:
                messages.success(
                    request,
                    _("已导入：新增 %(c)s，更新 %(u)s，未变化 %(s)s，拒收 %(r)s 行")
                    % {
                        "c": batch.created_count,
                        "u": batch.updated_count,
                        "s": batch.unchanged_count,
                        "r": batch.rejected_count,
                    },
                )
                return redirect("risk:import_detail", pk=batch.pk)
    return render(
        request,
        "risk/import_list.html",
        {
            "may_import": may_import,
            "error": error,
            "batches": selectors.imports_visible(request.user).order_by("-id")[:100],
            "columns": [
                (credit_import.LABELS[f], spellings) for f, spellings in credit_import.COLUMNS.items()
            ],
            "cap": uploads.human_size(uploads.cap(uploads.IMPORT)),
        },
    )


def _batch_for(request, pk: int):
    _require(request, GRADE_READ)
    batch = selectors.imports_visible(request.user).filter(pk=pk).first()
    if batch is None:
        raise Http404(_("没有这个导入批次，或无权查看"))
    return batch


@login_required
def import_detail(request, pk: int):
    batch = _batch_for(request, pk)
    return render(
        request,
        "risk/import_detail.html",
        {
            "batch": batch,
            "rejected": batch.rejected_rows.order_by("row_number", "id")[:REJECTED_SHOWN],
            "more": batch.rejected_count > REJECTED_SHOWN,
        },
    )


@login_required
def import_rejected_csv(request, pk: int):
    batch = _batch_for(request, pk)
    response = HttpResponse(
        "\ufeff" + credit_import.rejected_rows_csv(batch=batch), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="credit-rejected-{batch.pk}.csv"'
    return response
