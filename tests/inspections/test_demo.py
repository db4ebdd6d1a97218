"""The demo loader publishes a plan and makes one draw that re-runs to the same result."""

from __future__ import annotations

from wangjian.inspections import demo as inspections_demo
from wangjian.inspections.choices import DrawState
from wangjian.inspections.models import Draw
from wangjian.inspections.services import draw_rerun


def test_the_demo_makes_a_published_draw_with_a_confirmed_value_that_reruns(demo, shops):
    shops(30)
    inspections_demo.load(demo)
    draw = Draw.objects.get(plan__title=inspections_demo.PLAN_TITLE)
    assert draw.state == DrawState.DRAWN and draw.value_entered_by != draw.value_confirmed_by
    assert draw_rerun(draw).ok
    inspections_demo.load(demo)  # idempotent
    assert Draw.objects.filter(plan__title=inspections_demo.PLAN_TITLE).count() == 1


def test_the_demo_checks_every_drawn_object_records_its_results_and_publishes_them(demo, shops, clock):
    """Shops off loopback are not fetched: their checks say so, and the results say how they were verified."""
    import datetime as dt

    from tests.inspections.conftest import BEIJING
    from wangjian.inspections.models import InspectionResult, OnlineCheck
    from wangjian.inspections.services import check_outcome

    clock(dt.datetime(2025, 9, 10, 10, 0, tzinfo=BEIJING))
    shops(10)
    inspections_demo.load(demo)
    draw = Draw.objects.get(plan__title=inspections_demo.PLAN_TITLE)
    checks = OnlineCheck.objects.filter(drawn__draw=draw)
    assert checks.count() == draw.objects_count > 0
    assert {check_outcome(c) for c in checks} == {"failed"} and not any(c.violation for c in checks)
    results = InspectionResult.objects.filter(drawn__draw=draw)
    assert results.count() == draw.objects_count and all(r.published_at for r in results)
    assert all("另行核查" in r.note for r in results)
    draw.plan.refresh_from_db()
    assert draw.plan.results_published_at is not None
