"""Probes of the campaign rows for tests/platform/test_permission_matrix.py's ``PROBES``:

    from tests.campaigns import probes as campaign_probes
    CAMPAIGN_READ: Probe(_opens("campaigns:campaign_list"), campaign_probes.read_api),
    CAMPAIGN_MANAGE: Probe(campaign_probes.manage_page, campaign_probes.manage_api),
    CAMPAIGN_REPORT: Probe(campaign_probes.report_page, campaign_probes.report_api),

Each takes the matrix's cell (a user of their own bureau, logged in on the page and holding a token) and
answers whether the step went through; a refusal is the 403 of the table's row.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse


def read_api(cell) -> bool:
    status = cell.api.get("/api/campaigns/campaigns/").status_code
    assert status in (200, 403), status
    return status == 200


def manage_page(cell) -> bool:
    from wangjian.campaigns.models import Campaign

    title = cell.name("矩阵专项行动")
    response = cell.web.post(
        reverse("campaigns:campaign_list"),
        {"title": title, "year": "2025", "start": "2025-09-01", "end": "2025-11-30"},
    )
    assert response.status_code in (302, 403), response.status_code
    return Campaign.objects.filter(title=title).exists()


def manage_api(cell) -> bool:
    """A campaign of the user's bureau, its plan corrected through ``PATCH`` (or refused by the table)."""
    from wangjian.campaigns.models import Campaign

    campaign = Campaign.objects.create(
        bureau=cell.bureau,
        title=cell.name("矩阵专项行动"),
        year=2025,
        start=dt.date(2025, 9, 1),
        end=dt.date(2025, 11, 30),
    )
    title = cell.name("矩阵改名行动")
    response = cell.api.patch(f"/api/campaigns/campaigns/{campaign.pk}/", {"title": title}, format="json")
    assert response.status_code in (200, 403), response.status_code
    campaign.refresh_from_db()
    return campaign.title == title


def _own_report(cell):
    """A table of the user's own unit (station, else department, else the bureau's office) in a campaign of
    the user's bureau."""
    from wangjian.campaigns.models import Campaign, CampaignUnit
    from wangjian.campaigns.services import periods, tables

    campaign = Campaign.objects.create(
        bureau=cell.bureau,
        title=cell.name("矩阵行动"),
        year=2025,
        start=dt.date(2025, 9, 1),
        end=dt.date(2025, 9, 30),
    )
    periods.periods_make(campaign=campaign)
    user = cell.user
    if user.station_id:
        unit = CampaignUnit.objects.create(campaign=campaign, station_id=user.station_id)
    else:
        unit = CampaignUnit.objects.create(
            campaign=campaign, department=user.department or cell.bureau.office()
        )
    return tables.report_for(period=campaign.periods.get(), unit=unit)


def report_page(cell) -> bool:
    report = _own_report(cell)
    response = cell.web.post(
        reverse("campaigns:report", args=[report.pk]), {"text": "矩阵说明", "action": "save"}
    )
    assert response.status_code in (302, 403), response.status_code
    report.refresh_from_db()
    return report.text == "矩阵说明"


def report_api(cell) -> bool:
    from wangjian.campaigns.services import tables

    report = _own_report(cell)
    values = {c.column.key: "1" for c in tables.cells(report) if c.computed is None}
    response = cell.api.post(
        f"/api/campaigns/tables/{report.pk}/submit/", {"values": values, "text": "矩阵说明"}, format="json"
    )
    assert response.status_code in (200, 403), response.status_code
    return response.status_code == 200
