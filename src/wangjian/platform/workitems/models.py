"""Work items (待办) and their 督办: one kind for every app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangjian.core.models import AuditedModel


class WorkItemState(models.TextChoices):
    OPEN = "open", _("待办")
    DONE = "done", _("已办结")
    CANCELLED = "cancelled", _("已撤销")


class EscalationLevel(models.IntegerChoices):
    OFFICE = 1, _("一级督办（领导小组办公室）")
    LEADING_GROUP = 2, _("二级督办（领导小组）")


class WorkItem(AuditedModel):
    """A work item (待办): something a unit or a person owes by a deadline, from any app.

    What it is about is named by reference (``subject_type`` ``clues.clue`` and ``subject_id``)
    and a link, so any app's items share one list, one reminder job and one 督办. The deadline
    comes from a clock of the catalogue (``clock``, ``variant``, ``start``) with its basis, or is
    given; a provisional deadline is computed again until it is final.
    """

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=64)
    reference = models.CharField(_("编号"), max_length=80, blank=True, db_index=True)
    title = models.CharField(_("事项"), max_length=200)
    body = models.TextField(_("说明"), blank=True)
    domain = models.CharField(_("监管领域"), max_length=32, blank=True)
    subject_type = models.CharField(_("关于"), max_length=64, blank=True)
    subject_id = models.CharField(_("对象"), max_length=64, blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("承办科室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    station = models.ForeignKey(
        "org.Station",
        verbose_name=_("承办基层所"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="work_items",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("交办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    clock = models.CharField(_("时限"), max_length=64, blank=True)
    variant = models.CharField(_("适用情形"), max_length=32, blank=True)
    start = models.DateField(_("起算日"), null=True, blank=True)
    period_days = models.PositiveSmallIntegerField(_("交办期限（工作日）"), null=True, blank=True)
    due = models.DateField(_("期限"), null=True, blank=True, db_index=True)
    due_basis = models.TextField(_("期限依据"), blank=True)
    due_provisional = models.BooleanField(_("期限暂定"), default=False)
    # Another clock's deadline this one may not pass (a clue's feedback and disposal end by the
    # filing decision's deadline: 程序规定 art. 18), and the reason an officer reads.
    due_cap = models.DateField(_("不得晚于"), null=True, blank=True)
    # db_default: rows written by an older migration's data step (which knows no cap) get "" too
    due_cap_basis = models.CharField(_("上限依据"), max_length=300, blank=True, default="", db_default="")
    urgent = models.BooleanField(_("紧急"), default=False)
    state = models.CharField(
        _("状态"), max_length=10, choices=WorkItemState.choices, default=WorkItemState.OPEN, db_index=True
    )
    done_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    result = models.TextField(_("办理结果"), blank=True)
    overdue = models.BooleanField(_("逾期"), default=False)
    overdue_at = models.DateTimeField(_("标记逾期时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待办事项")
        verbose_name_plural = _("待办事项")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["bureau", "state"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("platform:workitem", args=[self.pk])

    @property
    def unit(self):
        return self.station or self.department

    @property
    def is_open(self) -> bool:
        return self.state == WorkItemState.OPEN


class Escalation(models.Model):
    """督办: the office (level 1) or the leading group (level 2) demands an answer on a work item."""

    item = models.ForeignKey(
        WorkItem, verbose_name=_("待办事项"), on_delete=models.CASCADE, related_name="escalations"
    )
    level = models.PositiveSmallIntegerField(_("督办级别"), choices=EscalationLevel.choices)
    note = models.TextField(_("督办意见"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("督办时间"), default=timezone.now)
    answer_due = models.DateField(_("答复期限"), null=True, blank=True)
    answer_provisional = models.BooleanField(_("答复期限暂定"), default=False)
    automatic = models.BooleanField(_("自动督办"), default=False)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["raised_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.item}"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


class ClockStop(models.Model):
    """Time that does not count on an item's clock (不计入期间): from ``start`` to ``end`` (both included).

    Which kinds may stop which clock is the catalogue's (``platform.clocks``); an open stop
    (``end`` empty) halts the clock, and the item has no deadline until it ends.
    """

    item = models.ForeignKey(
        WorkItem, verbose_name=_("待办事项"), on_delete=models.CASCADE, related_name="stops"
    )
    kind = models.CharField(_("不计入事由"), max_length=20)
    start = models.DateField(_("开始"))
    end = models.DateField(_("结束"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("不计入期间")
        verbose_name_plural = _("不计入期间")
        ordering = ["start", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.start}—{self.end or '至今'}"


class ClockExtension(models.Model):
    """More time on an item's clock, approved by someone who may approve it (延长期限须经批准)."""

    item = models.ForeignKey(
        WorkItem, verbose_name=_("待办事项"), on_delete=models.CASCADE, related_name="extensions"
    )
    length = models.PositiveSmallIntegerField(_("延长"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approver_name = models.CharField(_("批准人姓名"), max_length=50)
    approved_on = models.DateField(_("批准日期"))
    basis = models.CharField(_("理由"), max_length=300, blank=True)
    collective = models.BooleanField(_("集体讨论决定"), default=False)
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("延长期限")
        verbose_name_plural = _("延长期限")
        ordering = ["approved_on", "id"]

    def __str__(self) -> str:
        return f"+{self.length} {self.approver_name} {self.approved_on}"
