"""The leading group's year: the rules. Pages, the API, the daily task and the demo all come here.

- the annual plan (年度工作计划) with a task per member unit, each a work item (``leadership.task``);
- meetings and their 纪要: decisions (议定事项) are written with the meeting and become work items
  (``leadership.decision``) when the 纪要 is issued with its document number, once; from then on the
  platform reminds the unit, marks the item overdue and raises the office's 督办 (``followups_run``);
- yearly summaries (常州: 每年11月底前报领导小组办公室): one per member unit, reminded N working days
  before the plan's due day, late ones marked;
- the assessment (考核): criteria fed by the statistics registry or scored by hand, editable with a reason;
- training and publicity activities, recorded.

Meetings and their 纪要 are in ``meetings``, the corrections of the plan and its tasks in ``editing``, the
assessment in ``assessment``; their names are this package's too.

Who may: ``leadership.read`` everyone of the bureau (and the bureaus above); ``leadership.manage`` the office
and the leading group of the bureau; ``leadership.report`` a member unit for its own summary and items.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from wangjian.core import uploads
from wangjian.core.clocks import Period as ClockPeriod
from wangjian.core.clocks import Unit, compute, working_days_between
from wangjian.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from wangjian.core.workdays import current
from wangjian.leadership.models import (
    Activity,
    ActivityKind,
    AnnualPlan,
    Decision,
    Meeting,
    PlanTask,
    YearSummary,
)
from wangjian.leadership.permissions import LEADERSHIP_MANAGE, LEADERSHIP_READ, LEADERSHIP_REPORT
from wangjian.org import permissions
from wangjian.org.models import Bureau, Department, LeadingGroup, Station
from wangjian.platform.inbox.models import MessageKind
from wangjian.platform.inbox.services import notify
from wangjian.platform.numbering import kinds as number_kinds
from wangjian.platform.workitems import kinds as workitem_kinds
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.followup import FollowUpReport, followups_run
from wangjian.platform.workitems.models import WorkItem, WorkItemState
from wangjian.platform.workitems.services import workitem_create, workitem_finish

TASK_KIND = "leadership.task"
DECISION_KIND = "leadership.decision"
KINDS = (TASK_KIND, DECISION_KIND)
NUMBER_KIND = "leadership_minutes"

WORKITEM_KINDS = (
    workitem_kinds.WorkItemKind(TASK_KIND, "完成年度工作任务", "年度任务"),
    workitem_kinds.WorkItemKind(DECISION_KIND, "落实会议纪要议定事项", "纪要事项"),
)


def register_numbers() -> None:
    number_kinds.register(
        number_kinds.NumberKind(
            NUMBER_KIND, "领导小组会议纪要文号", "{prefix}网监纪〔{year}〕{seq}号", "会议纪要印发时编号"
        )
    )


# ---------------------------------------------------------------- who may


def _same_bureau(user: Any, bureau_id: int) -> bool:
    return user is None or user.is_superuser or user.bureau_id == bureau_id


def require_read(user: Any, bureau_id: int) -> None:
    permissions.require(user, LEADERSHIP_READ)
    if user is None or user.is_superuser:
        return
    from wangjian.org.selectors import visible_bureau_ids

    if bureau_id not in (visible_bureau_ids(user) or set()):
        raise PermissionDeniedError(
            "只能查看本局及下级局的领导小组工作", "Only your bureau's and those below"
        )


def require_manage(user: Any, bureau_id: int) -> None:
    permissions.require(user, LEADERSHIP_MANAGE)
    if not _same_bureau(user, bureau_id):
        raise PermissionDeniedError(
            "只能管理本局的领导小组工作", "You run the leading group's work of your own bureau only"
        )


def may_manage(user: Any, bureau_id: int) -> bool:
    return permissions.may(user, LEADERSHIP_MANAGE) and _same_bureau(user, bureau_id)


def _in_unit(user: Any, department_id: int | None, station_id: int | None) -> bool:
    if station_id:
        return user.station_id == station_id
    return bool(department_id) and user.department_id == department_id and not user.station_id


def require_report(user: Any, bureau_id: int, department_id: int | None, station_id: int | None) -> None:
    """A member unit reports for itself; the office (which collects them) for any unit of the bureau.

    The leading group runs the year and presses (督办) but does not report in a unit's place."""
    if user is None or user.is_superuser:
        return
    permissions.require(user, LEADERSHIP_REPORT)
    if may_manage(user, bureau_id):
        return
    if user.bureau_id != bureau_id or not _in_unit(user, department_id, station_id):
        raise PermissionDeniedError(
            "只能报送或办结本单位的总结、任务和议定事项",
            "A unit submits and completes its own summary, tasks and decisions only",
        )


