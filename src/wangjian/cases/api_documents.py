"""REST endpoints of a case's documents (执法文书), under the case: ``/api/cases/cases/{case_pk}/documents/``.

``GET`` lists the case's documents, ``POST {"kind": …}`` drafts one generated from the case, ``GET …/{doc_id}/``
reads one, ``PATCH …/{doc_id}/ {"body": …}`` edits a draft's text, ``POST …/{doc_id}/issue/`` issues it
(numbered, printed, kept by its hash) and ``GET …/{doc_id}/pdf/`` answers the PDF (``application/pdf``).

Who sees the documents is who sees the case (``selectors.cases_visible``: another bureau's caller gets 404);
who writes them is ``services.documents``' rule, the page's: a refusal reads the same in both.
"""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.cases import documents, selectors
from wangjian.cases.models import Case, CaseDocument
from wangjian.cases.permissions import CASE_READ
from wangjian.cases.services import documents as document_services
from wangjian.core.audit import acting
from wangjian.core.errors import NotFoundError
from wangjian.org import permissions as table


class CaseDocumentSerializer(serializers.ModelSerializer):
    issued_by_name = serializers.SerializerMethodField()

    class Meta:
        model = CaseDocument
        fields = [
            "id",
            "case",
            "kind",
            "title",
            "body",
            "number",
            "issued",
            "issued_on",
            "issued_by",
            "issued_by_name",
            "evidence",
            "pdf_sha256",
            "pdf_size",
            "drafted_by",
            "drafted_at",
        ]
        read_only_fields = fields

    def get_issued_by_name(self, obj) -> str:
        return str(obj.issued_by) if obj.issued_by_id else ""


class DocumentDraftSerializer(serializers.Serializer):
    """The document to draft; which kinds the case's state allows now is the service's check."""

    kind = serializers.ChoiceField(
        choices=[(k.key, k.label) for k in documents.KINDS.values()], help_text="文书种类"
    )


class DocumentEditSerializer(serializers.Serializer):
    """A draft's new text (an empty one is refused by the service, in the page's words)."""

    body = serializers.CharField(allow_blank=True, trim_whitespace=False, help_text="正文")


CASE_PK = OpenApiParameter("case_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="案件ID")


@extend_schema(parameters=[CASE_PK])
class CaseDocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The case's documents: listed and read as the case is; drafted, edited and issued by the service."""

    serializer_class = CaseDocumentSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = None
    filter_backends: list = []
    queryset = CaseDocument.objects.none()
    lookup_url_kwarg = "doc_id"
    lookup_value_regex = r"\d+"

    def case(self) -> Case:
        table.require(self.request.user, CASE_READ)
        cached = getattr(self, "_case", None)
        if cached is None:
            cached = selectors.cases_visible(self.request.user).filter(pk=int(self.kwargs["case_pk"])).first()
            if cached is None:
                raise NotFoundError("没有这个案件，或无权查看", "No such case, or not visible to you")
            self._case = cached
        return cached

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generator asks without a case
            return CaseDocument.objects.none()
        return self.case().documents.select_related("issued_by").order_by("drafted_at", "id")

    @extend_schema(request=DocumentDraftSerializer, responses={201: CaseDocumentSerializer})
    def create(self, request, case_pk=None):
        """Draft a document generated from the case (the kinds its state allows: ``cases.documents``)."""
        case = self.case()  # whoever does not see the case learns nothing of the request: 404 first
        data = DocumentDraftSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with acting(request.user, via="api"):
            doc = document_services.document_draft(
                case=case, user=request.user, kind=data.validated_data["kind"]
            )
        return Response(CaseDocumentSerializer(doc).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DocumentEditSerializer, responses=CaseDocumentSerializer)
    def partial_update(self, request, case_pk=None, doc_id=None):
        """Edit a draft's text; an issued document is refused (it never changes: draft a new one)."""
        doc = self.get_object()
        data = DocumentEditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with acting(request.user, via="api"):
            doc = document_services.document_edit(
                doc=doc, user=request.user, body=data.validated_data["body"]
            )
        return Response(CaseDocumentSerializer(doc).data)

    @extend_schema(request=None, responses=CaseDocumentSerializer)
    @action(detail=True, methods=["post"])
    def issue(self, request, case_pk=None, doc_id=None):
        """Issue the draft: numbered, its evidence list fixed, printed to PDF and kept by its SHA-256."""
        doc = self.get_object()
        with acting(request.user, via="api"):
            doc = document_services.document_issue(doc=doc, user=request.user)
        return Response(CaseDocumentSerializer(doc).data)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="PDF 与登记的哈希不符或无法打印 / the PDF differs or cannot print",
            ),
        }
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request, case_pk=None, doc_id=None):
        """The issued document's PDF as kept (checked against its hash), or a draft printed now."""
        doc = self.get_object()
        data = document_services.document_pdf(doc)
        response = HttpResponse(data, content_type="application/pdf")
        name = f"{doc.title}{('-' + doc.number) if doc.number else ''}.pdf"
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
        return response


def register(router) -> None:
    router.register(r"cases/cases/(?P<case_pk>\d+)/documents", CaseDocumentViewSet, basename="case-document")
