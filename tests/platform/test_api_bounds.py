"""What the fuzz test (test_api_fuzz.py) found in the API base and the generic pages, one rule per test.

Every answer is a documented 4xx, never a 500: a page size or an offset from the address bar is
bounded, a body must be a JSON object, an unknown /api/ address answers JSON, a delete that other
rows refuse answers 409 with the page's words, and every operation documents its error answers.
"""

from __future__ import annotations

from django.urls import reverse
from rest_framework.test import APIRequestFactory

from tests.platform.documented import api_schema, assert_documented
from wangjian.core.api import PAGE_SIZE_MAX, IdCursorPagination, LimitOffsetPagination
from wangjian.core.errors import ReferencedError
from wangjian.org.choices import DepartmentKind
from wangjian.org.models import Department, User
from wangjian.platform.generic import PER_PAGE_MAX

HUGE = "9" * 25  # past any 64-bit integer a database keeps


def _request(query: dict):
    from rest_framework.request import Request

    return Request(APIRequestFactory().get("/api/x/", query))


# ---------------------------------------------------------------------------- page sizes and offsets


def test_a_limit_past_the_maximum_is_clamped_to_500_rows_by_either_pagination():
    assert PAGE_SIZE_MAX == 500
    assert LimitOffsetPagination().get_limit(_request({"limit": HUGE})) == 500
    assert IdCursorPagination().get_page_size(_request({"limit": HUGE})) == 500
    assert LimitOffsetPagination().get_limit(_request({"limit": "20"})) == 20


def test_a_huge_limit_and_offset_answer_an_empty_page_not_a_500(demo, api):
    r = api(demo.users["office"]).get("/api/org/departments/", {"limit": HUGE, "offset": HUGE})
    assert r.status_code == 200 and r.json()["results"] == []
    assert "limit=500" in r.json()["previous"]


def test_a_cursor_whose_position_is_not_an_id_is_a_404_like_any_bad_cursor(demo, api):
    import base64

    cursor = base64.b64encode(b"p=abc").decode()
    r = api(demo.users["office"]).get("/api/registry/entities/", {"cursor": cursor})
    assert r.status_code == 404


def test_a_list_page_shows_at_most_500_rows_and_at_least_one(demo, login):
    """``?per_page=-3`` sliced the rows with a negative index and a huge one passed the database's range."""
    assert PER_PAGE_MAX == 500
    client = login(demo.users["office"])
    for per_page, expected in ((HUGE, 500), ("-3", 1), ("20", 20)):
        response = client.get(reverse("org:department_list"), {"per_page": per_page})
        assert response.status_code == 200, per_page
        assert response.context["table"].paginator.per_page == expected, per_page


def test_the_entity_list_with_a_huge_page_size_is_a_page_not_a_500(demo, login):
    """The entity list pages without counting (``LazyPaginator``): its page size is bounded all the same."""
    response = login(demo.users["office"]).get(reverse("registry:entity_list"), {"per_page": HUGE})
    assert response.status_code == 200
    assert response.context["table"].paginator.per_page == 500


# ---------------------------------------------------------------------------- addresses and bodies


def test_an_unknown_api_address_answers_the_apis_404_in_json(demo, api):
    client = api(demo.users["office"])
    for method, url in (
        ("get", "/api/org/bureaus/1.5e-9/"),
        ("post", "/api/no/such/thing/"),
        ("post", "/api/clocks/%0A/deadline/"),  # an encoded line break in the address
    ):
        r = getattr(client, method)(url)
        assert r.status_code == 404 and r["Content-Type"] == "application/json", url
        assert r.json()["error"]["code"] == "not_found" and r.json()["error"]["en"]


def test_an_api_address_without_its_slash_is_still_redirected(demo, api):
    r = api(demo.users["office"]).get("/api/org/bureaus")
    assert r.status_code == 301 and r["Location"].endswith("/api/org/bureaus/")


def test_a_json_body_that_is_not_an_object_is_a_400(demo, api):
    client = api(demo.users["office"])
    for body in ("[1, 2]", "42", '"void"', "null"):
        r = client.post("/api/password/", body, content_type="application/json")
        assert r.status_code == 400 and "JSON" in r.json()["detail"], body


# ---------------------------------------------------------------------------- deletes refused


def test_a_delete_refused_for_references_answers_409_naming_them_like_the_page(demo, api, login):
    team = Department.objects.create(bureau=demo.county, name="临时专班", kind=DepartmentKind.ENFORCEMENT)
    for n in (1, 2):
        User.objects.create(username=f"member{n}", name=f"专班成员{n}", bureau=demo.county, department=team)

    r = api(demo.users["office"]).delete(f"/api/org/departments/{team.pk}/")
    assert r.status_code == 409
    error = r.json()["error"]
    assert error["code"] == "referenced"
    assert error["zh"] == "仍有其他数据引用该对象，不能删除：用户 2 条。"
    assert error["en"] == "Other records still refer to this object; it cannot be deleted: Users (2)."
    assert error["detail"] == [{"model": "org.user", "count": 2}]
    assert_documented(api(demo.users["office"]), r, "delete", "/api/org/departments/{id}/")

    page = login(demo.users["office"]).post(reverse("org:department_delete", args=[team.pk]), follow=True)
    assert f"{error['zh']} / {error['en']}" in page.content.decode()
    assert Department.objects.filter(pk=team.pk).exists()


def test_the_refusal_names_every_kind_of_row_that_refers_most_first():
    from django.db.models import ProtectedError

    from wangjian.org.models import Station

    rows = [Department(pk=1, name="a"), Station(pk=1, name="b"), Department(pk=2, name="c")]
    error = ReferencedError.of(ProtectedError("protected", set(rows)))
    assert error.http_status == 409
    assert error.zh == "仍有其他数据引用该对象，不能删除：科室 2 条、基层所 1 条。"
    assert [d["model"] for d in error.detail] == ["org.department", "org.station"]


# ---------------------------------------------------------------------------- the schema says so


def test_every_operation_documents_the_errors_it_answers(demo, api):
    schema = api_schema(api(demo.users["office"]))
    assert "Error" in schema["components"]["schemas"]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            codes = set(operation["responses"])
            assert {"401", "403"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if method != "get":
                assert "400" in codes, (method, path)
            if method == "delete":
                assert "409" in codes, (method, path)
