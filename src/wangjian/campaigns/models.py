"""Campaigns (专项行动): phases, tasks per unit, links to records, monthly tables, typical cases and media,
the final summary, 督查 groups with scores, and 重点时段 that raise sweep frequency.

A campaign belongs to the bureau that runs it; its reporting units (``CampaignUnit``) are that bureau's
departments and stations and the bureaus below it (a city's campaign assigns district and county bureaus,
which report to the city's office). Each unit owes one table (``UnitReport``) per reporting period
(``Period``): monthly, due on the 28th (the last working day before it when the 28th is not one), and a
final summary. A table's columns are the campaign's (``Campaign.columns``): each computed from the
statistics registry for that unit and month where a figure exists, else entered by the unit.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wangjian.core.models import AuditedModel


def media_storage():
    """Photos and videos in the ``campaigns`` area of ``WANGJIAN_STORAGE`` (a folder, or S3)."""
    from wangjian.core.storage import AreaStorage

    return AreaStorage("campaigns")


class Campaign(AuditedModel):
    """A campaign (专项行动) of a bureau: its plan, phases, units, periods and summary."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="campaigns"
    )
    title = models.CharField(_("行动名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    lead_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("牵头单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document_number = models.CharField(_("方案文号"), max_length=80, blank=True)
    basis = models.TextField(_("工作依据"), blank=True)
    description = models.TextField(_("行动内容"), blank=True)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    due_day = models.PositiveSmallIntegerField(
        _("每月报送日"), default=28, help_text=_("遇非工作日提前到此前最后一个工作日")
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("提前提醒（工作日）"), default=3, help_text=_("报送日前若干个工作日起每日提醒未报送的单位")
    )
    summary_due = models.DateField(_("总结报送日"), null=True, blank=True)
    columns = models.JSONField(_("统计表栏目"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("专项行动")
        verbose_name_plural = _("专项行动")
        ordering = ["-year", "-start", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:campaign", args=[self.pk])


class Phase(models.Model):
    """A phase (动员部署, 集中联合检查, 督查, 总结): its dates may overlap the others'."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("阶段"), max_length=60)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    note = models.TextField(_("工作要求"), blank=True)

    class Meta:
        verbose_name = _("行动阶段")
        verbose_name_plural = _("行动阶段")
        ordering = ["start", "id"]

    def __str__(self) -> str:
        return self.name


class CampaignUnit(models.Model):
    """A unit that takes part and reports: a department or station of the bureau, or a bureau below it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="units")
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    station = models.ForeignKey(
        "org.Station", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    bureau = models.ForeignKey(
        "org.Bureau",
        verbose_name=_("下级局"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("参加单位")
        verbose_name_plural = _("参加单位")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "department"], name="campaign_unit_department"),
            models.UniqueConstraint(fields=["campaign", "station"], name="campaign_unit_station"),
            models.UniqueConstraint(fields=["campaign", "bureau"], name="campaign_unit_bureau"),
        ]

    def __str__(self) -> str:
        return str(self.department or self.station or self.bureau)

    @property
    def kind(self) -> str:
        return "department" if self.department_id else "station" if self.station_id else "bureau"


class CampaignTask(AuditedModel):
    """A task of the campaign handed to a unit: a work item in that unit's inbox with its deadline."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks")
    unit = models.ForeignKey(
        CampaignUnit, verbose_name=_("承办单位"), on_delete=models.CASCADE, related_name="tasks"
    )
    phase = models.ForeignKey(
        Phase, verbose_name=_("阶段"), null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    title = models.CharField(_("任务"), max_length=200)
    body = models.TextField(_("任务要求"), blank=True)
    due = models.DateField(_("完成期限"))
    work_item = models.ForeignKey(
        "platform.WorkItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("行动任务")
        verbose_name_plural = _("行动任务")
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.title

    def audit_bureau_id(self) -> int | None:
        return self.campaign.bureau_id

    def get_absolute_url(self) -> str:
        return reverse("campaigns:campaign", args=[self.campaign_id]) + f"#task-{self.pk}"


class CampaignLink(models.Model):
    """A record linked to the campaign: a monitoring task, a rule library, a clue, a case, a complaint,
    an inspection plan (any model: content type and id, with the label and address as they were)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="links")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    label = models.CharField(_("名称"), max_length=300)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    added_at = models.DateTimeField(_("关联时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("关联事项")
        verbose_name_plural = _("关联事项")
        ordering = ["content_type_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "content_type", "object_id"], name="campaign_link_once"
            )
        ]

    def __str__(self) -> str:
        return self.label


class PeriodKind(models.TextChoices):
    MONTH = "month", _("月报")
    FINAL = "final", _("总结")


class Period(models.Model):
    """A reporting period: a month (due on the campaign's day) or the final summary (its own due date)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="periods")
    kind = models.CharField(_("类型"), max_length=8, choices=PeriodKind.choices, default=PeriodKind.MONTH)
    start = models.DateField(_("统计起始日"))
    end = models.DateField(_("统计截止日"))
    due = models.DateField(_("报送期限"))
    due_basis = models.CharField(_("期限依据"), max_length=300, blank=True)
    late_marked_on = models.DateField(_("逾期标记日"), null=True, blank=True)

    class Meta:
        verbose_name = _("报送期")
        verbose_name_plural = _("报送期")
        ordering = ["campaign", "start", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind", "start"], name="campaign_period_once")
        ]

    def __str__(self) -> str:
        if self.kind == PeriodKind.FINAL:
            return f"{self.campaign.title} 总结"
        return f"{self.start:%Y年%m月}"

    @property
    def label(self) -> str:
        return "总结" if self.kind == PeriodKind.FINAL else f"{self.start.year}年{self.start.month}月"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:period", args=[self.pk])


class ReportState(models.TextChoices):
    DRAFT = "draft", _("填报中")
    SUBMITTED = "submitted", _("已报送")


class UnitReport(AuditedModel):
    """A unit's table for a period (统计表): the values by column and its brief text (文字说明)."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(CampaignUnit, on_delete=models.CASCADE, related_name="reports")
    state = models.CharField(_("状态"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT)
    text = models.TextField(_("文字说明"), blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    late = models.BooleanField(_("逾期"), default=False)

    class Meta:
        verbose_name = _("单位统计表")
        verbose_name_plural = _("单位统计表")
        ordering = ["period", "unit"]
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="campaign_report_once")]

    def __str__(self) -> str:
        return f"{self.unit} {self.period.label}"

    def audit_bureau_id(self) -> int | None:
        return self.period.campaign.bureau_id

    def get_absolute_url(self) -> str:
        return reverse("campaigns:report", args=[self.pk])


class ReportValue(models.Model):
    """One cell: the value computed from the system (kept as it was at submission), and what the unit
    entered; an entry that differs from a computed value carries its reason."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="values")
    column = models.CharField(_("栏目"), max_length=40)
    computed = models.DecimalField(_("系统统计值"), max_digits=16, decimal_places=2, null=True, blank=True)
    entered = models.DecimalField(_("填报值"), max_digits=16, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("修改理由"), blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(_("填报时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("统计表数值")
        verbose_name_plural = _("统计表数值")
        constraints = [models.UniqueConstraint(fields=["report", "column"], name="campaign_value_once")]

    def __str__(self) -> str:
        return f"{self.column}={self.value}"

    @property
    def value(self):
        return self.entered if self.entered is not None else self.computed


class Reminder(models.Model):
    """A reminder sent to a unit that had not submitted, N working days before the due day (once each)."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(CampaignUnit, on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField(_("距报送日（工作日）"))
    sent_on = models.DateField(_("提醒日期"))

    class Meta:
        verbose_name = _("报送提醒")
        verbose_name_plural = _("报送提醒")
        constraints = [
            models.UniqueConstraint(fields=["period", "unit", "days_before"], name="campaign_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}:{self.days_before}"


class TypicalCase(models.Model):
    """A typical case (典型案例) of the campaign: a case flagged typical, with its decision documents."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="typical_cases")
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("案例简介"), blank=True)

    class Meta:
        verbose_name = _("典型案例")
        verbose_name_plural = _("典型案例")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "case"], name="campaign_typical_once")]

    def __str__(self) -> str:
        return str(self.case)


class MediaKind(models.TextChoices):
    PHOTO = "photo", _("照片")
    VIDEO = "video", _("视频")
    OTHER = "other", _("其他")


class Media(models.Model):
    """A photo or video of the campaign's work, with its description; stored and hashed as evidence is."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(_("类型"), max_length=8, choices=MediaKind.choices)
    file = models.FileField(_("文件"), upload_to="%Y/%m/", storage=media_storage)
    name = models.CharField(_("文件名"), max_length=200)
    description = models.TextField(_("说明"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("字节数"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("图片视频")
        verbose_name_plural = _("图片视频")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class InspectionGroup(models.Model):
    """A 督查组: who is in it and its score and comment for each unit it inspected."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("督查组"), max_length=100)
    leader = models.CharField(_("组长"), max_length=100, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("成员"), blank=True, related_name="+"
    )
    other_members = models.CharField(_("其他成员"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("督查组")
        verbose_name_plural = _("督查组")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class GroupScore(models.Model):
    group = models.ForeignKey(InspectionGroup, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey(CampaignUnit, on_delete=models.CASCADE, related_name="scores")
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)
    comment = models.TextField(_("督查意见"), blank=True)
    scored_at = models.DateField(_("督查日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("督查评分")
        verbose_name_plural = _("督查评分")
        constraints = [models.UniqueConstraint(fields=["group", "unit"], name="campaign_score_once")]

    def __str__(self) -> str:
        return f"{self.group} {self.score}"


class KeyPeriod(models.Model):
    """A 重点时段 (双十一, 618, a holiday): the linked monitoring tasks sweep more often during it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="key_periods")
    name = models.CharField(_("重点时段"), max_length=60)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))

    class Meta:
        verbose_name = _("重点时段")
        verbose_name_plural = _("重点时段")
        ordering = ["start", "id"]

    def __str__(self) -> str:
        return self.name


class SweepBoost(models.Model):
    """During a key period, this monitoring task runs every ``interval_hours`` (instead of its own)."""

    key_period = models.ForeignKey(KeyPeriod, on_delete=models.CASCADE, related_name="boosts")
    task = models.ForeignKey("monitoring.MonitoringTask", on_delete=models.CASCADE, related_name="+")
    interval_hours = models.PositiveIntegerField(_("重点时段执行周期（小时）"))

    class Meta:
        verbose_name = _("重点时段监测频次")
        verbose_name_plural = _("重点时段监测频次")
        constraints = [models.UniqueConstraint(fields=["key_period", "task"], name="campaign_boost_once")]

    def __str__(self) -> str:
        return f"{self.key_period} {self.interval_hours}h"
