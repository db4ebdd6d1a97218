"""The REST API: token authentication, an OpenAPI 3 schema with offline docs, the calendar, routing."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from rest_framework.test import APIClient

from tests.org import demo_once as shared

# The demo organisation built once per module (see tests/org/demo_once.py).
demo, demo_once, fast_password_hashing = shared.demo, shared.demo_once, shared.fast_password_hashing

ORG_PATHS = ["/api/org/bureaus/", "/api/org/departments/", "/api/org/stations/", "/api/org/duty-rules/"]


@pytest.fixture
def officer(demo, api):
    return api(demo.users["ad_officer"])


def assert_error(response, status=400):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["zh"] and error["en"]
    return error


# ------------------------------------------------------------------ authentication


@pytest.mark.parametrize("path", ORG_PATHS + ["/api/calendar/add/?start=2025-09-26&n=7", "/api/calendar/"])
def test_every_endpoint_needs_a_token(demo, path):
    assert APIClient().get(path).status_code == 401


def test_a_wrong_token_is_refused(demo):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert client.get("/api/org/bureaus/").status_code == 401


def test_a_token_of_a_deactivated_user_is_refused(demo, api):
    client = api(demo.users["ad_officer"])
    demo.users["ad_officer"].is_active = False
    demo.users["ad_officer"].save()
    assert client.get("/api/org/bureaus/").status_code == 401


def test_a_valid_token_reads(officer):
    assert officer.get("/api/org/bureaus/").status_code == 200


# ------------------------------------------------------------------ schema and docs


def test_the_schema_is_openapi_3_with_the_org_and_calendar_paths(officer):
    response = officer.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"title", "version"} <= set(schema["info"])
    paths = schema["paths"]
    for path in ORG_PATHS + [p + "{id}/" for p in ORG_PATHS]:
        assert path in paths, path
    assert "/api/org/bureaus/{id}/responsible/" in paths
    assert "/api/calendar/add/" in paths and "/api/calendar/between/" in paths
    assert {"get", "post"} <= set(paths["/api/org/departments/"])
    params = {p["name"] for p in paths["/api/calendar/add/"]["get"]["parameters"]}
    assert {"start", "n"} <= params
    # every $ref points at a defined component
    defined = set(schema["components"]["schemas"])
    refs = set(re.findall(r'"#/components/schemas/([^"]+)"', response.content.decode()))
    assert refs and refs <= defined


@pytest.mark.parametrize("page", ["/api/schema/", "/api/docs/", "/api/redoc/"])
def test_the_schema_and_its_docs_are_for_signed_in_staff_and_tokens_only(client, page):
    assert client.get(page).status_code in (401, 403)


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_the_api_docs_use_only_local_assets(demo, login, page):
    response = login(demo.users["ad_officer"]).get(page)
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.findall(r"https?://", html), "a CDN or web font would break on an offline bureau network"
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith(".js") for a in assets)
    for asset in assets:
        if asset.startswith(f"{page}?script"):
            continue  # the page's own initialiser, served apart (the CSP allows no inline script)
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not shipped"


# ------------------------------------------------------------------ calendar


def test_add_working_days_answers_the_issue_example(officer):
    response = officer.get("/api/calendar/add/", {"start": "2025-09-26", "n": 7})
    assert response.status_code == 200
    body = response.json()
    assert body["result"] == "2025-10-13"
    skipped = [day for day, _ in body["skipped"]]
    assert "2025-10-01" in skipped and "2025-10-08" in skipped  # National Day holidays are not counted


def test_between_counts_the_issue_example(officer):
    response = officer.get("/api/calendar/between/", {"a": "2025-09-26", "b": "2025-10-13"})
    assert response.status_code == 200 and response.json()["result"] == 7


@pytest.mark.parametrize(
    "path, params, names",
    [
        ("/api/calendar/add/", {"start": "2025-02-30", "n": 7}, "start"),
        ("/api/calendar/add/", {"start": "2025-09-26", "n": "seven"}, "n"),
        ("/api/calendar/add/", {"n": 7}, "start"),
        ("/api/calendar/between/", {"a": "2025-09-26"}, "b"),
        ("/api/calendar/between/", {"a": "26/09/2025", "b": "2025-10-13"}, "a"),
    ],
)
def test_bad_calendar_parameters_get_400_naming_the_parameter(officer, path, params, names):
    error = assert_error(officer.get(path, params))
    assert names in error["zh"] and names in error["en"]


def test_a_year_nobody_entered_gets_a_clear_error_naming_the_year(officer):
    error = assert_error(officer.get("/api/calendar/add/", {"start": "2031-03-02", "n": 3}))
    assert "2031" in error["zh"] and "2031" in error["en"]


def test_the_calendar_lists_entered_arrangements(officer, demo):
    from wangjian.core.services import arrangement_import

    arrangement_import(content="date,kind,name\n2027-01-01,holiday,元旦\n", filename="2027.csv")
    response = officer.get("/api/calendar/2027/")
    assert response.status_code == 200
    assert response.json()["days"] == [{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}]


# ------------------------------------------------------------------ who is responsible


def test_responsible_names_the_station_and_the_duty_rule(demo, officer):
    from wangjian.org.models import DutyRule

    rule = DutyRule.objects.get(bureau=demo.county, domain="online_food", role="lead")
    response = officer.get(
        f"/api/org/bureaus/{demo.county.pk}/responsible/",
        {"domain": "online_food", "region_code": "341825106201"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["unit_type"] == "station" and body["unit_name"] == "旌阳市场监管所"
    assert body["rule_id"] == rule.pk and body["gap"] is False and body["territory_code"] == "341825106"
    assert f"#{rule.pk}" in body["reason_zh"]


def test_responsible_without_region_names_the_department(demo, officer):
    body = officer.get(
        f"/api/org/bureaus/{demo.county.pk}/responsible/", {"domain": "internet_advertising"}
    ).json()
    assert (body["unit_type"], body["unit_name"], body["gap"]) == ("department", "广告监管股", False)


@pytest.mark.parametrize("params", [{"domain": "astrology"}, {}])
def test_responsible_with_an_unknown_or_missing_domain_is_a_400(demo, officer, params):
    assert_error(officer.get(f"/api/org/bureaus/{demo.county.pk}/responsible/", params))
