"""The dashboards (统计分析, ``/stats/``) and the workbench's own figures show what the registry computes.

The data is ``tests/statistics/conftest.py``'s March 2025 across 旌德县 and 绩溪县 under 宣城市. Every card
equals ``statistics.value`` for the page's scope; a unit's member sees their unit's; another bureau is
refused in the API's words; every card and chart links to the records behind it; the queries do not
grow with the records.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.statistics.conftest import END, START
from wangjian.platform import statistics
from wangjian.platform.statistics import Scope, access, dashboard

pytestmark = pytest.mark.django_db

PERIOD = {"period": "custom", "from": str(START), "to": str(END)}


def _cards(response) -> dict[str, object]:
    return {c.figure.key: c.value for c in response.context["board"].cards}


def _number(value) -> Decimal:
    return Decimal(str(value))


@pytest.fixture
def linked():
    """``findings`` and ``clues_received`` given a records link for the test (the apps add theirs)."""
    saved = {k: statistics.get(k) for k in ("findings", "clues_received")}

    def url(path):
        return lambda scope, start, end: f"{path}?after={start}&before={end}&n={len(scope.bureau_ids or ())}"

    for key, figure in saved.items():
        statistics.unregister(key)
        statistics.register(dataclasses.replace(figure, records_url=url(f"/records/{key}/")))
    yield
    for key, figure in saved.items():
        statistics.unregister(key)
        statistics.register(figure)


def test_the_offices_dashboard_shows_the_registrys_values_for_its_bureau(data, login):
    office = data.demo.users["office"]
    response = login(office).get("/stats/", PERIOD)
    assert response.status_code == 200
    scope = Scope(frozenset({data.demo.county.pk}))
    cards = _cards(response)
    assert {f.key for f in statistics.all()} == set(cards)  # no filter: every figure shown
    for key, shown in cards.items():
        assert _number(shown) == statistics.value(key, scope, START, END), key
    html = response.content.decode()
    assert 'data-key="clues_received"' in html and statistics.get("clues_received").basis_zh in html
    # the trend's months are the registry's series
    trend = next(c for c in response.context["board"].charts if c.id == "chart-trend")
    assert trend.labels == ["2025-03"]
    cases = next(s for s in trend.series if s["name"].startswith(statistics.get("cases_opened").label_zh))
    assert cases["data"] == [statistics.plain(statistics.value("cases_opened", scope, START, END))]
    # findings by category: the registry's breakdown
    pie = next(c for c in response.context["board"].charts if c.id == "chart-categories")
    split = statistics.breakdown("findings", scope, START, END)
    assert (
        sum(pie.series[0]["data"]) == sum(split.values()) == statistics.value("findings", scope, START, END)
    )


def test_the_on_time_rate_is_fed_back_on_time_over_fed_back_month_by_month(data, login):
    office = data.demo.users["office"]
    response = login(office).get("/stats/", {"period": "custom", "from": "2025-02-01", "to": "2025-04-30"})
    chart = next(c for c in response.context["board"].charts if c.id == "chart-on-time")
    scope = Scope(frozenset({data.demo.county.pk}))
    expected = []
    for p in statistics.month_periods(dt.date(2025, 2, 1), dt.date(2025, 4, 30)):
        on_time = statistics.value("clues_fed_back_on_time", scope, p.start, p.end)
        fed = statistics.value("clues_fed_back", scope, p.start, p.end)
        expected.append(round(100 * on_time / fed, 1) if fed else None)
    assert chart.labels == ["2025-02", "2025-03", "2025-04"]
    assert chart.series[0]["data"] == expected
    assert any(v is not None for v in expected)


def test_the_citys_office_sees_its_counties_side_by_side_and_may_pick_one(data, login):
    demo = data.demo
    client = login(demo.users["city_office"])
    response = client.get("/stats/", PERIOD)
    assert response.status_code == 200 and response.context["ask"].below
    regions = next(c for c in response.context["board"].charts if c.id == "chart-regions")
    counties = sorted([demo.county, demo.other_county], key=lambda b: b.code)
    assert regions.labels == [b.name for b in counties]
    series = next(s for s in regions.series if s["name"] == statistics.get("cases_opened").label_zh)
    assert series["data"] == [
        statistics.value("cases_opened", Scope(frozenset(b.descendant_ids())), START, END) for b in counties
    ]
    whole = _cards(response)["cases_opened"]
    assert whole == sum(series["data"]) == 18
    one = client.get("/stats/", {**PERIOD, "bureau": demo.other_county.pk})
    assert one.status_code == 200 and _cards(one)["cases_opened"] == 6


def test_a_units_member_sees_their_units_figures(data, login):
    demo = data.demo
    officer = demo.users["ad_officer"]
    response = login(officer).get("/stats/", PERIOD)
    assert response.status_code == 200
    ask = response.context["ask"]
    assert ask.department == officer.department and ask.unit_default and not ask.below
    scope = Scope(frozenset({demo.county.pk}), department_id=officer.department_id)
    cards = _cards(response)
    assert cards and "cases_opened" in cards
    for key, shown in cards.items():
        assert _number(shown) == statistics.value(key, scope, START, END), key
    # the figures that cannot be counted by department are named, never shown unfiltered
    omitted = {f.key for f, _why in response.context["board"].omitted}
    assert "registry_entities" in omitted and "registry_entities" not in cards
    assert "不能按科室筛选" in response.content.decode()
    # their bureau's whole figures on asking (the API lets them read their own bureau)
    whole = login(officer).get("/stats/", {**PERIOD, "unit": "all"})
    assert _cards(whole)["cases_opened"] == statistics.value(
        "cases_opened", Scope(frozenset({demo.county.pk})), START, END
    )
    # a station officer: their station's
    station_officer = demo.users["station_officer"]
    mine = login(station_officer).get("/stats/", PERIOD)
    assert mine.context["ask"].station == station_officer.station
    assert "cases_opened" not in _cards(mine)  # cases are not counted by station: named as omitted


def test_a_sibling_bureau_is_refused_in_the_apis_words(data, login, api):
    demo = data.demo
    for username, status in (("office", 404), ("ad_officer", 403)):
        user = demo.users[username]
        query = {**PERIOD, "bureau": demo.other_county.pk}
        page = login(user).get("/stats/", query)
        refusal = api(user).get("/api/stats/figures/", {"bureau": demo.other_county.pk})
        assert page.status_code == refusal.status_code == status
        error = refusal.json()["error"]
        html = page.content.decode()
        assert error["zh"] in html and error["en"].replace("'", "&#x27;") in html
        assert "data-key=" not in html
    # an officer asking for the bureaus below is refused as the API refuses it
    below = login(demo.users["ad_officer"]).get("/stats/", {**PERIOD, "below": "1"})
    assert below.status_code == 403 and access.OWN_BUREAU_ONLY[0] in below.content.decode()
    # a bad date is refused, not replaced
    bad = login(demo.users["office"]).get("/stats/", {"period": "custom", "from": "2025-13-01"})
    assert bad.status_code == 400 and "from" in bad.content.decode()


def test_every_card_and_chart_links_to_the_records_behind_it(data, login, linked):
    demo = data.demo
    response = login(demo.users["city_office"]).get("/stats/", PERIOD)
    board = response.context["board"]
    html = response.content.decode()
    assert board.cards
    for card in board.cards:
        assert card.url, card.figure.key
        assert f'href="{card.url.replace("&", "&amp;")}"' in html
        for _label, _value, url in card.breakdown:
            assert url
    drawn = [c for c in board.charts if c.drawn]
    assert {c.id for c in drawn} == {"chart-trend", "chart-on-time", "chart-categories", "chart-regions"}
    for chart in drawn:
        assert chart.url and chart.links, chart.id
        for s in chart.series:
            assert all(url for url, v in zip(s["urls"], s["data"], strict=True) if v is not None), chart.id
    cards = {c.figure.key: c for c in board.cards}
    # a figure whose app gives its records' address links there, with the period and the scope
    assert cards["findings"].url == f"/records/findings/?after={START}&before={END}&n=3"
    trend = next(c for c in drawn if c.id == "chart-trend")
    findings = next(s for s in trend.series if s["name"].startswith(statistics.get("findings").label_zh))
    assert findings["urls"] == [f"/records/findings/?after={START}&before={END}&n=3"]
    regions = next(c for c in drawn if c.id == "chart-regions")
    received = next(s for s in regions.series if s["name"] == statistics.get("clues_received").label_zh)
    assert all(u.startswith("/records/clues_received/") and u.endswith("&n=1") for u in received["urls"])
    # one without (its rows are clues and cases, no one list): the figure's own page, which answers the same
    # number with its 口径 and months
    unlinked = "rectifications"
    assert statistics.get(unlinked).records_url is None
    page = login(demo.users["city_office"]).get(cards[unlinked].url)
    assert page.status_code == 200
    assert page.context["value"] == cards[unlinked].value
    assert statistics.get(unlinked).basis_zh in page.content.decode()
    assert [v for _m, v, _u in page.context["rows"]] == [cards[unlinked].value]


def test_a_filter_some_figures_cannot_honour_leaves_them_out_by_name(data, login):
    response = login(data.demo.users["office"]).get("/stats/", {**PERIOD, "domain": "online_price"})
    cards = _cards(response)
    scope = Scope(frozenset({data.demo.county.pk}), domain="online_price")
    assert cards["cases_opened"] == statistics.value("cases_opened", scope, START, END)
    omitted = {f.key for f, _why in response.context["board"].omitted}
    assert "findings" in omitted and "findings" not in cards
    pie = next(c for c in response.context["board"].charts if c.id == "chart-categories")
    assert not pie.drawn and "不能按监管领域筛选" in pie.note
    assert "不能按监管领域筛选" in response.content.decode()


def test_the_period_picker_counts_this_year_quarter_or_month_to_today():
    params = {}
    today = dt.date(2025, 8, 20)
    assert dashboard.period_bounds(params, today) == ("year", dt.date(2025, 1, 1), today)
    assert dashboard.period_bounds({"period": "quarter"}, today) == ("quarter", dt.date(2025, 7, 1), today)
    assert dashboard.period_bounds({"period": "month"}, today) == ("month", dt.date(2025, 8, 1), today)
    assert dashboard.period_bounds({"from": "2025-02-01", "to": "2025-02-28"}, today) == (
        "custom",
        dt.date(2025, 2, 1),
        dt.date(2025, 2, 28),
    )


def test_the_dashboards_queries_do_not_grow_with_the_records(data, login, django_assert_max_num_queries):
    """A year of the city with its two counties: the cards (one query a figure and a breakdown), the
    months of the charts (a grouped query, or one a month) and the bureaus below (one a bureau and
    figure); more records, the same queries; twenty years, the charts' last 36 months only."""
    client = login(data.demo.users["city_office"])
    query = {"period": "custom", "from": "2025-01-01", "to": "2025-12-31"}
    with django_assert_max_num_queries(130) as counted:
        assert client.get("/stats/", query).status_code == 200
    first = len(counted.captured_queries)
    from wangjian.cases.models import Case

    for _ in range(5):
        Case.objects.create(
            bureau=data.demo.county,
            department=data.demo.county.departments.first(),
            title="再多一件",
            domain="online_price",
            procedure="general",
            state="open",
            source_kind="manual",
            party_name="某公司",
            facts="统计",
            discovered_on=dt.date(2025, 3, 3),
            opened_on=dt.date(2025, 3, 3),
        )
    with django_assert_max_num_queries(first):
        assert client.get("/stats/", query).status_code == 200
    # a long period: the charts draw its last 36 months, so twenty years cost what sixteen do
    long = {"period": "custom", "from": "2006-01-01", "to": "2025-12-31"}
    with django_assert_max_num_queries(400) as counted:
        assert client.get("/stats/", long).status_code == 200
    with django_assert_max_num_queries(len(counted.captured_queries)):
        response = client.get("/stats/", {**long, "from": "2010-01-01"})
    trend = next(c for c in response.context["board"].charts if c.id == "chart-trend")
    assert len(trend.labels) == 36 and trend.labels[0] == "2023-01" and "36" in trend.note


