"""Campaign pages: the list (and a new campaign), the campaign (phases, tasks, links, periods with each unit's
state, typical cases, media, 督查, 重点时段), a unit's table, a month's overview and the final summary.

Every decision is a service's; a refusal is the service's WangjianError, shown in its words (zh / en) with
the status the API answers.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.apps import apps as django_apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from wangjian.campaigns import columns as column_defs
from wangjian.campaigns import selectors
from wangjian.campaigns.models import Campaign, CampaignUnit, InspectionGroup, KeyPeriod, Period, UnitReport
from wangjian.campaigns.permissions import CAMPAIGN_READ
from wangjian.campaigns.services import plan, summary, supervision, tables
from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.org import permissions
from wangjian.org.models import Bureau, Department, Station

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def refused(request, exc: WangjianError):
    return render(request, "campaigns/refused.html", {"error": exc}, status=exc.http_status)


def _read(request) -> None:
    permissions.require(request.user, CAMPAIGN_READ)


def _campaign(request, pk: int) -> Campaign:
    _read(request)
    campaign = selectors.campaigns_visible(request.user).filter(pk=pk).first()
    if campaign is None:
        raise Http404("没有该专项行动，或无权查看")
    return campaign


def _today() -> dt.date:
    return timezone.localdate()


def _date(text: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise ValidationFailed(f"请填写{label}（YYYY-MM-DD）", f"Give the {label} as YYYY-MM-DD") from None


def _whole(text, label: str, label_en: str, default: int) -> int:
    """A whole number from a form's field (``default`` when empty), refused in both languages otherwise."""
    text = str(text or "").strip()
    if not text:
        return default
    if not text.isdigit() or len(text) > 6:
        raise ValidationFailed(f"{label}应为整数：{text}", f"{label_en} must be a whole number: {text}")
    return int(text)


