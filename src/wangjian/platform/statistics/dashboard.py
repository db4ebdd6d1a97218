"""The dashboards (统计分析): the office's and each unit's figures for a period, as cards and charts.

``ask_from`` reads a page's query string into an ``Ask`` — the bureau (and those below), the unit,
domain and platform, the period — with the same rules as the API (``access.scope_for``): a refusal
is the API's, in the same words. ``build`` reads the figures of the registry for it: every figure as
a card (value, unit, 口径, the link to its records), the months of the main flows, the on-time rate
of clue feedback month by month, the findings by category and the bureaus below (or, in a bureau
with none, its units) side by side, and the top platforms and market entities (排名,
``ranking_board``). Nothing here counts a record itself: every number is the registry's, so a card
equals ``statistics.value``, a chart's bar the figure for its sub-scope and a ranking's bar its row.

A chart whose figure cannot honour a filter of the page says so instead of drawing an unfiltered
number. The queries are bounded by the figures and months shown and, for the chart of the bureaus
below, by their count — never by the number of records.
"""

from __future__ import annotations

import calendar as pycal
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from wangjian.core.errors import ValidationFailed
from wangjian.org.models import Bureau, Department, Station, User
from wangjian.platform.statistics import access, ranking_board, reading
from wangjian.platform.statistics.registry import (
    DEPARTMENT,
    DOMAIN,
    FILTER_LABELS,
    PLATFORM,
    STATION,
    Figure,
    Scope,
    get,
    keys,
)

# The charts' figures (those registered and able to honour the page's filters are drawn).
TREND_KEYS = ("clues_received", "cases_opened", "complaints_received", "findings")
ON_TIME_KEY, FED_BACK_KEY = "clues_fed_back_on_time", "clues_fed_back"
CATEGORY_KEY = "findings"
REGION_KEYS = ("clues_received", "cases_opened", "complaints_received", "findings")
# The workbench's few cards: the user's unit (or bureau), this month and this year.
WORKBENCH_KEYS = ("clues_received", "clues_overdue", "cases_opened", "complaints_received")

PERIODS = ("year", "quarter", "month", "custom")
# A chart month by month draws the last 36 months of a longer period (its queries grow with the months).
CHART_MONTHS = 36


@dataclass(frozen=True)
class Ask:
    """What a dashboard shows: whose figures (as the query string carries them) and the period."""

    bureau: Bureau | None
    below: bool
    department: Department | None
    station: Station | None
    domain: str
    platform_id: int | None
    start: dt.date
    end: dt.date
    period: str
    scope: Scope
    unit_default: bool = False  # the unit is the user's own, taken by default
    picks: Mapping[str, str] = field(default_factory=dict)  # the rankings picked (ranking_board.PARAMS)

    @property
    def unit(self) -> str:
        if self.department is not None:
            return f"d{self.department.pk}"
        if self.station is not None:
            return f"s{self.station.pk}"
        return "all"

    def params(self, **changes) -> dict[str, str]:
        """The query string of this ask (``changes`` overriding): this year, quarter or month as such (it
        moves on with the days), a custom period by its dates."""
        out = {
            "bureau": str(self.bureau.pk) if self.bureau else "",
            "below": "1" if self.below else "0",
            "unit": self.unit,
            "domain": self.domain,
            "platform": str(self.platform_id or ""),
            "period": self.period,
        }
        if self.period == "custom":
            out |= {"from": self.start.isoformat(), "to": self.end.isoformat()}
        out |= {ranking_board.PARAMS[subject]: key for subject, key in self.picks.items()}
        out.update({k: str(v) for k, v in changes.items()})
        return {k: v for k, v in out.items() if v != ""}

    def query(self, **changes) -> str:
        return urlencode(self.params(**changes))


def period_bounds(params: Mapping[str, str], today: dt.date) -> tuple[str, dt.date, dt.date]:
    """The period picked: this year (the default), quarter or month up to ``today``, or ``from`` … ``to``."""
    kind = (params.get("period") or "").strip()
    if not kind:
        kind = "custom" if params.get("from") or params.get("to") else "year"
    if kind not in PERIODS:
        raise ValidationFailed(
            f"统计期间应为 year、quarter、month 或 custom：{kind}",
            f"period must be year, quarter, month or custom: {kind}",
        )
    if kind == "custom":
        start, end = access.period(params, today)
        return kind, start, end
    if kind == "year":
        start = dt.date(today.year, 1, 1)
    elif kind == "quarter":
        start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    else:
        start = dt.date(today.year, today.month, 1)
    return kind, start, today


