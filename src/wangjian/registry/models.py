"""The entity registry (经济户口): registered market entities, platforms, online presences, imports and matching.

Online-offline integrated supervision starts from knowing which registered entity
(统一社会信用代码) stands behind each shop, site, app or account in the jurisdiction
(电子商务法 art. 15 and 27; 网络交易监督管理办法 art. 24). Every row belongs to a
bureau so that ``org.selectors.scope`` restricts it like every other registry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangjian.core.fetching.addresses import validate_fetchable_url
from wangjian.core.models import AuditedModel
from wangjian.platform.intake.models import LeadSource
from wangjian.registry import name_grams
from wangjian.registry.choices import (
    CorrectionStatus,
    EntityKind,
    EntityStatus,
    ImportKind,
    ImportStatus,
    LinkMethod,
    MatchOutcome,
    PresenceKind,
    PresenceStatus,
    ReviewDecision,
    RiskGrade,
    SellerExemption,
)


class ImportBatch(AuditedModel):
    """One import run (导入批次): the file, who ran it, and its counts; rejected rows hang off it.

    Rows created by an import are attributed to their batch (``import_batch``) rather than
    logged one by one; rows an import changes get a change record each.
    """

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("导入类型"), max_length=10, choices=ImportKind.choices)
    platform = models.ForeignKey(
        "registry.Platform",
        verbose_name=_("平台"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_batches",
    )
    file_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("文件SHA-256"), max_length=64, blank=True)
    encoding = models.CharField(_("编码"), max_length=20, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    created_count = models.PositiveIntegerField(pgettext_lazy("count", "新增"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    unchanged_count = models.PositiveIntegerField(_("未变化"), default=0)
    rejected_count = models.PositiveIntegerField(_("拒收"), default=0)
    matched_rows = models.PositiveIntegerField(_("已匹配"), default=0)
    match_total = models.PositiveIntegerField(_("待匹配"), default=0)
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    heartbeat_at = models.DateTimeField(_("最近进展"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(_("说明"), blank=True)

    audit_ignore = ("processed_rows", "matched_rows", "match_total", "heartbeat_at")

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("registry:importbatch", args=[self.pk])

    @property
    def in_progress(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.MATCHING)

    @property
    def percent(self) -> int:
        """Of the rows read (导入中), then of the sellers matched (匹配中)."""
        if self.status == ImportStatus.DONE:
            return 100
        if self.status == ImportStatus.MATCHING:
            return int(100 * self.matched_rows / self.match_total) if self.match_total else 0
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


class RejectedRow(models.Model):
    """A row an import refused, kept with its row number, column and reason — never silently dropped."""

    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("导入批次"), on_delete=models.CASCADE, related_name="rejected_rows"
    )
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


# A seller linked to an entity in one of these statuses and still trading is a lead of unlicensed trading.
LEAD_STATUSES = (EntityStatus.CANCELLED, EntityStatus.REVOKED, EntityStatus.MOVED_OUT)


class MarketEntity(AuditedModel):
    """A registered market entity (市场主体) with its 统一社会信用代码 (GB 32100-2015).

    ``name_key`` and ``name_core`` are normalised forms of the name (see
    ``registry.matching``) kept in indexed columns so that search and matching stay fast
    with a million entities.
    """

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    name = models.CharField(_("名称"), max_length=200)
    name_key = models.CharField(_("规范化名称"), max_length=200, db_index=True, editable=False)
    # indexed by ``registry_entity_core_like`` (equality and prefix search on both databases)
    name_core = models.CharField(_("名称字号"), max_length=200, editable=False)
    kind = models.CharField(
        _("主体类型"), max_length=12, choices=EntityKind.choices, default=EntityKind.OTHER
    )
    legal_rep = models.CharField(_("法定代表人/经营者"), max_length=100, blank=True, db_index=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    phone_key = models.CharField(
        _("电话（规范化）"), max_length=20, blank=True, db_index=True, editable=False
    )
    address = models.CharField(_("住所/经营场所"), max_length=300, blank=True)
    region_code = models.CharField(_("区划代码"), max_length=12, blank=True, db_index=True)
    registration_authority = models.CharField(_("登记机关"), max_length=100, blank=True)
    status = models.CharField(
        _("登记状态"), max_length=10, choices=EntityStatus.choices, default=EntityStatus.EXISTING
    )
    # The date of the status the registry gives (注销/吊销/迁出/歇业), and where a 迁出 entity went.
    status_date = models.DateField(_("状态日期"), null=True, blank=True)
    moved_to = models.CharField(_("迁往区划代码"), max_length=12, blank=True)
    reg_date = models.DateField(_("成立日期"), null=True, blank=True)
    approved_date = models.DateField(_("核准日期"), null=True, blank=True)
    business_scope = models.TextField(_("经营范围"), blank=True)
    source = models.CharField(_("数据来源"), max_length=50, blank=True)
    import_batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entities",
    )
    # The current risk grade (风险等级), written in bulk by the risk app's grading so that a monitoring
    # task or an inspection draw selects by it; "" until graded. Its reasons and history are the risk app's.
    risk_grade = models.CharField(
        _("风险等级"), max_length=8, choices=RiskGrade.choices, blank=True, db_index=True, editable=False
    )

    audit_masked = ("legal_rep", "phone", "phone_key")
    # The grading's result, not an officer's change: its history is risk.GradeChange, not the change log.
    audit_ignore = ("risk_grade",)

    class Meta:
        verbose_name = _("市场主体")
        verbose_name_plural = _("市场主体")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["bureau", "uscc"], name="registry_entity_uscc_unique")]
        indexes = [
            models.Index(
                fields=["name_core"], name="registry_entity_core_like", opclasses=["text_pattern_ops"]
            ),
            # A word from the middle of a name is a scan; over this index it reads the bureau's
            # names only, not their rows (measured 3x faster at 1M entities on SQLite).
            models.Index(fields=["bureau", "name_key"], name="registry_entity_bureau_key"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:entity", args=[self.pk])

    def save(self, *args, **kwargs):
        # The indexed search columns follow the name and phone (bulk imports fill them themselves).
        from wangjian.registry.matching import name_parts, phone_key

        parts = name_parts(self.name)
        self.name_key, self.name_core = parts.key[:200], parts.core[:200]
        self.phone_key = phone_key(self.phone)
        # The key the stored grams were cut from, if this instance knows it (as read, or as last written).
        known = getattr(self, "_name_grams_key", None)
        if known is None and getattr(self, "_audit_before", None) is not None:
            known = self._audit_before.get("name_key")
        inserted = self.pk is None
        update_fields = kwargs.get("update_fields")
        super().save(*args, **kwargs)
        # The name's 2-grams follow the key as stored (``registry.name_grams``): written for a new
        # row, rewritten when the key changed; a row saved without having been read is compared.
        if inserted:
            EntityNameGram.write(self.pk, self.name_key, fresh=True)
        elif update_fields is not None and "name_key" not in update_fields:
            self._name_grams_key = known  # the key was not written, nor are its grams
            return
        elif known != self.name_key:
            EntityNameGram.write(self.pk, self.name_key)
        self._name_grams_key = self.name_key


class EntityNameGram(models.Model):
    """One character 2-gram of an entity's normalised name: the index of mid-word name search.

    Derived from ``MarketEntity.name_key`` and rebuilt from it at will (``wangjian reindex_names``);
    why a side table, and how a search reads it, is ``registry.name_grams``'s to say.
    """

    pk = models.CompositePrimaryKey("gram", "entity")
    gram = models.CharField(_("二字片段"), max_length=name_grams.GRAM)
    entity = models.ForeignKey(
        MarketEntity, verbose_name=_("市场主体"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("名称二字索引")
        verbose_name_plural = _("名称二字索引")

    def __str__(self) -> str:
        return f"{self.gram} → {self.entity_id}"

    @classmethod
    def write(cls, entity_id: int, key: str, *, fresh: bool = False) -> None:
        """Make ``entity_id``'s grams those of ``key``: only the difference is written."""
        wanted = set(name_grams.grams(key))
        stored = (
            set() if fresh else set(cls.objects.filter(entity_id=entity_id).values_list("gram", flat=True))
        )
        if stored - wanted:
            cls.objects.filter(entity_id=entity_id, gram__in=stored - wanted).delete()
        cls.objects.bulk_create([cls(gram=g, entity_id=entity_id) for g in sorted(wanted - stored)])


