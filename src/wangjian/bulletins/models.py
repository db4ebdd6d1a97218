"""The monthly 通报 of online enforcement (网络市场监管工作通报), kept as it was issued."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangjian.bulletins.choices import BulletinState
from wangjian.core.models import AuditedModel


class Bulletin(AuditedModel):
    """A bureau's 通报 of one month: the month's figures frozen when drafted (recounted only while a draft), the
    highlights the office writes and the typical cases it picks. Issuing numbers it once (发文字号), writes the
    Word file and the PDF, keeps both by their SHA-256 and sends it as a notice whose recipients' reads are
    recorded; an issued 通报 never changes — a correction is a new 通报 (``services.bulletins``).
    """

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("发文机关"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("通报月份"), help_text=_("该月第一天"))
    title = models.CharField(_("标题"), max_length=200)
    addressee = models.CharField(_("主送机关"), max_length=300)
    copy_to = models.CharField(_("抄送机关"), max_length=300, blank=True)
    highlights = models.TextField(_("工作亮点与下一步工作"), blank=True)
    typical_cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("典型案例"), blank=True, related_name="+"
    )
    figures = models.JSONField(_("统计数据"), default=dict, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=BulletinState.choices, default=BulletinState.DRAFT, db_index=True
    )
    number = models.CharField(_("发文字号"), max_length=60, blank=True)
    signed_on = models.DateField(_("成文日期"), null=True, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("拟稿人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    drafted_at = models.DateTimeField(_("拟稿时间"), default=timezone.now)
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("印发人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    docx_sha256 = models.CharField(_("Word文件SHA-256"), max_length=64, blank=True)
    docx_size = models.PositiveIntegerField(_("Word文件字节数"), null=True, blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(_("PDF字节数"), null=True, blank=True)
    notice = models.OneToOneField(
        "org.Notice",
        verbose_name=_("通知通报"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bulletin",
    )

    class Meta:
        verbose_name = _("网络市场监管工作通报")
        verbose_name_plural = _("网络市场监管工作通报")
        ordering = ["-month", "-id"]
        indexes = [models.Index(fields=["bureau", "month"], name="bulletins_bureau_month")]

    def __str__(self) -> str:
        return f"{self.title} {self.number}".strip()

    def get_absolute_url(self) -> str:
        return reverse("bulletins:detail", args=[self.pk])

    @property
    def issued(self) -> bool:
        return self.state == BulletinState.ISSUED