def _unit_of(
    user: Any, bureau: Bureau, department: Department | None, station: Station | None
) -> tuple[Department | None, Station | None]:
    for part in (department, station):
        if part is not None and (part.bureau_id != bureau.pk or not part.is_active):
            raise ValidationFailed(
                "成员单位必须是本局在用的科室或基层所", "The unit must be an active unit of the bureau"
            )
    if department is None and station is None:
        raise ValidationFailed("请选择成员单位（科室或基层所）", "Choose the member unit")
    return department, station


def _only(values: dict, allowed: set[str]) -> None:
    """A correction names only what may be corrected."""
    unknown = set(values) - allowed
    if unknown:
        raise ValidationFailed(f"不能修改：{'、'.join(sorted(unknown))}", f"Cannot change: {sorted(unknown)}")


# ---------------------------------------------------------------- member units


def member_units(bureau: Bureau) -> list[Department | Station]:
    """The member units of the leading group: the members' and liaisons' departments (常州: 成员单位),
    or every active department when the group names none; then the bureau's active stations."""
    group = LeadingGroup.objects.filter(bureau=bureau).first()
    ids: set[int] = set()
    if group is not None:
        ids |= {d for d in group.members.values_list("department_id", flat=True) if d}
        ids |= set(group.liaisons.values_list("department_id", flat=True))
        if group.office_department_id:
            ids.add(group.office_department_id)
    departments = Department.objects.filter(bureau=bureau, is_active=True)
    if ids:
        departments = departments.filter(pk__in=ids)
    stations = Station.objects.filter(bureau=bureau, is_active=True)
    return [*departments.order_by("name"), *stations.order_by("name")]


def _unit_kw(unit: Department | Station) -> dict[str, Any]:
    if isinstance(unit, Station):
        return {"department": None, "station": unit}
    return {"department": unit, "station": None}


# ---------------------------------------------------------------- the annual plan


def plan_create(
    *,
    bureau: Bureau,
    year: int,
    title: str = "",
    body: str = "",
    summary_due: dt.date | None = None,
    summary_remind_days: int = 5,
    user: Any,
) -> AnnualPlan:
    """The year's plan, with a yearly summary awaited from each member unit."""
    require_manage(user, bureau.pk)
    if AnnualPlan.objects.filter(bureau=bureau, year=year).exists():
        raise ValidationFailed(f"{year}年度工作计划已存在", f"The plan of {year} exists already")
    if not 2000 <= int(year) <= 2100:
        raise ValidationFailed("年度不正确", "Not a year")
    summary_due = summary_due or AnnualPlan.default_summary_due(year)
    if summary_remind_days > 30:
        raise ValidationFailed("提前提醒不能超过30个工作日", "Reminders start at most 30 working days before")
    with transaction.atomic():
        plan = AnnualPlan.objects.create(
            bureau=bureau,
            year=year,
            title=(title or f"{bureau.name}{year}年线上线下一体化监管工作计划").strip()[:200],
            body=body,
            summary_due=summary_due,
            summary_remind_days=summary_remind_days,
        )
        for unit in member_units(bureau):
            YearSummary.objects.create(plan=plan, **_unit_kw(unit))
    return plan


def require_plan_open(plan: AnnualPlan, today: dt.date) -> None:
    """The year's tasks are handed out and adjusted while the year lasts; afterwards the plan is its record."""
    if today.year > plan.year:
        raise ValidationFailed(
            f"{plan.year}年度已结束，年度工作任务不再下达或调整",
            f"The year {plan.year} is over: its tasks are no longer handed out or changed",
        )


