"""REST endpoints of the working-day calendar: read by everyone; entered (``days``, ``import``) by the
superuser and the province office only, through the same services as the calendar page."""

from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from wangjian.core import services, workdays
from wangjian.core.audit import acting
from wangjian.core.errors import ValidationFailed
from wangjian.core.models import CalendarDay, HolidayArrangement


class CalendarDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]


class HolidayArrangementSerializer(serializers.ModelSerializer):
    days = CalendarDaySerializer(many=True, read_only=True)

    class Meta:
        model = HolidayArrangement
        fields = ["id", "year", "notice", "published_on", "entered_by", "days"]


class WorkdayAnswerSerializer(serializers.Serializer):
    result = serializers.JSONField()
    skipped = serializers.ListField(child=serializers.JSONField(), required=False)


class CalendarDayWriteSerializer(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=CalendarDay.Kind.choices, allow_null=True, required=False)
    name = serializers.CharField(required=False, allow_blank=True, max_length=50, default="")


class ArrangementUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="YAML 或 CSV，格式同 wangjian workdays import")


class MovedDeadlineSerializer(serializers.Serializer):
    what = serializers.CharField()
    bureau = serializers.CharField()
    before = serializers.DateField(allow_null=True)
    after = serializers.DateField(allow_null=True)
    url = serializers.CharField()
    basis = serializers.CharField()
    overdue = serializers.BooleanField()


class CalendarChangeSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    days = CalendarDaySerializer(many=True)
    moved = MovedDeadlineSerializer(many=True, help_text="本次修改移动的法定期限（在办事项）")


def _change_body(change: services.CalendarChange) -> dict:
    if change.arrangement is not None:
        days = list(change.arrangement.days.all())
    else:
        days = [change.day] if change.day is not None else []
    return {
        "year": change.year,
        "days": CalendarDaySerializer(days, many=True).data,
        "moved": [m.as_dict() for m in change.moved],
    }


def _date(params, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(params.get(name, ""))
    except ValueError as exc:
        raise ValidationFailed(
            f"参数 {name} 应为 YYYY-MM-DD 日期", f"Parameter {name} must be a YYYY-MM-DD date"
        ) from exc


class CalendarViewSet(viewsets.ReadOnlyModelViewSet):
    """The calendar is national, readable by every user; the superuser and the province office enter it
    (here, on the calendar page or with ``wangjian workdays import``), and the answer lists the legal
    deadlines the change moved."""

    queryset = HolidayArrangement.objects.prefetch_related("days")
    serializer_class = HolidayArrangementSerializer
    lookup_field = "year"
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(request=CalendarDayWriteSerializer, responses={200: CalendarChangeSerializer})
    @action(detail=False, methods=["post"])
    def days(self, request):
        """Mark one date as a holiday or a make-up working day (``kind: null`` removes the entry)."""
        services.calendar_edit_check(request.user)  # refused before the input is read, as on the page
        data = CalendarDayWriteSerializer(data=request.data)
        if not data.is_valid():
            raise ValidationFailed("日期或类型无效", "Invalid date or kind", detail=data.errors)
        values = data.validated_data
        with acting(request.user, via="api"):
            change = services.calendar_day_set(
                date=values["date"], kind=values.get("kind"), name=values.get("name", ""), user=request.user
            )
        return Response(_change_body(change))

    @extend_schema(
        request={"multipart/form-data": ArrangementUploadSerializer},
        responses={201: CalendarChangeSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_arrangement(self, request):
        """Enter a year's State Council arrangement (YAML or CSV), replacing an earlier entry of that year."""
        services.calendar_edit_check(request.user)
        data = ArrangementUploadSerializer(data=request.data)
        if not data.is_valid():
            raise ValidationFailed("请上传 YAML 或 CSV 文件", "Upload a YAML or CSV file", detail=data.errors)
        upload = data.validated_data["file"]
        with acting(request.user, via="api"):
            change = services.arrangement_import(
                content=upload.read(), filename=upload.name, user=request.user
            )
        return Response(_change_body(change), status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("start", str, required=True), OpenApiParameter("n", int, required=True)],
        responses=WorkdayAnswerSerializer,
    )
    @action(detail=False, methods=["get"])
    def add(self, request):
        """The n-th working day after ``start`` (start not counted), with the days skipped."""
        start = _date(request.query_params, "start")
        try:
            n = int(request.query_params.get("n", ""))
        except ValueError as exc:
            raise ValidationFailed("参数 n 应为整数", "Parameter n must be an integer") from exc
        exp = workdays.current().explain_add(start, n)
        return Response(
            {"result": exp.result.isoformat(), "skipped": [[d.isoformat(), name] for d, name in exp.skipped]}
        )

    @extend_schema(
        parameters=[OpenApiParameter("a", str, required=True), OpenApiParameter("b", str, required=True)],
        responses=WorkdayAnswerSerializer,
    )
    @action(detail=False, methods=["get"])
    def between(self, request):
        """Working days d with a < d ≤ b."""
        a, b = _date(request.query_params, "a"), _date(request.query_params, "b")
        return Response({"result": workdays.current().working_days_between(a, b)})
