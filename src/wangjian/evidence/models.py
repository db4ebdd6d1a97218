"""Electronic evidence: captures, their files in the content-addressed store, the ledger and its checkpoints.

《市场监督管理行政执法电子数据取证暂行规定》 asks that collected electronic data carry its
method, time, operators, source and an integrity check value, and that it can be verified
later. A capture (``EvidenceCapture``) names its files by SHA-256 (``EvidenceFile``); the
files themselves are immutable blobs in the store. Every capture, access, export and
deletion is an entry of an append-only, hash-chained ledger (``LedgerEntry``) per bureau;
checkpoints (``LedgerCheckpoint``) are signed with the bureau's Ed25519 key (``BureauKey``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wangjian.core.models import AuditedModel
from wangjian.evidence.choices import CaptureMode, CaptureStatus, FailureReason, FileRole, LedgerAction


class EvidenceCapture(AuditedModel):
    """电子数据取证记录: one capture of one web address, successful or failed."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("取证单位"), on_delete=models.PROTECT, related_name="evidence_captures"
    )
    url = models.URLField(_("取证网址"), max_length=2000, blank=True)  # blank: uploaded evidence
    final_url = models.URLField(_("最终网址"), max_length=2000, blank=True)
    mode = models.CharField(
        _("取证方式"), max_length=8, choices=CaptureMode.choices, default=CaptureMode.BROWSER
    )
    status = models.CharField(_("结果"), max_length=8, choices=CaptureStatus.choices, db_index=True)
    failure_reason = models.CharField(_("失败原因"), max_length=32, choices=FailureReason.choices, blank=True)
    failure_detail = models.TextField(_("失败详情"), blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP状态码"), null=True, blank=True)
    resolved_ip = models.CharField(_("服务器IP"), max_length=64, blank=True)
    title = models.CharField(_("页面标题"), max_length=500, blank=True)
    purpose = models.CharField(_("取证事由"), max_length=500)
    case_ref = models.CharField(_("线索/案件编号"), max_length=100, blank=True, db_index=True)
    operators = models.JSONField(_("取证人员"), default=list)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"))
    metadata_sha256 = models.CharField(_("元数据SHA-256"), max_length=64, blank=True)
    retain_until = models.DateField(_("保存期限至"))

    class Meta:
        verbose_name = _("电子数据取证记录")
        verbose_name_plural = _("电子数据取证记录")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"取证#{self.pk} {self.url}"

    def get_absolute_url(self) -> str:
        return reverse("evidence:capture", args=[self.pk])

    @property
    def ok(self) -> bool:
        return self.status == CaptureStatus.OK


class EvidenceFile(models.Model):
    """One file of a capture, named by its SHA-256 in the immutable store."""

    capture = models.ForeignKey(
        EvidenceCapture, verbose_name=_("取证记录"), on_delete=models.CASCADE, related_name="files"
    )
    role = models.CharField(_("类型"), max_length=16, choices=FileRole.choices)
    name = models.CharField(_("文件名"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("字节数"))
    content_type = models.CharField(_("媒体类型"), max_length=100)

    class Meta:
        verbose_name = _("取证文件")
        verbose_name_plural = _("取证文件")
        ordering = ["capture", "id"]
        constraints = [models.UniqueConstraint(fields=["capture", "name"], name="evidence_file_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} {self.sha256[:12]}…"


class EvidenceLink(models.Model):
    """A capture used by a clue, finding or case; while that matter is open the capture is kept.

    Other apps link with ``evidence.services.evidence_link`` and say when their object is
    open through ``evidence.retention.register_hold``.
    """

    capture = models.ForeignKey(
        EvidenceCapture, verbose_name=_("取证记录"), on_delete=models.PROTECT, related_name="links"
    )
    content_type = models.ForeignKey(ContentType, verbose_name=_("对象类型"), on_delete=models.PROTECT)
    object_id = models.CharField(_("对象ID"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=300)
    created = models.DateTimeField(_("关联时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("证据关联")
        verbose_name_plural = _("证据关联")
        constraints = [
            models.UniqueConstraint(
                fields=["capture", "content_type", "object_id"], name="evidence_link_unique_object"
            )
        ]

    def __str__(self) -> str:
        return f"{self.capture_id} → {self.object_repr}"


class BureauKey(models.Model):
    """The public halves of a bureau's signing keys; the private halves stay in the key folder.

    Ed25519 signs ledger checkpoints; ECDSA P-256 signs evidence packages (WACZ signing).
    """

    bureau = models.OneToOneField(
        "org.Bureau", verbose_name=_("局"), on_delete=models.PROTECT, related_name="evidence_key"
    )
    public_key_pem = models.TextField(_("公钥(PEM)"))
    fingerprint = models.CharField(_("公钥指纹(SHA-256)"), max_length=64)
    package_public_key_pem = models.TextField(_("证据包签名公钥(PEM, ECDSA P-256)"), blank=True)
    package_fingerprint = models.CharField(_("证据包签名公钥指纹(SHA-256)"), max_length=64, blank=True)
    created = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("取证签名公钥")
        verbose_name_plural = _("取证签名公钥")

    def __str__(self) -> str:
        return f"{self.bureau} {self.fingerprint[:16]}"


class LedgerEntry(models.Model):
    """One entry of a bureau's append-only evidence ledger; ``entry_hash`` covers the previous entry's hash."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("局"), on_delete=models.PROTECT, related_name="evidence_ledger"
    )
    seq = models.PositiveBigIntegerField(_("序号"))
    time = models.DateTimeField(_("时间"))
    action = models.CharField(_("动作"), max_length=16, choices=LedgerAction.choices)
    capture_id_ref = models.BigIntegerField(_("取证记录ID"), null=True, blank=True, db_index=True)
    user_name = models.CharField(_("操作人"), max_length=150)
    reason = models.CharField(_("事由"), max_length=500, blank=True)
    detail = models.JSONField(_("内容"), default=dict)
    prev_hash = models.CharField(_("上一条哈希"), max_length=64)
    entry_hash = models.CharField(_("本条哈希"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("取证台账条目")
        verbose_name_plural = _("取证台账")
        ordering = ["bureau", "seq"]
        constraints = [models.UniqueConstraint(fields=["bureau", "seq"], name="evidence_ledger_unique_seq")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_action_display()} {self.user_name}"


class LedgerCheckpoint(models.Model):
    """A signed statement "checkpoint K of this bureau: its ledger up to entry N has hash H" (Ed25519).

    ``number`` counts the bureau's checkpoints (1, 2, 3 …, never reused); each head is also
    anchored in the evidence store and the application log (``evidence.anchors``), so that a
    checkpoint deleted from the database, or a ledger cut short, is named by ``verify``.
    """

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("局"), on_delete=models.PROTECT, related_name="evidence_checkpoints"
    )
    number = models.PositiveBigIntegerField(_("检查点编号"))
    seq = models.PositiveBigIntegerField(_("截至序号"))
    entry_hash = models.CharField(_("截至哈希"), max_length=64)
    time = models.DateTimeField(_("签名时间"))
    key_fingerprint = models.CharField(_("公钥指纹"), max_length=64)
    signature = models.CharField(_("签名(Base64)"), max_length=200)
    message_version = models.PositiveSmallIntegerField(
        _("签名格式"), default=2, help_text=_("2：签名含检查点编号；1：编号之前的旧检查点")
    )
    # Which algorithm signed it (evidence.keys.ALGORITHMS); verification dispatches on it, so a second
    # algorithm (SM2/SM3) can sign new checkpoints while the Ed25519 ones keep verifying.
    algorithm = models.CharField(_("签名算法"), max_length=16, default="ed25519")

    class Meta:
        verbose_name = _("台账签名检查点")
        verbose_name_plural = _("台账签名检查点")
        ordering = ["bureau", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "number"], name="evidence_checkpoint_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.bureau_id}#{self.number}@{self.seq}"
