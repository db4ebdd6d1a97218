"""Rule library pages: the generic registry surface, versions, publishing, diff, and the test bench."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from wangjian.core import generic
from wangjian.core.errors import WangjianError
from wangjian.monitoring import filtersets, forms, rulefile, selectors, services, tables
from wangjian.monitoring.choices import VersionStatus
from wangjian.monitoring.models import Rule, RuleLibrary, RuleLibraryVersion


class LibraryMixin:
    model = RuleLibrary
    url_prefix = "monitoring:library"
    queryset = (
        RuleLibrary.objects.select_related("bureau")
        .annotate(
            version_count=Count("versions", distinct=True),
            published_number=Max("versions__number", filter=Q(versions__status=VersionStatus.PUBLISHED)),
        )
        .order_by("bureau", "name")
    )


class LibraryList(LibraryMixin, generic.ObjectListView):
    filterset_class = filtersets.RuleLibraryFilterSet
    table_class = tables.RuleLibraryTable


class LibraryDetail(LibraryMixin, generic.ObjectDetailView):
    template_name = "monitoring/library_detail.html"
    detail_fields = ["title", "name", "bureau", "department_kind", "domain", "description"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        lib = self.object
        ctx["versions"] = lib.versions.select_related("created_by", "published_by")
        ctx["lines"] = lib.regression_lines.all()
        ctx["line_form"] = forms.RegressionLineForm()
        return ctx


class LibraryEdit(LibraryMixin, generic.ObjectEditView):
    form_class = forms.RuleLibraryForm


class LibraryDelete(LibraryMixin, generic.ObjectDeleteView):
    pass


class LibraryChangelog(LibraryMixin, generic.ObjectChangelogView):
    pass


class VersionMixin:
    model = RuleLibraryVersion
    url_prefix = "monitoring:version"
    bureau_field = "library__bureau"
    queryset = RuleLibraryVersion.objects.select_related("library", "library__bureau", "published_by")


class VersionDetail(VersionMixin, generic.ObjectDetailView):
    template_name = "monitoring/version_detail.html"
    detail_fields = [
        "library",
        "number",
        "status",
        "source",
        "note",
        "rule_count",
        "published_by",
        "published_at",
    ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        v = self.object
        ctx["rules"] = v.rules.all()
        ctx["others"] = v.library.versions.exclude(pk=v.pk)
        ctx["can_publish"] = v.status == VersionStatus.DRAFT and services.can_publish(
            self.request.user, v.library
        )
        if self.request.GET.get("regression"):
            ctx["report"] = selectors.regression_report(
                selectors.version_engine(v), services.regression_lines_for(v)
            )
        return ctx


class VersionChangelog(VersionMixin, generic.ObjectChangelogView):
    pass


@login_required
def version_publish(request, pk):
    version = generic.object_or_404_scoped(RuleLibraryVersion, request.user, pk, "library__bureau")
    if request.method == "POST":
        try:
            decision = services.version_publish(version=version, actor=request.user)
            messages.success(request, _("已发布 %(v)s：%(r)s") % {"v": version, "r": decision.reason})
        except WangjianError as exc:
            messages.error(request, str(exc))
            if isinstance(exc.detail, list):
                for item in exc.detail[:20]:
                    messages.warning(request, item)
    return redirect(version.get_absolute_url())


@login_required
def version_export(request, pk):
    version = generic.object_or_404_scoped(RuleLibraryVersion, request.user, pk, "library__bureau")
    spec = version.spec()
    name = f"{version.library.name}-v{version.number}"
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            rulefile.dump_excel(spec),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    response = HttpResponse(rulefile.dump_yaml(spec), content_type="application/x-yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.yaml"'
    return response


@login_required
def version_diff(request, pk):
    version = generic.object_or_404_scoped(RuleLibraryVersion, request.user, pk, "library__bureau")
    other_pk = request.GET.get("other")
    others = version.library.versions.exclude(pk=version.pk)
    other = (
        others.filter(pk=other_pk).first() if other_pk else others.filter(number__lt=version.number).first()
    )
    changes = []
    if other is not None:
        lines = services.regression_lines_for(version) + services.regression_lines_for(other)
        seen, unique = set(), []
        for line in lines:
            if (line.text, line.expect, line.product_kind) not in seen:
                seen.add((line.text, line.expect, line.product_kind))
                unique.append(line)
        changes = selectors.version_diff(
            selectors.version_engine(other), selectors.version_engine(version), unique
        )
    old_codes = {r.code for r in other.rules.all()} if other else set()
    new_codes = {r.code for r in version.rules.all()}
    return render(
        request,
        "monitoring/version_diff.html",
        {
            "version": version,
            "other": other,
            "others": others,
            "changes": changes,
            "added": sorted(new_codes - old_codes),
            "removed": sorted(old_codes - new_codes),
        },
    )


class RuleMixin:
    model = Rule
    url_prefix = "monitoring:rule"
    bureau_field = "version__library__bureau"
    queryset = Rule.objects.select_related("version", "version__library")


class RuleList(RuleMixin, generic.ObjectListView):
    filterset_class = filtersets.RuleFilterSet
    table_class = tables.RuleTable


class RuleDetail(RuleMixin, generic.ObjectDetailView):
    detail_fields = [
        "code",
        "name",
        "category",
        "severity",
        "version",
        "legal_basis",
        "explanation",
        "product_kinds",
        "terms",
        "regexes",
        "exclusions",
        "context",
        "near_terms",
        "near_within",
        "absent",
        "enabled",
        "hits",
        "confirmed",
        "dismissed",
    ]


class RuleChangelog(RuleMixin, generic.ObjectChangelogView):
    pass


@login_required
def regression_line_add(request, pk):
    library = generic.object_or_404_scoped(RuleLibrary, request.user, pk)
    if request.method == "POST":
        from wangjian.org.selectors import can_manage

        if not can_manage(request.user, library.bureau):
            raise PermissionDenied(_("无权修改 / not allowed to change"))
        form = forms.RegressionLineForm(request.POST)
        if form.is_valid():
            try:
                services.regression_line_add(library=library, **form.cleaned_data)
                messages.success(request, _("已加入回归测试集"))
            except WangjianError as exc:
                messages.error(request, str(exc))
        else:
            messages.error(request, _("测试语句不完整"))
    return redirect(library.get_absolute_url())


@login_required
def library_import(request):
    form = forms.ImportForm(request.POST or None, request.FILES or None, user=request.user)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            version = services.library_import(
                bureau=form.cleaned_data["bureau"],
                filename=upload.name,
                content=upload.read(),
                actor=request.user,
            )
            messages.success(request, _("已导入为草稿 %(v)s") % {"v": version})
            return redirect(version.get_absolute_url())
        except WangjianError as exc:
            messages.error(request, str(exc))
            errors = exc.detail if isinstance(exc.detail, list) else []
    return render(request, "monitoring/import.html", {"form": form, "errors": errors})


# --------------------------------------------------------------------------- test bench


def highlight(text: str, hits, suppressed) -> str:
    """The original text with hits marked (and exempted candidates marked differently)."""
    marks: list[list] = [[] for _ in range(len(text) + 1)]
    for i, h in enumerate(hits):
        for p in range(h.start, h.end):
            marks[p].append(("hit", i))
    for i, h in enumerate(suppressed):
        for p in range(h.start, h.end):
            marks[p].append(("ex", i))
    out, p = [], 0
    while p < len(text):
        q = p + 1
        while q < len(text) and marks[q] == marks[p]:
            q += 1
        chunk = escape(text[p:q])
        kinds = marks[p]
        if any(k == "hit" for k, _ in kinds):
            labels = ", ".join(f"{hits[i].rule} {hits[i].category}" for k, i in kinds if k == "hit")
            out.append(f'<mark class="wj-hit" title="{escape(labels)}">{chunk}</mark>')
        elif kinds:
            labels = "; ".join(
                f"{suppressed[i].rule}: {suppressed[i].exemption_reason}" for k, i in kinds if k == "ex"
            )
            out.append(f'<span class="wj-exempt" title="{escape(labels)}">{chunk}</span>')
        else:
            out.append(chunk)
        p = q
    return mark_safe("".join(out).replace("\n", "<br>"))  # noqa: S308 — every chunk is escaped above


@login_required
def bench(request):
    names = [(name, f"{name}（{source}，{n} 条）") for name, source, n in selectors.library_catalogue()]
    form = forms.TestBenchForm(request.POST or None, libraries=names)
    ctx = {"form": form}
    if request.method == "POST" and form.is_valid():
        library = form.cleaned_data.get("library") or None
        try:
            engine = selectors.engine_for(names=[library] if library else None)
            result = engine.scan(
                form.cleaned_data["text"], product_kind=form.cleaned_data.get("product_kind") or None
            )
            ctx.update(result=result, marked=highlight(result.text, result.hits, result.suppressed))
        except WangjianError as exc:
            ctx["error"] = str(exc)
    if getattr(request, "htmx", False) and request.method == "POST":
        return render(request, "monitoring/bench_result.html", ctx)
    return render(request, "monitoring/bench.html", ctx)
