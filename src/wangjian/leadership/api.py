"""REST endpoints of the leading group's year: plans (with their roll-up and the assessment table), meetings
(register, correct, add a decision, issue the 纪要), decisions (with their state and 督办; complete), yearly
summaries (submit). Every rule is ``services``'; a refusal reads as on the page.

``GET /api/leadership/plans/{id}/rollup/`` — the plan's tasks done / open / overdue per unit and overall;
``GET /api/leadership/plans/{id}/assessment/`` — the ranked assessment table;
``PATCH /api/leadership/plans/{id}/`` — correct the plan (title, body, summary_due, summary_remind_days);
``GET|POST /api/leadership/plans/{id}/tasks/`` — the plan's tasks, or a new one for a member unit;
``PATCH /api/leadership/plans/{id}/tasks/{task}/`` — correct an open task (title, body, due, its unit);
``POST /api/leadership/plans/{id}/tasks/{task}/withdraw/`` — 撤销 it with ``{"reason": …}``;
``PATCH /api/leadership/meetings/{id}/`` — correct a meeting until its 纪要 is issued.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.core.api import IdCursorPagination
from wangjian.core.audit import acting
from wangjian.core.errors import NotFoundError, ValidationFailed
from wangjian.leadership import services
from wangjian.leadership.models import AnnualPlan, Decision, Meeting, MeetingKind, PlanTask, YearSummary
from wangjian.leadership.permissions import LEADERSHIP_READ
from wangjian.org import permissions as table
from wangjian.org.models import Department, Station, User
from wangjian.platform.filtersets import ID_MAX
from wangjian.platform.workitems.models import WorkItemState


def _unit_name(obj) -> str:  # noqa: ANN001
    return str(obj.unit) if obj.unit else ""


class LeadershipPlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnnualPlan
        fields = ["id", "bureau", "year", "title", "body", "summary_due", "summary_remind_days"]


class LeadershipPlanEditSerializer(serializers.Serializer):
    """What of a plan may be corrected; a field left out stays as it is."""

    title = serializers.CharField(max_length=200, required=False)
    body = serializers.CharField(required=False, allow_blank=True)
    summary_due = serializers.DateField(required=False)
    summary_remind_days = serializers.IntegerField(required=False, min_value=0, max_value=32767)


class LeadershipTaskSerializer(serializers.ModelSerializer):
    unit = serializers.SerializerMethodField()
    state = serializers.CharField(source="work_item.state", read_only=True)
    overdue = serializers.BooleanField(source="work_item.overdue", read_only=True)
    result = serializers.CharField(source="work_item.result", read_only=True)

    class Meta:
        model = PlanTask
        fields = [
            "id",
            "plan",
            "title",
            "body",
            "department",
            "station",
            "unit",
            "due",
            "work_item",
            "state",
            "overdue",
            "result",
        ]

    def get_unit(self, obj) -> str:  # noqa: ANN001
        return _unit_name(obj)


class LeadershipMeetingSerializer(serializers.ModelSerializer):
    outside = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "bureau",
            "kind",
            "title",
            "held_on",
            "place",
            "chair",
            "outside",
            "minutes",
            "summary",
            "summary_number",
            "summary_issued_at",
        ]

    def get_outside(self, obj) -> list[str]:  # noqa: ANN001
        return obj.outside_list()


class LeadershipMeetingCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    title = serializers.CharField(max_length=200)
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    chair = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=ID_MAX
    )
    attendees = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX), required=False, default=list
    )
    outside_attendees = serializers.CharField(required=False, allow_blank=True, default="")
    minutes = serializers.CharField(required=False, allow_blank=True, default="")
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class LeadershipMeetingEditSerializer(serializers.Serializer):
    """What of a meeting may be corrected before its 纪要 is issued; a field left out stays as it is."""

    kind = serializers.ChoiceField(choices=MeetingKind.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    held_on = serializers.DateField(required=False)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    chair = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=ID_MAX)
    attendees = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX), required=False
    )
    outside_attendees = serializers.CharField(required=False, allow_blank=True)
    minutes = serializers.CharField(required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True)


class LeadershipUnitInput(serializers.Serializer):
    department = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=ID_MAX
    )
    station = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=ID_MAX
    )


class LeadershipDecisionInput(LeadershipUnitInput):
    text = serializers.CharField()
    due = serializers.DateField()


class LeadershipTaskInput(LeadershipUnitInput):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(required=False, allow_blank=True, default="")
    due = serializers.DateField()


class LeadershipTaskEditInput(LeadershipUnitInput):
    """A department or a station hands the task over to that unit; left out, the unit stays."""

    title = serializers.CharField(max_length=200, required=False)
    body = serializers.CharField(required=False, allow_blank=True)
    due = serializers.DateField(required=False)


class LeadershipWithdrawInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


TASK_PK = OpenApiParameter("task_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="任务ID")


class LeadershipDecisionSerializer(serializers.ModelSerializer):
    unit = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    escalations = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id",
            "meeting",
            "seq",
            "text",
            "department",
            "station",
            "unit",
            "due",
            "work_item",
            "state",
            "overdue",
            "escalations",
            "result",
        ]

    def get_unit(self, obj) -> str:  # noqa: ANN001
        return _unit_name(obj)

    def get_state(self, obj) -> str:  # noqa: ANN001
        return obj.work_item.state if obj.work_item else "draft"

    def get_overdue(self, obj) -> bool:  # noqa: ANN001
        item = obj.work_item
        return bool(item and item.state == WorkItemState.OPEN and item.overdue)

    def get_escalations(self, obj) -> int:  # noqa: ANN001
        return len(obj.work_item.escalations.all()) if obj.work_item else 0

    def get_result(self, obj) -> str:  # noqa: ANN001
        return obj.work_item.result if obj.work_item else ""


class LeadershipSummarySerializer(serializers.ModelSerializer):
    unit = serializers.SerializerMethodField()
    submitted = serializers.SerializerMethodField()

    class Meta:
        model = YearSummary
        fields = [
            "id",
            "plan",
            "department",
            "station",
            "unit",
            "text",
            "attachment_name",
            "submitted",
            "submitted_at",
            "submitted_by",
            "late",
        ]

    def get_unit(self, obj) -> str:  # noqa: ANN001
        return _unit_name(obj)

    def get_submitted(self, obj) -> bool:  # noqa: ANN001
        return obj.submitted_at is not None


class LeadershipSummaryInput(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="")
    attachment = serializers.FileField(required=False, allow_null=True, default=None)


class LeadershipCompleteInput(serializers.Serializer):
    result = serializers.CharField()


TALLY = inline_serializer(
    "LeadershipTally",
    {
        "label": serializers.CharField(),
        "total": serializers.IntegerField(),
        "done": serializers.IntegerField(),
        "open": serializers.IntegerField(),
        "overdue": serializers.IntegerField(),
        "cancelled": serializers.IntegerField(),
    },
)


def _tally(t) -> dict:  # noqa: ANN001
    return {k: getattr(t, k) for k in ("label", "total", "done", "open", "overdue", "cancelled")}


def _units(bureau_id: int, data: dict) -> tuple[Department | None, Station | None]:
    department = station = None
    if data.get("station"):
        station = Station.objects.filter(pk=data["station"], bureau_id=bureau_id).first()
        if station is None:
            raise ValidationFailed("成员单位必须是本局的科室或基层所", "The unit must be the bureau's")
    elif data.get("department"):
        department = Department.objects.filter(pk=data["department"], bureau_id=bureau_id).first()
        if department is None:
            raise ValidationFailed("成员单位必须是本局的科室或基层所", "The unit must be the bureau's")
    return department, station


class _ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    pagination_class = IdCursorPagination
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = None
    bureau_field = "bureau"
    base = None

    def get_queryset(self):
        table.require(self.request.user, LEADERSHIP_READ)
        return services.visible(self.base(), self.request.user, self.bureau_field)


class PlanViewSet(_ReadViewSet):
    """年度工作计划 (read); its roll-up and the assessment table."""

    serializer_class = LeadershipPlanSerializer
    queryset = AnnualPlan.objects.none()
    base = staticmethod(lambda: AnnualPlan.objects.all())

    @extend_schema(
        responses=inline_serializer("LeadershipRollup", {"overall": TALLY, "units": serializers.ListField()})
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def rollup(self, request, pk=None):
        plan = self.get_object()
        total, units = services.plan_rollup(plan, today=timezone.localdate())
        return Response({"overall": _tally(total), "units": [_tally(u) for u in units]})

    @extend_schema(responses=inline_serializer("LeadershipAssessment", {"rows": serializers.ListField()}))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def assessment(self, request, pk=None):
        plan = self.get_object()
        criteria, rows = services.assessment_table(plan)
        return Response(
            {
                "criteria": [
                    {
                        "id": c.pk,
                        "name": c.name,
                        "weight": str(c.weight),
                        "scoring": c.scoring,
                        "figure": c.figure,
                        "denominator": c.denominator,
                    }
                    for c in criteria
                ],
                "rows": [
                    {
                        "rank": r.rank,
                        "unit": str(r.unit),
                        "scores": [
                            None if cell is None or cell.final is None else str(cell.final)
                            for cell in r.cells
                        ],
                        "reasons": [cell.reason if cell else "" for cell in r.cells],
                        "total": str(r.total),
                    }
                    for r in rows
                ],
            }
        )

    @extend_schema(request=LeadershipPlanEditSerializer, responses=LeadershipPlanSerializer)
    def partial_update(self, request, pk=None):
        """Correct the plan's title, key points, the summaries' due day or the reminders' lead time."""
        plan = self.get_object()
        body = LeadershipPlanEditSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with acting(request.user, via="api"):
            plan = services.plan_update(plan=plan, user=request.user, **body.validated_data)
        return Response(LeadershipPlanSerializer(plan).data)

    @extend_schema(methods=["GET"], responses=LeadershipTaskSerializer(many=True))
    @extend_schema(methods=["POST"], request=LeadershipTaskInput, responses={201: LeadershipTaskSerializer})
    @action(detail=True, methods=["get", "post"], filterset_class=None, pagination_class=None)
    def tasks(self, request, pk=None):
        """The plan's tasks with their state (the work item's); ``POST`` hands a member unit a new one."""
        plan = self.get_object()
        if request.method == "GET":
            rows = plan.tasks.select_related("work_item", "department", "station").order_by("due", "id")
            return Response(LeadershipTaskSerializer(rows, many=True).data)
        body = LeadershipTaskInput(data=request.data)
        body.is_valid(raise_exception=True)
        services.require_manage(request.user, plan.bureau_id)
        department, station = _units(plan.bureau_id, body.validated_data)
        with acting(request.user, via="api"):
            task = services.task_add(
                plan=plan,
                title=body.validated_data["title"],
                body=body.validated_data["body"],
                due=body.validated_data["due"],
                department=department,
                station=station,
                user=request.user,
            )
        return Response(LeadershipTaskSerializer(task).data, status=status.HTTP_201_CREATED)

    def _task(self, task_pk) -> PlanTask:  # noqa: ANN001
        plan = self.get_object()
        text = str(task_pk or "")
        task = (
            plan.tasks.select_related("plan__bureau", "work_item", "department", "station")
            .filter(pk=int(text) if text.isdigit() and len(text) <= 18 else 0)
            .first()
        )
        if task is None:
            raise NotFoundError("没有该任务", "No such task")
        return task

    @extend_schema(parameters=[TASK_PK], request=LeadershipTaskEditInput, responses=LeadershipTaskSerializer)
    @action(
        detail=True,
        methods=["patch"],
        url_path=r"tasks/(?P<task_pk>\d+)",
        url_name="task",
        filterset_class=None,
        pagination_class=None,
    )
    def task(self, request, pk=None, task_pk=None):
        """Correct an open task of a plan whose year lasts: its text, its due date, or its unit."""
        task = self._task(task_pk)
        body = LeadershipTaskEditInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        services.task_editable(task=task, user=request.user, today=timezone.localdate())
        department, station = _units(task.plan.bureau_id, data)
        with acting(request.user, via="api"):
            task = services.task_update(
                task=task,
                user=request.user,
                title=data.get("title"),
                body=data.get("body"),
                due=data.get("due"),
                department=department,
                station=station,
            )
        return Response(LeadershipTaskSerializer(task).data)

    @extend_schema(parameters=[TASK_PK], request=LeadershipWithdrawInput, responses=LeadershipTaskSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"tasks/(?P<task_pk>\d+)/withdraw",
        url_name="task-withdraw",
        filterset_class=None,
        pagination_class=None,
    )
    def withdraw(self, request, pk=None, task_pk=None):
        """撤销 an open task with the reason: its work item is cancelled, the task stays in the plan."""
        task = self._task(task_pk)
        body = LeadershipWithdrawInput(data=request.data)
        body.is_valid(raise_exception=True)
        with acting(request.user, via="api"):
            task = services.task_withdraw(task=task, user=request.user, reason=body.validated_data["reason"])
        return Response(LeadershipTaskSerializer(task).data)


