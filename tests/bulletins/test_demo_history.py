"""The demo's year of history behind the dashboards: on 2025-12-10 the office's page for this year shows every
month of 2025 in the trends, the on-time rate of clue feedback, the findings by category and the units
side by side; the city's page shows 旌德县 and 绩溪县 side by side — every number the registry's, equal to a
count of the records behind it. The 通报 demo writes the history before it drafts, so last month's 通报
reads the same records and compares them with the year before.

The history needs the county's rule libraries and shops: published and registered as the monitoring demo
does before its first sweep (the registry import and the sweep are slow, and not what is checked here).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tests.clues.conftest import at
from tests.org import demo_once as shared
from wangjian.platform.statistics import dashboard

TODAY = dt.date(2025, 12, 10)
YEAR = [dt.date(2025, m, 1) for m in range(1, 13)]
TRENDS = ("clues_received", "cases_opened", "complaints_received", "findings")


demo, demo_once, fast_password_hashing = shared.demo, shared.demo_once, shared.fast_password_hashing


def _shops(demo):
    from wangjian.monitoring.demo import market_presences, market_server
    from wangjian.monitoring.services import libraries_load_defaults

    libraries_load_defaults(bureau=demo.county, actor=None)
    return market_presences(bureau=demo.county, server=market_server())


@pytest.fixture(scope="module")
def history_once(demo_once, django_db_blocker):
    """The year of history, written once for the module on 2025-12-10 (the tests read it; each test's own
    writes are rolled back after it, the history at the module's end)."""
    from wangjian.bulletins import demo_history

    out = io.StringIO()
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as mp:
        moment = at(TODAY.isoformat(), "15:00")
        mp.setattr("django.utils.timezone.now", lambda: moment)
        _shops(demo_once)
        demo_history.load(demo_once, out)
    return out.getvalue()


@pytest.fixture
def history(history_once, demo, clock):
    clock(at(TODAY.isoformat(), "15:00"))
    return history_once


def board(user, **params):
    return dashboard.build(dashboard.ask_from(user=user, params=params, today=TODAY))


def chart(board_, chart_id):
    return next(c for c in board_.charts if c.id == chart_id)


def test_every_trend_of_the_year_has_a_value_in_most_months_and_the_months_differ(demo, history):
    trend = chart(board(demo.users["office"]), "chart-trend")
    assert trend.labels == [f"{m:%Y-%m}" for m in YEAR]
    assert len(trend.series) == len(TRENDS)
    for series in trend.series:
        values = series["data"]
        assert sum(1 for v in values if v) >= 10, series["name"]
        assert len(set(values)) > 1, series["name"]


def test_the_promotions_are_busier_than_the_spring_festival(demo, history):
    from wangjian.platform import statistics

    scope = statistics.Scope(bureau_ids=frozenset({demo.county.pk}))
    for key in ("findings", "complaints_received"):
        november = statistics.value(key, scope, dt.date(2025, 11, 1), dt.date(2025, 11, 30))
        february = statistics.value(key, scope, dt.date(2025, 2, 1), dt.date(2025, 2, 28))
        assert november > february, key


def test_most_months_feed_back_between_half_and_all_of_their_clues_on_time(demo, history):
    rates = chart(board(demo.users["office"]), "chart-on-time").series[0]["data"]
    assert sum(1 for r in rates if r is not None and 50 <= r <= 100) >= 10, rates


def test_findings_fall_in_several_categories_and_the_units_stand_side_by_side(demo, history):
    page = board(demo.users["office"])
    categories = chart(page, "chart-categories")
    assert len(categories.labels) >= 5 and all(v > 0 for v in categories.series[0]["data"])
    units = chart(page, "chart-regions")
    assert units.title == "各科室、基层所对比"
    assert len(units.labels) >= 6  # departments and stations with records of the year
    assert any("市场监管所" in label for label in units.labels)


def test_the_city_sees_both_counties_side_by_side(demo, history):
    bureaus = chart(board(demo.users["city_office"], bureau=str(demo.city.pk), below="1"), "chart-regions")
    assert bureaus.labels == [demo.other_county.name, demo.county.name]  # by code: 341824, 341825
    by_name = {s["name"]: s["data"] for s in bureaus.series}
    for name in ("受理线索", "立案", "收到投诉举报"):
        assert all(v and v > 0 for v in by_name[name]), name


def test_a_month_of_the_figures_is_the_count_of_its_records(demo, history):
    from django.utils import timezone

    from wangjian.cases.models import Case
    from wangjian.clues.models import Clue
    from wangjian.complaints.models import Complaint
    from wangjian.monitoring.models import Finding
    from wangjian.platform import statistics

    june = (dt.date(2025, 6, 1), dt.date(2025, 6, 30))
    scope = statistics.Scope(bureau_ids=frozenset({demo.county.pk}))
    lo = timezone.make_aware(dt.datetime(2025, 6, 1))
    hi = timezone.make_aware(dt.datetime(2025, 7, 1))
    county = {"bureau": demo.county}
    raw = {
        "clues_received": Clue.objects.filter(**county, found_on__range=june).count(),
        "cases_opened": Case.objects.filter(**county, procedure="general", opened_on__range=june).count(),
        "complaints_received": Complaint.objects.filter(**county, received_on__range=june)
        .exclude(state="transferred", ended_on__lte=june[1])  # sent to the authority handling it by then
        .count(),
        "findings": Finding.objects.filter(**county, first_seen__gte=lo, first_seen__lt=hi).count(),
        "clues_fed_back": Clue.objects.filter(**county, fed_back_at__gte=lo, fed_back_at__lt=hi).count(),
    }
    for key, count in raw.items():
        assert count > 0, key
        assert statistics.value(key, scope, *june) == count, key
    # the year's chart counts June the same, but for a record sent on to another authority by its end (today)
    raw["complaints_received"] -= (
        Complaint.objects.filter(**county, received_on__range=june, state="transferred")
        .filter(ended_on__gt=june[1], ended_on__lte=TODAY)
        .count()
    )
    for series in chart(board(demo.users["office"]), "chart-trend").series:
        key = next(k for k in TRENDS if series["name"].startswith(statistics.get(k).label_zh))
        assert series["data"][5] == raw[key], key


def test_the_year_is_done_before_today_and_written_once(demo, history):
    from wangjian.bulletins import demo_history
    from wangjian.cases.models import Case
    from wangjian.clues.models import Clue, ClueEvent
    from wangjian.complaints.models import Complaint

    assert "历史数据 / history: 2024-11—2025-12" in history
    # what began in the first half of the year has ended, each record with what its state requires
    first_half = dt.date(2025, 7, 1)
    clues = Clue.objects.filter(found_on__lt=first_half)
    assert clues.count() > 100 and not clues.exclude(state="closed").exists()
    assert not clues.filter(feedback_due=None).exists() and not clues.filter(fed_back_at=None).exists()
    assert not clues.filter(disposal="").exists() and not clues.filter(number="").exists()
    assert not ClueEvent.objects.filter(clue__in=clues, at__gte=at(TODAY.isoformat(), "00:00")).exists()
    cases = Case.objects.filter(opened_on__lt=first_half)
    assert cases.count() > 10 and not cases.exclude(state="closed").exists()
    assert not cases.filter(decision_number="").exists() and not cases.filter(number="").exists()
    assert not cases.filter(jurisdiction="").exists() and all(c.case_officers.count() == 2 for c in cases)
    assert not [c for c in Case.objects.all() if c.overdue]  # the last weeks' cases run within their 90 days
    assert not Complaint.objects.filter(received_on__lt=first_half, ended_on=None).exists()
    counts = (Clue.objects.count(), Case.objects.count(), Complaint.objects.count())
    out = io.StringIO()
    demo_history.load(demo, out)
    assert "历史数据已存在" in out.getvalue()
    assert (Clue.objects.count(), Case.objects.count(), Complaint.objects.count()) == counts
