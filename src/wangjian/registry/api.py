"""REST endpoints of the registry: entities, presences, platforms, import batches, match results.

Scoping identical to the UI (``org.selectors.scope``); keyset (cursor) pagination so that
the millionth entity costs what the first does; personal data masked unless the role needs it.
"""

from __future__ import annotations

from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.core.api import IdCursorPagination, ScopedModelViewSet
from wangjian.core.audit import mask
from wangjian.org.selectors import scope
from wangjian.registry import filtersets, selectors, services
from wangjian.registry.models import ImportBatch, MarketEntity, MatchResult, Platform, Presence


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

    def _user(self):
        return self.context["request"].user

    def get_legal_rep(self, obj) -> str:
        return (
            obj.legal_rep
            if selectors.can_see_personal(self._user())
            else selectors.masked_name(obj.legal_rep)
        )

    def get_phone(self, obj) -> str:
        return obj.phone if selectors.can_see_personal(self._user()) else mask(obj.phone)


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


class PresenceSerializer(serializers.ModelSerializer):
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
            "started_at",
            "finished_at",
            "message",
        ]


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


class PlatformViewSet(ScopedModelViewSet):
    queryset = Platform.objects.all()
    serializer_class = PlatformSerializer
    filterset_class = filtersets.PlatformFilterSet
    pagination_class = IdCursorPagination


class PresenceViewSet(ScopedReadOnlyViewSet):
    queryset = Presence.objects.all()
    serializer_class = PresenceSerializer
    filterset_class = filtersets.PresenceFilterSet


class ImportBatchViewSet(ScopedReadOnlyViewSet):
    queryset = ImportBatch.objects.all()
    serializer_class = ImportBatchSerializer
    filterset_class = filtersets.ImportBatchFilterSet


class MatchResultViewSet(ScopedReadOnlyViewSet):
    queryset = MatchResult.objects.select_related("seller", "entity")
    serializer_class = MatchResultSerializer
    filterset_class = filtersets.MatchResultFilterSet

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


def register(router) -> None:
    router.register("registry/entities", EntityViewSet)
    router.register("registry/platforms", PlatformViewSet)
    router.register("registry/presences", PresenceViewSet)
    router.register("registry/import-batches", ImportBatchViewSet)
    router.register("registry/match-results", MatchResultViewSet)
