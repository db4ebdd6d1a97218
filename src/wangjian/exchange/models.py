"""Partners, agreements, messages and the evidence packages that arrived with them.

A partner (协作单位) is a bureau on another wangjian instance: its code, its endpoint and the public keys it
published; the agreement (协作协议) says which categories of item it may receive and whether personal data goes
unmasked. Every message, sent or received, refused or not, is kept with its exact signed bytes and its events, so
both sides hold the same container and can show what was exchanged, when and with what answer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wangjian.core.models import AuditedModel


def bundle_storage():
    """The exchanged containers in the ``exchange`` area of ``WANGJIAN_STORAGE``."""
    from wangjian.core.storage import AreaStorage

    return AreaStorage("exchange")


class Category(models.TextChoices):
    """What a partner may receive (协作协议的范围)."""

    REPORTING = "reporting", _("信息报送")
    DATA = "data", _("数据共享")
    ENFORCEMENT = "enforcement", _("执法协作")
    CONSUMER = "consumer", _("消费维权")


class Partner(AuditedModel):
    """A bureau on another instance with which one of ours exchanges messages."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("本局"), on_delete=models.PROTECT, related_name="exchange_partners"
    )
    code = models.CharField(_("对方行政区划代码"), max_length=12)
    name = models.CharField(_("对方单位名称"), max_length=100)
    endpoint = models.URLField(
        _("对方接收地址"),
        blank=True,
        help_text=_("对方实例的网址，如 https://wj.example.gov.cn/；留空则只用文件交换（内网无直连时）"),
    )
    public_key_pem = models.TextField(_("签名公钥（Ed25519，PEM）"))
    fingerprint = models.CharField(_("签名公钥指纹"), max_length=64)
    package_public_key_pem = models.TextField(_("证据包签名公钥（ECDSA P-256，PEM）"), blank=True)
    package_fingerprint = models.CharField(_("证据包公钥指纹"), max_length=64, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("协作单位")
        verbose_name_plural = _("协作单位")
        ordering = ["bureau_id", "code"]
        constraints = [models.UniqueConstraint(fields=["bureau", "code"], name="exchange_partner_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def get_absolute_url(self) -> str:
        return reverse("exchange:partner", args=[self.pk])


class Agreement(AuditedModel):
    """The cooperation agreement with a partner: what it may receive and how (协作协议)."""

    partner = models.OneToOneField(
        Partner, verbose_name=_("协作单位"), on_delete=models.CASCADE, related_name="agreement"
    )
    reference = models.CharField(_("协议名称或文号"), max_length=200)
    categories = models.JSONField(_("协作范围"), default=list)
    personal_data = models.BooleanField(
        _("可提供个人信息"), default=False, help_text=_("不勾选时，发送的举报人、投诉人等个人信息一律遮蔽")
    )
    review_before_sending = models.BooleanField(_("发送前须审核"), default=True)
    valid_from = models.DateField(_("生效日期"))
    valid_until = models.DateField(_("终止日期"), null=True, blank=True)
    assistance_days = models.PositiveSmallIntegerField(
        _("协查期限（工作日）"),
        null=True,
        blank=True,
        help_text=_("留空按《市场监督管理行政处罚程序规定》十五个工作日"),
    )

    class Meta:
        verbose_name = _("协作协议")
        verbose_name_plural = _("协作协议")

    def __str__(self) -> str:
        return self.reference

    def category_labels(self) -> list[str]:
        labels = dict(Category.choices)
        return [str(labels.get(c, c)) for c in self.categories]


class Direction(models.TextChoices):
    OUT = "out", _("发出")
    IN = "in", _("收到")


class State(models.TextChoices):
    REVIEW = "review", _("待审核")
    QUEUED = "queued", _("待发送")
    RETRYING = "retrying", _("重试中")
    DELIVERED = "delivered", _("对方已接收")
    EXPORTED = "exported", _("已导出待回执")
    FAILED = "failed", _("发送失败")
    WITHDRAWN = "withdrawn", _("审核未通过")
    REFUSED = "refused", _("被拒收")
    ACCEPTED = "accepted", _("已接收")


OPEN_OUT = (State.REVIEW, State.QUEUED, State.RETRYING, State.EXPORTED)


class Message(models.Model):
    """One message, sent or received, with its exact signed container and the answer to it."""

    bureau = models.ForeignKey(
        "org.Bureau",
        verbose_name=_("本局"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("协作单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    direction = models.CharField(_("方向"), max_length=3, choices=Direction.choices)
    message_id = models.CharField(_("报文编号"), max_length=40)
    in_reply_to = models.CharField(_("答复的报文"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=40)
    category = models.CharField(_("协作范围"), max_length=20, choices=Category.choices, blank=True)
    title = models.CharField(_("摘要"), max_length=300, blank=True)
    sender_code = models.CharField(_("发送方代码"), max_length=12)
    recipient_code = models.CharField(_("接收方代码"), max_length=12)
    created_at = models.DateTimeField(_("报文时间"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices)
    body = models.JSONField(_("内容"), default=dict)
    bundle = models.FileField(_("报文文件"), upload_to="%Y/%m/", storage=bundle_storage, blank=True)
    bundle_sha256 = models.CharField(_("报文SHA-256"), max_length=64, blank=True)
    envelope_sha256 = models.CharField(_("信封SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    attempts = models.PositiveIntegerField(_("发送次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次发送"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    receipt = models.JSONField(_("回执"), default=dict, blank=True)
    reason_zh = models.CharField(_("拒收理由"), max_length=500, blank=True)
    reason_en = models.CharField(_("拒收理由（英文）"), max_length=500, blank=True)
    refusal_code = models.CharField(_("拒收类别"), max_length=20, blank=True)
    result = models.JSONField(_("处理结果"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("协作报文")
        verbose_name_plural = _("协作报文")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            # the idempotency key: a sender's message id is received (and sent) once
            models.UniqueConstraint(
                fields=["direction", "sender_code", "message_id"],
                condition=~models.Q(state="refused", direction="in"),
                name="exchange_message_once",
            )
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="exchange_due"),
            models.Index(fields=["bureau", "direction", "-recorded_at"], name="exchange_list"),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.kind} {self.message_id[:8]}"

    def get_absolute_url(self) -> str:
        return reverse("exchange:message", args=[self.pk])


class MessageEvent(models.Model):
    """The audit trail of a message on this side: built, reviewed, each attempt, the receipt, the refusal."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"))
    what = models.CharField(_("事项"), max_length=40)
    detail = models.CharField(_("说明"), max_length=500, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.what}"


class ReceivedPackage(models.Model):
    """An evidence package (WACZ) that arrived from a partner, verified against its published key on arrival."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="packages")
    bureau = models.ForeignKey("org.Bureau", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("文件名"), max_length=120)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    url = models.URLField(_("取证网址"), max_length=2000, blank=True)
    captured_at = models.CharField(_("取证时间"), max_length=40, blank=True)
    capture_title = models.CharField(_("标题"), max_length=300, blank=True)
    verified = models.BooleanField(_("验签通过"), default=False)
    checked_at = models.DateTimeField(_("验签时间"))
    linked_model = models.CharField(max_length=60, blank=True)
    linked_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("收到的证据包")
        verbose_name_plural = _("收到的证据包")
        ordering = ["id"]
        indexes = [models.Index(fields=["linked_model", "linked_id"], name="exchange_package_link")]

    def __str__(self) -> str:
        return self.name
