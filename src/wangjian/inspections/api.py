"""REST endpoints of 双随机一公开: items and recusal relations (registers), plans (read, publish), draws
(read, publish inputs, enter and confirm the value, ``rerun``).

``POST /api/inspections/draws/{id}/check/`` requests the online check of a drawn object: refused at once
(403/400, the page's words) or queued and run in the background, answered **202** with the object's check
state (``GET …/{id}/check-state/?drawn=`` polls it); ``POST …/{id}/record/`` writes a check's record until the
results are published. ``GET /api/inspections/plans/settings/?bureau=`` reads the bureau's objection periods,
``POST`` the same path saves them (the office of the bureau).

``POST /api/inspections/draws/{id}/rerun/`` re-runs a recorded draw from its published inputs, as the page
and ``wangjian inspections redraw`` do, and says what agrees; ``GET …/{id}/inputs/`` gives the published
inputs in full (the canonical JSON and the numbered pool listing) so anyone can re-run it elsewhere.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, parsers, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.core.api import BlankChoicesModelSerializer, IdCursorPagination
from wangjian.core.audit import acting
from wangjian.core.errors import NotFoundError, ValidationFailed
from wangjian.core.uploads import IMPORT
from wangjian.inspections import api_results, forms, selectors
from wangjian.inspections.choices import (
    CheckState,
    DrawOrigin,
    ObjectionOutcome,
    PublishedField,
    ResultCategory,
)
from wangjian.inspections.models import (
    Draw,
    InspectionItem,
    InspectionResult,
    InspectorRelation,
    OnlineCheck,
    Plan,
    ProvinceDrawRejectedRow,
    ResultObjection,
)
from wangjian.inspections.permissions import INSPECTION_READ
from wangjian.inspections.registers import DrawFilterSet, ItemFilterSet, PlanFilterSet, RelationFilterSet
from wangjian.inspections.services import (
    check_note,
    check_outcome,
    check_period_end,
    check_request,
    draw_import,
    draw_publish,
    draw_rerun,
    draw_value_confirm,
    draw_value_enter,
    item_save,
    may_plan,
    objection_decide,
    objection_file,
    plan_publish,
    relation_save,
    result_record,
    results_publish,
    settings_check,
    settings_for,
    settings_save,
)
from wangjian.org import permissions as table
from wangjian.platform.api import ScopedModelViewSet
from wangjian.platform.generic import scoped_bureau

BUREAU = OpenApiParameter(
    "bureau", OpenApiTypes.INT, required=False, description="所属局（id），缺省为本人所属局"
)
DRAWN = OpenApiParameter("drawn", OpenApiTypes.INT, required=True, description="抽中主体（DrawnObject）的ID")


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionItem
        fields = ["id", *forms.ItemForm.Meta.fields]


class RelationSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectorRelation
        fields = ["id", *forms.RelationForm.Meta.fields]


class PlannerViewSet(ScopedModelViewSet):
    """Read by staff (``inspections.read``); written by the office and department heads (``may_plan``)."""

    pagination_class = IdCursorPagination

    def get_queryset(self):
        table.require(self.request.user, INSPECTION_READ)
        return super().get_queryset()

    def can_change(self, user, obj) -> bool:
        return may_plan(user, obj.bureau_id, getattr(obj, "department", None))

    def _check_target_bureau(self, serializer) -> None:
        bureau = serializer.validated_data.get("bureau")
        if bureau is not None and not may_plan(self.request.user, bureau):
            raise PermissionDenied("只能写入本局 / only one's own bureau")


class ItemViewSet(PlannerViewSet):
    queryset = InspectionItem.objects.select_related("bureau", "department").order_by("id")
    serializer_class = ItemSerializer
    filterset_class = ItemFilterSet

    def perform_save(self, serializer) -> None:
        item = serializer.instance or InspectionItem()
        for name, value in serializer.validated_data.items():
            setattr(item, name, value)
        with acting(self.request.user, via="api"):
            serializer.instance = item_save(item=item, user=self.request.user)


class RelationViewSet(PlannerViewSet):
    queryset = InspectorRelation.objects.select_related("bureau", "user", "entity").order_by("id")
    serializer_class = RelationSerializer
    filterset_class = RelationFilterSet

    def perform_save(self, serializer) -> None:
        relation = serializer.instance or InspectorRelation()
        for name, value in serializer.validated_data.items():
            setattr(relation, name, value)
        with acting(self.request.user, via="api"):
            serializer.instance = relation_save(relation=relation, user=self.request.user)


class PlanSerializer(BlankChoicesModelSerializer):
    items = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "bureau",
            "title",
            "year",
            "department",
            "joint_departments",
            "inspector_stations",
            "items",
            "entity_kinds",
            "regions",
            "platform",
            "grades",
            "online_only",
            "class_ratios",
            "grade_ratios",
            "ratio_source",
            "inspectors_per_object",
            "station_recusal",
            "check_start",
            "check_end",
            "state",
            "published_at",
            "publication",
        ]
        read_only_fields = fields


class DrawSerializer(BlankChoicesModelSerializer):
    class Meta:
        model = Draw
        fields = [
            "id",
            "bureau",
            "plan",
            "replaces",
            "reason",
            "state",
            "algorithm",
            "algorithm_version",
            "pool_size",
            "pool_sha256",
            "inputs_sha256",
            "source_name",
            "source_date",
            "published_at",
            "value",
            "value_entered_by",
            "value_confirmed_by",
            "seed",
            "drawn_at",
            "objects_count",
            "origin",
            "province_task_number",
            "file_name",
            "file_sha256",
        ]
        read_only_fields = fields


class DrawPublishSerializer(serializers.Serializer):
    source_name = serializers.CharField(
        max_length=200, help_text="公开随机源，如“中国福利彩票双色球第2026140期开奖号码”"
    )
    source_date = serializers.DateField(help_text="随机源产生日期（须晚于今天）")


class ValueSerializer(serializers.Serializer):
    value = serializers.CharField(max_length=300, help_text="随机源数值（复核时由另一人再次录入）")


class RerunSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    pool_hash_ok = serializers.BooleanField()
    inputs_hash_ok = serializers.BooleanField()
    seed_ok = serializers.BooleanField()
    objects_ok = serializers.BooleanField()
    inspectors_ok = serializers.BooleanField()
    seed = serializers.CharField()
    differences = serializers.ListField(child=serializers.CharField())


class InputsSerializer(serializers.Serializer):
    canonical = serializers.CharField(help_text="公布要素（规范JSON，即哈希的原文）")
    pool_listing = serializers.CharField(help_text="名录库清单：序号、主体ID、统一社会信用代码、层")


class OnlineCheckSerializer(serializers.ModelSerializer):
    outcome = serializers.SerializerMethodField(help_text="violation / clean / incomplete / failed")

    class Meta:
        model = OnlineCheck
        fields = [
            "id",
            "drawn",
            "presence",
            "url",
            "checked_at",
            "checked_by",
            "fetch_status",
            "fetch_reason",
            "licence_verdict",
            "licence_reason",
            "permits",
            "hits",
            "capture",
            "violation",
            "record",
            "clue_number",
            "outcome",
        ]
        read_only_fields = fields

    def get_outcome(self, obj) -> str:
        return check_outcome(obj)


class ResultSerializer(BlankChoicesModelSerializer):
    class Meta:
        model = InspectionResult
        fields = [
            "id",
            "drawn",
            "item",
            "category",
            "note",
            "checked_on",
            "recorded_by",
            "published_at",
            "checked_field",
            "published_value",
            "found_value",
        ]
        read_only_fields = fields


class CheckRequestSerializer(serializers.Serializer):
    drawn = serializers.IntegerField(min_value=1, help_text="抽中主体（DrawnObject）的ID")
    presence = serializers.IntegerField(
        min_value=1, required=False, help_text="只检查该主体的这一个网络经营场所（不填则检查全部）"
    )
    record = serializers.CharField(required=False, allow_blank=True, max_length=4000, help_text="检查记录")


class CheckStateSerializer(serializers.Serializer):
    """The check requested for a drawn object and where it is; ``checks`` are the object's checks so far."""

    drawn = serializers.IntegerField(source="pk")
    state = serializers.ChoiceField(
        source="check_state",
        choices=CheckState.choices,
        help_text="queued 排队中 / running 检查进行中 / done 已完成 / failed 检查失败（见 error）；空为未请求",
    )
    pending = serializers.BooleanField(help_text="检查排队或进行中：再次请求将被拒绝")
    requested_at = serializers.DateTimeField(source="check_requested_at", allow_null=True)
    requested_by = serializers.IntegerField(source="check_requested_by_id", allow_null=True)
    presence = serializers.IntegerField(source="check_presence_id", allow_null=True)
    finished_at = serializers.DateTimeField(source="check_finished_at", allow_null=True)
    error = serializers.CharField(source="check_error", help_text="检查失败的原因")
    checks = OnlineCheckSerializer(
        source="checks_so_far", many=True, help_text="该主体的线上检查（最新在前，至多100条）"
    )


