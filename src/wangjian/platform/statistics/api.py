"""``GET /api/stats/figures/``: every figure for a bureau and period with its names, unit, 口径 and value;
``GET /api/stats/figures/{key}/``: one; ``GET /api/stats/figures/{key}/series/``: one month by month.
``GET /api/stats/rankings/``: every ranking (排名) with its names, unit and 口径;
``GET /api/stats/rankings/{key}/``: its top ``limit`` platforms or entities (1–100, default 10) for a bureau
and period, each with the address of its records.

Query: ``bureau`` (id) or ``bureau_code`` (行政区划代码), default the caller's own; ``below`` (the
bureaus below too: by default for the roles that may, ``access``); ``department``, ``station``,
``domain``, ``platform``; ``from`` and ``to`` (dates, both included; by default the calendar year to
today); ``keys`` (comma-separated figure keys, by default all). A figure that cannot honour a filter
is refused when asked for by key, and listed under ``omitted`` with the filters it cannot honour
when the list is asked for whole.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import permissions, serializers, views
from rest_framework.response import Response

from wangjian.core.errors import ValidationFailed
from wangjian.org import permissions as table
from wangjian.org.choices import Domain
from wangjian.platform.permissions import STATS_READ
from wangjian.platform.statistics import access, rankings, reading
from wangjian.platform.statistics.rankings import LIMIT_DEFAULT, LIMIT_MAX, Ranking
from wangjian.platform.statistics.registry import Figure, get

MAX_SERIES_MONTHS = 120


@extend_schema_field(OpenApiTypes.NUMBER)
class NumberField(serializers.Field):
    """A figure's value: a JSON number (money to the fen)."""

    def to_representation(self, value):
        return reading.plain(value)


class BreakdownItemSerializer(serializers.Serializer):
    key = serializers.CharField(allow_blank=True)
    label = serializers.CharField()
    value = NumberField()


class BreakdownSerializer(serializers.Serializer):
    name = serializers.CharField()
    label_zh = serializers.CharField()
    label_en = serializers.CharField()
    items = BreakdownItemSerializer(many=True)


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label_zh = serializers.CharField()
    label_en = serializers.CharField()
    basis_zh = serializers.CharField(help_text="口径")
    basis_en = serializers.CharField()
    unit = serializers.CharField(help_text="件、户、元、条、%、页、个、次")
    source_app = serializers.CharField()
    filters = serializers.ListField(child=serializers.CharField(), help_text="除局以外可用的筛选")
    at_end = serializers.BooleanField(help_text="期末时点数（而非期间内发生数）")
    value = NumberField()
    breakdown = BreakdownSerializer(allow_null=True)


class OmittedSerializer(serializers.Serializer):
    key = serializers.CharField()
    label_zh = serializers.CharField()
    unsupported = serializers.ListField(child=serializers.CharField())


class ScopeSerializer(serializers.Serializer):
    bureau = serializers.CharField(allow_null=True, help_text="行政区划代码；null 为全部局")
    bureau_name = serializers.CharField(allow_null=True)
    below = serializers.BooleanField(help_text="含下级局")
    bureaus = serializers.IntegerField(allow_null=True, help_text="统计的局数；null 为全部局")
    department = serializers.IntegerField(allow_null=True)
    station = serializers.IntegerField(allow_null=True)
    domain = serializers.CharField(allow_blank=True)
    platform = serializers.IntegerField(allow_null=True)
    start = serializers.DateField()
    end = serializers.DateField()


class FigureListSerializer(serializers.Serializer):
    scope = ScopeSerializer()
    figures = FigureSerializer(many=True)
    omitted = OmittedSerializer(many=True)


class MonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    start = serializers.DateField()
    end = serializers.DateField()
    value = NumberField()


class SeriesSerializer(serializers.Serializer):
    scope = ScopeSerializer()
    key = serializers.CharField()
    label_zh = serializers.CharField()
    label_en = serializers.CharField()
    basis_zh = serializers.CharField()
    unit = serializers.CharField()
    at_end = serializers.BooleanField()
    months = MonthSerializer(many=True)


