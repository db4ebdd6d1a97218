"""REST endpoints of enforcement cases: read by visibility, draft the 审批表, take steps of the table.

``GET /api/cases/cases/`` (the list's filters), ``POST /api/cases/cases/`` drafts a 立案 or 不予立案
审批表 (``clue`` to open from a clue), ``POST /api/cases/cases/{id}/transition/`` takes a step with
``{"action": …, …}`` checked by the same form as the page's button, ``GET …/history/`` the record.
"""

from __future__ import annotations

import datetime as dt

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.cases import api_documents, filtersets, forms, selectors, services
from wangjian.cases.api_aftercare import AftercareInputSerializer, AftercareSerializer
from wangjian.cases.api_groups import GROUP_PREFETCH, JointGroupSerializer
from wangjian.cases.choices import Action, PartyKind, Proposal, SourceKind
from wangjian.cases.forms_simple import spot_input
from wangjian.cases.models import Case, CaseEvent, CaseOfficer
from wangjian.cases.permissions import CASE_ACT, CASE_DRAFT, CASE_FIGURES, CASE_READ
from wangjian.cases.services import publicity
from wangjian.cases.services.simple import case_on_the_spot
from wangjian.clues.selectors import clues_visible
from wangjian.core.api import BlankChoicesModelSerializer, IdCursorPagination
from wangjian.core.audit import acting, mask_name
from wangjian.core.errors import ValidationFailed
from wangjian.org import permissions as table
from wangjian.org.choices import Domain
from wangjian.org.models import Department


class CaseEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseEvent
        fields = ["at", "action", "from_state", "to_state", "actor_name", "comment"]


class CaseOfficerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.__str__", read_only=True)

    class Meta:
        model = CaseOfficer
        fields = ["user", "name", "lead", "certificate"]


class CaseSerializer(BlankChoicesModelSerializer):
    party_name = serializers.SerializerMethodField()
    officers = CaseOfficerSerializer(source="case_officers", many=True, read_only=True)
    overdue = serializers.BooleanField(read_only=True)
    suspended_days = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    group = JointGroupSerializer(read_only=True, allow_null=True, help_text="联合办案组（没有时为空）")

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "bureau",
            "title",
            "domain",
            "procedure",
            "state",
            "proposal",
            "major",
            "typical",
            "clue",
            "source_kind",
            "evidence_refs",
            "entity",
            "presence",
            "party_name",
            "party_uscc",
            "party_kind",
            "party_region",
            "presence_label",
            "facts",
            "provisions",
            "discovered_on",
            "filing_due",
            "filing_basis",
            "filing_provisional",
            "filed_late",
            "jurisdiction",
            "jurisdiction_basis",
            "jurisdiction_dispute",
            "department",
            "officers",
            "approved_by",
            "approved_at",
            "not_filed_reason",
            "opened_on",
            "decision_due",
            "decision_basis",
            "decision_provisional",
            "suspended_days",
            "extension_days",
            "overdue",
            "notified_on",
            "statement_due",
            "hearing_on",
            "penalised",
            "decided_on",
            "decision_number",
            "decision_summary",
            "fine_amount",
            "confiscated_amount",
            "served_on",
            "executed_on",
            "closed_on",
            "transfer_target",
            "transfer_to_police",
            "transferred_on",
            "police_reported_on",
            "police_approved_on",
            "police_received_on",
            "procuratorate_copy",
            "police_decision",
            "police_decided_on",
            "police_note",
            "typical",
            "lessons",
            "penalty_kinds",
            "publicity_required",
            "publicity_due",
            "published_on",
            "publicity_until",
            "publicity_withdrawn_on",
            "publicity_note",
            "allowed_actions",
            "group",
            "created",
            "last_updated",
        ]
        read_only_fields = fields

    def get_suspended_days(self, obj) -> int:
        """Days not counted on the decision clock so far, a running stop included."""
        return obj.days_suspended()

    def get_party_name(self, obj) -> str:
        """A natural person's name is masked in the API (the page shows it, logged, to who handles the case)."""
        return mask_name(obj.party_name) if obj.party_kind == PartyKind.PERSON else obj.party_name

    def get_allowed_actions(self, obj) -> list[str]:
        request = self.context.get("request")
        return services.allowed_actions(user=request.user, case=obj) if request else []


