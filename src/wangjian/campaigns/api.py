"""REST endpoints of campaigns: the campaigns with their phases, tasks, periods and the units' tables.

``GET /api/campaigns/campaigns/`` (and ``…/{id}/``), ``/api/campaigns/tasks/``, ``/api/campaigns/periods/``
and ``/api/campaigns/tables/`` read what the caller may see (``?campaign=ID``, ``?period=ID`` narrow them);
a table's detail carries its cells (the computed value beside the entered one); ``POST
/api/campaigns/tables/{id}/submit/`` with ``{"values": {column: number}, "reasons": {column: text},
"text": "…"}`` saves and submits it through the same services as the page, refused in the same words.
``PATCH /api/campaigns/campaigns/{id}/`` corrects the plan (the office of its bureau): its fields, ``columns``,
and ``phases``, ``units``, ``key_periods`` each replacing the current list (``campaigns.services.editing``).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.campaigns import columns as column_defs
from wangjian.campaigns import selectors
from wangjian.campaigns.models import Campaign, CampaignTask, Period, Phase, UnitReport
from wangjian.campaigns.permissions import CAMPAIGN_READ
from wangjian.campaigns.services import editing, plan, tables
from wangjian.core.api import IdCursorPagination
from wangjian.core.audit import acting
from wangjian.core.errors import ValidationFailed
from wangjian.org import permissions as table
from wangjian.org.models import Department
from wangjian.platform.filtersets import ID_MAX


def _param_id(request, name: str) -> int | None:
    text = request.query_params.get(name, "")
    if text == "":
        return None
    if not text.isdigit() or len(text) > 12:
        raise ValidationFailed(f"参数 {name} 应为编号", f"{name} must be an id")
    return int(text)


class PhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Phase
        fields = ["id", "name", "start", "end"]


class CampaignSerializer(serializers.ModelSerializer):
    bureau_name = serializers.CharField(source="bureau.name", read_only=True)
    phases = PhaseSerializer(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "title",
            "year",
            "bureau",
            "bureau_name",
            "lead_department",
            "document_number",
            "basis",
            "description",
            "start",
            "end",
            "due_day",
            "reminder_days",
            "summary_due",
            "columns",
            "phases",
        ]


class ColumnInput(serializers.Serializer):
    key = serializers.CharField(max_length=40)
    label = serializers.CharField(max_length=100)
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    figure = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    scale = serializers.IntegerField(min_value=1, max_value=10**9, required=False, default=1)


class DatedInput(serializers.Serializer):
    """A phase or a 重点时段: ``id`` changes that one, none adds a new one."""

    id = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=ID_MAX)
    name = serializers.CharField(max_length=60)
    start = serializers.DateField()
    end = serializers.DateField()


class UnitInput(serializers.Serializer):
    """One of: a department or a station of the bureau, or a bureau below it."""

    department = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=ID_MAX)
    station = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=ID_MAX)
    bureau = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=ID_MAX)


class CampaignEditSerializer(serializers.Serializer):
    """The plan's corrections; a field or a list left out stays as it is, a list given replaces the current."""

    title = serializers.CharField(max_length=200, required=False)
    year = serializers.IntegerField(min_value=0, max_value=32767, required=False)
    document_number = serializers.CharField(max_length=80, required=False, allow_blank=True)
    basis = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    lead_department = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=ID_MAX)
    due_day = serializers.IntegerField(min_value=0, max_value=32767, required=False)
    reminder_days = serializers.IntegerField(min_value=0, max_value=32767, required=False)
    summary_due = serializers.DateField(required=False, allow_null=True)
    columns = ColumnInput(many=True, required=False)
    phases = DatedInput(many=True, required=False)
    units = UnitInput(many=True, required=False)
    key_periods = DatedInput(many=True, required=False)


def _columns(rows: list[dict]) -> list[dict]:
    """The columns as the page's lines say them, checked by the same parser (figures, keys, scales)."""
    for row in rows:
        if any("|" in str(v) or "\n" in str(v) or "\r" in str(v) for v in row.values()):
            raise ValidationFailed(
                "统计表栏目的各项不能含“|”或换行", "A column's fields cannot hold '|' or line breaks"
            )
    return column_defs.parse(column_defs.as_text([{**row, "scale": row.get("scale", 1)} for row in rows]))


class TaskSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.__str__", read_only=True)
    work_item_state = serializers.CharField(source="work_item.state", read_only=True, default="")

    class Meta:
        model = CampaignTask
        fields = ["id", "campaign", "unit", "phase", "title", "body", "due", "work_item", "work_item_state"]


class PeriodSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Period
        fields = ["id", "campaign", "kind", "label", "start", "end", "due", "due_basis"]


class CellSerializer(serializers.Serializer):
    column = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    figure = serializers.CharField()
    computed = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    entered = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    value = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    reason = serializers.CharField()


def cell_rows(cells) -> list[dict]:
    return [
        {
            "column": c.column.key,
            "label": c.column.label,
            "unit": c.column.unit,
            "figure": c.column.figure,
            "computed": c.computed,
            "entered": c.entered,
            "value": c.value,
            "reason": c.reason,
        }
        for c in cells
    ]


class TableSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.__str__", read_only=True)
    due = serializers.DateField(source="period.due", read_only=True)

    class Meta:
        model = UnitReport
        fields = ["id", "period", "unit", "unit_name", "due", "state", "late", "text", "submitted_at"]


class TableDetailSerializer(TableSerializer):
    cells = serializers.SerializerMethodField()

    class Meta(TableSerializer.Meta):
        fields = [*TableSerializer.Meta.fields, "cells"]

    @extend_schema(responses=CellSerializer(many=True))
    def get_cells(self, obj) -> list[dict]:
        return CellSerializer(cell_rows(tables.cells(obj)), many=True).data


class SubmitSerializer(serializers.Serializer):
    values = serializers.DictField(
        child=serializers.CharField(allow_blank=True, allow_null=True), required=False
    )
    reasons = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    text = serializers.CharField(allow_blank=True, required=False)


class _Read(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    pagination_class = IdCursorPagination
    permission_classes = [permissions.IsAuthenticated]

    def visible_campaigns(self):
        table.require(self.request.user, CAMPAIGN_READ)
        return selectors.campaigns_visible(self.request.user).values("pk")


class CampaignViewSet(_Read):
    """The campaigns the caller may read, with their phases."""

    serializer_class = CampaignSerializer
    queryset = Campaign.objects.none()

    def get_queryset(self):
        ids = self.visible_campaigns()
        return Campaign.objects.filter(pk__in=ids).select_related("bureau").prefetch_related("phases")

    @extend_schema(request=CampaignEditSerializer, responses=CampaignSerializer)
    def partial_update(self, request, pk=None):
        """Correct the plan: its fields, columns, phases, units and 重点时段; the periods follow the dates.

        Refused as on the page: a change that would drop a month or the summary with submitted tables, a
        removed column with submitted values, a phase outside the dates, a unit that took part."""
        campaign = self.get_object()
        body = CampaignEditSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        plan.require_manage(request.user, campaign)
        lists = {name: data.pop(name, None) for name in ("phases", "units", "key_periods")}
        if "columns" in data:
            data["columns"] = _columns(data["columns"])
        if data.get("lead_department"):
            lead = Department.objects.filter(pk=data["lead_department"]).first()
            if lead is None:
                raise ValidationFailed(
                    "牵头单位应是本局科室", "The lead unit must be a department of the bureau"
                )
            data["lead_department"] = lead
        elif "lead_department" in data:
            data["lead_department"] = None
        with acting(request.user, via="api"):
            campaign = editing.campaign_revise(user=request.user, campaign=campaign, values=data, **lists)
        return Response(CampaignSerializer(self.get_queryset().get(pk=campaign.pk)).data)


class TaskViewSet(_Read):
    """The campaigns' tasks (each a work item of its unit); ``?campaign=ID``."""

    serializer_class = TaskSerializer
    queryset = CampaignTask.objects.none()

    def get_queryset(self):
        qs = CampaignTask.objects.filter(campaign__in=self.visible_campaigns()).select_related(
            "unit__department", "unit__station", "unit__bureau", "work_item"
        )
        campaign = _param_id(self.request, "campaign")
        return qs.filter(campaign_id=campaign) if campaign is not None else qs


class PeriodViewSet(_Read):
    """The reporting periods (months and the final summary) with their due days; ``?campaign=ID``."""

    serializer_class = PeriodSerializer
    queryset = Period.objects.none()

    def get_queryset(self):
        qs = Period.objects.filter(campaign__in=self.visible_campaigns())
        campaign = _param_id(self.request, "campaign")
        return qs.filter(campaign_id=campaign) if campaign is not None else qs


class TableViewSet(_Read):
    """The units' tables; the detail has the cells; ``submit`` saves and submits one (own unit only)."""

    serializer_class = TableSerializer
    queryset = UnitReport.objects.none()

    def get_serializer_class(self):
        return TableDetailSerializer if self.action in ("retrieve", "submit") else TableSerializer

    def get_queryset(self):
        qs = UnitReport.objects.filter(period__campaign__in=self.visible_campaigns()).select_related(
            "period__campaign", "unit__department", "unit__station", "unit__bureau", "unit__campaign"
        )
        period = _param_id(self.request, "period")
        return qs.filter(period_id=period) if period is not None else qs

    @extend_schema(request=SubmitSerializer, responses=TableDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Save the entries (a changed computed value needs its reason) and the text, then submit."""
        report = self.get_object()
        body = SubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with acting(request.user, via="api"):
            tables.report_save(
                report=report,
                user=request.user,
                values=data.get("values") or {},
                reasons=data.get("reasons") or {},
                text=data.get("text"),
            )
            tables.report_submit(report=report, user=request.user)
        report.refresh_from_db()
        return Response(TableDetailSerializer(report, context={"request": request}).data)


def register(router) -> None:
    router.register("campaigns/campaigns", CampaignViewSet, basename="campaign")
    router.register("campaigns/tasks", TaskViewSet, basename="campaign-task")
    router.register("campaigns/periods", PeriodViewSet, basename="campaign-period")
    router.register("campaigns/tables", TableViewSet, basename="campaign-table")
