"""The leading group's edit pages: the plan, a task of the plan, a meeting — each form filled with what is
recorded, saved through ``services`` (the API's PATCH says the same), a refusal shown in its words (zh / en).

Whoever may not correct is sent back to the record with the refusal before any input is read, so the
auditor reads the permission table's sentence here as the API answers it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from wangjian.core.audit import acting
from wangjian.core.errors import WangjianError
from wangjian.leadership import services
from wangjian.leadership.models import MeetingKind, PlanTask
from wangjian.leadership.views import _date, _get, _int, _meeting_values, _unit, _units
from wangjian.org.models import User


def _refused(request, check, back: str):
    """The service's own check, before the form: its refusal as a message on the record's page."""
    try:
        check()
    except WangjianError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    return None


@login_required
def plan_edit(request, pk: int):
    plan = _get(services.plan_get, request, pk)
    back = plan.get_absolute_url()
    refused = _refused(request, lambda: services.require_manage(request.user, plan.bureau_id), back)
    if refused:
        return refused
    values = {
        "title": plan.title,
        "body": plan.body,
        "summary_due": plan.summary_due.isoformat(),
        "summary_remind_days": plan.summary_remind_days,
    }
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in values}
        try:
            with acting(request.user, via="web"):
                services.plan_update(
                    plan=plan,
                    user=request.user,
                    title=values["title"],
                    body=values["body"],
                    summary_due=_date(values["summary_due"], "总结报送截止日"),
                    summary_remind_days=_int(
                        values["summary_remind_days"], "提前提醒天数", "Reminder days", 5
                    ),
                )
        except WangjianError as exc:
            plan.refresh_from_db()
            messages.error(request, str(exc))
        else:
            messages.success(request, "已保存年度工作计划")
            return redirect(back)
    return render(request, "leadership/plan_form.html", {"plan": plan, "values": values})


@login_required
def task_edit(request, pk: int):
    """A task of the plan: its text, unit and due date corrected, or the task withdrawn with a reason."""
    task = PlanTask.objects.select_related("plan__bureau", "work_item", "department", "station").filter(pk=pk)
    task = task.first()
    if task is None:
        raise Http404("没有该任务")
    plan = _get(services.plan_get, request, task.plan_id)
    back = plan.get_absolute_url()
    today = timezone.localdate()
    refused = _refused(
        request, lambda: services.task_editable(task=task, user=request.user, today=today), back
    )
    if refused:
        return refused
    if request.method == "POST":
        try:
            with acting(request.user, via="web"):
                if request.POST.get("step") == "withdraw":
                    services.task_withdraw(
                        task=task, user=request.user, reason=request.POST.get("reason", "")
                    )
                    done = "已撤销任务"
                else:
                    department, station = _unit(request, plan.bureau_id)
                    services.task_update(
                        task=task,
                        user=request.user,
                        title=request.POST.get("title", ""),
                        body=request.POST.get("body", ""),
                        due=_date(request.POST.get("due", ""), "完成期限"),
                        department=department,
                        station=station,
                    )
                    done = "已保存任务"
        except WangjianError as exc:
            messages.error(request, str(exc))
            return redirect("leadership:task_edit", pk=task.pk)
        messages.success(request, done)
        return redirect(back)
    return render(
        request,
        "leadership/task_form.html",
        {"plan": plan, "task": task, "unit": task.unit_key, "unit_choices": _units(plan.bureau)},
    )


@login_required
def meeting_edit(request, pk: int):
    meeting = _get(services.meeting_get, request, pk)
    back = meeting.get_absolute_url()
    refused = _refused(request, lambda: services.meeting_editable(meeting=meeting, user=request.user), back)
    if refused:
        return refused
    values = {
        "kind": meeting.kind,
        "title": meeting.title,
        "held_on": meeting.held_on.isoformat(),
        "place": meeting.place,
        "chair": str(meeting.chair_id or ""),
        "attendees": [u.pk for u in meeting.attendees.all()],
        "outside_attendees": meeting.outside_attendees,
        "minutes": meeting.minutes,
        "summary": meeting.summary,
    }
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in values}
        values["chair"] = request.POST.get("chair", "")
        values["attendees"] = request.POST.getlist("attendees")
        try:
            with acting(request.user, via="web"):
                services.meeting_update(
                    meeting=meeting, user=request.user, **_meeting_values(request, meeting.bureau_id)
                )
        except WangjianError as exc:
            meeting.refresh_from_db()
            messages.error(request, str(exc))
        else:
            messages.success(request, "已保存会议")
            return redirect(back)
    return render(
        request,
        "leadership/meeting_form.html",
        {
            "meeting": meeting,
            "values": values,
            "chosen": {str(v) for v in values["attendees"]},
            "kinds": MeetingKind.choices,
            "staff": User.objects.filter(bureau=meeting.bureau, is_active=True).order_by("name"),
        },
    )
