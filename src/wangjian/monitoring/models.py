"""Rule libraries (监测关键词库): per department, versioned draft → published, with a regression set.

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
from wangjian.monitoring.choices import Category, Expectation, ProductKind, Severity, VersionStatus
from wangjian.org.choices import DepartmentKind, Domain


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

        spec = parse_library(self.content, source=str(self))
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
