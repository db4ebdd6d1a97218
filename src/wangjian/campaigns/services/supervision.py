"""督查 groups with their scores per unit, and 重点时段 that raise the linked monitoring tasks' frequency.

The sweep scheduler (monitoring) runs a task every ``interval_hours``; during a key period of a campaign a
linked task runs every ``SweepBoost.interval_hours`` instead. ``effective_interval`` answers the interval for
a task on a day; the scheduler is monitoring's, and reads it there (see the report of issue 20).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from wangjian.campaigns.models import (
    Campaign,
    CampaignUnit,
    GroupScore,
    InspectionGroup,
    KeyPeriod,
    SweepBoost,
)
from wangjian.campaigns.services.plan import logged, require_manage
from wangjian.core.errors import ValidationFailed
from wangjian.org.models import User


def group_create(
    *,
    user: User | None,
    campaign: Campaign,
    name: str,
    leader: str = "",
    members: Any = (),
    other_members: str = "",
) -> InspectionGroup:
    require_manage(user, campaign)
    if not (name or "").strip():
        raise ValidationFailed("请填写督查组名称", "The group needs a name")
    group = InspectionGroup.objects.create(
        campaign=campaign,
        name=name.strip()[:100],
        leader=leader.strip()[:100],
        other_members=other_members[:300],
    )
    if members:
        group.members.set(members)
    return group


def score_set(
    *,
    user: User | None,
    group: InspectionGroup,
    unit: CampaignUnit,
    score: Any,
    comment: str = "",
    day: dt.date | None = None,
) -> GroupScore:
    """The group's score (0–100) and comment for a unit it inspected."""
    require_manage(user, group.campaign)
    if unit.campaign_id != group.campaign_id:
        raise ValidationFailed("该单位不是本行动的参加单位", "The unit does not take part in this campaign")
    try:
        number = Decimal(str(score)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed("得分应为数字", "The score must be a number") from None
    if not 0 <= number <= 100:
        raise ValidationFailed("得分应在0至100之间", "The score is 0 to 100")
    row, _ = GroupScore.objects.update_or_create(
        group=group, unit=unit, defaults={"score": number, "comment": comment.strip(), "scored_at": day}
    )
    return row


def key_period_add(
    *, user: User | None, campaign: Campaign, name: str, start: dt.date, end: dt.date
) -> KeyPeriod:
    return key_period_set(user=user, campaign=campaign, name=name, start=start, end=end)


def key_period_set(
    *,
    user: User | None,
    campaign: Campaign,
    name: str,
    start: dt.date,
    end: dt.date,
    key_period: KeyPeriod | None = None,
) -> KeyPeriod:
    """Add a key period, or change one (its raised frequencies follow its new dates)."""
    require_manage(user, campaign)
    if not (name or "").strip() or start is None or end is None or start > end:
        raise ValidationFailed("请填写重点时段名称和起止日期", "Name the key period and give its dates")
    if key_period is not None and key_period.campaign_id != campaign.pk:
        raise ValidationFailed("没有该重点时段", "No such key period")
    key_period = key_period or KeyPeriod(campaign=campaign)
    key_period.name, key_period.start, key_period.end = name.strip()[:60], start, end
    with logged(campaign, "key_periods"):
        key_period.save()
    return key_period


def key_period_remove(*, user: User | None, key_period: KeyPeriod) -> None:
    """The key period goes, and with it the raised frequencies: the linked tasks sweep at their own again."""
    require_manage(user, key_period.campaign)
    with logged(key_period.campaign, "key_periods"):
        key_period.delete()


def boost_set(*, user: User | None, key_period: KeyPeriod, task: Any, interval_hours: int) -> SweepBoost:
    """During the key period, ``task`` runs every ``interval_hours`` (more often than its own interval)."""
    require_manage(user, key_period.campaign)
    if task.bureau_id not in key_period.campaign.bureau.descendant_ids():
        raise ValidationFailed(
            "只能调整本局及下级局的监测任务", "Only monitoring tasks of the bureau and below"
        )
    hours = int(interval_hours or 0)
    if hours < 1:
        raise ValidationFailed("重点时段执行周期至少1小时", "The raised interval is at least one hour")
    if task.interval_hours and hours >= task.interval_hours:
        raise ValidationFailed(
            f"重点时段应提高频次：执行周期须短于任务本身的 {task.interval_hours} 小时",
            f"A key period raises the frequency: the interval must be shorter than {task.interval_hours} hours",
        )
    row, _ = SweepBoost.objects.update_or_create(
        key_period=key_period, task=task, defaults={"interval_hours": hours}
    )
    return row


def effective_interval(task: Any, day: dt.date) -> int:
    """The task's interval in hours on ``day``: the shortest raised interval of a key period covering the day,
    else its own (0: manual only, unless a key period schedules it)."""
    boosts = SweepBoost.objects.filter(
        task=task, key_period__start__lte=day, key_period__end__gte=day
    ).values_list("interval_hours", flat=True)
    raised = min(boosts, default=None)
    if raised is None:
        return task.interval_hours
    return raised if not task.interval_hours else min(raised, task.interval_hours)


def raised_intervals(day: dt.date) -> dict[int, int]:
    """``{monitoring task id: hours}`` raised by key periods covering ``day`` (monitoring's interval provider)."""
    raised: dict[int, int] = {}
    for task_id, hours in SweepBoost.objects.filter(
        key_period__start__lte=day, key_period__end__gte=day
    ).values_list("task_id", "interval_hours"):
        raised[task_id] = min(hours, raised.get(task_id, hours))
    return raised


def key_periods_on(campaign: Campaign, day: dt.date) -> list[KeyPeriod]:
    return list(campaign.key_periods.filter(start__lte=day, end__gte=day))
