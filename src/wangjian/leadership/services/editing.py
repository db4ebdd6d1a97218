"""Correcting the plan after it was written down: the plan itself and its tasks, each change in the change
log (``AuditedModel``: the plan, the task and its work item). A meeting is corrected in ``meetings``.

- the plan's title, key points and the summaries' due day; a due day once a unit was marked late stays,
  since the mark was judged against it (a later day would excuse what was late);
- a task while the plan's year lasts (常州: 年度工作计划) and its work item is open: its text, its due date
  (the item's deadline follows, reminders start again before the new day) or its unit (the first unit's item
  is cancelled saying who took it over, the new unit gets a new item); withdrawn (撤销) with a reason, the
  task stays in the plan as cancelled, never deleted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.core.errors import ValidationFailed
from wangjian.leadership.models import AnnualPlan, PlanTask
from wangjian.leadership.services import (
    TASK_KIND,
    _attach,
    _item,
    _only,
    _unit_of,
    require_manage,
    require_plan_open,
)
from wangjian.org.models import Department, Station
from wangjian.platform.inbox.models import MessageKind
from wangjian.platform.inbox.services import notify
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.models import WorkItemState
from wangjian.platform.workitems.services import workitem_finish

PLAN_FIELDS = {"title", "body", "summary_due", "summary_remind_days"}


# ---------------------------------------------------------------- the plan


def plan_update(*, plan: AnnualPlan, user: Any, now: dt.datetime | None = None, **values: Any) -> AnnualPlan:
    """The plan's title, key points, the summaries' due day and how early reminders start."""
    require_manage(user, plan.bureau_id)
    _only(values, PLAN_FIELDS)
    today = timezone.localtime(now or timezone.now()).date()
    if "title" in values:
        values["title"] = (values["title"] or "").strip()[:200]
        if not values["title"]:
            raise ValidationFailed("请填写计划标题", "The plan needs a title")
    if "summary_remind_days" in values:
        days = values["summary_remind_days"]
        if not isinstance(days, int) or days < 0:
            raise ValidationFailed("提前提醒天数应为整数", "Reminder days is a whole number")
        if days > 30:
            raise ValidationFailed(
                "提前提醒不能超过30个工作日", "Reminders start at most 30 working days before"
            )
    due = values.get("summary_due")
    if "summary_due" in values and due != plan.summary_due:
        if due is None:
            raise ValidationFailed("请填写年度工作总结报送截止日", "Give the summaries' due day")
        if due < today:
            raise ValidationFailed(
                f"报送截止日不能早于今天（{today:%Y-%m-%d}）", f"The due day cannot be before today ({today})"
            )
        late = [str(s.unit) for s in plan.summaries.filter(late=True).select_related("department", "station")]
        if late:
            raise ValidationFailed(
                f"已有单位逾期报送（{'、'.join(late)}），报送截止日不再更改",
                f"Units were marked late against the due day ({', '.join(late)}): it is not changed",
            )
    for name, value in values.items():
        setattr(plan, name, value)
    plan.save()
    return plan


# ---------------------------------------------------------------- the plan's tasks


def task_editable(*, task: PlanTask, user: Any, today: dt.date) -> Any:
    """Who runs the year corrects or withdraws a task while the year lasts and its item is open; the item."""
    require_manage(user, task.plan.bureau_id)
    require_plan_open(task.plan, today)
    item = task.work_item
    if not item.is_open:
        raise ValidationFailed(
            f"该任务{item.get_state_display()}，不能修改或撤销",
            f"The task is {item.state}: it is no longer changed",
        )
    return item


def task_update(
    *,
    task: PlanTask,
    user: Any,
    title: str | None = None,
    body: str | None = None,
    due: dt.date | None = None,
    department: Department | None = None,
    station: Station | None = None,
    now: dt.datetime | None = None,
) -> PlanTask:
    """Correct an open task: ``None`` leaves a value as it is; a department or station given hands it over."""
    plan = task.plan
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    item = task_editable(task=task, user=user, today=today)
    if title is not None:
        title = title.strip()[:200]
        if not title:
            raise ValidationFailed("请填写任务", "The task needs a title")
    moved = department is not None or station is not None
    if moved:
        department, station = _unit_of(user, plan.bureau, department, station)
        now_with = (None, task.station_id) if task.station_id else (task.department_id, None)
        moved = ((None, station.pk) if station else (department.pk, None)) != now_with
    new_due = due if due is not None else task.due
    if due is not None and due != task.due and due.year != plan.year:
        raise ValidationFailed(
            f"任务期限应在{plan.year}年度内", f"The task is due within the plan's year {plan.year}"
        )
    if (moved or new_due != task.due) and new_due < today:
        raise ValidationFailed("完成期限不能早于今天", "The task cannot be due in the past")
    task.title = title if title is not None else task.title
    task.body = body if body is not None else task.body
    with transaction.atomic():
        if moved:
            unit = station or department
            workitem_finish(
                item=item,
                user=None,
                actor=user,
                result=f"改由{unit}承办",
                state=WorkItemState.CANCELLED,
                now=now,
            )
            item = _item(
                bureau=plan.bureau,
                kind=TASK_KIND,
                title=task.title,
                body=task.body,
                department=department,
                station=station,
                due=new_due,
                reference="",
                now=now,
                user=user,
            )
            _attach(item, task)
            task.work_item = item
            task.department = department if station is None else None
            task.station = station
        else:
            if new_due != task.due:
                item.due_basis = f"调整期限：{task.due:%Y-%m-%d} → {new_due:%Y-%m-%d}"
                item.due = new_due
                if item.overdue and new_due >= today:
                    item.overdue, item.overdue_at = False, None  # more time: no longer overdue
            item.title, item.body = task.title, task.body
            item.save()
            if new_due != task.due:
                notify(
                    key=f"workitem{item.pk}:due:{new_due}",
                    users=workitem_selectors.item_users(item),
                    units=[item.unit] if item.unit else [],
                    kind=MessageKind.TASK,
                    title=f"年度任务期限调整：{item.title}，请于 {new_due:%Y-%m-%d} 前办结",
                    body=item.due_basis,
                    url=item.url,
                    now=now,
                )
        task.due = new_due
        task.save()
    return task


def task_withdraw(*, task: PlanTask, user: Any, reason: str, now: dt.datetime | None = None) -> PlanTask:
    """撤销 an open task: its item is cancelled with the reason; the task stays in the plan, shown cancelled."""
    now = now or timezone.now()
    item = task_editable(task=task, user=user, today=timezone.localtime(now).date())
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请填写撤销理由", "Say why the task is withdrawn")
    workitem_finish(
        item=item, user=None, actor=user, result=f"撤销：{reason}", state=WorkItemState.CANCELLED, now=now
    )
    return task
