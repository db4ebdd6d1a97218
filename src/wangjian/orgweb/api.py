"""REST endpoints of the organisation; scoping identical to the UI (``org.selectors``)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.core.audit import acting
from wangjian.org import selectors, services
from wangjian.org.models import Bureau, Department, DutyRule, Station
from wangjian.orgweb import filtersets
from wangjian.platform.api import ScopedModelViewSet


class BureauSerializer(serializers.ModelSerializer):
    class Meta:
        model = Bureau
        fields = ["id", "name", "code", "level", "parent", "created", "last_updated"]
        read_only_fields = ["created", "last_updated"]


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "bureau", "name", "kind", "phone", "is_active", "created", "last_updated"]
        read_only_fields = ["created", "last_updated"]


class StationSerializer(serializers.ModelSerializer):
    territory = serializers.ListField(child=serializers.RegexField(r"^\d+$"), required=False)

    class Meta:
        model = Station
        fields = ["id", "bureau", "name", "territory", "territory_names", "phone", "is_active"]


class DutyRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = DutyRule
        fields = [
            "id",
            "bureau",
            "domain",
            "department_kind",
            "role",
            "duties",
            "legal_basis_law",
            "legal_basis_article",
            "territory_rule",
            "valid_from",
            "valid_to",
        ]


class ResponsibilitySerializer(serializers.Serializer):
    unit_type = serializers.CharField()
    unit_id = serializers.IntegerField(allow_null=True)
    unit_name = serializers.CharField()
    rule_id = serializers.IntegerField(allow_null=True)
    gap = serializers.BooleanField()
    territory_code = serializers.CharField(allow_null=True)
    reason_zh = serializers.CharField()
    reason_en = serializers.CharField()


class BureauViewSet(ScopedModelViewSet):
    queryset = Bureau.objects.all()
    serializer_class = BureauSerializer
    filterset_class = filtersets.BureauFilterSet
    bureau_field = "pk"

    def get_queryset(self):
        ids = selectors.visible_bureau_ids(self.request.user)
        return Bureau.objects.all() if ids is None else Bureau.objects.filter(pk__in=ids)

    def bureau_of(self, obj):
        return obj

    def _save(self, serializer):
        """The same service as the page: ``org.services.bureau_save`` (the tree's rules live there)."""
        bureau = serializer.instance or Bureau()
        for name, value in serializer.validated_data.items():
            setattr(bureau, name, value)
        with acting(self.request.user, via="api"):
            serializer.instance = services.bureau_save(bureau=bureau, user=self.request.user)

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer)

    @extend_schema(
        parameters=[
            OpenApiParameter("domain", str, required=True),
            OpenApiParameter("region_code", str, required=False),
        ],
        responses=ResponsibilitySerializer,
    )
    @action(detail=True, methods=["get"])
    def responsible(self, request, pk=None):
        """Who is responsible for a domain (and a region) in this bureau, with the duty-list row that decided."""
        bureau = self.get_object()
        r = services.responsible_for(
            bureau, request.query_params.get("domain", ""), request.query_params.get("region_code")
        )
        return Response(
            {
                "unit_type": "station" if r.station else "department",
                "unit_id": r.unit.pk if r.unit else None,
                "unit_name": str(r.unit) if r.unit else "",
                "rule_id": r.rule.pk if r.rule else None,
                "gap": r.gap,
                "territory_code": r.territory_code,
                "reason_zh": r.reason_zh,
                "reason_en": r.reason_en,
            }
        )


class DepartmentViewSet(ScopedModelViewSet):
    queryset = Department.objects.select_related("bureau")
    serializer_class = DepartmentSerializer
    filterset_class = filtersets.DepartmentFilterSet


class StationViewSet(ScopedModelViewSet):
    queryset = Station.objects.select_related("bureau")
    serializer_class = StationSerializer
    filterset_class = filtersets.StationFilterSet


class DutyRuleViewSet(ScopedModelViewSet):
    queryset = DutyRule.objects.select_related("bureau")
    serializer_class = DutyRuleSerializer
    filterset_class = filtersets.DutyRuleFilterSet


def register(router) -> None:
    router.register("org/bureaus", BureauViewSet)
    router.register("org/departments", DepartmentViewSet)
    router.register("org/stations", StationViewSet)
    router.register("org/duty-rules", DutyRuleViewSet)
