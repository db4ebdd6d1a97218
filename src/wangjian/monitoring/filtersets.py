"""One FilterSet per model, for the web lists (and any API) alike."""

import django_filters as df
from django.db.models import Q
from django.forms import DateInput
from django.utils.translation import gettext_lazy as _

from wangjian.monitoring.choices import (
    Category,
    FeedSource,
    FindingStatus,
    LicenceCheckKind,
    PageOutcome,
    RunStatus,
    Severity,
    VersionStatus,
)
from wangjian.monitoring.licence import LicenceVerdict
from wangjian.monitoring.models import Rule, RuleLibrary
from wangjian.monitoring.permits import PermitVerdict
from wangjian.org.choices import DepartmentKind, Domain
from wangjian.platform.filtersets import IdFilter, SearchFilterSet
from wangjian.registry.filtersets import platforms_visible

DATE = DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RuleLibraryFilterSet(df.FilterSet):
    q = df.CharFilter(method="search", label=_("搜索"))
    department_kind = df.ChoiceFilter(choices=DepartmentKind.choices, label=_("负责科室类型"))
    domain = df.ChoiceFilter(choices=Domain.choices, label=_("监管领域"))

    class Meta:
        model = RuleLibrary
        fields = ["q", "department_kind", "domain"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(title__icontains=value)) if value else queryset


class RuleFilterSet(df.FilterSet):
    q = df.CharFilter(method="search", label=_("搜索"))
    category = df.ChoiceFilter(choices=Category.choices, label=_("类别"))
    severity = df.ChoiceFilter(choices=Severity.choices, label=_("严重程度"))
    library = df.CharFilter(field_name="version__library__name", label=_("库标识"))
    status = df.ChoiceFilter(field_name="version__status", choices=VersionStatus.choices, label=_("版本状态"))

    class Meta:
        model = Rule
        fields = ["q", "category", "severity", "library", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(terms__icontains=value)
        )


class MonitoringTaskFilterSet(df.FilterSet):
    q = df.CharFilter(field_name="name", lookup_expr="icontains", label=_("搜索"))

    class Meta:
        from wangjian.monitoring.models import MonitoringTask

        model = MonitoringTask
        fields = ["q", "enabled"]


class SweepRunFilterSet(df.FilterSet):
    # a run not yet started is dated by its creation, as the figure ``monitoring_pages`` dates it
    started_after = df.DateFilter(method="filter_started_after", label=_("开始日期起"), widget=DATE)
    started_before = df.DateFilter(method="filter_started_before", label=_("开始日期止"), widget=DATE)

    class Meta:
        from wangjian.monitoring.models import SweepRun

        model = SweepRun
        fields = ["task", "status", "started_after", "started_before"]

    def filter_started_after(self, queryset, name, value):
        return queryset.filter(
            Q(started_at__date__gte=value) | Q(started_at__isnull=True, created__date__gte=value)
        )

    def filter_started_before(self, queryset, name, value):
        return queryset.filter(
            Q(started_at__date__lte=value) | Q(started_at__isnull=True, created__date__lte=value)
        )


class FindingFilterSet(df.FilterSet):
    q = df.CharFilter(method="search", label=_("搜索"))
    status = df.ChoiceFilter(choices=FindingStatus.choices, label=_("审核状态"))
    category = df.ChoiceFilter(choices=Category.choices, label=_("类别"))
    severity = df.ChoiceFilter(choices=Severity.choices, label=_("严重程度"))
    rule_code = df.CharFilter(label=_("规则编号"))
    presence = IdFilter(field_name="presence_id", label=_("场所ID"))
    entity = IdFilter(field_name="presence__entity_id", label=_("市场主体ID"))
    task = IdFilter(field_name="task_id", label=_("任务ID"))
    has_evidence = df.BooleanFilter(
        field_name="evidence", lookup_expr="isnull", exclude=True, label=_("已取证")
    )
    # What one run (a sweep, or a feed scan's run) produced: first found there, or found there again.
    run = IdFilter(method="in_run", label=_("执行ID（首次或最近发现于）"))
    first_run = IdFilter(field_name="first_run_id", label=_("首次发现于执行ID"))
    platform = df.ModelChoiceFilter(
        field_name="presence__platform", queryset=platforms_visible, label=_("平台")
    )
    first_seen_after = df.DateFilter(
        field_name="first_seen", lookup_expr="date__gte", label=_("首次发现日期起"), widget=DATE
    )
    first_seen_before = df.DateFilter(
        field_name="first_seen", lookup_expr="date__lte", label=_("首次发现日期止"), widget=DATE
    )
    reviewed_after = df.DateFilter(
        field_name="reviewed_at", lookup_expr="date__gte", label=_("审核日期起"), widget=DATE
    )
    reviewed_before = df.DateFilter(
        field_name="reviewed_at", lookup_expr="date__lte", label=_("审核日期止"), widget=DATE
    )

    class Meta:
        from wangjian.monitoring.models import Finding

        model = Finding
        fields = [
            "q",
            "status",
            "category",
            "severity",
            "rule_code",
            "presence",
            "entity",
            "task",
            "has_evidence",
            "run",
            "first_run",
            "platform",
            "first_seen_after",
            "first_seen_before",
            "reviewed_after",
            "reviewed_before",
        ]

    def in_run(self, queryset, name, value):
        return queryset.filter(Q(first_run_id=value) | Q(last_run_id=value)) if value else queryset

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(matched__icontains=value)
            | Q(presence__shop_name__icontains=value)
            | Q(page_url__icontains=value)
        )


# The licence verdicts (亮照) and the permit verdicts (亮证, 亮标) in one list: the table holds both.
CHECK_VERDICTS = list(LicenceVerdict.choices) + [
    (v, label) for v, label in PermitVerdict.choices if v not in LicenceVerdict.values
]


class LicenceCheckFilterSet(df.FilterSet):
    kind = df.ChoiceFilter(choices=LicenceCheckKind.choices, label=_("核验项目"))
    verdict = df.ChoiceFilter(choices=CHECK_VERDICTS, label=_("核验结果"))
    presence = IdFilter(field_name="presence_id", label=_("场所ID"))
    run = IdFilter(field_name="run_id", label=_("执行ID"))

    class Meta:
        from wangjian.monitoring.models import LicenceCheck

        model = LicenceCheck
        fields = ["kind", "verdict", "presence", "run"]


class PageSnapshotFilterSet(df.FilterSet):
    outcome = df.ChoiceFilter(choices=PageOutcome.choices, label=_("获取结果"))
    presence = IdFilter(field_name="presence_id", label=_("场所ID"))
    url = df.CharFilter(lookup_expr="icontains", label=_("网址"))

    class Meta:
        from wangjian.monitoring.models import PageSnapshot

        model = PageSnapshot
        fields = ["outcome", "presence", "url"]


class FeedScanFilterSet(SearchFilterSet):
    """The feed scans (监测商品信息扫描): by task, platform and status; ``q`` searches the file name and URL."""

    search_fields = ("file_name", "url")
    status = df.ChoiceFilter(choices=RunStatus.choices, label=_("状态"))
    source = df.ChoiceFilter(choices=FeedSource.choices, label=_("来源"))

    class Meta:
        from wangjian.monitoring.models import FeedScan

        model = FeedScan
        fields = ["q", "task", "platform", "status", "source"]
