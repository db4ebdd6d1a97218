"""协查请求 (a bureau asks another to investigate) and 内部协作请求 (a department asks its bureau's network unit).

An assistance request has two sides, each a bureau of this instance or a partner bureau on another wangjian
instance (named by its division code and name, carried later by the exchange layer's signed messages): exactly
one of ``from_bureau`` / ``external_from_code`` and one of ``to_bureau`` / ``external_bureau_code`` is set, and
never both sides external. ``external_ref`` is the message id of the side that is external, unique per direction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wangjian.assist.choices import (
    AssistanceState,
    InternalKind,
    InternalState,
)
from wangjian.core.models import AuditedModel

USER = settings.AUTH_USER_MODEL


class AssistanceRequest(AuditedModel):
    """协查请求 with its 协助调查函 (number, receipt, deadline), the subject, the answer and its evidence."""

    number = models.CharField(_("协查函编号"), max_length=80, blank=True, db_index=True)
    from_bureau = models.ForeignKey(
        "org.Bureau",
        verbose_name=_("提出协查的局"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assistance_sent",
    )
    external_from_code = models.CharField(_("提出协查的外部局代码"), max_length=12, blank=True)
    external_from_name = models.CharField(_("提出协查的外部局名称"), max_length=100, blank=True)
    from_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("提出协查的单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        USER, verbose_name=_("经办人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_bureau = models.ForeignKey(
        "org.Bureau",
        verbose_name=_("协查局"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assistance_received",
    )
    external_bureau_code = models.CharField(_("协查的外部局代码"), max_length=12, blank=True)
    external_bureau_name = models.CharField(_("协查的外部局名称"), max_length=100, blank=True)
    external_ref = models.CharField(_("外部消息编号"), max_length=100, blank=True)
    to_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("承办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee = models.ForeignKey(
        USER, verbose_name=_("承办人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    question = models.TextField(_("协查事项"))
    entity = models.ForeignKey(
        "registry.MarketEntity",
        verbose_name=_("市场主体"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entity_name = models.CharField(_("主体名称"), max_length=200, blank=True)
    entity_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    presence = models.ForeignKey(
        "registry.Presence",
        verbose_name=_("网络经营场所"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    presence_url = models.CharField(_("网址"), max_length=500, blank=True)
    platform_name = models.CharField(_("平台"), max_length=100, blank=True)
    shop_name = models.CharField(_("店铺名称"), max_length=200, blank=True)
    clue = models.ForeignKey(
        "clues.Clue",
        verbose_name=_("所涉线索"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("所涉案件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(
        _("状态"),
        max_length=10,
        choices=AssistanceState.choices,
        default=AssistanceState.DRAFT,
        db_index=True,
    )
    sent_at = models.DateTimeField(_("发出时间"), null=True, blank=True)
    received_on = models.DateField(_("收到协查函日期"), null=True, blank=True)
    due = models.DateField(_("答复期限"), null=True, blank=True)
    due_basis = models.TextField(_("期限依据"), blank=True)
    due_provisional = models.BooleanField(_("期限暂定"), default=False)
    accepted_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_on_time = models.BooleanField(_("按期答复"), null=True, blank=True)
    answer = models.TextField(_("答复内容"), blank=True)
    findings = models.TextField(_("查明的事实"), blank=True)
    external_evidence = models.JSONField(_("外局证据"), default=list, blank=True)
    refused_at = models.DateTimeField(_("拒绝时间"), null=True, blank=True)
    refusal_reason = models.TextField(_("拒绝理由"), blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    close_note = models.TextField(_("办结意见"), blank=True)

    class Meta:
        verbose_name = _("协查请求")
        verbose_name_plural = _("协查请求")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(from_bureau__isnull=False) & Q(external_from_code=""))
                | (Q(from_bureau__isnull=True) & ~Q(external_from_code="")),
                name="assist_one_requester",
            ),
            models.CheckConstraint(
                condition=(Q(to_bureau__isnull=False) & Q(external_bureau_code=""))
                | (Q(to_bureau__isnull=True) & ~Q(external_bureau_code="")),
                name="assist_one_receiver",
            ),
            models.CheckConstraint(
                condition=Q(from_bureau__isnull=False) | Q(to_bureau__isnull=False),
                name="assist_one_side_here",
            ),
            models.UniqueConstraint(
                fields=["external_ref"],
                condition=Q(from_bureau__isnull=True) & ~Q(external_ref=""),
                name="assist_incoming_ref_unique",
            ),
            models.UniqueConstraint(
                fields=["external_ref"],
                condition=Q(to_bureau__isnull=True) & ~Q(external_ref=""),
                name="assist_outgoing_ref_unique",
            ),
        ]
        indexes = [models.Index(fields=["from_bureau", "state"]), models.Index(fields=["to_bureau", "state"])]

    def __str__(self) -> str:
        return f"{self.number or _('协查请求（草稿）')} {self.subject_label}".strip()

    def get_absolute_url(self) -> str:
        return reverse("assist:request", args=[self.pk])

    def audit_bureau_id(self) -> int | None:
        return self.from_bureau_id or self.to_bureau_id

    @property
    def requester_name(self) -> str:
        return (
            self.from_bureau.name
            if self.from_bureau_id
            else self.external_from_name or self.external_from_code
        )

    @property
    def receiver_name(self) -> str:
        return (
            self.to_bureau.name
            if self.to_bureau_id
            else self.external_bureau_name or self.external_bureau_code
        )

    @property
    def subject_label(self) -> str:
        parts = [self.entity_name or (self.entity.name if self.entity_id else "")]
        parts.append(self.shop_name or self.presence_url)
        return " · ".join(p for p in parts if p)

    @property
    def is_open(self) -> bool:
        return self.state in (AssistanceState.SENT, AssistanceState.ACCEPTED)


class AssistanceEvent(models.Model):
    """One step of a request, for both bureaus to read (who, when, what, from which state)."""

    request = models.ForeignKey(
        AssistanceRequest, verbose_name=_("协查请求"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=20)
    from_state = models.CharField(_("原状态"), max_length=10, blank=True)
    to_state = models.CharField(_("新状态"), max_length=10, blank=True)
    actor = models.ForeignKey(
        USER, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=100, blank=True)
    at = models.DateTimeField(_("时间"))
    comment = models.TextField(_("说明"), blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("协查办理记录")
        verbose_name_plural = _("协查办理记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.action} {self.at:%Y-%m-%d}"


class InternalRequest(AuditedModel):
    """内部协作请求: a business department asks the network unit for an online check or an evidence capture."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("请求类型"), max_length=10, choices=InternalKind.choices)
    from_department = models.ForeignKey(
        "org.Department", verbose_name=_("提出请求的科室"), on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        USER, verbose_name=_("提出人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_department = models.ForeignKey(
        "org.Department", verbose_name=_("网络市场监管机构"), on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        USER, verbose_name=_("承办人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    presence = models.ForeignKey(
        "registry.Presence",
        verbose_name=_("网络经营场所"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    url = models.CharField(_("网址"), max_length=2000, blank=True)
    purpose = models.TextField(_("请求事项"))
    state = models.CharField(
        _("状态"), max_length=12, choices=InternalState.choices, default=InternalState.OPEN, db_index=True
    )
    requested_at = models.DateTimeField(_("提出时间"))
    due = models.DateField(_("办结期限"), null=True, blank=True)
    due_basis = models.TextField(_("期限依据"), blank=True)
    capture = models.ForeignKey(
        "evidence.EvidenceCapture",
        verbose_name=_("取证记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    findings = models.ManyToManyField(
        "monitoring.Finding", verbose_name=_("关联监测发现"), blank=True, related_name="+"
    )
    result = models.TextField(_("办理结果"), blank=True)
    done_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        USER, verbose_name=_("办结人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_time = models.BooleanField(_("按期办结"), null=True, blank=True)
    cancel_reason = models.TextField(_("撤销理由"), blank=True)

    class Meta:
        verbose_name = _("内部协作请求")
        verbose_name_plural = _("内部协作请求")
        ordering = ["-id"]
        indexes = [models.Index(fields=["bureau", "state"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.url or self.presence or self.purpose[:30]}"

    def get_absolute_url(self) -> str:
        return reverse("assist:internal", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in (InternalState.OPEN, InternalState.IN_PROGRESS)


class InternalEvent(models.Model):
    request = models.ForeignKey(
        InternalRequest, verbose_name=_("内部协作请求"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=20)
    from_state = models.CharField(_("原状态"), max_length=12, blank=True)
    to_state = models.CharField(_("新状态"), max_length=12, blank=True)
    actor = models.ForeignKey(
        USER, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=100, blank=True)
    at = models.DateTimeField(_("时间"))
    comment = models.TextField(_("说明"), blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("内部协作办理记录")
        verbose_name_plural = _("内部协作办理记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.action} {self.at:%Y-%m-%d}"
