"""The leading group's year (领导小组工作): the annual work plan with tasks per member unit, meetings with their
纪要 and decisions (议定事项), the member units' yearly summaries, the yearly assessment (考核) and the
training and publicity activities.

常州's work rules (2016, 三、工作规则和要求): each member unit names a liaison; a yearly summary reaches the
leading group's office by the end of November; the members meet once a year (and when needed); the
group's decisions are written in a 纪要, the units carry them out and the office follows them up (督办) and
sums up their completion. 山东's norms put online supervision into the yearly assessment of the units.
A plan task and a decision are each a platform work item (``platform.workitems``): their deadline, reminders,
overdue marking and 督办 are the platform's, and their state is the item's (never copied here).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wangjian.core.models import AuditedModel


class MeetingKind(models.TextChoices):
    PLENARY = "plenary", _("全体成员会议")
    DISPATCH = "dispatch", _("调度会")
    ANALYSIS = "analysis", _("分析会")
    JOINT = "joint", _("联席会议")


class ActivityKind(models.TextChoices):
    TRAINING = "training", _("培训")
    PUBLICITY = "publicity", _("宣传")


class Scoring(models.TextChoices):
    VALUE = "value", _("指标值即得分（如按期率%）")
    RELATIVE = "relative", _("按最高单位折算为百分制")
    MANUAL = "manual", _("人工评分（须说明理由）")


class UnitMixin(models.Model):
    """A member unit: a department (科室) or a station (基层所), as ``org`` represents them."""

    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("成员单位（科室）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    station = models.ForeignKey(
        "org.Station",
        verbose_name=_("成员单位（基层所）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def unit(self):
        return self.station or self.department

    @property
    def unit_key(self) -> str:
        return f"s{self.station_id}" if self.station_id else f"d{self.department_id}"


class AnnualPlan(AuditedModel):
    """年度工作计划: the bureau's year for the leading group — its plan, the summaries' due day, the assessment."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("工作要点"), blank=True)
    summary_due = models.DateField(_("年度工作总结报送截止日"))
    summary_remind_days = models.PositiveSmallIntegerField(_("提前提醒（工作日）"), default=5)

    class Meta:
        verbose_name = _("年度工作计划")
        verbose_name_plural = _("年度工作计划")
        ordering = ["-year", "bureau__code"]
        constraints = [models.UniqueConstraint(fields=["bureau", "year"], name="leadership_plan_unique_year")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("leadership:plan", args=[self.pk])

    def audit_bureau_id(self) -> int | None:
        return self.bureau_id

    @staticmethod
    def default_summary_due(year: int) -> dt.date:
        """常州: 每年11月底前报领导小组办公室."""
        return dt.date(year, 11, 30)


class PlanTask(UnitMixin, AuditedModel):
    """A task of the year's plan for one member unit: a platform work item with its due date."""

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("年度工作计划"), on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(_("任务"), max_length=200)
    body = models.TextField(_("要求"), blank=True)
    due = models.DateField(_("完成期限"))
    work_item = models.OneToOneField(
        "platform.WorkItem", verbose_name=_("待办事项"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("年度工作任务")
        verbose_name_plural = _("年度工作任务")
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("leadership:plan", args=[self.plan_id])

    def audit_bureau_id(self) -> int | None:
        return self.plan.bureau_id


class Meeting(AuditedModel):
    """A meeting of the leading group (全体成员会议 yearly, 调度会, 分析会, 联席会议 with outside agencies)."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("会议类型"), max_length=12, choices=MeetingKind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("主持人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("参会人员"), blank=True, related_name="+"
    )
    outside_attendees = models.TextField(
        _("外单位参会人员"),
        blank=True,
        help_text=_("一行一人：单位 姓名 职务（联席会议的公安、网信、通信管理等部门）"),
    )
    minutes = models.TextField(_("会议记录"), blank=True)
    summary = models.TextField(_("会议纪要"), blank=True)
    summary_number = models.CharField(_("纪要文号"), max_length=80, blank=True)
    summary_issued_at = models.DateTimeField(_("纪要印发时间"), null=True, blank=True)
    summary_issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("纪要印发人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("领导小组会议")
        verbose_name_plural = _("领导小组会议")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("leadership:meeting", args=[self.pk])

    def audit_bureau_id(self) -> int | None:
        return self.bureau_id

    @property
    def issued(self) -> bool:
        return bool(self.summary_number)

    def outside_list(self) -> list[str]:
        return [line.strip() for line in self.outside_attendees.splitlines() if line.strip()]


class Decision(UnitMixin, AuditedModel):
    """议定事项: one decision of the 纪要, for a member unit by a deadline; a work item once the 纪要 is issued."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="decisions"
    )
    seq = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("议定事项"))
    due = models.DateField(_("完成期限"))
    work_item = models.OneToOneField(
        "platform.WorkItem",
        verbose_name=_("待办事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")
        ordering = ["meeting_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["meeting", "seq"], name="leadership_decision_seq")]

    def __str__(self) -> str:
        return f"{self.meeting} 第{self.seq}项"

    def get_absolute_url(self) -> str:
        return reverse("leadership:meeting", args=[self.meeting_id])

    def audit_bureau_id(self) -> int | None:
        return self.meeting.bureau_id


def summary_attachment_storage():
    """Attachments of yearly summaries in the ``leadership`` area of ``WANGJIAN_STORAGE`` (a folder, or S3)."""
    from wangjian.core.storage import AreaStorage

    return AreaStorage("leadership")


class YearSummary(UnitMixin, AuditedModel):
    """年度工作总结: a member unit's yearly summary to the leading group's office, due by the plan's day."""

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("年度工作计划"), on_delete=models.CASCADE, related_name="summaries"
    )
    text = models.TextField(_("总结"), blank=True)
    attachment = models.FileField(
        _("附件"), upload_to="summaries/%Y/", storage=summary_attachment_storage, blank=True
    )
    attachment_name = models.CharField(_("附件名"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    late = models.BooleanField(_("逾期报送"), default=False)

    audit_ignore = ("attachment",)  # the file's name is logged (attachment_name), not the file object

    class Meta:
        verbose_name = _("年度工作总结")
        verbose_name_plural = _("年度工作总结")
        ordering = ["plan_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "department"],
                condition=models.Q(station__isnull=True),
                name="leadership_summary_department",
            ),
            models.UniqueConstraint(
                fields=["plan", "station"],
                condition=models.Q(station__isnull=False),
                name="leadership_summary_station",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.year}年 {self.unit} 年度工作总结"

    def get_absolute_url(self) -> str:
        return reverse("leadership:summaries", args=[self.plan_id])

    def audit_bureau_id(self) -> int | None:
        return self.plan.bureau_id


class Criterion(AuditedModel):
    """考核指标: a criterion of the year's assessment, fed by a figure of the statistics registry or scored by hand.

    ``figure`` alone: its value; with ``denominator``: the rate ``figure / denominator`` in % (clues fed back on
    time: ``clues_fed_back_on_time`` / ``clues_fed_back``). ``scoring`` says how the value becomes a score.
    """

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("年度工作计划"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("指标名称"), max_length=100)
    weight = models.DecimalField(_("权重（分）"), max_digits=5, decimal_places=1)
    scoring = models.CharField(_("计分方式"), max_length=10, choices=Scoring.choices, default=Scoring.VALUE)
    figure = models.CharField(_("统计指标"), max_length=64, blank=True)
    denominator = models.CharField(_("分母指标（计算比率）"), max_length=64, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["plan_id", "order", "id"]

    def __str__(self) -> str:
        return self.name

    def audit_bureau_id(self) -> int | None:
        return self.plan.bureau_id


class Score(UnitMixin, AuditedModel):
    """A unit's score on one criterion: the computed value and score, or a score set by hand with its reason."""

    criterion = models.ForeignKey(
        Criterion, verbose_name=_("考核指标"), on_delete=models.CASCADE, related_name="scores"
    )
    value = models.DecimalField(_("指标值"), max_digits=14, decimal_places=2, null=True, blank=True)
    computed = models.DecimalField(_("计算得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    score = models.DecimalField(_("得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    reason = models.CharField(_("评分理由"), max_length=300, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评分人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    edited_at = models.DateTimeField(_("评分时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("考核得分")
        verbose_name_plural = _("考核得分")
        ordering = ["criterion_id", "id"]

    def __str__(self) -> str:
        return f"{self.criterion} {self.unit}"

    def audit_bureau_id(self) -> int | None:
        return self.criterion.plan.bureau_id

    @property
    def final(self):
        """The score set by hand, else the computed one."""
        return self.score if self.score is not None else self.computed


class Activity(UnitMixin, AuditedModel):
    """培训、宣传: a training or publicity activity, recorded."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=10, choices=ActivityKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    participants = models.PositiveIntegerField(_("参加人数"), default=0)
    description = models.TextField(_("内容"), blank=True)

    class Meta:
        verbose_name = _("培训宣传活动")
        verbose_name_plural = _("培训宣传活动")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def audit_bureau_id(self) -> int | None:
        return self.bureau_id