class PublicityRowSerializer(serializers.Serializer):
    """One decision in the 国家企业信用信息公示系统's 行政处罚信息 layout (the Excel's Chinese headers, in order)."""

    decision_number = serializers.CharField(help_text="行政处罚决定书文号")
    violation = serializers.CharField(help_text="违法行为类型")
    facts = serializers.CharField(help_text="违法事实")
    basis = serializers.CharField(help_text="处罚依据")
    kinds = serializers.CharField(help_text="处罚类别")
    content = serializers.CharField(help_text="处罚内容")
    fine_10k_yuan = serializers.CharField(help_text="罚款金额（万元）")
    confiscated_10k_yuan = serializers.CharField(help_text="没收违法所得、没收非法财物的金额（万元）")
    decided_on = serializers.CharField(help_text="处罚决定日期")
    authority = serializers.CharField(help_text="处罚机关")
    authority_uscc = serializers.CharField(help_text="处罚机关统一社会信用代码")
    party = serializers.CharField(help_text="行政相对人名称（自然人已遮蔽）")
    party_kind = serializers.CharField(help_text="行政相对人类别")
    party_uscc = serializers.CharField(help_text="行政相对人代码_1（统一社会信用代码）")
    display_until = serializers.CharField(help_text="公示截止期")
    note = serializers.CharField(help_text="备注")


class CaseStepAnswerSerializer(CaseSerializer):
    message = serializers.CharField(help_text="本步操作的结果说明")

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "message"]
        read_only_fields = CaseSerializer.Meta.fields


class CaseDraftSerializer(serializers.Serializer):
    """立案审批表 / 不予立案审批表; from a clue, its facts, party and discovery date come with it."""

    clue = serializers.IntegerField(required=False, allow_null=True)
    proposal = serializers.ChoiceField(choices=Proposal.choices, default=Proposal.FILE)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    domain = serializers.ChoiceField(choices=Domain.choices, required=False)
    source_kind = serializers.ChoiceField(choices=SourceKind.choices, required=False)
    party_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    party_uscc = serializers.CharField(required=False, allow_blank=True, max_length=18)
    party_kind = serializers.ChoiceField(choices=PartyKind.choices, default=PartyKind.ORGANISATION)
    party_region = serializers.RegexField(r"^\d{6,12}$", required=False, allow_blank=True)
    presence_label = serializers.CharField(required=False, allow_blank=True, max_length=500)
    presence_kind = serializers.CharField(required=False, allow_blank=True)
    platform_region = serializers.RegexField(r"^\d{6,12}$", required=False, allow_blank=True)
    facts = serializers.CharField(required=False, allow_blank=True)
    provisions = serializers.CharField(required=False, allow_blank=True)
    discovered_on = serializers.DateField(required=False)
    department = serializers.IntegerField(required=False, allow_null=True)
    major = serializers.BooleanField(default=False)
    jurisdiction_dispute = serializers.CharField(required=False, allow_blank=True)
    not_filed_reason = serializers.CharField(required=False, allow_blank=True)


