"""REST endpoints of the registry: entities, presences, platforms, import batches, match results.

Scoping identical to the UI (``org.selectors.scope``); keyset (cursor) pagination so that
the millionth entity costs what the first does; personal data masked unless the role needs it.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, parsers, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.core.api import BlankChoicesModelSerializer, IdCursorPagination
from wangjian.core.errors import PermissionDeniedError
from wangjian.org.selectors import scope
from wangjian.platform.api import ScopedModelViewSet
from wangjian.platform.personal import masked, personal_read
from wangjian.registry import filtersets, linkage_api, selectors, services
from wangjian.registry.choices import ImportKind
from wangjian.registry.models import ImportBatch, MarketEntity, MatchResult, Permit, Platform, Presence


class EntitySerializer(serializers.ModelSerializer):
    legal_rep = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()

    class Meta:
        model = MarketEntity
        fields = [
            "id",
            "bureau",
            "uscc",
            "name",
            "kind",
            "legal_rep",
            "phone",
            "address",
            "region_code",
            "registration_authority",
            "status",
            "reg_date",
            "approved_date",
            "business_scope",
            "source",
            "import_batch",
            "created",
            "last_updated",
        ]

    # Masked for everyone, in lists and single reads alike; ``POST …/personal/`` with a reason
    # unmasks one record for a role that needs it, logged (platform.personal).
    def get_legal_rep(self, obj) -> str:
        return masked(obj, "legal_rep")

    def get_phone(self, obj) -> str:
        return masked(obj, "phone")


class PersonalReadSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="查看理由（写入变更日志）/ the reason, logged")


class PersonalDataSerializer(serializers.Serializer):
    legal_rep = serializers.CharField()
    phone = serializers.CharField()


class PlatformSerializer(serializers.ModelSerializer):
    class Meta:
        model = Platform
        fields = [
            "id",
            "bureau",
            "name",
            "operator",
            "operator_name",
            "domicile",
            "url",
            "created",
            "last_updated",
        ]


class PresenceSerializer(BlankChoicesModelSerializer):
    class Meta:
        model = Presence
        fields = [
            "id",
            "bureau",
            "kind",
            "platform",
            "url",
            "account_id",
            "shop_name",
            "entity",
            "link_confidence",
            "link_method",
            "status",
            "first_seen",
            "last_seen",
            "last_checked",
        ]
        read_only_fields = ["entity", "link_confidence", "link_method"]


class ImportBatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "bureau",
            "kind",
            "platform",
            "file_name",
            "sha256",
            "encoding",
            "status",
            "total_rows",
            "processed_rows",
            "created_count",
            "updated_count",
            "unchanged_count",
            "rejected_count",
            "matched_rows",
            "match_total",
            "started_at",
            "heartbeat_at",
            "finished_at",
            "message",
        ]


class PermitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Permit
        fields = [
            "id",
            "bureau",
            "kind",
            "number",
            "holder_name",
            "holder_uscc",
            "region_code",
            "valid_from",
            "valid_to",
            "status",
            "scope",
            "authority",
            "source",
            "import_batch",
            "created",
            "last_updated",
        ]


class ImportUploadSerializer(serializers.Serializer):
    """A file to import: what the upload page takes, for systems that send the lists themselves."""

    kind = serializers.ChoiceField(choices=ImportKind.choices)
    file = serializers.FileField()
    platform = serializers.IntegerField(required=False, help_text="平台ID（导入经营者名单时必填）")
    mapping = serializers.JSONField(
        required=False,
        help_text='列对应：字段名 → 列序号或表头，如 {"uscc": "代码", "name": 1}；省略时按表头识别',
    )

    def validate_file(self, value):
        if not value.name.lower().endswith((".csv", ".txt", ".xlsx")):
            raise serializers.ValidationError("只支持 CSV 或 XLSX 文件 / only CSV or XLSX files")
        return value

    def validate_mapping(self, value):
        if value is not None and not isinstance(value, dict):
            raise serializers.ValidationError("应为对象：字段名 → 列 / an object: field → column")
        return value


class MatchResultSerializer(serializers.ModelSerializer):
    seller_id = serializers.CharField(source="seller.seller_id")
    platform = serializers.IntegerField(source="seller.platform_id")
    claimed_name = serializers.CharField(source="seller.claimed_name")
    claimed_uscc = serializers.CharField(source="seller.claimed_uscc")
    uscc = serializers.CharField(source="entity.uscc", default="")

    class Meta:
        model = MatchResult
        fields = [
            "id",
            "bureau",
            "platform",
            "seller_id",
            "claimed_name",
            "claimed_uscc",
            "entity",
            "uscc",
            "confidence",
            "outcome",
            "reasons",
            "candidates",
            "decided",
            "computed_at",
            "clue_number",
        ]


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "reject"])
    entity = serializers.IntegerField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = IdCursorPagination
    bureau_field = "bureau"

    def get_queryset(self):
        return scope(super().get_queryset(), self.request.user, self.bureau_field)


class EntityViewSet(ScopedReadOnlyViewSet):
    """Registered entities; ``?q=`` searches code, name, legal representative, phone, URL, shop name."""

    queryset = MarketEntity.objects.all()
    serializer_class = EntitySerializer
    filterset_class = filtersets.EntityFilterSet

    @extend_schema(request=PersonalReadSerializer, responses=PersonalDataSerializer)
    @action(detail=True, methods=["post"])
    def personal(self, request, pk=None):
        """The legal representative and phone unmasked, for a role that needs them, with the reason logged."""
        body = PersonalReadSerializer(data=request.data if isinstance(request.data, dict) else {})
        body.is_valid(raise_exception=True)
        return Response(
            personal_read(user=request.user, record=self.get_object(), reason=body.validated_data["reason"])
        )


class PlatformViewSet(ScopedModelViewSet):
    queryset = Platform.objects.all()
    serializer_class = PlatformSerializer
    filterset_class = filtersets.PlatformFilterSet
    pagination_class = IdCursorPagination


class PresenceViewSet(ScopedReadOnlyViewSet):
    queryset = Presence.objects.all()
    serializer_class = PresenceSerializer
    filterset_class = filtersets.PresenceFilterSet


class ImportBatchViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Import batches; ``POST`` (multipart) a registry or seller file to start one.

    The file and its columns are checked at once (a 400 names what is wrong); the rows are
    imported in the background: the answer is 202 with the queued batch, to be followed
    at its URL until ``status`` is ``done`` or ``failed``.
    """

    queryset = ImportBatch.objects.all()
    serializer_class = ImportBatchSerializer
    filterset_class = filtersets.ImportBatchFilterSet
    parser_classes = [parsers.MultiPartParser, parsers.FormParser, parsers.JSONParser]

    def get_serializer_class(self):
        return ImportUploadSerializer if self.action == "create" else ImportBatchSerializer

    @extend_schema(request=ImportUploadSerializer, responses={202: ImportBatchSerializer})
    def create(self, request, *args, **kwargs):
        data = ImportUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        bureau = request.user.bureau
        if bureau is None or not selectors.can_import(request.user, bureau, kind=data.validated_data["kind"]):
            raise PermissionDeniedError("无权导入", "not allowed to import")
        platform = None
        if data.validated_data["kind"] == ImportKind.SELLERS:
            platform = Platform.objects.filter(bureau=bureau, pk=data.validated_data.get("platform")).first()
        upload = data.validated_data["file"]
        stored = services.upload_receive(
            bureau=bureau,
            kind=data.validated_data["kind"],
            file=upload,
            file_name=upload.name,
            user=request.user,
            platform=platform,
        )
        try:
            batch = services.import_start(
                bureau=bureau,
                kind=data.validated_data["kind"],
                upload=stored,
                file_name=upload.name,
                user=request.user,
                mapping=data.validated_data.get("mapping"),
                platform=platform,
            )
        except Exception:
            services.upload_delete(stored)  # refused at once: nothing will read it
            raise
        batch.refresh_from_db()
        body = ImportBatchSerializer(batch, context={"request": request}).data
        return Response(body, status=202, headers={"Location": f"{request.path}{batch.pk}/"})