def _file(name: str, body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def campaign_list(request):
    try:
        _read(request)
    except PermissionDeniedError as exc:
        return refused(request, exc)
    campaigns = selectors.campaigns_visible(request.user).order_by("-year", "-start")
    if request.method == "POST":
        try:
            data = request.POST
            lead = Department.objects.filter(pk=_pk(data.get("lead_department"))).first()
            campaign = plan.campaign_create(
                user=request.user,
                bureau=request.user.bureau,
                title=data.get("title", ""),
                year=_whole(data.get("year"), "年度", "Year", _today().year),
                start=_date(data.get("start"), "开始日期"),
                end=_date(data.get("end"), "结束日期"),
                lead_department=lead,
                document_number=data.get("document_number", ""),
                basis=data.get("basis", ""),
                description=data.get("description", ""),
                summary_due=_date(data["summary_due"], "总结报送日") if data.get("summary_due") else None,
            )
        except PermissionDeniedError as exc:
            return refused(request, exc)
        except WangjianError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已制定专项行动：{campaign.title}")
            return redirect(campaign.get_absolute_url())
    may_create = permissions.may(request.user, plan.CAMPAIGN_MANAGE) and request.user.bureau_id is not None
    departments = Department.objects.filter(bureau_id=request.user.bureau_id, is_active=True)
    return render(
        request,
        "campaigns/campaign_list.html",
        {"campaigns": campaigns, "may_create": may_create, "departments": departments, "today": _today()},
    )


def _timeline(campaign: Campaign, today: dt.date) -> list[dict]:
    """The phases as bars over the campaign's span (percent offsets), overlapping as they do."""
    span = max(1, (campaign.end - campaign.start).days + 1)
    bars = []
    for phase in campaign.phases.all():
        left = (phase.start - campaign.start).days * 100 / span
        width = max(2.0, ((phase.end - phase.start).days + 1) * 100 / span)
        bars.append(
            {
                "phase": phase,
                "left": round(left, 1),
                "width": round(width, 1),
                "now": phase.start <= today <= phase.end,
            }
        )
    return bars


@login_required
def campaign_detail(request, pk: int):
    try:
        campaign = _campaign(request, pk)
    except PermissionDeniedError as exc:
        return refused(request, exc)
    today = _today()
    units = list(campaign.units.select_related("department", "station", "bureau"))
    periods = sorted(campaign.periods.all(), key=lambda p: (p.kind == "final", p.start))
    states = {
        (r.period_id, r.unit_id): r
        for r in UnitReport.objects.filter(period__campaign=campaign).only(
            "id", "period_id", "unit_id", "state", "late"
        )
    }
    grid = []
    for period in periods:
        cells = []
        for unit in units:
            report = states.get((period.pk, unit.pk))
            submitted = report is not None and report.state == "submitted"
            late = bool(report and report.late) or (not submitted and today > period.due)
            cells.append({"unit": unit, "report": report, "submitted": submitted, "late": late})
        grid.append({"period": period, "cells": cells, "current": period.start <= today <= period.end})
    manage = selectors.may_manage(request.user, campaign)
    bureau = campaign.bureau
    context = {
        "campaign": campaign,
        "today": today,
        "timeline": _timeline(campaign, today),
        "units": units,
        "tasks": campaign.tasks.select_related(
            "unit__department", "unit__station", "unit__bureau", "work_item", "phase"
        ),
        "links": campaign.links.select_related("content_type"),
        "grid": grid,
        "typical": [
            (t, summary.decision_documents(t)) for t in campaign.typical_cases.select_related("case")
        ],
        "media": campaign.media.all(),
        "groups": campaign.groups.prefetch_related(
            "members", "scores__unit__department", "scores__unit__station", "scores__unit__bureau"
        ),
        "key_periods": campaign.key_periods.prefetch_related("boosts__task"),
        "manage": manage,
        "columns": column_defs.columns_of(campaign),
        "columns_text": column_defs.as_text(campaign.columns or column_defs.default_columns()),
        "linkable": plan.LINKABLE,
    }
    if manage:
        from wangjian.monitoring.models import MonitoringTask

        context.update(
            {
                "departments": Department.objects.filter(bureau=bureau, is_active=True),
                "stations": Station.objects.filter(bureau=bureau, is_active=True),
                "below": Bureau.objects.filter(pk__in=bureau.descendant_ids() - {bureau.pk}),
                "candidates": summary.typical_candidates(campaign)[:50],
                "monitoring_tasks": MonitoringTask.objects.filter(bureau_id__in=bureau.descendant_ids())[
                    :100
                ],
            }
        )
    return render(request, "campaigns/campaign_detail.html", context)


def _pk(value) -> int:
    """A row's id from a form's value; 0 (no row) for anything a database could not hold."""
    value = str(value or "").strip()
    return int(value) if value.isdigit() and len(value) <= 18 else 0


@login_required
def campaign_edit(request, pk: int):
    """The plan's own fields, filled with what is recorded; the periods follow the dates (``campaign_update``)."""
    try:
        campaign = _campaign(request, pk)
        plan.require_manage(request.user, campaign)  # the office's page: refused before any input is read
    except PermissionDeniedError as exc:
        return refused(request, exc)
    values = {
        "title": campaign.title,
        "year": campaign.year,
        "document_number": campaign.document_number,
        "start": campaign.start.isoformat(),
        "end": campaign.end.isoformat(),
        "summary_due": campaign.summary_due.isoformat() if campaign.summary_due else "",
        "lead_department": str(campaign.lead_department_id or ""),
        "basis": campaign.basis,
        "description": campaign.description,
        "due_day": campaign.due_day,
        "reminder_days": campaign.reminder_days,
    }
    if request.method == "POST":
        data = request.POST
        values = {name: data.get(name, "") for name in values}
        try:
            lead = Department.objects.filter(pk=_pk(data.get("lead_department"))).first()
            plan.campaign_update(
                user=request.user,
                campaign=campaign,
                title=data.get("title", ""),
                year=_whole(data.get("year"), "年度", "Year", campaign.year),
                document_number=data.get("document_number", ""),
                start=_date(data.get("start"), "开始日期"),
                end=_date(data.get("end"), "结束日期"),
                summary_due=_date(data["summary_due"], "总结报送日") if data.get("summary_due") else None,
                lead_department=lead,
                basis=data.get("basis", ""),
                description=data.get("description", ""),
                due_day=_whole(data.get("due_day"), "每月报送日", "The monthly due day", 28),
                reminder_days=_whole(data.get("reminder_days"), "提前提醒天数", "Reminder days", 3),
            )
        except PermissionDeniedError as exc:
            return refused(request, exc)
        except WangjianError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "已保存行动方案，报送期已按新的日期调整")
            return redirect(campaign.get_absolute_url())
    return render(
        request,
        "campaigns/campaign_form.html",
        {
            "campaign": campaign,
            "values": values,
            "departments": Department.objects.filter(bureau=campaign.bureau, is_active=True),
        },
    )