def _unit(text: str) -> tuple[str, int | None]:
    text = (text or "").strip()
    if text in ("", "all"):
        return text, None
    if text[0] in "ds":
        pk = access.parse_id(text[1:], "unit")
        if pk is not None:
            return text[0], pk
    raise ValidationFailed(
        f"unit 应为 all、d<科室ID> 或 s<基层所ID>：{text}",
        f"unit must be all, d<department id> or s<station id>: {text}",
    )


def own_unit(user: User | None) -> tuple[int | None, int | None]:
    """The unit whose figures a member of a unit sees by default: their station, else their department.
    The office, the leading group and the auditor see their bureau's by default."""
    if user is None or user.is_superuser or access.reads_the_tree(user):
        return None, None
    if user.station_id is not None:
        return None, user.station_id
    return user.department_id, None


def ask_from(*, user: User, params: Mapping[str, str], today: dt.date) -> Ask:
    """The page's query string as an ``Ask``, or the API's refusal (``access.scope_for``)."""
    kind, start, end = period_bounds(params, today)
    bureau = access.bureau_by(pk=access.parse_id(params.get("bureau"), "bureau"))
    which, pk = _unit(params.get("unit", ""))
    department_id = pk if which == "d" else None
    station_id = pk if which == "s" else None
    by_default = which == ""
    if by_default and (bureau is None or bureau.pk == user.bureau_id):
        department_id, station_id = own_unit(user)
    scope, bureau, below = access.scope_for(
        user=user,
        bureau=bureau,
        below=access.parse_bool(params.get("below"), "below"),
        department_id=department_id,
        station_id=station_id,
        domain=(params.get("domain") or "").strip(),
        platform_id=access.parse_id(params.get("platform"), "platform"),
    )
    return Ask(
        bureau=bureau,
        below=below,
        department=Department.objects.get(pk=department_id) if department_id else None,
        station=Station.objects.get(pk=station_id) if station_id else None,
        domain=scope.domain,
        platform_id=scope.platform_id,
        start=start,
        end=end,
        period=kind,
        scope=scope,
        unit_default=by_default and (department_id or station_id) is not None,
        picks=ranking_board.picks_from(params),
    )


# ---------------------------------------------------------------- links


def figure_page(key: str, ask: Ask, **changes) -> str:
    return f"{reverse('platform:stats_figure', args=[key])}?{ask.query(**changes)}"


def records_link(figure: Figure, ask: Ask, scope: Scope, start: dt.date, end: dt.date, **changes) -> str:
    """The records the figure counts for ``scope`` and the period: the app's list page where it gives
    one (``Figure.records_url``), else the figure's own page (its 口径 and months) for the same ask."""
    if figure.records_url is not None:
        return figure.records_url(scope, start, end)
    if (start, end) == (ask.start, ask.end):
        return figure_page(figure.key, ask, **changes)
    dates = {"period": "custom", "from": start.isoformat(), "to": end.isoformat()}
    return figure_page(figure.key, ask, **(dates | changes))


def item_link(figure: Figure, ask: Ask, value: str) -> str:
    b = figure.breakdown
    if b is not None and b.records_url is not None:
        return b.records_url(ask.scope, ask.start, ask.end, value)
    return records_link(figure, ask, ask.scope, ask.start, ask.end)


# ---------------------------------------------------------------- the page's parts


@dataclass
class Card:
    figure: Figure
    value: object
    url: str
    breakdown: list[tuple[str, object, str]] = field(default_factory=list)  # (label, value, url)


@dataclass
class Chart:
    id: str
    title: str
    kind: str  # line | bar | pie
    url: str = ""  # the records behind the whole chart
    labels: list[str] = field(default_factory=list)
    series: list[dict] = field(default_factory=list)  # {"name", "data", "urls", "unit"}
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url) under the chart
    note: str = ""  # why the chart is not drawn, or what it leaves out

    @property
    def data_id(self) -> str:
        return f"{self.id}-data"

    @property
    def drawn(self) -> bool:
        return bool(self.labels and self.series)

    def data(self) -> dict:
        return {"kind": self.kind, "labels": self.labels, "series": self.series, "url": self.url}


