"""The pages and the API: the same services, the same refusals in the same words; the demo."""

from __future__ import annotations

from io import StringIO

from django.urls import reverse

from tests.reporting.conftest import FAKE, at
from wangjian.reporting import services
from wangjian.reporting.choices import ReportState
from wangjian.reporting.models import Report, ReportTemplate


def _messages(response) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


def test_an_unexplained_correction_is_refused_in_the_same_words_on_the_page_and_the_api(
    demo, staff, october, client, api, clock
):
    clock(at("2025-11-05"))
    report = october[demo.county.code]
    client.force_login(staff["office"])
    page = client.post(
        reverse("reporting:report", args=[report.pk]),
        {"action": "submit", f"v_{FAKE}": "99", f"r_{FAKE}": ""},
        follow=True,
    )
    answer = api(staff["office"]).post(
        f"/api/reporting/reports/{report.pk}/submit/", {"corrections": {FAKE: {"value": "99"}}}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["zh"] in _messages(page)
    report.refresh_from_db()
    assert report.state == ReportState.OPEN


def test_the_reporting_bureau_may_not_review_itself_on_the_page_or_through_the_api(
    demo, staff, october, client, api, clock
):
    clock(at("2025-11-05"))
    report = october[demo.county.code]
    services.report_submit(report=report, user=staff["office"], now=at("2025-11-05"))
    client.force_login(staff["office"])
    page = client.post(reverse("reporting:report", args=[report.pk]), {"action": "accept"})
    answer = api(staff["office"]).post(
        f"/api/reporting/reports/{report.pk}/review/", {"decision": "accept"}, format="json"
    )
    assert page.status_code == answer.status_code == 403
    assert answer.json()["error"]["zh"] in page.content.decode()


def test_a_station_user_is_refused_by_the_permission_table_on_both(demo, staff, october, client, api, clock):
    clock(at("2025-11-05"))
    report = october[demo.county.code]
    client.force_login(staff["station_officer"])
    page = client.post(reverse("reporting:report", args=[report.pk]), {"action": "submit"})
    answer = api(staff["station_officer"]).post(
        f"/api/reporting/reports/{report.pk}/submit/", {}, format="json"
    )
    assert page.status_code == answer.status_code == 403
    assert answer.json()["error"]["detail"] == {"permission": "reporting.read"}
    assert answer.json()["error"]["zh"] in page.content.decode()


def test_the_office_submits_on_the_page_and_the_city_returns_and_accepts_through_the_api(
    demo, staff, october, client, api, clock
):
    clock(at("2025-11-05"))
    report = october[demo.county.code]
    client.force_login(staff["office"])
    detail = client.get(reverse("reporting:report", args=[report.pk]))
    assert "测试口径" in detail.content.decode()
    client.post(reverse("reporting:report", args=[report.pk]), {"action": "submit", f"n_{FAKE}": "见说明"})
    city = api(staff["city_office"])
    returned = city.post(
        f"/api/reporting/reports/{report.pk}/review/",
        {"decision": "return", "reason": "请核对"},
        format="json",
    )
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    client.post(reverse("reporting:report", args=[report.pk]), {"action": "submit"})
    accepted = city.post(f"/api/reporting/reports/{report.pk}/review/", {"decision": "accept"}, format="json")
    body = accepted.json()
    assert body["state"] == "accepted" and [r["number"] for r in body["revisions"]] == [1, 2]
    client.force_login(staff["city_office"])
    overview = client.get(
        reverse("reporting:overview"), {"template": report.template_id, "period": "2025-10"}
    )
    assert overview.status_code == 200 and demo.county.name in overview.content.decode()
    sheet = client.get(
        reverse("reporting:overview"), {"template": report.template_id, "period": "2025-10", "export": "xlsx"}
    )
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    summary = city.get(
        f"/api/reporting/templates/{report.template_id}/overview/", {"period": "2025-10"}
    ).json()
    assert summary["totals"][FAKE] == "20" and summary["accepted"] == 1


def test_the_city_defines_a_template_and_neither_a_county_nor_an_officer_may(demo, staff, api, client):
    data = {"name": "季度报送", "figures": ["clues_received"], "period_kind": "quarter", "due_days": 10}
    county = api(staff["office"]).post(
        "/api/reporting/templates/", {**data, "bureau": demo.city.pk}, format="json"
    )
    assert county.status_code == 403, county.json()
    assert "本局办公室" in county.json()["error"]["zh"]
    made = api(staff["city_office"]).post(
        "/api/reporting/templates/", {**data, "bureau": demo.city.pk}, format="json"
    )
    assert made.status_code == 201, made.json()
    assert made.json()["key"] == "quarter-1"
    officer = api(staff["ad_officer"]).post("/api/reporting/templates/", data, format="json")
    client.force_login(staff["ad_officer"])
    page = client.post(reverse("reporting:template_list"), {**data, "due_days": "10"})
    assert page.status_code == officer.status_code == 403
    assert officer.json()["error"]["zh"] in page.content.decode()


def test_the_demo_has_an_accepted_a_returned_and_open_reports(demo):
    from wangjian.reporting import demo as reporting_demo

    out = StringIO()
    reporting_demo.load(demo, out)
    template = ReportTemplate.objects.get(bureau=demo.city)
    states = sorted(Report.objects.filter(template=template).values_list("bureau__code", "state"))
    assert (demo.county.code, ReportState.ACCEPTED) in states
    assert (demo.other_county.code, ReportState.RETURNED) in states
    assert sum(1 for _c, s in states if s == ReportState.OPEN) == 2
    returned = Report.objects.get(template=template, bureau=demo.other_county, state=ReportState.RETURNED)
    assert returned.revisions.get().review_comment


def test_the_lists_and_the_template_page_open_for_the_office_and_the_city(
    demo, staff, october, client, clock
):
    clock(at("2025-11-05"))
    report = october[demo.county.code]
    client.force_login(staff["office"])
    mine = client.get(reverse("reporting:report_list")).content.decode()
    assert report.get_absolute_url() in mine
    assert client.get(reverse("reporting:template", args=[report.template_id])).status_code == 200
    client.force_login(staff["city_office"])
    listing = client.get(reverse("reporting:template_list")).content.decode()
    assert "制定报送事项" in listing and report.template.name in listing
    page = client.get(reverse("reporting:template", args=[report.template_id])).content.decode()
    assert "测试口径" in page and demo.other_county.name in page
    assert client.get(reverse("reporting:report_list")).status_code == 200
