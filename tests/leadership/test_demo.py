"""The demo's leading group: a year's plan with some tasks done, a meeting with open 纪要 items (one overdue
and pressed), summaries partly in (one late), an assessment with criteria, activities.

The demo backdates from today, so the test stops the clock on a Wednesday of a published year."""

import io

import pytest

from tests.clues.conftest import at
from wangjian.leadership import services
from wangjian.leadership.models import Activity, AnnualPlan, Meeting
from wangjian.platform.workitems.models import WorkItemState

TODAY = "2025-12-10"


@pytest.fixture
def loaded(demo, clock):
    from wangjian.leadership import demo as leadership_demo

    clock(at(TODAY, "15:00"))
    out = io.StringIO()
    leadership_demo.load(demo, out)
    return out.getvalue()


def test_the_demo_has_a_year_of_the_leading_group(demo, loaded):
    assert "领导小组 / leading group" in loaded and "纪要 旌市监网监纪〔2025〕1号" in loaded
    plan = AnnualPlan.objects.get(bureau=demo.county, year=2025)
    states = [t.work_item.state for t in plan.tasks.select_related("work_item")]
    assert states.count(WorkItemState.DONE) == 2 and states.count(WorkItemState.OPEN) == 2
    meeting = Meeting.objects.get(bureau=demo.county, kind="plenary")
    assert meeting.summary_number
    decisions = {d.seq: d.work_item for d in meeting.decisions.select_related("work_item")}
    assert decisions[1].state == WorkItemState.DONE
    assert (
        decisions[2].state == WorkItemState.OPEN
        and decisions[2].overdue
        and decisions[2].escalations.exists()
    )
    assert decisions[3].state == WorkItemState.OPEN and not decisions[3].overdue
    joint = Meeting.objects.get(bureau=demo.county, kind="joint")
    assert not joint.summary_number and len(joint.outside_list()) == 3
    submitted = plan.summaries.exclude(submitted_at=None)
    assert submitted.count() == 2 and submitted.filter(late=True).count() == 1
    assert plan.summaries.filter(submitted_at=None).exists()
    criteria, rows = services.assessment_table(plan)
    assert [c.name for c in criteria] == ["线索按期反馈率", "立案数", "培训宣传和信息报送"] and rows
    assert Activity.objects.filter(bureau=demo.county).count() == 2


def test_the_demo_loads_once(demo, loaded):
    from wangjian.leadership import demo as leadership_demo

    out = io.StringIO()
    leadership_demo.load(demo, out)
    assert "已存在" in out.getvalue() and AnnualPlan.objects.filter(bureau=demo.county).count() == 1
