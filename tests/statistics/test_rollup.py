"""The findings' daily counts (``monitoring.rollup``): kept once a day has ended, and always the rows' count.

The expected numbers are counted here from the findings themselves (``raw``), never by the rollup.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.clues.conftest import at
from tests.statistics.conftest import END, START
from wangjian.monitoring import rollup
from wangjian.monitoring.models import Finding, FindingDayCount, FindingDayRolled
from wangjian.platform import statistics
from wangjian.platform.statistics import Scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(monkeypatch):
    """``today(dt.date)``: the site's clock reads noon of that day."""

    def _set(day: dt.date) -> None:
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)

    return _set


def raw(bureau_ids, start, end) -> int:
    return sum(
        f.bureau_id in bureau_ids and start <= timezone.localtime(f.first_seen).date() <= end
        for f in Finding.objects.all()
    )


def _another(data, day: dt.date, hour: str = "10:00") -> Finding:
    """A finding like one of the county's, first seen on ``day`` (a record written with an earlier date)."""
    model = Finding.objects.filter(bureau=data.demo.county).first()
    model.pk = None
    model.matched_key = model.matched = f"另一{day}{hour}"
    model.first_seen = at(day.isoformat(), hour)
    model.save()
    return model


def test_the_days_that_have_ended_are_kept_and_today_is_counted_live(data, today):
    county = frozenset({data.demo.county.pk})
    today(dt.date(2025, 3, 31))
    assert statistics.value("findings", Scope(county), START, END) == raw(county, START, END)
    kept = set(FindingDayRolled.objects.values_list("day", flat=True))
    assert kept == {START + dt.timedelta(days=i) for i in range(30)}  # 1–30 March: the 31st has not ended
    # what is kept is the rows' count, by day, bureau and category
    for row in FindingDayCount.objects.all():
        assert row.findings == sum(
            f.bureau_id == row.bureau_id
            and f.category == row.category
            and timezone.localtime(f.first_seen).date() == row.day
            for f in Finding.objects.all()
        )


def test_a_finding_written_later_on_a_kept_day_is_counted(data, today):
    county = frozenset({data.demo.county.pk})
    today(dt.date(2025, 4, 15))
    before = statistics.value("findings", Scope(county), START, END)
    assert FindingDayRolled.objects.filter(day=dt.date(2025, 3, 12)).exists()
    late = _another(data, dt.date(2025, 3, 12))
    assert not FindingDayRolled.objects.filter(day=dt.date(2025, 3, 12)).exists()  # forgotten, counted again
    assert statistics.value("findings", Scope(county), START, END) == before + 1 == raw(county, START, END)
    assert statistics.breakdown("findings", Scope(county), START, END)[late.category] >= 1
    late.delete()
    assert statistics.value("findings", Scope(county), START, END) == before


def test_a_deleted_presence_takes_its_findings_out_of_the_kept_days(data, today):
    city = frozenset(data.demo.city.descendant_ids())
    today(dt.date(2025, 4, 15))
    before = statistics.value("findings", Scope(city), START, END)
    presence = Finding.objects.filter(bureau=data.demo.county).order_by("first_seen").last().presence
    its = [
        f
        for f in Finding.objects.filter(presence=presence)
        if START <= timezone.localtime(f.first_seen).date() <= END
    ]
    assert its, "the presence has findings in the period"
    presence.delete()
    after = statistics.value("findings", Scope(city), START, END)
    assert after == raw(city, START, END) == before - len(its)


def test_months_and_categories_from_kept_days_match_the_rows(data, today):
    city = frozenset(data.demo.city.descendant_ids())
    today(dt.date(2025, 4, 10))  # February and March kept, April live from the 10th
    start, end = dt.date(2025, 2, 1), dt.date(2025, 4, 30)
    months = statistics.series("findings", Scope(city), statistics.month_periods(start, end))
    assert [n for _, n in months] == [raw(city, m.start, m.end) for m in statistics.month_periods(start, end)]
    split = statistics.breakdown("findings", Scope(city), start, end)
    assert sum(split.values()) == raw(city, start, end)


def test_two_requests_rolling_up_the_same_days_do_not_count_twice(data, today, monkeypatch):
    county = frozenset({data.demo.county.pk})
    today(dt.date(2025, 4, 15))
    real_runs = rollup._runs

    def another_request_first(days):
        # between this request's look at the kept days and its insert, another request keeps 12 March
        monkeypatch.setattr(rollup, "_runs", real_runs)
        rollup.roll_up(dt.date(2025, 3, 12), dt.date(2025, 3, 12))
        return real_runs(days)

    monkeypatch.setattr(rollup, "_runs", another_request_first)
    assert statistics.value("findings", Scope(county), START, END) == raw(county, START, END)  # counted live
    assert FindingDayRolled.objects.count() == 1
    assert statistics.value("findings", Scope(county), START, END) == raw(county, START, END)  # kept now
    assert FindingDayRolled.objects.count() == 31
