"""REST API: captures (the list scoped to the user's bureaus; one capture also to whoever may see a clue or
case it is linked to, as on the page), a capture action, and verification."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.core.api import IdCursorPagination
from wangjian.core.errors import NotFoundError, PermissionDeniedError
from wangjian.evidence import filtersets, selectors, services
from wangjian.evidence.choices import CaptureMode
from wangjian.evidence.models import EvidenceCapture, EvidenceFile


class EvidenceFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvidenceFile
        fields = ["name", "role", "sha256", "size", "content_type"]


class EvidenceCaptureSerializer(serializers.ModelSerializer):
    files = EvidenceFileSerializer(many=True, read_only=True)

    class Meta:
        model = EvidenceCapture
        fields = [
            "id",
            "bureau",
            "url",
            "final_url",
            "mode",
            "status",
            "failure_reason",
            "failure_detail",
            "http_status",
            "resolved_ip",
            "title",
            "purpose",
            "case_ref",
            "operators",
            "started_at",
            "finished_at",
            "metadata_sha256",
            "retain_until",
            "files",
        ]


class CaptureRequestSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=2000)
    operators = serializers.ListField(child=serializers.CharField(max_length=100), min_length=1)
    purpose = serializers.CharField(max_length=500)
    case_ref = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    mode = serializers.ChoiceField(choices=CaptureMode.choices, default=CaptureMode.BROWSER)


class CaptureCreatedSerializer(EvidenceCaptureSerializer):
    """The stored capture (failed or not), with the notes for the officer (e.g. only one operator)."""

    notes = serializers.ListField(child=serializers.CharField())

    class Meta(EvidenceCaptureSerializer.Meta):
        fields = [*EvidenceCaptureSerializer.Meta.fields, "notes"]


class ProblemSerializer(serializers.Serializer):
    item = serializers.CharField(help_text="出问题的对象（取证记录、文件、台账条目）")
    zh = serializers.CharField()
    en = serializers.CharField()


class VerificationSerializer(serializers.Serializer):
    """``selectors.capture_verification``: the files re-hashed, the metadata and the capture's ledger entry."""

    ok = serializers.BooleanField()
    captures = serializers.IntegerField()
    files = serializers.IntegerField()
    ledger_entries = serializers.IntegerField()
    checkpoints = serializers.IntegerField()
    problems = ProblemSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())


class EvidenceCaptureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = EvidenceCaptureSerializer
    filterset_class = filtersets.EvidenceCaptureFilterSet
    pagination_class = IdCursorPagination
    queryset = EvidenceCapture.objects.none()

    def get_queryset(self):
        return selectors.capture_list(user=self.request.user).prefetch_related("files")

    def get_object(self):
        """One capture by the evidence app's one rule (``access``), refused as the page refuses it; a read
        from outside the bureau is kept in the change log with the matter it came through."""
        raw = str(self.kwargs[self.lookup_url_kwarg or self.lookup_field])[:20]
        if not raw.isdigit():
            raise NotFoundError(f"取证记录 {raw} 不存在或无权查看", f"capture {raw} not found or not visible")
        pk = int(raw)
        capture = selectors.capture_get(user=self.request.user, pk=pk)
        self.check_object_permissions(self.request, capture)
        sight = selectors.capture_sight(user=self.request.user, capture=capture)
        if not sight.own:
            services.evidence_page_viewed(capture=capture, user=self.request.user, sight=sight)
        return capture

    @extend_schema(request=CaptureRequestSerializer, responses={201: CaptureCreatedSerializer})
    def create(self, request):
        """Capture a URL now (synchronously) and return the stored capture, failed or not."""
        if not services.can_capture(request.user):
            raise PermissionDeniedError("无权取证", "not allowed to capture evidence")
        req = CaptureRequestSerializer(data=request.data)
        req.is_valid(raise_exception=True)
        outcome = services.evidence_capture(user=request.user, **req.validated_data)
        data = EvidenceCaptureSerializer(outcome.capture).data
        data["notes"] = outcome.notes
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=VerificationSerializer)
    @action(detail=True, methods=["get"])
    def verify(self, request, pk=None):
        capture = self.get_object()
        return Response(selectors.capture_verification(capture=capture).as_dict())


def register(router) -> None:
    router.register("evidence/captures", EvidenceCaptureViewSet, basename="evidence-capture")
