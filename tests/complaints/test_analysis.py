"""The analysis reconciles with the records it counts; repeated complaints are flagged by the office's threshold."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from tests.clues.conftest import at
from wangjian.complaints.models import Complaint, ComplaintSettings
from wangjian.complaints.services import analysis as analysis_services
from wangjian.complaints.services.intake import complaint_register
from wangjian.core.errors import PermissionDeniedError, ValidationFailed


@pytest.fixture
def register(demo):
    def _register(on: str, **values):
        values.setdefault("kind", "complaint")
        values.setdefault("received_on", dt.date.fromisoformat(on))
        values.setdefault("person_name", "张小花")
        values.setdefault("person_phone", "13900001111")
        values.setdefault("respondent_name", "旌德县优品百货网店")
        values.setdefault("respondent_uscc", "92341825MA2COMP01X")
        values.setdefault("respondent_region", "341825100")
        values.setdefault("platform_name", "某电商平台")
        values.setdefault("category", "家用电器")
        values.setdefault("summary", "电水壶漏电")
        return complaint_register(
            user=demo.users["office"], bureau=demo.county, values=values, now=at(on, "10:00")
        )

    return _register


def test_the_figures_reconcile_with_the_records(demo, register):
    register("2025-10-09")
    register("2025-10-20", category="服装")
    register("2025-11-03", kind="report", person_name="", person_phone="", domain="product_quality")
    register("2025-11-04", platform_name="另一平台", respondent_name="旌德县某店", respondent_uscc="")
    a = analysis_services.analysis(bureau=demo.county, start=dt.date(2025, 10, 1), end=dt.date(2025, 11, 30))
    records = Complaint.objects.filter(bureau=demo.county)
    assert a.total == records.count() == 4 and (a.complaints, a.reports) == (3, 1)
    assert a.by_month == [("2025-10", 2, 0), ("2025-11", 1, 1)]
    assert dict(a.by_category)["家用电器"] == 3 and dict(a.by_platform)["某电商平台"] == 3
    assert a.top_respondents[0] == ("旌德县优品百货网店", "92341825MA2COMP01X", 3)


def test_a_business_complained_about_3_times_within_90_days_is_flagged_and_the_office_sets_the_rule(
    demo, register
):
    for day in ("2025-08-01", "2025-10-01", "2025-10-20"):
        register(day)
    # 08-01 is more than 90 days before 11-01: two within the window, not flagged
    assert analysis_services.repeated(bureau=demo.county, today=dt.date(2025, 11, 1)) == []
    register("2025-10-30")
    assert analysis_services.repeated(bureau=demo.county, today=dt.date(2025, 11, 1)) == [
        ("旌德县优品百货网店", "92341825MA2COMP01X", 3)
    ]
    office = demo.users["office"]
    analysis_services.settings_set(
        bureau=demo.county, user=office, repeat_threshold=4, repeat_days=120, retention_years=3
    )
    assert ComplaintSettings.objects.get(bureau=demo.county).repeat_days == 120
    assert analysis_services.repeated(bureau=demo.county, today=dt.date(2025, 11, 1)) == [
        ("旌德县优品百货网店", "92341825MA2COMP01X", 4)
    ]
    with pytest.raises(ValidationFailed, match="之间"):
        analysis_services.settings_set(
            bureau=demo.county, user=office, repeat_threshold=1, repeat_days=90, retention_years=3
        )
    with pytest.raises(PermissionDeniedError):
        analysis_services.settings_set(
            bureau=demo.county,
            user=demo.users["ad_officer"],
            repeat_threshold=3,
            repeat_days=90,
            retention_years=3,
        )


def test_the_analysis_page_draws_its_charts_from_data_and_exports_excel(demo, register, login, clock):
    register("2025-10-09")
    clock(at("2025-11-12", "10:00"))
    office = login(demo.users["office"])
    page = office.get("/complaints/analysis/?start=2025-10-01&end=2025-11-30")
    body = page.content.decode()
    assert page.status_code == 200 and 'data-chart="bar"' in body and 'id="chart-months"' in body
    assert "vendor/echarts.min.js" in body and "<script>" not in body  # no inline script (CSP)
    xlsx = office.get("/complaints/analysis/?start=2025-10-01&end=2025-11-30&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert login(demo.users["station_officer"]).get("/complaints/analysis/").status_code == 403


def test_the_office_drafts_a_consumer_warning_from_the_analysis_naming_kinds_not_businesses(
    demo, register, login, clock
):
    from wangjian.org.models import Notice

    register("2025-10-09")
    register("2025-10-20", category="服装")
    clock(at("2025-11-12", "10:00"))
    office = login(demo.users["office"])
    response = office.post("/complaints/analysis/warning/", {"start": "2025-10-01", "end": "2025-10-31"})
    notice = Notice.objects.get(bureau=demo.county, title__startswith="消费提示")
    assert response.status_code == 302 and response["Location"].endswith(f"/notices/{notice.pk}/edit/")
    assert (
        notice.published_at is None and "家用电器（1件）" in notice.body and "七日内无理由退货" in notice.body
    )
    assert "旌德县优品百货网店" not in notice.body
    refused = login(demo.users["leader"]).post(
        "/complaints/analysis/warning/", {"start": "2025-10-01", "end": "2025-10-31"}
    )
    assert refused.status_code == 302 and Notice.objects.filter(title__startswith="消费提示").count() == 1


def test_the_api_gives_the_pages_figures(demo, register, api):
    register("2025-10-09")
    body = (
        api(demo.users["office"])
        .get("/api/complaints/complaints/analysis/?start=2025-10-01&end=2025-10-31")
        .json()
    )
    assert body["complaints"] == 1 and body["by_month"] == [
        {"month": "2025-10", "complaints": 1, "reports": 0}
    ]
    assert body["by_category"] == [{"name": "家用电器", "count": 1}]
    assert api(demo.users["station_officer"]).get("/api/complaints/complaints/analysis/").status_code == 403


def test_the_page_lists_the_most_complained_about_first_and_says_how_many_more_the_excel_holds(
    demo, register, login, monkeypatch
):
    for day in ("2025-10-01", "2025-10-10", "2025-10-20", "2025-10-25"):
        register(day)  # four about 优品百货
    for day in ("2025-10-02", "2025-10-12", "2025-10-22"):
        register(day, respondent_name="旌德县另一网店", respondent_uscc="")  # three about 另一网店
    monkeypatch.setattr(analysis_services, "REPEATED_SHOWN", 1)
    a = analysis_services.analysis(
        bureau=demo.county, start=dt.date(2025, 10, 1), end=dt.date(2025, 10, 31), repeated_shown=1
    )
    assert a.repeated_total == 2 and a.repeated == [("旌德县优品百货网店", "92341825MA2COMP01X", 4)]
    web = login(demo.users["office"])
    query = {"start": "2025-10-01", "end": "2025-10-31"}
    page = web.get("/complaints/analysis/", query).content.decode()
    assert (
        "共2家，按件数显示前1家" in page
        and "旌德县另一网店" not in page.split('id="analysis-repeated"')[1].split("</table>")[0]
    )
    xlsx = web.get("/complaints/analysis/", {**query, "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content))["重复投诉提示"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "旌德县优品百货网店",
        "旌德县另一网店",
    ]
