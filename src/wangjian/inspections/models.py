"""双随机一公开: the item list, the inspector register's declared relations, plans, draws and their results.

A draw is made in the manner of RFC 3797: its inputs (the numbered pool and its SHA-256, the strata
and their ratios, the inspectors and the recusals, the algorithm, the named future source of public
randomness) are published and frozen first (``DrawInputs``); only later is the source's value
entered, confirmed by a second person, and the seed formed from both — so whoever edits the plan
cannot choose the outcome, and anyone can re-run the draw from what was published.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wangjian.core.models import AuditedModel
from wangjian.inspections.choices import (
    CheckMethod,
    CheckState,
    DrawOrigin,
    DrawState,
    ObjectionOutcome,
    PlanState,
    PublishedField,
    ResultCategory,
)
from wangjian.org.choices import Domain
from wangjian.platform.intake.models import LeadSource

USER = settings.AUTH_USER_MODEL


class InspectionItem(AuditedModel):
    """One row of a department's 抽查事项清单: what is checked, how, and the legal basis from the duty list."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "org.Department", verbose_name=_("实施科室"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("抽查事项"), max_length=200)
    domain = models.CharField(_("监管领域"), max_length=32, choices=Domain.choices, blank=True)
    duty_rule = models.ForeignKey(
        "org.DutyRule",
        verbose_name=_("职责清单条目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    legal_basis = models.CharField(
        _("抽查依据"), max_length=300, blank=True, help_text=_("不填则取自职责清单条目的法律依据")
    )
    method = models.CharField(
        _("检查方式"), max_length=16, choices=CheckMethod.choices, default=CheckMethod.ONLINE
    )
    is_key = models.BooleanField(
        _("重点检查事项"), default=False, help_text=_("重点检查事项的抽查比例不设上限")
    )
    content = models.TextField(_("检查内容"), blank=True)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("抽查事项")
        verbose_name_plural = _("抽查事项清单")
        ordering = ["bureau__code", "department__name", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="inspections_item_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("inspections:item", args=[self.pk])


class InspectorRelation(AuditedModel):
    """A declared relation of an inspector with an entity (利害关系): never drawn to inspect it (回避)."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(USER, verbose_name=_("检查人员"), on_delete=models.CASCADE, related_name="+")
    entity = models.ForeignKey(
        "registry.MarketEntity", verbose_name=_("市场主体"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("回避事由"), max_length=300)

    class Meta:
        verbose_name = _("检查人员回避关系")
        verbose_name_plural = _("检查人员回避关系")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["user", "entity"], name="inspections_relation_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.entity}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:relation", args=[self.pk])


class Plan(AuditedModel):
    """A 双随机 plan (抽查计划): departments, items, the objects' filter, the ratios and the inspectors' rules.

    Published (the plan and its item list) before any draw; publication freezes it.
    """

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("计划名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    department = models.ForeignKey(
        "org.Department", verbose_name=_("牵头科室"), on_delete=models.PROTECT, related_name="+"
    )
    joint_departments = models.ManyToManyField(
        "org.Department", verbose_name=_("联合检查科室"), blank=True, related_name="+"
    )
    inspector_stations = models.ManyToManyField(
        "org.Station", verbose_name=_("参加检查的基层所"), blank=True, related_name="+"
    )
    items = models.ManyToManyField(
        InspectionItem, verbose_name=_("抽查事项"), through="PlanItem", related_name="plans"
    )
    # the object filter (检查对象名录库的筛选条件)
    entity_kinds = models.JSONField(_("主体类型"), default=list, blank=True)
    regions = models.JSONField(_("区划（代码或前缀）"), default=list, blank=True)
    platform = models.ForeignKey(
        "registry.Platform",
        verbose_name=_("平台"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    grades = models.JSONField(_("风险等级"), default=list, blank=True)
    online_only = models.BooleanField(_("仅限有网络经营场所的主体"), default=True)
    # ratios by credit class and by grade, with where the defaults came from
    class_ratios = models.JSONField(_("按信用风险分类的抽查比例"), default=dict, blank=True)
    grade_ratios = models.JSONField(_("按风险等级的抽查比例"), default=dict, blank=True)
    ratio_source = models.CharField(_("比例来源"), max_length=300, blank=True)
    inspectors_per_object = models.PositiveSmallIntegerField(_("每户检查人员数"), default=2)
    station_recusal = models.BooleanField(
        _("属地回避"), default=False, help_text=_("基层所人员不抽取检查本所辖区内的主体")
    )
    check_start = models.DateField(_("检查开始日期"), null=True, blank=True)
    check_end = models.DateField(_("检查结束日期"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=PlanState.choices, default=PlanState.DRAFT)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        USER, verbose_name=_("公布人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    publication = models.JSONField(_("公布内容"), default=dict, blank=True, editable=False)
    ended_on = models.DateField(_("抽查结束日期"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("结果公示时间"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("抽查计划")
        verbose_name_plural = _("抽查计划")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inspections:plan", args=[self.pk])

    @property
    def frozen(self) -> bool:
        return self.state != PlanState.DRAFT


class PlanItem(models.Model):
    """An item of a plan; an item in a plan is not deleted (the plan's published list names it)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="plan_items")
    item = models.ForeignKey(InspectionItem, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "item"], name="inspections_plan_item_unique")]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.item_id}"


