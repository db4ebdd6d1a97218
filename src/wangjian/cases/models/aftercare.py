"""What the decision is measured against and what follows it: 裁量基准, 复议/诉讼, 查封扣押 and 先行登记保存."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangjian.core.models import AuditedModel
from wangjian.org.choices import Domain


class Circumstance(models.TextChoices):
    """The 情节 a benchmark row applies to (行政处罚法 arts. 32, 33)."""

    EXEMPT = "exempt", _("不予处罚")
    MITIGATED = "mitigated", _("减轻处罚")
    LIGHTER = "lighter", _("从轻处罚")
    ORDINARY = "ordinary", _("一般处罚")
    HEAVIER = "heavier", _("从重处罚")


class DiscretionBenchmark(AuditedModel):
    """One row of the bureau's 行政处罚裁量基准: the violation, its basis, the circumstance and the range."""

    bureau = models.ForeignKey(
        "org.Bureau",
        verbose_name=_("制定机关"),
        on_delete=models.CASCADE,
        related_name="discretion_benchmarks",
    )
    code = models.CharField(_("编号"), max_length=30)
    violation = models.CharField(_("违法行为"), max_length=200)
    domain = models.CharField(_("监管领域"), max_length=32, choices=Domain.choices, blank=True)
    provision = models.TextField(_("违法依据与处罚依据"))
    circumstance = models.CharField(_("情节"), max_length=10, choices=Circumstance.choices)
    conditions = models.TextField(_("适用条件"), blank=True)
    penalty = models.TextField(_("处罚幅度"))
    fine_min = models.DecimalField(
        _("罚款下限（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    fine_max = models.DecimalField(
        _("罚款上限（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("出处"), max_length=200, blank=True, help_text=_("裁量基准文件名称及文号"))
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("裁量基准")
        verbose_name_plural = _("裁量基准")
        ordering = ["bureau", "code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "code"], name="cases_benchmark_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.violation}（{self.get_circumstance_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("cases:benchmark", args=[self.pk])


class RemedyKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("行政复议")
    LITIGATION = "litigation", _("行政诉讼")


class RemedyOutcome(models.TextChoices):
    PENDING = "pending", _("审理中")
    UPHELD = "upheld", _("维持/驳回诉讼请求")
    CHANGED = "changed", _("变更")
    REVOKED = "revoked", pgettext_lazy("remedy outcome", "撤销")
    ILLEGAL = "illegal", pgettext_lazy("remedy outcome", "确认违法")
    VOID = "void", _("确认无效")
    REDO = "redo", _("责令重新作出")
    WITHDRAWN = "withdrawn", _("申请人撤回/原告撤诉")


# outcomes after which the decision no longer stands and its publicity comes down (公示规定 art. 13)
DECISION_FALLS = frozenset(
    {RemedyOutcome.REVOKED, RemedyOutcome.ILLEGAL, RemedyOutcome.VOID, RemedyOutcome.REDO}
)


class CaseRemedy(models.Model):
    """The party's 行政复议 (60 days) or 行政诉讼 (6 months) against the decision, and its outcome."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="remedies")
    kind = models.CharField(_("救济途径"), max_length=16, choices=RemedyKind.choices)
    body = models.CharField(_("复议机关/人民法院"), max_length=200)
    filed_on = models.DateField(_("申请/起诉日期"))
    in_time = models.BooleanField(_("在法定期限内"), default=True)
    outcome = models.CharField(
        _("结果"), max_length=10, choices=RemedyOutcome.choices, default=RemedyOutcome.PENDING
    )
    decided_on = models.DateField(_("决定/裁判日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("复议或诉讼")
        verbose_name_plural = _("复议或诉讼")
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_outcome_display()}）"


class MeasureKind(models.TextChoices):
    PRESERVATION = "preservation", _("先行登记保存")
    SEIZURE = "seizure", _("查封、扣押")


class CaseMeasure(models.Model):
    """A 先行登记保存 (decide within 7 working days, art. 35) or 查封、扣押 (30 days, +30, art. 38)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(_("措施"), max_length=12, choices=MeasureKind.choices)
    items = models.TextField(_("物品清单"))
    started_on = models.DateField(_("采取日期"))
    due = models.DateField(_("期限"), null=True, blank=True)
    basis = models.TextField(_("期限依据"), blank=True)
    extended = models.BooleanField(_("已延长"), default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ended_on = models.DateField(_("解除/处理日期"), null=True, blank=True)
    outcome = models.TextField(_("处理结果"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("强制措施")
        verbose_name_plural = _("强制措施")
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on}"

    @property
    def running(self) -> bool:
        return self.ended_on is None