def _item(
    *,
    bureau: Bureau,
    kind: str,
    title: str,
    body: str,
    department: Department | None,
    station: Station | None,
    due: dt.date,
    reference: str,
    now: dt.datetime,
    user: Any,
) -> WorkItem:
    return workitem_create(
        bureau=bureau,
        kind=kind,
        title=title,
        body=body,
        department=department,
        station=station,
        due=due,
        reference=reference,
        created_by=None,  # the leading group's own items: who may was checked here
        now=now,
    )


def _attach(item: WorkItem, subject: Any) -> None:
    item.subject_type, item.subject_id = subject._meta.label_lower, str(subject.pk)
    item.url = subject.get_absolute_url()
    WorkItem.objects.filter(pk=item.pk).update(
        subject_type=item.subject_type, subject_id=item.subject_id, url=item.url
    )


def task_add(
    *,
    plan: AnnualPlan,
    title: str,
    due: dt.date,
    department: Department | None = None,
    station: Station | None = None,
    body: str = "",
    user: Any,
    now: dt.datetime | None = None,
) -> PlanTask:
    """A task of the plan for one member unit, handed to it as a work item with its due date."""
    require_manage(user, plan.bureau_id)
    now = now or timezone.now()
    require_plan_open(plan, timezone.localtime(now).date())
    department, station = _unit_of(user, plan.bureau, department, station)
    if due.year != plan.year:
        raise ValidationFailed(
            f"任务期限应在{plan.year}年度内", f"The task is due within the plan's year {plan.year}"
        )
    with transaction.atomic():
        item = _item(
            bureau=plan.bureau,
            kind=TASK_KIND,
            title=title,
            body=body,
            department=department,
            station=station,
            due=due,
            reference="",
            now=now,
            user=user,
        )
        task = PlanTask.objects.create(
            plan=plan,
            title=item.title,
            body=body,
            due=due,
            department=item.department if station is None else None,
            station=station,
            work_item=item,
        )
        _attach(item, task)
    return task


def item_complete(*, item: WorkItem, user: Any, result: str, now: dt.datetime | None = None) -> WorkItem:
    """A unit reports its task or decision done (办结), saying what was done."""
    if item.kind not in KINDS:
        raise ValidationFailed("不是领导小组的任务或议定事项", "Not a task or decision of the leading group")
    require_report(user, item.bureau_id, item.department_id if not item.station_id else None, item.station_id)
    if not (result or "").strip():
        raise ValidationFailed("请填写办理结果", "Say what was done")
    return workitem_finish(item=item, user=None, actor=user, result=result, now=now)


# ---------------------------------------------------------------- roll-ups


@dataclass
class Tally:
    """Completion of a set of work items: done, open (of which overdue), cancelled."""

    label: str = ""
    total: int = 0
    done: int = 0
    open: int = 0
    overdue: int = 0
    cancelled: int = 0
    items: list = field(default_factory=list)

    @property
    def rate(self) -> str:
        counted = self.total - self.cancelled
        return f"{self.done * 100 / counted:.0f}%" if counted else "—"

    def add(self, item: WorkItem | None, today: dt.date) -> None:
        self.total += 1
        if item is None:
            self.open += 1
        elif item.state == WorkItemState.DONE:
            self.done += 1
        elif item.state == WorkItemState.CANCELLED:
            self.cancelled += 1
        else:
            self.open += 1
            if is_overdue(item, today):
                self.overdue += 1


def is_overdue(item: WorkItem | None, today: dt.date) -> bool:
    return bool(
        item and item.state == WorkItemState.OPEN and (item.overdue or (item.due and item.due < today))
    )


def _tally(rows: Any, today: dt.date, key: Any) -> tuple[Tally, list[Tally]]:
    overall, groups = Tally("合计"), {}
    for row in rows:
        label = key(row)
        groups.setdefault(label, Tally(label))
        groups[label].add(row.work_item, today)
        groups[label].items.append(row)
        overall.add(row.work_item, today)
    return overall, list(groups.values())


