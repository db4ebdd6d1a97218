"""REST endpoints of credit: the lists (the pages' filters), opening a record, and the steps of the table.

``/api/credit/abnormal-listings/`` (``POST`` proposes a listing), ``/api/credit/serious-listings/`` (``POST``
proposes one on a penalty decision), ``/api/credit/repairs/`` (``POST`` registers an application),
``/api/credit/mismatches/``, ``/api/credit/annual-imports/`` (read; the import is the page's and the command's);
``POST …/{id}/transition/`` with ``{"action": …, …}`` takes a step, checked by the same service as the page's
button, refused in the same words; ``GET …/{id}/history/`` a listing's steps; ``GET
/api/credit/abnormal-listings/state/?entity=1&entity=2`` is ``selectors.credit_state_of``.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.core.api import BlankChoicesModelSerializer, IdCursorPagination
from wangjian.core.audit import acting
from wangjian.core.errors import ValidationFailed
from wangjian.credit import filtersets, forms, selectors, services
from wangjian.credit.choices import AbnormalGround, RepairTarget
from wangjian.credit.models import (
    AbnormalListing,
    AnnualReportImport,
    AnnualReportRejectedRow,
    CreditEvent,
    CreditRepair,
    DeclarationMismatch,
    SeriousListing,
)
from wangjian.credit.permissions import CREDIT_ACT, CREDIT_READ
from wangjian.credit.services.transitions import (
    ABNORMAL,
    MISMATCH,
    REPAIR,
    SERIOUS,
    TRANSITIONS,
    allowed_actions,
)
from wangjian.org import permissions as table
from wangjian.org.selectors import scope
from wangjian.registry.models import MarketEntity
from wangjian.registry.uscc import normalize

ID_MAX = 2**63 - 1


class _AllowedMixin(serializers.Serializer):
    record = ""
    allowed_actions = serializers.SerializerMethodField()
    entity_name = serializers.CharField(source="entity.name", read_only=True)
    entity_uscc = serializers.CharField(source="entity.uscc", read_only=True)

    def get_allowed_actions(self, obj) -> list[str]:
        request = self.context.get("request")
        return allowed_actions(user=request.user, record=self.record, obj=obj) if request else []


class CreditAbnormalSerializer(_AllowedMixin, BlankChoicesModelSerializer):
    record = ABNORMAL

    class Meta:
        model = AbnormalListing
        fields = [
            "id",
            "bureau",
            "entity",
            "entity_name",
            "entity_uscc",
            "entity_kind",
            "ground",
            "report_year",
            "facts",
            "state",
            "period_end",
            "listing_due",
            "listing_basis",
            "decided_on",
            "decision_number",
            "listed_on",
            "listed_late",
            "removal_applied_on",
            "removal_ground",
            "removal_verified_on",
            "removal_due",
            "removal_basis",
            "removal_number",
            "removed_on",
            "removal_note",
            "revocation_flagged_on",
            "revocation_basis",
            "allowed_actions",
            "created",
            "last_updated",
        ]
        read_only_fields = fields


class CreditSeriousSerializer(_AllowedMixin, BlankChoicesModelSerializer):
    record = SERIOUS

    class Meta:
        model = SeriousListing
        fields = [
            "id",
            "bureau",
            "entity",
            "entity_name",
            "entity_uscc",
            "abnormal",
            "penalty_number",
            "ground",
            "state",
            "proposed_on",
            "notified_on",
            "statement_due",
            "statement_basis",
            "statement_on",
            "statement",
            "hearing_requested",
            "hearing_on",
            "hearing_report",
            "superior_consent_on",
            "decided_on",
            "decision_number",
            "listed_on",
            "listed_until",
            "earliest_repair_on",
            "removed_on",
            "removal_ground",
            "note",
            "allowed_actions",
            "created",
            "last_updated",
        ]
        read_only_fields = fields


class CreditRepairSerializer(_AllowedMixin, BlankChoicesModelSerializer):
    record = REPAIR

    class Meta:
        model = CreditRepair
        fields = [
            "id",
            "bureau",
            "entity",
            "entity_name",
            "entity_uscc",
            "target",
            "abnormal",
            "serious",
            "penalty_source",
            "penalty_ref",
            "penalty_number",
            "applied_on",
            "earliest_on",
            "earliest_basis",
            "conditions",
            "state",
            "decision_due",
            "decision_basis",
            "decided_on",
            "decision_number",
            "decision_note",
            "effect_on",
            "allowed_actions",
            "created",
            "last_updated",
        ]
        read_only_fields = fields


class CreditMismatchSerializer(_AllowedMixin, BlankChoicesModelSerializer):
    record = MISMATCH

    class Meta:
        model = DeclarationMismatch
        fields = [
            "id",
            "bureau",
            "entity",
            "entity_name",
            "entity_uscc",
            "year",
            "kind",
            "presence",
            "declared",
            "detail",
            "state",
            "clue_number",
            "listing",
            "batch",
            "handled_on",
            "note",
            "allowed_actions",
            "created",
            "last_updated",
        ]
        read_only_fields = fields


class CreditRejectedRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnnualReportRejectedRow
        fields = ["row_number", "column", "value", "reason"]


class CreditAnnualImportSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnnualReportImport
        fields = [
            "id",
            "bureau",
            "file_name",
            "encoding",
            "state",
            "total_rows",
            "report_count",
            "shop_count",
            "rejected_count",
            "mismatch_count",
            "imported_at",
            "user",
        ]
        read_only_fields = fields


class CreditAnnualImportDetailSerializer(CreditAnnualImportSerializer):
    rejected_rows = CreditRejectedRowSerializer(many=True, read_only=True)

    class Meta(CreditAnnualImportSerializer.Meta):
        fields = [*CreditAnnualImportSerializer.Meta.fields, "rejected_rows"]
        read_only_fields = fields


class CreditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = CreditEvent
        fields = ["on", "at", "action", "from_state", "to_state", "actor_name", "comment"]


def _transition_serializer(record: str) -> type[serializers.Serializer]:
    """The input of a record's steps for the schema: the action and every field any step of it takes."""
    attrs: dict = {
        "action": serializers.ChoiceField(
            choices=[(a, row.label) for (r, a), row in TRANSITIONS.items() if r == record]
        )
    }
    for (r, _a), fields in forms.STEP_FIELDS.items():
        if r != record:
            continue
        for f in fields:
            if f.name in attrs:
                continue
            if f.kind == "date":
                attrs[f.name] = serializers.DateField(required=False, allow_null=True, help_text=f.label)
            elif f.kind == "check":
                attrs[f.name] = serializers.BooleanField(required=False, help_text=f.label)
            else:
                attrs[f.name] = serializers.CharField(
                    required=False, allow_blank=True, max_length=2000, help_text=f.label
                )
    return type(f"Credit{record.title()}TransitionSerializer", (serializers.Serializer,), attrs)