@dataclass
class Board:
    ask: Ask
    cards: list[Card]
    omitted: list[tuple[Figure, str]]  # (figure, the filters it cannot honour, named)
    charts: list[Chart]
    rankings: list[ranking_board.RankingBox] = field(default_factory=list)  # 排名: platforms, entities

    @property
    def ranking_query(self) -> list[tuple[str, str]]:
        """The page's query string but the rankings picked: the hidden fields of the rankings' form."""
        return [(k, v) for k, v in self.ask.params().items() if k not in ranking_board.PARAMS.values()]


def _usable(key: str, scope: Scope) -> Figure | None:
    if key not in keys():
        return None
    figure = get(key)
    return None if reading.unsupported(figure, scope) else figure


def _not_filtered(wanted: tuple[str, ...], scope: Scope) -> str:
    """Why some of ``wanted`` are left out: not registered, or unable to honour the page's filters."""
    missing = [k for k in wanted if k in keys() and reading.unsupported(get(k), scope)]
    if not missing:
        return ""
    names = "、".join(get(k).label_zh for k in missing)
    filters = "、".join(
        FILTER_LABELS[f] for f in sorted(set().union(*(reading.unsupported(get(k), scope) for k in missing)))
    )
    return _("%(names)s不能按%(filters)s筛选，未画出") % {"names": names, "filters": filters}


def plain(number) -> int | float | None:
    return None if number is None else reading.plain(number)


def trend_chart(ask: Ask, months: list[reading.Period]) -> Chart:
    chart = Chart("chart-trend", _("按月趋势"), "line")
    figures = [f for f in (_usable(k, ask.scope) for k in TREND_KEYS) if f is not None]
    chart.note = _not_filtered(TREND_KEYS, ask.scope)
    chart.labels = [m.label for m in months]
    for figure in figures:
        rows = reading.series(figure.key, ask.scope, months)
        chart.series.append(
            {
                "name": f"{figure.label_zh}（{figure.unit}）",
                "data": [plain(v) for _m, v in rows],
                "urls": [records_link(figure, ask, ask.scope, m.start, m.end) for m, _v in rows],
            }
        )
        chart.links.append((figure.label_zh, records_link(figure, ask, ask.scope, ask.start, ask.end)))
    if chart.links:
        chart.url = chart.links[0][1]
    return chart


def on_time_chart(ask: Ask, months: list[reading.Period]) -> Chart:
    """Clues fed back on time ÷ clues fed back, month by month (%; none in a month without feedback)."""
    chart = Chart("chart-on-time", _("线索按期反馈率（按月）"), "bar")
    on_time, fed_back = _usable(ON_TIME_KEY, ask.scope), _usable(FED_BACK_KEY, ask.scope)
    if on_time is None or fed_back is None:
        chart.note = _not_filtered((ON_TIME_KEY, FED_BACK_KEY), ask.scope) or _("没有登记线索反馈的统计指标")
        return chart
    top = dict(reading.series(ON_TIME_KEY, ask.scope, months))
    bottom = dict(reading.series(FED_BACK_KEY, ask.scope, months))
    chart.labels = [m.label for m in months]
    rates = [round(100 * top[m] / bottom[m], 1) if bottom[m] else None for m in months]
    chart.series = [
        {
            "name": _("按期反馈率（%）"),
            "data": rates,
            "urls": [records_link(fed_back, ask, ask.scope, m.start, m.end) for m in months],
            "unit": "%",
        },
    ]
    chart.url = records_link(fed_back, ask, ask.scope, ask.start, ask.end)
    chart.links = [
        (on_time.label_zh, records_link(on_time, ask, ask.scope, ask.start, ask.end)),
        (fed_back.label_zh, chart.url),
    ]
    chart.note = _("按期反馈率 = %(a)s ÷ %(b)s；没有反馈的月份不画") % {
        "a": on_time.label_zh,
        "b": fed_back.label_zh,
    }
    return chart


