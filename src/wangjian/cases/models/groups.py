"""Joint case groups (联合办案组): formed by the leading-group office across departments and bureaus.

A member sees the case even in another bureau, as clue sharing lets a partner see a shared clue;
the group keeps its tasks (with owners and due dates) and its journal (办案日志) beside the case.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GroupReason(models.TextChoices):
    MAJOR = "major", _("重大案件")
    DIFFICULT = "difficult", _("疑难复杂案件")
    CROSS_REGION = "cross_region", _("跨区域案件")
    CROSS_DEPARTMENT = "cross_department", _("涉及多个部门")


class MemberRole(models.TextChoices):
    LEAD = "lead", _("组长")
    MEMBER = "member", _("成员")
    LIAISON = "liaison", _("联络员")


class TaskState(models.TextChoices):
    OPEN = "open", _("进行中")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class JointGroup(models.Model):
    """The group formed for one case."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="group")
    name = models.CharField(_("办案组名称"), max_length=100)
    reason = models.CharField(_("成立理由"), max_length=20, choices=GroupReason.choices)
    note = models.TextField(_("说明"), blank=True)
    formed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("组建人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    formed_at = models.DateTimeField(_("组建时间"), default=timezone.now)
    dissolved_at = models.DateTimeField(_("解散时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("联合办案组")
        verbose_name_plural = _("联合办案组")

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    """A member from any department or bureau; ``left_at`` ends the membership (and the visibility)."""

    group = models.ForeignKey(JointGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("成员"), on_delete=models.PROTECT, related_name="case_groups"
    )
    role = models.CharField(_("职责"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("添加人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("加入时间"), default=timezone.now)
    left_at = models.DateTimeField(_("退出时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("办案组成员")
        verbose_name_plural = _("办案组成员")
        ordering = ["role", "id"]
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="cases_group_member_unique")]

    def __str__(self) -> str:
        return f"{self.user}（{self.get_role_display()}）"


class GroupTask(models.Model):
    """A task of the group with its owner and due date."""

    group = models.ForeignKey(JointGroup, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("任务"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("负责人"), on_delete=models.PROTECT, related_name="+"
    )
    due = models.DateField(_("完成期限"))
    state = models.CharField(_("状态"), max_length=10, choices=TaskState.choices, default=TaskState.OPEN)
    result = models.TextField(_("完成情况"), blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("布置人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("布置时间"), default=timezone.now)

    class Meta:
        verbose_name = _("办案组任务")
        verbose_name_plural = _("办案组任务")
        ordering = ["state", "due", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def overdue(self) -> bool:
        return self.state == TaskState.OPEN and self.due < timezone.localdate()


class JournalEntry(models.Model):
    """The group's journal (办案日志): meetings, findings and decisions, in order; entries are never edited."""

    group = models.ForeignKey(JointGroup, on_delete=models.CASCADE, related_name="journal")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_name = models.CharField(_("记录人姓名"), max_length=50)
    author_bureau = models.CharField(_("记录人单位"), max_length=100, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    text = models.TextField(_("内容"))

    class Meta:
        verbose_name = _("办案日志")
        verbose_name_plural = _("办案日志")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.author_name} {self.at:%Y-%m-%d %H:%M}"