def plan_rollup(plan: AnnualPlan, *, today: dt.date) -> tuple[Tally, list[Tally]]:
    """The plan's tasks: done / open / overdue per member unit and overall."""
    tasks = (
        plan.tasks.select_related("work_item", "department", "station")
        .prefetch_related("work_item__escalations")
        .order_by("due", "id")
    )
    return _tally(tasks, today, lambda t: str(t.unit))


def meeting_rollup(meeting: Meeting, *, today: dt.date) -> Tally:
    overall, _ = _tally(
        meeting.decisions.select_related("work_item", "department", "station"), today, lambda d: str(d.unit)
    )
    return overall


def year_decisions_rollup(bureau: Bureau, year: int, *, today: dt.date) -> tuple[Tally, list[Tally]]:
    """The year's decisions per meeting (of meetings held in the year) and overall."""
    decisions = (
        Decision.objects.filter(meeting__bureau=bureau, meeting__held_on__year=year)
        .select_related("work_item", "meeting")
        .order_by("meeting__held_on", "meeting_id", "seq")
    )
    return _tally(decisions, today, lambda d: f"{d.meeting.held_on:%Y-%m-%d} {d.meeting.title}")


# ---------------------------------------------------------------- yearly summaries


def summary_submit(
    *,
    summary: YearSummary,
    user: Any,
    text: str,
    upload: Any = None,
    now: dt.datetime | None = None,
) -> YearSummary:
    """A member unit submits (or corrects) its yearly summary; after the due day it is marked late."""
    plan = summary.plan
    require_report(
        user, plan.bureau_id, summary.department_id if not summary.station_id else None, summary.station_id
    )
    now = now or timezone.now()
    text = (text or "").strip()
    if not text and not upload and not summary.attachment:
        raise ValidationFailed("请填写总结或上传附件", "Write the summary or attach it")
    if upload is not None:
        uploads.check_size(upload, kind=uploads.IMPORT)
    with transaction.atomic():
        if upload is not None:
            name = getattr(upload, "name", "") or "summary"
            summary.attachment.save(name.rsplit("/", 1)[-1][:100], upload, save=False)
            summary.attachment_name = name[:200]
        summary.text = text
        first = summary.submitted_at is None
        summary.submitted_at = now
        summary.submitted_by = user if getattr(user, "pk", None) else None
        if first:
            summary.late = timezone.localtime(now).date() > plan.summary_due
        summary.save()
    return summary


def summary_for(plan: AnnualPlan, user: Any) -> YearSummary | None:
    """The summary the user's unit owes in this plan."""
    if getattr(user, "station_id", None):
        return plan.summaries.filter(station_id=user.station_id).first()
    if getattr(user, "department_id", None):
        return plan.summaries.filter(department_id=user.department_id, station__isnull=True).first()
    return None


@dataclass
class ReminderReport:
    reminded: list[str] = field(default_factory=list)
    followups: FollowUpReport | None = None


def summary_reminders_run(*, now: dt.datetime) -> list[str]:
    """From N working days before the plan's due day to the day itself, each unit that has not submitted
    is reminded once (the message's key names the plan, the unit and the due day: a re-run adds nothing)."""
    today = timezone.localtime(now).date()
    calendar = current()
    out: list[str] = []
    plans = AnnualPlan.objects.filter(summary_due__gte=today, summary_due__lte=today + dt.timedelta(days=60))
    for plan in plans.select_related("bureau").order_by("id"):
        start = compute(
            start=plan.summary_due,
            period=ClockPeriod(-plan.summary_remind_days, Unit.WORKING_DAYS),
            calendar=calendar,
        ).due
        if today < start:
            continue
        left = working_days_between(today, plan.summary_due, calendar)[0]
        for summary in plan.summaries.filter(submitted_at__isnull=True).select_related(
            "department", "station"
        ):
            users = workitem_selectors.unit_users(
                department=summary.department_id, station=summary.station_id
            )
            made = notify(
                key=f"leadership-summary{plan.pk}:{summary.unit_key}:{plan.summary_due}",
                users=users,
                units=[summary.unit] if summary.unit else [],
                kind=MessageKind.REMIND,
                title=f"请于 {plan.summary_due:%Y-%m-%d} 前报送{plan.year}年度线上线下一体化监管工作总结"
                f"（还有 {left} 个工作日）",
                body="常州工作规程：各成员单位每年形成一次工作情况总结，于每年11月底前报领导小组办公室。",
                url=summary.get_absolute_url(),
                now=now,
            )
            if made:
                out.append(f"{plan.year} {summary.unit}")
    return out