SCOPE_PARAMETERS = [
    OpenApiParameter("bureau", OpenApiTypes.INT, description="局ID，默认本局"),
    OpenApiParameter("bureau_code", OpenApiTypes.STR, description="局的行政区划代码（代替 bureau）"),
    OpenApiParameter("below", OpenApiTypes.BOOL, description="含下级局（办公室、领导小组、审计默认含）"),
    OpenApiParameter("department", OpenApiTypes.INT, description="科室ID"),
    OpenApiParameter("station", OpenApiTypes.INT, description="基层所ID"),
    OpenApiParameter("domain", OpenApiTypes.STR, enum=list(Domain.values), description="监管领域"),
    OpenApiParameter("platform", OpenApiTypes.INT, description="平台ID"),
    OpenApiParameter("from", OpenApiTypes.DATE, description="起始日期（含），默认本年1月1日"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="截止日期（含），默认今天"),
]


def figure_row(figure: Figure, value, split) -> dict:
    breakdown = None
    if figure.breakdown is not None and split is not None:
        b = figure.breakdown
        order = [v for v, _ in b.choices] + sorted(k for k in split if k not in {v for v, _ in b.choices})
        breakdown = {
            "name": b.name,
            "label_zh": b.label_zh,
            "label_en": b.label_en,
            "items": [
                {"key": k, "label": b.label(k), "value": reading.plain(split[k])} for k in order if k in split
            ],
        }
    return {
        "key": figure.key,
        "label_zh": figure.label_zh,
        "label_en": figure.label_en,
        "basis_zh": figure.basis_zh,
        "basis_en": figure.basis_en,
        "unit": figure.unit,
        "source_app": figure.source_app,
        "filters": sorted(figure.filters),
        "at_end": figure.at_end,
        "value": reading.plain(value),
        "breakdown": breakdown,
    }


def _request_scope(request):
    params = request.query_params
    scope, bureau, below = access.scope_from_params(user=request.user, params=params)
    start, end = access.period(params, timezone.localdate())  # the request's today, never inside a figure
    described = {
        "bureau": bureau.code if bureau else None,
        "bureau_name": bureau.name if bureau else None,
        "below": below,
        "bureaus": None if scope.bureau_ids is None else len(scope.bureau_ids),
        "department": scope.department_id,
        "station": scope.station_id,
        "domain": scope.domain,
        "platform": scope.platform_id,
        "start": start,
        "end": end,
    }
    return scope, start, end, described


class FigureListView(views.APIView):
    """Every figure of the statistics registry (统计指标) with its 口径 and value."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="stats_figures_list",
        responses=FigureListSerializer,
        parameters=[
            *SCOPE_PARAMETERS,
            OpenApiParameter("keys", OpenApiTypes.STR, description="逗号分隔的指标键，默认全部"),
        ],
    )
    def get(self, request):
        scope, start, end, described = _request_scope(request)
        wanted = [k.strip() for k in (request.query_params.get("keys") or "").split(",") if k.strip()]
        result = reading.values(scope, start, end, keys=wanted or None)
        return Response(
            {
                "scope": ScopeSerializer(described).data,
                "figures": [figure_row(v.figure, v.value, v.breakdown) for v in result.values],
                "omitted": [
                    {"key": f.key, "label_zh": f.label_zh, "unsupported": missing}
                    for f, missing in result.omitted
                ],
            }
        )


class FigureDetailView(views.APIView):
    """One figure with its 口径 and value (and its breakdown)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="stats_figures_retrieve", responses=FigureSerializer, parameters=SCOPE_PARAMETERS
    )
    def get(self, request, key):
        figure = get(key)
        scope, start, end, _described = _request_scope(request)
        value = reading.value(key, scope, start, end)
        split = reading.breakdown(key, scope, start, end) if figure.breakdown else None
        return Response(figure_row(figure, value, split))


