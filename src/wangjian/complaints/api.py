"""REST endpoints of complaints and reports: read by visibility, register, take steps of the table.

``GET /api/complaints/complaints/`` (the list's filters), ``POST`` registers a complaint or report (checked by
the page's form, then the service), ``POST …/{id}/transition/`` takes a step with ``{"action": …, …}`` checked by
the same form as the page's button, ``GET …/history/`` the record's steps. The complainant's or reporter's
data is masked in every answer; ``POST …/{id}/person/`` with a reason gives it unmasked to who handles the
record, and the read is logged (``platform.personal``) — the page's refusal, in the page's words, to anyone else.
``GET …/results/?since=&until=&file=csv|xlsx`` is the handling results to enter into the national 12315 platform
(``services.results``), a file without the person's data.
"""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.complaints import filtersets, forms, selectors
from wangjian.complaints.api_analysis import ANALYSIS_PARAMETERS, AnalysisSerializer, analysis_answer
from wangjian.complaints.choices import (
    Action,
    Channel,
    Kind,
    MediationEnd,
    MediationMethod,
    RefusalGround,
    RespondentKind,
    State,
)
from wangjian.complaints.models import Complaint, ComplaintEvent, Mediation
from wangjian.complaints.permissions import COMPLAINT_ACT, COMPLAINT_CREATE, COMPLAINT_READ
from wangjian.complaints.services import results as results_services
from wangjian.complaints.services.intake import complaint_register
from wangjian.complaints.services.steps import complaint_act
from wangjian.complaints.services.transitions import TRANSITIONS, allowed_actions
from wangjian.core.api import BlankChoicesModelSerializer, IdCursorPagination
from wangjian.core.audit import acting
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.org import permissions as table
from wangjian.org.choices import Domain
from wangjian.platform.generic import scoped_bureau
from wangjian.platform.personal import masked, personal_read

PERSON = ("person_name", "person_phone", "person_address", "person_id_number")
YES, NO = ("true", "1", "yes", "on"), ("false", "0", "no", "off", "")

# ``file``, not ``format``: DRF reads ``?format=`` as the renderer to use (URL_FORMAT_OVERRIDE)
RESULTS_PARAMETERS = [
    OpenApiParameter(
        "since", OpenApiTypes.DATE, required=False, description="起始日期（含），办理步骤改变处理状态的日期"
    ),
    OpenApiParameter("until", OpenApiTypes.DATE, required=False, description="截止日期（含）"),
    OpenApiParameter(
        "file", OpenApiTypes.STR, required=False, enum=list(results_services.FILE_KINDS), default="csv"
    ),
    OpenApiParameter(
        "all_channels",
        OpenApiTypes.BOOL,
        required=False,
        default=False,
        description="含非12315来源（电话、信函、来访等登记的）",
    ),
    OpenApiParameter("bureau", OpenApiTypes.INT, required=False, description="局ID，默认本局"),
]


class ComplaintEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComplaintEvent
        fields = ["at", "action", "from_state", "to_state", "actor_name", "comment"]


class MediationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mediation
        fields = ["held_on", "method", "entrusted_to", "record", "recorded_by", "recorded_at"]


class ComplaintSerializer(BlankChoicesModelSerializer):
    person_name = serializers.SerializerMethodField()
    person_phone = serializers.SerializerMethodField()
    person_address = serializers.SerializerMethodField()
    person_id_number = serializers.SerializerMethodField()
    accept_overdue = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "id",
            "number",
            "bureau",
            "kind",
            "channel",
            "source_number",
            "state",
            "received_on",
            "person_name",
            "person_phone",
            "person_address",
            "person_id_number",
            "anonymous",
            "respondent_name",
            "respondent_uscc",
            "respondent_kind",
            "respondent_region",
            "platform_name",
            "platform_region",
            "presence_label",
            "entity",
            "presence",
            "domain",
            "category",
            "summary",
            "demand",
            "amount",
            "department",
            "station",
            "handler",
            "jurisdiction",
            "jurisdiction_basis",
            "routing_basis",
            "accept_due",
            "accept_basis",
            "accept_overdue",
            "accepted_on",
            "refusal_ground",
            "refusal_note",
            "mediation_due",
            "mediation_basis",
            "ended_on",
            "end_ground",
            "notify_due",
            "notified_on",
            "agreement",
            "recovered",
            "odr_platform",
            "odr_outcome",
            "first_responsibility",
            "advance_compensation",
            "undertaking_note",
            "transfer_target",
            "split_from",
            "clue",
            "allowed_actions",
            "created",
            "last_updated",
        ]
        read_only_fields = fields

    # the person's data, masked for everyone (``POST …/person/`` gives it to who handles the record, logged)
    def get_person_name(self, obj) -> str:
        """投诉人/举报人姓名（遮蔽）"""
        return masked(obj, "person_name")

    def get_person_phone(self, obj) -> str:
        """联系电话（遮蔽）"""
        return masked(obj, "person_phone")

    def get_person_address(self, obj) -> str:
        """通讯地址（遮蔽）"""
        return masked(obj, "person_address")

    def get_person_id_number(self, obj) -> str:
        """身份证件号码（遮蔽）"""
        return masked(obj, "person_id_number")

    def get_accept_overdue(self, obj) -> bool:
        """待受理且已过受理决定期限（第十四条，七个工作日）"""
        return bool(obj.state == State.RECEIVED and obj.accept_due and obj.accept_due < timezone.localdate())

    def get_allowed_actions(self, obj) -> list[str]:
        request = self.context.get("request")
        return allowed_actions(user=request.user, complaint=obj) if request else []


