"""The findings' daily counts (pre-aggregation for the statistics; ``monitoring.rollup``).

A finding is counted by the local day of its ``first_seen``, which is the moment a sweep first
found it and never changes; so the count of a day that has ended stays true, and is kept here once
read. A day is either rolled up whole — for every bureau: its row in ``FindingDayRolled`` and its
counts by bureau and category in ``FindingDayCount`` — or not at all. Imported by
``monitoring.models``, which re-exports both.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FindingDayRolled(models.Model):
    """A local day whose findings are counted in ``FindingDayCount`` (for every bureau)."""

    day = models.DateField(_("日期"), unique=True)
    rolled_at = models.DateTimeField(_("汇总时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("监测发现日汇总")
        verbose_name_plural = _("监测发现日汇总")

    def __str__(self) -> str:
        return f"{self.day}"


class FindingDayCount(models.Model):
    """How many findings a bureau first saw on a day, by category (rows with none are not kept)."""

    day = models.DateField(_("日期"))
    bureau = models.ForeignKey("org.Bureau", verbose_name=_("局"), on_delete=models.CASCADE, related_name="+")
    category = models.CharField(_("类别"), max_length=32)
    findings = models.PositiveIntegerField(_("监测发现"))

    class Meta:
        verbose_name = _("监测发现日计数")
        verbose_name_plural = _("监测发现日计数")
        constraints = [
            models.UniqueConstraint(fields=["day", "bureau", "category"], name="monitoring_findingday_once")
        ]
        indexes = [models.Index(fields=["bureau", "day"], name="monitoring_findingday_bureau")]

    def __str__(self) -> str:
        return f"{self.day} {self.bureau_id} {self.category} {self.findings}"
