"""The pages and the API of a draw: published inputs shown, value entered and confirmed, re-run; the entity panel."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.inspections.conftest import DRAWN, SOURCE, VALUE
from tests.inspections.test_draws import make, publish
from wangjian.inspections.choices import DrawState
from wangjian.inspections.models import Draw


def test_the_plan_page_shows_the_items_the_ratios_with_their_source_and_publishes(draft, demo, login):
    plan = draft()
    client = login(demo.users["office"])
    page = client.get(reverse("inspections:plan", args=[plan.pk])).content.decode()
    assert "互联网广告发布行为检查" in page and "须由办公室" in page
    client.post(reverse("inspections:plan_publish", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.state == "published"
    assert client.get(reverse("inspections:plan_edit", args=[plan.pk])).status_code == 403


def test_the_draw_page_shows_the_published_inputs_and_two_people_make_the_draw(
    published, shops, demo, login, clock
):
    shops(20)
    plan = published()
    clock(dt.datetime(2026, 12, 1, 9, 0, tzinfo=DRAWN.tzinfo))
    office = login(demo.users["office"])
    office.post(
        reverse("inspections:draw_publish", args=[plan.pk]),
        {"source_name": SOURCE, "source_date": "2026-12-08"},
    )
    draw = Draw.objects.get(plan=plan)
    page = office.get(draw.get_absolute_url()).content.decode()
    assert draw.pool_sha256 in page and SOURCE in page and "风险分级尚未启用" in page
    clock(DRAWN)  # a week later: the idle session has ended, so log in again
    office = login(demo.users["office"])
    office.post(reverse("inspections:draw_value", args=[draw.pk, "enter"]), {"value": VALUE})
    office.post(reverse("inspections:draw_value", args=[draw.pk, "confirm"]), {"value": VALUE})
    draw.refresh_from_db()
    assert draw.state == DrawState.VALUE_ENTERED  # the same person does not confirm
    head = Client()
    head.force_login(demo.users["ad_head"])
    head.post(reverse("inspections:draw_value", args=[draw.pk, "confirm"]), {"value": VALUE})
    draw.refresh_from_db()
    assert draw.state == DrawState.DRAWN
    rerun = head.get(reverse("inspections:draw_rerun", args=[draw.pk])).content.decode()
    assert "复算结果与记录一致" in rerun


def test_the_api_reruns_a_draw_and_the_auditor_reads_it(published, shops, demo):
    shops(20)
    draw = make(publish(published(), demo), demo)
    api = APIClient()
    api.force_authenticate(demo.users["auditor"])
    assert api.get(f"/api/inspections/draws/{draw.pk}/").json()["seed"] == draw.seed
    body = api.post(f"/api/inspections/draws/{draw.pk}/rerun/").json()
    assert body["ok"] is True and body["seed"] == draw.seed
    inputs = api.get(f"/api/inspections/draws/{draw.pk}/inputs/").json()
    assert inputs["pool_listing"].startswith("1\t")


def test_the_neighbouring_county_does_not_see_the_draw(published, shops, demo):
    shops(5)
    draw = make(publish(published(), demo), demo)
    api = APIClient()
    api.force_authenticate(demo.users["jixi_officer"])
    assert api.get(f"/api/inspections/draws/{draw.pk}/").status_code == 404


def test_the_entity_panel_lists_the_draws_that_selected_it(published, shops, demo, login):
    shops(3)
    plan = published()
    draw = make(publish(plan, demo), demo)
    drawn = draw.objects_drawn.first()
    page = login(demo.users["auditor"]).get(reverse("inspections:entity_inspections", args=[drawn.entity_id]))
    assert plan.title in page.content.decode()


def test_a_department_head_adds_an_item_through_the_api_and_an_officer_may_not(demo):
    from wangjian.org.choices import DepartmentKind as K
    from wangjian.org.models import Department

    dept = Department.objects.get(bureau=demo.county, kind=K.ADVERTISING)
    data = {
        "bureau": demo.county.pk,
        "department": dept.pk,
        "name": "广告可识别性检查",
        "legal_basis": "《中华人民共和国广告法》第十四条",
        "method": "online",
    }
    api = APIClient()
    api.force_authenticate(demo.users["ad_officer"])
    assert api.post("/api/inspections/items/", data, format="json").status_code == 403
    api.force_authenticate(demo.users["ad_head"])
    response = api.post("/api/inspections/items/", data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "广告可识别性检查"