TRANSITION_INPUT = {r: _transition_serializer(r) for r in (ABNORMAL, SERIOUS, REPAIR, MISMATCH)}


class CreditProposeSerializer(serializers.Serializer):
    uscc = serializers.CharField(max_length=40, help_text="统一社会信用代码")
    ground = serializers.ChoiceField(choices=AbnormalGround.choices)
    report_year = serializers.IntegerField(required=False, allow_null=True, min_value=2013, max_value=2100)
    period_end = serializers.DateField(required=False, allow_null=True, help_text="责令期限届满或查实日期")
    facts = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class CreditSeriousProposeSerializer(serializers.Serializer):
    uscc = serializers.CharField(max_length=40, help_text="统一社会信用代码")
    penalty_number = serializers.CharField(required=False, allow_blank=True, max_length=60)
    ground = serializers.CharField(max_length=5000, help_text="拟列入的事由和依据")


class CreditRepairApplySerializer(serializers.Serializer):
    target = serializers.ChoiceField(choices=RepairTarget.choices)
    record = serializers.CharField(
        max_length=80, help_text="名录/名单记录的 id，或处罚信息 来源:编号（cases.case:12）"
    )
    entity = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=ID_MAX, help_text="处罚信息的市场主体 id"
    )
    applied_on = serializers.DateField(required=False, allow_null=True)
    obligation = serializers.BooleanField(required=False)
    fulfilled = serializers.BooleanField(required=False)
    harm_removed = serializers.BooleanField(required=False)
    no_repeat = serializers.BooleanField(required=False)
    no_heavier = serializers.BooleanField(required=False)


