"""REST endpoints of the clocks: the catalogue with the caller's bureau's settings, a deadline computed
on request, and the bureau's settings written through the same service as the page (same refusals)."""

from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.core.audit import acting
from wangjian.core.clocks import Extension, Suspension
from wangjian.core.errors import NotFoundError, ValidationFailed
from wangjian.org.models import Bureau
from wangjian.org.selectors import scope, visible_bureau_ids
from wangjian.platform.clocks import catalogue, services
from wangjian.platform.clocks.models import DeadlinePolicy


class ClockSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    length = serializers.IntegerField()
    unit = serializers.CharField()
    lock = serializers.CharField()
    basis = serializers.CharField()
    starts = serializers.CharField()
    stoppers = serializers.ListField(child=serializers.CharField())
    max_extension = serializers.IntegerField()
    bureau_length = serializers.IntegerField()
    bureau_basis = serializers.CharField()


class SuspensionSerializer(serializers.Serializer):
    kind = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField(required=False, allow_null=True)


class ExtensionSerializer(serializers.Serializer):
    length = serializers.IntegerField(min_value=1)
    approved_by = serializers.CharField(max_length=100)
    approved_on = serializers.DateField()
    basis = serializers.CharField(required=False, allow_blank=True, max_length=200)


class DeadlineRequestSerializer(serializers.Serializer):
    start = serializers.DateField()
    variant = serializers.CharField(required=False, allow_blank=True)
    suspensions = SuspensionSerializer(many=True, required=False)
    extensions = ExtensionSerializer(many=True, required=False)
    collective = serializers.BooleanField(required=False)


class DeadlineSerializer(serializers.Serializer):
    clock = serializers.CharField()
    start = serializers.DateField()
    due = serializers.DateField(allow_null=True)
    provisional = serializers.BooleanField()
    provisional_reason = serializers.CharField()
    basis = serializers.CharField()
    skipped = serializers.ListField(child=serializers.ListField())
    stopped = serializers.BooleanField()
    left = serializers.IntegerField()


def _bureau(request) -> Bureau:
    ids = visible_bureau_ids(request.user)
    wanted = str(request.query_params.get("bureau") or request.user.bureau_id or "")
    qs = Bureau.objects.all() if ids is None else Bureau.objects.filter(pk__in=ids)
    # ``?bureau=null`` names no bureau (it reached the query as a 500 before)
    bureau = qs.filter(pk=int(wanted)).first() if wanted.isdecimal() else None
    if bureau is None:
        raise NotFoundError("请指定可见的市场监管局", "Name a bureau you may see (?bureau=)")
    return bureau


class ClockViewSet(viewsets.ViewSet):
    """Every clock of the catalogue, with the length the caller's bureau runs it at."""

    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"[a-z_.]+"

    def _row(self, kind, bureau) -> dict:
        setting = services.setting_for(bureau=bureau, clock=kind.key)
        return {
            "key": kind.key,
            "label": kind.label,
            "length": kind.length,
            "unit": kind.unit.value,
            "lock": kind.lock.value,
            "basis": kind.basis,
            "starts": kind.starts,
            "stoppers": sorted(kind.stoppers),
            "max_extension": kind.max_extension,
            "bureau_length": setting.length,
            "bureau_basis": setting.basis,
        }

    @extend_schema(responses=ClockSerializer(many=True), parameters=[OpenApiParameter("bureau", int)])
    def list(self, request):
        bureau = _bureau(request)
        return Response([self._row(kind, bureau) for kind in catalogue.kinds()])

    @extend_schema(responses=ClockSerializer, parameters=[OpenApiParameter("bureau", int)])
    def retrieve(self, request, pk=None):
        return Response(self._row(catalogue.get(pk), _bureau(request)))

    @extend_schema(
        request=DeadlineRequestSerializer,
        responses=DeadlineSerializer,
        parameters=[
            OpenApiParameter("start", str, description="GET: YYYY-MM-DD"),
            OpenApiParameter("variant", str),
            OpenApiParameter("bureau", int),
        ],
    )
    @action(detail=True, methods=["get", "post"])
    def deadline(self, request, pk=None):
        """The deadline of this clock from ``start`` (the event's day, not counted), with its basis.

        POST may add the time that does not count (``suspensions``) and approved ``extensions``;
        only what the clock's rule allows is accepted, with the rule's words when refused.
        """
        kind = catalogue.get(pk)
        suspensions, extensions, collective = [], [], False
        if request.method == "POST":
            body = DeadlineRequestSerializer(data=request.data)
            if not body.is_valid():
                raise ValidationFailed("期限计算参数无效", "Invalid deadline request", detail=body.errors)
            data = body.validated_data
            start, variant = data["start"], data.get("variant", "")
            suspensions = [Suspension(**item) for item in data.get("suspensions", [])]
            extensions = [Extension(**item) for item in data.get("extensions", [])]
            collective = data.get("collective", False)
        else:
            try:
                start = dt.date.fromisoformat(request.query_params.get("start", ""))
            except ValueError:
                raise ValidationFailed(
                    "参数 start 应为 YYYY-MM-DD 日期", "start must be a YYYY-MM-DD date"
                ) from None
            variant = request.query_params.get("variant", "")
        deadline = services.deadline_for(
            bureau=_bureau(request),
            clock=kind.key,
            start=start,
            variant=variant,
            suspensions=suspensions,
            extensions=extensions,
            collective=collective,
        )
        return Response(
            {
                "clock": kind.key,
                "start": start,
                "due": deadline.due,
                "provisional": deadline.provisional,
                "provisional_reason": deadline.provisional_reason,
                "basis": deadline.basis_text(kind.starts),
                "skipped": [[d.isoformat(), why] for d, why in deadline.skipped],
                "stopped": deadline.stopped,
                "left": deadline.left,
            }
        )


class DeadlinePolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = DeadlinePolicy
        fields = ["id", "bureau", "clock", "variant", "length", "basis"]


class DeadlinePolicyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """A bureau's settings of its clocks; statutory clocks are refused with the page's message."""

    serializer_class = DeadlinePolicySerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = DeadlinePolicy.objects.none()

    def get_queryset(self):
        return scope(DeadlinePolicy.objects.select_related("bureau"), self.request.user)

    def _write(self, serializer, instance=None):
        data = {
            **({} if instance is None else DeadlinePolicySerializer(instance).data),
            **serializer.validated_data,
        }
        bureau = data["bureau"]
        bureau = bureau if isinstance(bureau, Bureau) else Bureau.objects.get(pk=bureau)
        with acting(self.request.user, via="api"):
            serializer.instance = services.policy_set(
                bureau=bureau,
                clock=data["clock"],
                variant=data.get("variant", ""),
                length=data["length"],
                basis=data.get("basis", ""),
                user=self.request.user,
            )

    def perform_create(self, serializer):
        self._write(serializer)

    def perform_update(self, serializer):
        self._write(serializer, serializer.instance)

    def perform_destroy(self, instance):
        with acting(self.request.user, via="api"):
            services.policy_remove(policy=instance, user=self.request.user)