class SpotSerializer(serializers.Serializer):
    """当场处罚: what the pre-printed, numbered decision carries (checked by the page's form)."""

    decision_number = serializers.CharField(max_length=60)
    decided_on = serializers.DateField()
    title = serializers.CharField(max_length=200)
    domain = serializers.ChoiceField(choices=Domain.choices)
    source_kind = serializers.ChoiceField(choices=SourceKind.choices)
    party_name = serializers.CharField(max_length=200)
    party_uscc = serializers.CharField(required=False, allow_blank=True, max_length=18)
    party_kind = serializers.ChoiceField(choices=PartyKind.choices)
    presence_label = serializers.CharField(required=False, allow_blank=True, max_length=500)
    facts = serializers.CharField()
    provisions = serializers.CharField()
    penalty_kinds = serializers.ListField(child=serializers.ChoiceField(choices=["warning", "fine"]))
    fine_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    summary = serializers.CharField()
    department = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    officers = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), help_text="共同执法人员（用户ID）"
    )
    collected_on_spot = serializers.BooleanField(default=False)
    collect_reason = serializers.CharField(required=False, allow_blank=True)


class TransitionSerializer(AftercareInputSerializer):
    """The input of ``transition`` for the schema; it is checked by the step's form (``cases.forms.action_input``)."""

    action = serializers.ChoiceField(choices=[(a, Action(a).label) for a in services.TRANSITIONS])
    officers = serializers.ListField(child=serializers.IntegerField(), required=False)
    lead = serializers.IntegerField(required=False)
    opinion = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True)
    comment = serializers.CharField(required=False, allow_blank=True)
    report = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.CharField(required=False, allow_blank=True)
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)
    days = serializers.IntegerField(required=False)
    collective = serializers.BooleanField(required=False)
    served_on = serializers.DateField(required=False)
    fine_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    confiscated_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    hearing_on = serializers.DateField(required=False)
    minutes = serializers.CharField(required=False, allow_blank=True)
    penalised = serializers.BooleanField(required=False)
    summary = serializers.CharField(required=False, allow_blank=True)
    waived = serializers.BooleanField(required=False)
    executed_on = serializers.DateField(required=False)
    target = serializers.CharField(required=False, allow_blank=True)
    police = serializers.BooleanField(required=False)
    lessons = serializers.CharField(required=False, allow_blank=True, help_text="结案：举一反三")
    penalty_kinds = serializers.ListField(child=serializers.CharField(), required=False)
    received_on = serializers.DateField(required=False)
    procuratorate_copy = serializers.BooleanField(required=False)
    decision = serializers.ChoiceField(choices=["accepted", "declined"], required=False)
    decided_on = serializers.DateField(required=False)
    published_on = serializers.DateField(required=False)
    revoked_on = serializers.DateField(required=False)
    typical = serializers.BooleanField(required=False)
    materials = serializers.CharField(required=False, allow_blank=True, help_text="移送材料清单，每行一项")
    discretion = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="适用的裁量基准"
    )
    discretion_reason = serializers.CharField(required=False, allow_blank=True)
    rectification_order = serializers.CharField(required=False, allow_blank=True, help_text="责令改正内容")
    rectify_by = serializers.DateField(required=False, help_text="改正期限")
    # the joint group's steps
    name = serializers.CharField(required=False, allow_blank=True, help_text="办案组名称")
    members = serializers.ListField(child=serializers.IntegerField(), required=False, help_text="办案组成员")
    change = serializers.ChoiceField(choices=["add", "remove"], required=False)
    member = serializers.IntegerField(required=False)
    role = serializers.CharField(required=False, allow_blank=True)
    title = serializers.CharField(required=False, allow_blank=True, help_text="办案组任务")
    owner = serializers.IntegerField(required=False)
    due = serializers.DateField(required=False)
    task = serializers.IntegerField(required=False)
    result = serializers.CharField(required=False, allow_blank=True)
    text = serializers.CharField(required=False, allow_blank=True, help_text="办案日志")