def _act(request, campaign: Campaign, action: str) -> str:
    """One manage step from the campaign page's forms (each a service call)."""
    data, user = request.POST, request.user
    if action == "phase":
        phase = campaign.phases.filter(pk=_pk(data.get("phase"))).first()
        plan.phase_set(
            user=user,
            campaign=campaign,
            name=data.get("name", ""),
            start=_date(data.get("start"), "开始日期"),
            end=_date(data.get("end"), "结束日期"),
            phase=phase,
        )
        return "已保存阶段"
    if action == "phase_remove":
        phase = campaign.phases.filter(pk=_pk(data.get("phase"))).first()
        if phase is None:
            raise ValidationFailed("请选择阶段", "Choose the phase")
        plan.phase_remove(user=user, phase=phase)
        return f"已删除阶段：{phase.name}"
    if action == "unit_remove":
        unit = campaign.units.filter(pk=_pk(data.get("unit"))).first()
        if unit is None:
            raise ValidationFailed("请选择单位", "Choose a unit")
        plan.unit_remove(user=user, unit=unit)
        return f"已将{unit}移出参加单位"
    if action == "key_period_remove":
        key_period = campaign.key_periods.filter(pk=_pk(data.get("key_period"))).first()
        if key_period is None:
            raise ValidationFailed("请选择重点时段", "Choose the key period")
        supervision.key_period_remove(user=user, key_period=key_period)
        return f"已删除重点时段：{key_period.name}"
    if action == "unit":
        kind, ref = (data.get("unit") or ":").split(":", 1)
        model = {"d": Department, "s": Station, "b": Bureau}.get(kind)
        obj = model.objects.filter(pk=_pk(ref)).first() if model else None
        if obj is None:
            raise ValidationFailed("请选择单位", "Choose a unit")
        field = {"d": "department", "s": "station", "b": "bureau"}[kind]
        unit = plan.unit_add(user=user, campaign=campaign, **{field: obj})
        if data.get("title"):
            plan.task_assign(
                user=user,
                unit=unit,
                title=data.get("title", ""),
                body=data.get("body", ""),
                due=_date(data.get("due"), "完成期限"),
                phase=campaign.phases.filter(pk=_pk(data.get("phase"))).first(),
            )
            return f"已向{unit}部署任务"
        return f"已将{unit}列为参加单位"
    if action == "link":
        label = data.get("model", "")
        if label not in plan.LINKABLE:
            raise ValidationFailed("请选择关联事项类型", "Choose what to link")
        model = django_apps.get_model(label)
        obj = (
            model.objects.filter(pk=_pk(data.get("object_id"))).first()
            if str(data.get("object_id", "")).isdigit()
            else None
        )
        if obj is None:
            raise ValidationFailed("没有该编号的事项", "No record with that id")
        link = plan.link_add(user=user, campaign=campaign, obj=obj)
        return f"已关联{link.label}"
    if action == "unlink":
        link = campaign.links.filter(pk=_pk(data.get("link"))).first()
        if link:
            plan.link_remove(user=user, link=link)
        return "已取消关联"
    if action == "columns":
        plan.campaign_update(user=user, campaign=campaign, columns=column_defs.parse(data.get("columns", "")))
        return "已保存统计表栏目"
    if action == "settings":
        plan.campaign_update(
            user=user,
            campaign=campaign,
            due_day=_whole(data.get("due_day"), "每月报送日", "The monthly due day", 28),
            reminder_days=_whole(data.get("reminder_days"), "提前提醒天数", "Reminder days", 3),
            summary_due=_date(data["summary_due"], "总结报送日") if data.get("summary_due") else None,
        )
        return "已保存报送设置"
    if action == "typical":
        from wangjian.cases.models import Case

        case = Case.objects.filter(pk=_pk(data.get("case"))).first()
        if case is None:
            raise ValidationFailed("请选择案件", "Choose a case")
        summary.typical_add(user=user, campaign=campaign, case=case, note=data.get("note", ""))
        return "已选为典型案例"
    if action == "media":
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed("请选择文件", "Choose a file")
        summary.media_add(user=user, campaign=campaign, file=upload, description=data.get("description", ""))
        return "已上传"
    if action == "group":
        supervision.group_create(
            user=user,
            campaign=campaign,
            name=data.get("name", ""),
            leader=data.get("leader", ""),
            other_members=data.get("other_members", ""),
        )
        return "已组建督查组"
    if action == "score":
        group = InspectionGroup.objects.filter(campaign=campaign, pk=_pk(data.get("group"))).first()
        unit = CampaignUnit.objects.filter(campaign=campaign, pk=_pk(data.get("unit"))).first()
        if group is None or unit is None:
            raise ValidationFailed("请选择督查组和单位", "Choose the group and the unit")
        supervision.score_set(
            user=user,
            group=group,
            unit=unit,
            score=data.get("score"),
            comment=data.get("comment", ""),
            day=_today(),
        )
        return "已记录督查评分"
    if action == "key_period":
        supervision.key_period_set(
            user=user,
            campaign=campaign,
            name=data.get("name", ""),
            start=_date(data.get("start"), "开始日期"),
            end=_date(data.get("end"), "结束日期"),
            key_period=campaign.key_periods.filter(pk=_pk(data.get("key_period"))).first(),
        )
        return "已保存重点时段"
    if action == "boost":
        from wangjian.monitoring.models import MonitoringTask

        key_period = KeyPeriod.objects.filter(campaign=campaign, pk=_pk(data.get("key_period"))).first()
        task = MonitoringTask.objects.filter(pk=_pk(data.get("task"))).first()
        if key_period is None or task is None:
            raise ValidationFailed("请选择重点时段和监测任务", "Choose the key period and the task")
        supervision.boost_set(
            user=user,
            key_period=key_period,
            task=task,
            interval_hours=_whole(data.get("interval_hours"), "执行周期", "The interval", 0),
        )
        return "已提高监测频次"
    raise Http404("no such action")


