"""The match weights a bureau's own data gave (``registry.linkage``), kept with their date and their data.

Each estimate is a row: when it was made, by whom, from how many entities, sellers, candidate pairs and
officers' decisions, the m and u probabilities and the prior, and the thresholds the office chose with
what it expected of them. The newest active row is the one seller matching uses; the older ones stay,
so a bureau can say which weights decided a match made last spring.

Imported by ``registry.models``, which re-exports ``LinkageEstimate``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class LinkageEstimate(models.Model):
    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("估计时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("估计人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entities = models.PositiveIntegerField(_("登记主体数"), default=0)
    sellers = models.PositiveIntegerField(_("报送经营者数"), default=0)
    pairs = models.PositiveIntegerField(_("候选对数"), default=0)
    labelled = models.PositiveIntegerField(_("人工确认/否定的对数"), default=0)
    params = models.JSONField(_("参数（m、u、先验）"), default=dict)
    target_precision = models.FloatField(_("自动关联目标精确率"), default=0.995)
    review_precision = models.FloatField(_("待确认区间最低预期精确率"), default=0.80)
    auto_threshold = models.FloatField(_("自动关联阈值"), default=0.95)
    review_threshold = models.FloatField(_("待人工确认阈值"), default=0.5)
    expected = models.JSONField(_("预期效果"), default=dict, blank=True)
    active = models.BooleanField(_("使用中"), default=True)

    class Meta:
        verbose_name = _("匹配权重估计")
        verbose_name_plural = _("匹配权重估计")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.bureau} · {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("registry:linkage", args=[self.pk])
