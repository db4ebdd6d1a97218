"""Failed background tasks, counted per task in the database every process shares."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskFailureCount(models.Model):
    """How many times a Celery task failed, on any worker (or in-process), since the installation began.

    A worker's own memory would lose the count at each restart and show only that worker's; the
    row is read by ``/metrics`` on whichever web process is scraped. The last error is its class
    name only: an exception's message may quote a page, a person or a password.
    """

    task = models.CharField(_("任务"), max_length=200, unique=True)
    failures = models.PositiveBigIntegerField(_("失败次数"), default=0)
    last_failed_at = models.DateTimeField(_("最近失败时间"))
    last_error = models.CharField(_("最近错误类型"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("后台任务失败计数")
        verbose_name_plural = _("后台任务失败计数")
        ordering = ["task"]

    def __str__(self) -> str:
        return f"{self.task} × {self.failures}"
