"""REST endpoints of the clue loop: other systems create clues; staff read, act and answer by permission.

``POST /api/clues/clues/`` takes a clue in (routed, or attached to an open clue about the same
matter); ``POST /api/clues/clues/{id}/transition/`` takes a step of the transition table with
``{"action": …, …}``; visibility is the same as on the pages (``clues.selectors``).
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.clues import filtersets, forms, selectors, services
from wangjian.clues.choices import Action, SourceKind
from wangjian.clues.models import Clue, ClueEvent
from wangjian.core.api import BlankChoicesModelSerializer, IdCursorPagination
from wangjian.core.audit import acting
from wangjian.core.errors import PermissionDeniedError
from wangjian.org.choices import Domain
from wangjian.org.models import Bureau
from wangjian.platform.inbox.models import Message
from wangjian.platform.intake import Reporter


class ClueEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClueEvent
        fields = ["at", "action", "from_state", "to_state", "actor_name", "comment"]


class ClueSerializer(BlankChoicesModelSerializer):
    unit = serializers.SerializerMethodField()
    due = serializers.SerializerMethodField()
    due_provisional = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Clue
        fields = [
            "id",
            "number",
            "bureau",
            "title",
            "source_kind",
            "source_ref",
            "domain",
            "entity",
            "presence",
            "entity_name",
            "entity_uscc",
            "presence_label",
            "region_code",
            "facts",
            "state",
            "department",
            "station",
            "unit",
            "gap",
            "routing_reason",
            "assigned_at",
            "feedback_due",
            "feedback_basis",
            "feedback_provisional",
            "disposal_due",
            "disposal_basis",
            "disposal_provisional",
            "due",
            "due_provisional",
            "overdue",
            "check_result",
            "check_actions",
            "fed_back_at",
            "disposal",
            "disposal_note",
            "case_number",
            "case_url",
            "filing_due",
            "filing_basis",
            "filing_provisional",
            "filing_overdue",
            "refer_kind",
            "refer_target",
            "lessons",
            "closed_at",
            "transferred_from",
            "merged_into",
            "allowed_actions",
            "created",
            "last_updated",
        ]
        read_only_fields = fields

    def get_unit(self, obj) -> str:
        return str(obj.unit or "")

    def get_due(self, obj) -> str | None:
        due = obj.current_due
        return due.isoformat() if due else None

    def get_overdue(self, obj) -> bool:
        due = obj.current_due
        return bool(due and due < timezone.localdate() and not obj.current_due_provisional)

    def get_due_provisional(self, obj) -> bool:
        return obj.current_due_provisional

    def get_allowed_actions(self, obj) -> list[str]:
        request = self.context.get("request")
        if request is None or selectors.clue_read_only(user=request.user, clue=obj):
            return []
        return services.allowed_actions(user=request.user, clue=obj)


class ClueIntakeAnswerSerializer(ClueSerializer):
    """The clue taken in, and whether it is new or the open clue about the same matter it joined."""

    new_clue = serializers.BooleanField(
        help_text="true：新登记的线索（201）；false：并入同一事项的在办线索（200）"
    )
    reason = serializers.CharField(help_text="登记或并入的理由")

    class Meta(ClueSerializer.Meta):
        fields = [*ClueSerializer.Meta.fields, "new_clue", "reason"]
        read_only_fields = ClueSerializer.Meta.fields


class ClueStepAnswerSerializer(ClueSerializer):
    """The clue after a step of the transition table, with what the step did."""

    message = serializers.CharField(help_text="本步操作的结果说明")

    class Meta(ClueSerializer.Meta):
        fields = [*ClueSerializer.Meta.fields, "message"]
        read_only_fields = ClueSerializer.Meta.fields


class ClueIntakeSerializer(serializers.Serializer):
    bureau = serializers.PrimaryKeyRelatedField(queryset=Bureau.objects.all(), required=False)
    source_kind = serializers.ChoiceField(choices=SourceKind.choices)
    source_ref = serializers.CharField(required=False, allow_blank=True, max_length=200)
    domain = serializers.ChoiceField(choices=Domain.choices)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    facts = serializers.CharField()
    entity_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    entity_uscc = serializers.CharField(required=False, allow_blank=True, max_length=18)
    presence_label = serializers.CharField(required=False, allow_blank=True, max_length=500)
    region_code = serializers.RegexField(r"^\d{6,12}$", required=False, allow_blank=True)
    evidence_refs = serializers.ListField(child=serializers.CharField(max_length=200), required=False)
    reporter_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    reporter_contact = serializers.CharField(required=False, allow_blank=True, max_length=200)


class TransitionSerializer(serializers.Serializer):
    """The input of ``transition`` for the schema; it is checked by the step's form (``clues.forms.action_input``)."""

    action = serializers.ChoiceField(choices=[(a, Action(a).label) for a in services.TRANSITIONS])
    comment = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True)
    department = serializers.IntegerField(required=False, allow_null=True)
    station = serializers.IntegerField(required=False, allow_null=True)
    result = serializers.CharField(required=False, allow_blank=True)
    actions = serializers.CharField(required=False, allow_blank=True)
    disposal = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    refer_kind = serializers.CharField(required=False, allow_blank=True)
    refer_target = serializers.CharField(required=False, allow_blank=True)
    lessons = serializers.CharField(required=False, allow_blank=True, help_text="办结：举一反三")
    to_bureau = serializers.IntegerField(required=False)
    answer = serializers.CharField(required=False, allow_blank=True)
    into = serializers.CharField(required=False, allow_blank=True)
    sources = serializers.ListField(child=serializers.IntegerField(), required=False)
    domain = serializers.CharField(required=False, allow_blank=True)
    with_user = serializers.IntegerField(required=False)
    kind = serializers.CharField(required=False, allow_blank=True, help_text="不计入事由（filing_stop）")
    start = serializers.DateField(required=False, help_text="不计入期间开始（filing_stop）")
    end = serializers.DateField(required=False, help_text="不计入期间结束（filing_resume）")


class ClueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Clues the caller may read; create takes a clue in; ``transition`` takes a step of the table."""

    serializer_class = ClueSerializer
    filterset_class = filtersets.ClueFilterSet
    pagination_class = IdCursorPagination
    permission_classes = [permissions.IsAuthenticated]
    queryset = Clue.objects.none()

    def get_queryset(self):
        return selectors.clues_visible(self.request.user)

    @extend_schema(
        request=ClueIntakeSerializer,
        responses={201: ClueIntakeAnswerSerializer, 200: ClueIntakeAnswerSerializer},
    )
    def create(self, request):
        """Take in a clue from another system (a platform's report, an external monitoring system …).

        201 with the new clue, routed by the duty list; 200 with the open clue it was attached
        to when it concerns the same entity/presence and domain.
        """
        data = ClueIntakeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        bureau = values.pop("bureau", None) or request.user.bureau
        if bureau is None or not (request.user.is_superuser or bureau.pk == request.user.bureau_id):
            raise PermissionDeniedError(
                "只能向本局登记线索", "Clues can only be registered in your own bureau"
            )
        name, contact = values.pop("reporter_name", ""), values.pop("reporter_contact", "")
        reporter = Reporter(name, contact) if name else None
        with acting(request.user, via="api"):
            result = services.clue_intake(bureau=bureau, finder=request.user, reporter=reporter, **values)
        body = ClueSerializer(result.clue, context={"request": request}).data
        # the clue's own ``created`` (when it was registered) stays what it is
        body |= {"new_clue": result.created, "reason": result.reason_zh}
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)

    @extend_schema(request=TransitionSerializer, responses=ClueStepAnswerSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Take one step of the transition table (accept, feedback, close, return, escalate …)."""
        clue = self.get_object()
        step = str(request.data.get("action", ""))
        # The same form as the clue page's button checks the input: the same refusal in the same words.
        values = forms.action_input(step, clue, request.data)
        with acting(request.user, via="api"):
            message = services.clue_act(clue=clue, user=request.user, action=step, values=values)
        clue.refresh_from_db()
        body = ClueSerializer(clue, context={"request": request}).data
        body["message"] = message
        return Response(body)

    @extend_schema(responses=ClueEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # the whole history, as a list
    def history(self, request, pk=None):
        clue = self.get_object()
        return Response(ClueEventSerializer(clue.events.all(), many=True).data)


class NotificationSerializer(serializers.ModelSerializer):
    clue = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = ["id", "clue", "kind", "title", "body", "urgent", "created_at", "read_at"]

    def get_clue(self, obj) -> int | None:
        return int(obj.subject_id) if obj.subject_id.isdigit() else None


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's messages about clues, from the one inbox (``/api/inbox/`` has every kind)."""

    serializer_class = NotificationSerializer
    pagination_class = IdCursorPagination
    permission_classes = [permissions.IsAuthenticated]
    queryset = Message.objects.none()

    def get_queryset(self):
        return Message.objects.filter(user=self.request.user, subject_type="clues.clue")


def register(router) -> None:
    router.register("clues/clues", ClueViewSet, basename="clue")
    router.register("clues/notifications", NotificationViewSet, basename="clue-notification")
