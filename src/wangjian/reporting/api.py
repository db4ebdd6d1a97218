"""REST endpoints of upward reporting, with the pages' rules (the same services, the same refusals).

``/api/reporting/reports/`` lists the reports the user sees; ``POST …/{id}/draft/`` and ``…/{id}/submit/``
with ``{"notes": {key: text}, "corrections": {key: {"value", "reason"}}, "note"}`` fill in and submit;
``POST …/{id}/review/`` with ``{"decision": "accept"|"return", "reason", "days"}`` reviews; ``GET …/{id}/figures/``
the figures as the page shows them (live while open). ``/api/reporting/templates/`` lists and defines templates
(``POST``, ``PATCH``); ``GET …/{id}/overview/?period=2025-10`` is the superior's overview.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework import permissions as drf_permissions
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.core.api import IdCursorPagination
from wangjian.core.audit import acting
from wangjian.core.errors import NotFoundError
from wangjian.org import permissions as table
from wangjian.org.models import Bureau
from wangjian.reporting import filtersets, periods, selectors, services
from wangjian.reporting.choices import ReportState
from wangjian.reporting.models import Report, ReportTemplate, Revision, RevisionFigure
from wangjian.reporting.permissions import REPORTING_READ
from wangjian.reporting.services.common import text


class ReportFigureSerializer(serializers.ModelSerializer):
    corrected = serializers.BooleanField(read_only=True)

    class Meta:
        model = RevisionFigure
        fields = [
            "key",
            "label",
            "unit",
            "basis_zh",
            "basis_en",
            "computed",
            "value",
            "corrected",
            "correction_reason",
            "note",
            "records_url",
        ]


class ReportRevisionSerializer(serializers.ModelSerializer):
    figures = ReportFigureSerializer(many=True, read_only=True)

    class Meta:
        model = Revision
        fields = [
            "number",
            "submitted_at",
            "submitted_by_name",
            "due",
            "late",
            "note",
            "outcome",
            "reviewed_at",
            "reviewed_by_name",
            "review_comment",
            "correction_due",
            "correction_basis",
            "figures",
        ]


class ReportSerializer(serializers.ModelSerializer):
    template_name = serializers.CharField(source="template.name", read_only=True)
    template_key = serializers.CharField(source="template.key", read_only=True)
    superior_code = serializers.CharField(source="template.superior_code", read_only=True)
    bureau_code = serializers.CharField(read_only=True)
    bureau_name = serializers.CharField(read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "template",
            "template_key",
            "template_name",
            "superior_code",
            "bureau",
            "bureau_code",
            "bureau_name",
            "external_bureau_code",
            "external_bureau_name",
            "external_ref",
            "period_kind",
            "period_label",
            "period_start",
            "period_end",
            "state",
            "due",
            "due_basis",
            "late",
            "submitted_at",
            "accepted_at",
            "created",
            "last_updated",
        ]
        read_only_fields = fields


class ReportDetailSerializer(ReportSerializer):
    revisions = ReportRevisionSerializer(many=True, read_only=True)

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "revisions"]
        read_only_fields = fields


class ReportCorrectionSerializer(serializers.Serializer):
    value = serializers.CharField(allow_blank=True, max_length=40)
    reason = serializers.CharField(allow_blank=True, required=False, max_length=2000)


class ReportSubmitSerializer(serializers.Serializer):
    notes = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=2000), required=False
    )
    corrections = serializers.DictField(child=ReportCorrectionSerializer(), required=False)
    note = serializers.CharField(allow_blank=True, required=False, max_length=5000)


class ReportReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[(services.ACCEPT, "审核通过"), (services.RETURN, "退回更正")])
    reason = serializers.CharField(allow_blank=True, required=False, max_length=5000)
    days = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=1000)


class ReportLineSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    basis_zh = serializers.CharField()
    basis_en = serializers.CharField()
    computed = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    value = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    corrected = serializers.BooleanField()
    reason = serializers.CharField()
    note = serializers.CharField()
    records_url = serializers.CharField()
    problem = serializers.CharField()


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """报送: the reports of the user's bureau and those made to it; fill in, submit, review."""

    permission_classes = [drf_permissions.IsAuthenticated]
    pagination_class = IdCursorPagination
    filterset_class = filtersets.ReportFilterSet
    serializer_class = ReportSerializer
    queryset = Report.objects.none()

    def get_queryset(self):
        if self.action != "retrieve":  # one report is simply not there for whoever may not read (404)
            table.require(self.request.user, REPORTING_READ)
        qs = selectors.reports_visible(self.request.user)
        return qs.prefetch_related("revisions__figures") if self.action == "retrieve" else qs

    def get_serializer_class(self):
        return ReportDetailSerializer if self.action == "retrieve" else ReportSerializer

    def _answer(self, report: Report, code: int = 200) -> Response:
        report = self.get_queryset().prefetch_related("revisions__figures").get(pk=report.pk)
        return Response(ReportDetailSerializer(report, context={"request": self.request}).data, status=code)

    def _fill(self, request, call):  # noqa: ANN001, ANN202
        report = self.get_object()
        body = ReportSubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with acting(request.user, via="api"):
            call(
                report=report,
                user=request.user,
                notes=data.get("notes") or {},
                corrections=data.get("corrections") or {},
                note=data.get("note"),
            )
        return self._answer(report)

    @extend_schema(request=ReportSubmitSerializer, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def draft(self, request, pk=None):
        """Keep the notes and corrections without submitting."""
        return self._fill(request, services.report_draft_save)

    @extend_schema(request=ReportSubmitSerializer, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def submit(self, request, pk=None):
        """Submit: the figures computed now are frozen as the next revision."""
        return self._fill(request, services.report_submit)

    @extend_schema(request=ReportReviewSerializer, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def review(self, request, pk=None):
        """Accept the latest revision, or return it for correction with the reason (and the working days)."""
        report = self.get_object()
        body = ReportReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with acting(request.user, via="api"):
            services.report_review(
                report=report,
                user=request.user,
                decision=data["decision"],
                reason=data.get("reason", ""),
                days=data.get("days"),
            )
        return self._answer(report)

    @extend_schema(responses=ReportLineSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def figures(self, request, pk=None):
        """The figures as the page shows them: computed now while open or returned, else the latest revision's."""
        report = self.get_object()
        if report.state in (ReportState.OPEN, ReportState.RETURNED) and not report.is_external:
            lines = services.lines_live(report)
        else:
            latest = report.revisions.order_by("-number").first()
            lines = services.lines_of(latest) if latest else []
        return Response(
            [
                {
                    **{k: getattr(line, k) for k in ("key", "label", "unit", "basis_zh", "basis_en")},
                    "computed": line.computed,
                    "value": line.value,
                    "corrected": line.corrected,
                    "reason": line.reason,
                    "note": line.note,
                    "records_url": line.records_url,
                    "problem": line.problem,
                }
                for line in lines
            ]
        )


class ReportTemplateSerializer(serializers.ModelSerializer):
    superior_code = serializers.CharField(read_only=True)
    superior_name = serializers.CharField(read_only=True)
    subordinates = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Bureau.objects.all(), required=False
    )
    figures = serializers.ListField(child=serializers.CharField(max_length=60), max_length=100)
    records = serializers.ListField(
        child=serializers.CharField(max_length=60), max_length=100, required=False
    )

    class Meta:
        model = ReportTemplate
        fields = [
            "id",
            "bureau",
            "superior_code",
            "superior_name",
            "key",
            "name",
            "instructions",
            "figures",
            "records",
            "period_kind",
            "due_days",
            "starts_on",
            "subordinates",
            "active",
            "created",
            "last_updated",
        ]
        read_only_fields = ["id", "superior_code", "superior_name", "created", "last_updated"]
        validators = []  # the service checks the key's uniqueness, in both languages
        extra_kwargs = {
            "bureau": {"required": False},
            "starts_on": {"required": False},
            "key": {"required": False, "allow_blank": True},
        }


class TemplateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """报送事项: the templates of the user's bureau and of its superior; the superior's office defines them."""

    permission_classes = [drf_permissions.IsAuthenticated]
    pagination_class = IdCursorPagination
    filterset_class = filtersets.TemplateFilterSet
    serializer_class = ReportTemplateSerializer
    queryset = ReportTemplate.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if self.action != "retrieve":
            table.require(self.request.user, REPORTING_READ)
        return selectors.templates_visible(self.request.user).prefetch_related("subordinates")

    def _save(self, data: dict, template: ReportTemplate | None) -> ReportTemplate:
        current = template or ReportTemplate()
        bureau = template.bureau if template else (data.get("bureau") or self.request.user.bureau)
        with acting(self.request.user, via="api"):
            return services.template_save(
                bureau=bureau,
                user=self.request.user,
                template=template,
                name=data.get("name", current.name),
                key=data.get("key", current.key),
                figures=data.get("figures", current.figures),
                records=data.get("records", current.records),
                period_kind=data.get("period_kind", current.period_kind),
                due_days=data.get("due_days", current.due_days or 5),
                subordinates=data.get("subordinates", list(template.subordinates.all()) if template else []),
                instructions=data.get("instructions", current.instructions),
                starts_on=data.get("starts_on"),
                active=data.get("active", current.active if template else True),
            )

    def create(self, request, *args, **kwargs):
        table.require(request.user, REPORTING_READ)
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        template = self._save(body.validated_data, None)
        return Response(self.get_serializer(template).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        template = self.get_object()
        body = self.get_serializer(template, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        template = self._save(body.validated_data, template)
        return Response(self.get_serializer(template).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("period", OpenApiTypes.STR, description="2025-10、2025-Q3、2025-H1、2025")
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def overview(self, request, pk=None):
        """Who submitted, was returned, accepted, is late; the sums of the accepted reports."""
        template = self.get_object()
        if template.bureau_id is None:
            raise NotFoundError(
                "外部上级局的报送事项没有汇总", "A template of another instance has no overview here"
            )
        today = timezone.localdate()
        raw = request.query_params.get("period")
        period = periods.parse(raw) if raw else periods.last_complete(template.period_kind, today)
        if period.kind != template.period_kind:
            period = periods.containing(template.period_kind, period.start)
        data = services.overview(template=template, period=period, today=today)
        return Response(
            {
                "template": template.key,
                "period": {
                    "kind": period.kind,
                    "label": period.label,
                    "start": period.start,
                    "end": period.end,
                },
                "figures": [{"key": k, "label": label, "unit": u} for k, label, u in data.figures],
                "rows": [
                    {
                        "bureau_code": row.code,
                        "bureau_name": row.name,
                        "report": row.report.pk if row.report else None,
                        "state": row.state,
                        "late": row.late,
                        "revisions": len(row.revisions),
                        "returned": row.returned_times,
                        "values": {k: text(v) if v is not None else None for k, v in row.values.items()},
                    }
                    for row in data.rows
                ],
                "totals": {k: text(v) for k, v in data.totals.items()},
                "accepted": data.accepted,
                "late": data.late,
            }
        )


def register(router) -> None:  # noqa: ANN001
    router.register("reporting/reports", ReportViewSet, basename="reporting-report")
    router.register("reporting/templates", TemplateViewSet, basename="reporting-template")