def category_chart(ask: Ask, cards: dict[str, Card]) -> Chart:
    chart = Chart("chart-categories", _("监测发现按类别"), "pie")
    card = cards.get(CATEGORY_KEY)
    if card is None:
        chart.note = _not_filtered((CATEGORY_KEY,), ask.scope) or _("没有登记监测发现的统计指标")
        return chart
    chart.url = card.url
    items = [(label, v, url) for label, v, url in card.breakdown if v]
    chart.labels = [label for label, _v, _u in items]
    chart.series = [
        {"name": card.figure.label_zh, "data": [v for _l, v, _u in items], "urls": [u for *_x, u in items]}
    ]
    chart.links = [(card.figure.label_zh, card.url)]
    return chart


def region_chart(ask: Ask) -> Chart:
    """The bureaus directly below, each with its own bureaus below (a bar each); in a bureau with none
    below, or when the bureaus below are not asked for, its units (the figures that can be filtered by
    unit)."""
    bureau = ask.bureau
    if bureau is None:
        parts = [(b, None) for b in Bureau.objects.filter(parent__isnull=True).order_by("code")]
    elif ask.below and ask.department is None and ask.station is None:
        parts = [(b, None) for b in bureau.children.order_by("code")]
    else:
        parts = []
    if parts:
        chart = Chart("chart-regions", _("下级局对比"), "bar")
        scopes = [
            (
                b.name,
                replace(ask.scope, bureau_ids=frozenset(b.descendant_ids())),
                {"bureau": b.pk, "below": 1},
            )
            for b, _n in parts
        ]
    elif bureau is not None and ask.department is None and ask.station is None:
        chart = Chart("chart-regions", _("各科室、基层所对比"), "bar")
        units = [(d.name, DEPARTMENT, d) for d in bureau.departments.filter(is_active=True).order_by("id")]
        units += [(s.name, STATION, s) for s in bureau.stations.filter(is_active=True).order_by("id")]
        scopes = []
        for name, kind, unit in units:
            sub = replace(
                ask.scope,
                department_id=unit.pk if kind == DEPARTMENT else None,
                station_id=unit.pk if kind == STATION else None,
            )
            scopes.append((name, sub, {"unit": f"{kind[0]}{unit.pk}"}))
    else:
        return Chart("chart-regions", _("下级局对比"), "bar", note=_("已选定一个科室或基层所，不再细分"))
    chart.labels = [name for name, _s, _c in scopes]
    by_unit = not parts
    for key in REGION_KEYS:
        if _usable(key, ask.scope) is None:
            continue
        figure = get(key)
        data, urls = [], []
        for _name, sub, changes in scopes:
            if reading.unsupported(figure, sub):
                data.append(None)
                urls.append("")
                continue
            data.append(plain(figure.compute(sub, ask.start, ask.end)))
            urls.append(records_link(figure, replace(ask, scope=sub), sub, ask.start, ask.end, **changes))
        chart.series.append({"name": figure.label_zh, "data": data, "urls": urls})
        chart.links.append((figure.label_zh, records_link(figure, ask, ask.scope, ask.start, ask.end)))
    if chart.links:
        chart.url = chart.links[0][1]
    notes = [_not_filtered(REGION_KEYS, ask.scope)]
    if by_unit:
        # a bureau has a score of units, most of them with nothing in a given period: those are left out
        kept = [i for i in range(len(chart.labels)) if any(s["data"][i] for s in chart.series)]
        if len(kept) < len(chart.labels):
            notes.append(_("各项均为0的%(n)d个单位未列出") % {"n": len(chart.labels) - len(kept)})
        chart.labels = [chart.labels[i] for i in kept]
        for s in chart.series:
            s["data"] = [s["data"][i] for i in kept]
            s["urls"] = [s["urls"][i] for i in kept]
        notes.append(_("不能按科室或基层所筛选的指标在该单位处留空"))
    chart.note = "；".join(n for n in notes if n)
    return chart


def cards_for(ask: Ask) -> tuple[list[Card], list[tuple[Figure, str]]]:
    got = reading.values(ask.scope, ask.start, ask.end)
    cards = []
    for fv in got.values:
        figure = fv.figure
        split = []
        if figure.breakdown is not None and fv.breakdown is not None:
            b = figure.breakdown
            order = [v for v, _l in b.choices] + sorted(
                k for k in fv.breakdown if k not in {v for v, _l in b.choices}
            )
            split = [
                (b.label(k), plain(fv.breakdown[k]), item_link(figure, ask, k))
                for k in order
                if k in fv.breakdown
            ]
        cards.append(
            Card(figure, plain(fv.value), records_link(figure, ask, ask.scope, ask.start, ask.end), split)
        )
    omitted = [(f, "、".join(FILTER_LABELS[m] for m in missing)) for f, missing in got.omitted]
    return cards, omitted


