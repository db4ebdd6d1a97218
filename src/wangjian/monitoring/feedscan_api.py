"""``/api/monitoring/feed-scans/``: listing-feed scans for other systems — list, read, and ``POST`` to start one.

The start goes through ``services.feed_scan_start`` as the page's form does, so a refusal (the
right to scan, the bureau, the file's cap and type, the URL's address) is answered in the same
words: 400, 403 or 413 with ``{"error": {code, zh, en}}``. A started scan is answered 202, to be
followed at its URL until ``status`` is ``done`` or ``failed``.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, parsers, permissions, serializers, viewsets
from rest_framework.response import Response

from wangjian.core.api import BlankChoicesModelSerializer, IdCursorPagination
from wangjian.core.audit import acting
from wangjian.core.errors import ValidationFailed
from wangjian.monitoring import filtersets, services
from wangjian.monitoring.choices import FeedFormat
from wangjian.monitoring.models import FeedScan, MonitoringTask
from wangjian.monitoring.permissions import FEED_SCAN
from wangjian.org import permissions as table
from wangjian.org.selectors import scope
from wangjian.platform.filtersets import ID_MAX
from wangjian.registry.models import Platform

SUMMARY_FIELDS = [
    "id",
    "bureau",
    "task",
    "platform",
    "started_by",
    "source",
    "file_name",
    "url",
    "fmt",
    "size",
    "sha256",
    "status",
    "percent",
    "listings_total",
    "listings_done",
    "findings_new",
    "findings_seen",
    "rejected_count",
    "unknown_shops_count",
    "unknown_listings",
    "run",
    "error",
    "message",
    "created",
    "started_at",
    "finished_at",
]


class FeedScanSerializer(BlankChoicesModelSerializer):
    percent = serializers.IntegerField(read_only=True, help_text="进度（百分比）")

    class Meta:
        model = FeedScan
        fields = SUMMARY_FIELDS
        read_only_fields = SUMMARY_FIELDS


class FeedScanDetailSerializer(FeedScanSerializer):
    """One scan with every rejected row and every unregistered shop id (the list leaves them out)."""

    rejected_rows = serializers.ListField(
        child=serializers.DictField(), read_only=True, help_text="拒收行：[{row: 行号, reason: 原因}]"
    )
    unknown_shops = serializers.ListField(
        child=serializers.DictField(), read_only=True, help_text="未登记店铺：[{shop_id, listings}]"
    )

    class Meta(FeedScanSerializer.Meta):
        fields = [*SUMMARY_FIELDS, "rejected_rows", "unknown_shops"]
        read_only_fields = fields


class FeedScanStartSerializer(serializers.Serializer):
    """A feed to scan: what the page's form takes — a file (multipart) or a URL, one of the two."""

    task = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text="监测任务ID（本局）")
    platform = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text="报送平台ID（该任务所属局）")
    file = serializers.FileField(required=False, help_text="商品信息文件（JSONL 或 CSV）")
    url = serializers.CharField(
        required=False, allow_blank=True, max_length=1000, help_text="或：平台报送网址（http/https）"
    )
    format = serializers.ChoiceField(
        choices=FeedFormat.choices, required=False, allow_blank=True, default="", help_text="留空自动识别"
    )


class FeedScanViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Listing-feed scans of the caller's bureaus; ``POST`` (multipart with ``file``, or ``url``) starts one."""

    queryset = FeedScan.objects.all()
    serializer_class = FeedScanSerializer
    filterset_class = filtersets.FeedScanFilterSet
    pagination_class = IdCursorPagination
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [parsers.MultiPartParser, parsers.FormParser, parsers.JSONParser]

    def get_queryset(self):
        return scope(super().get_queryset(), self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return FeedScanStartSerializer
        return FeedScanDetailSerializer if self.action == "retrieve" else FeedScanSerializer

    @extend_schema(request=FeedScanStartSerializer, responses={202: FeedScanDetailSerializer})
    def create(self, request, *args, **kwargs):
        table.require(request.user, FEED_SCAN)
        body = FeedScanStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        task = scope(MonitoringTask.objects.all(), request.user).filter(pk=data["task"]).first()
        if task is None:
            raise ValidationFailed(
                "没有该监测任务（或不在本人可见范围）", "no such monitoring task (or not visible)"
            )
        platform = scope(Platform.objects.all(), request.user).filter(pk=data["platform"]).first()
        if platform is None:
            raise ValidationFailed("没有该平台（或不在本人可见范围）", "no such platform (or not visible)")
        upload = data.get("file")
        with acting(request.user, via="api"):
            scan = services.feed_scan_start(
                task=task,
                platform=platform,
                user=request.user,
                file=upload,
                file_name=upload.name if upload else "",
                url=data.get("url", ""),
                fmt=data.get("format", ""),
            )
        body = FeedScanDetailSerializer(scan, context={"request": request}).data
        return Response(body, status=202, headers={"Location": f"{request.path}{scan.pk}/"})


def register(router) -> None:
    router.register("monitoring/feed-scans", FeedScanViewSet, basename="monitoring-feed-scan")