class PermitViewSet(ScopedReadOnlyViewSet):
    """The permit and filing data (许可证和备案数据) permit display checks verify against; imported with
    ``POST /api/registry/import-batches/`` (``kind=permits``)."""

    queryset = Permit.objects.all()
    serializer_class = PermitSerializer
    filterset_class = filtersets.PermitFilterSet


class MatchResultViewSet(ScopedReadOnlyViewSet):
    queryset = MatchResult.objects.select_related("seller", "entity")
    serializer_class = MatchResultSerializer
    filterset_class = filtersets.MatchResultFilterSet

    @extend_schema(request=DecisionSerializer, responses=MatchResultSerializer)
    @action(detail=True, methods=["post"], serializer_class=DecisionSerializer)
    def decide(self, request, pk=None):
        """Accept or reject the suggested (or a named candidate) entity; remembered on re-import."""
        result = self.get_object()
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entity = None
        if data.validated_data.get("entity"):
            entity = (
                scope(MarketEntity.objects.all(), request.user)
                .filter(pk=data.validated_data["entity"])
                .first()
            )
            if entity is None:
                from wangjian.core.errors import NotFoundError

                raise NotFoundError("没有该主体", "no such entity")
        result = services.match_review(
            result=result,
            decision=data.validated_data["decision"],
            user=request.user,
            entity=entity,
            note=data.validated_data.get("note", ""),
        )
        return Response(MatchResultSerializer(result, context={"request": request}).data)

    @extend_schema(request=None, responses={201: MatchResultSerializer})
    @action(detail=True, methods=["post"], url_path="to-clue")
    def to_clue(self, request, pk=None):
        """A seller with no registered entity → a clue of suspected unlicensed trading (once per seller)."""
        result = self.get_object()
        services.seller_to_clue(result=result, user=request.user)
        return Response(MatchResultSerializer(result, context={"request": request}).data, status=201)


def register(router) -> None:
    router.register("registry/entities", EntityViewSet)
    router.register("registry/platforms", PlatformViewSet)
    router.register("registry/presences", PresenceViewSet)
    router.register("registry/import-batches", ImportBatchViewSet)
    router.register("registry/match-results", MatchResultViewSet)
    router.register("registry/permits", PermitViewSet)
    linkage_api.register(router)  # /api/registry/linkage-estimates/
