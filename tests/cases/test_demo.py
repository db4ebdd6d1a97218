"""The demo cases: one at every stage of the procedure, each opened from a clue as a bureau does it.

The demo backdates its stories from today (up to 150 days), so the test stops the clock on a day of a
published year, after the clue demo (the cases demo runs after it, ``after=("clues",)``).
"""

import io

import pytest

from wangjian.cases.models import Case

from .conftest import at


@pytest.fixture
def loaded(demo, clock):
    from wangjian.cases import demo as case_demo
    from wangjian.clues import demo as clue_demo

    clock(at("2025-11-12", "15:00"))  # a Wednesday; 150 days back is 2025-06-15
    out = io.StringIO()
    clue_demo.load(demo, out)
    case_demo.load(demo, out)
    return out.getvalue()


def test_the_demo_has_a_case_at_every_stage(demo, loaded):
    cases = Case.objects.filter(bureau=demo.county)
    states = set(cases.values_list("state", flat=True))
    assert {"pending", "investigating", "notified", "served", "closed", "transferred", "not_filed"} <= states
    assert cases.filter(state="transferred", transfer_to_police=True).exists()
    assert cases.filter(state="closed", typical=True).exists()
    assert "案件 / cases:" in loaded


def test_the_demo_has_an_overdue_case_marked_by_the_follow_up(demo, loaded):
    cases = Case.objects.filter(bureau=demo.county)
    overdue = [c for c in cases if c.overdue]
    assert overdue and all(c.decision_overdue for c in overdue)
    assert all(c.events.filter(action="overdue").exists() for c in overdue)


def test_the_demo_cases_are_numbered_and_run_their_clocks(demo, loaded):
    cases = Case.objects.filter(bureau=demo.county)
    filed = cases.exclude(state__in=["draft", "pending", "not_filed"])
    assert all(c.number.startswith("旌市监立〔2025〕") for c in filed)
    assert all(c.decision_due for c in filed.filter(state="investigating") if not c.stopped_since)
    assert cases.filter(
        stopped_since__isnull=False, decision_due__isnull=True
    ).exists()  # a sample at the lab
    assert cases.filter(extension_days=30).exists()
    assert cases.filter(state="not_filed", clue__disposal="no_action").exists()


def test_loading_the_demo_again_adds_nothing(demo, loaded):
    from wangjian.cases import demo as case_demo

    count = Case.objects.count()
    out = io.StringIO()
    case_demo.load(demo, out)
    assert Case.objects.count() == count
    assert "案件演示数据已存在" in out.getvalue()
