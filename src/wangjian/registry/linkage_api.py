"""REST endpoints of the match weights (``registry.linkage``): the bureau's estimates, a new estimate,
and the thresholds — previewed with what to expect, or saved. The same rights and refusals as the page."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.core.api import IdCursorPagination
from wangjian.core.background import dispatch
from wangjian.core.errors import ValidationFailed
from wangjian.org.selectors import scope
from wangjian.registry import linkage
from wangjian.registry.linkage_models import LinkageEstimate
from wangjian.registry.services import linkage as services


class LinkageEstimateSerializer(serializers.ModelSerializer):
    weights = serializers.SerializerMethodField()

    class Meta:
        model = LinkageEstimate
        fields = [
            "id",
            "bureau",
            "created_at",
            "entities",
            "sellers",
            "pairs",
            "labelled",
            "target_precision",
            "review_precision",
            "auto_threshold",
            "review_threshold",
            "expected",
            "active",
            "weights",
        ]

    def get_weights(self, obj) -> list[dict]:
        """Per field and level: m, u and the weight log2(m/u)."""
        return linkage.Model.from_dict(obj.params).table()

    def to_representation(self, obj):
        data = super().to_representation(obj)
        data["expected"] = {k: v for k, v in (obj.expected or {}).items() if k != "histogram"}
        return data


class EstimateRequestSerializer(serializers.Serializer):
    target_precision = serializers.FloatField(required=False, default=0.995)
    review_precision = serializers.FloatField(required=False, default=0.80)


class ThresholdsSerializer(serializers.Serializer):
    target_precision = serializers.FloatField()
    review_precision = serializers.FloatField(required=False, default=0.80)
    dry_run = serializers.BooleanField(required=False, default=False)


class LinkageEstimateViewSet(viewsets.ReadOnlyModelViewSet):
    """The bureau's match weight estimates, newest first; ``POST`` starts a new one from its data."""

    queryset = LinkageEstimate.objects.all()
    serializer_class = LinkageEstimateSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = IdCursorPagination

    def get_queryset(self):
        return scope(super().get_queryset(), self.request.user, "bureau")

    @extend_schema(request=EstimateRequestSerializer, responses={202: None})
    def create(self, request):
        body = EstimateRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        bureau = request.user.bureau
        if bureau is None:
            raise ValidationFailed("没有所属局", "you belong to no bureau")
        services.linkage_check_rights(request.user, bureau)
        services.linkage_check_data(bureau)
        dispatch(
            "wangjian.registry.tasks.linkage_estimate",
            thread_name=f"wangjian-linkage-{bureau.pk}",
            bureau_id=bureau.pk,
            user_id=request.user.pk,
        )
        return Response({"detail": "已开始估计 / estimating"}, status=202)

    @extend_schema(request=ThresholdsSerializer, responses=LinkageEstimateSerializer)
    @action(detail=True, methods=["post"], serializer_class=ThresholdsSerializer)
    def thresholds(self, request, pk=None):
        """Thresholds for the given targets: ``dry_run`` shows what to expect, otherwise they are saved."""
        estimate = self.get_object()
        body = ThresholdsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        services.linkage_check_rights(request.user, estimate.bureau)
        if v["dry_run"]:
            th, expected = services.linkage_thresholds_preview(
                estimate=estimate,
                target_precision=v["target_precision"],
                review_precision=v["review_precision"],
            )
            return Response({"auto_threshold": th.auto, "review_threshold": th.review, "expected": expected})
        estimate = services.linkage_thresholds_save(
            estimate=estimate,
            user=request.user,
            target_precision=v["target_precision"],
            review_precision=v["review_precision"],
        )
        return Response(LinkageEstimateSerializer(estimate, context={"request": request}).data)


def register(router) -> None:
    router.register("registry/linkage-estimates", LinkageEstimateViewSet)
