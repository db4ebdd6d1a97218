"""How the office follows up open items: working hours, reminders, automatic 督办 (one row per bureau)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from wangjian.core.models import AuditedModel


class FollowUpSettings(AuditedModel):
    """How the office follows up open items (催办、督办): written down, with these defaults, editable by the office.

    Working hours 08:30–17:30 Beijing time on working days (pushes outside them wait unless
    urgent); a reminder 2 working days before a deadline and on the day; an overdue item goes to
    level-1 督办 by the office, whose answer is due within the ``followup.answer`` clock (2 working
    days by default); an unanswered level-1 goes to level 2, the leading group.
    """

    bureau = models.OneToOneField(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.CASCADE, related_name="followup_settings"
    )
    work_start = models.TimeField(_("上班时间"), default=dt.time(8, 30))
    work_end = models.TimeField(_("下班时间"), default=dt.time(17, 30))
    remind_days = models.PositiveSmallIntegerField(_("提前提醒（工作日）"), default=2)
    remind_on_day = models.BooleanField(_("到期当日再提醒"), default=True)
    escalate_overdue = models.BooleanField(_("逾期自动一级督办（办公室）"), default=True)
    escalate_unanswered = models.BooleanField(_("督办逾期未答复自动提请领导小组"), default=True)

    class Meta:
        verbose_name = _("催办督办设置")
        verbose_name_plural = _("催办督办设置")

    def __str__(self) -> str:
        return f"{self.bureau} 催办督办设置"