def _check_state(drawn) -> dict:
    from wangjian.inspections.services.checks import check_pending

    drawn.pending = check_pending(drawn)
    drawn.checks_so_far = list(drawn.checks.order_by("-id")[:100])
    return CheckStateSerializer(drawn).data


class CheckRecordSerializer(serializers.Serializer):
    check = serializers.IntegerField(min_value=1, help_text="线上检查（OnlineCheck）的ID，须属本次抽取")
    record = serializers.CharField(max_length=4000, help_text="检查记录（替换原记录；结果公示前可改）")


class ResultRequestSerializer(serializers.Serializer):
    drawn = serializers.IntegerField(min_value=1, help_text="抽中主体（DrawnObject）的ID")
    item = serializers.IntegerField(min_value=1, help_text="抽查事项的ID（须在本计划中）")
    category = serializers.ChoiceField(choices=ResultCategory.choices, help_text="公示系统的检查结果类别")
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    checked_field = serializers.ChoiceField(
        choices=PublishedField.choices, required=False, allow_blank=True, help_text="公示信息检查：核查的项目"
    )
    published_value = serializers.CharField(required=False, allow_blank=True, max_length=500)
    found_value = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ObjectionSerializer(BlankChoicesModelSerializer):
    class Meta:
        model = ResultObjection
        fields = [
            "id",
            "result",
            "text",
            "filed_on",
            "filed_by",
            "due",
            "outcome",
            "reason",
            "decided_on",
            "decided_by",
            "category_before",
            "category_after",
        ]
        read_only_fields = fields


