"""Row builders of the campaign models for tests/platform/test_views_generated.py's ``BUILDERS``:
``from tests.campaigns.builders import CAMPAIGN_BUILDERS`` and ``**CAMPAIGN_BUILDERS`` in the dict.

Each row is in 旌德县 (``rows.county``) and visible to its office; rows are made directly (the services'
rules are the campaign tests')."""

from __future__ import annotations

import datetime as dt

from wangjian.org.choices import DepartmentKind as K
from wangjian.org.models import Department


def _campaign(rows, n: int):
    from wangjian.campaigns.models import Campaign

    return Campaign.objects.create(
        bureau=rows.county,
        title=f"网络市场专项行动{n}",
        year=2025,
        start=dt.date(2025, 9, 1),
        end=dt.date(2025, 11, 30),
        document_number=f"旌市场〔2025〕{n + 1}号",
    )


def _unit(campaign, rows):
    from wangjian.campaigns.models import CampaignUnit

    department = Department.objects.get(bureau=rows.county, kind=K.ADVERTISING)
    return CampaignUnit.objects.get_or_create(campaign=campaign, department=department)[0]


def _period(rows, n: int, campaign=None):
    from wangjian.campaigns.models import Period

    campaign = campaign or _campaign(rows, n)
    return Period.objects.create(
        campaign=campaign,
        kind="month",
        start=dt.date(2025, 9, 1),
        end=dt.date(2025, 9, 30),
        due=dt.date(2025, 9, 28),
        due_basis="2025-09-28，工作日",
    )


def _task(rows, n: int):
    from wangjian.campaigns.models import CampaignTask

    campaign = _campaign(rows, n)
    return CampaignTask.objects.create(
        campaign=campaign,
        unit=_unit(campaign, rows),
        title=f"排查直播带货虚假宣传{n}",
        due=dt.date(2025, 10, 31),
    )


def _report(rows, n: int):
    from wangjian.campaigns.models import UnitReport

    campaign = _campaign(rows, n)
    return UnitReport.objects.create(
        period=_period(rows, n, campaign), unit=_unit(campaign, rows), text=f"说明{n}"
    )


CAMPAIGN_BUILDERS = {
    "campaigns.campaign": _campaign,
    "campaigns.campaigntask": _task,
    "campaigns.period": _period,
    "campaigns.unitreport": _report,
}
