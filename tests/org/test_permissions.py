"""Scoping: staff see their own bureau and those below it, and only the office administrator changes it.

The same rule holds for the pages and the REST API (``org.selectors``): an officer of
旌德县 never reads or changes 绩溪县's organisation, whatever URL or payload is sent.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from wangjian.org.choices import DepartmentKind as K
from wangjian.org.models import Department, DutyRule, LeadingGroup, Station, User


@pytest.fixture
def jixi(demo):
    """Rows of 绩溪县 (the other county) with names found nowhere else."""
    return {
        "department": Department.objects.create(
            bureau=demo.other_county, name="绩溪县专项整治办", kind=K.ENFORCEMENT
        ),
        "station": Station.objects.get(bureau=demo.other_county),
        "dutyrule": DutyRule.objects.filter(bureau=demo.other_county).first(),
        "user": demo.users["jixi_officer"],
        "bureau": demo.other_county,
        "leading_group": LeadingGroup.objects.get(bureau=demo.other_county),
    }


def urls(prefix: str, pk: int) -> dict[str, str]:
    return {
        "detail": reverse(f"org:{prefix}", args=[pk]),
        "edit": reverse(f"org:{prefix}_edit", args=[pk]),
        "delete": reverse(f"org:{prefix}_delete", args=[pk]),
        "changelog": reverse(f"org:{prefix}_changelog", args=[pk]),
    }


# ------------------------------------------------------------------ the pages

OTHER_BUREAU_ROWS = ["department", "station", "dutyrule", "user", "bureau"]


@pytest.mark.parametrize("who", ["ad_officer", "office", "auditor", "station_officer"])
@pytest.mark.parametrize("what", OTHER_BUREAU_ROWS)
def test_another_bureaus_rows_are_not_found_through_any_page(demo, login, jixi, who, what):
    client = login(demo.users[who])
    for action, url in urls(what, jixi[what].pk).items():
        assert client.get(url).status_code == 404, (action, url)
        if action in ("edit", "delete"):
            assert client.post(url, {"name": "改名"}).status_code == 404, (action, url)
    assert Department.objects.filter(name="绩溪县专项整治办").exists()
    assert User.objects.filter(username="jixi_officer", is_active=True).exists()


def test_another_bureaus_leading_group_is_not_found(demo, login, jixi):
    client = login(demo.users["office"])
    assert client.get(reverse("org:leading_group", args=[jixi["leading_group"].pk])).status_code == 404
    post = client.post(reverse("org:liaison_set", args=[jixi["leading_group"].pk]), {})
    assert post.status_code == 404


@pytest.mark.parametrize(
    "list_name, foreign_text",
    [
        ("org:department_list", "绩溪县专项整治办"),
        ("org:station_list", "华阳市场监管所"),
        ("org:user_list", "jixi_officer"),
        ("org:dutyrule_list", "绩溪县市场监督管理局"),
        ("org:bureau_list", "绩溪县市场监督管理局"),
    ],
)
def test_lists_do_not_show_another_bureaus_rows(demo, login, jixi, list_name, foreign_text):
    client = login(demo.users["ad_officer"])
    html = client.get(reverse(list_name)).content.decode()
    assert foreign_text not in html
    export = client.get(reverse(list_name), {"export": "csv"}).content.decode()
    assert foreign_text not in export
    # …while the officer of that county sees them
    assert foreign_text in login(demo.users["jixi_officer"]).get(reverse(list_name)).content.decode()


def test_filtering_by_another_bureau_reveals_nothing(demo, login, jixi):
    response = login(demo.users["ad_officer"]).get(
        reverse("org:department_list"), {"bureau": demo.other_county.pk}
    )
    assert "绩溪县专项整治办" not in response.content.decode()


@pytest.mark.parametrize("page", ["org:duty_gaps", "org:duty_export", "org:attendance"])
def test_bureau_pages_refuse_another_bureau(demo, login, page):
    client = login(demo.users["ad_head"])
    assert client.get(reverse(page), {"bureau": demo.other_county.pk}).status_code == 404
    assert client.get(reverse(page), {"bureau": demo.county.pk}).status_code == 200


def test_only_the_office_heads_and_auditors_check_attendance(demo, login):
    assert login(demo.users["ad_officer"]).get(reverse("org:attendance")).status_code == 403
    assert login(demo.users["auditor"]).get(reverse("org:attendance")).status_code == 200


def test_the_city_office_sees_the_counties_below_but_not_the_province(demo, login, jixi):
    client = login(demo.users["city_office"])
    html = client.get(reverse("org:bureau_list")).content.decode()
    assert "旌德县" in html and "绩溪县" in html
    assert reverse("org:bureau", args=[demo.province.pk]) not in html  # named as the parent, never listed
    assert client.get(reverse("org:department", args=[jixi["department"].pk])).status_code == 200
    assert client.get(reverse("org:bureau", args=[demo.province.pk])).status_code == 404


def test_the_city_office_reads_a_county_but_changes_only_its_own_bureau(demo, login, jixi):
    client = login(demo.users["city_office"])
    dept = jixi["department"]
    assert client.get(reverse("org:department_edit", args=[dept.pk])).status_code == 403
    assert client.post(reverse("org:department_delete", args=[dept.pk])).status_code == 403
    assert Department.objects.filter(pk=dept.pk).exists()


@pytest.mark.parametrize("who", ["ad_officer", "ad_head", "leader", "auditor", "station_officer", "legal"])
def test_staff_other_than_the_office_read_their_bureau_but_cannot_change_it(demo, login, county_dept, who):
    client = login(demo.users[who])
    dept = county_dept(K.ADVERTISING)
    assert client.get(reverse("org:department", args=[dept.pk])).status_code == 200
    assert client.get(reverse("org:department_edit", args=[dept.pk])).status_code == 403
    assert client.get(reverse("org:department_add")).status_code == 403
    data = {"bureau": demo.county.pk, "name": "改名股", "kind": K.ADVERTISING}
    assert client.post(reverse("org:department_edit", args=[dept.pk]), data).status_code == 403
    assert client.post(reverse("org:department_add"), data).status_code == 403
    assert client.post(reverse("org:department_delete", args=[dept.pk])).status_code == 403
    dept.refresh_from_db()
    assert dept.name == "广告监管股"
    assert not Department.objects.filter(name="改名股").exists()


def test_the_office_administrator_changes_the_bureaus_organisation(demo, login, county_dept):
    client = login(demo.users["office"])
    dept = county_dept(K.ADVERTISING)
    data = {"bureau": demo.county.pk, "name": "广告监督管理股", "kind": K.ADVERTISING, "is_active": "on"}
    assert client.post(reverse("org:department_edit", args=[dept.pk]), data).status_code == 302
    dept.refresh_from_db()
    assert dept.name == "广告监督管理股"


def test_a_forged_form_cannot_create_a_department_in_another_bureau(demo, login):
    client = login(demo.users["office"])
    data = {"bureau": demo.other_county.pk, "name": "伪造科室", "kind": K.ADVERTISING, "is_active": "on"}
    response = client.post(reverse("org:department_add"), data)
    assert response.status_code in (200, 403)
    assert not Department.objects.filter(name="伪造科室").exists()


def test_a_forged_form_cannot_move_a_department_to_another_bureau(demo, login, county_dept):
    dept = county_dept(K.PRICE)
    data = {"bureau": demo.other_county.pk, "name": dept.name, "kind": dept.kind, "is_active": "on"}
    login(demo.users["office"]).post(reverse("org:department_edit", args=[dept.pk]), data)
    dept.refresh_from_db()
    assert dept.bureau == demo.county


def test_a_forged_form_cannot_put_a_user_into_another_bureaus_department(demo, login):
    other_dept = Department.objects.filter(bureau=demo.other_county).first()
    data = {"username": "forged", "bureau": demo.county.pk, "department": other_dept.pk, "role": "officer"}
    login(demo.users["office"]).post(reverse("org:user_add"), data)
    assert not User.objects.filter(username="forged").exists()


def test_a_county_office_cannot_create_a_bureau_outside_its_own_tree(demo, login):
    data = {"name": "伪造局", "code": "341899", "level": "county", "parent": demo.other_county.pk}
    login(demo.users["office"]).post(reverse("org:bureau_add"), data)
    assert not User.objects.filter(username="x").exists()
    from wangjian.org.models import Bureau

    assert not Bureau.objects.filter(code="341899").exists()


# ------------------------------------------------------------------ the API

ENDPOINTS = {
    "departments": "/api/org/departments/",
    "stations": "/api/org/stations/",
    "duty-rules": "/api/org/duty-rules/",
    "bureaus": "/api/org/bureaus/",
}


def listed_ids(client, url) -> set[int]:
    response = client.get(url, {"limit": 1000})
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    "endpoint, model",
    [("departments", Department), ("stations", Station), ("duty-rules", DutyRule)],
)
def test_the_api_lists_only_the_users_bureau(demo, api, endpoint, model):
    ids = listed_ids(api(demo.users["ad_officer"]), ENDPOINTS[endpoint])
    assert ids == set(model.objects.filter(bureau=demo.county).values_list("pk", flat=True))
    city_ids = listed_ids(api(demo.users["city_office"]), ENDPOINTS[endpoint])
    below = {demo.city.pk, demo.county.pk, demo.other_county.pk}
    assert city_ids == set(model.objects.filter(bureau__in=below).values_list("pk", flat=True))


def test_the_api_lists_the_bureaus_the_user_oversees(demo, api):
    assert listed_ids(api(demo.users["ad_officer"]), ENDPOINTS["bureaus"]) == {demo.county.pk}
    oversees = {demo.city.pk, demo.county.pk, demo.other_county.pk}
    assert listed_ids(api(demo.users["city_office"]), ENDPOINTS["bureaus"]) == oversees


@pytest.mark.parametrize("what", ["department", "station", "dutyrule", "bureau"])
def test_the_api_does_not_find_another_bureaus_rows(demo, api, jixi, what):
    endpoint = {"department": "departments", "station": "stations", "dutyrule": "duty-rules"}.get(
        what, "bureaus"
    )
    url = f"{ENDPOINTS[endpoint]}{jixi[what].pk}/"
    client = api(demo.users["office"])
    assert client.get(url).status_code == 404
    assert client.patch(url, {"name": "改名"}, format="json").status_code == 404
    assert client.delete(url).status_code == 404
    assert api(demo.users["jixi_officer"]).get(url).status_code == 200


def test_an_officer_reads_but_cannot_change_through_the_api(demo, api, county_dept):
    dept = county_dept(K.ADVERTISING)
    client = api(demo.users["ad_officer"])
    url = f"/api/org/departments/{dept.pk}/"
    assert client.get(url).json()["name"] == "广告监管股"
    assert client.patch(url, {"name": "改名股"}, format="json").status_code == 403
    assert client.delete(url).status_code == 403
    payload = {"bureau": demo.county.pk, "name": "新科室", "kind": K.ADVERTISING}
    assert client.post("/api/org/departments/", payload, format="json").status_code == 403
    dept.refresh_from_db()
    assert dept.name == "广告监管股" and not Department.objects.filter(name="新科室").exists()


def test_the_office_administrator_changes_through_the_api(demo, api, county_dept):
    client = api(demo.users["office"])
    payload = {"bureau": demo.county.pk, "name": "新设科室", "kind": K.INFORMATION}
    response = client.post("/api/org/departments/", payload, format="json")
    assert response.status_code == 201
    url = f"/api/org/departments/{response.json()['id']}/"
    assert client.patch(url, {"phone": "0563-8021234"}, format="json").status_code == 200
    assert Department.objects.get(name="新设科室").phone == "0563-8021234"


def test_a_forged_api_payload_cannot_create_in_or_move_to_another_bureau(demo, api, county_dept):
    client = api(demo.users["office"])
    payload = {"bureau": demo.other_county.pk, "name": "伪造科室", "kind": K.ADVERTISING}
    assert client.post("/api/org/departments/", payload, format="json").status_code in (400, 403)
    rule = {"bureau": demo.other_county.pk, "domain": "mlm", "department_kind": K.ENFORCEMENT}
    before = DutyRule.objects.filter(bureau=demo.other_county).count()
    assert client.post("/api/org/duty-rules/", rule, format="json").status_code in (400, 403)
    dept = county_dept(K.PRICE)
    move = client.patch(f"/api/org/departments/{dept.pk}/", {"bureau": demo.other_county.pk}, format="json")
    assert move.status_code in (400, 403)
    dept.refresh_from_db()
    assert dept.bureau == demo.county
    assert not Department.objects.filter(name="伪造科室").exists()
    assert DutyRule.objects.filter(bureau=demo.other_county).count() == before


def test_a_county_office_cannot_create_a_bureau_under_another_bureau_through_the_api(demo, api):
    payload = {"name": "伪造局", "code": "341899", "level": "county", "parent": demo.other_county.pk}
    assert api(demo.users["office"]).post(ENDPOINTS["bureaus"], payload, format="json").status_code == 403
    payload["parent"] = demo.county.pk
    assert api(demo.users["office"]).post(ENDPOINTS["bureaus"], payload, format="json").status_code == 201


def test_the_responsible_endpoint_is_scoped_too(demo, api):
    url = f"/api/org/bureaus/{demo.other_county.pk}/responsible/"
    assert api(demo.users["ad_officer"]).get(url, {"domain": "mlm"}).status_code == 404


def test_a_bureau_cannot_be_made_its_own_parent_through_the_api(demo, api):
    url = f"{ENDPOINTS['bureaus']}{demo.county.pk}/"
    response = api(demo.users["office"]).patch(url, {"parent": demo.county.pk}, format="json")
    assert response.status_code == 400
    demo.county.refresh_from_db()
    assert demo.county.parent == demo.city
    assert demo.city.descendant_ids() == {demo.city.pk, demo.county.pk, demo.other_county.pk}


def test_a_county_office_cannot_move_its_bureau_under_another_bureau_through_the_api(demo, api):
    url = f"{ENDPOINTS['bureaus']}{demo.county.pk}/"
    client = api(demo.users["office"])
    assert client.patch(url, {"parent": demo.other_county.pk}, format="json").status_code in (400, 403)
    demo.county.refresh_from_db()
    assert demo.county.parent == demo.city
    assert client.patch(url, {"name": "旌德县市场监管局"}, format="json").status_code == 200


def test_a_county_office_cannot_move_its_bureau_on_the_page_either(demo, login):
    data = {
        "name": demo.county.name,
        "code": demo.county.code,
        "level": "county",
        "parent": demo.other_county.pk,
    }
    login(demo.users["office"]).post(reverse("org:bureau_edit", args=[demo.county.pk]), data)
    demo.county.refresh_from_db()
    assert demo.county.parent == demo.city


def test_the_office_above_keeps_the_registration_of_the_bureaus_below_but_not_the_reverse(demo, login):
    county = demo.county
    data = {
        "name": "旌德县市场监督管理局（更名）",
        "code": county.code,
        "level": "county",
        "parent": demo.city.pk,
    }
    login(demo.users["city_office"]).post(reverse("org:bureau_edit", args=[county.pk]), data)
    county.refresh_from_db()
    assert county.name == "旌德县市场监督管理局（更名）"
    city = {"name": "宣城市局", "code": demo.city.code, "level": "city", "parent": demo.province.pk}
    assert (
        login(demo.users["office"]).post(reverse("org:bureau_edit", args=[demo.city.pk]), city).status_code
        == 404
    )