class ObjectionRequestSerializer(serializers.Serializer):
    result = serializers.IntegerField(min_value=1, help_text="已公示的抽查结果的ID")
    text = serializers.CharField(max_length=4000, help_text="异议内容（代市场主体登记）")
    filed_on = serializers.DateField(help_text="市场主体提出异议的日期")


class ObjectionDecideSerializer(serializers.Serializer):
    objection = serializers.IntegerField(min_value=1, help_text="异议的ID")
    outcome = serializers.ChoiceField(
        choices=[ObjectionOutcome.UPHELD, ObjectionOutcome.REJECTED],
        help_text="upheld 成立 / rejected 不成立",
    )
    reason = serializers.CharField(max_length=4000, help_text="处理理由")
    decided_on = serializers.DateField(help_text="处理日期")
    category = serializers.ChoiceField(
        choices=ResultCategory.choices,
        required=False,
        allow_blank=True,
        help_text="异议成立时更正后的检查结果",
    )


class PublicationSerializer(serializers.Serializer):
    ended_on = serializers.DateField(allow_null=True)
    due = serializers.DateField(allow_null=True)
    results_published_at = serializers.DateTimeField(allow_null=True)


def _publication(plan) -> dict:
    from wangjian.inspections.services.publication import publication_item

    item = publication_item(plan)
    return {
        "ended_on": plan.ended_on,
        "due": item.due if item is not None else None,
        "results_published_at": plan.results_published_at,
    }


