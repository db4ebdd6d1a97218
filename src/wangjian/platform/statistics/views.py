"""The dashboards' pages: ``/stats/`` (the office's and each unit's figures with charts),
``/stats/rankings/`` (its rankings, loaded by the page once shown) and ``/stats/figures/<key>/`` (one
figure: its 口径, its months and the link to its records).

The same rules as ``/api/stats/figures/`` (``access``): a refusal is shown in the API's words, zh and
en, with its status (403 for another bureau's figures asked by a unit, 404 for a bureau out of sight).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from wangjian.core.errors import WangjianError
from wangjian.platform.statistics import dashboard, ranking_board, reading
from wangjian.platform.statistics.api import MAX_SERIES_MONTHS
from wangjian.platform.statistics.registry import get


def _refused(request, exc: WangjianError):
    return render(request, "platform/statistics/refused.html", {"error": exc}, status=exc.http_status)


@login_required
def stats_dashboard(request):
    today = timezone.localdate()
    try:
        ask = dashboard.ask_from(user=request.user, params=request.GET, today=today)
        board = dashboard.build(ask, rankings=False)
    except WangjianError as exc:
        return _refused(request, exc)
    context = {
        "board": board,
        "ask": ask,
        # the rankings come in a request of their own, once the page is shown (``stats_rankings``)
        "rankings_url": f"{reverse('platform:stats_rankings')}?{ask.query()}",
        "picked": [(ranking_board.PARAMS[subject], key) for subject, key in ask.picks.items()],
        "choices": dashboard.filter_choices(ask, request.user),
        "charts": [c for c in board.charts if c.drawn],
        "not_drawn": [c for c in board.charts if not c.drawn],
        "today": today,
        # "含下级局" said only of a bureau that has some
        "with_below": ask.below and ask.bureau is not None and ask.bureau.children.exists(),
    }
    return render(request, "platform/statistics/dashboard.html", context)


@login_required
def stats_rankings(request):
    """The dashboard's rankings (排名) for the same query string: the fragment the page loads with htmx,
    or, opened by itself (without JavaScript), a page of its own."""
    today = timezone.localdate()
    try:
        ask = dashboard.ask_from(user=request.user, params=request.GET, today=today)
        board = dashboard.Board(ask, [], [], [], ranking_board.boxes(ask))
    except WangjianError as exc:
        return _refused(request, exc)
    context = {
        "board": board,
        "ask": ask,
        "dashboard_url": f"{reverse('platform:stats_dashboard')}?{ask.query()}",
    }
    if request.headers.get("HX-Request"):
        return render(request, "platform/statistics/_rankings.html", context)
    return render(request, "platform/statistics/rankings.html", context)


@login_required
def stats_figure(request, key: str):
    today = timezone.localdate()
    try:
        figure = get(key)
        ask = dashboard.ask_from(user=request.user, params=request.GET, today=today)
        value = reading.value(key, ask.scope, ask.start, ask.end)
        periods, cut = dashboard.last_months(ask.start, ask.end, MAX_SERIES_MONTHS)
        months = reading.series(key, ask.scope, periods)
        split = reading.breakdown(key, ask.scope, ask.start, ask.end)
    except WangjianError as exc:
        return _refused(request, exc)
    rows = [
        (m, dashboard.plain(v), dashboard.records_link(figure, ask, ask.scope, m.start, m.end))
        for m, v in months
    ]
    items = []
    if figure.breakdown is not None:
        b = figure.breakdown
        order = [v for v, _l in b.choices] + sorted(k for k in split if k not in {v for v, _l in b.choices})
        items = [
            (b.label(k), dashboard.plain(split[k]), dashboard.item_link(figure, ask, k))
            for k in order
            if k in split
        ]
    context = {
        "figure": figure,
        "ask": ask,
        "value": dashboard.plain(value),
        "rows": rows,
        "items": items,
        "records_url": figure.records_url(ask.scope, ask.start, ask.end) if figure.records_url else "",
        "dashboard_query": ask.query(),
        "months_cut": MAX_SERIES_MONTHS if cut else None,
    }
    return render(request, "platform/statistics/figure.html", context)
