"""Upward reporting (向上报送): what a superior bureau asks of the bureaus below it, and what they report.

A template (``ReportTemplate``, 报送事项) is defined by the superior bureau's office: the figures of the
statistics registry it asks for (``platform.statistics``), the period (month, quarter, half-year, year), the
due date (N working days after the period ends) and the bureaus that report (its direct children unless named).
For each bureau and period a report (``Report``, 报送) is opened; every submission is a revision
(``Revision``, 报送版本) with its figures frozen as computed then (``RevisionFigure``, with their 口径), never
overwritten: a return for correction and the corrected resubmission are two revisions side by side.

Between instances (the exchange layer carries the messages): a report may come from a subordinate bureau
not on this instance (``bureau`` empty, ``external_bureau_code``/``name``), and a template may be a superior's
on another instance (``bureau`` empty, ``external_bureau_code``/``name``); the natural keys are the bureaus'
division codes, the template's ``key`` and the period's label — never a database id.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wangjian.core.models import AuditedModel
from wangjian.reporting.choices import Outcome, PeriodKind, ReportState


class ReportTemplate(AuditedModel):
    """报送事项: what the superior bureau asks its subordinates to report, how often and by when."""

    bureau = models.ForeignKey(
        "org.Bureau",
        verbose_name=_("上级局"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_templates",
    )
    external_bureau_code = models.CharField(_("外部上级局代码"), max_length=6, blank=True)
    external_bureau_name = models.CharField(_("外部上级局名称"), max_length=100, blank=True)
    external_ref = models.CharField(_("消息编号"), max_length=100, blank=True)
    key = models.CharField(_("事项代码"), max_length=40, help_text=_("小写字母、数字和连字符，本局内唯一"))
    name = models.CharField(_("报送事项"), max_length=200)
    instructions = models.TextField(_("报送要求"), blank=True)
    figures = models.JSONField(_("统计指标"), default=list, blank=True)
    records = models.JSONField(_("附记录清单的指标"), default=list, blank=True)
    period_kind = models.CharField(_("报送周期"), max_length=8, choices=PeriodKind.choices)
    due_days = models.PositiveSmallIntegerField(
        _("报送期限（工作日）"), default=5, help_text=_("工作规则：统计期结束后若干个工作日内报送")
    )
    starts_on = models.DateField(_("起报日期"), help_text=_("从包含该日的报送期起报送"))
    subordinates = models.ManyToManyField(
        "org.Bureau",
        verbose_name=_("报送单位"),
        blank=True,
        related_name="+",
        help_text=_("不选则为全部直属下级局"),
    )
    active = models.BooleanField(_("在用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("报送事项")
        verbose_name_plural = _("报送事项")
        ordering = ["-active", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "key"], condition=Q(bureau__isnull=False), name="reporting_template_key"
            ),
            models.UniqueConstraint(
                fields=["external_bureau_code", "key"],
                condition=Q(bureau__isnull=True),
                name="reporting_template_external_key",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reporting:template", args=[self.pk])

    def audit_bureau_id(self) -> int | None:
        return self.bureau_id

    @property
    def superior_code(self) -> str:
        return self.bureau.code if self.bureau_id else self.external_bureau_code

    @property
    def superior_name(self) -> str:
        return self.bureau.name if self.bureau_id else self.external_bureau_name


class Report(AuditedModel):
    """报送: one bureau's report of one template for one period, with its current state and due date."""

    template = models.ForeignKey(
        ReportTemplate, verbose_name=_("报送事项"), on_delete=models.PROTECT, related_name="reports"
    )
    bureau = models.ForeignKey(
        "org.Bureau",
        verbose_name=_("报送单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="upward_reports",
    )
    external_bureau_code = models.CharField(_("外部报送单位代码"), max_length=6, blank=True)
    external_bureau_name = models.CharField(_("外部报送单位名称"), max_length=100, blank=True)
    external_ref = models.CharField(_("消息编号"), max_length=100, blank=True)
    period_kind = models.CharField(_("报送周期"), max_length=8, choices=PeriodKind.choices)
    period_label = models.CharField(_("报送期"), max_length=10)
    period_start = models.DateField(_("统计起始日"))
    period_end = models.DateField(_("统计截止日"))
    state = models.CharField(
        _("状态"), max_length=10, choices=ReportState.choices, default=ReportState.OPEN, db_index=True
    )
    due = models.DateField(_("报送期限"), null=True, blank=True)
    due_basis = models.TextField(_("期限依据"), blank=True)
    late = models.BooleanField(_("逾期报送"), default=False)
    draft = models.JSONField(_("填报草稿"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("最近报送时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("审核通过时间"), null=True, blank=True)
    work_item = models.ForeignKey(
        "platform.WorkItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("报送")
        verbose_name_plural = _("报送")
        ordering = ["-period_start", "template", "bureau__code", "external_bureau_code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "bureau", "period_start"],
                condition=Q(bureau__isnull=False),
                name="reporting_report_once",
            ),
            models.UniqueConstraint(
                fields=["template", "external_bureau_code", "period_start"],
                condition=Q(bureau__isnull=True),
                name="reporting_external_report_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bureau_name} {self.template.name}（{self.period_label}）"

    def get_absolute_url(self) -> str:
        return reverse("reporting:report", args=[self.pk])

    def audit_bureau_id(self) -> int | None:
        return self.bureau_id or self.template.bureau_id

    @property
    def bureau_code(self) -> str:
        return self.bureau.code if self.bureau_id else self.external_bureau_code

    @property
    def bureau_name(self) -> str:
        return self.bureau.name if self.bureau_id else self.external_bureau_name

    @property
    def is_external(self) -> bool:
        return self.bureau_id is None


class Revision(models.Model):
    """报送版本: one submission as it was sent, and the superior's answer to it. Never changed afterwards
    but for that answer (accepted, or returned with the reason and the new due date)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("版本"))
    submitted_at = models.DateTimeField(_("报送时间"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by_name = models.CharField(_("报送人"), max_length=100, blank=True)
    due = models.DateField(_("当时的报送期限"), null=True, blank=True)
    late = models.BooleanField(_("逾期报送"), default=False)
    note = models.TextField(_("报送说明"), blank=True)
    external_ref = models.CharField(_("消息编号"), max_length=100, blank=True, db_index=True)
    outcome = models.CharField(_("审核结果"), max_length=10, choices=Outcome.choices, blank=True, default="")
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by_name = models.CharField(_("审核人"), max_length=100, blank=True)
    review_comment = models.TextField(_("审核意见/退回理由"), blank=True)
    correction_due = models.DateField(_("更正期限"), null=True, blank=True)
    correction_basis = models.TextField(_("更正期限依据"), blank=True)
    review_ref = models.CharField(_("审核消息编号"), max_length=100, blank=True, db_index=True)

    class Meta:
        verbose_name = _("报送版本")
        verbose_name_plural = _("报送版本")
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="reporting_revision_once")]

    def __str__(self) -> str:
        return f"{self.report} 第{self.number}版"


class RevisionFigure(models.Model):
    """One figure of a revision: the value computed by the statistics registry then, with its 口径 as it read
    then, the value reported (the computed one unless corrected by hand with the reason) and the note."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="figures")
    key = models.CharField(_("指标"), max_length=60)
    label = models.CharField(_("指标名称"), max_length=100)
    unit = models.CharField(_("单位"), max_length=4)
    basis_zh = models.TextField(_("统计口径"))
    basis_en = models.TextField(_("统计口径（英文）"), blank=True)
    computed = models.DecimalField(_("系统统计值"), max_digits=18, decimal_places=2, null=True, blank=True)
    value = models.DecimalField(_("报送值"), max_digits=18, decimal_places=2, null=True, blank=True)
    correction_reason = models.TextField(_("更正理由"), blank=True)
    note = models.TextField(_("说明"), blank=True)
    records_url = models.CharField(_("记录清单"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("报送指标")
        verbose_name_plural = _("报送指标")
        ordering = ["revision", "id"]
        constraints = [models.UniqueConstraint(fields=["revision", "key"], name="reporting_figure_once")]

    def __str__(self) -> str:
        return f"{self.label}={self.value}"

    @property
    def corrected(self) -> bool:
        return self.computed is not None and self.value is not None and self.value != self.computed
