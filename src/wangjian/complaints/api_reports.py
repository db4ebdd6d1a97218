"""``/api/complaints/reports/``: the periodic analysis reports to the leading group (投诉举报分析报告).

``GET`` lists the reports of the bureaus the caller sees (the filters of the page's list), ``POST {"period_kind",
"period_start"}`` drafts one for a period that has ended, ``GET …/{id}/`` reads one, ``PATCH …/{id}/ {"text"}``
edits a draft's 研判 and 建议, ``POST …/{id}/recount/`` counts a draft's period again, ``POST …/{id}/issue/`` sends
it (numbered, printed, kept by its hash) and ``GET …/{id}/pdf/`` answers the PDF (``application/pdf``).

Every rule is ``services.reports``', the page's: a report of a bureau the caller does not see is 404 first; who
may read and who may write, and a sent report's refusal to change, read the same as on the page.
"""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.complaints.choices import ReportPeriod
from wangjian.complaints.models import ComplaintReport
from wangjian.complaints.permissions import COMPLAINT_ANALYSIS
from wangjian.complaints.services import reports as report_services
from wangjian.complaints.views_reports import ReportFilterSet
from wangjian.core.api import IdCursorPagination
from wangjian.core.audit import acting
from wangjian.org import permissions as table
from wangjian.platform.filtersets import ID_MAX


class ComplaintReportSerializer(serializers.ModelSerializer):
    bureau_name = serializers.CharField(source="bureau.name", read_only=True)
    issued_by_name = serializers.SerializerMethodField()
    figures = serializers.JSONField(
        read_only=True,
        help_text="统计数据（起草或重新统计时固定）：totals、by_state、by_month、by_category、by_platform、"
        "by_region、top_respondents、repeated、previous（上期）、change（与上期比较）",
    )

    class Meta:
        model = ComplaintReport
        fields = [
            "id",
            "bureau",
            "bureau_name",
            "period_kind",
            "period_start",
            "period_end",
            "title",
            "figures",
            "text",
            "state",
            "number",
            "drafted_by",
            "drafted_at",
            "issued_at",
            "issued_by",
            "issued_by_name",
            "pdf_sha256",
            "pdf_size",
        ]
        read_only_fields = fields

    def get_issued_by_name(self, obj) -> str:
        return str(obj.issued_by) if obj.issued_by_id else ""


class ReportDraftSerializer(serializers.Serializer):
    """The period to report on; that it has ended and begins a period of its kind is the service's check."""

    period_kind = serializers.ChoiceField(choices=ReportPeriod.choices, help_text="报告周期")
    period_start = serializers.DateField(help_text="统计起日：月、季、半年或年的第一天")


class ReportEditSerializer(serializers.Serializer):
    """A draft's 研判 and 建议 (a sent report is refused by the service, in the page's words)."""

    text = serializers.CharField(
        allow_blank=True, trim_whitespace=False, max_length=report_services.TEXT_MAX, help_text="研判和建议"
    )


REPORT_ID = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 1, "maximum": ID_MAX},
    OpenApiParameter.PATH,
    description="分析报告ID",
)
ONE = extend_schema(parameters=[REPORT_ID])


@extend_schema_view(retrieve=ONE, partial_update=ONE, recount=ONE, issue=ONE, pdf=ONE)
class ComplaintReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The analysis reports: read by the analysis row of the table, drafted and sent by the bureau's office."""

    serializer_class = ComplaintReportSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = IdCursorPagination
    filterset_class = ReportFilterSet
    queryset = ComplaintReport.objects.none()
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ComplaintReport.objects.none()
        return report_services.reports_visible(self.request.user)

    def get_object(self) -> ComplaintReport:
        return report_services.report_get(user=self.request.user, pk=int(self.kwargs["pk"]))

    def list(self, request, *args, **kwargs):
        """The reports of the bureaus the caller sees, latest first."""
        table.require(request.user, COMPLAINT_ANALYSIS)
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ReportDraftSerializer, responses={201: ComplaintReportSerializer})
    def create(self, request):
        """Draft the report of a period that has ended, for the caller's bureau; its figures are counted now."""
        data = ReportDraftSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with acting(request.user, via="api"):
            report = report_services.report_draft(
                user=request.user, bureau=request.user.bureau, **data.validated_data
            )
        return Response(ComplaintReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReportEditSerializer, responses=ComplaintReportSerializer)
    def partial_update(self, request, pk=None):
        """Edit a draft's 研判 and 建议; a sent report is refused (it never changes: draft a new one)."""
        report = self.get_object()
        data = ReportEditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with acting(request.user, via="api"):
            report = report_services.report_edit(
                report=report, user=request.user, text=data.validated_data["text"]
            )
        return Response(ComplaintReportSerializer(report).data)

    @extend_schema(request=None, responses=ComplaintReportSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def recount(self, request, pk=None):
        """Count a draft's period again (records imported or ended since it was drafted)."""
        report = self.get_object()
        with acting(request.user, via="api"):
            report = report_services.report_recount(report=report, user=request.user)
        return Response(ComplaintReportSerializer(report).data)

    @extend_schema(request=None, responses=ComplaintReportSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def issue(self, request, pk=None):
        """Send the draft to the leading group: numbered, printed to PDF and kept by its SHA-256."""
        report = self.get_object()
        with acting(request.user, via="api"):
            report = report_services.report_issue(report=report, user=request.user)
        return Response(ComplaintReportSerializer(report).data)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="PDF 与登记的哈希不符或无法打印 / the PDF differs from its hash or cannot print",
            ),
        }
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def pdf(self, request, pk=None):
        """The sent report's PDF as kept (checked against its hash), or a draft printed now."""
        report = self.get_object()
        data = report_services.report_pdf(report)
        response = HttpResponse(data, content_type="application/pdf")
        name = f"{report.title}{('-' + report.number) if report.number else '-草稿'}.pdf"
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
        return response


def register(router) -> None:
    router.register("complaints/reports", ComplaintReportViewSet, basename="complaint-report")
