"""``GET /api/complaints/complaints/analysis/?start=&end=&bureau=``: the analysis page's figures as JSON (one service)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.response import Response

from wangjian.complaints.permissions import COMPLAINT_ANALYSIS
from wangjian.complaints.services import analysis as analysis_services
from wangjian.complaints.views_analysis import _period
from wangjian.org import permissions as table
from wangjian.platform.generic import scoped_bureau


class CountSerializer(serializers.Serializer):
    name = serializers.CharField()
    count = serializers.IntegerField()


class MonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    complaints = serializers.IntegerField()
    reports = serializers.IntegerField()


class BusinessSerializer(serializers.Serializer):
    name = serializers.CharField()
    uscc = serializers.CharField(allow_blank=True)
    count = serializers.IntegerField()


class AnalysisSerializer(serializers.Serializer):
    bureau = serializers.CharField(help_text="行政区划代码")
    start = serializers.DateField()
    end = serializers.DateField()
    total = serializers.IntegerField()
    complaints = serializers.IntegerField()
    reports = serializers.IntegerField()
    accepted = serializers.IntegerField()
    accepted_late = serializers.IntegerField(help_text="超过七个工作日受理期限的")
    resolved = serializers.IntegerField()
    recovered = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="挽回经济损失（元）")
    by_month = MonthSerializer(many=True)
    by_category = CountSerializer(many=True)
    by_platform = CountSerializer(many=True)
    by_region = CountSerializer(many=True)
    by_state = CountSerializer(many=True)
    top_respondents = BusinessSerializer(many=True)
    repeated = BusinessSerializer(
        many=True, help_text="重复投诉提示（本局设定的件数与天数；件数最多的前100家）"
    )
    repeated_total = serializers.IntegerField(help_text="重复投诉提示的经营者总数")


def _as_dict(a: analysis_services.Analysis) -> dict:
    def counts(rows):  # noqa: ANN001, ANN202
        return [{"name": name or "", "count": n} for name, n in rows]

    def businesses(rows):  # noqa: ANN001, ANN202
        return [{"name": name, "uscc": uscc or "", "count": n} for name, uscc, n in rows]

    return {
        "bureau": a.bureau.code,
        "start": a.start,
        "end": a.end,
        "total": a.total,
        "complaints": a.complaints,
        "reports": a.reports,
        "accepted": a.accepted,
        "accepted_late": a.accepted_late,
        "resolved": a.resolved,
        "recovered": a.recovered,
        "by_month": [{"month": m, "complaints": c, "reports": r} for m, c, r in a.by_month],
        "by_category": counts(a.by_category),
        "by_platform": counts(a.by_platform),
        "by_region": counts(a.by_region),
        "by_state": counts(a.by_state),
        "top_respondents": businesses(a.top_respondents),
        "repeated": businesses(a.repeated),
        "repeated_total": a.repeated_total,
    }


ANALYSIS_PARAMETERS = [
    OpenApiParameter("start", OpenApiTypes.DATE, required=False),
    OpenApiParameter("end", OpenApiTypes.DATE, required=False),
    OpenApiParameter("bureau", OpenApiTypes.INT, required=False, description="局ID，默认本局"),
]


def analysis_answer(request) -> Response:  # noqa: ANN001
    """The analysis of the caller's bureau (or ``?bureau=`` among those they see) for ``?start=`` … ``?end=``."""
    table.require(request.user, COMPLAINT_ANALYSIS)
    bureau = scoped_bureau(request)
    start, end = _period(request)
    result = analysis_services.analysis(bureau=bureau, start=start, end=end)
    return Response(AnalysisSerializer(_as_dict(result)).data)
