"""REST endpoints of the numbering: the register (read, void) and each kind's format, through the services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.core.api import IdCursorPagination
from wangjian.core.audit import acting
from wangjian.org.selectors import scope
from wangjian.platform.numbering import services
from wangjian.platform.numbering.models import IssuedNumber, NumberFormat


class IssuedNumberSerializer(serializers.ModelSerializer):
    class Meta:
        model = IssuedNumber
        fields = [
            "id",
            "bureau",
            "kind",
            "year",
            "seq",
            "number",
            "subject_type",
            "subject_id",
            "subject_label",
            "issued_at",
            "voided_at",
            "void_reason",
        ]
        read_only_fields = fields


class VoidSerializer(serializers.Serializer):
    # a missing or blank reason is refused by ``number_void`` itself, in the page's words
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class IssuedNumberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The register of numbers issued (文号登记簿): ``?kind=&year=&number=``; void one with a reason."""

    serializer_class = IssuedNumberSerializer
    pagination_class = IdCursorPagination
    permission_classes = [permissions.IsAuthenticated]
    queryset = IssuedNumber.objects.none()

    def get_queryset(self):
        qs = scope(IssuedNumber.objects.all(), self.request.user)
        params = self.request.query_params
        for name in ("kind", "year", "number"):
            if params.get(name):
                qs = qs.filter(**{name: params[name]})
        return qs

    @extend_schema(request=VoidSerializer, responses=IssuedNumberSerializer)
    @action(detail=True, methods=["post"], serializer_class=VoidSerializer)
    def void(self, request, pk=None):
        issued = self.get_object()
        body = VoidSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with acting(request.user, via="api"):
            services.number_void(issued=issued, user=request.user, reason=body.validated_data["reason"])
        return Response(IssuedNumberSerializer(issued).data)


class NumberFormatSerializer(serializers.ModelSerializer):
    class Meta:
        model = NumberFormat
        fields = ["id", "bureau", "kind", "prefix", "pattern"]


class NumberFormatViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """A bureau's abbreviation and pattern per kind; written by ``number_format_set`` as on the page."""

    serializer_class = NumberFormatSerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = NumberFormat.objects.none()

    def get_queryset(self):
        return scope(NumberFormat.objects.all(), self.request.user)

    def _write(self, serializer):
        data = {**(NumberFormatSerializer(serializer.instance).data if serializer.instance else {})}
        data.update(serializer.validated_data)
        bureau = serializer.validated_data.get("bureau") or serializer.instance.bureau
        with acting(self.request.user, via="api"):
            serializer.instance = services.number_format_set(
                bureau=bureau,
                kind=data["kind"],
                prefix=data["prefix"],
                pattern=data["pattern"],
                user=self.request.user,
            )

    perform_create = _write
    perform_update = _write