class MeetingViewSet(_ReadViewSet):
    """领导小组会议: list and read; ``create`` registers one; ``decisions`` adds a decision; ``issue`` the 纪要."""

    serializer_class = LeadershipMeetingSerializer
    queryset = Meeting.objects.none()
    base = staticmethod(lambda: Meeting.objects.all())

    @extend_schema(request=LeadershipMeetingCreateSerializer, responses={201: LeadershipMeetingSerializer})
    def create(self, request):
        body = LeadershipMeetingCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        bureau = request.user.bureau
        services.require_manage(request.user, bureau.pk if bureau else 0)
        data["chair"] = User.objects.filter(pk=data.get("chair") or 0, bureau=bureau).first()
        data["attendees"] = list(User.objects.filter(pk__in=data.get("attendees") or [], bureau=bureau))
        with acting(request.user, via="api"):
            meeting = services.meeting_create(bureau=bureau, user=request.user, **data)
        return Response(LeadershipMeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LeadershipMeetingEditSerializer, responses=LeadershipMeetingSerializer)
    def partial_update(self, request, pk=None):
        """Correct a meeting until its 纪要 is issued; its decisions stay as they are."""
        meeting = self.get_object()
        body = LeadershipMeetingEditSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        services.meeting_editable(meeting=meeting, user=request.user)
        if "chair" in data:
            data["chair"] = User.objects.filter(pk=data["chair"] or 0, bureau_id=meeting.bureau_id).first()
        if "attendees" in data:
            data["attendees"] = list(
                User.objects.filter(pk__in=data["attendees"], bureau_id=meeting.bureau_id)
            )
        with acting(request.user, via="api"):
            meeting = services.meeting_update(meeting=meeting, user=request.user, **data)
        return Response(LeadershipMeetingSerializer(meeting).data)

    @extend_schema(request=LeadershipDecisionInput, responses={201: LeadershipDecisionSerializer})
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def decisions(self, request, pk=None):
        meeting = self.get_object()
        body = LeadershipDecisionInput(data=request.data)
        body.is_valid(raise_exception=True)
        department, station = _units(meeting.bureau_id, body.validated_data)
        with acting(request.user, via="api"):
            decision = services.decision_add(
                meeting=meeting,
                text=body.validated_data["text"],
                due=body.validated_data["due"],
                department=department,
                station=station,
                user=request.user,
            )
        return Response(LeadershipDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=LeadershipMeetingSerializer)
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def issue(self, request, pk=None):
        meeting = self.get_object()
        with acting(request.user, via="api"):
            meeting = services.minutes_issue(meeting=meeting, user=request.user)
        return Response(LeadershipMeetingSerializer(meeting).data)


