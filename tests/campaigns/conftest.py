"""The campaign tests share the clue tests' moments in Beijing time and stopped clock; a campaign of the
demo county (旌德县) with three units: 广告监管股, 旌阳所 and the bureau-wide figures of a department."""

import datetime as dt

import pytest

from tests.clues.conftest import at, clock, intake  # noqa: F401


@pytest.fixture
def campaign(demo, clock):  # noqa: F811
    from wangjian.campaigns.services import plan
    from wangjian.org.models import Department, Station

    clock(at("2025-09-01", "09:00"))
    office = demo.users["office"]
    made = plan.campaign_create(
        user=office,
        bureau=demo.county,
        title="2025年网络市场监管专项行动",
        year=2025,
        start=dt.date(2025, 9, 1),
        end=dt.date(2025, 11, 30),
        document_number="旌市场〔2025〕18号",
        summary_due=dt.date(2025, 12, 1),
    )
    ad = Department.objects.get(bureau=demo.county, name="广告监管股")
    station = Station.objects.get(bureau=demo.county, name="旌阳市场监管所")
    plan.unit_add(user=office, campaign=made, department=ad)
    plan.unit_add(user=office, campaign=made, station=station)
    return made
