"""The API: other systems create clues; staff read and act by permission; errors in Chinese and English."""


def test_external_system_creates_a_clue_and_gets_the_routing(demo, api):
    c = api(demo.users["office"])
    r = c.post(
        "/api/clues/clues/",
        {
            "source_kind": "monitoring",
            "domain": "online_food",
            "facts": "外部监测系统：直播间销售无标签食品",
            "region_code": "341825101",
            "entity_uscc": "92341825MA2API001X",
            "evidence_refs": ["capture:17"],
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["new_clue"] is True and body["unit"] == "蔡家桥市场监管所"
    assert body["state"] == "assigned" and body["due"] and "按属地分派" in body["reason"]
    again = c.post(
        "/api/clues/clues/",
        {
            "source_kind": "complaint",
            "domain": "online_food",
            "facts": "投诉同一店铺",
            "entity_uscc": "92341825MA2API001X",
        },
        format="json",
    )
    assert again.status_code == 200 and again.json()["id"] == body["id"] and again.json()["new_clue"] is False


def test_bad_clue_is_refused_and_nothing_is_lost_silently(demo, api):
    r = api(demo.users["office"]).post(
        "/api/clues/clues/", {"source_kind": "monitoring", "domain": "x"}, format="json"
    )
    assert r.status_code == 400
    assert "domain" in r.json() and "facts" in r.json()


def test_cannot_create_a_clue_in_another_bureau(demo, api):
    r = api(demo.users["office"]).post(
        "/api/clues/clues/",
        {"bureau": demo.other_county.pk, "source_kind": "manual", "domain": "online_price", "facts": "x"},
        format="json",
    )
    assert r.status_code == 403 and r.json()["error"]["zh"]


def test_transitions_through_the_api_follow_the_table(demo, api, intake):
    clue = intake().clue
    officer = api(demo.users["ad_officer"])
    r = officer.post(
        f"/api/clues/clues/{clue.pk}/transition/", {"action": "feedback", "result": "true", "actions": "x"}
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_transition"
    assert (
        officer.post(f"/api/clues/clues/{clue.pk}/transition/", {"action": "accept"}).json()["state"]
        == "checking"
    )
    r = officer.post(
        f"/api/clues/clues/{clue.pk}/transition/",
        {"action": "feedback", "result": "true", "actions": "属实，已约谈"},
    )
    assert r.status_code == 200 and r.json()["state"] == "fed_back" and r.json()["disposal_due"]
    r = api(demo.users["price_officer"]).post(f"/api/clues/clues/{clue.pk}/transition/", {"action": "close"})
    assert r.status_code == 404  # not even visible to another unit
    r = api(demo.users["office"]).post(
        f"/api/clues/clues/{clue.pk}/transition/", {"action": "close", "disposal": "rectify"}
    )
    assert r.status_code == 403 and "承办" in r.json()["error"]["zh"]
    history = officer.get(f"/api/clues/clues/{clue.pk}/history/").json()
    assert [h["action"] for h in history][-2:] == ["accept", "feedback"]


def test_list_is_scoped_and_filterable(demo, api, intake):
    ad = intake(entity_uscc="A1").clue
    intake(domain="online_price", entity_uscc="A2")
    rows = api(demo.users["ad_officer"]).get("/api/clues/clues/").json()["results"]
    assert [r["id"] for r in rows] == [ad.pk]
    rows = api(demo.users["office"]).get("/api/clues/clues/?domain=online_price").json()["results"]
    assert [r["domain"] for r in rows] == ["online_price"]


def test_my_notifications(demo, api, intake):
    intake()
    rows = api(demo.users["ad_officer"]).get("/api/clues/notifications/").json()["results"]
    assert rows and rows[0]["kind"] == "assigned"


def test_the_clue_endpoints_are_in_the_api_schema(demo, api):
    r = api(demo.users["office"]).get("/api/schema/?format=json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    assert "/api/clues/clues/" in paths and "/api/clues/clues/{id}/transition/" in paths


# ---------------------------------------------------------------- what the API fuzz test found (tests/platform)


def test_taking_in_a_clue_keeps_its_registration_time_and_says_whether_it_is_new(demo, api):
    from tests.platform.documented import assert_documented

    c = api(demo.users["office"])
    data = {"source_kind": "manual", "domain": "online_food", "facts": "直播间销售无标签食品"}
    r = c.post("/api/clues/clues/", {**data, "entity_uscc": "92341825MA2API002X"}, format="json")
    assert r.status_code == 201 and r.json()["new_clue"] is True
    assert r.json()["created"].startswith("20")  # the clue's registration time, not the flag
    assert_documented(c, r, "post", "/api/clues/clues/")
    again = c.post("/api/clues/clues/", {**data, "entity_uscc": "92341825MA2API002X"}, format="json")
    assert again.status_code == 200 and again.json()["new_clue"] is False
    assert_documented(c, again, "post", "/api/clues/clues/")


def test_a_clue_not_yet_disposed_of_answers_blank_choices_the_schema_allows(demo, api, intake):
    from tests.platform.documented import assert_documented

    clue = intake().clue
    c = api(demo.users["office"])
    r = c.get(f"/api/clues/clues/{clue.pk}/")
    assert r.json()["disposal"] == "" and r.json()["refer_kind"] == "" and r.json()["check_result"] == ""
    assert_documented(c, r, "get", "/api/clues/clues/{id}/")


def test_a_step_answers_the_clue_and_its_message_and_the_history_is_a_plain_list(demo, api, intake):
    from tests.platform.documented import assert_documented

    clue = intake().clue
    officer = api(demo.users["ad_officer"])
    r = officer.post(f"/api/clues/clues/{clue.pk}/transition/", {"action": "accept"}, format="json")
    assert r.status_code == 200 and r.json()["message"]
    assert_documented(officer, r, "post", "/api/clues/clues/{id}/transition/")
    history = officer.get(f"/api/clues/clues/{clue.pk}/history/")
    assert isinstance(history.json(), list)
    assert_documented(officer, history, "get", "/api/clues/clues/{id}/history/")


def test_a_transition_body_that_is_not_an_object_is_refused_with_400(demo, api, intake):
    clue = intake().clue
    r = api(demo.users["ad_officer"]).post(
        f"/api/clues/clues/{clue.pk}/transition/", '["accept"]', content_type="application/json"
    )
    assert r.status_code == 400
    clue.refresh_from_db()
    assert clue.state == "assigned"
