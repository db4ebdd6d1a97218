"""Reporting pages: the bureau's reports (fill in, submit, correct), a report with its revisions and the
superior's review, the superior's overview of a template and period (with its Excel), and the templates.

Every decision is a service's; a refusal is the service's ``WangjianError``, shown in its words (zh / en) with
the status the API answers.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from wangjian.core.audit import acting
from wangjian.core.errors import PermissionDeniedError, WangjianError
from wangjian.org import permissions
from wangjian.org.models import Bureau
from wangjian.platform import statistics
from wangjian.reporting import periods, selectors, services
from wangjian.reporting.choices import PeriodKind, ReportState
from wangjian.reporting.models import ReportTemplate
from wangjian.reporting.permissions import REPORTING_READ, REPORTING_TEMPLATE
from wangjian.reporting.services.review import correction_days

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def refused(request, exc: WangjianError):  # noqa: ANN001, ANN201
    return render(request, "reporting/refused.html", {"error": exc}, status=exc.http_status)


def _read(request) -> None:  # noqa: ANN001
    permissions.require(request.user, REPORTING_READ)


def _figure_inputs(post, keys: list[str]) -> tuple[dict, dict]:  # noqa: ANN001
    """``n_<key>`` (note), ``v_<key>`` and ``r_<key>`` (a corrected value and its reason) of the form."""
    notes = {k: post.get(f"n_{k}", "") for k in keys if f"n_{k}" in post}
    corrections = {
        k: {"value": post.get(f"v_{k}", ""), "reason": post.get(f"r_{k}", "")}
        for k in keys
        if f"v_{k}" in post
    }
    return notes, corrections


@login_required
def report_list(request):  # noqa: ANN001, ANN201
    """本局报送 (the reports the user's bureau owes) and 报送给本局 (those made to it)."""
    try:
        _read(request)
    except PermissionDeniedError as exc:
        return refused(request, exc)
    visible = selectors.reports_visible(request.user).order_by("-period_start", "template__name", "id")
    state = request.GET.get("state", "")
    if state in ReportState.values:
        visible = visible.filter(state=state)
    bureau_id = request.user.bureau_id
    own = visible.filter(bureau_id=bureau_id) if bureau_id else visible.none()
    made_to = visible.filter(template__bureau_id=bureau_id) if bureau_id else visible
    return render(
        request,
        "reporting/report_list.html",
        {
            "own": own[:200],
            "made_to": made_to[:200],
            "states": ReportState.choices,
            "state": state,
            "today": timezone.localdate(),
        },
    )


def _report(request, pk: int):  # noqa: ANN001, ANN202
    _read(request)
    report = selectors.reports_visible(request.user).filter(pk=pk).first()
    if report is None:
        raise Http404("没有该报送，或无权查看")
    return report


@login_required
def report_detail(request, pk: int):  # noqa: ANN001, ANN201
    """A report: its figures (live while it is being filled in), its revisions and the review."""
    try:
        report = _report(request, pk)
    except PermissionDeniedError as exc:
        return refused(request, exc)
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            with acting(user, via="web"):
                if action in ("save", "submit"):
                    notes, corrections = _figure_inputs(request.POST, list(report.template.figures))
                    call = services.report_submit if action == "submit" else services.report_draft_save
                    call(
                        report=report,
                        user=user,
                        notes=notes,
                        corrections=corrections,
                        note=request.POST.get("note", ""),
                    )
                    done = "已报送" if action == "submit" else "已保存"
                elif action in (services.ACCEPT, services.RETURN):
                    services.report_review(
                        report=report,
                        user=user,
                        decision=action,
                        reason=request.POST.get("reason", ""),
                        days=request.POST.get("days") or None,
                    )
                    done = "已审核通过" if action == services.ACCEPT else "已退回更正"
                else:
                    raise Http404
        except PermissionDeniedError as exc:
            return refused(request, exc)
        except WangjianError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, done)
        return redirect(report.get_absolute_url())
    may_submit = report.state in (ReportState.OPEN, ReportState.RETURNED) and selectors.may_submit(
        user, report
    )
    revisions = list(report.revisions.prefetch_related("figures").order_by("-number"))
    lines = []
    if report.state in (ReportState.OPEN, ReportState.RETURNED) and not report.is_external:
        lines = services.lines_live(report)
    elif revisions:
        lines = services.lines_of(revisions[0])
    return render(
        request,
        "reporting/report_detail.html",
        {
            "report": report,
            "template": report.template,
            "lines": lines,
            "live": report.state in (ReportState.OPEN, ReportState.RETURNED),
            "revisions": revisions,
            "may_submit": may_submit,
            "may_review": report.state == ReportState.SUBMITTED and selectors.may_review(user, report),
            "default_days": correction_days(report) if report.template.bureau_id else 3,
            "draft_note": (report.draft or {}).get("note", ""),
            "today": timezone.localdate(),
        },
    )


