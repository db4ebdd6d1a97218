"""The inbox: a message per user and event, push addresses (Apprise) and each push sent.

Messages link to what they are about by natural reference (``subject_type`` ``clues.clue``,
``org.notice`` …) and a URL, so any app's item can be in the same inbox. ``key`` names the
event and makes each message exist once whatever the retries; a notice's read receipt is its
message's ``read_at``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangjian.core.models import AuditedModel


class MessageKind(models.TextChoices):
    NOTICE = "notice", _("通知通报")
    ASSIGNED = "assigned", _("新分派")
    REMIND = "remind", _("到期提醒")
    OVERDUE = "overdue", _("逾期")
    ESCALATED = "escalated", _("督办")
    STATE = "state", _("状态变化")
    RETURNED = "returned", _("退回")
    TRANSFERRED = "transferred", _("外局移交")
    TASK = "task", _("待办事项")


class MessageQuerySet(models.QuerySet):
    def about(self, obj: models.Model) -> MessageQuerySet:
        return self.filter(subject_type=obj._meta.label_lower, subject_id=str(obj.pk))


class Message(models.Model):
    """An in-app message for one user; ``key`` makes each exist once even when its job is retried."""

    key = models.CharField(_("幂等键"), max_length=200, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="inbox"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=MessageKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    urgent = models.BooleanField(_("紧急"), default=False)
    subject_type = models.CharField(_("关于"), max_length=64, blank=True)
    subject_id = models.CharField(_("对象"), max_length=64, blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["user", "read_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class PushAddress(AuditedModel):
    """An Apprise URL (mailto://, dingtalk://, wecombot:// …) of a user or a unit, or a bureau's webhook.

    May hold tokens, so masked in the change log. A bureau's webhook receives every event of
    the bureau's workflows (another system following the loop).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="push_addresses",
    )
    department = models.ForeignKey(
        "org.Department", verbose_name=_("科室"), null=True, blank=True, on_delete=models.CASCADE
    )
    station = models.ForeignKey(
        "org.Station", verbose_name=_("基层所"), null=True, blank=True, on_delete=models.CASCADE
    )
    bureau = models.ForeignKey(
        "org.Bureau",
        verbose_name=_("本局全部事件（Webhook）"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    label = models.CharField(_("名称"), max_length=100, blank=True)
    url = models.CharField(_("Apprise 地址"), max_length=500)
    is_active = models.BooleanField(_("在用"), default=True)

    audit_masked = ("url",)

    class Meta:
        verbose_name = _("推送地址")
        verbose_name_plural = _("推送地址")

    def __str__(self) -> str:
        return self.label or self.url.split("://", 1)[0]

    def audit_bureau_id(self) -> int | None:
        if self.bureau_id:
            return self.bureau_id
        owner = self.user or self.department or self.station
        return getattr(owner, "bureau_id", None)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    DEFERRED = "deferred", _("非工作时间暂缓")
    FAILED = "failed", _("发送失败")


class Delivery(models.Model):
    """One push to one address; ``key`` is unique so each push exists (and is sent) once."""

    key = models.CharField(_("幂等键"), max_length=220, unique=True)
    message = models.ForeignKey(
        Message,
        verbose_name=_("消息"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    address = models.ForeignKey(
        PushAddress, verbose_name=_("推送地址"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    urgent = models.BooleanField(_("紧急"), default=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.key} {self.get_status_display()}"
