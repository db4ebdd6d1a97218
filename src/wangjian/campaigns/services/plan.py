"""Planning a campaign: the plan itself, its phases (which may overlap), its units, tasks and linked records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from wangjian.campaigns import columns as column_defs
from wangjian.campaigns import selectors
from wangjian.campaigns.models import Campaign, CampaignLink, CampaignTask, CampaignUnit, Phase
from wangjian.campaigns.permissions import CAMPAIGN_MANAGE
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.org import permissions
from wangjian.org.models import Bureau, Department, Station, User

TASK_KIND = "campaign.task"

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


def _check_dates(start: dt.date, end: dt.date, what: str = "专项行动") -> None:
    if start is None or end is None or start > end:
        raise ValidationFailed(
            f"{what}的开始日期应不晚于结束日期", f"The {what}'s start must not be after its end"
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
    title = (title or "").strip()
    if not title:
        raise ValidationFailed("请填写行动名称", "The campaign needs a title")
    _check_dates(start, end)
    if not 1 <= int(due_day) <= 31:
        raise ValidationFailed("每月报送日应在1至31之间", "The monthly due day is 1 to 31")
    if lead_department is not None and lead_department.bureau_id != bureau.pk:
        raise ValidationFailed("牵头单位应是本局科室", "The lead unit must be a department of the bureau")
    with transaction.atomic():
        campaign = Campaign.objects.create(
            bureau=bureau,
            title=title[:200],
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
        if phases:
            span = (end - start).days
            for i, name in enumerate(DEFAULT_PHASES):
                # overlapping by default: each phase runs into the next one's first weeks
                p_start = start + dt.timedelta(days=span * i // 4)
                p_end = min(end, start + dt.timedelta(days=span * (i + 1) // 4 + 14))
                Phase.objects.create(campaign=campaign, name=name, start=p_start, end=p_end)
    from wangjian.campaigns.services import periods

    periods.periods_make(campaign=campaign)
    return campaign


def campaign_update(*, user: User | None, campaign: Campaign, **values: Any) -> Campaign:
    """Change the plan's fields (``columns`` as parsed lines); the periods follow the dates."""
    require_manage(user, campaign)
    for name in (
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
    ):
        if name in values:
            setattr(campaign, name, values[name])
    _check_dates(campaign.start, campaign.end)
    campaign.save()
    from wangjian.campaigns.services import periods

    periods.periods_make(campaign=campaign)
    return campaign


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
    phase.save()
    return phase


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
    unit, _created = CampaignUnit.objects.get_or_create(campaign=campaign, **{field: given[0]})
    return unit


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
