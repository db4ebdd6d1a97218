"""Planning a campaign: the plan itself, its phases (which may overlap), its units, tasks and linked records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from wangjian.campaigns import columns as column_defs
from wangjian.campaigns import selectors
from wangjian.campaigns.models import (
    Campaign,
    CampaignLink,
    CampaignTask,
    CampaignUnit,
    KeyPeriod,
    PeriodKind,
    Phase,
    ReportState,
    ReportValue,
)
from wangjian.campaigns.permissions import CAMPAIGN_MANAGE
from wangjian.campaigns.services import periods
from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.core.models import ChangeRecord
from wangjian.org import permissions
from wangjian.org.models import Bureau, Department, Station, User

TASK_KIND = "campaign.task"

# A campaign is a drive of weeks or months; two years bound the monthly periods one plan makes.
MAX_SPAN_DAYS = 731

# The phases of 天津's plan; names and dates are the office's to change.
DEFAULT_PHASES = ("动员部署", "集中联合检查", "督查", "总结")

# What may be linked, by model label: the noun a list shows.
LINKABLE = {
    "monitoring.monitoringtask": "监测任务",
    "monitoring.rulelibraryversion": "规则库版本",
    "clues.clue": "线索",
    "cases.case": "案件",
    "complaints.complaint": "投诉举报",
    "inspections.plan": "抽查计划",
}


def require_manage(user: User | None, campaign: Campaign | None = None, bureau: Bureau | None = None) -> None:
    """The permission cell, then the bureau: only the office of the campaign's bureau runs it."""
    if user is not None:
        permissions.require(user, CAMPAIGN_MANAGE)
    target = campaign.bureau_id if campaign is not None else getattr(bureau, "pk", None)
    if user is not None and not user.is_superuser and user.bureau_id != target:
        raise PermissionDeniedError(
            "只有本局办公室可以管理本局的专项行动", "Only the bureau's office runs the bureau's campaigns"
        )


def _listing(campaign: Campaign, name: str) -> list[str]:
    if name == "phases":
        rows = Phase.objects.filter(campaign=campaign).order_by("start", "id")
    elif name == "units":
        rows = CampaignUnit.objects.filter(campaign=campaign).select_related(
            "department", "station", "bureau"
        )
    else:
        rows = KeyPeriod.objects.filter(campaign=campaign).order_by("start", "id")
    if name == "units":
        return [str(u) for u in rows]
    return [f"{r.name} {r.start:%Y-%m-%d}—{r.end:%Y-%m-%d}" for r in rows]


@contextmanager
def logged(campaign: Campaign, name: str) -> Iterator[None]:
    """The campaign's phases, units or 重点时段 (rows of their own, not audited) written to the campaign's
    change log as the list before and after the step."""
    before = _listing(campaign, name)
    yield
    after = _listing(campaign, name)
    if after != before:
        ChangeRecord.log(campaign, ChangeRecord.Action.UPDATE, {name: before}, {name: after})


def _check_dates(start: dt.date, end: dt.date, what: str = "专项行动") -> None:
    if start is None or end is None or start > end:
        raise ValidationFailed(
            f"{what}的开始日期应不晚于结束日期", f"The {what}'s start must not be after its end"
        )


def _check_plan(campaign: Campaign) -> None:
    """What a plan must have, made or changed: a title, a year, its dates, the monthly due day, a lead unit of
    the bureau, a summary due no earlier than the campaign starts."""
    if not (campaign.title or "").strip():
        raise ValidationFailed("请填写行动名称", "The campaign needs a title")
    if not 2000 <= int(campaign.year) <= 2100:
        raise ValidationFailed("年度不正确", "Not a year")
    _check_dates(campaign.start, campaign.end)
    if (campaign.end - campaign.start).days > MAX_SPAN_DAYS:
        raise ValidationFailed(
            "专项行动期间不能超过两年（每月一个报送期）",
            "A campaign runs two years at most (a period a month)",
        )
    if not 1 <= int(campaign.due_day) <= 31:
        raise ValidationFailed("每月报送日应在1至31之间", "The monthly due day is 1 to 31")
    if not 0 <= int(campaign.reminder_days) <= 30:
        raise ValidationFailed("提前提醒应在0至30个工作日之间", "Reminders start 0 to 30 working days before")
    if campaign.lead_department is not None and campaign.lead_department.bureau_id != campaign.bureau_id:
        raise ValidationFailed("牵头单位应是本局科室", "The lead unit must be a department of the bureau")
    if campaign.summary_due is not None and campaign.summary_due < campaign.start:
        raise ValidationFailed(
            "总结报送日不能早于行动开始日期", "The summary cannot be due before the campaign starts"
        )


