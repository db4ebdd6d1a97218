"""Rule library pages: the generic registry surface, versions, publishing, diff, and the test bench."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from wangjian.core import uploads
from wangjian.core.errors import WangjianError
from wangjian.monitoring import filtersets, forms, rulefile, selectors, services, tables
from wangjian.monitoring.choices import VersionStatus
from wangjian.monitoring.models import Rule, RuleLibrary, RuleLibraryVersion
from wangjian.platform import generic


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
        ctx["versions"] = lib.versions.select_related("created_by", "published_by").annotate(
            regex_timeouts=Sum("rules__regex_timeouts")
        )
        ctx["timed_out"] = (
            Rule.objects.filter(version__library=lib, regex_timeouts__gt=0)
            .select_related("version")
            .order_by("-version__number", "code")
        )
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
        ctx["can_change"] = False  # a version is never edited: changes are imported as a new draft
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

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_add"] = False  # rules come with a library version, never one by one
        return ctx


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
        "regex_timeouts",
        "regex_timeout_pattern",
        "regex_timeout_at",
    ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_change"] = False  # a published rule is never edited: a new library version is
        p = self.object.precision
        ctx["detail_rows"].append((_("确认率"), "—" if p is None else f"{p:.0%}"))
        return ctx


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
    if request.user.bureau is not None and not services.can_import_library(request.user, request.user.bureau):
        raise PermissionDenied(_("只有办公室管理员和科室负责人可以导入规则库"))
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
    cap = uploads.human_size(uploads.cap(uploads.IMPORT))
    return render(request, "monitoring/import.html", {"form": form, "errors": errors, "cap": cap})


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


# =========================================================================== sweeps (网络交易监测任务)

from wangjian.monitoring.models import (  # noqa: E402
    Finding,
    LicenceCheck,
    MonitoringTask,
    PageSnapshot,
    SweepRun,
)


class TaskMixin:
    model = MonitoringTask
    url_prefix = "monitoring:task"
    queryset = MonitoringTask.objects.select_related("bureau", "station")


class TaskList(TaskMixin, generic.ObjectListView):
    filterset_class = filtersets.MonitoringTaskFilterSet
    table_class = tables.MonitoringTaskTable


class TaskDetail(TaskMixin, generic.ObjectDetailView):
    template_name = "monitoring/task_detail.html"
    detail_fields = [
        "name",
        "bureau",
        "hosts",
        "region_prefix",
        "station",
        "risk_grades",
        "libraries",
        "depth",
        "max_pages",
        "render",
        "delay",
        "evidence_threshold",
        "interval_hours",
        "enabled",
        "last_run_at",
    ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        task = self.object
        ctx["runs"] = task.runs.all()[:20]
        ctx["presence_count"] = selectors.task_presences(task=task).count()
        ctx["platforms"] = task.platforms.all()
        ctx["explicit_presences"] = task.presences.count()
        ctx["explicit_entities"] = task.entities.count()
        return ctx


class TaskEdit(TaskMixin, generic.ObjectEditView):
    def perform_save(self, obj, form) -> None:
        data = form.cleaned_data
        services.monitoring_task_save(
            task=obj, platforms=data["platforms"], entities=data["entities"], presences=data["presences"]
        )

    form_class = forms.MonitoringTaskForm


class TaskDelete(TaskMixin, generic.ObjectDeleteView):
    pass


class TaskChangelog(TaskMixin, generic.ObjectChangelogView):
    pass


@login_required
def task_run(request, pk):
    """The run button: start a run and go to its live progress page."""
    task = generic.object_or_404_scoped(MonitoringTask, request.user, pk)
    if request.method != "POST":
        return redirect(task.get_absolute_url())
    from wangjian.org.selectors import can_manage

    if not can_manage(request.user, task.bureau):
        raise PermissionDenied(_("只有该局办公室管理员可以执行监测任务"))
    try:
        started = services.monitoring_task_run(task=task, actor=request.user, background=True)
    except WangjianError as exc:
        messages.error(request, str(exc))
        return redirect(task.get_absolute_url())
    messages.success(request, _("已开始监测：%(r)s") % {"r": started.reason})
    return redirect(started.run.get_absolute_url())


class RunMixin:
    model = SweepRun
    url_prefix = "monitoring:run"
    queryset = SweepRun.objects.select_related("task", "bureau", "started_by")


class RunList(RunMixin, generic.ObjectListView):
    filterset_class = filtersets.SweepRunFilterSet
    table_class = tables.SweepRunTable

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_add"] = False
        return ctx


class RunDetail(RunMixin, generic.ObjectDetailView):
    template_name = "monitoring/run_detail.html"

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and self.request.GET.get("partial"):
            return ["monitoring/run_progress.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        run = self.object
        ctx["progress"] = selectors.run_progress(run=run)
        ctx["chunks"] = run.chunks.all()
        ctx["can_change"] = False
        ctx["new_findings"] = Finding.objects.filter(first_run=run).select_related("presence")[:50]
        ctx["failed_pages"] = PageSnapshot.objects.filter(last_run=run, outcome="failed").select_related(
            "presence"
        )[:50]
        return ctx


class FindingMixin:
    model = Finding
    url_prefix = "monitoring:finding"
    queryset = Finding.objects.select_related("presence", "bureau", "rule", "evidence", "reviewed_by", "task")


class FindingList(FindingMixin, generic.ObjectListView):
    filterset_class = filtersets.FindingFilterSet
    table_class = tables.FindingTable

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_add"] = False
        return ctx


def highlight_context(finding) -> str:
    """The context snippet with the matched text marked (escaped: page text is untrusted)."""
    text, s = finding.context, finding.context_start
    e = s + (finding.end - finding.start)
    if not (0 <= s <= e <= len(text)):
        return escape(text)
    return mark_safe(f"{escape(text[:s])}<mark class='wj-hit'>{escape(text[s:e])}</mark>{escape(text[e:])}")


class FindingDetail(FindingMixin, generic.ObjectDetailView):
    template_name = "monitoring/finding_detail.html"
    detail_fields = [
        "presence",
        "page_url",
        "rule_code",
        "rule_name",
        "version_label",
        "category",
        "severity",
        "legal_basis",
        "source",
        "first_seen",
        "last_seen",
        "seen_count",
        "status",
        "reviewed_by",
        "reviewed_at",
        "review_reason",
        "clue_number",
    ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        f = self.object
        ctx["highlighted"] = highlight_context(f)
        ctx["captures"] = selectors.finding_captures(finding=f)
        ctx["can_review"] = services.can_review(self.request.user, f)
        ctx["review_form"] = forms.ReviewForm()
        ctx["snapshot"] = PageSnapshot.objects.filter(presence=f.presence, url=f.page_url).first()
        ctx["can_change"] = False  # findings are reviewed, not edited
        return ctx


@login_required
def finding_review(request, pk):
    finding = generic.object_or_404_scoped(Finding, request.user, pk)
    if request.method == "POST":
        form = forms.ReviewForm(request.POST)
        form.is_valid()
        reason = form.cleaned_data.get("reason", "")
        try:
            if request.POST.get("decision") == "confirm":
                decision = services.finding_confirm(finding=finding, user=request.user, reason=reason)
            elif request.POST.get("decision") == "clue":
                decision = services.finding_make_clue(finding=finding, user=request.user)
            else:
                decision = services.finding_dismiss(finding=finding, user=request.user, reason=reason)
            messages.success(request, decision.reason)
        except WangjianError as exc:
            messages.error(request, str(exc))
    return redirect(finding.get_absolute_url())


class FindingChangelog(FindingMixin, generic.ObjectChangelogView):
    pass


class LicenceList(generic.ObjectListView):
    """The licence table (亮照亮证核验表): the latest verdict per presence and kind (亮照, 亮证, 亮标; ``?kind=``
    filters), or every check with ``?all=1``."""

    model = LicenceCheck
    url_prefix = "monitoring:licence"
    filterset_class = filtersets.LicenceCheckFilterSet
    table_class = tables.LicenceCheckTable

    def get_queryset(self):
        qs = super().get_queryset().select_related("presence")
        if self.request.GET.get("all") or self.request.GET.get("run") or self.request.GET.get("presence"):
            return qs
        return selectors.latest_licence_checks(qs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_add"] = False
        return ctx


class LicenceDetail(generic.ObjectDetailView):
    model = LicenceCheck
    url_prefix = "monitoring:licence"
    queryset = LicenceCheck.objects.select_related("presence", "run", "bureau")
    template_name = "monitoring/licence_detail.html"
    detail_fields = [
        "presence",
        "url",
        "kind",
        "verdict",
        "reason",
        "uscc",
        "name",
        "evidence_text",
        "checked_at",
        "run",
        "clue_number",
    ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        check = self.object
        ctx["can_change"] = False
        ctx["can_clue"] = (
            services.licence_clue_domain(check) is not None
            and not check.clue_number
            and services.can_review(self.request.user, check)
        )
        ctx["permit"] = check.kind != "business_licence"
        ctx["history"] = LicenceCheck.objects.filter(presence=check.presence, kind=check.kind).order_by(
            "-id"
        )[:20]
        return ctx


@login_required
def licence_to_clue(request, pk):
    check = generic.object_or_404_scoped(LicenceCheck, request.user, pk)
    if request.method == "POST":
        try:
            _, reason = services.licence_check_to_clue(check=check, user=request.user)
            messages.success(request, reason)
        except WangjianError as exc:
            messages.error(request, str(exc))
    return redirect(check.get_absolute_url())


class SnapshotMixin:
    model = PageSnapshot
    url_prefix = "monitoring:snapshot"
    queryset = PageSnapshot.objects.select_related("presence", "bureau")


class SnapshotList(SnapshotMixin, generic.ObjectListView):
    filterset_class = filtersets.PageSnapshotFilterSet
    table_class = tables.PageSnapshotTable

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_add"] = False
        return ctx


class SnapshotDetail(SnapshotMixin, generic.ObjectDetailView):
    template_name = "monitoring/snapshot_detail.html"
    detail_fields = [
        "presence",
        "url",
        "depth",
        "outcome",
        "reason",
        "http_status",
        "rendered",
        "content_hash",
        "etag",
        "last_modified",
        "checked_at",
        "changed_at",
    ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["diff"] = selectors.snapshot_diff(snapshot=self.object) if self.object.previous_text else []
        ctx["can_change"] = False
        ctx["findings"] = Finding.objects.filter(presence=self.object.presence, page_url=self.object.url)
        return ctx
