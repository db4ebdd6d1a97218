"""Complaints and reports (投诉举报): the record, its history, the mediation, the 12315 imports and the periodic
analysis report to the leading group.

The national 12315 platform stays the record of what it received: an import of its export creates or updates the
record by the 12315 number (``source_number``), so nobody keys a complaint twice. What the platform lacks —
links to entities, presences, clues and cases; the clocks; 督办 — lives here. Personal data (the complainant's or
reporter's name, phone, address, ID number) is masked for everyone but who handles the record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangjian.complaints.choices import (
    OPEN,
    Action,
    Channel,
    Kind,
    MediationEnd,
    MediationMethod,
    RefusalGround,
    ReportPeriod,
    ReportState,
    RespondentKind,
    State,
)
from wangjian.core.models import AuditedModel
from wangjian.org.choices import Domain


class Complaint(AuditedModel):
    """One 投诉 or 举报, from receipt to its end."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("登记编号"), max_length=40, blank=True, db_index=True)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    channel = models.CharField(
        _("受理渠道"), max_length=10, choices=Channel.choices, default=Channel.PLATFORM_12315
    )
    source_number = models.CharField(_("12315编号"), max_length=60, blank=True)
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.RECEIVED, db_index=True
    )
    received_on = models.DateField(_("收到日期"), db_index=True)
    # the complainant or reporter (personal data: masked for all but who handles the record)
    person_name = models.CharField(_("投诉人/举报人"), max_length=100, blank=True)
    person_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    person_address = models.CharField(_("通讯地址"), max_length=300, blank=True)
    person_id_number = models.CharField(_("身份证件号码"), max_length=40, blank=True)
    anonymous = models.BooleanField(_("匿名举报"), default=False)
    # the business complained about or reported
    respondent_name = models.CharField(_("被投诉人/被举报人"), max_length=200)
    respondent_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    respondent_kind = models.CharField(
        _("经营者类别"), max_length=10, choices=RespondentKind.choices, default=RespondentKind.SELLER
    )
    respondent_region = models.CharField(_("住所地/实际经营地区划"), max_length=12, blank=True)
    platform_name = models.CharField(_("平台"), max_length=100, blank=True)
    platform_region = models.CharField(_("平台住所地区划"), max_length=12, blank=True)
    presence_label = models.CharField(_("网店/网址"), max_length=500, blank=True)
    entity = models.ForeignKey(
        "registry.MarketEntity",
        verbose_name=_("市场主体"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    presence = models.ForeignKey(
        "registry.Presence",
        verbose_name=_("网络经营场所"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    domain = models.CharField(_("监管领域"), max_length=32, choices=Domain.choices, blank=True)
    category = models.CharField(_("商品或服务类别"), max_length=100, blank=True, db_index=True)
    summary = models.TextField(_("投诉举报内容"))
    demand = models.TextField(_("诉求"), blank=True)
    amount = models.DecimalField(_("涉及金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    # who handles it, and why this bureau
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
        verbose_name=_("承办所"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    jurisdiction = models.CharField(_("管辖依据"), max_length=20, blank=True)
    jurisdiction_basis = models.TextField(_("管辖说明"), blank=True)
    routing_basis = models.TextField(_("分流依据"), blank=True)
    # the complaint's clocks (art. 14: accept within 7 working days; art. 21: 45 working days of mediation)
    accept_due = models.DateField(_("受理决定期限"), null=True, blank=True)
    accept_basis = models.TextField(_("受理期限依据"), blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    refusal_ground = models.CharField(
        _("不予受理情形"), max_length=20, choices=RefusalGround.choices, blank=True
    )
    refusal_note = models.TextField(_("不予受理说明"), blank=True)
    mediation_due = models.DateField(_("调解期限"), null=True, blank=True)
    mediation_basis = models.TextField(_("调解期限依据"), blank=True)
    ended_on = models.DateField(_("终止/办结日期"), null=True, blank=True)
    end_ground = models.CharField(_("终止调解情形"), max_length=20, choices=MediationEnd.choices, blank=True)
    notify_due = models.DateField(_("告知期限"), null=True, blank=True)
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    agreement = models.TextField(_("调解协议"), blank=True)
    recovered = models.DecimalField(
        _("挽回经济损失（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    odr_platform = models.CharField(_("在线纠纷解决平台"), max_length=100, blank=True)
    odr_outcome = models.TextField(_("平台处理结果"), blank=True)
    first_responsibility = models.BooleanField(_("首问负责"), default=False)
    advance_compensation = models.BooleanField(_("赔偿先付"), default=False)
    undertaking_note = models.CharField(_("先行赔付或首问负责的经营者/平台"), max_length=200, blank=True)
    transfer_target = models.CharField(_("移送机关"), max_length=200, blank=True)
    # one record that was both: the part split off, and a report's clue
    split_from = models.ForeignKey(
        "self",
        verbose_name=_("拆分自"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="split_into",
    )
    clue = models.ForeignKey(
        "clues.Clue",
        verbose_name=_("线索"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    import_batch = models.ForeignKey(
        "complaints.ComplaintImport",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    erased_at = models.DateTimeField(_("个人信息已删除"), null=True, blank=True)

    audit_masked = ("person_name", "person_phone", "person_address", "person_id_number")

    class Meta:
        verbose_name = _("投诉举报")
        verbose_name_plural = _("投诉举报")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "kind", "source_number"],
                condition=~models.Q(source_number=""),
                name="complaints_source_unique",
            )
        ]
        indexes = [models.Index(fields=["bureau", "state", "received_on"], name="complaints_open")]

    def __str__(self) -> str:
        return f"{self.number or self.source_number or '—'} {self.get_kind_display()} {self.respondent_name}"

    def get_absolute_url(self) -> str:
        return reverse("complaints:complaint", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN


class ComplaintEvent(models.Model):
    """One step, as the transition table allowed it."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=12, choices=Action.choices)
    from_state = models.CharField(_("原状态"), max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=12, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=50)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    comment = models.TextField(_("说明"), blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("投诉举报处理记录")
        verbose_name_plural = _("投诉举报处理记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.get_action_display()}"


class Mediation(models.Model):
    """A mediation session (调解记录): how, with whom, what was said and agreed."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="mediations")
    held_on = models.DateField(_("调解日期"))
    method = models.CharField(_("调解方式"), max_length=10, choices=MediationMethod.choices)
    entrusted_to = models.CharField(_("受委托组织"), max_length=200, blank=True)
    record = models.TextField(_("调解情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_method_display()}"


class ComplaintImport(models.Model):
    """One import of a 12315 export: counts and the rows refused, each with its reason."""

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
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("12315导入批次")
        verbose_name_plural = _("12315导入批次")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"


class ComplaintRejectedRow(models.Model):
    batch = models.ForeignKey(ComplaintImport, on_delete=models.CASCADE, related_name="rejected_rows")
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


class ComplaintSettings(models.Model):
    """The office's settings of complaint work: when repeated complaints flag a business, how long personal data stays."""

    bureau = models.OneToOneField("org.Bureau", on_delete=models.CASCADE, related_name="complaint_settings")
    repeat_threshold = models.PositiveIntegerField(_("重复投诉提示阈值（件）"), default=3)
    repeat_days = models.PositiveIntegerField(_("重复投诉统计天数"), default=90)
    retention_years = models.PositiveIntegerField(
        _("个人信息保存年限（办结后）"),
        default=3,
        help_text=_("期满删除投诉人、举报人个人信息，记录保留；有法律保全的除外"),
    )

    class Meta:
        verbose_name = _("投诉举报设置")
        verbose_name_plural = _("投诉举报设置")

    def __str__(self) -> str:
        return f"{self.bureau} 投诉举报设置"


class ServiceStation(AuditedModel):
    """A 消费维权服务站: a business's point where consumers' disputes are settled first (the seeds: 旌德, 天津)."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("服务站名称"), max_length=200)
    business_name = models.CharField(_("依托经营者"), max_length=200)
    business_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    address = models.CharField(_("地址"), max_length=300)
    region_code = models.CharField(_("区划代码"), max_length=12, blank=True)
    contact = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    online = models.BooleanField(_("线上服务站（平台或网店）"), default=False)
    active = models.BooleanField(_("在用"), default=True)
    since = models.DateField(_("设立日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("消费维权服务站")
        verbose_name_plural = _("消费维权服务站")
        ordering = ["bureau", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("complaints:servicestation", args=[self.pk])


class OdrContact(AuditedModel):
    """A platform's contact for its online dispute resolution (在线纠纷解决) and the bureau's channel to it."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    platform_name = models.CharField(_("平台"), max_length=100)
    channel = models.CharField(
        _("对接方式"), max_length=200, help_text=_("如：在线纠纷解决系统入口、工单邮箱、专线电话")
    )
    contact = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    active = models.BooleanField(_("在用"), default=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("平台在线纠纷解决联系人")
        verbose_name_plural = _("平台在线纠纷解决联系人")
        ordering = ["bureau", "platform_name", "id"]

    def __str__(self) -> str:
        return self.platform_name

    def get_absolute_url(self) -> str:
        return reverse("complaints:odrcontact", args=[self.pk])


class ComplaintReport(AuditedModel):
    """投诉举报分析报告: the 12315 unit's periodic analysis sent to the leading group as a document.

    ``figures`` is the period's analysis frozen when drafted (or recounted while a draft), with the previous period
    beside it; ``text`` is the unit's own 研判 and 建议. Reporting numbers it, prints it to PDF and keeps the PDF by
    its SHA-256 (``services.reports``); a report sent never changes — a correction is a new report.
    """

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    period_kind = models.CharField(_("报告周期"), max_length=10, choices=ReportPeriod.choices)
    period_start = models.DateField(_("统计起日"))
    period_end = models.DateField(_("统计止日"))
    title = models.CharField(_("标题"), max_length=200)
    figures = models.JSONField(_("统计数据"), default=dict, blank=True)
    text = models.TextField(_("研判和建议"), blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT, db_index=True
    )
    number = models.CharField(_("文号"), max_length=60, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("拟稿人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    drafted_at = models.DateTimeField(_("拟稿时间"), default=timezone.now)
    issued_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(_("PDF字节数"), null=True, blank=True)

    class Meta:
        verbose_name = _("投诉举报分析报告")
        verbose_name_plural = _("投诉举报分析报告")
        ordering = ["-period_start", "-id"]
        indexes = [
            models.Index(fields=["bureau", "period_kind", "period_start"], name="complaints_report_period")
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.number}".strip()

    def get_absolute_url(self) -> str:
        return reverse("complaints:report", args=[self.pk])

    @property
    def issued(self) -> bool:
        return self.state == ReportState.ISSUED