@login_required
@require_POST
def campaign_act(request, pk: int, action: str):
    try:
        campaign = _campaign(request, pk)
        plan.require_manage(
            request.user, campaign
        )  # every step of this page is the office's: refuse before reading input
        message = _act(request, campaign, action)
    except PermissionDeniedError as exc:
        return refused(request, exc)
    except WangjianError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, message)
    return redirect(campaign.get_absolute_url())


def _period(request, pk: int) -> Period:
    _read(request)
    period = Period.objects.select_related("campaign__bureau").filter(pk=pk).first()
    if period is None or not selectors.campaigns_visible(request.user).filter(pk=period.campaign_id).exists():
        raise Http404("没有该报送期")
    return period


@login_required
def period_detail(request, pk: int):
    """A month's overview: every unit's table, the totals, the late units in red; the XLSX of the month."""
    try:
        period = _period(request, pk)
    except PermissionDeniedError as exc:
        return refused(request, exc)
    if request.GET.get("file") == "xlsx":
        body = tables.overview_xlsx(period=period, today=_today())
        return _file(f"{period.campaign.title}-{period.label}统计表.xlsx", body)
    data = tables.overview(period=period, today=_today())
    return render(
        request, "campaigns/period_detail.html", {"period": period, "data": data, "campaign": period.campaign}
    )