class FigureSeriesView(views.APIView):
    """One figure month by month over ``from`` … ``to`` (the first and last month cut to the period)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="stats_figures_series", responses=SeriesSerializer, parameters=SCOPE_PARAMETERS
    )
    def get(self, request, key):
        figure = get(key)
        scope, start, end, described = _request_scope(request)
        months = reading.month_periods(start, end)
        if len(months) > MAX_SERIES_MONTHS:
            raise ValidationFailed(
                f"按月统计最多{MAX_SERIES_MONTHS}个月", f"A series covers {MAX_SERIES_MONTHS} months at most"
            )
        rows = reading.series(key, scope, months)
        return Response(
            {
                "scope": ScopeSerializer(described).data,
                "key": figure.key,
                "label_zh": figure.label_zh,
                "label_en": figure.label_en,
                "basis_zh": figure.basis_zh,
                "unit": figure.unit,
                "at_end": figure.at_end,
                "months": [
                    {"month": m.label, "start": m.start, "end": m.end, "value": reading.plain(v)}
                    for m, v in rows
                ],
            }
        )


# ---------------------------------------------------------------- rankings (排名)


class RankingSerializer(serializers.Serializer):
    key = serializers.CharField()
    label_zh = serializers.CharField()
    label_en = serializers.CharField()
    basis_zh = serializers.CharField(help_text="口径")
    basis_en = serializers.CharField()
    unit = serializers.CharField(help_text="件、户、元、条、%、页、个、次")
    source_app = serializers.CharField()
    subject = serializers.CharField(help_text="排名对象：platform 平台，entity 经营主体")
    filters = serializers.ListField(child=serializers.CharField(), help_text="除局以外可用的筛选")


class RankingListSerializer(serializers.Serializer):
    rankings = RankingSerializer(many=True)


class RankingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField(help_text="名次，从1起")
    id = serializers.IntegerField(help_text="平台或市场主体的ID")
    label = serializers.CharField(allow_blank=True)
    value = NumberField()
    records_url = serializers.CharField(allow_blank=True, help_text="该行所计记录的列表页地址")


class RankingResultSerializer(RankingSerializer):
    scope = ScopeSerializer()
    limit = serializers.IntegerField()
    rows = RankingRowSerializer(many=True)


def ranking_row(ranking: Ranking) -> dict:
    return {
        "key": ranking.key,
        "label_zh": ranking.label_zh,
        "label_en": ranking.label_en,
        "basis_zh": ranking.basis_zh,
        "basis_en": ranking.basis_en,
        "unit": ranking.unit,
        "source_app": ranking.source_app,
        "subject": ranking.subject,
        "filters": sorted(ranking.filters),
    }


LIMIT_PARAMETER = OpenApiParameter(
    "limit",
    {"type": "integer", "minimum": 1, "maximum": LIMIT_MAX, "default": LIMIT_DEFAULT},
    description=f"返回前几名，1至{LIMIT_MAX}，默认{LIMIT_DEFAULT}",
)


class RankingListView(views.APIView):
    """Every ranking of the statistics registry (排名: platforms, market entities) with its 口径."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(operation_id="stats_rankings_list", responses=RankingListSerializer)
    def get(self, request):
        table.require(request.user, STATS_READ)
        return Response({"rankings": [ranking_row(r) for r in rankings.rankings()]})


class RankingDetailView(views.APIView):
    """One ranking's top ``limit`` rows for a bureau and period, each with the address of its records."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="stats_rankings_retrieve",
        responses=RankingResultSerializer,
        parameters=[*SCOPE_PARAMETERS, LIMIT_PARAMETER],
    )
    def get(self, request, key):
        ranking = rankings.get_ranking(key)
        scope, start, end, described = _request_scope(request)
        text = request.query_params.get("limit")
        limit = LIMIT_DEFAULT if text is None or text.strip() == "" else rankings.check_limit(text)
        rows = rankings.read(key, scope, start, end, limit)
        return Response(
            {
                **ranking_row(ranking),
                "scope": ScopeSerializer(described).data,
                "limit": limit,
                "rows": [
                    {
                        "rank": i,
                        "id": row.id,
                        "label": row.label,
                        "value": reading.plain(row.number),
                        "records_url": ranking.row_url(scope, start, end, row.id),
                    }
                    for i, row in enumerate(rows, start=1)
                ],
            }
        )