class CheckActionsMixin:
    """The online checks and results of a draw: ``check``, ``result``, ``checks``, ``results``, ``end``,
    ``publish_results`` — the services' rules, the page's words."""

    def _drawn(self, draw, pk: int):
        drawn = draw.objects_drawn.select_related("entity", "draw__plan").filter(pk=pk).first()
        if drawn is None:
            raise NotFoundError("本次抽取没有这个抽中主体", "No such drawn object in this draw")
        return drawn

    @extend_schema(request=CheckRequestSerializer, responses={202: CheckStateSerializer})
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def check(self, request, pk=None):
        """Request the online check of a drawn object (fetch, rule engine, licence and permit verdicts).

        The refusals come at once (403: who may check; 400: the draw not open, no presence, a check of the
        object already queued or running), in the page's words. Otherwise the check is queued and runs in
        the background: the answer is always **202** with the object's check state — ``queued`` or
        ``running`` while pending, ``done`` or ``failed`` (with ``error``) when it finished before the
        answer (no worker configured, and the database not shareable with a thread) — and ``checks`` the
        object's checks so far. Poll ``GET …/draws/{id}/check-state/?drawn=`` until ``pending`` is false.
        """
        draw = self.get_object()
        data = CheckRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        drawn = self._drawn(draw, data.validated_data["drawn"])
        presence = None
        if data.validated_data.get("presence"):
            from wangjian.registry.models import Presence

            presence = Presence.objects.filter(
                pk=data.validated_data["presence"], entity_id=drawn.entity_id
            ).first()
            if presence is None:
                raise NotFoundError("抽中主体没有这个网络经营场所", "No such presence of the drawn entity")
        with acting(request.user, via="api"):
            drawn = check_request(
                drawn=drawn,
                user=request.user,
                presence=presence,
                record=data.validated_data.get("record", ""),
            )
        return Response(_check_state(drawn), status=status.HTTP_202_ACCEPTED)

    @extend_schema(parameters=[DRAWN], responses=CheckStateSerializer)
    @action(
        detail=True,
        methods=["get"],
        url_path="check-state",
        filterset_class=None,
        pagination_class=None,
    )
    def check_state(self, request, pk=None):
        """Where the check requested for a drawn object is (``?drawn=``), and its checks so far."""
        draw = self.get_object()
        raw = request.query_params.get("drawn", "")
        if not raw.isdigit():
            raise ValidationFailed("请给出抽中主体的ID（drawn）", "Give the drawn object's id (drawn)")
        return Response(_check_state(self._drawn(draw, int(raw))))

    @extend_schema(request=CheckRecordSerializer, responses=OnlineCheckSerializer)
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def record(self, request, pk=None):
        """检查记录: write or correct the record of one of the draw's checks, until the results are published
        (the inspectors drawn for the object and the office; the change log keeps each version)."""
        draw = self.get_object()
        data = CheckRecordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        check = (
            OnlineCheck.objects.filter(pk=data.validated_data["check"], drawn__draw=draw)
            .select_related("drawn__draw__plan", "drawn__entity")
            .first()
        )
        if check is None:
            raise NotFoundError("本次抽取没有这个线上检查", "No such online check in this draw")
        with acting(request.user, via="api"):
            check = check_note(check=check, user=request.user, record=data.validated_data["record"])
        return Response(OnlineCheckSerializer(check).data)

    @extend_schema(request=ResultRequestSerializer, responses=ResultSerializer)
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def result(self, request, pk=None):
        """Record the result of one item for a drawn object."""
        draw = self.get_object()
        data = ResultRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        drawn = self._drawn(draw, data.validated_data["drawn"])
        item = draw.plan.items.filter(pk=data.validated_data["item"]).first()
        if item is None:
            raise NotFoundError("本计划没有这个抽查事项", "No such item in the plan")
        with acting(request.user, via="api"):
            result = result_record(
                drawn=drawn,
                item=item,
                category=data.validated_data["category"],
                note=data.validated_data.get("note", ""),
                user=request.user,
                checked_field=data.validated_data.get("checked_field", ""),
                published_value=data.validated_data.get("published_value", ""),
                found_value=data.validated_data.get("found_value", ""),
            )
        return Response(ResultSerializer(result).data)

    @extend_schema(responses=OnlineCheckSerializer(many=True))
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def checks(self, request, pk=None):
        """The online checks of the draw's objects (at most 1,000, latest first)."""
        draw = self.get_object()
        rows = OnlineCheck.objects.filter(drawn__draw=draw).order_by("-id")[:1000]
        return Response(OnlineCheckSerializer(rows, many=True).data)

    @extend_schema(responses=ResultSerializer(many=True))
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def results(self, request, pk=None):
        """The results recorded per drawn object and item (at most 10,000)."""
        draw = self.get_object()
        rows = InspectionResult.objects.filter(drawn__draw=draw).order_by("drawn_id", "item_id")[:10_000]
        return Response(ResultSerializer(rows, many=True).data)

    @extend_schema(request=None, responses=PublicationSerializer)
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def end(self, request, pk=None):
        """结束抽查: the results are due within 20 working days (企业公示信息抽查办法 art. 12)."""
        draw = self.get_object()
        with acting(request.user, via="api"):
            check_period_end(plan=draw.plan, user=request.user)
        draw.plan.refresh_from_db()
        return Response(PublicationSerializer(_publication(draw.plan)).data)

    @extend_schema(request=None, responses=PublicationSerializer)
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def publish_results(self, request, pk=None):
        """公示抽查结果: every object has a result for every item; the publication item closes."""
        draw = self.get_object()
        with acting(request.user, via="api"):
            plan = results_publish(plan=draw, user=request.user)
        return Response(PublicationSerializer(_publication(plan)).data)


class DrawImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="省级双随机系统导出的抽取结果（Excel 或 CSV）")


class ProvinceRejectedRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProvinceDrawRejectedRow
        fields = ["row_number", "column", "value", "reason"]
        read_only_fields = fields


class DrawImportedSerializer(serializers.Serializer):
    draw = DrawSerializer()
    rejected_rows = ProvinceRejectedRowSerializer(many=True)


class InspectionSettingsSerializer(serializers.Serializer):
    bureau = serializers.IntegerField(source="bureau_id", read_only=True)
    objection_days = serializers.IntegerField(
        min_value=1, max_value=365, help_text="异议期限：结果公示之日起的日数"
    )
    objection_decision_days = serializers.IntegerField(
        min_value=1, max_value=120, help_text="异议处理期限：登记之日起的工作日数"
    )


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Plans the caller may read; ``publish`` publishes a draft, ``draw`` publishes a draw's inputs,
    ``import-draw`` imports a draw made in the province's own 双随机 system (multipart ``file``)."""

    serializer_class = PlanSerializer
    upload_kind = IMPORT
    filterset_class = PlanFilterSet
    pagination_class = IdCursorPagination
    permission_classes = [permissions.IsAuthenticated]
    queryset = Plan.objects.none()

    def get_queryset(self):
        table.require(self.request.user, INSPECTION_READ)
        return selectors.plans_visible(self.request.user).prefetch_related(
            "items", "joint_departments", "inspector_stations"
        )

    @extend_schema(methods=["get"], parameters=[BUREAU], responses=InspectionSettingsSerializer)
    @extend_schema(
        methods=["post"],
        parameters=[BUREAU],
        request=InspectionSettingsSerializer,
        responses=InspectionSettingsSerializer,
    )
    @action(
        detail=False,
        methods=["get", "post"],
        url_path="settings",
        pagination_class=None,
        filterset_class=None,
    )
    def objection_settings(self, request):
        """The bureau's objection periods (GET, for who reads inspections); new ones (POST: the office of the
        bureau, ``inspections.plan.manage``; a field left out keeps its value; the change log keeps each)."""
        table.require(request.user, INSPECTION_READ)
        bureau = scoped_bureau(request)
        if request.method == "GET":
            return Response(InspectionSettingsSerializer(settings_for(bureau)).data)
        settings_check(user=request.user, bureau=bureau)
        body = InspectionSettingsSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        with acting(request.user, via="api"):
            saved = settings_save(user=request.user, bureau=bureau, **body.validated_data)
        return Response(InspectionSettingsSerializer(saved).data)

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def publish(self, request, pk=None):
        """公布抽查计划和抽查事项清单 (frozen from then on)."""
        plan = self.get_object()
        with acting(request.user, via="api"):
            plan = plan_publish(plan=plan, user=request.user)
        return Response(PlanSerializer(plan).data)

    @extend_schema(request=DrawPublishSerializer, responses={201: DrawSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def draw(self, request, pk=None):
        """Publish a draw's inputs and name the future public randomness source."""
        plan = self.get_object()
        data = DrawPublishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with acting(request.user, via="api"):
            draw = draw_publish(plan=plan, user=request.user, **data.validated_data)
        return Response(DrawSerializer(draw).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": DrawImportSerializer}, responses={201: DrawImportedSerializer}
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="import-draw",
        filterset_class=None,
        parser_classes=[parsers.MultiPartParser, parsers.FormParser],
    )
    def import_draw(self, request, pk=None):
        """导入省级双随机系统的抽取结果: the draw as made there (the province system stays its record);
        rows that match no entity or inspector of the bureau are kept as rejected rows with the reason."""
        plan = self.get_object()
        data = DrawImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        with acting(request.user, via="api"):
            draw = draw_import(plan=plan, user=request.user, path_or_bytes=upload, file_name=upload.name)
        body = {"draw": draw, "rejected_rows": draw.rejected_rows.all()[:2000]}
        return Response(DrawImportedSerializer(body).data, status=status.HTTP_201_CREATED)


class DrawViewSet(
    CheckActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Draws the caller may read; ``value`` enters, ``confirm`` confirms and draws, ``rerun`` re-runs."""

    serializer_class = DrawSerializer
    filterset_class = DrawFilterSet
    pagination_class = IdCursorPagination
    permission_classes = [permissions.IsAuthenticated]
    queryset = Draw.objects.none()

    def get_queryset(self):
        table.require(self.request.user, INSPECTION_READ)
        return selectors.draws_visible(self.request.user)

    @extend_schema(request=ValueSerializer, responses=DrawSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def value(self, request, pk=None):
        """Enter the source's value (not before the source's date)."""
        draw = self.get_object()
        data = ValueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with acting(request.user, via="api"):
            draw = draw_value_enter(draw=draw, user=request.user, value=data.validated_data["value"])
        return Response(DrawSerializer(draw).data)

    @extend_schema(request=ValueSerializer, responses=DrawSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def confirm(self, request, pk=None):
        """A different person types the value again; if it agrees, the draw is made."""
        draw = self.get_object()
        data = ValueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with acting(request.user, via="api"):
            draw = draw_value_confirm(draw=draw, user=request.user, value=data.validated_data["value"])
        return Response(DrawSerializer(draw).data)

    @extend_schema(request=None, responses=RerunSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def rerun(self, request, pk=None):
        """Re-run the draw from its published inputs and compare with the recorded objects and inspectors."""
        rerun = draw_rerun(self.get_object())
        return Response(RerunSerializer(rerun).data)

    @extend_schema(request=ObjectionRequestSerializer, responses={201: ObjectionSerializer})
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def objection(self, request, pk=None):
        """登记异议: the entity's objection to a published result, filed by the office within the period."""
        draw = self.get_object()
        data = ObjectionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = InspectionResult.objects.filter(pk=data.validated_data["result"], drawn__draw=draw).first()
        if result is None:
            raise NotFoundError("本次抽取没有这个抽查结果", "No such result in this draw")
        with acting(request.user, via="api"):
            objection = objection_file(
                result=result,
                text=data.validated_data["text"],
                filed_on=data.validated_data["filed_on"],
                user=request.user,
            )
        return Response(ObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ObjectionDecideSerializer, responses=ObjectionSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="objection-decide",
        filterset_class=None,
        pagination_class=None,
    )
    def decide_objection(self, request, pk=None):
        """作出异议处理: upheld corrects the result's category (the earlier one kept), rejected keeps it."""
        draw = self.get_object()
        data = ObjectionDecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objection = ResultObjection.objects.filter(
            pk=data.validated_data["objection"], result__drawn__draw=draw
        ).first()
        if objection is None:
            raise NotFoundError("本次抽取没有这个异议", "No such objection in this draw")
        with acting(request.user, via="api"):
            objection = objection_decide(
                objection=objection,
                outcome=data.validated_data["outcome"],
                reason=data.validated_data["reason"],
                decided_on=data.validated_data["decided_on"],
                category=data.validated_data.get("category", ""),
                user=request.user,
            )
        return Response(ObjectionSerializer(objection).data)

    @extend_schema(responses=InputsSerializer)
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def inputs(self, request, pk=None):
        """The published inputs in full, as hashed."""
        draw = self.get_object()
        if draw.origin == DrawOrigin.PROVINCE:
            raise NotFoundError(
                "该抽取由省级双随机系统作出并导入，没有本系统公布的抽取要素",
                "This draw was imported from the province's system: it has no inputs published here",
            )
        inputs = draw.inputs
        return Response({"canonical": inputs.canonical, "pool_listing": inputs.pool_listing})


def register(router) -> None:
    router.register("inspections/items", ItemViewSet, basename="inspection-item")
    router.register("inspections/relations", RelationViewSet, basename="inspector-relation")
    router.register("inspections/plans", PlanViewSet, basename="inspection-plan")
    router.register("inspections/draws", DrawViewSet, basename="inspection-draw")
    api_results.register(router)  # the results and drawn objects across draws (read-only lists)