@login_required
def report_detail(request, pk: int):
    """A unit's table: the computed value beside the entered one, the reason of a change, the text; save or submit."""
    try:
        _read(request)
        report = (
            UnitReport.objects.select_related(
                "period__campaign__bureau", "unit__department", "unit__station", "unit__bureau"
            )
            .filter(pk=pk)
            .first()
        )
        if (
            report is None
            or not selectors.campaigns_visible(request.user).filter(pk=report.period.campaign_id).exists()
        ):
            raise Http404("没有该统计表")
        if request.method == "POST":
            values = {key[2:]: v for key, v in request.POST.items() if key.startswith("v_")}
            reasons = {key[2:]: v for key, v in request.POST.items() if key.startswith("r_")}
            if request.POST.get("action") == "return":
                tables.report_return(report=report, user=request.user)
                messages.success(request, "已退回该单位修改")
            else:
                tables.report_save(
                    report=report,
                    user=request.user,
                    values=values,
                    reasons=reasons,
                    text=request.POST.get("text", ""),
                )
                if request.POST.get("action") == "submit":
                    tables.report_submit(report=report, user=request.user)
                    messages.success(request, "统计表已报送")
                else:
                    messages.success(request, "已保存")
            return redirect(report.get_absolute_url())
    except PermissionDeniedError as exc:
        return refused(request, exc)
    except WangjianError as exc:
        messages.error(request, str(exc))
        typed = request.POST if request.method == "POST" else None
    else:
        typed = None
    report.refresh_from_db()
    cells, text = tables.cells(report), report.text
    if typed is not None:  # refused: the form shows what was typed, to be corrected rather than typed again
        for cell in cells:
            cell.entered = typed.get(f"v_{cell.column.key}", cell.entered)
            cell.reason = typed.get(f"r_{cell.column.key}", cell.reason)
        text = typed.get("text", text)
    return render(
        request,
        "campaigns/report_detail.html",
        {
            "report": report,
            "period": report.period,
            "campaign": report.period.campaign,
            "cells": cells,
            "text": text,
            "may_edit": selectors.may_report(request.user, report.unit) and report.state != "submitted",
            "may_return": selectors.may_manage(request.user, report.period.campaign)
            and report.state == "submitted",
        },
    )


@login_required
def report_open(request, period_pk: int, unit_pk: int):
    """The unit's table for the period (made on first opening)."""
    try:
        period = _period(request, period_pk)
    except PermissionDeniedError as exc:
        return refused(request, exc)
    unit = CampaignUnit.objects.filter(campaign=period.campaign, pk=unit_pk).first()
    if unit is None:
        raise Http404("没有该单位")
    return redirect(tables.report_for(period=period, unit=unit).get_absolute_url())


@login_required
def campaign_summary(request, pk: int):
    try:
        campaign = _campaign(request, pk)
    except PermissionDeniedError as exc:
        return refused(request, exc)
    if request.GET.get("file") == "xlsx":
        return _file(
            f"{campaign.title}工作总结.xlsx", summary.summary_xlsx(campaign=campaign, today=_today())
        )
    data = summary.summary(campaign=campaign, today=_today())
    typical = [(t, summary.decision_documents(t)) for t in data.typical]
    return render(request, "campaigns/summary.html", {"campaign": campaign, "data": data, "typical": typical})


@login_required
def media_file(request, pk: int, media_pk: int):
    try:
        campaign = _campaign(request, pk)
    except PermissionDeniedError as exc:
        return refused(request, exc)
    media = campaign.media.filter(pk=media_pk).first()
    if media is None:
        raise Http404("没有该文件")
    try:
        handle = media.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件缺失") from None
    return FileResponse(handle, as_attachment=media.kind == "other", filename=media.name)