def last_months(start: dt.date, end: dt.date, limit: int) -> tuple[list[reading.Period], bool]:
    """The months of the period, the last ``limit`` of them when there are more (and whether it was cut)."""
    months = reading.month_periods(start, end)
    return months[-limit:], len(months) > limit


def build(ask: Ask, *, rankings: bool = True) -> Board:
    """The page's cards and charts; the rankings too unless ``rankings`` is False (the office's page
    loads them in a request of their own, ``/stats/rankings/``: ranking a million findings by shop
    takes longer than the rest of the page)."""
    cards, omitted = cards_for(ask)
    months, cut = last_months(ask.start, ask.end, CHART_MONTHS)
    by_key = {c.figure.key: c for c in cards}
    monthly = [trend_chart(ask, months), on_time_chart(ask, months)]
    if cut:
        for chart in monthly:
            chart.note = "；".join(
                filter(None, [chart.note, _("期间超过%(n)d个月，只画最后%(n)d个月") % {"n": CHART_MONTHS}])
            )
    charts = [*monthly, category_chart(ask, by_key), region_chart(ask)]
    return Board(ask, cards, omitted, charts, ranking_board.boxes(ask) if rankings else [])


# ---------------------------------------------------------------- the workbench's cards


@dataclass
class MyFigure:
    figure: Figure
    month: object
    year: object
    month_url: str
    year_url: str


def month_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(today.year, today.month, 1), dt.date(
        today.year, today.month, pycal.monthrange(today.year, today.month)[1]
    )


def my_figures(user: User, today: dt.date) -> dict | None:
    """The user's own figures for the workbench: their unit's (their bureau's for the office), this
    month and this year to ``today``; None for an account without a bureau."""
    if user.bureau_id is None and not user.is_superuser:
        return None
    ask = ask_from(user=user, params={}, today=today)
    month_start = dt.date(today.year, today.month, 1)
    rows = []
    for key in WORKBENCH_KEYS:
        figure = _usable(key, ask.scope)
        if figure is None:
            continue
        rows.append(
            MyFigure(
                figure,
                plain(figure.compute(ask.scope, month_start, today)),
                plain(figure.compute(ask.scope, ask.start, today)),
                records_link(figure, ask, ask.scope, month_start, today),
                records_link(figure, ask, ask.scope, ask.start, today),
            )
        )
    if not rows:
        return None
    whose = ask.station or ask.department or ask.bureau
    return {
        "whose": str(whose) if whose else _("全部局"),
        "rows": rows,
        "url": f"{reverse('platform:stats_dashboard')}?{ask.query()}",
    }


def filter_choices(ask: Ask, user: User) -> dict:
    """The options of the page's filters: the bureaus the user may read, the units of the bureau asked
    for, the domains, the platforms (where an app offers them)."""
    from wangjian.org.choices import Domain

    if user.is_superuser:
        bureaus = list(Bureau.objects.order_by("code"))
    elif access.reads_the_tree(user):
        bureaus = list(Bureau.objects.filter(pk__in=user.bureau.descendant_ids()).order_by("code"))
    else:
        bureaus = [user.bureau]
    bureau = ask.bureau
    departments = list(bureau.departments.filter(is_active=True).order_by("id")) if bureau else []
    stations = list(bureau.stations.filter(is_active=True).order_by("id")) if bureau else []
    from wangjian.platform.statistics.registry import choices_for

    return {
        "bureaus": bureaus,
        "departments": departments,
        "stations": stations,
        "domains": Domain.choices,
        "platforms": choices_for(PLATFORM, ask.scope.bureau_ids),
        "filters_every_figure_honours": _common_filters(),
        "DOMAIN": DOMAIN,
    }


def _common_filters() -> list[str]:
    """The filters every registered figure honours (the others say which figures they leave out)."""
    figures = [get(k) for k in keys()]
    if not figures:
        return []
    common = set.intersection(*(set(f.filters) for f in figures))
    return [FILTER_LABELS[f] for f in sorted(common)]
