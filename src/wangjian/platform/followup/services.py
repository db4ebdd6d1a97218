"""The office's follow-up settings: the written-down defaults, and the office's edits."""

from __future__ import annotations

from typing import Any

from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.org.models import Bureau
from wangjian.org.selectors import can_manage
from wangjian.platform.followup.models import FollowUpSettings

SETTING_FIELDS = (
    "work_start",
    "work_end",
    "remind_days",
    "remind_on_day",
    "escalate_overdue",
    "escalate_unanswered",
)


def followup_settings(bureau: Bureau | int) -> FollowUpSettings:
    """The bureau's settings, or the written-down defaults (unsaved) when the office never changed them."""
    bureau_id = bureau.pk if isinstance(bureau, Bureau) else bureau
    found = FollowUpSettings.objects.filter(bureau_id=bureau_id).first()
    return found or FollowUpSettings(bureau_id=bureau_id)


def followup_settings_set(*, bureau: Bureau, user: Any, **values: Any) -> FollowUpSettings:
    """The office edits its bureau's follow-up settings; the page and the API both come here."""
    if user is not None and not can_manage(user, bureau):
        raise PermissionDeniedError(
            "只有本局办公室管理员可以修改催办督办设置",
            "Only the bureau's office administrator edits the follow-up settings",
        )
    unknown = set(values) - set(SETTING_FIELDS)
    if unknown:
        raise ValidationFailed(
            f"未知的设置：{'、'.join(sorted(unknown))}", f"Unknown settings: {sorted(unknown)}"
        )
    settings = followup_settings(bureau)
    for name, value in values.items():
        setattr(settings, name, value)
    if settings.work_end <= settings.work_start:
        raise ValidationFailed("下班时间应晚于上班时间", "The working day must end after it starts")
    if settings.remind_days > 30:
        raise ValidationFailed("提前提醒不能超过30个工作日", "Reminders start at most 30 working days before")
    settings.bureau = bureau
    settings.save()
    return settings
