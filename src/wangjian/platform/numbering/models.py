"""Number formats, sequences and the register of every number issued (文号登记簿)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangjian.core.models import AuditedModel


class NumberFormat(AuditedModel):
    """A bureau's pattern and abbreviation for one kind of number (the office sets them)."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.CASCADE, related_name="number_formats"
    )
    kind = models.CharField(_("文号种类"), max_length=32)
    prefix = models.CharField(_("机关代字"), max_length=30)
    pattern = models.CharField(_("格式"), max_length=100)

    class Meta:
        verbose_name = _("文号格式")
        verbose_name_plural = _("文号格式")
        constraints = [
            models.UniqueConstraint(fields=["bureau", "kind"], name="platform_number_format_unique")
        ]

    def __str__(self) -> str:
        return f"{self.bureau} {self.kind}：{self.pattern}"


class Sequence(models.Model):
    """The last number used per bureau, kind and year; moved only inside the transaction that issues."""

    bureau = models.ForeignKey("org.Bureau", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bureau", "kind", "year"], name="platform_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.bureau_id}/{self.kind}/{self.year}: {self.last}"


class IssuedNumber(models.Model):
    """One number as issued (签发): what it numbers, who issued it, and — never reused — whether it was voided."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("文号种类"), max_length=32)
    year = models.PositiveSmallIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("文号"), max_length=80, db_index=True)
    subject_type = models.CharField(_("编号对象类型"), max_length=64, blank=True)
    subject_id = models.CharField(_("编号对象"), max_length=64, blank=True)
    subject_label = models.CharField(_("编号对象名称"), max_length=300, blank=True)
    issued_at = models.DateTimeField(_("签发时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作废人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    void_reason = models.CharField(_("作废理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("文号登记")
        verbose_name_plural = _("文号登记簿")
        ordering = ["bureau_id", "kind", "year", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "kind", "year", "seq"], name="platform_issued_unique")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def voided(self) -> bool:
        return self.voided_at is not None
