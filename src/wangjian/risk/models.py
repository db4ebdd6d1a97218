"""Risk grades of online market entities (网络交易风险分级监管, 旌德 mechanism 二(七)).

The bureau "结合通用型企业信用风险分类结果和相关监管部门提供的符合网络交易主体特征的其他指标，综合分析研判，
锁定风险对象，划分网络交易市场主体风险等级", sets the ranges of 重点监控 / 预警监控 / 一般监控 and supervises
each grade accordingly; for entities of high credit risk it takes stricter measures (四(四), 触发式监管).

- ``CreditRiskClass``: the province's general credit-risk class (A–D) per entity and month, imported
  (``CreditImport``, refused rows kept as ``CreditRejectedRow``).
- ``RiskSettings``: the office's weights, caps and thresholds, and the stricter treatment of 重点监控.
- ``EntityGrade``: the current grade of each entity with its score, each indicator's contribution and the
  sentence an officer reads; ``GradeChange``: every change of grade, with its reasons.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangjian.core.models import AuditedModel
from wangjian.org.choices import Domain
from wangjian.risk.choices import CreditClass, RiskGrade


class CreditImport(models.Model):
    """One import of the province's credit-risk classes: counts, and the rows refused, each with its reason."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("文件SHA-256"), max_length=64, blank=True)
    encoding = models.CharField(_("编码"), max_length=20, blank=True)
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    unchanged_count = models.PositiveIntegerField(_("未变化"), default=0)
    rejected_count = models.PositiveIntegerField(_("拒收"), default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("信用风险分类导入批次")
        verbose_name_plural = _("信用风险分类导入批次")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("risk:import_detail", args=[self.pk])


class CreditRejectedRow(models.Model):
    """A row the import refused, with its row number, column, value and reason — never silently dropped."""

    batch = models.ForeignKey(
        CreditImport, verbose_name=_("导入批次"), on_delete=models.CASCADE, related_name="rejected_rows"
    )
    row_number = models.PositiveIntegerField(_("行号"))
    column = models.CharField(_("列"), max_length=100, blank=True)
    value = models.CharField(_("值"), max_length=500, blank=True)
    reason = models.CharField(_("原因"), max_length=500)
    raw = models.JSONField(_("原始行"), default=list)

    class Meta:
        verbose_name = _("拒收行")
        verbose_name_plural = _("拒收行")
        ordering = ["batch", "row_number", "id"]

    def __str__(self) -> str:
        return f"{self.row_number}: {self.reason}"


class CreditRiskClass(models.Model):
    """An entity's 通用型企业信用风险分类 of one month (the first day of the month), as the province published it.

    One per entity and month: importing the same month again updates the class, never adds a second row.
    """

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    entity = models.ForeignKey(
        "registry.MarketEntity",
        verbose_name=_("市场主体"),
        on_delete=models.CASCADE,
        related_name="credit_risk_classes",
    )
    month = models.DateField(_("分类月份"))
    risk_class = models.CharField(_("风险类别"), max_length=1, choices=CreditClass.choices)
    batch = models.ForeignKey(
        CreditImport,
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="classes",
    )

    class Meta:
        verbose_name = _("企业信用风险分类")
        verbose_name_plural = _("企业信用风险分类")
        ordering = ["-month", "entity"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "month"], name="risk_credit_class_once_a_month")
        ]
        indexes = [models.Index(fields=["bureau", "month"], name="risk_credit_bureau_month")]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.month:%Y-%m} {self.risk_class}"