class ComplaintDetailSerializer(ComplaintSerializer):
    """One record, with its mediation sessions (调解记录)."""

    mediations = MediationSerializer(many=True, read_only=True)

    class Meta(ComplaintSerializer.Meta):
        fields = [*ComplaintSerializer.Meta.fields, "mediations"]
        read_only_fields = fields


class ComplaintStepAnswerSerializer(ComplaintSerializer):
    message = serializers.CharField(help_text="本步操作的结果说明")

    class Meta(ComplaintSerializer.Meta):
        fields = [*ComplaintSerializer.Meta.fields, "message"]
        read_only_fields = ComplaintSerializer.Meta.fields


class ComplaintRegisterSerializer(serializers.Serializer):
    """The input of registration for the schema; it is checked by the page's form (``forms.register_input``)."""

    kind = serializers.ChoiceField(choices=Kind.choices)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    source_number = serializers.CharField(required=False, allow_blank=True, max_length=60)
    received_on = serializers.DateField(required=False, allow_null=True, help_text="收到日期，不填为今天")
    person_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    person_phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    person_address = serializers.CharField(required=False, allow_blank=True, max_length=300)
    person_id_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    respondent_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    respondent_uscc = serializers.CharField(required=False, allow_blank=True, max_length=18)
    respondent_kind = serializers.ChoiceField(choices=RespondentKind.choices, required=False)
    respondent_region = serializers.RegexField(r"^\d{6,12}$", required=False, allow_blank=True)
    platform_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    platform_region = serializers.RegexField(r"^\d{6,12}$", required=False, allow_blank=True)
    presence_label = serializers.CharField(required=False, allow_blank=True, max_length=500)
    domain = serializers.ChoiceField(choices=Domain.choices, required=False, allow_blank=True)
    category = serializers.CharField(required=False, allow_blank=True, max_length=100)
    summary = serializers.CharField(required=False, allow_blank=True)
    demand = serializers.CharField(required=False, allow_blank=True)
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )


class TransitionSerializer(serializers.Serializer):
    """The input of ``transition`` for the schema; it is checked by the step's form (``forms.action_input``)."""

    action = serializers.ChoiceField(choices=[(a, Action(a).label) for a in TRANSITIONS])
    accepted_on = serializers.DateField(required=False, allow_null=True, help_text="受理：受理日期")
    ground = serializers.ChoiceField(
        choices=[*RefusalGround.choices, *MediationEnd.choices],
        required=False,
        allow_blank=True,
        help_text="不予受理的情形（第十五条）或终止调解的情形（第二十一条）",
    )
    note = serializers.CharField(required=False, allow_blank=True, help_text="说明；办结：核查结论")
    target = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="移送：接收机关"
    )
    reason = serializers.CharField(required=False, allow_blank=True, help_text="移送理由")
    method = serializers.ChoiceField(choices=MediationMethod.choices, required=False, allow_blank=True)
    held_on = serializers.DateField(required=False, allow_null=True, help_text="调解日期")
    entrusted_to = serializers.CharField(required=False, allow_blank=True, max_length=200)
    record = serializers.CharField(required=False, allow_blank=True, help_text="调解情况")
    first_responsibility = serializers.BooleanField(required=False, help_text="首问负责")
    advance_compensation = serializers.BooleanField(required=False, help_text="赔偿先付")
    undertaking_note = serializers.CharField(required=False, allow_blank=True, max_length=200)
    platform = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="在线纠纷解决平台"
    )
    outcome = serializers.CharField(required=False, allow_blank=True, help_text="平台处理结果")
    solved = serializers.BooleanField(required=False, help_text="平台已解决")
    recovered = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    agreement = serializers.CharField(required=False, allow_blank=True, help_text="调解协议")
    notified_on = serializers.DateField(required=False, allow_null=True, help_text="告知日期")
    how = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="告知方式")


class PersonReadSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="查看理由（写入变更日志）/ the reason, logged")