class Platform(AuditedModel):
    """An e-commerce platform (网络交易平台) and its operator (平台经营者)."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("平台名称"), max_length=100)
    operator = models.ForeignKey(
        MarketEntity,
        verbose_name=_("平台经营者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="platforms_operated",
    )
    operator_name = models.CharField(_("经营者名称"), max_length=200, blank=True)
    domicile = models.CharField(_("住所地"), max_length=200, blank=True)
    url = models.URLField(_("网址"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("网络交易平台")
        verbose_name_plural = _("网络交易平台")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["bureau", "name"], name="registry_platform_unique")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:platform", args=[self.pk])


class Presence(AuditedModel):
    """A 网络经营场所: website, platform shop, app, WeChat account, mini-program or livestream account."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        _("类型"), max_length=16, choices=PresenceKind.choices, default=PresenceKind.PLATFORM_SHOP
    )
    platform = models.ForeignKey(
        Platform,
        verbose_name=_("平台"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="presences",
    )
    url = models.CharField(
        _("网址"), max_length=500, blank=True, db_index=True, validators=[validate_fetchable_url]
    )
    account_id = models.CharField(_("店铺ID/账号"), max_length=200, blank=True)
    shop_name = models.CharField(_("店铺名称"), max_length=200, blank=True)
    shop_name_key = models.CharField(
        _("规范化店铺名称"), max_length=200, blank=True, db_index=True, editable=False
    )
    entity = models.ForeignKey(
        MarketEntity,
        verbose_name=_("关联主体"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="presences",
    )
    link_confidence = models.FloatField(_("关联置信度"), null=True, blank=True)
    link_method = models.CharField(_("关联方式"), max_length=10, choices=LinkMethod.choices, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=PresenceStatus.choices, default=PresenceStatus.ACTIVE
    )
    first_seen = models.DateField(_("首次发现"), null=True, blank=True)
    last_seen = models.DateField(_("最近发现"), null=True, blank=True)
    last_checked = models.DateTimeField(_("最近核查"), null=True, blank=True)
    import_batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="presences",
    )

    # When a sweep last checked it and a seller report last listed it: observations written in bulk,
    # not changes an officer made, so the change log does not record them.
    audit_ignore = ("last_checked", "last_seen")

    class Meta:
        verbose_name = _("网络经营场所")
        verbose_name_plural = _("网络经营场所")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "account_id"],
                condition=~models.Q(account_id=""),
                name="registry_presence_account_unique",
            )
        ]

    def lead_keys(self) -> dict[str, str]:
        """This presence in the intake port's natural keys: its address, or its platform and account."""
        return {
            "presence_url": self.url or "",
            "platform": self.platform.name if self.platform_id else "",
            "account_id": self.account_id or "",
            "presence_label": str(self),
        }

    def __str__(self) -> str:
        return self.shop_name or self.url or self.account_id or f"#{self.pk}"

    @property
    def platform_operator_usccs(self) -> list[str]:
        """The code of the platform's operator when this is a platform's shop and the operator is registered: the
        licence in the platform's footer on the shop's pages, which is the platform's, not the shop's."""
        operator = self.platform.operator if self.platform_id and self.platform.operator_id else None
        return [operator.uscc] if operator is not None and operator.uscc else []

    def get_absolute_url(self) -> str:
        return reverse("registry:presence", args=[self.pk])

    def save(self, *args, **kwargs):
        from wangjian.registry.matching import shop_key

        self.shop_name_key = shop_key(self.shop_name)[:200] if self.shop_name else ""
        super().save(*args, **kwargs)


