"""REST endpoints of the work items: other systems and apps hand units work and follow it; same rules as the pages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.core.api import IdCursorPagination
from wangjian.core.audit import acting
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.org.models import Department, Station, User
from wangjian.platform.clocks import catalogue
from wangjian.platform.workitems import kinds, selectors, services
from wangjian.platform.workitems.models import Escalation, WorkItem


class EscalationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Escalation
        fields = [
            "id",
            "level",
            "note",
            "raised_at",
            "answer_due",
            "answer_provisional",
            "automatic",
            "answer",
            "answered_at",
        ]


class WorkItemSerializer(serializers.ModelSerializer):
    escalations = EscalationSerializer(many=True, read_only=True)
    unit = serializers.SerializerMethodField()

    class Meta:
        model = WorkItem
        fields = [
            "id",
            "bureau",
            "kind",
            "reference",
            "title",
            "body",
            "domain",
            "subject_type",
            "subject_id",
            "url",
            "department",
            "station",
            "assignee",
            "unit",
            "due",
            "due_basis",
            "due_provisional",
            "urgent",
            "state",
            "result",
            "overdue",
            "escalations",
        ]
        read_only_fields = fields

    def get_unit(self, obj) -> str:
        return str(obj.unit or "")


class WorkItemActAnswerSerializer(WorkItemSerializer):
    """The item after the step, with what the step did."""

    message = serializers.CharField(help_text="本步操作的结果说明")

    class Meta(WorkItemSerializer.Meta):
        fields = [*WorkItemSerializer.Meta.fields, "message"]
        read_only_fields = WorkItemSerializer.Meta.fields


def _validate_kind(value: str) -> str:
    if value not in {kind.key for kind in kinds.kinds()}:
        raise serializers.ValidationError(f"未知的待办类型：{value} / unknown kind of work item")
    return value


def _validate_clock(value: str) -> str:
    if value and value not in {kind.key for kind in catalogue.kinds()}:
        raise serializers.ValidationError(f"未知的时限：{value} / unknown clock")
    return value


class WorkItemCreateSerializer(serializers.Serializer):
    """A kind or a clock that does not exist is a bad request (400), not a missing row."""

    kind = serializers.CharField(validators=[_validate_kind])
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(required=False, allow_blank=True)
    department = serializers.IntegerField(required=False, allow_null=True)
    station = serializers.IntegerField(required=False, allow_null=True)
    assignee = serializers.IntegerField(required=False, allow_null=True)
    due = serializers.DateField(required=False, allow_null=True)
    working_days = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=120)
    clock = serializers.CharField(required=False, allow_blank=True, validators=[_validate_clock])
    domain = serializers.CharField(required=False, allow_blank=True)
    urgent = serializers.BooleanField(required=False)


class WorkItemActSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["finish", "cancel", "escalate", "escalate_group", "answer"])
    result = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    answer = serializers.CharField(required=False, allow_blank=True)


class WorkItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Work items the caller may see (``?state=open&overdue=1&kind=``); create hands one to a unit."""

    serializer_class = WorkItemSerializer
    pagination_class = IdCursorPagination
    permission_classes = [permissions.IsAuthenticated]
    queryset = WorkItem.objects.none()

    def get_queryset(self):
        qs = selectors.items_visible(self.request.user).prefetch_related("escalations")
        params = self.request.query_params
        if params.get("state"):
            qs = qs.filter(state=params["state"])
        if params.get("kind"):
            qs = qs.filter(kind=params["kind"])
        if params.get("overdue"):
            qs = qs.filter(overdue=True)
        return qs

    @extend_schema(request=WorkItemCreateSerializer, responses={201: WorkItemSerializer})
    def create(self, request):
        data = WorkItemCreateSerializer(data=request.data)
        if not data.is_valid():
            raise ValidationFailed("待办事项参数无效", "Invalid work item", detail=data.errors)
        values = dict(data.validated_data)
        bureau = request.user.bureau
        if bureau is None:
            raise PermissionDeniedError(
                "没有所属局的账号不能交办事项", "An account without a bureau hands out no work"
            )

        def pick(model, name):
            pk = values.pop(name, None)
            return model.objects.filter(pk=pk, bureau=bureau).first() if pk else None

        with acting(request.user, via="api"):
            item = services.workitem_create(
                bureau=bureau,
                department=pick(Department, "department"),
                station=pick(Station, "station"),
                assignee=pick(User, "assignee"),
                created_by=request.user,
                **values,
            )
        return Response(WorkItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WorkItemActSerializer, responses=WorkItemActAnswerSerializer)
    @action(detail=True, methods=["post"])
    def act(self, request, pk=None):
        """Finish, cancel, escalate (level 1 or 2) or answer the latest 督办 — as the item's page does."""
        item = self.get_object()
        data = WorkItemActSerializer(data=request.data)
        if not data.is_valid():
            raise ValidationFailed("操作参数无效", "Invalid action", detail=data.errors)
        values = dict(data.validated_data)
        with acting(request.user, via="api"):
            message = services.workitem_act(
                item=item, user=request.user, action=values.pop("action"), data=values
            )
        item.refresh_from_db()
        return Response(WorkItemSerializer(item).data | {"message": message})