def test_the_workbench_shows_the_users_own_figures(data, login, monkeypatch):
    moment = dt.datetime(2025, 3, 31, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    demo = data.demo
    officer = demo.users["ad_officer"]
    response = login(officer).get("/")
    html = response.content.decode()
    assert 'id="my-figures"' in html and officer.department.name in html
    mine = response.context["my_figures"]
    scope = Scope(frozenset({demo.county.pk}), department_id=officer.department_id)
    assert [r.figure.key for r in mine["rows"]] == [
        "clues_received",
        "clues_overdue",
        "cases_opened",
        "complaints_received",
    ]
    for row in mine["rows"]:
        assert row.month == statistics.plain(statistics.value(row.figure.key, scope, START, END))
        assert row.year == statistics.plain(
            statistics.value(row.figure.key, scope, dt.date(2025, 1, 1), dt.date(2025, 3, 31))
        )
        assert row.month_url and row.year_url
    assert re.search(rf'href="/stats/\?[^"]*unit=d{officer.department_id}[&"]', html)
    # the office: their whole bureau
    office = login(demo.users["office"]).get("/").context["my_figures"]
    cases = next(r for r in office["rows"] if r.figure.key == "cases_opened")
    assert cases.month == statistics.value("cases_opened", Scope(frozenset({demo.county.pk})), START, END)


def test_the_pages_send_whoever_is_not_logged_in_to_log_in(client, demo):
    for url in ("/stats/", "/stats/figures/cases_opened/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_list_url_writes_the_scopes_filters_under_the_lists_names():
    scope = Scope(frozenset({1, 2}), department_id=7, domain="online_price", platform_id=3)
    url = statistics.list_url(
        "cases:case_list", scope, platform=None, opened_after=START, opened_before=END, state=""
    )
    assert url == (
        "/cases/cases/?department=7&domain=online_price&opened_after=2025-03-01&opened_before=2025-03-31"
    )
    assert statistics.list_url("clues:clue_list", Scope()) == "/clues/clues/"
