"""The leading group's pages: the year's overview, the plan with its roll-up, meetings with their 纪要 and
decisions, the summaries with late ones marked, the assessment table (and its Excel), the activities.

Every decision is ``services``': a refusal reads the same here (a message, zh / en) as through the API.
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
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from wangjian.core.audit import acting
from wangjian.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.leadership import services
from wangjian.leadership.models import (
    Activity,
    ActivityKind,
    AnnualPlan,
    Decision,
    Meeting,
    MeetingKind,
    Score,
    Scoring,
    YearSummary,
)
from wangjian.leadership.permissions import LEADERSHIP_READ
from wangjian.org import permissions
from wangjian.org.models import Department, Station, User
from wangjian.platform import statistics
from wangjian.platform.workitems.models import WorkItem


def _require_read(request, bureau_id: int | None = None) -> None:
    try:
        permissions.require(request.user, LEADERSHIP_READ)
        if bureau_id is not None:
            services.require_read(request.user, bureau_id)
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from None


def _get(fn, request, pk):
    try:
        return fn(user=request.user, pk=pk)
    except NotFoundError as exc:
        raise Http404(exc.zh) from None
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from None


def _date(value: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        raise ValidationFailed(f"请填写{label}（YYYY-MM-DD）", f"Give the date: {label}") from None


def _unit(request, bureau_id: int) -> tuple[Department | None, Station | None]:
    """``unit`` = ``d<id>`` or ``s<id>`` of the bureau."""
    value = request.POST.get("unit", "")
    try:
        kind, pk = value[0], int(value[1:])
    except (IndexError, ValueError):
        raise ValidationFailed("请选择成员单位（科室或基层所）", "Choose the member unit") from None
    model = Station if kind == "s" else Department
    unit = model.objects.filter(pk=pk, bureau_id=bureau_id).first()
    if unit is None:
        raise ValidationFailed("成员单位必须是本局的科室或基层所", "The unit must be the bureau's")
    return (None, unit) if kind == "s" else (unit, None)


def _units(bureau) -> list[tuple[str, str]]:
    return [
        (f"s{u.pk}" if isinstance(u, Station) else f"d{u.pk}", str(u)) for u in services.member_units(bureau)
    ]


def _act(request, fn, back: str, done: str):
    """Run a service step as the user; a refusal is shown as the message (zh / en), as the API's."""
    try:
        with acting(request.user, via="web"):
            fn()
    except WangjianError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect(back)


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


# ---------------------------------------------------------------- overview


@login_required
def overview(request):
    """The year at a glance: the plan's roll-up, the meetings' decisions, the summaries, the assessment."""
    _require_read(request)
    bureau = request.user.bureau
    if bureau is None:
        raise PermissionDenied("账号未归属任何局 / The account belongs to no bureau")
    year, today = _year(request), timezone.localdate()
    plan = AnnualPlan.objects.filter(bureau=bureau, year=year).first()
    plan_total = plan_units = None
    if plan:
        plan_total, plan_units = services.plan_rollup(plan, today=today)
    decisions_total, per_meeting = services.year_decisions_rollup(bureau, year, today=today)
    summaries = list(plan.summaries.all()) if plan else []
    return render(
        request,
        "leadership/overview.html",
        {
            "year": year,
            "years": [year - 1, year, year + 1],
            "plan": plan,
            "plan_total": plan_total,
            "plan_units": plan_units,
            "decisions_total": decisions_total,
            "per_meeting": per_meeting,
            "meetings": Meeting.objects.filter(bureau=bureau, held_on__year=year).select_related("chair"),
            "summaries_in": sum(1 for s in summaries if s.submitted_at),
            "summaries_late": sum(1 for s in summaries if s.late),
            "summaries_total": len(summaries),
            "activities": Activity.objects.filter(bureau=bureau, held_on__year=year).count(),
            "may_manage": services.may_manage(request.user, bureau.pk),
        },
    )


# ---------------------------------------------------------------- plan