class SellerReport(models.Model):
    """One row of a platform's seller list (平台报送的经营者信息), the latest report per platform and seller ID.

    Platforms verify and report their sellers at least every six months (电子商务法
    art. 27, 28; 网络交易监督管理办法 art. 24–25); each report is matched to the registry.
    """

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    platform = models.ForeignKey(
        Platform, verbose_name=_("平台"), on_delete=models.PROTECT, related_name="seller_reports"
    )
    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("导入批次"), on_delete=models.PROTECT, related_name="seller_reports"
    )
    row_number = models.PositiveIntegerField(_("行号"), default=0)
    seller_id = models.CharField(_("店铺ID"), max_length=200)
    shop_name = models.CharField(_("店铺名称"), max_length=200, blank=True)
    claimed_name = models.CharField(_("主体名称"), max_length=200, blank=True)
    claimed_uscc = models.CharField(_("报送的统一社会信用代码"), max_length=40, blank=True)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    url = models.CharField(_("店铺网址"), max_length=500, blank=True)
    # 电子商务法 art. 10 / 网络交易监督管理办法 art. 8: what the report says about needing no registration
    exemption = models.CharField(
        _("报送的免于登记情形"), max_length=16, choices=SellerExemption.choices, blank=True
    )
    yearly_sales = models.DecimalField(
        _("年交易额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    presence = models.ForeignKey(
        Presence,
        verbose_name=_("网络经营场所"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="seller_reports",
    )

    class Meta:
        verbose_name = _("平台报送经营者")
        verbose_name_plural = _("平台报送经营者")
        ordering = ["platform", "seller_id"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "seller_id"], name="registry_seller_unique")
        ]

    def __str__(self) -> str:
        return f"{self.platform_id}:{self.seller_id} {self.claimed_name or self.shop_name}"


