"""Credit supervision beside the registry: 经营异常名录, 严重违法失信名单, 信用修复, annual reports' declared shops.

Every row belongs to a bureau (``org.selectors.scope`` restricts it like every register) and names the
registered entity (``registry.MarketEntity``). The rules that move a row live in ``credit.services``;
the dates a row keeps are what an officer and the 公示系统 read: when the clock started, its due day and
basis, when each step was taken.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wangjian.core.clocks import add_months
from wangjian.core.models import AuditedModel
from wangjian.credit.choices import (
    AbnormalGround,
    AbnormalState,
    ImportState,
    MismatchKind,
    MismatchState,
    RemovalGround,
    RepairState,
    RepairTarget,
    SeriousRemoval,
    SeriousState,
)
from wangjian.platform.intake.models import LeadSource
from wangjian.registry.choices import EntityKind

USER = settings.AUTH_USER_MODEL


class AbnormalListing(AuditedModel):
    """One listing in the 经营异常名录 (企业 and 个体工商户 alike), from proposal to removal.

    The clock of the listing runs from ``period_end`` — 30 June of the report year, the end of the period
    the bureau ordered, or the day the facts were established (a name not changed, a 个体工商户's false
    information, the unreachable address) — and the decision is due within 10 working days after it
    (``abnormal.listing``). A removal is decided within 5 working days of a valid application, or of the
    verification for a name change or a reachable address (``removal_verified_on``; 办法 arts. 11–14).
    """

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    entity = models.ForeignKey(
        "registry.MarketEntity",
        verbose_name=_("市场主体"),
        on_delete=models.PROTECT,
        related_name="abnormal_listings",
    )
    entity_kind = models.CharField(_("主体类型"), max_length=12, choices=EntityKind.choices, blank=True)
    ground = models.CharField(_("列入事由"), max_length=16, choices=AbnormalGround.choices)
    report_year = models.PositiveIntegerField(_("未报年度"), null=True, blank=True)
    facts = models.TextField(_("事实"), blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=AbnormalState.choices, default=AbnormalState.PROPOSED, db_index=True
    )
    period_end = models.DateField(_("期限届满/查实日期"))
    listing_due = models.DateField(_("列入决定期限"), null=True, blank=True)
    listing_basis = models.TextField(_("列入期限依据"), blank=True)
    decided_on = models.DateField(_("列入决定日期"), null=True, blank=True)
    decision_number = models.CharField(_("列入决定书文号"), max_length=60, blank=True)
    listed_on = models.DateField(_("列入日期"), null=True, blank=True, db_index=True)
    listed_late = models.BooleanField(_("超期列入"), default=False)
    # removal: the application, the decision within 5 working days, the day it took effect
    removal_applied_on = models.DateField(_("移出申请日期"), null=True, blank=True)
    removal_ground = models.CharField(_("移出事由"), max_length=16, choices=RemovalGround.choices, blank=True)
    removal_verified_on = models.DateField(_("核实日期（名称变更、恢复联系）"), null=True, blank=True)
    removal_due = models.DateField(_("移出决定期限"), null=True, blank=True)
    removal_basis = models.TextField(_("移出期限依据"), blank=True)
    removal_number = models.CharField(_("移出决定书文号"), max_length=60, blank=True)
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    removal_note = models.TextField(_("移出说明"), blank=True)
    # 条例 art. 18 para. 1 (two consecutive years not filed, not corrected, and unreachable): 吊销营业执照, flagged
    revocation_flagged_on = models.DateField(_("提请吊销日期"), null=True, blank=True)
    revocation_basis = models.TextField(_("提请吊销依据"), blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("经营异常名录")
        verbose_name_plural = _("经营异常名录")
        ordering = ["-id"]
        indexes = [models.Index(fields=["bureau", "state"]), models.Index(fields=["entity", "state"])]

    def __str__(self) -> str:
        return f"{self.entity} · {self.get_ground_display()[:12]}"

    def get_absolute_url(self) -> str:
        return reverse("credit:abnormal", args=[self.pk])

    @property
    def listing_word(self) -> str:
        """Enterprises and 个体工商户 alike are 列入经营异常名录 (个体工商户年度报告办法 (2025) arts. 13–15)."""
        return "列入经营异常名录"

    @property
    def other_register_note(self) -> str:
        """个体工商户登记管理规定 (总局令第103号, in force 2025-07-15) arts. 32, 33 for a listed 个体工商户, in words."""
        if self.entity_kind != EntityKind.INDIVIDUAL or self.listed_on is None:
            return ""
        return (
            f"列入经营异常名录满两年（{add_months(self.listed_on, 24)}）仍未移出的，另册管理；移出后恢复"
            "（《个体工商户登记管理规定》（总局令第103号，2025年7月15日施行）第三十二条、第三十三条）"
        )


class SeriousListing(AuditedModel):
    """A 严重违法失信名单 proceeding (市场监督管理严重违法失信名单管理办法, 总局令第44号): 告知 → 陈述申辩/听证 → 决定 → 列入 → 移出.

    Proposed on a heavier penalty decision, or from a 个体工商户's serious falsification (an abnormal listing
    for false information); the listing is decided with the penalty decision (art. 13), published within 20
    working days (art. 14), removed after three years (art. 21), early after one year (art. 16; 信用修复管理办法
    art. 7).
    """

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    entity = models.ForeignKey(
        "registry.MarketEntity",
        verbose_name=_("市场主体"),
        on_delete=models.PROTECT,
        related_name="serious_listings",
    )
    abnormal = models.ForeignKey(
        AbnormalListing,
        verbose_name=_("来源经营异常名录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="serious_listings",
    )
    penalty_number = models.CharField(_("所依据的行政处罚决定书文号"), max_length=60, blank=True)
    ground = models.TextField(_("拟列入的事由和依据"))
    state = models.CharField(
        _("状态"), max_length=10, choices=SeriousState.choices, default=SeriousState.PROPOSED, db_index=True
    )
    proposed_on = models.DateField(_("提请日期"))
    notified_on = models.DateField(_("告知书送达日期"), null=True, blank=True)
    statement_due = models.DateField(_("陈述申辩期限"), null=True, blank=True)
    statement_basis = models.TextField(_("陈述申辩期限依据"), blank=True)
    statement_on = models.DateField(_("陈述申辩日期"), null=True, blank=True)
    statement = models.TextField(_("陈述申辩意见"), blank=True)
    hearing_requested = models.BooleanField(_("要求听证"), default=False)
    hearing_on = models.DateField(_("听证日期"), null=True, blank=True)
    hearing_report = models.TextField(_("听证情况"), blank=True)
    superior_consent_on = models.DateField(_("上一级市场监管部门同意日期"), null=True, blank=True)
    decided_on = models.DateField(_("列入决定日期"), null=True, blank=True)
    decision_number = models.CharField(_("列入决定书文号"), max_length=60, blank=True)
    listed_on = models.DateField(_("列入（公示）日期"), null=True, blank=True, db_index=True)
    listed_until = models.DateField(_("列入期满日期"), null=True, blank=True)
    earliest_repair_on = models.DateField(_("最早可申请信用修复日期"), null=True, blank=True)
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    removal_ground = models.CharField(
        _("移出事由"), max_length=10, choices=SeriousRemoval.choices, blank=True
    )
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("严重违法失信名单")
        verbose_name_plural = _("严重违法失信名单")
        ordering = ["-id"]
        indexes = [models.Index(fields=["bureau", "state"]), models.Index(fields=["entity", "state"])]

    def __str__(self) -> str:
        return f"{self.entity} · {self.get_state_display()}"

    def get_absolute_url(self) -> str:
        return reverse("credit:serious", args=[self.pk])


class CreditEvent(models.Model):
    """One step of an abnormal or serious listing, with who took it and what it decided (the history)."""

    abnormal = models.ForeignKey(
        AbnormalListing, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    serious = models.ForeignKey(
        SeriousListing, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=20)
    from_state = models.CharField(_("原状态"), max_length=10, blank=True)
    to_state = models.CharField(_("新状态"), max_length=10, blank=True)
    on = models.DateField(_("日期"))
    at = models.DateTimeField(_("记录时间"))
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(_("操作人"), max_length=100, blank=True)
    comment = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("信用记录步骤")
        verbose_name_plural = _("信用记录步骤")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.on} {self.action}"


class CreditRepair(AuditedModel):
    """An application for credit repair (信用修复) of one listing or one published penalty, and its decision.

    ``earliest_on`` is the first day the measures allow the application (信用修复管理办法 arts. 5–7);
    ``conditions`` the checked conditions with what was found; ``effect_on`` the day the display ended
    early or the listing was removed.
    """

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    entity = models.ForeignKey(
        "registry.MarketEntity",
        verbose_name=_("市场主体"),
        on_delete=models.PROTECT,
        related_name="credit_repairs",
    )
    target = models.CharField(_("修复对象"), max_length=10, choices=RepairTarget.choices)
    abnormal = models.ForeignKey(
        AbnormalListing,
        verbose_name=_("经营异常名录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repairs",
    )
    serious = models.ForeignKey(
        SeriousListing,
        verbose_name=_("严重违法失信名单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repairs",
    )
    penalty_source = models.CharField(_("处罚信息来源"), max_length=40, blank=True)
    penalty_ref = models.CharField(_("处罚信息编号"), max_length=40, blank=True)
    penalty_number = models.CharField(_("行政处罚决定书文号"), max_length=60, blank=True)
    applied_on = models.DateField(_("申请日期"))
    earliest_on = models.DateField(_("最早可申请日期"), null=True, blank=True)
    earliest_basis = models.TextField(_("最早可申请日期依据"), blank=True)
    conditions = models.JSONField(_("修复条件"), default=list, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=RepairState.choices, default=RepairState.APPLIED
    )
    decision_due = models.DateField(_("决定期限"), null=True, blank=True)
    decision_basis = models.TextField(_("决定期限依据"), blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_number = models.CharField(_("修复决定书文号"), max_length=60, blank=True)
    decision_note = models.TextField(_("决定说明"), blank=True)
    effect_on = models.DateField(_("生效日期（停止公示/移出）"), null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, verbose_name=_("决定人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("信用修复")
        verbose_name_plural = _("信用修复")
        ordering = ["-id"]
        indexes = [models.Index(fields=["entity", "target", "state"])]

    def __str__(self) -> str:
        return f"{self.entity} · {self.get_target_display()} · {self.get_state_display()}"

    def get_absolute_url(self) -> str:
        return reverse("credit:repair", args=[self.pk])


class AnnualReportImport(AuditedModel):
    """One import of annual-report rows (年度报告申报的网站、网店), with its counts; rejected rows are kept."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(_("文件名"), max_length=255)
    encoding = models.CharField(_("编码"), max_length=20, blank=True)
    state = models.CharField(_("状态"), max_length=8, choices=ImportState.choices, default=ImportState.DONE)
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    report_count = models.PositiveIntegerField(_("年度报告"), default=0)
    shop_count = models.PositiveIntegerField(_("申报网站网店"), default=0)
    rejected_count = models.PositiveIntegerField(_("拒收"), default=0)
    mismatch_count = models.PositiveIntegerField(_("比对不一致"), default=0)
    imported_at = models.DateTimeField(_("导入时间"))
    user = models.ForeignKey(
        USER, verbose_name=_("导入人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("年度报告导入")
        verbose_name_plural = _("年度报告导入")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("credit:import", args=[self.pk])


class AnnualReportRejectedRow(models.Model):
    batch = models.ForeignKey(AnnualReportImport, on_delete=models.CASCADE, related_name="rejected_rows")
    row_number = models.PositiveIntegerField(_("行号"))
    column = models.CharField(_("列"), max_length=100, blank=True)
    value = models.CharField(_("值"), max_length=500, blank=True)
    reason = models.CharField(_("原因"), max_length=500)
    raw = models.JSONField(_("原始行"), default=list)

    class Meta:
        verbose_name = _("年度报告拒收行")
        verbose_name_plural = _("年度报告拒收行")
        ordering = ["row_number", "id"]

    def __str__(self) -> str:
        return f"第{self.row_number}行 {self.reason}"


class AnnualReport(models.Model):
    """That an entity filed its annual report for a year (the 公示系统's record, imported)."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    entity = models.ForeignKey(
        "registry.MarketEntity",
        verbose_name=_("市场主体"),
        on_delete=models.CASCADE,
        related_name="annual_reports",
    )
    year = models.PositiveIntegerField(_("年度"))
    batch = models.ForeignKey(
        AnnualReportImport,
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        ordering = ["-year", "id"]
        constraints = [models.UniqueConstraint(fields=["entity", "year"], name="credit_annual_report_unique")]

    def __str__(self) -> str:
        return f"{self.entity} {self.year}年度"


class DeclaredShop(models.Model):
    """A website or online shop an annual report declares (网站或网店名称, 网址, 平台)."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="shops")
    name = models.CharField(_("网站或网店名称"), max_length=200, blank=True)
    url = models.CharField(_("网址"), max_length=500, blank=True)
    url_key = models.CharField(_("规范化网址"), max_length=500, blank=True, db_index=True)
    platform = models.CharField(_("平台"), max_length=100, blank=True)
    presence = models.ForeignKey(
        "registry.Presence",
        verbose_name=_("对应网络经营场所"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    row_number = models.PositiveIntegerField(_("行号"), default=0)

    class Meta:
        verbose_name = _("申报的网站网店")
        verbose_name_plural = _("申报的网站网店")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name or self.url


class DeclarationMismatch(LeadSource, AuditedModel):
    """A difference between what the annual report declares and the presences on file (a finding).

    An officer turns it into a clue through the intake port; for a 个体工商户 proposes an abnormal listing for
    false or concealed information (个体工商户年度报告办法 art. 14), for an enterprise records it for the
    penalty and 严重违法失信名单 review (条例 art. 18 para. 2: no longer a listing ground); or closes it as checked.
    """

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    entity = models.ForeignKey(
        "registry.MarketEntity",
        verbose_name=_("市场主体"),
        on_delete=models.CASCADE,
        related_name="declaration_mismatches",
    )
    year = models.PositiveIntegerField(_("年度"))
    kind = models.CharField(_("类型"), max_length=10, choices=MismatchKind.choices)
    presence = models.ForeignKey(
        "registry.Presence",
        verbose_name=_("网络经营场所"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    declared = models.ForeignKey(
        DeclaredShop,
        verbose_name=_("申报的网站网店"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    key = models.CharField(_("比对键"), max_length=500)
    detail = models.TextField(_("情况"))
    state = models.CharField(
        _("处理状态"), max_length=10, choices=MismatchState.choices, default=MismatchState.OPEN, db_index=True
    )
    listing = models.ForeignKey(
        AbnormalListing,
        verbose_name=_("经营异常名录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    batch = models.ForeignKey(
        AnnualReportImport,
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mismatches",
    )
    handled_by = models.ForeignKey(
        USER, verbose_name=_("处理人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_on = models.DateField(_("处理日期"), null=True, blank=True)
    note = models.TextField(_("处理说明"), blank=True)

    class Meta:
        verbose_name = _("年报申报比对不一致")
        verbose_name_plural = _("年报申报比对不一致")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "year", "kind", "key"], name="credit_mismatch_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entity} {self.year} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("credit:mismatch", args=[self.pk])