class CreditStateSerializer(serializers.Serializer):
    entity = serializers.IntegerField()
    abnormal = serializers.BooleanField()
    serious = serializers.BooleanField()
    penalties_on_display = serializers.IntegerField()


def _entity(user, code: str) -> MarketEntity:  # noqa: ANN001
    entity = scope(MarketEntity.objects.all(), user).filter(uscc=normalize(code)).first()
    if entity is None:
        raise ValidationFailed(
            "本局登记库中没有该统一社会信用代码的市场主体",
            "No entity with this code is registered with your bureau",
        )
    return entity


class _CreditViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    pagination_class = IdCursorPagination
    permission_classes = [permissions.IsAuthenticated]
    record = ""
    visible = None

    def get_queryset(self):
        table.require(self.request.user, CREDIT_READ)
        return type(self).visible(self.request.user)

    def _step(self, request, act):  # noqa: ANN001, ANN202
        obj = self.get_object()
        table.require(request.user, CREDIT_ACT)  # who takes part at all, before reading the step's input
        body = TRANSITION_INPUT[self.record](data=request.data)
        body.is_valid(raise_exception=True)
        step = body.validated_data["action"]
        values = forms.step_values(self.record, step, body.validated_data)
        with acting(request.user, via="api"):
            message = act(obj, request.user, step, values)
        obj.refresh_from_db()
        data = self.get_serializer(obj).data
        data["message"] = message
        return Response(data)