class PersonDataSerializer(serializers.Serializer):
    person_name = serializers.CharField()
    person_phone = serializers.CharField()
    person_address = serializers.CharField()
    person_id_number = serializers.CharField()


class ComplaintViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Complaints and reports the caller may read; create registers one; ``transition`` takes a step."""

    serializer_class = ComplaintSerializer
    filterset_class = filtersets.ComplaintFilterSet
    pagination_class = IdCursorPagination
    permission_classes = [permissions.IsAuthenticated]
    queryset = Complaint.objects.none()

    def get_queryset(self):
        table.require(self.request.user, COMPLAINT_READ)
        qs = selectors.complaints_visible(self.request.user)
        return qs.prefetch_related("mediations") if self.action == "retrieve" else qs

    def get_serializer_class(self):
        return ComplaintDetailSerializer if self.action == "retrieve" else ComplaintSerializer

    @extend_schema(request=ComplaintRegisterSerializer, responses={201: ComplaintSerializer})
    def create(self, request):
        """Register a complaint or a report (a call, a letter, a visit; 12315's records come by import)."""
        table.require(request.user, COMPLAINT_CREATE)
        ComplaintRegisterSerializer(data=request.data).is_valid(raise_exception=True)
        values = forms.register_input(request.data)
        if request.user.bureau is None:
            raise PermissionDeniedError(
                "没有所属局的账号不能登记投诉举报", "An account without a bureau registers no complaints"
            )
        with acting(request.user, via="api"):
            complaint = complaint_register(user=request.user, bureau=request.user.bureau, values=values)
        return Response(
            ComplaintSerializer(complaint, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=TransitionSerializer, responses=ComplaintStepAnswerSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Take one step of the transition table (accept, refuse, transfer, mediate, end, to a clue …)."""
        complaint = self.get_object()
        table.require(request.user, COMPLAINT_ACT)  # who takes part at all, before reading the step's input
        TransitionSerializer(data=request.data).is_valid(raise_exception=True)
        step = str(request.data.get("action", ""))
        values = forms.action_input(step, complaint, request.data)
        with acting(request.user, via="api"):
            message = complaint_act(complaint=complaint, user=request.user, action=step, values=values)
        complaint.refresh_from_db()
        body = ComplaintSerializer(complaint, context={"request": request}).data
        body["message"] = message
        return Response(body)

    @extend_schema(parameters=ANALYSIS_PARAMETERS, responses=AnalysisSerializer)
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def analysis(self, request):
        """投诉举报分析: the analysis page's figures (by month, category, platform, region, state; repeated)."""
        return analysis_answer(request)

    @extend_schema(
        parameters=RESULTS_PARAMETERS,
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.BINARY, description="办理结果 CSV（UTF-8，带BOM）"
            ),
            (200, results_services.XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="办理结果 Excel"),
        },
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def results(self, request):
        """办理结果导出: one row per 12315 number of what a step changed in the period, to enter into the platform.

        The page's file (``/complaints/imports/results/``) in the same words: who may (``complaints.import.run``),
        which records and columns are ``services.results``'s; CSV (UTF-8 with a BOM) by default.
        """
        bureau = scoped_bureau(request)
        results_services.results_check(user=request.user, bureau=bureau)  # who may, before reading the rest
        query = request.query_params
        since, until = results_services.results_period(query.get("since"), query.get("until"))
        kind = query.get("file") or "csv"
        flag = (query.get("all_channels") or "").strip().lower()
        if flag not in YES + NO:
            raise ValidationFailed(
                f"all_channels 应为 true 或 false：{flag}", f"all_channels is true or false: {flag}"
            )
        content, name, content_type, _count = results_services.results_file(
            user=request.user,
            bureau=bureau,
            since=since,
            until=until,
            only_platform=flag not in YES,
            kind=kind,
        )
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response

    @extend_schema(responses=ComplaintEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def history(self, request, pk=None):
        return Response(ComplaintEventSerializer(self.get_object().events.all(), many=True).data)

    @extend_schema(request=PersonReadSerializer, responses=PersonDataSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def person(self, request, pk=None):
        """The complainant's or reporter's data unmasked, for who handles the record, the reason logged."""
        complaint = self.get_object()
        body = PersonReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with acting(request.user, via="api"):
            data = personal_read(user=request.user, record=complaint, reason=body.validated_data["reason"])
        return Response({name: data.get(name, "") for name in PERSON})


def register(router) -> None:
    from wangjian.complaints import api_reports
    from wangjian.complaints.api_registers import OdrContactViewSet, ServiceStationViewSet

    router.register("complaints/complaints", ComplaintViewSet, basename="complaint")
    router.register("complaints/service-stations", ServiceStationViewSet, basename="service-station")
    router.register("complaints/odr-contacts", OdrContactViewSet, basename="odr-contact")
    api_reports.register(router)  # /api/complaints/reports/
