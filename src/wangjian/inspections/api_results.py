"""REST lists of the results across draws (read-only): ``GET /api/inspections/results/`` (one row per drawn
object and item, 抽查检查结果) and ``GET /api/inspections/drawn/`` (one row per drawn object, 抽中主体),
with the FilterSets of their pages (``filtersets.py``), so a figure's records read the same on both.
Recording, publishing and correcting results stay on the draw (``/api/inspections/draws/{id}/…``)."""

from __future__ import annotations

from rest_framework import mixins, permissions, serializers, viewsets

from wangjian.core.api import BlankChoicesModelSerializer, IdCursorPagination
from wangjian.inspections import selectors
from wangjian.inspections.filtersets import DrawnFilterSet, ResultFilterSet
from wangjian.inspections.models import DrawnObject, InspectionResult
from wangjian.inspections.permissions import INSPECTION_READ
from wangjian.org import permissions as table


class ResultRowSerializer(BlankChoicesModelSerializer):
    draw = serializers.IntegerField(source="drawn.draw_id", read_only=True)
    plan = serializers.IntegerField(source="drawn.draw.plan_id", read_only=True)
    department = serializers.IntegerField(source="drawn.draw.plan.department_id", read_only=True)
    entity = serializers.IntegerField(source="drawn.entity_id", read_only=True)
    entity_name = serializers.CharField(source="drawn.entity.name", read_only=True)
    uscc = serializers.CharField(source="drawn.entity.uscc", read_only=True)

    class Meta:
        model = InspectionResult
        fields = [
            "id",
            "bureau",
            "drawn",
            "draw",
            "plan",
            "department",
            "entity",
            "entity_name",
            "uscc",
            "item",
            "category",
            "checked_on",
            "published_at",
        ]
        read_only_fields = fields


class DrawnRowSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="draw.plan_id", read_only=True)
    entity_name = serializers.CharField(source="entity.name", read_only=True)
    uscc = serializers.CharField(source="entity.uscc", read_only=True)
    results_count = serializers.IntegerField(read_only=True)
    last_checked = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = DrawnObject
        fields = [
            "id",
            "draw",
            "plan",
            "entity",
            "entity_name",
            "uscc",
            "stratum",
            "rank",
            "results_count",
            "last_checked",
        ]
        read_only_fields = fields


class ResultViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The results of the draws the caller may read, across draws (read-only)."""

    serializer_class = ResultRowSerializer
    filterset_class = ResultFilterSet
    pagination_class = IdCursorPagination
    permission_classes = [permissions.IsAuthenticated]
    queryset = InspectionResult.objects.none()

    def get_queryset(self):
        table.require(self.request.user, INSPECTION_READ)
        return selectors.results_visible(self.request.user)


class DrawnViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The objects of the draws the caller may read, across draws (read-only)."""

    serializer_class = DrawnRowSerializer
    filterset_class = DrawnFilterSet
    pagination_class = IdCursorPagination
    permission_classes = [permissions.IsAuthenticated]
    queryset = DrawnObject.objects.none()

    def get_queryset(self):
        table.require(self.request.user, INSPECTION_READ)
        return selectors.drawn_visible(self.request.user)


def register(router) -> None:
    router.register("inspections/results", ResultViewSet, basename="inspection-result")
    router.register("inspections/drawn", DrawnViewSet, basename="inspection-drawn")
