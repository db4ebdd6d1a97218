"""REST endpoints of the risk grades: the grades with their reasons and history, the office's settings with the
preview, and the credit-class imports.

``GET /api/risk/grades/`` (the list's filters: ``grade``, ``region``, ``credit_class``, ``q``) and ``…/{id}/`` read
the grades the caller's bureaus hold, each with its contributions and words; ``GET …/{id}/history/`` the changes.
``GET /api/risk/grades/settings/?bureau=`` reads the rules (defaults filled in), ``POST`` the same path saves new
ones, ``POST /api/risk/grades/preview/?bureau=`` counts the grade changes new rules would make, unsaved.
``GET /api/risk/imports/`` lists the imports of credit-risk classes, ``POST`` (multipart ``file``, optional
``month``) imports one, ``GET …/{id}/rejected/`` lists its refused rows. Every rule is the services', the page's.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from wangjian.core.api import IdCursorPagination
from wangjian.core.audit import acting
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.org import permissions as table
from wangjian.org.choices import Domain
from wangjian.platform import indicators
from wangjian.platform.generic import scoped_bureau
from wangjian.risk import filtersets, selectors
from wangjian.risk.choices import CreditClass, RiskGrade
from wangjian.risk.models import CreditImport, CreditRejectedRow, EntityGrade, GradeChange
from wangjian.risk.permissions import GRADE_READ, IMPORT_RUN
from wangjian.risk.services import credit_import, grading
from wangjian.risk.services import settings as risk_settings

BUREAU = OpenApiParameter(
    "bureau", OpenApiTypes.INT, required=False, description="所属局（id），缺省为本人所属局"
)


class ContributionSerializer(serializers.Serializer):
    indicator = serializers.CharField(help_text="指标标识；信用风险分类为 credit.class")
    label = serializers.CharField()
    value = serializers.JSONField(help_text="指标数值（信用风险分类为类别 A–D）")
    weight = serializers.FloatField()
    points = serializers.FloatField()
    text = serializers.CharField()


class EntityGradeSerializer(serializers.ModelSerializer):
    entity_name = serializers.CharField(source="entity.name", read_only=True)
    uscc = serializers.CharField(source="entity.uscc", read_only=True)
    region_code = serializers.CharField(source="entity.region_code", read_only=True)
    grade = serializers.ChoiceField(choices=RiskGrade.choices, read_only=True)
    credit_class = serializers.CharField(read_only=True, help_text="A–D；空为无信用风险分类结果")
    contributions = ContributionSerializer(many=True, read_only=True)

    class Meta:
        model = EntityGrade
        fields = [
            "id",
            "bureau",
            "entity",
            "entity_name",
            "uscc",
            "region_code",
            "grade",
            "score",
            "credit_class",
            "credit_month",
            "contributions",
            "words",
            "since",
            "graded_on",
        ]
        read_only_fields = fields


class GradeChangeSerializer(serializers.ModelSerializer):
    from_grade = serializers.CharField(read_only=True, help_text="原等级；空为首次评定")
    to_grade = serializers.ChoiceField(choices=RiskGrade.choices, read_only=True)

    class Meta:
        model = GradeChange
        fields = ["id", "on", "from_grade", "to_grade", "score", "reasons", "work_item"]
        read_only_fields = fields


class IndicatorRuleSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    source_app = serializers.CharField()
    weight = serializers.FloatField()
    cap = serializers.FloatField()


class SettingsSerializer(serializers.Serializer):
    bureau = serializers.IntegerField()
    indicators = IndicatorRuleSerializer(many=True)
    class_points = serializers.DictField(child=serializers.FloatField(), help_text="A–D → 分值")
    key_threshold = serializers.FloatField()
    warning_threshold = serializers.FloatField()
    task_on_key = serializers.BooleanField()
    task_working_days = serializers.IntegerField()
    task_domain = serializers.ChoiceField(choices=Domain.choices)
    sweep_key_hours = serializers.IntegerField()
    sweep_task = serializers.IntegerField(allow_null=True)


class SettingsWriteSerializer(serializers.Serializer):
    """New rules; what is left out keeps its current value (checked by ``services.settings.settings_build``)."""

    weights = serializers.DictField(
        child=serializers.FloatField(min_value=0, max_value=1000), required=False, help_text="指标标识 → 权重"
    )
    caps = serializers.DictField(
        child=serializers.FloatField(min_value=0, max_value=1000),
        required=False,
        help_text="指标标识 → 封顶分",
    )
    class_points = serializers.DictField(
        child=serializers.FloatField(min_value=0, max_value=1000), required=False, help_text="A–D → 分值"
    )
    key_threshold = serializers.FloatField(min_value=0.01, max_value=1000, required=False)
    warning_threshold = serializers.FloatField(min_value=0.01, max_value=1000, required=False)
    task_on_key = serializers.BooleanField(required=False)
    task_working_days = serializers.IntegerField(min_value=1, max_value=60, required=False)
    task_domain = serializers.ChoiceField(choices=Domain.choices, required=False)
    sweep_key_hours = serializers.IntegerField(min_value=0, max_value=744, required=False)


class MoveSerializer(serializers.Serializer):
    from_grade = serializers.CharField(help_text="原等级；空为未评定")
    from_label = serializers.CharField()
    to_grade = serializers.ChoiceField(choices=RiskGrade.choices)
    to_label = serializers.CharField()
    count = serializers.IntegerField()


class PreviewSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    changed = serializers.IntegerField()
    before = serializers.DictField(
        child=serializers.IntegerField(), help_text="现有等级 → 主体数（空键为未评定）"
    )
    after = serializers.DictField(child=serializers.IntegerField(), help_text="新设置下等级 → 主体数")
    moves = MoveSerializer(many=True)


def _settings_answer(settings) -> dict:
    return {
        "bureau": settings.bureau_id,
        "indicators": [
            {
                "key": i.key,
                "label": i.label_zh,
                "source_app": i.source_app,
                "weight": risk_settings.weight_of(settings, i.key),
                "cap": risk_settings.cap_of(settings, i.key),
            }
            for i in indicators.all()
        ],
        "class_points": {c: risk_settings.class_points_of(settings, c) for c in CreditClass.values},
        "key_threshold": settings.key_threshold,
        "warning_threshold": settings.warning_threshold,
        "task_on_key": settings.task_on_key,
        "task_working_days": settings.task_working_days,
        "task_domain": settings.task_domain,
        "sweep_key_hours": settings.sweep_key_hours,
        "sweep_task": settings.sweep_task_id,
    }


class EntityGradeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The grades the caller may read, with their reasons; the settings and the preview beside them."""

    serializer_class = EntityGradeSerializer
    filterset_class = filtersets.EntityGradeFilterSet
    pagination_class = IdCursorPagination
    permission_classes = [permissions.IsAuthenticated]
    queryset = EntityGrade.objects.none()

    def get_queryset(self):
        table.require(self.request.user, GRADE_READ)
        return selectors.grades_visible(self.request.user)

    @extend_schema(responses=GradeChangeSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def history(self, request, pk=None):
        """The grade's changes (from → to, date, score, reasons, the check task), newest first."""
        grade = self.get_object()
        return Response(
            GradeChangeSerializer(selectors.changes_of(entity_id=grade.entity_id)[:500], many=True).data
        )

    @extend_schema(methods=["get"], parameters=[BUREAU], responses=SettingsSerializer)
    @extend_schema(
        methods=["post"], parameters=[BUREAU], request=SettingsWriteSerializer, responses=SettingsSerializer
    )
    @action(
        detail=False,
        methods=["get", "post"],
        url_path="settings",
        pagination_class=None,
        filterset_class=None,
    )
    def rules(self, request):
        """The bureau's grading rules (GET, for who reads grades); new rules (POST, the office)."""
        table.require(request.user, GRADE_READ)
        bureau = scoped_bureau(request)
        if request.method == "GET":
            return Response(_settings_answer(risk_settings.settings_for(bureau)))
        risk_settings.settings_check(user=request.user, bureau=bureau)
        body = SettingsWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with acting(request.user, via="api"):
            saved = risk_settings.settings_save(
                user=request.user, bureau=bureau, values=dict(body.validated_data)
            )
        return Response(_settings_answer(saved))

    @extend_schema(parameters=[BUREAU], request=SettingsWriteSerializer, responses=PreviewSerializer)
    @action(detail=False, methods=["post"], pagination_class=None, filterset_class=None)
    def preview(self, request):
        """How many entities would change grade under the rules sent (not saved), from → to."""
        bureau = scoped_bureau(request)
        risk_settings.settings_check(user=request.user, bureau=bureau)
        body = SettingsWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        new = risk_settings.settings_build(bureau=bureau, values=dict(body.validated_data))
        found = grading.grades_preview(bureau=bureau, today=timezone.localdate(), settings=new)
        return Response(
            {
                "total": found.total,
                "changed": found.changed,
                "before": dict(found.before),
                "after": dict(found.after),
                "moves": found.rows(),
            }
        )


class CreditImportSerializer(serializers.ModelSerializer):
    class Meta:
        model = CreditImport
        fields = [
            "id",
            "bureau",
            "file_name",
            "sha256",
            "encoding",
            "total_rows",
            "created_count",
            "updated_count",
            "unchanged_count",
            "rejected_count",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class CreditImportWriteSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="省信用系统导出的 Excel 或 CSV：统一社会信用代码、名称、风险类别、月份"
    )
    month = serializers.RegexField(
        r"^\d{4}-\d{2}$", required=False, allow_blank=True, help_text="文件无“月份”列时的月份，如 2026-11"
    )


class RejectedRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = CreditRejectedRow
        fields = ["row_number", "column", "value", "reason"]
        read_only_fields = fields


class CreditImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The imports of credit-risk classes the caller may read; POST imports a file (the office)."""

    serializer_class = CreditImportSerializer
    pagination_class = IdCursorPagination
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]
    queryset = CreditImport.objects.none()

    def get_queryset(self):
        table.require(self.request.user, GRADE_READ)
        return selectors.imports_visible(self.request.user)

    @extend_schema(
        request={"multipart/form-data": CreditImportWriteSerializer}, responses={201: CreditImportSerializer}
    )
    def create(self, request):
        table.require(request.user, IMPORT_RUN)
        if request.user.bureau is None:
            raise PermissionDeniedError(
                "没有所属局的账号不能导入", "An account without a bureau imports nothing"
            )
        body = CreditImportWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        month = None
        if body.validated_data.get("month"):
            month = credit_import.parse_month(body.validated_data["month"])
            if month is None:
                raise ValidationFailed("无法识别月份（应如2026-11）", "cannot read the month (2026-11)")
        upload = body.validated_data["file"]
        with acting(request.user, via="api"):
            batch = credit_import.credit_import(
                user=request.user,
                bureau=request.user.bureau,
                path_or_bytes=upload,
                file_name=upload.name,
                month=month,
            )
        return Response(CreditImportSerializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=RejectedRowSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def rejected(self, request, pk=None):
        batch = self.get_object()
        return Response(
            RejectedRowSerializer(batch.rejected_rows.order_by("row_number", "id")[:2000], many=True).data
        )


def register(router) -> None:
    router.register("risk/grades", EntityGradeViewSet, basename="risk-grade")
    router.register("risk/imports", CreditImportViewSet, basename="risk-import")
