"""REST endpoints of the sweeps: tasks (with a run action), runs with progress, findings (review), licence checks.

Scoping identical to the UI; keyset pagination; the review goes through the same services.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.core.api import IdCursorPagination
from wangjian.core.audit import acting
from wangjian.monitoring import feedscan_api, filtersets, selectors, services
from wangjian.monitoring.models import Finding, LicenceCheck, MonitoringTask, SweepRun
from wangjian.org.selectors import scope
from wangjian.platform.api import ScopedModelViewSet
from wangjian.registry.choices import RiskGrade


class MonitoringTaskSerializer(serializers.ModelSerializer):
    risk_grades = serializers.ListField(
        child=serializers.ChoiceField(choices=RiskGrade.choices),
        required=False,
        help_text="只监测关联主体为这些风险等级的场所（key 重点监控, warning 预警监控, general 一般监控）",
    )

    class Meta:
        model = MonitoringTask
        fields = [
            "id",
            "bureau",
            "name",
            "hosts",
            "region_prefix",
            "platforms",
            "station",
            "risk_grades",
            "entities",
            "presences",
            "libraries",
            "depth",
            "max_pages",
            "render",
            "delay",
            "evidence_threshold",
            "interval_hours",
            "enabled",
            "last_run_at",
        ]
        read_only_fields = ["last_run_at"]


class SweepRunSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()

    class Meta:
        model = SweepRun
        fields = [
            "id",
            "task",
            "status",
            "started_at",
            "finished_at",
            "presences_total",
            "chunks_total",
            "message",
            "progress",
        ]

    def get_progress(self, obj) -> dict:
        return selectors.run_progress(run=obj)


class FindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Finding
        fields = [
            "id",
            "bureau",
            "presence",
            "task",
            "page_url",
            "rule_code",
            "rule_name",
            "version_label",
            "category",
            "severity",
            "legal_basis",
            "matched",
            "context",
            "source",
            "first_seen",
            "last_seen",
            "seen_count",
            "status",
            "reviewed_by",
            "reviewed_at",
            "review_reason",
            "evidence",
            "clue_number",
        ]


class FindingReviewSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="审核理由")


class FindingDecisionSerializer(FindingSerializer):
    """The finding after review, with the decision as the service words it."""

    decision = serializers.CharField(help_text="审核结果说明")

    class Meta(FindingSerializer.Meta):
        fields = [*FindingSerializer.Meta.fields, "decision"]


class RunStartedSerializer(SweepRunSerializer):
    """The run a task started, with why it started as it did (or why nothing was due)."""

    reason = serializers.CharField(help_text="启动说明")

    class Meta(SweepRunSerializer.Meta):
        fields = [*SweepRunSerializer.Meta.fields, "reason"]


class LicenceCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = LicenceCheck
        fields = [
            "id",
            "presence",
            "run",
            "url",
            "kind",
            "verdict",
            "reason",
            "uscc",
            "name",
            "evidence_text",
            "checked_at",
        ]


class MonitoringTaskViewSet(ScopedModelViewSet):
    queryset = MonitoringTask.objects.prefetch_related("platforms", "entities", "presences").order_by("-id")
    serializer_class = MonitoringTaskSerializer
    pagination_class = IdCursorPagination
    filterset_class = filtersets.MonitoringTaskFilterSet

    def perform_save(self, serializer) -> None:
        """The same service as the page: ``services.monitoring_task_save`` (libraries exist, selection is the bureau's)."""
        data = dict(serializer.validated_data)
        selection = {name: data.pop(name, None) for name in ("platforms", "entities", "presences")}
        task = serializer.instance or MonitoringTask()
        for name, value in data.items():
            setattr(task, name, value)
        with acting(self.request.user, via="api"):
            serializer.instance = services.monitoring_task_save(task=task, **selection)

    @extend_schema(request=None, responses={201: RunStartedSerializer})
    @action(detail=True, methods=["post"])
    def run(self, request, pk=None):
        task = self.get_object()
        if not self.can_change(request.user, task):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("只有该局办公室管理员可以执行监测任务 / only the office may run a task")
        started = services.monitoring_task_run(task=task, actor=request.user)
        return Response(SweepRunSerializer(started.run).data | {"reason": started.reason}, status=201)


class SweepRunViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SweepRunSerializer
    filterset_class = filtersets.SweepRunFilterSet
    pagination_class = IdCursorPagination

    def get_queryset(self):
        return scope(SweepRun.objects.all(), self.request.user)


class FindingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FindingSerializer
    pagination_class = IdCursorPagination
    filterset_class = filtersets.FindingFilterSet

    def get_queryset(self):
        return scope(Finding.objects.all(), self.request.user)

    def _reason(self, request) -> str:
        body = FindingReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data["reason"]

    @extend_schema(request=FindingReviewSerializer, responses=FindingDecisionSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        finding = self.get_object()
        decision = services.finding_confirm(finding=finding, user=request.user, reason=self._reason(request))
        return Response(FindingSerializer(decision.finding).data | {"decision": decision.reason})

    @extend_schema(request=FindingReviewSerializer, responses=FindingDecisionSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        finding = self.get_object()
        decision = services.finding_dismiss(finding=finding, user=request.user, reason=self._reason(request))
        return Response(FindingSerializer(decision.finding).data | {"decision": decision.reason})


class LicenceCheckViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LicenceCheckSerializer
    pagination_class = IdCursorPagination
    filterset_class = filtersets.LicenceCheckFilterSet

    def get_queryset(self):
        return scope(LicenceCheck.objects.all(), self.request.user)


def register(router) -> None:
    router.register("monitoring/tasks", MonitoringTaskViewSet, basename="monitoring-task")
    router.register("monitoring/runs", SweepRunViewSet, basename="monitoring-run")
    router.register("monitoring/findings", FindingViewSet, basename="monitoring-finding")
    router.register("monitoring/licence-checks", LicenceCheckViewSet, basename="monitoring-licence")
    feedscan_api.register(router)  # /api/monitoring/feed-scans/
