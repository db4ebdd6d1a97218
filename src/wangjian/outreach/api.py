"""REST endpoints of outreach, with the same services and refusals as the pages.

``/api/outreach/guidance/`` (``POST`` records a 约谈/提示/告诫/建议 with its items), ``/api/outreach/requests/``
(``POST`` sends a takedown, data or block request to a platform), ``/api/outreach/authorities/`` (the register),
``/api/outreach/authority-requests/`` (``POST`` sends a letter to another authority); ``POST …/{id}/step/`` with
``{"action": …, …}`` takes a step (an answer, a receipt, an outcome, a follow-up done, an assessment);
``GET /api/outreach/platforms/{id}/duties/`` a platform's reports schedule and re-verification.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.core.api import BlankChoicesModelSerializer, IdCursorPagination
from wangjian.core.audit import acting
from wangjian.core.errors import ValidationFailed
from wangjian.org import permissions as table
from wangjian.outreach import filtersets, selectors, services
from wangjian.outreach.choices import AuthorityRequestKind
from wangjian.outreach.models import Authority, AuthorityRequest, Guidance, GuidanceItem, PlatformRequest
from wangjian.outreach.permissions import OUTREACH_READ
from wangjian.outreach.services.common import may_act
from wangjian.outreach.services.steps import AUTHORITY_REQUEST, GUIDANCE, REQUEST, STEPS, steps_of
from wangjian.registry.models import Platform


class OutreachGuidanceItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = GuidanceItem
        fields = ["id", "text", "due", "due_basis", "done_on", "note"]
        read_only_fields = fields


class _Steps(serializers.Serializer):
    record = ""
    allowed_steps = serializers.SerializerMethodField()

    def get_allowed_steps(self, obj) -> list[str]:
        request = self.context.get("request")
        return services.allowed_steps(user=request.user, record=self.record, obj=obj) if request else []


_FILES = ("file", "report_file", "answer_file", "receipt_file")


class OutreachGuidanceSerializer(_Steps, BlankChoicesModelSerializer):
    record = GUIDANCE
    items = OutreachGuidanceItemSerializer(many=True, read_only=True)

    class Meta:
        model = Guidance
        exclude = ["file", "report_file"]
        read_only_fields = [f.name for f in Guidance._meta.concrete_fields if f.name not in _FILES]


class OutreachRequestSerializer(_Steps, BlankChoicesModelSerializer):
    record = REQUEST

    class Meta:
        model = PlatformRequest
        exclude = ["file", "answer_file"]
        read_only_fields = [f.name for f in PlatformRequest._meta.concrete_fields if f.name not in _FILES]


class OutreachAuthoritySerializer(BlankChoicesModelSerializer):
    class Meta:
        model = Authority
        fields = [
            "id",
            "bureau",
            "name",
            "kind",
            "contact",
            "phone",
            "address",
            "note",
            "created",
            "last_updated",
        ]
        read_only_fields = ["id", "bureau", "created", "last_updated"]


class OutreachRequestToAuthoritySerializer(_Steps, BlankChoicesModelSerializer):
    record = AUTHORITY_REQUEST

    class Meta:
        model = AuthorityRequest
        exclude = ["file", "receipt_file"]
        read_only_fields = [f.name for f in AuthorityRequest._meta.concrete_fields if f.name not in _FILES]


class OutreachItemInput(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    due = serializers.DateField(required=False, allow_null=True)


class OutreachGuidanceInput(serializers.ModelSerializer):
    items = OutreachItemInput(many=True, required=False)

    class Meta:
        model = Guidance
        fields = ["platform", "kind", "held_on", "platform_attendees", "bureau_attendees", "matters", "items"]


class OutreachRequestInput(serializers.ModelSerializer):
    class Meta:
        model = PlatformRequest
        fields = [
            "platform",
            "kind",
            "sent_on",
            "basis",
            "urls",
            "data_scope",
            "period_from",
            "period_to",
            "seller",
            "measure",
        ]
        extra_kwargs = {"sent_on": {"required": False}}


class OutreachAuthorityRequestInput(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=AuthorityRequestKind.choices)

    class Meta:
        model = AuthorityRequest
        fields = ["authority", "kind", "sent_on", "subject", "materials"]
        extra_kwargs = {"sent_on": {"required": False}}


class OutreachStepInput(serializers.Serializer):
    action = serializers.CharField(max_length=40)
    item = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    done_on = serializers.DateField(required=False, allow_null=True)
    received_on = serializers.DateField(required=False, allow_null=True)
    answered_on = serializers.DateField(required=False, allow_null=True)
    assessed_on = serializers.DateField(required=False, allow_null=True)
    outcome_on = serializers.DateField(required=False, allow_null=True)
    answer = serializers.CharField(required=False, allow_blank=True, max_length=20)
    assessment = serializers.CharField(required=False, allow_blank=True, max_length=20)
    links_removed = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=10**9)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    report = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    outcome = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class _ViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    pagination_class = IdCursorPagination
    permission_classes = [permissions.IsAuthenticated]
    record = ""
    visible = None
    input_class = None
    filterset_class = None

    def get_queryset(self):
        table.require(self.request.user, OUTREACH_READ)
        return type(self).visible(self.request.user)

    def _create(self, request, build, save):  # noqa: ANN001, ANN202
        table.require(request.user, OUTREACH_READ)
        may_act(request.user, request.user.bureau_id)
        body = self.input_class(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        obj = build(data)
        obj.bureau_id = request.user.bureau_id
        with acting(request.user, via="api"):
            save(obj, data)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    def _step(self, request):  # noqa: ANN001, ANN202
        obj = self.get_object()
        body = OutreachStepInput(data=request.data)
        body.is_valid(raise_exception=True)
        values = {k: v for k, v in body.validated_data.items() if k != "action"}
        with acting(request.user, via="api"):
            message = services.outreach_act(
                record=self.record,
                obj=obj,
                user=request.user,
                action=body.validated_data["action"],
                values=values,
            )
        obj.refresh_from_db()
        data = self.get_serializer(obj).data
        data["message"] = message
        return Response(data)


def _step_doc(record: str) -> str:
    return "；".join(f"{a}：{STEPS[(record, a)].label}" for a in steps_of(record))


def _platform_check(user, data) -> None:  # noqa: ANN001
    platform = data.get("platform")
    if platform is not None and platform.bureau_id != user.bureau_id and not user.is_superuser:
        raise ValidationFailed("平台不属于该局", "The platform belongs to another bureau")


class GuidanceViewSet(_ViewSet):
    """平台行政指导（约谈、提示、告诫、建议）: ``create`` records one with its items; ``step``: item_done, report, assess."""

    serializer_class = OutreachGuidanceSerializer
    filterset_class = filtersets.GuidanceFilterSet
    queryset = Guidance.objects.none()
    record = GUIDANCE
    visible = staticmethod(lambda user: selectors.guidance_visible(user).prefetch_related("items"))
    input_class = OutreachGuidanceInput

    @extend_schema(request=OutreachGuidanceInput, responses={201: OutreachGuidanceSerializer})
    def create(self, request):
        def save(obj, data):  # noqa: ANN001, ANN202
            _platform_check(request.user, data)
            items = [(i["text"], i.get("due")) for i in data.get("items", [])]
            services.guidance_record(guidance=obj, items=items, user=request.user)

        return self._create(request, lambda d: Guidance(**{k: v for k, v in d.items() if k != "items"}), save)

    @extend_schema(
        request=OutreachStepInput, responses=OutreachGuidanceSerializer, description=_step_doc(GUIDANCE)
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def step(self, request, pk=None):
        return self._step(request)


class RequestViewSet(_ViewSet):
    """对平台的请求（下架、调取数据、停止服务）: ``create`` sends one; ``step``: answer."""

    serializer_class = OutreachRequestSerializer
    filterset_class = filtersets.RequestFilterSet
    queryset = PlatformRequest.objects.none()
    record = REQUEST
    visible = staticmethod(selectors.requests_visible)
    input_class = OutreachRequestInput

    @extend_schema(request=OutreachRequestInput, responses={201: OutreachRequestSerializer})
    def create(self, request):
        def save(obj, data):  # noqa: ANN001, ANN202
            _platform_check(request.user, data)
            services.request_send(request=obj, user=request.user)

        return self._create(request, lambda d: PlatformRequest(**d), save)

    @extend_schema(
        request=OutreachStepInput, responses=OutreachRequestSerializer, description=_step_doc(REQUEST)
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def step(self, request, pk=None):
        return self._step(request)


class AuthorityViewSet(_ViewSet):
    """协作部门: the register of the police, 通信管理局, carriers and others; ``create`` adds one."""

    serializer_class = OutreachAuthoritySerializer
    filterset_class = filtersets.AuthorityFilterSet
    queryset = Authority.objects.none()
    visible = staticmethod(selectors.authorities_visible)
    input_class = OutreachAuthoritySerializer

    @extend_schema(request=OutreachAuthoritySerializer, responses={201: OutreachAuthoritySerializer})
    def create(self, request):
        return self._create(
            request,
            lambda d: Authority(**d),
            lambda obj, data: services.authority_save(authority=obj, user=request.user),
        )


class AuthorityRequestViewSet(_ViewSet):
    """外部门协作请求: ``create`` sends a letter (a case's transfer to the police comes from the case); ``step``:
    receipt, outcome."""

    serializer_class = OutreachRequestToAuthoritySerializer
    filterset_class = filtersets.AuthorityRequestFilterSet
    queryset = AuthorityRequest.objects.none()
    record = AUTHORITY_REQUEST
    visible = staticmethod(selectors.authority_requests_visible)
    input_class = OutreachAuthorityRequestInput

    @extend_schema(
        request=OutreachAuthorityRequestInput, responses={201: OutreachRequestToAuthoritySerializer}
    )
    def create(self, request):
        def save(obj, data):  # noqa: ANN001, ANN202
            if obj.authority.bureau_id != request.user.bureau_id and not request.user.is_superuser:
                raise ValidationFailed(
                    "协作部门不属于本局的登记", "The authority is registered by another bureau"
                )
            services.authority_request_send(request=obj, user=request.user)

        return self._create(request, lambda d: AuthorityRequest(**d), save)

    @extend_schema(
        request=OutreachStepInput,
        responses=OutreachRequestToAuthoritySerializer,
        description=_step_doc(AUTHORITY_REQUEST),
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def step(self, request, pk=None):
        return self._step(request)


class OutreachReportRowSerializer(serializers.Serializer):
    window = serializers.CharField()
    window_start = serializers.DateField()
    window_end = serializers.DateField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    arrived_on = serializers.DateField(allow_null=True)
    via = serializers.CharField(allow_blank=True)
    days_late = serializers.IntegerField()


class OutreachDutiesSerializer(serializers.Serializer):
    platform = serializers.IntegerField()
    reports = OutreachReportRowSerializer(many=True)
    reverification_overdue = serializers.BooleanField()
    reverification = serializers.CharField()


class OutreachPlatformSerializer(serializers.ModelSerializer):
    class Meta:
        model = Platform
        fields = ["id", "bureau", "name", "operator_name", "url"]
        read_only_fields = fields


class PlatformDutiesViewSet(_ViewSet):
    """The platforms whose duties the bureau follows; ``duties``: the seller-identity reports owed each January and
    July, how each came, and the re-verification flag."""

    serializer_class = OutreachPlatformSerializer
    queryset = Platform.objects.none()
    visible = staticmethod(selectors.platforms_visible)

    @extend_schema(responses=OutreachDutiesSerializer)
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def duties(self, request, pk=None):
        platform = self.get_object()
        today = timezone.localdate()
        reverify = selectors.platform_reverify(platform, today=today)
        rows = [
            {
                "window": r.window.label,
                "window_start": r.window.start,
                "window_end": r.window.end,
                "state": r.state,
                "state_label": r.state_label,
                "arrived_on": r.arrival.on if r.arrival else None,
                "via": r.arrival.via if r.arrival else "",
                "days_late": r.days_late,
            }
            for r in selectors.platform_reports(platform, today=today)
        ]
        return Response(
            OutreachDutiesSerializer(
                {
                    "platform": platform.pk,
                    "reports": rows,
                    "reverification_overdue": reverify.overdue,
                    "reverification": reverify.text,
                }
            ).data
        )


def register(router) -> None:  # noqa: ANN001
    router.register("outreach/guidance", GuidanceViewSet, basename="outreach-guidance")
    router.register("outreach/requests", RequestViewSet, basename="outreach-request")
    router.register("outreach/authorities", AuthorityViewSet, basename="outreach-authority")
    router.register(
        "outreach/authority-requests", AuthorityRequestViewSet, basename="outreach-authority-request"
    )
    router.register("outreach/platforms", PlatformDutiesViewSet, basename="outreach-platform")
