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
    filed = cases.exclude(state__in=["draft", "pending", "not_filed"]).filter(procedure="general")
    assert all(c.number.startswith("旌市监立〔2025〕") for c in filed)
    # the penalty on the spot carries the number of its pre-printed form
    assert cases.get(procedure="simple").number == "旌市监当罚〔2025〕0001号"
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


def test_the_demo_shows_a_joint_group_measures_and_what_follows_a_decision(demo, loaded):
    from wangjian.cases.models import CaseMeasure, CaseRemedy, JointGroup

    group = JointGroup.objects.get(case__bureau=demo.county)
    bureaus = {m.user.bureau_id for m in group.members.all()}
    assert len(bureaus) == 2 and group.tasks.filter(state="done").exists() and group.journal.exists()
    assert CaseMeasure.objects.filter(
        case__bureau=demo.county, kind="seizure", ended_on__isnull=True
    ).exists()
    assert CaseRemedy.objects.filter(case__bureau=demo.county, outcome="upheld").exists()
    closed = Case.objects.get(bureau=demo.county, state="closed", procedure="general")
    assert closed.rectified and closed.paid_amount == 20000 and closed.discretion.exists()
