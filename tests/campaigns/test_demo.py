"""The demo campaign: in its third month, the earlier months' tables submitted, two units late.

The demo dates its campaign from today, so the test stops the clock on a day of a published year.
"""

import datetime as dt
import io

import pytest

from tests.clues.conftest import at
from wangjian.campaigns.models import Campaign, ReportState, UnitReport
from wangjian.platform.inbox.models import Message
from wangjian.platform.workitems.models import WorkItem

TODAY = dt.date(2025, 12, 10)


@pytest.fixture
def loaded(demo, clock):
    from wangjian.campaigns import demo as campaign_demo

    clock(at(TODAY.isoformat(), "15:00"))
    out = io.StringIO()
    campaign_demo.load(demo, out)
    campaign_demo.load(demo, out)  # a second run changes nothing
    return out.getvalue()


def test_the_demo_campaign_is_in_its_third_month_with_two_units_late(demo, loaded):
    campaign = Campaign.objects.get(bureau=demo.county)
    months = list(campaign.periods.filter(kind="month").order_by("start"))
    assert months[2].start <= TODAY <= months[2].end  # the third month
    assert campaign.units.count() == 5
    first, second, third = months[:3]
    assert first.reports.filter(state=ReportState.SUBMITTED, late=False).count() == 5
    assert second.reports.filter(state=ReportState.SUBMITTED).count() == 3
    late = UnitReport.objects.filter(period__campaign=campaign, late=True)
    assert sorted(str(r.unit) for r in late) == ["蔡家桥市场监管所", "食品经营监管股"]
    assert {r.period_id for r in late} == {second.pk}
    assert third.reports.filter(state=ReportState.DRAFT).exists()
    assert Message.objects.filter(user=demo.users["office"], title__contains="2个单位逾期未报送").exists()
    # a changed computed value kept with its reason
    edited = first.reports.get(unit__department__name="广告监管股").values.get(column="clues")
    assert edited.reason and edited.entered == edited.computed + 1
    # tasks are work items of the units; 督查 scores and 双十一
    assert WorkItem.objects.filter(kind="campaign.task", bureau=demo.county).count() == 5
    assert campaign.groups.get().scores.count() == 2
    assert campaign.key_periods.get().name == "双十一"
    assert "专项行动 / campaign" in loaded and "演示数据已存在" in loaded


def test_the_demo_campaign_pages_render(demo, loaded, login):
    campaign = Campaign.objects.get(bureau=demo.county)
    web = login(demo.users["office"])
    page = web.get(campaign.get_absolute_url()).content.decode()
    assert page.count("late") >= 2 and "双十一" in page
    second = campaign.periods.filter(kind="month").order_by("start")[1]
    month = web.get(second.get_absolute_url()).content.decode()
    assert "蔡家桥市场监管所" in month and 'id="late-units"' in month
    assert web.get(f"/campaigns/{campaign.pk}/summary/").status_code == 200