class AbnormalViewSet(_CreditViewSet):
    """经营异常名录: list and read; ``create`` proposes a listing (its clock starts); ``transition`` takes a step."""

    serializer_class = CreditAbnormalSerializer
    filterset_class = filtersets.AbnormalFilterSet
    queryset = AbnormalListing.objects.none()
    record = ABNORMAL
    visible = staticmethod(selectors.listings_visible)

    @extend_schema(request=CreditProposeSerializer, responses={201: CreditAbnormalSerializer})
    def create(self, request):
        table.require(request.user, CREDIT_ACT)
        body = CreditProposeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        entity = _entity(request.user, data["uscc"])
        with acting(request.user, via="api"):
            listing = services.listing_propose(
                bureau=entity.bureau,
                entity=entity,
                ground=data["ground"],
                user=request.user,
                period_end=data.get("period_end"),
                report_year=data.get("report_year"),
                facts=data.get("facts", ""),
            )
        return Response(
            CreditAbnormalSerializer(listing, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=TRANSITION_INPUT[ABNORMAL], responses=CreditAbnormalSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def transition(self, request, pk=None):
        """Take one step: list, cancel, apply_removal, remove, refuse_removal, flag_revocation, propose_serious."""
        return self._step(
            request, lambda o, u, a, v: services.abnormal_act(listing=o, user=u, action=a, values=v)
        )

    @extend_schema(responses=CreditEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def history(self, request, pk=None):
        return Response(CreditEventSerializer(self.get_object().events.all(), many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "entity", OpenApiTypes.INT, many=True, required=False, description="市场主体 id，可重复"
            )
        ],
        responses=CreditStateSerializer(many=True),
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def state(self, request):
        """``credit_state_of``: per entity the caller can see, in the abnormal list, the serious list, penalties shown."""
        table.require(request.user, CREDIT_READ)
        ids = []
        for raw in request.query_params.getlist("entity")[:500]:
            if not raw.isdigit() or int(raw) > ID_MAX:
                raise ValidationFailed(f"entity 应为市场主体 id：{raw}", f"entity is an entity id: {raw}")
            ids.append(int(raw))
        visible = list(
            scope(MarketEntity.objects.filter(pk__in=ids), request.user).values_list("pk", flat=True)
        )
        state = selectors.credit_state_of(visible)
        return Response([{"entity": i, **state[i]} for i in sorted(state)])


class SeriousViewSet(_CreditViewSet):
    """严重违法失信名单: ``create`` proposes on a penalty decision; ``transition``: notify, statement, decide, list, drop, remove."""

    serializer_class = CreditSeriousSerializer
    filterset_class = filtersets.SeriousFilterSet
    queryset = SeriousListing.objects.none()
    record = SERIOUS
    visible = staticmethod(selectors.serious_visible)

    @extend_schema(request=CreditSeriousProposeSerializer, responses={201: CreditSeriousSerializer})
    def create(self, request):
        table.require(request.user, CREDIT_ACT)
        body = CreditSeriousProposeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        entity = _entity(request.user, data["uscc"])
        with acting(request.user, via="api"):
            serious = services.serious_propose(
                bureau=entity.bureau,
                entity=entity,
                ground=data["ground"],
                user=request.user,
                penalty_number=data.get("penalty_number", ""),
            )
        return Response(
            CreditSeriousSerializer(serious, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=TRANSITION_INPUT[SERIOUS], responses=CreditSeriousSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def transition(self, request, pk=None):
        return self._step(
            request, lambda o, u, a, v: services.serious_act(serious=o, user=u, action=a, values=v)
        )

    @extend_schema(responses=CreditEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def history(self, request, pk=None):
        return Response(CreditEventSerializer(self.get_object().events.all(), many=True).data)


class RepairViewSet(_CreditViewSet):
    """信用修复: ``create`` registers an application (refused with the first possible day); ``transition``: grant, refuse."""

    serializer_class = CreditRepairSerializer
    filterset_class = filtersets.RepairFilterSet
    queryset = CreditRepair.objects.none()
    record = REPAIR
    visible = staticmethod(selectors.repairs_visible)

    @extend_schema(request=CreditRepairApplySerializer, responses={201: CreditRepairSerializer})
    def create(self, request):
        table.require(request.user, CREDIT_ACT)
        body = CreditRepairApplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        subject = selectors.repair_subject(
            user=request.user, target=data["target"], reference=data["record"], entity_id=data.get("entity")
        )
        values = {k: v for k, v in data.items() if k not in ("target", "record", "entity") and v is not None}
        with acting(request.user, via="api"):
            repair = services.repair_apply(target=data["target"], user=request.user, values=values, **subject)
        return Response(
            CreditRepairSerializer(repair, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=TRANSITION_INPUT[REPAIR], responses=CreditRepairSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def transition(self, request, pk=None):
        return self._step(
            request, lambda o, u, a, v: services.repair_decide(repair=o, user=u, action=a, values=v)
        )


class MismatchViewSet(_CreditViewSet):
    """年报申报比对不一致: ``transition``: to_clue (the intake port), to_listing, dismiss."""

    serializer_class = CreditMismatchSerializer
    filterset_class = filtersets.MismatchFilterSet
    queryset = DeclarationMismatch.objects.none()
    record = MISMATCH
    visible = staticmethod(selectors.mismatches_visible)

    @extend_schema(request=TRANSITION_INPUT[MISMATCH], responses=CreditMismatchSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def transition(self, request, pk=None):
        return self._step(
            request, lambda o, u, a, v: services.mismatch_act(mismatch=o, user=u, action=a, values=v)
        )


class ImportViewSet(_CreditViewSet):
    """年度报告导入: the imports and their rejected rows (the upload is the page's and ``wangjian credit import-annual``)."""

    serializer_class = CreditAnnualImportSerializer
    filterset_class = filtersets.ImportFilterSet
    queryset = AnnualReportImport.objects.none()
    visible = staticmethod(selectors.imports_visible)

    def get_queryset(self):
        qs = super().get_queryset()
        return qs.prefetch_related("rejected_rows") if self.action == "retrieve" else qs

    def get_serializer_class(self):
        return (
            CreditAnnualImportDetailSerializer if self.action == "retrieve" else CreditAnnualImportSerializer
        )


def register(router) -> None:  # noqa: ANN001
    router.register("credit/abnormal-listings", AbnormalViewSet, basename="credit-abnormal")
    router.register("credit/serious-listings", SeriousViewSet, basename="credit-serious")
    router.register("credit/repairs", RepairViewSet, basename="credit-repair")
    router.register("credit/mismatches", MismatchViewSet, basename="credit-mismatch")
    router.register("credit/annual-imports", ImportViewSet, basename="credit-import")
