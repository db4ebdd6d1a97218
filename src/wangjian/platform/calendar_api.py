"""REST endpoints of the working-day calendar."""

from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wangjian.core import workdays
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


def _date(params, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(params.get(name, ""))
    except ValueError as exc:
        raise ValidationFailed(
            f"参数 {name} 应为 YYYY-MM-DD 日期", f"Parameter {name} must be a YYYY-MM-DD date"
        ) from exc


class CalendarViewSet(viewsets.ReadOnlyModelViewSet):
    """The calendar is national, readable by every user; arrangements are entered in the UI or CLI."""

    queryset = HolidayArrangement.objects.prefetch_related("days")
    serializer_class = HolidayArrangementSerializer
    lookup_field = "year"

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
