"""Each bureau's settings of the clocks (时限规则): only where the catalogue lets a bureau set them."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wangjian.core.models import AuditedModel
from wangjian.platform.clocks.catalogue import get


class DeadlinePolicy(AuditedModel):
    """A bureau's length for one clock, with the basis its officers read.

    A blank ``variant`` applies to every case of the clock; a variant (a clue's source kind:
    ``complaint``) applies to that case only. Statutory clocks have no settings: the service
    that writes these rows refuses them (``platform.clocks.services.policy_set``).
    """

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.CASCADE, related_name="deadline_policies"
    )
    clock = models.CharField(_("时限"), max_length=64)
    variant = models.CharField(_("适用情形"), max_length=32, blank=True)
    length = models.PositiveSmallIntegerField(_("期限长度"))
    basis = models.CharField(_("依据"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("时限规则")
        verbose_name_plural = _("时限规则")
        ordering = ["bureau__code", "clock", "variant"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "clock", "variant"], name="platform_policy_unique")
        ]

    def __str__(self) -> str:
        kind = get(self.clock)
        variant = f"（{self.variant}）" if self.variant else ""
        return f"{self.bureau} {kind.label}{variant}：{self.length}{kind.unit.label}"

    def get_absolute_url(self) -> str:
        return reverse("platform:clock_list")