def _template(request, pk):  # noqa: ANN001, ANN202
    template = selectors.templates_visible(request.user).filter(pk=pk).first()
    if template is None:
        raise Http404("没有该报送事项，或无权查看")
    return template


@login_required
def overview(request):  # noqa: ANN001, ANN201
    """The superior's overview of one template and period; ``?export=xlsx`` for the sheet."""
    try:
        _read(request)
    except PermissionDeniedError as exc:
        return refused(request, exc)
    templates = list(selectors.templates_visible(request.user).filter(bureau__isnull=False))
    if request.user.bureau_id:
        mine = [t for t in templates if t.bureau_id == request.user.bureau_id]
        templates = mine or templates
    chosen = request.GET.get("template", "")
    template = next((t for t in templates if str(t.pk) == chosen), templates[0] if templates else None)
    today = timezone.localdate()
    context = {"templates": templates, "template": template, "today": today}
    if template is not None:
        try:
            if request.GET.get("period"):
                period = periods.parse(request.GET["period"])
                if period.kind != template.period_kind:
                    period = periods.containing(template.period_kind, period.start)
            else:
                latest = template.reports.order_by("-period_start").first()
                period = (
                    periods.containing(template.period_kind, latest.period_start)
                    if latest
                    else periods.last_complete(template.period_kind, today)
                )
        except WangjianError as exc:
            messages.error(request, str(exc))
            period = periods.last_complete(template.period_kind, today)
        if request.GET.get("export") == "xlsx":
            body = services.overview_xlsx(template=template, period=period, today=today)
            response = HttpResponse(body, content_type=XLSX)
            name = f"{template.name}-{period.label}.xlsx"
            response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
            return response
        data = services.overview(template=template, period=period, today=today)
        context.update(
            {
                "data": data,
                "period": period,
                "previous": period.previous(),
                "next": period.next(),
                "cells": [(row, [row.values.get(key) for key, _l, _u in data.figures]) for row in data.rows],
                "totals": [data.totals.get(key) for key, _l, _u in data.figures],
            }
        )
    return render(request, "reporting/overview.html", context)


def _template_form(request, template: ReportTemplate | None):  # noqa: ANN001, ANN202
    post = request.POST
    bureau = template.bureau if template is not None else request.user.bureau
    chosen = Bureau.objects.filter(pk__in=[int(v) for v in post.getlist("subordinates") if v.isdigit()])
    with acting(request.user, via="web"):
        return services.template_save(
            bureau=bureau,
            user=request.user,
            template=template,
            name=post.get("name", ""),
            key=post.get("key", ""),
            figures=post.getlist("figures"),
            records=post.getlist("records"),
            period_kind=post.get("period_kind", ""),
            due_days=post.get("due_days", ""),
            subordinates=list(chosen),
            instructions=post.get("instructions", ""),
            active=post.get("active", "on") == "on",
        )


def _form_context(request, template: ReportTemplate | None) -> dict:  # noqa: ANN001
    bureau = template.bureau if template is not None else request.user.bureau
    return {
        "figures": statistics.all(),
        "period_kinds": PeriodKind.choices,
        "children": Bureau.objects.filter(parent=bureau).order_by("code") if bureau else [],
        "may_define": selectors.may_define(request.user, bureau)
        and permissions.may(request.user, REPORTING_TEMPLATE),
    }


@login_required
def template_list(request):  # noqa: ANN001, ANN201
    try:
        _read(request)
    except PermissionDeniedError as exc:
        return refused(request, exc)
    if request.method == "POST":
        try:
            template = _template_form(request, None)
        except PermissionDeniedError as exc:
            return refused(request, exc)
        except WangjianError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已制定报送事项：{template.name}")
            return redirect(template.get_absolute_url())
    context = _form_context(request, None)
    context["templates"] = selectors.templates_visible(request.user).order_by("-active", "name")
    return render(request, "reporting/template_list.html", context)


@login_required
def template_detail(request, pk: int):  # noqa: ANN001, ANN201
    try:
        _read(request)
        template = _template(request, pk)
    except PermissionDeniedError as exc:
        return refused(request, exc)
    if request.method == "POST":
        try:
            _template_form(request, template)
        except PermissionDeniedError as exc:
            return refused(request, exc)
        except WangjianError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "已保存")
        return redirect(template.get_absolute_url())
    context = _form_context(request, template) if template.bureau_id else {"may_define": False}
    labels = {f.key: f for f in statistics.all()}
    context.update(
        {
            "template": template,
            "template_figures": [(k, labels.get(k)) for k in template.figures],
            "subordinates": selectors.subordinates_of(template),
            "named": set(template.subordinates.values_list("pk", flat=True)),
        }
    )
    return render(request, "reporting/template_detail.html", context)
