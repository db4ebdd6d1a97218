"""``/api/bulletins/``: the monthly 通报 of online enforcement (网络市场监管工作通报).

``GET`` lists the 通报 the caller sees or received, ``POST {"month", "highlights"}`` drafts one for a month that
has ended, ``GET …/{id}/`` reads one, ``PATCH …/{id}/`` edits a draft (highlights, addressee, copy_to,
typical_cases), ``POST …/{id}/recount/`` counts the month again, ``POST …/{id}/issue/`` issues it (numbered,
written to Word and PDF, kept by their hashes, sent as a notice), ``GET …/{id}/download/?kind=pdf|docx`` answers
the file and ``GET …/{id}/table/?layout=campaign|annex`` the Excel table. Reading a file of an issued 通报 records
the caller's read receipt, as the page does.

Every rule is ``services.bulletins``', the page's: the refusals read the same.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.bulletins.choices import TableLayout
from wangjian.bulletins.models import Bulletin
from wangjian.bulletins.permissions import BULLETIN_READ
from wangjian.bulletins.services import bulletins as services
from wangjian.bulletins.services import document, tables
from wangjian.bulletins.views import BulletinFilterSet, download
from wangjian.core.api import IdCursorPagination
from wangjian.core.audit import acting
from wangjian.org import permissions as table
from wangjian.platform.filtersets import ID_MAX


class BulletinSerializer(serializers.ModelSerializer):
    bureau_name = serializers.CharField(source="bureau.name", read_only=True)
    figures = serializers.JSONField(
        read_only=True,
        help_text="统计数据（起草或重新统计时固定）：month、previous（上月）、last_year（上年同月）、"
        "rows（每项统计指标的本月、上月、上年同月和口径）、campaign（专项行动情况统计表各行）",
    )
    typical_cases = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    notice = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="发送通报的通知通报（阅读回执）"
    )

    class Meta:
        model = Bulletin
        fields = [
            "id",
            "bureau",
            "bureau_name",
            "month",
            "title",
            "addressee",
            "copy_to",
            "highlights",
            "typical_cases",
            "figures",
            "state",
            "number",
            "signed_on",
            "drafted_by",
            "drafted_at",
            "issued_at",
            "issued_by",
            "docx_sha256",
            "docx_size",
            "pdf_sha256",
            "pdf_size",
            "notice",
        ]
        read_only_fields = fields


class BulletinDraftSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="通报月份：该月1日（已结束的月份）")
    highlights = serializers.CharField(
        required=False, allow_blank=True, max_length=services.TEXT_MAX, help_text="工作开展情况和亮点"
    )


class BulletinEditSerializer(serializers.Serializer):
    highlights = serializers.CharField(required=False, allow_blank=True, max_length=services.TEXT_MAX)
    addressee = serializers.CharField(required=False, allow_blank=True, max_length=300)
    copy_to = serializers.CharField(required=False, allow_blank=True, max_length=300)
    typical_cases = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        required=False,
        max_length=services.TYPICAL_MAX,
        help_text="典型案例（标记为典型案例的案件ID）",
    )


BULLETIN_ID = OpenApiParameter(
    "id", {"type": "integer", "minimum": 1, "maximum": ID_MAX}, OpenApiParameter.PATH, description="通报ID"
)
ONE = extend_schema(parameters=[BULLETIN_ID])
KIND = OpenApiParameter("kind", str, enum=["pdf", "docx"], description="文件：pdf 或 docx", default="pdf")
LAYOUT = OpenApiParameter(
    "layout", str, enum=TableLayout.values, description="统计表格式", default=TableLayout.CAMPAIGN
)
HASH_REFUSED = OpenApiResponse(
    OpenApiTypes.OBJECT, description="文件与登记的哈希不符 / the file differs from its hash"
)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE = {
    (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="通报 PDF"),
    (200, DOCX): OpenApiResponse(OpenApiTypes.BINARY, description="通报 Word 文件"),
    400: HASH_REFUSED,
}
TABLE = {(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="统计表 Excel"), 400: HASH_REFUSED}


@extend_schema_view(retrieve=ONE, partial_update=ONE, recount=ONE, issue=ONE)
class BulletinViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The 通报: read by everyone who sees or received them, drafted and issued by the bureau's office."""

    serializer_class = BulletinSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = IdCursorPagination
    filterset_class = BulletinFilterSet
    queryset = Bulletin.objects.none()
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Bulletin.objects.none()
        return services.bulletins_visible(self.request.user).prefetch_related("typical_cases")

    def get_object(self) -> Bulletin:
        return services.bulletin_get(user=self.request.user, pk=int(self.kwargs["pk"]))

    def list(self, request, *args, **kwargs):
        """The 通报 the caller sees or received, latest first."""
        table.require(request.user, BULLETIN_READ)
        return super().list(request, *args, **kwargs)

    @extend_schema(request=BulletinDraftSerializer, responses={201: BulletinSerializer})
    def create(self, request):
        """Draft the 通报 of a month that has ended, for the caller's bureau; its figures are counted now."""
        data = BulletinDraftSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with acting(request.user, via="api"):
            bulletin = services.bulletin_draft(
                user=request.user, bureau=request.user.bureau, **data.validated_data
            )
        return Response(BulletinSerializer(bulletin).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BulletinEditSerializer, responses=BulletinSerializer)
    def partial_update(self, request, pk=None):
        """Edit a draft; an issued 通报 is refused (it never changes: draft a new one)."""
        bulletin = self.get_object()
        data = BulletinEditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with acting(request.user, via="api"):
            bulletin = services.bulletin_edit(bulletin=bulletin, user=request.user, **data.validated_data)
        return Response(BulletinSerializer(bulletin).data)

    @extend_schema(request=None, responses=BulletinSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def recount(self, request, pk=None):
        """Count a draft's month again."""
        bulletin = self.get_object()
        with acting(request.user, via="api"):
            bulletin = services.bulletin_recount(bulletin=bulletin, user=request.user)
        return Response(BulletinSerializer(bulletin).data)

    @extend_schema(request=None, responses=BulletinSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def issue(self, request, pk=None):
        """Issue the draft: numbered once, written to Word and PDF, kept by their hashes, sent as a notice."""
        bulletin = self.get_object()
        with acting(request.user, via="api"):
            bulletin = services.bulletin_issue(bulletin=bulletin, user=request.user)
        return Response(BulletinSerializer(bulletin).data)

    @extend_schema(parameters=[BULLETIN_ID, KIND], responses=FILE)
    @action(detail=True, methods=["get"], filterset_class=None)
    def download(self, request, pk=None):
        """The Word file or the PDF as kept (checked against its hash); records the caller's read receipt."""
        bulletin = self.get_object()
        kind = request.query_params.get("kind") or "pdf"
        data = services.bulletin_file(bulletin=bulletin, kind=kind)
        services.bulletin_opened(bulletin=bulletin, user=request.user)
        return download(data, kind, f"{document.file_name(bulletin)}.{kind}")

    @extend_schema(parameters=[BULLETIN_ID, LAYOUT], responses=TABLE)
    @action(detail=True, methods=["get"], filterset_class=None)
    def table(self, request, pk=None):
        """The Excel statistics table (专项行动情况统计表 or the 通报's 附件)."""
        bulletin = self.get_object()
        layout = request.query_params.get("layout") or TableLayout.CAMPAIGN
        data = tables.workbook_bytes(bulletin, layout)
        return download(data, "xlsx", tables.workbook_name(bulletin, layout))


def register(router) -> None:
    router.register("bulletins", BulletinViewSet, basename="bulletin")
