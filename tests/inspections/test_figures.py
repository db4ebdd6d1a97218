"""The inspections figures count what the rows say: objects drawn, checked and results published, by period."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.inspections import test_objections
from wangjian.inspections.choices import ResultCategory
from wangjian.inspections.models import DrawnObject, InspectionResult
from wangjian.platform import statistics
from wangjian.platform.statistics import Scope

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
published_result = test_objections.published_result  # a published round of one object (the fixture)


def test_a_published_round_counts_drawn_checked_and_published_in_their_own_periods(published_result, demo):
    county, other = Scope(frozenset({demo.county.pk})), Scope(frozenset({demo.other_county.pk}))
    drawn = DrawnObject.objects.filter(draw__bureau=demo.county).count()
    assert drawn == 1
    assert statistics.value("inspections_drawn", county, *YEAR) == drawn
    assert statistics.value("inspections_checked", county, *YEAR) == 1
    assert statistics.value("inspections_published", county, *YEAR) == InspectionResult.objects.count() == 1
    assert statistics.value("inspections_drawn", other, *YEAR) == 0
    # each is dated by its own day: drawn 28 August, checked 10 September, published 20 October
    assert statistics.value("inspections_drawn", county, dt.date(2025, 8, 28), dt.date(2025, 8, 28)) == 1
    assert statistics.value("inspections_drawn", county, dt.date(2025, 8, 29), dt.date(2025, 12, 31)) == 0
    assert statistics.value("inspections_checked", county, dt.date(2025, 9, 1), dt.date(2025, 9, 9)) == 0
    assert statistics.value("inspections_checked", county, dt.date(2025, 9, 10), dt.date(2025, 9, 10)) == 1
    assert statistics.value("inspections_published", county, dt.date(2025, 10, 1), dt.date(2025, 10, 19)) == 0
    assert (
        statistics.value("inspections_published", county, dt.date(2025, 10, 20), dt.date(2025, 10, 31)) == 1
    )


def test_published_results_are_split_by_their_current_category(published_result, demo):
    county = Scope(frozenset({demo.county.pk}))
    split = statistics.breakdown("inspections_published", county, *YEAR)
    assert split == {ResultCategory.FALSE_INFO.value: 1}
    InspectionResult.objects.filter(pk=published_result.pk).update(category=ResultCategory.NO_PROBLEM)
    assert statistics.breakdown("inspections_published", county, *YEAR) == {
        ResultCategory.NO_PROBLEM.value: 1
    }


def test_the_objects_drawn_link_to_the_draws_that_drew_them(published_result, demo, login, api):
    """The draw list filtered as ``inspections_drawn`` links it shows the draws whose objects the figure counts."""
    county = Scope(frozenset({demo.county.pk}))
    url = statistics.get("inspections_drawn").records_url(county, *YEAR)
    page = login(demo.users["office"]).get(url)
    assert page.status_code == 200
    draws = list(page.context["filter"].qs)
    assert [d.pk for d in draws] == [published_result.drawn.draw_id]
    assert DrawnObject.objects.filter(draw__in=draws).count() == statistics.value(
        "inspections_drawn", county, *YEAR
    )
    answer = api(demo.users["office"]).get(f"/api/inspections/draws/?{url.split('?', 1)[1]}")
    assert [r["id"] for r in answer.json()["results"]] == [published_result.drawn.draw_id]
    # a day without a draw lists none, as the figure counts none
    later = statistics.get("inspections_drawn").records_url(
        county, dt.date(2025, 8, 29), dt.date(2025, 12, 31)
    )
    assert not login(demo.users["office"]).get(later).context["filter"].qs.exists()