class Draw(AuditedModel):
    """One draw of a plan: published inputs, the future source named, its value entered and confirmed, the result.

    A re-draw is a new row naming the one it replaces and why; nothing is deleted. A draw imported from the
    province's own 双随机 system (``origin`` province) carries that system's task number and the imported
    file's SHA-256 instead of published inputs: the province system is its record, so it is not re-run here.
    """

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(Plan, verbose_name=_("抽查计划"), on_delete=models.PROTECT, related_name="draws")
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("重新抽取所替代的抽取"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    reason = models.CharField(_("重新抽取的理由"), max_length=300, blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=DrawState.choices, default=DrawState.PUBLISHED)
    algorithm = models.CharField(_("算法"), max_length=60)
    algorithm_version = models.PositiveSmallIntegerField(_("算法版本"))
    pool_size = models.PositiveIntegerField(_("名录库主体数"), default=0)
    pool_sha256 = models.CharField(_("名录库SHA-256"), max_length=64)
    inputs_sha256 = models.CharField(_("公布要素SHA-256"), max_length=64)
    source_name = models.CharField(_("公开随机源"), max_length=200)
    source_date = models.DateField(_("随机源产生日期"))
    published_at = models.DateTimeField(_("要素公布时间"))
    published_by = models.ForeignKey(
        USER, verbose_name=_("公布人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    value = models.CharField(_("随机源数值"), max_length=300, blank=True)
    value_entered_by = models.ForeignKey(
        USER, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    value_entered_at = models.DateTimeField(_("录入时间"), null=True, blank=True)
    value_confirmed_by = models.ForeignKey(
        USER, verbose_name=_("复核人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seed = models.CharField(_("种子"), max_length=64, blank=True)
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    objects_count = models.PositiveIntegerField(_("抽中主体数"), default=0)
    origin = models.CharField(
        _("抽取来源"), max_length=12, choices=DrawOrigin.choices, default=DrawOrigin.WANGJIAN
    )
    province_task_number = models.CharField(_("省级抽查任务编号"), max_length=100, blank=True)
    file_name = models.CharField(_("导入文件名"), max_length=255, blank=True)
    file_sha256 = models.CharField(_("导入文件SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("抽取")
        verbose_name_plural = _("抽取")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.plan} 第{self.pk}号抽取"

    def get_absolute_url(self) -> str:
        return reverse("inspections:draw", args=[self.pk])


class DrawInputs(models.Model):
    """The published inputs of a draw, exactly as hashed (canonical JSON); never changed after publication."""

    draw = models.OneToOneField(Draw, on_delete=models.CASCADE, related_name="inputs", primary_key=True)
    canonical = models.TextField(_("公布要素（规范JSON）"))
    pool_listing = models.TextField(_("名录库清单（规范文本）"))

    class Meta:
        verbose_name = _("抽取公布要素")
        verbose_name_plural = _("抽取公布要素")

    def __str__(self) -> str:
        return f"{self.draw_id}"


class DrawnObject(models.Model):
    """An entity the draw selected, in its stratum and rank."""

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="objects_drawn")
    entity = models.ForeignKey(
        "registry.MarketEntity", verbose_name=_("市场主体"), on_delete=models.PROTECT, related_name="+"
    )
    stratum = models.CharField(_("层"), max_length=20)
    rank = models.PositiveIntegerField(_("层内序位"))
    # The online check requested for the object and run in the background (``services.checks.check_request``):
    # queued → running → done, or failed with the reason; one at a time.
    check_state = models.CharField(
        _("线上检查状态"), max_length=8, choices=CheckState.choices, default=CheckState.NONE, blank=True
    )
    check_requested_at = models.DateTimeField(_("线上检查请求时间"), null=True, blank=True)
    check_requested_by = models.ForeignKey(
        USER,
        verbose_name=_("线上检查请求人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    check_presence = models.ForeignKey(
        "registry.Presence",
        verbose_name=_("只检查的网络经营场所"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    check_record = models.TextField(_("请求时填写的检查记录"), blank=True)
    check_finished_at = models.DateTimeField(_("线上检查结束时间"), null=True, blank=True)
    check_error = models.CharField(_("线上检查失败原因"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("抽中主体")
        verbose_name_plural = _("抽中主体")
        ordering = ["draw", "stratum", "rank"]
        constraints = [models.UniqueConstraint(fields=["draw", "entity"], name="inspections_drawn_unique")]

    def __str__(self) -> str:
        return f"{self.draw_id}:{self.entity_id}"


class DrawnInspector(models.Model):
    """An inspector the draw assigned to an object, in rank order."""

    drawn = models.ForeignKey(DrawnObject, on_delete=models.CASCADE, related_name="inspectors")
    user = models.ForeignKey(USER, verbose_name=_("检查人员"), on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField(_("序位"))
    warning = models.CharField(
        _("提示"),
        max_length=300,
        blank=True,
        help_text=_("省级系统抽取的检查人员与该主体有申报的利害关系：保留（抽取由省级系统作出），提示回避"),
    )

    class Meta:
        ordering = ["drawn", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["drawn", "user"], name="inspections_drawn_inspector_unique")
        ]

    def __str__(self) -> str:
        return f"{self.drawn_id}:{self.user_id}"


class ProvinceDrawRejectedRow(models.Model):
    """A row (or one inspector of a row) of a province draw's file that was not imported, with why."""

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="rejected_rows")
    row_number = models.PositiveIntegerField(_("行号"))
    column = models.CharField(_("列"), max_length=100, blank=True)
    value = models.CharField(_("值"), max_length=500, blank=True)
    reason = models.CharField(_("原因"), max_length=500)
    raw = models.JSONField(_("原始行"), default=list)

    class Meta:
        verbose_name = _("省级抽取结果拒收行")
        verbose_name_plural = _("省级抽取结果拒收行")
        ordering = ["draw", "row_number", "id"]

    def __str__(self) -> str:
        return f"{self.row_number}: {self.reason}"


class OnlineCheck(LeadSource, AuditedModel):
    """An online check of one presence of a drawn object: the fetch's verdicts and hits, the capture, the record."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    drawn = models.ForeignKey(
        DrawnObject, verbose_name=_("抽中主体"), on_delete=models.PROTECT, related_name="checks"
    )
    presence = models.ForeignKey(
        "registry.Presence", verbose_name=_("网络经营场所"), on_delete=models.PROTECT, related_name="+"
    )
    url = models.CharField(_("检查网址"), max_length=500)
    checked_at = models.DateTimeField(_("检查时间"))
    checked_by = models.ForeignKey(
        USER, verbose_name=_("检查人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fetch_status = models.CharField(_("抓取结果"), max_length=12, blank=True)
    fetch_reason = models.CharField(_("抓取说明"), max_length=500, blank=True)
    licence_verdict = models.CharField(_("亮照核验结果"), max_length=20, blank=True)
    licence_reason = models.CharField(_("亮照核验说明"), max_length=500, blank=True)
    permits = models.JSONField(_("亮证核验结果"), default=list, blank=True)
    hits = models.JSONField(_("规则命中"), default=list, blank=True)
    capture = models.ForeignKey(
        "evidence.EvidenceCapture",
        verbose_name=_("取证记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    violation = models.BooleanField(_("发现违法行为"), default=False)
    record = models.TextField(_("检查记录"), blank=True)

    class Meta:
        verbose_name = _("线上检查")
        verbose_name_plural = _("线上检查")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.presence} @ {self.checked_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:draw", args=[self.drawn.draw_id])


class InspectionResult(AuditedModel):
    """The result of one item for one drawn object, in the publicity system's category; published later."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    drawn = models.ForeignKey(
        DrawnObject, verbose_name=_("抽中主体"), on_delete=models.PROTECT, related_name="results"
    )
    item = models.ForeignKey(
        InspectionItem, verbose_name=_("抽查事项"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("检查结果"), max_length=16, choices=ResultCategory.choices)
    note = models.TextField(_("说明"), blank=True)
    checked_on = models.DateField(_("检查日期"))
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("记录人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    # a check of published information (公示信息检查): what was compared
    checked_field = models.CharField(
        _("核查的公示信息项目"), max_length=16, choices=PublishedField.choices, blank=True
    )
    published_value = models.CharField(_("企业公示的内容"), max_length=500, blank=True)
    found_value = models.CharField(_("核查发现的情况"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("抽查结果")
        verbose_name_plural = _("抽查结果")
        ordering = ["drawn", "item"]
        constraints = [models.UniqueConstraint(fields=["drawn", "item"], name="inspections_result_unique")]

    def __str__(self) -> str:
        return f"{self.drawn.entity} {self.item}: {self.get_category_display()}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:draw", args=[self.drawn.draw_id])


class InspectionSettings(AuditedModel):
    """The office's settings of objections to published results (异议).

    The periods are not in the seeds' rules: the defaults follow the pattern of 《企业经营异常名录管理办法》
    (objection within 30 days of publication, decided within 20 working days) and must be verified against
    《企业公示信息抽查办法》 and the province's rules before relying on them.
    """

    bureau = models.OneToOneField("org.Bureau", on_delete=models.CASCADE, related_name="inspection_settings")
    objection_days = models.PositiveIntegerField(_("异议期限（公示之日起，日）"), default=30)
    objection_decision_days = models.PositiveIntegerField(_("异议处理期限（登记之日起，工作日）"), default=20)

    class Meta:
        verbose_name = _("双随机抽查设置")
        verbose_name_plural = _("双随机抽查设置")

    def __str__(self) -> str:
        return f"{self.bureau} 双随机抽查设置"

    def get_absolute_url(self) -> str:
        return f"{reverse('inspections:settings')}?bureau={self.bureau_id}"


class ResultObjection(AuditedModel):
    """An objection (异议) of the entity to a published result, filed by the office on its behalf, and
    its decision: upheld corrects the result's category (the earlier one kept here), rejected keeps it."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    result = models.ForeignKey(
        InspectionResult, verbose_name=_("抽查结果"), on_delete=models.PROTECT, related_name="objections"
    )
    text = models.TextField(_("异议内容"))
    filed_on = models.DateField(_("提出异议日期"))
    filed_by = models.ForeignKey(
        USER, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due = models.DateField(_("处理期限"), null=True, blank=True)
    outcome = models.CharField(
        _("处理结果"),
        max_length=12,
        choices=ObjectionOutcome.choices,
        default=ObjectionOutcome.PENDING,
        blank=True,
    )
    reason = models.TextField(_("处理理由"), blank=True)
    decided_on = models.DateField(_("处理日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, verbose_name=_("处理人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    category_before = models.CharField(_("原检查结果"), max_length=16, choices=ResultCategory.choices)
    category_after = models.CharField(
        _("更正后的检查结果"), max_length=16, choices=ResultCategory.choices, blank=True
    )

    class Meta:
        verbose_name = _("抽查结果异议")
        verbose_name_plural = _("抽查结果异议")
        ordering = ["result", "id"]

    def __str__(self) -> str:
        return f"{self.result} 异议（{self.filed_on:%Y-%m-%d}）"

    def get_absolute_url(self) -> str:
        return reverse("inspections:draw", args=[self.result.drawn.draw_id])