class MatchResult(LeadSource):
    """What the matcher decided for one seller, with a confidence and the reasons in an officer's words."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    seller = models.OneToOneField(
        SellerReport, verbose_name=_("平台报送经营者"), on_delete=models.CASCADE, related_name="match"
    )
    entity = models.ForeignKey(
        MarketEntity,
        verbose_name=_("匹配主体"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="match_results",
    )
    confidence = models.FloatField(_("置信度"), default=0)
    outcome = models.CharField(_("结论"), max_length=8, choices=MatchOutcome.choices, db_index=True)
    reasons = models.CharField(_("理由"), max_length=500, blank=True)
    candidates = models.JSONField(_("候选主体"), default=list, blank=True)
    decided = models.BooleanField(_("人工已确认"), default=False)
    computed_at = models.DateTimeField(_("匹配时间"), auto_now=True)

    class Meta:
        verbose_name = _("匹配结果")
        verbose_name_plural = _("匹配结果")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.seller} → {self.entity or '—'} ({self.get_outcome_display()})"

    @property
    def may_be_lead(self) -> bool:
        """No registered entity, or linked to one that is 注销, 吊销 or 迁出 (``services.unlicensed``)."""
        if self.outcome == MatchOutcome.NONE:
            return True
        linked = self.entity_id is not None and (self.outcome == MatchOutcome.AUTO or self.decided)
        return linked and self.entity.status in LEAD_STATUSES

    def get_absolute_url(self) -> str:
        return reverse("registry:match_list") + f"?seller_id={self.seller.seller_id}"


class MatchDecision(AuditedModel):
    """An officer's review decision on a suggested link; remembered across re-imports of the seller list."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    platform = models.ForeignKey(
        Platform, verbose_name=_("平台"), on_delete=models.CASCADE, related_name="match_decisions"
    )
    seller_id = models.CharField(_("店铺ID"), max_length=200)
    entity = models.ForeignKey(
        MarketEntity, verbose_name=_("主体"), on_delete=models.CASCADE, related_name="match_decisions"
    )
    decision = models.CharField(_("决定"), max_length=8, choices=ReviewDecision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("匹配确认")
        verbose_name_plural = _("匹配确认")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "seller_id", "entity"], name="registry_decision_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform_id}:{self.seller_id} {self.get_decision_display()} {self.entity_id}"


class CorrectionRequest(AuditedModel):
    """A data correction (核实优化数据): an officer's finding that the data differ from reality, with evidence.

    Applied only after the department head approves (the seeds' 核实优化 duty), and then
    through the audited model so the change record names the request.
    """

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    entity = models.ForeignKey(
        MarketEntity,
        verbose_name=_("市场主体"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    presence = models.ForeignKey(
        Presence,
        verbose_name=_("网络经营场所"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    field = models.CharField(_("更正字段"), max_length=50)
    current_value = models.CharField(_("现有值"), max_length=500, blank=True)
    proposed_value = models.CharField(_("应更正为"), max_length=500, blank=True)
    evidence_note = models.TextField(_("核实情况及证据"))
    status = models.CharField(
        _("状态"), max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("数据更正申请")
        verbose_name_plural = _("数据更正申请（核实优化数据）")
        ordering = ["-id"]

    def __str__(self) -> str:
        target = self.entity or self.presence
        return f"{target} · {self.field}"

    def get_absolute_url(self) -> str:
        return reverse("registry:correction", args=[self.pk])


# --------------------------------------------------------------------------- permit data (亮证核验) and
# the match weights a bureau's data gave (seller linkage): their own modules, re-exported

from wangjian.registry.linkage_models import LinkageEstimate  # noqa: E402, F401
from wangjian.registry.permit_models import Permit  # noqa: E402, F401
