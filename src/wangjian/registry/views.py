"""Registry pages: entity search and the archive (经济户口) page, presences, platforms, imports with
preview and column mapping, the review queue and data corrections. No rules here: services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2.paginators import LazyPaginator

from wangjian.core import uploads
from wangjian.core.errors import WangjianError
from wangjian.core.models import ChangeRecord
from wangjian.org.selectors import scope
from wangjian.platform import generic
from wangjian.platform.personal import masked, may_unmask, personal_read
from wangjian.registry import filtersets, forms, importing, selectors, services, tables
from wangjian.registry.choices import CorrectionStatus, ImportKind, MatchOutcome
from wangjian.registry.models import (
    CorrectionRequest,
    ImportBatch,
    MarketEntity,
    MatchResult,
    Platform,
    Presence,
)

# ---------------------------------------------------------------------------------------------
# Entities and the archive page


class EntityMixin:
    model = MarketEntity
    url_prefix = "registry:entity"

    def can_change(self, obj=None):
        return False  # entities change through imports and approved corrections only


class EntityList(EntityMixin, generic.ObjectListView):
    filterset_class = filtersets.EntityFilterSet
    table_class = tables.EntityTable
    template_name = "registry/entity_list.html"

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:
            return ["registry/_entity_table.html"]
        return [self.template_name]

    def get_table_pagination(self, table):
        # no COUNT(*) over a million rows for every keystroke: a "next page" pager instead
        return {"per_page": self.paginate_by, "paginator_class": LazyPaginator}


class EntityDetail(EntityMixin, generic.ObjectDetailView):
    """The archive (经济户口) of an entity: registration facts, presences, platform reports, corrections, history."""

    template_name = "registry/entity_detail.html"
    detail_fields = [
        "uscc",
        "name",
        "kind",
        "legal_rep",
        "phone",
        "address",
        "region_code",
        "registration_authority",
        "status",
        "reg_date",
        "approved_date",
        "business_scope",
        "source",
        "import_batch",
        "bureau",
    ]

    unmasked: dict[str, str] | None = None

    def post(self, request, *args, **kwargs):
        """查看完整个人信息: the role that needs it gives a reason; the read is logged (platform.personal)."""
        self.object = self.get_object()
        try:
            self.unmasked = personal_read(
                user=request.user, record=self.object, reason=request.POST.get("reason", "")
            )
        except WangjianError as exc:
            messages.error(request, str(exc))
            return redirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        e = self.object
        shown = self.unmasked or {}
        ctx["detail_rows"] = [
            (label, shown.get(name, masked(e, name)) if name in ("legal_rep", "phone") else value)
            for (label, value), name in zip(ctx["detail_rows"], self.detail_fields, strict=True)
        ]
        ctx["personal_shown"] = bool(self.unmasked)
        ctx["may_unmask"] = may_unmask(self.request.user, e) and bool(e.legal_rep or e.phone)
        ctx["presences"] = e.presences.select_related("platform").order_by("-id")[:200]
        ctx["reports"] = MatchResult.objects.filter(entity=e).select_related("seller", "seller__platform")[
            :100
        ]
        ctx["corrections"] = e.corrections.select_related("requested_by", "decided_by")[:50]
        ctx["history"] = ChangeRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(MarketEntity), object_id=str(e.pk)
        ).exclude(action=ChangeRecord.Action.VIEW)[:50]
        ctx["can_correct"] = selectors.can_request_correction(self.request.user, e.bureau_id)
        return ctx


class EntityChangelog(EntityMixin, generic.ObjectChangelogView):
    pass


# ---------------------------------------------------------------------------------------------
# Platforms and presences


class PlatformMixin:
    model = Platform
    url_prefix = "registry:platform"

    def can_change(self, obj=None):
        from wangjian.org.selectors import can_manage

        user = self.request.user
        bureau = user.bureau_id if obj is None else obj.bureau_id
        return user.is_superuser or can_manage(user, bureau) or selectors.can_import(user, bureau)


class PlatformList(PlatformMixin, generic.ObjectListView):
    filterset_class = filtersets.PlatformFilterSet
    table_class = tables.PlatformTable


class PlatformDetail(PlatformMixin, generic.ObjectDetailView):
    template_name = "registry/platform_detail.html"
    detail_fields = ["name", "operator_name", "operator", "domicile", "url", "bureau"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        p = self.object
        ctx["presence_count"] = p.presences.count()
        ctx["linked_count"] = p.presences.exclude(entity=None).count()
        ctx["outcomes"] = {
            o.label: MatchResult.objects.filter(seller__platform=p, outcome=o.value).count()
            for o in MatchOutcome
        }
        ctx["batches"] = p.import_batches.order_by("-id")[:10]
        return ctx


class PlatformEdit(PlatformMixin, generic.ObjectEditView):
    form_class = forms.PlatformForm


class PlatformDelete(PlatformMixin, generic.ObjectDeleteView):
    pass


class PlatformChangelog(PlatformMixin, generic.ObjectChangelogView):
    pass


class PresenceMixin:
    model = Presence
    url_prefix = "registry:presence"
    queryset = Presence.objects.select_related("platform", "entity")

    def can_change(self, obj=None):
        user = self.request.user
        return selectors.can_import(user, user.bureau_id if obj is None else obj.bureau_id)


class PresenceList(PresenceMixin, generic.ObjectListView):
    filterset_class = filtersets.PresenceFilterSet
    table_class = tables.PresenceTable


class PresenceDetail(PresenceMixin, generic.ObjectDetailView):
    template_name = "registry/presence_detail.html"
    detail_fields = [
        "kind",
        "platform",
        "shop_name",
        "account_id",
        "url",
        "entity",
        "link_method",
        "link_confidence",
        "status",
        "first_seen",
        "last_seen",
        "last_checked",
        "bureau",
    ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["reports"] = self.object.seller_reports.select_related("match", "match__entity")
        ctx["corrections"] = self.object.corrections.all()[:50]
        ctx["can_correct"] = selectors.can_request_correction(self.request.user, self.object.bureau_id)
        return ctx


class PresenceEdit(PresenceMixin, generic.ObjectEditView):
    form_class = forms.PresenceForm


class PresenceChangelog(PresenceMixin, generic.ObjectChangelogView):
    pass


# ---------------------------------------------------------------------------------------------
# Imports: upload → preview and column mapping → import → batch page with progress


class ImportBatchMixin:
    model = ImportBatch
    url_prefix = "registry:importbatch"
    queryset = ImportBatch.objects.select_related("platform", "user")

    def can_change(self, obj=None):
        return False


class ImportBatchList(ImportBatchMixin, generic.ObjectListView):
    filterset_class = filtersets.ImportBatchFilterSet
    table_class = tables.ImportBatchTable
    template_name = "registry/importbatch_list.html"


class ImportBatchDetail(ImportBatchMixin, generic.ObjectDetailView):
    template_name = "registry/importbatch_detail.html"
    detail_fields = [
        "kind",
        "platform",
        "file_name",
        "sha256",
        "encoding",
        "status",
        "total_rows",
        "created_count",
        "updated_count",
        "unchanged_count",
        "rejected_count",
        "started_at",
        "finished_at",
        "user",
        "message",
    ]

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and self.request.GET.get("part") == "progress":
            return ["registry/_progress.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        personal = selectors.can_see_personal(self.request.user)
        ctx["rejected"] = [
            (r, services.rejected_value(r.column, r.value, personal=personal))
            for r in self.object.rejected_rows.all()[:200]
        ]
        ctx["running"] = self.object.in_progress
        return ctx

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.request.GET.get("part") == "progress" and not self.object.in_progress:
            # The run just ended: reload the whole page for the final counts and rejected rows.
            response["HX-Refresh"] = "true"
        return response


class ImportBatchChangelog(ImportBatchMixin, generic.ObjectChangelogView):
    pass


@login_required
def rejected_csv(request, pk):
    batch = generic.object_or_404_scoped(ImportBatch, request.user, pk)
    response = HttpResponse(
        "\ufeff" + services.rejected_rows_csv(batch=batch, user=request.user),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="rejected-{batch.pk}.csv"'
    return response


@login_required
def upload(request):
    bureau = request.user.bureau
    if bureau is None or not selectors.can_import(request.user, bureau):
        raise PermissionDenied(_("无权导入 / not allowed to import"))
    if request.method == "POST":
        form = forms.UploadForm(request.POST, request.FILES, bureau=bureau)
        if form.is_valid():
            f = form.cleaned_data["file"]
            platform = form.cleaned_data.get("platform")
            try:
                stored = services.upload_receive(
                    bureau=bureau,
                    kind=form.cleaned_data["kind"],
                    file=f,
                    file_name=f.name,
                    user=request.user,
                    platform=platform,
                )
            except WangjianError as exc:
                form.add_error(None, str(exc))
            else:
                token = stored.partition(".")[0]
                request.session[f"upload-{token}"] = {
                    "stored": stored,
                    "kind": form.cleaned_data["kind"],
                    "name": f.name,
                    "platform": platform.pk if platform else None,
                    "new_platform": form.cleaned_data.get("new_platform", "").strip(),
                }
                return redirect("registry:import_preview", token=token)
    else:
        form = forms.UploadForm(bureau=bureau, initial={"kind": request.GET.get("kind", ImportKind.REGISTRY)})
    cap = uploads.human_size(uploads.cap(uploads.IMPORT))
    return render(request, "registry/upload.html", {"form": form, "bureau": bureau, "cap": cap})


@login_required
def preview(request, token):
    """Show the file as read (encoding, headers, first rows) and let the officer map the columns."""
    bureau = request.user.bureau
    info = request.session.get(f"upload-{token}")
    if bureau is None or not selectors.can_import(request.user, bureau, kind=(info or {}).get("kind")):
        raise PermissionDenied
    if info is None or not info.get("stored") or not services.upload_exists(info["stored"]):
        request.session.pop(f"upload-{token}", None)
        messages.error(request, _("上传的文件已不在（已导入，或超过一天未导入被清除），请重新上传"))
        return redirect("registry:import_upload")
    columns, required = importing.columns_for(info["kind"])
    try:
        table, sample = services.upload_sample(info["stored"], info["name"])
    except WangjianError as exc:
        messages.error(request, str(exc))
        return redirect("registry:import_upload")
    auto = importing.auto_mapping(table.headers, columns)
    if request.method == "POST":
        mapping = {}
        for name in columns:
            value = request.POST.get(f"map_{name}", "")
            if value.isdigit():
                mapping[name] = int(value)
        try:
            platform = None
            if info["kind"] == ImportKind.SELLERS:
                if info["platform"]:
                    platform = get_object_or_404(Platform, pk=info["platform"], bureau=bureau)
                else:
                    platform, _created = services.platform_get_or_create(
                        bureau=bureau, name=info["new_platform"]
                    )
            batch = services.import_start(
                bureau=bureau,
                kind=info["kind"],
                upload=info["stored"],
                file_name=info["name"],
                user=request.user,
                mapping=mapping,
                platform=platform,
            )
        except WangjianError as exc:
            messages.error(request, str(exc))
        else:
            request.session.pop(f"upload-{token}", None)
            return redirect(batch.get_absolute_url())
        auto = mapping
    fields = [
        {
            "name": name,
            "label": importing.FIELD_LABELS.get(name, name),
            "required": name in required,
            "selected": auto.get(name),
        }
        for name in columns
    ]
    return render(
        request,
        "registry/preview.html",
        {
            "info": info,
            "table": table,
            "headers": list(enumerate(table.headers)),
            "sample": sample,
            "fields": fields,
            "token": token,
        },
    )


# ---------------------------------------------------------------------------------------------
# Matching: results and the review queue


class MatchResultMixin:
    model = MatchResult
    url_prefix = "registry:match"
    queryset = MatchResult.objects.select_related("seller", "seller__platform", "entity")

    def can_change(self, obj=None):
        return False


class MatchResultList(MatchResultMixin, generic.ObjectListView):
    filterset_class = filtersets.MatchResultFilterSet
    table_class = tables.MatchResultTable
    template_name = "registry/match_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_review"] = selectors.can_review(self.request.user, self.request.user.bureau)
        return ctx


@login_required
def review_queue(request):
    """Suggested links awaiting an officer: A accepts, R rejects, J/K move (keyboard)."""
    items = list(selectors.review_queue(request.user)[:50])
    return render(
        request,
        "registry/review.html",
        {"items": items, "total": selectors.review_queue(request.user).count()},
    )


@login_required
@require_POST
def decide(request, pk):
    result = get_object_or_404(
        scope(MatchResult.objects.select_related("seller", "entity"), request.user), pk=pk
    )
    entity = None
    if request.POST.get("entity"):
        entity = get_object_or_404(scope(MarketEntity.objects.all(), request.user), pk=request.POST["entity"])
    try:
        result = services.match_review(
            result=result,
            decision=request.POST.get("decision", ""),
            user=request.user,
            entity=entity,
            note=request.POST.get("note", "")[:300],
        )
    except WangjianError as exc:
        if getattr(request, "htmx", False):
            return HttpResponse(str(exc), status=exc.http_status)
        messages.error(request, str(exc))
        return redirect("registry:review")
    if getattr(request, "htmx", False):
        return render(request, "registry/_review_item.html", {"item": result, "done": True})
    return redirect("registry:review")


@login_required
@require_POST
def match_to_clue(request, pk):
    """One seller with no registered entity → a clue of suspected unlicensed trading (HTMX: the cell answers)."""
    result = get_object_or_404(
        scope(MatchResult.objects.select_related("seller__platform", "bureau"), request.user), pk=pk
    )
    try:
        _clue, reason = services.seller_to_clue(result=result, user=request.user)
    except WangjianError as exc:
        if getattr(request, "htmx", False):
            return HttpResponse(str(exc), status=exc.http_status)
        messages.error(request, str(exc))
    else:
        if getattr(request, "htmx", False):
            return render(request, "registry/_match_clue.html", {"record": result})
        messages.success(request, reason)
    return redirect(reverse("registry:match_list") + "?outcome=none")


@login_required
@require_POST
def matches_to_clues(request):
    """Every seller of the list as filtered (its query string) trading without a registration — no
    registered entity, or one that is 注销, 吊销 or 迁出 — and no clue yet (``services.sellers_to_clues``)."""
    from django.http import QueryDict

    bureau = request.user.bureau
    if bureau is None or not selectors.can_review(request.user, bureau):
        raise PermissionDenied(_("无权将匹配结果转为线索"))
    params = QueryDict(request.POST.get("query", ""), mutable=True)
    results = filtersets.MatchResultFilterSet(
        params, queryset=scope(MatchResult.objects.filter(bureau=bureau), request.user), request=request
    ).qs
    try:
        made = services.sellers_to_clues(results=results, user=request.user)
    except WangjianError as exc:
        messages.error(request, str(exc))
    else:
        if made:
            messages.success(request, _("已生成 %(n)s 条无照经营线索，按职责清单分派") % {"n": len(made)})
        else:
            messages.info(request, _("没有待转线索的无照经营嫌疑经营者"))
    return redirect(reverse("registry:match_list") + "?" + params.urlencode())


# ---------------------------------------------------------------------------------------------
# Data correction (核实优化数据)


class CorrectionMixin:
    model = CorrectionRequest
    url_prefix = "registry:correction"
    queryset = CorrectionRequest.objects.select_related("entity", "presence", "requested_by", "decided_by")

    def can_change(self, obj=None):
        return False


class CorrectionList(CorrectionMixin, generic.ObjectListView):
    filterset_class = filtersets.CorrectionFilterSet
    table_class = tables.CorrectionTable


class CorrectionDetail(CorrectionMixin, generic.ObjectDetailView):
    template_name = "registry/correction_detail.html"
    detail_fields = [
        "entity",
        "presence",
        "field",
        "current_value",
        "proposed_value",
        "evidence_note",
        "status",
        "requested_by",
        "created",
        "decided_by",
        "decided_at",
        "decision_note",
    ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        c = self.object
        ctx["can_decide"] = c.status == CorrectionStatus.PENDING and selectors.can_approve_correction(
            self.request.user, c
        )
        return ctx


class CorrectionChangelog(CorrectionMixin, generic.ObjectChangelogView):
    pass


@login_required
def correction_new(request, kind, pk):
    model = MarketEntity if kind == "entity" else Presence
    target = get_object_or_404(scope(model.objects.all(), request.user), pk=pk)
    choices = services.ENTITY_CORRECTABLE if kind == "entity" else services.PRESENCE_CORRECTABLE
    if request.method == "POST":
        form = forms.CorrectionForm(request.POST, choices=choices.items())
        if form.is_valid():
            try:
                c = services.correction_request(
                    user=request.user,
                    entity=target if kind == "entity" else None,
                    presence=target if kind == "presence" else None,
                    **form.cleaned_data,
                )
            except WangjianError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("更正申请已提交，待科室负责人审批"))
                return redirect(c.get_absolute_url())
    else:
        form = forms.CorrectionForm(choices=choices.items())
    return render(request, "registry/correction_form.html", {"form": form, "target": target})


@login_required
@require_POST
def correction_decide(request, pk):
    c = get_object_or_404(scope(CorrectionRequest.objects.all(), request.user), pk=pk)
    try:
        services.correction_decide(
            correction=c,
            user=request.user,
            approve=request.POST.get("approve") == "1",
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("已处理：%(s)s") % {"s": c.get_status_display()})
    except WangjianError as exc:
        messages.error(request, str(exc))
    return redirect(c.get_absolute_url())


@login_required
def batch_progress(request, pk):
    batch = generic.object_or_404_scoped(ImportBatch, request.user, pk)
    return JsonResponse(
        {
            "status": batch.status,
            "processed": batch.processed_rows,
            "total": batch.total_rows,
            "matched": batch.matched_rows,
            "match_total": batch.match_total,
            "percent": batch.percent,
            "message": batch.message,
        }
    )
