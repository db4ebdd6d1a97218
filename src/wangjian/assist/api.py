"""REST endpoints of 协查 and 内部协作, with the pages' rules and refusals.

``/api/assist/requests/`` (the list's filters; ``POST`` drafts a request, ``"send": true`` sends it at once),
``POST …/{id}/transition/`` with ``{"action": …, …}`` takes a step of the table, ``GET …/{id}/history/`` its
steps, ``GET …/{id}/payload/`` the request (and its answer) as the exchange layer will carry it.
``/api/assist/internal/`` likewise for the requests to the network unit.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.assist import filtersets, forms, selectors, services
from wangjian.assist.choices import InternalKind
from wangjian.assist.models import AssistanceEvent, AssistanceRequest, InternalEvent, InternalRequest
from wangjian.assist.permissions import ASSIST_ACT, ASSIST_READ, INTERNAL_ACT, INTERNAL_READ
from wangjian.assist.views import presence_of, resolve_subject
from wangjian.core.api import BlankChoicesModelSerializer, IdCursorPagination
from wangjian.core.audit import acting
from wangjian.core.errors import ValidationFailed
from wangjian.org import permissions as table
from wangjian.org.models import Bureau

ID_MAX = 2**63 - 1


class AssistanceRequestSerializer(BlankChoicesModelSerializer):
    requester = serializers.CharField(source="requester_name", read_only=True)
    receiver = serializers.CharField(source="receiver_name", read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = AssistanceRequest
        fields = [
            "id",
            "number",
            "from_bureau",
            "external_from_code",
            "external_from_name",
            "from_department",
            "requester",
            "to_bureau",
            "external_bureau_code",
            "external_bureau_name",
            "to_department",
            "assignee",
            "receiver",
            "external_ref",
            "question",
            "entity",
            "entity_name",
            "entity_uscc",
            "presence",
            "presence_url",
            "platform_name",
            "shop_name",
            "clue",
            "case",
            "state",
            "sent_at",
            "received_on",
            "due",
            "due_basis",
            "due_provisional",
            "accepted_at",
            "answered_at",
            "answered_on_time",
            "answer",
            "findings",
            "external_evidence",
            "refused_at",
            "refusal_reason",
            "withdrawn_at",
            "closed_at",
            "close_note",
            "allowed_actions",
            "created",
            "last_updated",
        ]
        read_only_fields = fields

    def get_allowed_actions(self, obj) -> list[str]:  # noqa: ANN001
        request = self.context.get("request")
        return services.allowed_actions(user=request.user, request=obj) if request else []


class InternalRequestSerializer(BlankChoicesModelSerializer):
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = InternalRequest
        fields = [
            "id",
            "bureau",
            "kind",
            "from_department",
            "requested_by",
            "to_department",
            "assignee",
            "presence",
            "url",
            "purpose",
            "state",
            "requested_at",
            "due",
            "due_basis",
            "capture",
            "findings",
            "result",
            "done_at",
            "on_time",
            "cancel_reason",
            "allowed_actions",
            "created",
            "last_updated",
        ]
        read_only_fields = fields

    def get_allowed_actions(self, obj) -> list[str]:  # noqa: ANN001
        request = self.context.get("request")
        return services.internal_allowed(user=request.user, request=obj) if request else []


class AssistanceEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssistanceEvent
        fields = ["at", "action", "from_state", "to_state", "actor_name", "comment"]


class InternalEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = InternalEvent
        fields = ["at", "action", "from_state", "to_state", "actor_name", "comment"]


def _transition_serializer(name: str, table_: dict, fields: dict) -> type[serializers.Serializer]:
    attrs: dict = {"action": serializers.ChoiceField(choices=[(a, row.label) for a, row in table_.items()])}
    for step_fields in fields.values():
        for f in step_fields:
            if f.name in attrs:
                continue
            if f.kind in ("number", "department", "user"):
                attrs[f.name] = serializers.IntegerField(
                    required=False, min_value=1, max_value=ID_MAX, help_text=f.label
                )
            else:
                attrs[f.name] = serializers.CharField(
                    required=False, allow_blank=True, max_length=5000, help_text=f.label
                )
    return type(name, (serializers.Serializer,), attrs)


AssistanceTransitionSerializer = _transition_serializer(
    "AssistanceTransitionSerializer", services.TRANSITIONS, forms.STEP_FIELDS
)
InternalTransitionSerializer = _transition_serializer(
    "InternalTransitionSerializer", services.INTERNAL_TRANSITIONS, forms.INTERNAL_STEP_FIELDS
)


class AssistanceCreateSerializer(serializers.Serializer):
    to_bureau = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=ID_MAX)
    external_bureau_code = serializers.CharField(required=False, allow_blank=True, max_length=6)
    external_bureau_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    question = serializers.CharField(max_length=5000)
    entity_uscc = serializers.CharField(required=False, allow_blank=True, max_length=18)
    entity_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    presence_url = serializers.CharField(required=False, allow_blank=True, max_length=500)
    platform_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    shop_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    clue_number = serializers.CharField(required=False, allow_blank=True, max_length=80)
    case_number = serializers.CharField(required=False, allow_blank=True, max_length=60)
    send = serializers.BooleanField(required=False, default=False)


class InternalCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=InternalKind.choices)
    url = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    presence = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=ID_MAX)
    purpose = serializers.CharField(max_length=5000)


class _ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    pagination_class = IdCursorPagination
    permission_classes = [permissions.IsAuthenticated]


class AssistanceRequestViewSet(_ReadViewSet):
    """协查请求 sent and received by the caller's bureaus; ``create`` drafts (and sends); ``transition`` takes a step."""

    serializer_class = AssistanceRequestSerializer
    filterset_class = filtersets.AssistanceFilterSet
    queryset = AssistanceRequest.objects.none()

    def get_queryset(self):
        table.require(self.request.user, ASSIST_READ)
        return selectors.requests_visible(self.request.user)

    @extend_schema(request=AssistanceCreateSerializer, responses={201: AssistanceRequestSerializer})
    def create(self, request):
        table.require(request.user, ASSIST_ACT)
        body = AssistanceCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        to_bureau = None
        if data.get("to_bureau"):
            to_bureau = Bureau.objects.filter(pk=data["to_bureau"]).first()
            if to_bureau is None:
                raise ValidationFailed("没有该协查局", "No such bureau")
        with acting(request.user, via="api"):
            obj = services.assistance_create(
                user=request.user,
                question=data["question"],
                to_bureau=to_bureau,
                external_bureau_code=data.get("external_bureau_code", ""),
                external_bureau_name=data.get("external_bureau_name", ""),
                values=data,
                send=data.get("send", False),
                **resolve_subject(request.user, data),
            )
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AssistanceTransitionSerializer, responses=AssistanceRequestSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def transition(self, request, pk=None):
        """Take one step: send, withdraw, accept, refuse, extend, answer, close, return."""
        obj = self.get_object()
        table.require(request.user, ASSIST_ACT)
        body = AssistanceTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        step = body.validated_data["action"]
        values = forms.step_values(forms.STEP_FIELDS.get(step, ()), body.validated_data)
        with acting(request.user, via="api"):
            message = services.assistance_act(request=obj, user=request.user, action=step, values=values)
        obj.refresh_from_db()
        data = self.get_serializer(obj).data
        data["message"] = message
        return Response(data)

    @extend_schema(responses=AssistanceEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def history(self, request, pk=None):
        return Response(AssistanceEventSerializer(self.get_object().events.all(), many=True).data)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def payload(self, request, pk=None):
        """The request (and its answer, once given) in natural keys, as the exchange layer carries it."""
        obj = self.get_object()
        out = {"request": services.assistance_payload(obj)}
        if obj.answered_at is not None:
            out["answer"] = services.assistance_answer_payload(obj)
        return Response(out)


class InternalRequestViewSet(_ReadViewSet):
    """内部协作请求 of the caller's bureaus; ``create`` asks the network unit; ``transition`` takes a step."""

    serializer_class = InternalRequestSerializer
    filterset_class = filtersets.InternalFilterSet
    queryset = InternalRequest.objects.none()

    def get_queryset(self):
        table.require(self.request.user, INTERNAL_READ)
        return selectors.internal_visible(self.request.user).prefetch_related("findings")

    @extend_schema(request=InternalCreateSerializer, responses={201: InternalRequestSerializer})
    def create(self, request):
        table.require(request.user, INTERNAL_ACT)
        body = InternalCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with acting(request.user, via="api"):
            obj = services.internal_create(
                user=request.user,
                kind=data["kind"],
                purpose=data["purpose"],
                url=data.get("url", ""),
                presence=presence_of(request.user, data.get("presence")),
            )
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=InternalTransitionSerializer, responses=InternalRequestSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def transition(self, request, pk=None):
        """Take one step: accept, capture, link_capture, result, cancel."""
        obj = self.get_object()
        table.require(request.user, INTERNAL_ACT)
        body = InternalTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        step = body.validated_data["action"]
        values = forms.step_values(forms.INTERNAL_STEP_FIELDS.get(step, ()), body.validated_data)
        with acting(request.user, via="api"):
            message = services.internal_act(request=obj, user=request.user, action=step, values=values)
        obj.refresh_from_db()
        data = self.get_serializer(obj).data
        data["message"] = message
        return Response(data)

    @extend_schema(responses=InternalEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def history(self, request, pk=None):
        return Response(InternalEventSerializer(self.get_object().events.all(), many=True).data)


def register(router) -> None:  # noqa: ANN001
    router.register("assist/requests", AssistanceRequestViewSet, basename="assist-request")
    router.register("assist/internal", InternalRequestViewSet, basename="assist-internal")