def leadership_daily(*, now: dt.datetime | None = None) -> ReminderReport:
    """The daily job: summary reminders, and the follow-up (reminders, overdue, 督办) of the group's items."""
    now = now or timezone.now()
    report = ReminderReport(reminded=summary_reminders_run(now=now))
    report.followups = followups_run(now=now, kinds_only=KINDS, deliver=False)
    return report


# ---------------------------------------------------------------- training and publicity


def activity_record(
    *,
    bureau: Bureau,
    held_on: dt.date,
    kind: str,
    title: str,
    participants: int = 0,
    department: Department | None = None,
    station: Station | None = None,
    description: str = "",
    user: Any,
) -> Activity:
    require_manage(user, bureau.pk)
    if kind not in ActivityKind.values:
        raise ValidationFailed("请选择活动类型（培训或宣传）", "Choose training or publicity")
    title = (title or "").strip()
    if not title:
        raise ValidationFailed("请填写活动名称", "The activity needs a title")
    try:
        participants = int(participants or 0)
    except (TypeError, ValueError):
        raise ValidationFailed("参加人数应为整数", "Participants is a whole number") from None
    if participants < 0:
        raise ValidationFailed("参加人数不能为负数", "Participants cannot be negative")
    if department is not None or station is not None:
        department, station = _unit_of(user, bureau, department, station)
    return Activity.objects.create(
        bureau=bureau,
        held_on=held_on,
        kind=kind,
        title=title[:200],
        participants=participants,
        department=department,
        station=station,
        description=description,
    )


# ---------------------------------------------------------------- lookups for pages and the API


def plan_get(*, user: Any, pk: int) -> AnnualPlan:
    plan = AnnualPlan.objects.select_related("bureau").filter(pk=pk).first()
    if plan is None:
        raise NotFoundError("没有该年度工作计划", "No such plan")
    require_read(user, plan.bureau_id)
    return plan


def meeting_get(*, user: Any, pk: int) -> Meeting:
    meeting = Meeting.objects.select_related("bureau", "chair").filter(pk=pk).first()
    if meeting is None:
        raise NotFoundError("没有该会议", "No such meeting")
    require_read(user, meeting.bureau_id)
    return meeting


def visible(qs: QuerySet, user: Any, field_name: str = "bureau") -> QuerySet:
    """Rows of the bureaus the user may read (nothing without ``leadership.read``)."""
    from wangjian.org.selectors import visible_bureau_ids

    if not permissions.may(user, LEADERSHIP_READ):
        return qs.none()
    ids = visible_bureau_ids(user)
    return qs if ids is None else qs.filter(**{f"{field_name}_id__in": ids})


# Meetings, the corrections of the plan and the assessment (考核) live in modules of their own; their names
# are the package's too.
from wangjian.leadership.services import meetings as _meetings  # noqa: E402  (it imports the helpers above)

decision_add = _meetings.decision_add
decision_remove = _meetings.decision_remove
meeting_check = _meetings.meeting_check
meeting_create = _meetings.meeting_create
meeting_editable = _meetings.meeting_editable
meeting_update = _meetings.meeting_update
minutes_issue = _meetings.minutes_issue

from wangjian.leadership.services import editing as _editing  # noqa: E402  (it imports the helpers above)

plan_update = _editing.plan_update
task_editable = _editing.task_editable
task_update = _editing.task_update
task_withdraw = _editing.task_withdraw

from wangjian.leadership.services import assessment as _assessment  # noqa: E402  (it imports the helpers above)

AssessmentRow = _assessment.AssessmentRow
assessment_compute = _assessment.assessment_compute
assessment_table = _assessment.assessment_table
assessment_xlsx = _assessment.assessment_xlsx
criterion_add = _assessment.criterion_add
criterion_value = _assessment.criterion_value
score_set = _assessment.score_set