@login_required
def plan_add(request):
    _require_read(request)
    bureau = request.user.bureau
    if request.method == "POST":
        try:
            with acting(request.user, via="web"):
                due = request.POST.get("summary_due", "").strip()
                plan = services.plan_create(
                    bureau=bureau,
                    year=_int(request.POST.get("year"), "年度", "Year", 0),
                    title=request.POST.get("title", ""),
                    body=request.POST.get("body", ""),
                    summary_due=_date(due, "总结报送截止日") if due else None,
                    summary_remind_days=_int(
                        request.POST.get("summary_remind_days"), "提前提醒天数", "Reminder days", 5
                    ),
                    user=request.user,
                )
        except (WangjianError, ValueError) as exc:
            messages.error(request, str(exc))
            return redirect("leadership:plan_add")
        messages.success(request, f"已建立：{plan.title}")
        return redirect(plan.get_absolute_url())
    return render(
        request,
        "leadership/plan_form.html",
        {"year": timezone.localdate().year, "may_manage": services.may_manage(request.user, bureau.pk)},
    )


@login_required
def plan_detail(request, pk: int):
    plan = _get(services.plan_get, request, pk)
    today = timezone.localdate()
    total, units = services.plan_rollup(plan, today=today)
    if request.method == "POST":
        department, station = None, None

        def add():
            nonlocal department, station
            department, station = _unit(request, plan.bureau_id)
            services.task_add(
                plan=plan,
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
                due=_date(request.POST.get("due", ""), "完成期限"),
                department=department,
                station=station,
                user=request.user,
            )

        return _act(request, add, plan.get_absolute_url(), "已下达任务")
    for unit in units:
        for task in unit.items:
            task.is_overdue = services.is_overdue(task.work_item, today)
    return render(
        request,
        "leadership/plan_detail.html",
        {
            "plan": plan,
            "total": total,
            "units": units,
            "today": today,
            "unit_choices": _units(plan.bureau),
            "may_manage": services.may_manage(request.user, plan.bureau_id),
            "plan_open": today.year <= plan.year,
        },
    )


@login_required
@require_POST
def item_complete(request, pk: int):
    """A member unit reports its task or decision done."""
    item = WorkItem.objects.filter(pk=pk, kind__in=services.KINDS).first()
    if item is None:
        raise Http404("没有该事项")
    back = request.POST.get("next") or item.url or "/"
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = item.url or "/"
    return _act(
        request,
        lambda: services.item_complete(item=item, user=request.user, result=request.POST.get("result", "")),
        back,
        "已办结",
    )


# ---------------------------------------------------------------- summaries


@login_required
def summaries(request, pk: int):
    plan = _get(services.plan_get, request, pk)
    if request.method == "POST":
        summary = YearSummary.objects.filter(plan=plan, pk=_post_id(request, "summary")).first()
        if summary is None:
            messages.error(request, "请选择要报送的总结 / Choose the summary")
            return redirect("leadership:summaries", pk=plan.pk)
        return _act(
            request,
            lambda: services.summary_submit(
                summary=summary,
                user=request.user,
                text=request.POST.get("text", ""),
                upload=request.FILES.get("attachment"),
            ),
            reverse_summaries(plan),
            "已报送年度工作总结",
        )
    rows = list(plan.summaries.select_related("department", "station", "submitted_by"))
    mine = services.summary_for(plan, request.user)
    return render(
        request,
        "leadership/summaries.html",
        {
            "plan": plan,
            "rows": rows,
            "mine": mine,
            "today": timezone.localdate(),
            "may_manage": services.may_manage(request.user, plan.bureau_id),
        },
    )


def reverse_summaries(plan: AnnualPlan) -> str:
    from django.urls import reverse

    return reverse("leadership:summaries", args=[plan.pk])


@login_required
def summary_attachment(request, pk: int):
    summary = YearSummary.objects.select_related("plan").filter(pk=pk).first()
    if summary is None or not summary.attachment:
        raise Http404("没有附件")
    _require_read(request, summary.plan.bureau_id)
    with summary.attachment.open("rb") as fh:
        data = fh.read()
    response = HttpResponse(data, content_type="application/octet-stream")
    name = summary.attachment_name or "summary"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


