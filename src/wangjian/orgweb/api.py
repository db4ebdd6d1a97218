"""REST endpoints of the organisation; scoping identical to the UI (``org.selectors``)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.core.audit import acting
from wangjian.org import selectors, services
from wangjian.org.models import Bureau, Department, DutyRule, Station, User
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


class UserSerializer(serializers.ModelSerializer):
    """A staff account; the phone number is written, never read back (personal data)."""

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "name",
            "bureau",
            "department",
            "station",
            "role",
            "phone",
            "is_bureau_head",
            "enforcement_certificate",
            "certificate_valid_until",
            "is_active",
            "is_superuser",
            "locked_until",
            "last_login",
        ]
        read_only_fields = ["is_superuser", "locked_until", "last_login"]
        extra_kwargs = {"phone": {"write_only": True}}


class OneTimePasswordSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField()


class LockSerializer(serializers.Serializer):
    locked = serializers.BooleanField(default=True)


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


class UserViewSet(ScopedModelViewSet):
    """Staff accounts of the bureaus the caller sees. Every change goes through the page's services, so
    the accounts rule (``org.services.user_manage_check``) refuses here in the page's words."""

    queryset = User.objects.select_related("bureau", "department", "station")
    serializer_class = UserSerializer
    filterset_class = filtersets.UserFilterSet

    def can_change(self, user, obj) -> bool:
        return True  # the service decides, and says why (the rule, in Chinese and English)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        with acting(self.request.user, via="api"):
            user, password = services.user_create(
                username=data["username"],
                bureau=data.get("bureau"),
                role=data.get("role") or "officer",
                name=data.get("name", ""),
                department=data.get("department"),
                station=data.get("station"),
                phone=data.get("phone", ""),
                actor=self.request.user,
            )
        serializer.instance = user
        self._one_time = password

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        response.data["password"] = self._one_time  # the one-time password, shown once as on the page
        return response

    def perform_update(self, serializer):
        user = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(user, name, value)
        with acting(self.request.user, via="api"):
            services.user_save(user=user, actor=self.request.user)

    def perform_destroy(self, instance):
        with acting(self.request.user, via="api"):
            services.user_delete(user=instance, actor=self.request.user)

    @extend_schema(request=None, responses=OneTimePasswordSerializer)
    @action(detail=True, methods=["post"], url_path="reset-password")
    def reset_password(self, request, pk=None):
        """Issue a new one-time password (and lift a lock), as the user's page does."""
        user = self.get_object()
        with acting(request.user, via="api"):
            password = services.user_reset_password(user=user, actor=request.user)
        return Response({"username": user.username, "password": password})

    @extend_schema(request=LockSerializer, responses=UserSerializer)
    @action(detail=True, methods=["post"])
    def lock(self, request, pk=None):
        """Lock the account until it is unlocked (``{"locked": false}``) or its password reset."""
        user = self.get_object()
        data = LockSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with acting(request.user, via="api"):
            services.user_lock(user=user, actor=request.user, locked=data.validated_data["locked"])
        return Response(UserSerializer(user).data, status=status.HTTP_200_OK)


def register(router) -> None:
    router.register("org/bureaus", BureauViewSet)
    router.register("org/departments", DepartmentViewSet)
    router.register("org/stations", StationViewSet)
    router.register("org/duty-rules", DutyRuleViewSet)
    router.register("org/users", UserViewSet)
