"""Rule libraries (监测关键词库) and the sweeps that run them (网络交易监测任务).

Rule libraries: per department, versioned draft → published, with a regression set.

The seeds (旌德 mechanism 二(三)) have the office refine a library of violation keywords
with every department and run monitoring with it; a finding must say which version of
which library produced it, so a published version is never edited — changes make a new
draft, and the office publishes it only when its regression set passes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wangjian.core.models import AuditedModel
from wangjian.monitoring import limits
from wangjian.monitoring.choices import (
    Category,
    ChunkStatus,
    EvidenceThreshold,
    Expectation,
    FindingStatus,
    LicenceCheckKind,
    PageOutcome,
    ProductKind,
    RenderMode,
    RunStatus,
    Severity,
    VersionStatus,
)
from wangjian.org.choices import DepartmentKind, Domain
from wangjian.platform.intake.models import LeadSource


class RuleLibrary(AuditedModel):
    """A department's library of monitoring rules for one domain."""

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="rule_libraries"
    )
    name = models.SlugField(_("库标识"), max_length=64, help_text=_("英文标识，如 advertising"))
    title = models.CharField(_("名称"), max_length=200)
    department_kind = models.CharField(
        _("负责科室类型"), max_length=32, choices=DepartmentKind.choices, blank=True
    )
    domain = models.CharField(_("监管领域"), max_length=32, choices=Domain.choices, blank=True)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("监测关键词库")
        verbose_name_plural = _("监测关键词库")
        ordering = ["bureau", "name"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "name"], name="monitoring_library_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.name}）"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:library", args=[self.pk])

    def published_version(self) -> RuleLibraryVersion | None:
        return self.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