# ---------------------------------------------------------------- assessment


@login_required
def assessment(request, pk: int):
    plan = _get(services.plan_get, request, pk)
    back = f"/leadership/plans/{plan.pk}/assessment/"
    if request.method == "POST":
        step = request.POST.get("step")
        if step == "criterion":
            return _act(
                request,
                lambda: services.criterion_add(
                    plan=plan,
                    name=request.POST.get("name", ""),
                    weight=request.POST.get("weight", ""),
                    scoring=request.POST.get("scoring", Scoring.VALUE),
                    figure=request.POST.get("figure", ""),
                    denominator=request.POST.get("denominator", ""),
                    note=request.POST.get("note", ""),
                    user=request.user,
                ),
                back,
                "已增加考核指标",
            )
        if step == "compute":
            return _act(
                request, lambda: services.assessment_compute(plan=plan, user=request.user), back, "已计算"
            )
        if step == "score":
            score = Score.objects.filter(pk=_post_id(request, "score"), criterion__plan=plan).first()
            if score is None:
                messages.error(request, "没有该得分 / No such score")
                return redirect(back)
            return _act(
                request,
                lambda: services.score_set(
                    score=score,
                    value=request.POST.get("value"),
                    reason=request.POST.get("reason", ""),
                    user=request.user,
                ),
                back,
                "已评分",
            )
        messages.error(request, "未知的操作 / Unknown step")
        return redirect(back)
    if request.GET.get("export") == "xlsx":
        response = HttpResponse(
            services.assessment_xlsx(plan),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"{plan.year}年度考核.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response
    criteria, rows = services.assessment_table(plan)
    return render(
        request,
        "leadership/assessment.html",
        {
            "plan": plan,
            "criteria": criteria,
            "rows": rows,
            "figures": [f for f in statistics.all() if "department" in f.filters],
            "scorings": Scoring.choices,
            "may_manage": services.may_manage(request.user, plan.bureau_id),
        },
    )


# ---------------------------------------------------------------- meetings


@login_required
def meeting_list(request):
    _require_read(request)
    meetings = services.visible(Meeting.objects.select_related("bureau", "chair"), request.user)
    return render(request, "leadership/meeting_list.html", {"meetings": meetings[:200]})


def _id(value) -> int:
    """A row's id from a form's value; 0 (no row) for anything a database could not hold."""
    value = str(value or "").strip()
    return int(value) if value.isdigit() and len(value) <= 18 else 0


def _post_id(request, name: str) -> int:
    return _id(request.POST.get(name))


def _int(value, name: str, name_en: str, default: int) -> int:
    """A whole number from a form's field (``default`` when empty), refused in both languages otherwise."""
    value = str(value or "").strip()
    if not value:
        return default
    if not value.isdigit() or len(value) > 9:
        raise ValidationFailed(f"{name}应为整数：{value}", f"{name_en} must be a whole number: {value}")
    return int(value)


def _meeting_values(request, bureau_id: int) -> dict:
    chair = User.objects.filter(pk=_post_id(request, "chair"), bureau_id=bureau_id).first()
    attendees = list(
        User.objects.filter(pk__in=[_id(v) for v in request.POST.getlist("attendees")], bureau_id=bureau_id)
    )
    return {
        "kind": request.POST.get("kind", ""),
        "title": request.POST.get("title", ""),
        "held_on": _date(request.POST.get("held_on", ""), "会议日期"),
        "place": request.POST.get("place", ""),
        "chair": chair,
        "attendees": attendees,
        "outside_attendees": request.POST.get("outside_attendees", ""),
        "minutes": request.POST.get("minutes", ""),
        "summary": request.POST.get("summary", ""),
    }


@login_required
def meeting_add(request):
    _require_read(request)
    bureau = request.user.bureau
    if request.method == "POST":
        try:
            with acting(request.user, via="web"):
                meeting = services.meeting_create(
                    bureau=bureau, user=request.user, **_meeting_values(request, bureau.pk)
                )
        except WangjianError as exc:
            messages.error(request, str(exc))
            return redirect("leadership:meeting_add")
        messages.success(request, f"已登记：{meeting.title}")
        return redirect(meeting.get_absolute_url())
    return render(
        request,
        "leadership/meeting_form.html",
        {
            "kinds": MeetingKind.choices,
            "staff": User.objects.filter(bureau=bureau, is_active=True).order_by("name"),
            "may_manage": services.may_manage(request.user, bureau.pk),
        },
    )


@login_required
def meeting_detail(request, pk: int):
    meeting = _get(services.meeting_get, request, pk)
    back = meeting.get_absolute_url()
    if request.method == "POST":
        step = request.POST.get("step")
        if step == "decision":

            def add():
                department, station = _unit(request, meeting.bureau_id)
                services.decision_add(
                    meeting=meeting,
                    text=request.POST.get("text", ""),
                    due=_date(request.POST.get("due", ""), "完成期限"),
                    department=department,
                    station=station,
                    user=request.user,
                )

            return _act(request, add, back, "已增加议定事项")
        if step == "update":
            return _act(
                request,
                lambda: services.meeting_update(
                    meeting=meeting,
                    user=request.user,
                    minutes=request.POST.get("minutes", ""),
                    summary=request.POST.get("summary", ""),
                ),
                back,
                "已保存",
            )
        if step == "issue":
            return _act(
                request,
                lambda: services.minutes_issue(meeting=meeting, user=request.user),
                back,
                "纪要已印发",
            )
        if step == "remove":
            decision = Decision.objects.filter(pk=_post_id(request, "decision"), meeting=meeting).first()
            if decision is None:
                raise Http404
            return _act(
                request,
                lambda: services.decision_remove(decision=decision, user=request.user),
                back,
                "已删除",
            )
        messages.error(request, "未知的操作 / Unknown step")
        return redirect(back)
    today = timezone.localdate()
    decisions = list(
        meeting.decisions.select_related("department", "station", "work_item").prefetch_related(
            "work_item__escalations"
        )
    )
    for d in decisions:
        d.is_overdue = services.is_overdue(d.work_item, today)
        d.may_complete = d.work_item is not None and d.work_item.is_open and _may_report(request.user, d)
    return render(
        request,
        "leadership/meeting_detail.html",
        {
            "meeting": meeting,
            "decisions": decisions,
            "tally": services.meeting_rollup(meeting, today=today),
            "attendees": meeting.attendees.all(),
            "unit_choices": _units(meeting.bureau),
            "may_manage": services.may_manage(request.user, meeting.bureau_id),
        },
    )


def _may_report(user, row) -> bool:
    try:
        services.require_report(
            user, row.work_item.bureau_id, row.department_id if not row.station_id else None, row.station_id
        )
    except PermissionDeniedError:
        return False
    return True


# ---------------------------------------------------------------- activities


@login_required
def activity_list(request):
    _require_read(request)
    bureau = request.user.bureau
    if request.method == "POST":

        def add():
            department = station = None
            if request.POST.get("unit"):
                department, station = _unit(request, bureau.pk)
            participants = _int(request.POST.get("participants"), "参加人数", "Participants", 0)
            services.activity_record(
                bureau=bureau,
                held_on=_date(request.POST.get("held_on", ""), "日期"),
                kind=request.POST.get("kind", ""),
                title=request.POST.get("title", ""),
                participants=participants,
                department=department,
                station=station,
                description=request.POST.get("description", ""),
                user=request.user,
            )

        return _act(request, add, "/leadership/activities/", "已登记活动")
    rows = services.visible(Activity.objects.select_related("department", "station", "bureau"), request.user)
    return render(
        request,
        "leadership/activity_list.html",
        {
            "rows": rows[:500],
            "kinds": ActivityKind.choices,
            "unit_choices": _units(bureau) if bureau else [],
            "may_manage": bureau is not None and services.may_manage(request.user, bureau.pk),
        },
    )