class DecisionViewSet(_ReadViewSet):
    """议定事项 with their state (the work item's), overdue and 督办; ``complete`` reports one done."""

    serializer_class = LeadershipDecisionSerializer
    queryset = Decision.objects.none()
    bureau_field = "meeting__bureau"
    base = staticmethod(
        lambda: Decision.objects.select_related("work_item", "department", "station").prefetch_related(
            "work_item__escalations"
        )
    )

    @extend_schema(request=LeadershipCompleteInput, responses=LeadershipDecisionSerializer)
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def complete(self, request, pk=None):
        decision = self.get_object()
        if decision.work_item is None:
            raise ValidationFailed("纪要未印发，议定事项尚未交办", "The 纪要 is not issued yet")
        body = LeadershipCompleteInput(data=request.data)
        body.is_valid(raise_exception=True)
        with acting(request.user, via="api"):
            services.item_complete(
                item=decision.work_item, user=request.user, result=body.validated_data["result"]
            )
        decision = self.get_queryset().get(pk=decision.pk)
        return Response(LeadershipDecisionSerializer(decision).data)


class SummaryViewSet(_ReadViewSet):
    """年度工作总结: list and read (late ones marked); ``submit`` a unit's text and attachment."""

    serializer_class = LeadershipSummarySerializer
    queryset = YearSummary.objects.none()
    bureau_field = "plan__bureau"
    base = staticmethod(lambda: YearSummary.objects.select_related("department", "station"))

    @extend_schema(request=LeadershipSummaryInput, responses=LeadershipSummarySerializer)
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def submit(self, request, pk=None):
        summary = self.get_object()
        body = LeadershipSummaryInput(data=request.data)
        body.is_valid(raise_exception=True)
        with acting(request.user, via="api"):
            summary = services.summary_submit(
                summary=summary,
                user=request.user,
                text=body.validated_data.get("text", ""),
                upload=body.validated_data.get("attachment"),
            )
        return Response(LeadershipSummarySerializer(summary).data)


def register(router) -> None:  # noqa: ANN001
    router.register("leadership/plans", PlanViewSet, basename="leadership-plan")
    router.register("leadership/meetings", MeetingViewSet, basename="leadership-meeting")
    router.register("leadership/decisions", DecisionViewSet, basename="leadership-decision")
    router.register("leadership/summaries", SummaryViewSet, basename="leadership-summary")