class CaseDetailSerializer(CaseSerializer):
    """One case: with what follows its decision (payment, 责令改正, the party's periods, remedies, measures)."""

    aftercare = AftercareSerializer(source="*", read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "aftercare"]
        read_only_fields = fields


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cases the caller may read; create drafts a 审批表; ``transition`` takes a step of the table."""

    serializer_class = CaseSerializer
    filterset_class = filtersets.CaseFilterSet
    pagination_class = IdCursorPagination
    permission_classes = [permissions.IsAuthenticated]
    queryset = Case.objects.none()

    def get_queryset(self):
        table.require(self.request.user, CASE_READ)
        return selectors.cases_visible(self.request.user).prefetch_related(
            "case_officers__user", *GROUP_PREFETCH, "measures", "remedies"
        )

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action == "retrieve" else CaseSerializer

    @extend_schema(request=CaseDraftSerializer, responses={201: CaseSerializer})
    def create(self, request):
        data = CaseDraftSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        clue_id = values.pop("clue", None)
        clue = None
        if clue_id:
            clue = clues_visible(request.user).filter(pk=clue_id).first()
            if clue is None:
                raise ValidationFailed(
                    f"找不到线索 {clue_id}，或无权查看",
                    f"No clue {clue_id}, or not visible to you",
                    detail={"clue": clue_id},
                )
        department_id = values.pop("department", None)
        department = Department.objects.filter(pk=department_id).first() if department_id else None
        with acting(request.user, via="api"):
            case = services.case_draft(
                user=request.user, bureau=request.user.bureau, clue=clue, department=department, **values
            )
        return Response(
            CaseSerializer(case, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=SpotSerializer, responses={201: CaseSerializer})
    @action(detail=False, methods=["post"])
    def spot(self, request):
        """Record a penalty decided on the spot (简易程序: a warning, or up to ¥200 / ¥3,000)."""
        table.require(request.user, CASE_DRAFT)
        SpotSerializer(data=request.data).is_valid(
            raise_exception=True
        )  # the shape; the form checks the rest
        values = spot_input(request.data, bureau=request.user.bureau)
        with acting(request.user, via="api"):
            case = case_on_the_spot(user=request.user, bureau=request.user.bureau, values=values)
        return Response(
            CaseSerializer(case, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=TransitionSerializer, responses=CaseStepAnswerSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Take one step of the transition table (designate, approve, notify, decide, serve, close …)."""
        case = self.get_object()
        step = str(request.data.get("action", ""))
        table.require(request.user, CASE_ACT)  # who takes part at all, before reading the step's input
        values = forms.action_input(step, case, request.data)
        with acting(request.user, via="api"):
            message = services.case_act(case=case, user=request.user, action=step, values=values)
        case.refresh_from_db()
        body = CaseSerializer(case, context={"request": request}).data
        body["message"] = message
        return Response(body)

    @extend_schema(responses=CaseEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        return Response(CaseEventSerializer(self.get_object().events.all(), many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True),
            OpenApiParameter("end", OpenApiTypes.DATE, required=True),
        ],
        responses={200: PublicityRowSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def publicity(self, request):
        """Decisions to publish (decided ``start``–``end``) in the 公示系统's 行政处罚信息 layout, persons masked."""
        table.require(request.user, CASE_FIGURES)
        try:
            start = dt.date.fromisoformat(request.query_params.get("start", ""))
            end = dt.date.fromisoformat(request.query_params.get("end", ""))
        except ValueError:
            raise ValidationFailed(
                "start、end 应为 YYYY-MM-DD 日期", "start and end must be YYYY-MM-DD dates"
            ) from None
        if request.user.bureau is None:
            raise ValidationFailed("没有所属局的账号不能导出", "An account without a bureau cannot export")
        rows = publicity.publicity_rows(bureau=request.user.bureau, start=start, end=end)
        return Response([dict(zip(publicity.EXPORT_KEYS, row, strict=True)) for row in rows])


def register(router) -> None:
    from wangjian.cases.api_benchmarks import DiscretionBenchmarkViewSet

    router.register("cases/cases", CaseViewSet, basename="case")
    api_documents.register(router)  # /api/cases/cases/{case_pk}/documents/
    router.register("cases/benchmarks", DiscretionBenchmarkViewSet, basename="discretion-benchmark")