def campaign_create(
    *,
    user: User | None,
    bureau: Bureau,
    title: str,
    year: int,
    start: dt.date,
    end: dt.date,
    lead_department: Department | None = None,
    document_number: str = "",
    basis: str = "",
    description: str = "",
    due_day: int = 28,
    reminder_days: int = 3,
    summary_due: dt.date | None = None,
    columns: list[dict] | None = None,
    phases: bool = True,
) -> Campaign:
    """A new campaign with the default columns and, unless told otherwise, the four phases spread over it."""
    require_manage(user, bureau=bureau)
    campaign = Campaign(
        bureau=bureau,
        title=(title or "").strip()[:200],
        year=year,
        start=start,
        end=end,
        lead_department=lead_department,
        document_number=document_number.strip(),
        basis=basis,
        description=description,
        due_day=due_day,
        reminder_days=reminder_days,
        summary_due=summary_due,
        columns=columns or column_defs.default_columns(),
        created_by=user if getattr(user, "pk", None) else None,
    )
    _check_plan(campaign)
    with transaction.atomic():
        campaign.save()
        if phases:
            span = (end - start).days
            for i, name in enumerate(DEFAULT_PHASES):
                # overlapping by default: each phase runs into the next one's first weeks
                p_start = start + dt.timedelta(days=span * i // 4)
                p_end = min(end, start + dt.timedelta(days=span * (i + 1) // 4 + 14))
                Phase.objects.create(campaign=campaign, name=name, start=p_start, end=p_end)
    periods.periods_make(campaign=campaign)
    return campaign


PLAN_FIELDS = (
    "title",
    "year",
    "start",
    "end",
    "lead_department",
    "document_number",
    "basis",
    "description",
    "due_day",
    "reminder_days",
    "summary_due",
    "columns",
)


def campaign_update(
    *, user: User | None, campaign: Campaign, phases: list[dict] | None = None, **values: Any
) -> Campaign:
    """Change the plan's fields (``columns`` as parsed lines) and, given, its phases (``[{id, name, start,
    end}]``: those listed kept or added, the others removed); the periods follow the dates.

    Refused, in one piece: a phase outside the new dates; a change that would drop a month or the final
    summary some unit has submitted a table for; removing a column some submitted table has a value in; a
    new summary day once late units were marked against the old one."""
    require_manage(user, campaign)
    unknown = set(values) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationFailed(f"不能修改：{'、'.join(sorted(unknown))}", f"Cannot change: {sorted(unknown)}")
    saved = Campaign.objects.get(pk=campaign.pk)
    if "title" in values:
        values["title"] = (values["title"] or "").strip()[:200]
    if "document_number" in values:
        values["document_number"] = (values["document_number"] or "").strip()[:80]
    for name, value in values.items():
        setattr(campaign, name, value)
    try:
        _check_plan(campaign)
        _check_kept(campaign, saved)
        with transaction.atomic():
            campaign.save()
            if phases is not None:
                _phases_replace(user, campaign, phases)
            phases_now = Phase.objects.filter(campaign=campaign)  # not a prefetched list of before
            outside = [p for p in phases_now if p.start < campaign.start or p.end > campaign.end]
            if outside:
                raise ValidationFailed(
                    f"阶段“{'、'.join(p.name for p in outside)}”不在行动期间（{campaign.start}至{campaign.end}）"
                    "内，请一并调整阶段",
                    f"Phases {[p.name for p in outside]} lie outside the campaign ({campaign.start} to "
                    f"{campaign.end}): change them too",
                )
            periods.periods_make(campaign=campaign)
    except WangjianError:
        campaign.refresh_from_db()
        campaign._audit_before = campaign.audit_snapshot()  # what is saved, for the next change's record
        raise
    return campaign


def _check_kept(campaign: Campaign, saved: Campaign) -> None:
    """What units submitted stays: the periods, the columns with their values, the summary day judged."""
    blocking = periods.periods_blocking(campaign)
    if blocking:
        labels = "、".join(p.label for p in blocking)
        raise ValidationFailed(
            f"{labels}已有单位报送，修改后将没有该报送期，不能保存（请保留该月份或总结报送日）",
            f"Units have submitted tables for {labels}: the change would drop them",
        )
    removed = {}
    if campaign.columns != saved.columns:  # an empty list is the default columns (``columns_of``)
        removed = {c.key: c.label for c in column_defs.columns_of(saved)}
        for column in column_defs.columns_of(campaign):
            removed.pop(column.key, None)
    if removed:
        used = set(
            ReportValue.objects.filter(
                report__period__campaign=campaign,
                report__state=ReportState.SUBMITTED,
                column__in=list(removed),
            ).values_list("column", flat=True)
        )
        if used:
            labels = "、".join(removed[k] for k in removed if k in used)
            raise ValidationFailed(
                f"栏目“{labels}”已有单位报送数值，不能删除", f"Columns {sorted(used)} hold submitted values"
            )
    if campaign.summary_due != saved.summary_due and campaign.summary_due is not None:
        judged = campaign.periods.filter(kind=PeriodKind.FINAL, late_marked_on__isnull=False).first()
        if judged is not None:
            raise ValidationFailed(
                f"工作总结已过报送日（{judged.due:%Y-%m-%d}）并已标记逾期单位，总结报送日不再更改",
                f"The summary's due day {judged.due} has passed and late units were marked: it stays",
            )


def _phases_replace(user: User | None, campaign: Campaign, specs: list[dict]) -> None:
    current = {p.pk: p for p in Phase.objects.filter(campaign=campaign)}
    kept = set()
    for spec in specs:
        phase = None
        if spec.get("id"):
            phase = current.get(spec["id"])
            if phase is None:
                raise ValidationFailed(f"没有该阶段：{spec['id']}", f"No such phase: {spec['id']}")
        phase = phase_set(
            user=user,
            campaign=campaign,
            name=spec.get("name", ""),
            start=spec.get("start"),
            end=spec.get("end"),
            phase=phase,
        )
        kept.add(phase.pk)
    for pk, phase in current.items():
        if pk not in kept:
            phase_remove(user=user, phase=phase)


def phase_set(
    *,
    user: User | None,
    campaign: Campaign,
    name: str,
    start: dt.date,
    end: dt.date,
    phase: Phase | None = None,
) -> Phase:
    """Add or change a phase; phases may overlap each other, not run outside the campaign."""
    require_manage(user, campaign)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("请填写阶段名称", "The phase needs a name")
    _check_dates(start, end, "阶段")
    if start < campaign.start or end > campaign.end:
        raise ValidationFailed(
            f"阶段应在行动期间（{campaign.start}至{campaign.end}）内",
            f"A phase lies within the campaign ({campaign.start} to {campaign.end})",
        )
    phase = phase or Phase(campaign=campaign)
    phase.name, phase.start, phase.end = name[:60], start, end
    with logged(campaign, "phases"):
        phase.save()
    return phase


def phase_remove(*, user: User | None, phase: Phase) -> None:
    """A phase no task was handed out in may go (a task's phase is part of what the unit was told)."""
    require_manage(user, phase.campaign)
    if phase.tasks.exists():
        raise ValidationFailed(
            f"阶段“{phase.name}”下已部署任务，不能删除", f"Tasks were handed out in the phase {phase.name}"
        )
    with logged(phase.campaign, "phases"):
        phase.delete()


def unit_add(
    *,
    user: User | None,
    campaign: Campaign,
    department: Department | None = None,
    station: Station | None = None,
    bureau: Bureau | None = None,
) -> CampaignUnit:
    """A reporting unit: a department or station of the bureau, or a bureau below it (the tree's descendants)."""
    require_manage(user, campaign)
    given = [x for x in (department, station, bureau) if x is not None]
    if len(given) != 1:
        raise ValidationFailed(
            "请选择一个科室、基层所或下级局", "Choose one department, station or bureau below"
        )
    if department is not None and department.bureau_id != campaign.bureau_id:
        raise ValidationFailed("科室应属于本局", "The department must be the bureau's")
    if station is not None and station.bureau_id != campaign.bureau_id:
        raise ValidationFailed("基层所应属于本局", "The station must be the bureau's")
    if bureau is not None and (
        bureau.pk == campaign.bureau_id or bureau.pk not in campaign.bureau.descendant_ids()
    ):
        raise ValidationFailed(
            "只能向本局下级的市场监管局部署任务", "Tasks go only to bureaus below the campaign's bureau"
        )
    field = "department" if department else "station" if station else "bureau"
    with logged(campaign, "units"):
        unit, _created = CampaignUnit.objects.get_or_create(campaign=campaign, **{field: given[0]})
    return unit


def unit_remove(*, user: User | None, unit: CampaignUnit) -> None:
    """A unit leaves the campaign unless it took part: a submitted table, a task handed to it, a 督查 score.
    Its drafts and reminders go with it."""
    require_manage(user, unit.campaign)
    held = [
        what
        for what, there in (
            ("报送的统计表", unit.reports.filter(state=ReportState.SUBMITTED).exists()),
            ("部署的任务", unit.tasks.exists()),
            ("督查评分", unit.scores.exists()),
        )
        if there
    ]
    if held:
        raise ValidationFailed(
            f"{unit}已有{'、'.join(held)}，不能移出参加单位",
            f"{unit} has taken part (tables, tasks or scores): it stays",
        )
    with logged(unit.campaign, "units"):
        unit.delete()


def task_assign(
    *,
    user: User | None,
    unit: CampaignUnit,
    title: str,
    due: dt.date,
    body: str = "",
    phase: Phase | None = None,
    now: dt.datetime | None = None,
) -> CampaignTask:
    """Hand the unit a task: a work item in its inbox and workbench with its deadline (a bureau below: its office)."""
    from wangjian.platform.workitems.services import workitem_create

    campaign = unit.campaign
    require_manage(user, campaign)
    now = now or timezone.now()
    if not (title or "").strip():
        raise ValidationFailed("请填写任务", "The task needs a title")
    with transaction.atomic():
        task = CampaignTask.objects.create(
            campaign=campaign, unit=unit, phase=phase, title=title.strip()[:200], body=body, due=due
        )
        if unit.bureau_id:
            target = {"bureau": unit.bureau, "department": unit.bureau.office()}
            if target["department"] is None:
                raise ValidationFailed(
                    f"{unit.bureau}没有领导小组办公室所在科室，无法部署任务",
                    f"{unit.bureau} has no office department to receive the task",
                )
        else:
            target = {"bureau": campaign.bureau, "department": unit.department, "station": unit.station}
        item = workitem_create(
            kind=TASK_KIND,
            title=f"{campaign.title}：{task.title}",
            body=body,
            due=due,
            subject=task,
            reference=campaign.document_number,
            created_by=None,  # the campaign's own item; the office's right was checked above
            now=now,
            **target,
        )
        task.work_item = item
        task.save(update_fields=["work_item"])
    return task


def link_add(*, user: User | None, campaign: Campaign, obj: Any) -> CampaignLink:
    """Link a record (monitoring task, rule-library version, clue, case, complaint, inspection plan)."""
    require_manage(user, campaign)
    label = obj._meta.label_lower
    if label not in LINKABLE:
        raise ValidationFailed(f"不能关联“{obj._meta.verbose_name}”", f"{label} cannot be linked")
    bureau_id = getattr(obj, "bureau_id", None)
    if bureau_id is not None and bureau_id not in campaign.bureau.descendant_ids():
        raise ValidationFailed("只能关联本局及下级局的事项", "Only records of the bureau and those below it")
    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    link, _created = CampaignLink.objects.get_or_create(
        campaign=campaign,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        defaults={"label": f"{LINKABLE[label]}：{obj}"[:300], "url": url},
    )
    return link


def link_remove(*, user: User | None, link: CampaignLink) -> None:
    require_manage(user, link.campaign)
    link.delete()


def may_manage(user: User | None, campaign: Campaign) -> bool:
    return selectors.may_manage(user, campaign)