class RuleLibraryVersion(AuditedModel):
    """One version of a library: its full content (as in the YAML file) and who published it when."""

    library = models.ForeignKey(
        RuleLibrary, verbose_name=_("关键词库"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(
        _("状态"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    content = models.JSONField(_("内容"), default=dict)
    source = models.CharField(_("来源"), max_length=200, blank=True, help_text=_("导入文件名或“默认库”"))
    note = models.CharField(_("修订说明"), max_length=300, blank=True)
    rule_count = models.PositiveIntegerField(_("规则数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    regression_passed = models.PositiveIntegerField(_("回归测试通过数"), default=0)
    regression_total = models.PositiveIntegerField(_("回归测试总数"), default=0)

    class Meta:
        verbose_name = _("关键词库版本")
        verbose_name_plural = _("关键词库版本")
        ordering = ["library", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["library", "number"], name="monitoring_version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.library.name} v{self.number}（{self.get_status_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:version", args=[self.pk])

    def audit_bureau_id(self) -> int | None:
        return self.library.bureau_id

    def spec(self):
        from wangjian.monitoring.rulefile import parse_library

        # Read back without the import's probe: a pattern that times out now is reported by the
        # sweeps (``Rule.regex_timeouts``), and the rest of the library still runs.
        spec = parse_library(self.content, source=str(self), check_patterns=False)
        spec.version, spec.version_id = f"{self.library.name} v{self.number}", self.pk
        return spec


class Rule(AuditedModel):
    """One rule of a version (a copy of the content, for lists, filters and statistics)."""

    version = models.ForeignKey(
        RuleLibraryVersion, verbose_name=_("版本"), on_delete=models.CASCADE, related_name="rules"
    )
    code = models.CharField(_("规则编号"), max_length=64)
    name = models.CharField(_("规则名称"), max_length=200)
    category = models.CharField(_("类别"), max_length=32, choices=Category.choices)
    severity = models.CharField(
        _("严重程度"), max_length=8, choices=Severity.choices, default=Severity.MEDIUM
    )
    legal_basis = models.CharField(_("法律依据"), max_length=300, blank=True)
    explanation = models.TextField(_("说明"), blank=True)
    product_kinds = models.JSONField(_("适用商品类型"), default=list, blank=True)
    terms = models.JSONField(_("关键词"), default=list, blank=True)
    regexes = models.JSONField(_("正则表达式"), default=list, blank=True)
    exclusions = models.JSONField(_("豁免短语"), default=list, blank=True)
    context = models.JSONField(_("语境豁免"), default=list, blank=True)
    near_terms = models.JSONField(_("邻近条件关键词"), default=list, blank=True)
    near_within = models.PositiveIntegerField(_("邻近距离（字）"), default=0)
    absent = models.JSONField(_("须缺少的声明"), default=list, blank=True)
    enabled = models.BooleanField(_("启用"), default=True)
    hits = models.PositiveIntegerField(_("命中次数"), default=0)
    confirmed = models.PositiveIntegerField(_("确认违法"), default=0)
    dismissed = models.PositiveIntegerField(_("排除误报"), default=0)
    regex_timeouts = models.PositiveIntegerField(
        _("正则超时次数"),
        default=0,
        help_text=_("监测中本规则的正则表达式超过时限而被跳过的次数（其余规则照常运行）"),
    )
    regex_timeout_pattern = models.CharField(_("最近超时的正则表达式"), max_length=500, blank=True)
    regex_timeout_at = models.DateTimeField(_("最近超时时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("监测规则")
        verbose_name_plural = _("监测规则")
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="monitoring_rule_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:rule", args=[self.pk])

    # Counters of the sweeps and the review, raised atomically by many workers at once (F() updates):
    # statistics about the rule, not a change of it, so the change log does not record them.
    audit_ignore = (
        "hits",
        "confirmed",
        "dismissed",
        "regex_timeouts",
        "regex_timeout_pattern",
        "regex_timeout_at",
    )

    def audit_bureau_id(self) -> int | None:
        return self.version.library.bureau_id

    @property
    def precision(self) -> float | None:
        decided = self.confirmed + self.dismissed
        return round(self.confirmed / decided, 3) if decided else None


class RegressionLine(AuditedModel):
    """A test line of a library: text that must be flagged, or must not be (回归测试集)."""

    library = models.ForeignKey(
        RuleLibrary, verbose_name=_("关键词库"), on_delete=models.CASCADE, related_name="regression_lines"
    )
    text = models.TextField(_("测试文本"))
    expect = models.CharField(_("预期"), max_length=16, choices=Expectation.choices)
    category = models.CharField(_("类别"), max_length=32, choices=Category.choices, blank=True)
    product_kind = models.CharField(_("商品类型"), max_length=32, choices=ProductKind.choices, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("回归测试语句")
        verbose_name_plural = _("回归测试语句")
        ordering = ["library", "id"]

    def __str__(self) -> str:
        return f"[{self.get_expect_display()}] {self.text[:40]}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:library", args=[self.library_id])

    def audit_bureau_id(self) -> int | None:
        return self.library.bureau_id


# --------------------------------------------------------------------------- sweeps (网络交易监测任务)


class MonitoringTask(AuditedModel):
    """A monitoring task (监测任务): which presences, which libraries, how deep, how often.

    The seeds (旌德 mechanism 二(三)) have the office monitor the county's online presences
    on a schedule; 电子商务法 art. 15 makes every presence show its licence, so every sweep
    also checks the licence display on each presence's entry page.

    Selection: the filters (web domain, region prefix, platforms, station territory, the
    entities' risk grades) narrow the bureau's presences that have a URL; the explicit entities
    and presences are added to what the filters select (alone, they are the whole selection).
    A task over the 重点监控 entities run every day is how the office watches high-risk
    entities more closely (旌德 mechanism 二(七), 四(四) 触发式监管).
    """

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="monitoring_tasks"
    )
    name = models.CharField(_("任务名称"), max_length=200)
    hosts = models.JSONField(
        _("网址域名"), default=list, blank=True, help_text=_("只监测这些域名（含子域名）下的场所，一行一个")
    )
    region_prefix = models.CharField(
        _("区划代码前缀"), max_length=12, blank=True, help_text=_("关联主体的区划代码以此开头")
    )
    platforms = models.ManyToManyField(
        "registry.Platform", verbose_name=_("平台"), blank=True, related_name="+"
    )
    station = models.ForeignKey(
        "org.Station",
        verbose_name=_("基层所辖区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    risk_grades = models.JSONField(
        _("风险等级"),
        default=list,
        blank=True,
        help_text=_("只监测关联主体为这些风险等级的场所（重点监控/预警监控/一般监控）；留空不限"),
    )
    entities = models.ManyToManyField(
        "registry.MarketEntity", verbose_name=_("主体清单"), blank=True, related_name="+"
    )
    presences = models.ManyToManyField(
        "registry.Presence", verbose_name=_("指定场所"), blank=True, related_name="+"
    )
    libraries = models.JSONField(
        _("规则库"), default=list, blank=True, help_text=_("规则库标识，留空则使用全部已发布的库")
    )
    depth = models.PositiveSmallIntegerField(
        _("抓取深度"),
        default=1,
        validators=[limits.DEPTH],
        help_text=_("从入口页起跟随链接的层数，0–3（0 只取入口页）"),
    )
    max_pages = models.PositiveIntegerField(
        _("每个场所页面上限"),
        default=50,
        validators=[limits.PAGES],
        help_text=_("每次执行每个场所最多获取的页面数，1–500"),
    )
    render = models.CharField(
        _("浏览器渲染"), max_length=8, choices=RenderMode.choices, default=RenderMode.AUTO
    )
    delay = models.FloatField(
        _("同一主机请求间隔（秒）"),
        default=0.25,
        validators=[limits.DELAY],
        help_text=_("对同一主机两次请求之间至少间隔的秒数，0.1–60（即每秒至多 10 次请求）"),
    )
    evidence_threshold = models.CharField(
        _("自动取证阈值"), max_length=8, choices=EvidenceThreshold.choices, default=EvidenceThreshold.HIGH
    )
    interval_hours = models.PositiveIntegerField(
        _("执行周期（小时）"), default=0, help_text=_("0 表示只手动执行")
    )
    enabled = models.BooleanField(_("启用"), default=True)
    last_run_at = models.DateTimeField(_("最近执行"), null=True, blank=True)

    audit_ignore = ("last_run_at",)  # each run is its own record (SweepRun)

    class Meta:
        verbose_name = _("监测任务")
        verbose_name_plural = _("监测任务")
        ordering = ["bureau", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("monitoring:task", args=[self.pk])


class SweepRun(models.Model):
    """One run of a task (一次监测); its counts are the sums of its chunks while it runs."""

    task = models.ForeignKey(
        MonitoringTask, verbose_name=_("监测任务"), on_delete=models.CASCADE, related_name="runs"
    )
    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    presences_total = models.PositiveIntegerField(_("场所数"), default=0)
    chunks_total = models.PositiveIntegerField(_("分片数"), default=0)
    pages_done = models.PositiveIntegerField(_("已获取页面"), default=0)
    pages_failed = models.PositiveIntegerField(_("获取失败页面"), default=0)
    pages_unchanged = models.PositiveIntegerField(_("未变化页面"), default=0)
    pages_remaining = models.PositiveIntegerField(_("待获取入口页"), default=0)
    findings_new = models.PositiveIntegerField(_("新发现"), default=0)
    findings_seen = models.PositiveIntegerField(_("再次发现"), default=0)
    regex_timeouts = models.PositiveIntegerField(
        _("正则超时"), default=0, help_text=_("页面上正则表达式超过时限（或本页正则用时已尽）而被跳过的次数")
    )
    message = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("监测执行记录")
        verbose_name_plural = _("监测执行记录")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:run", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)


class SweepChunk(models.Model):
    """A per-host share of a run, executed as one Celery task; a retried chunk redoes its pages.

    Its counters are reset when an attempt starts, so a redelivered chunk never counts a page twice.
    """

    run = models.ForeignKey(
        SweepRun, verbose_name=_("监测执行"), on_delete=models.CASCADE, related_name="chunks"
    )
    host = models.CharField(_("主机"), max_length=300)
    presence_ids = models.JSONField(_("场所"), default=list)
    status = models.CharField(
        _("状态"), max_length=8, choices=ChunkStatus.choices, default=ChunkStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("执行次数"), default=0)
    presences_done = models.PositiveIntegerField(_("已完成场所"), default=0)
    pages_done = models.PositiveIntegerField(_("已获取页面"), default=0)
    pages_failed = models.PositiveIntegerField(_("获取失败页面"), default=0)
    pages_unchanged = models.PositiveIntegerField(_("未变化页面"), default=0)
    findings_new = models.PositiveIntegerField(_("新发现"), default=0)
    findings_seen = models.PositiveIntegerField(_("再次发现"), default=0)
    regex_timeouts = models.PositiveIntegerField(_("正则超时"), default=0)
    regex_notes = models.JSONField(_("正则超时说明"), default=list, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = _("监测分片")
        verbose_name_plural = _("监测分片")
        ordering = ["run", "id"]

    def __str__(self) -> str:
        return f"{self.run} · {self.host}"


class PageSnapshot(models.Model):
    """The last state of one page of a presence: for conditional requests, change detection and the diff."""

    presence = models.ForeignKey(
        "registry.Presence", verbose_name=_("网络经营场所"), on_delete=models.CASCADE, related_name="+"
    )
    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    url = models.CharField(_("网址"), max_length=1000)
    depth = models.PositiveSmallIntegerField(_("深度"), default=0)
    content_hash = models.CharField(_("内容哈希"), max_length=64, blank=True)
    etag = models.CharField("ETag", max_length=300, blank=True)
    last_modified = models.CharField("Last-Modified", max_length=100, blank=True)
    text = models.TextField(_("页面文本"), blank=True)
    previous_text = models.TextField(_("上次页面文本"), blank=True)
    links = models.JSONField(_("页面链接"), default=list, blank=True)
    outcome = models.CharField(_("获取结果"), max_length=10, choices=PageOutcome.choices)
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP状态码"), null=True, blank=True)
    rendered = models.BooleanField(_("浏览器渲染"), default=False)
    checked_at = models.DateTimeField(_("检查时间"))
    changed_at = models.DateTimeField(_("内容变化时间"), null=True, blank=True)
    last_run = models.ForeignKey(
        SweepRun,
        verbose_name=_("最近执行"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("页面快照")
        verbose_name_plural = _("页面快照")
        ordering = ["presence", "url"]
        constraints = [
            models.UniqueConstraint(fields=["presence", "url"], name="monitoring_snapshot_unique_url")
        ]

    def __str__(self) -> str:
        return self.url

    def get_absolute_url(self) -> str:
        return reverse("monitoring:snapshot", args=[self.pk])


class Finding(LeadSource, AuditedModel):
    """A monitoring finding (监测发现): a rule's hit on a presence, deduplicated across runs.

    One finding per (presence, rule code, normalised matched text): the same text seen again
    moves ``last_seen`` and ``seen_count``, so the office reviews a violation once, and a
    retried chunk can never add a second row (the constraint holds whatever the workers do).
    Reviews (confirm, dismiss) are written to the change log.
    """

    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    presence = models.ForeignKey(
        "registry.Presence", verbose_name=_("网络经营场所"), on_delete=models.CASCADE, related_name="+"
    )
    task = models.ForeignKey(
        MonitoringTask,
        verbose_name=_("监测任务"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )
    first_run = models.ForeignKey(
        SweepRun,
        verbose_name=_("首次发现于"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_run = models.ForeignKey(
        SweepRun,
        verbose_name=_("最近发现于"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    page_url = models.CharField(_("页面网址"), max_length=1000)
    rule = models.ForeignKey(
        Rule,
        verbose_name=_("规则"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )
    rule_code = models.CharField(_("规则编号"), max_length=64)
    rule_name = models.CharField(_("规则名称"), max_length=200, blank=True)
    library_version = models.ForeignKey(
        RuleLibraryVersion,
        verbose_name=_("规则库版本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version_label = models.CharField(_("规则库版本"), max_length=100, blank=True)
    matched = models.CharField(_("命中文字"), max_length=300)
    matched_key = models.CharField(_("规范化命中文字"), max_length=300, editable=False)
    start = models.PositiveIntegerField(_("起始位置"), default=0)
    end = models.PositiveIntegerField(_("结束位置"), default=0)
    context = models.TextField(_("上下文"), blank=True)
    context_start = models.PositiveIntegerField(_("命中在上下文中的位置"), default=0)
    source = models.CharField(_("文本来源"), max_length=32, blank=True)
    category = models.CharField(_("类别"), max_length=32, choices=Category.choices)
    severity = models.CharField(_("严重程度"), max_length=8, choices=Severity.choices)
    legal_basis = models.CharField(_("法律依据"), max_length=300, blank=True)
    first_seen = models.DateTimeField(_("首次发现"))
    last_seen = models.DateTimeField(_("最近发现"))
    seen_count = models.PositiveIntegerField(_("发现次数"), default=1)
    status = models.CharField(
        _("审核状态"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.NEW
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
    review_reason = models.CharField(_("审核意见"), max_length=500, blank=True)
    evidence = models.ForeignKey(
        "evidence.EvidenceCapture",
        verbose_name=_("取证记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    evidence_requested = models.BooleanField(_("已申请自动取证"), default=False)

    # Seen again by a sweep: bookkeeping, counted in bulk; reviews, clues and evidence are logged.
    audit_ignore = ("last_seen", "last_run", "seen_count")

    class Meta:
        verbose_name = _("监测发现")
        verbose_name_plural = _("监测发现")
        ordering = ["-last_seen", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["presence", "rule_code", "matched_key"], name="monitoring_finding_dedup"
            )
        ]
        # The finding list's order within a bureau: without it each page sorted every finding
        # (0.2–0.7 s at 50,000 findings, bench/load.py); with it, a page is read off the index.
        # By first seen: today's findings counted live and the days rolled up (monitoring.rollup);
        # by review: the findings confirmed within a period.
        indexes = [
            models.Index(fields=["bureau", "-last_seen", "-id"], name="monitoring_finding_recent"),
            models.Index(fields=["bureau", "first_seen"], name="monitoring_finding_first_seen"),
            models.Index(fields=["bureau", "reviewed_at"], name="monitoring_finding_reviewed"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_code}“{self.matched}” @ {self.presence_id}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:finding", args=[self.pk])


class LicenceCheck(LeadSource):
    """A licence display verdict (亮照核验结果) of a presence's entry page in one run (电子商务法 art. 15),
    and beside it, one per ``kind``, the verdicts on the permits its goods require (亮证, ``permits``) and
    on the bureau's electronic business mark (亮标)."""

    presence = models.ForeignKey(
        "registry.Presence", verbose_name=_("网络经营场所"), on_delete=models.CASCADE, related_name="+"
    )
    bureau = models.ForeignKey(
        "org.Bureau", verbose_name=_("所属局"), on_delete=models.PROTECT, related_name="+"
    )
    run = models.ForeignKey(
        SweepRun,
        verbose_name=_("监测执行"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="licence_checks",
    )
    url = models.CharField(_("入口页"), max_length=1000)
    kind = models.CharField(
        _("核验项目"),
        max_length=16,
        choices=LicenceCheckKind.choices,
        default=LicenceCheckKind.BUSINESS_LICENCE,
    )
    verdict = models.CharField(_("核验结果"), max_length=16)
    reason = models.CharField(_("理由"), max_length=500, blank=True)
    uscc = models.CharField(_("页面显示的代码"), max_length=40, blank=True)
    name = models.CharField(_("页面显示的名称"), max_length=200, blank=True)
    evidence_text = models.TextField(_("页面原文"), blank=True)
    checked_at = models.DateTimeField(_("核验时间"))

    class Meta:
        verbose_name = _("亮照亮证核验")
        verbose_name_plural = _("亮照亮证核验")
        ordering = ["-checked_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "presence", "kind"], name="monitoring_licence_once_per_run_and_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.presence_id}: {self.verdict}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:licence", args=[self.pk])

    def get_verdict_display(self) -> str:
        from wangjian.monitoring.licence import LicenceVerdict
        from wangjian.monitoring.permits import PermitVerdict

        choices = LicenceVerdict if self.kind == LicenceCheckKind.BUSINESS_LICENCE else PermitVerdict
        try:
            return str(choices(self.verdict).label)
        except ValueError:
            return self.verdict


# --------------------------------------------------------------------------- listing-feed scans

from wangjian.monitoring.feedscan_models import FeedScan  # noqa: E402, F401  (its own module; re-exported)
from wangjian.monitoring.rollup_models import FindingDayCount, FindingDayRolled  # noqa: E402, F401  (re-exported)
