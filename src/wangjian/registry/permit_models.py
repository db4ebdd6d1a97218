"""The bureau's permit data (许可证和备案数据): the permits and filings its licensing departments issued.

A sweep reads the permit an online seller shows (亮证) and checks its format; with this data it
also checks that the permit exists, is in force and belongs to the seller. The rows come from the
licensing systems' exports through the registry's imports (``services.permits_import``): CSV or
XLSX, rejected rows kept with their reasons, re-imports idempotent.

Imported by ``registry.models``, which re-exports ``Permit``.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wangjian.core.models import AuditedModel
from wangjian.registry.choices import PermitKind, PermitStatus
from wangjian.registry.permits import region_key


class Permit(AuditedModel):
    """One permit or filing (食品经营许可证, 药品经营许可证, 医疗器械经营备案凭证 …) of the licensing data."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("许可类型"), max_length=16, choices=PermitKind.choices)
    number = models.CharField(_("许可证/备案编号"), max_length=60)
    # Where the number says it was issued (``registry.permits.region_key``): what a bureau's data covers.
    number_region = models.CharField(_("编号所示发证地"), max_length=12, blank=True, editable=False)
    holder_name = models.CharField(_("持证主体名称"), max_length=200, blank=True)
    holder_uscc = models.CharField(_("持证主体统一社会信用代码"), max_length=18, blank=True, db_index=True)
    region_code = models.CharField(_("区划代码"), max_length=12, blank=True)
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_to = models.DateField(_("有效期至"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=PermitStatus.choices, default=PermitStatus.VALID
    )
    scope = models.TextField(_("经营项目/许可范围"), blank=True)
    authority = models.CharField(_("发证（备案）机关"), max_length=100, blank=True)
    source = models.CharField(_("数据来源"), max_length=50, blank=True)
    import_batch = models.ForeignKey(
        "registry.ImportBatch",
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="permits",
    )

    class Meta:
        verbose_name = _("许可证/备案")
        verbose_name_plural = _("许可证和备案数据")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "kind", "number"], name="registry_permit_number_unique")
        ]
        indexes = [
            models.Index(fields=["bureau", "kind", "number_region"], name="registry_permit_covers"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("registry:permit", args=[self.pk])

    def save(self, *args, **kwargs):
        self.number_region = region_key(self.kind, self.number)[:12]
        super().save(*args, **kwargs)