class RiskSettings(AuditedModel):
    """The office's grading rules for its bureau (defaults and their reasons: ``services.settings``).

    Score = the credit class's points + for each indicator min(weight × value, cap); 重点监控 from
    ``key_threshold`` points, 预警监控 from ``warning_threshold``, 一般监控 below. A change to 重点监控 hands
    the covering station (else the duty-list unit) a check task and puts the entity under the
    bureau's daily sweep of 重点监控 entities.
    """

    bureau = models.OneToOneField(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.CASCADE, related_name="risk_settings"
    )
    weights = models.JSONField(_("指标权重（每单位分值）"), default=dict, blank=True)
    caps = models.JSONField(_("指标封顶分"), default=dict, blank=True)
    class_points = models.JSONField(_("信用风险分类分值"), default=dict, blank=True)
    key_threshold = models.FloatField(_("重点监控分数线"), default=60)
    warning_threshold = models.FloatField(_("预警监控分数线"), default=30)
    task_on_key = models.BooleanField(_("转为重点监控时向属地单位派发核查任务"), default=True)
    task_working_days = models.PositiveSmallIntegerField(_("核查任务期限（工作日）"), default=10)
    task_domain = models.CharField(
        _("无属地基层所时按此领域的职责清单派发"),
        max_length=32,
        choices=Domain.choices,
        default=Domain.CREDIT,
    )
    sweep_key_hours = models.PositiveIntegerField(
        _("重点监控主体监测周期（小时）"), default=24, help_text=_("0 表示不设专门的监测任务")
    )
    sweep_task = models.ForeignKey(
        "monitoring.MonitoringTask",
        verbose_name=_("重点监控主体监测任务"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("风险分级设置")
        verbose_name_plural = _("风险分级设置")

    def __str__(self) -> str:
        return f"{self.bureau} 风险分级设置"

    def get_absolute_url(self) -> str:
        return reverse("risk:settings") + f"?bureau={self.bureau_id}"


class EntityGrade(models.Model):
    """An entity's current risk grade (风险等级): score, grade, each indicator's contribution and the reasons.

    ``contributions`` is a list of ``{indicator, label, value, weight, points, text}`` (the credit class is
    the indicator ``credit.class``); ``words`` is the sentence an officer reads. Written in bulk by the
    grading, so not in the change log: ``GradeChange`` is its history.
    """

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    entity = models.OneToOneField(
        "registry.MarketEntity", verbose_name=_("市场主体"), on_delete=models.CASCADE, related_name="risk"
    )
    grade = models.CharField(_("风险等级"), max_length=8, choices=RiskGrade.choices)
    score = models.FloatField(_("风险分"), default=0)
    credit_class = models.CharField(_("信用风险分类"), max_length=1, choices=CreditClass.choices, blank=True)
    credit_month = models.DateField(_("分类月份"), null=True, blank=True)
    contributions = models.JSONField(_("各指标贡献"), default=list, blank=True)
    words = models.TextField(_("评定理由"), blank=True)
    digest = models.CharField(_("摘要"), max_length=40, blank=True, editable=False)
    graded_on = models.DateField(_("评定日期"))
    since = models.DateField(_("本等级起始日期"))

    class Meta:
        verbose_name = _("风险等级")
        verbose_name_plural = _("风险等级")
        ordering = ["-score", "-id"]
        indexes = [
            models.Index(fields=["bureau", "grade"], name="risk_grade_bureau_grade"),
            # the list's order within a bureau, read off the index at a million entities
            models.Index(fields=["bureau", "-score", "-id"], name="risk_grade_bureau_score"),
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.get_grade_display()} {self.score:g}"

    def get_absolute_url(self) -> str:
        return reverse("risk:grade", args=[self.pk])


class GradeChange(models.Model):
    """One change of an entity's grade: from → to, on which day, at what score, and why."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    entity = models.ForeignKey(
        "registry.MarketEntity",
        verbose_name=_("市场主体"),
        on_delete=models.CASCADE,
        related_name="grade_changes",
    )
    on = models.DateField(_("变更日期"))
    from_grade = models.CharField(_("原等级"), max_length=8, choices=RiskGrade.choices, blank=True)
    to_grade = models.CharField(_("新等级"), max_length=8, choices=RiskGrade.choices)
    score = models.FloatField(_("风险分"))
    reasons = models.TextField(_("理由"), blank=True)
    contributions = models.JSONField(_("各指标贡献"), default=list, blank=True)
    work_item = models.ForeignKey(
        "platform.WorkItem",
        verbose_name=_("核查任务"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("风险等级变更")
        verbose_name_plural = _("风险等级变更")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["entity", "-on"], name="risk_change_entity_on")]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.from_grade or '—'} → {self.to_grade} {self.on}"
