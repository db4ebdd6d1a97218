"""Every registry has the same surface (the NetBox pattern): list, view, add, edit, delete, change log.

The cases below are data; one parametrised test per action walks every registry as the
county's office administrator. Query-count ceilings on the lists and API lists make an
N+1 query (one query per row) fail: each list is padded with extra rows first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from wangjian.org.choices import DepartmentKind as K
from wangjian.org.models import Bureau, Department, DutyRule, Notice, Station, User


@dataclass
class Case:
    prefix: str  # URL names org:<prefix>, org:<prefix>_list, …
    model: type
    existing: Callable[[Any], Any]  # an object the office may change
    disposable: Callable[[Any], Any]  # an object the office may delete
    add: Callable[[Any], dict]  # a valid add form
    edit: Callable[[Any, Any], dict]  # a valid edit form for ``existing``
    added: dict  # lookup proving the add worked
    edited: Callable[[Any], Any]  # value proving the edit worked


def county_dept(demo, kind=K.ADVERTISING):
    return Department.objects.get(bureau=demo.county, kind=kind)


def draft_notice(demo, title="草稿通知"):
    return Notice.objects.create(bureau=demo.county, title=title, body="请各股室按时报送。")


CASES = [
    Case(
        "bureau",
        Bureau,
        existing=lambda demo: demo.county,
        disposable=lambda demo: Bureau.objects.create(
            name="旌德县某开发区分局", code="341826", level="county", parent=demo.county
        ),
        add=lambda demo: {
            "name": "旌德县开发区分局",
            "code": "341827",
            "level": "county",
            "parent": demo.county.pk,
        },
        edit=lambda demo, obj: {
            "name": "旌德县市场监管局",
            "code": obj.code,
            "level": obj.level,
            "parent": obj.parent_id,
        },
        added={"code": "341827"},
        edited=lambda obj: obj.name == "旌德县市场监管局",
    ),
    Case(
        "department",
        Department,
        existing=county_dept,
        disposable=lambda demo: Department.objects.create(
            bureau=demo.county, name="临时专班", kind=K.ENFORCEMENT
        ),
        add=lambda demo: {
            "bureau": demo.county.pk,
            "name": "信息中心",
            "kind": K.INFORMATION,
            "is_active": "on",
        },
        edit=lambda demo, obj: {
            "bureau": obj.bureau_id,
            "name": obj.name,
            "kind": obj.kind,
            "phone": "0563-8021234",
            "is_active": "on",
        },
        added={"name": "信息中心"},
        edited=lambda obj: obj.phone == "0563-8021234",
    ),
    Case(
        "station",
        Station,
        existing=lambda demo: Station.objects.get(bureau=demo.county, name="三溪市场监管所"),
        disposable=lambda demo: Station.objects.create(bureau=demo.county, name="临时监管点"),
        add=lambda demo: {
            "bureau": demo.county.pk,
            "name": "白地市场监管所",
            "territory": "341825104\n341825105",
            "territory_names": "白地镇、孙村镇",
            "is_active": "on",
        },
        edit=lambda demo, obj: {
            "bureau": obj.bureau_id,
            "name": obj.name,
            "territory": "341825102",
            "territory_names": "三溪镇",
            "is_active": "on",
        },
        added={"name": "白地市场监管所", "territory": ["341825104", "341825105"]},
        edited=lambda obj: obj.territory == ["341825102"],
    ),
    Case(
        "user",
        User,
        existing=lambda demo: demo.users["ad_officer"],
        disposable=lambda demo: User.objects.create(username="leaver", bureau=demo.county),
        add=lambda demo: {
            "username": "newcomer",
            "name": "新同事",
            "bureau": demo.county.pk,
            "department": county_dept(demo).pk,
            "role": "officer",
            "is_active": "on",
        },
        edit=lambda demo, obj: {
            "username": obj.username,
            "name": "钱科员（已调岗）",
            "bureau": obj.bureau_id,
            "department": county_dept(demo, K.PRICE).pk,
            "role": "officer",
            "is_active": "on",
        },
        added={"username": "newcomer", "must_change_password": True},
        edited=lambda obj: obj.department.kind == K.PRICE,
    ),
    Case(
        "dutyrule",
        DutyRule,
        existing=lambda demo: DutyRule.objects.get(bureau=demo.county, domain="mlm"),
        disposable=lambda demo: DutyRule.objects.create(
            bureau=demo.county, domain="mlm", department_kind=K.ENFORCEMENT, role="assist"
        ),
        add=lambda demo: {
            "bureau": demo.county.pk,
            "domain": "mlm",
            "department_kind": K.ENFORCEMENT,
            "role": "assist",
            "territory_rule": "none",
        },
        edit=lambda demo, obj: {
            "bureau": obj.bureau_id,
            "domain": obj.domain,
            "department_kind": obj.department_kind,
            "role": obj.role,
            "territory_rule": "none",
            "legal_basis_law": "《禁止传销条例》",
            "legal_basis_article": "第七条、第二十四条",
        },
        added={"domain": "mlm", "department_kind": K.ENFORCEMENT},
        edited=lambda obj: obj.legal_basis_article == "第七条、第二十四条",
    ),
    Case(
        "notice",
        Notice,
        existing=draft_notice,
        disposable=lambda demo: draft_notice(demo, "作废的草稿"),
        add=lambda demo: {
            "bureau": demo.county.pk,
            "kind": "notice",
            "title": "关于开展网络集中交易市场检查的通知",
            "body": "各股室、各所：……",
            "target_departments": [county_dept(demo).pk],
        },
        edit=lambda demo, obj: {
            "bureau": obj.bureau_id,
            "kind": "bulletin",
            "title": obj.title,
            "body": obj.body,
            "target_stations": [Station.objects.filter(bureau=demo.county).first().pk],
        },
        added={"title": "关于开展网络集中交易市场检查的通知"},
        edited=lambda obj: obj.kind == "bulletin" and obj.target_stations.count() == 1,
    ),
]
IDS = [c.prefix for c in CASES]


@pytest.fixture
def office(demo, login):
    return login(demo.users["office"])


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_list(demo, office, case):
    response = office.get(reverse(f"org:{case.prefix}_list"))
    assert response.status_code == 200
    assert 'id="add-button"' in response.content.decode()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_list_exports_csv(demo, office, case):
    obj = case.existing(demo)
    response = office.get(reverse(f"org:{case.prefix}_list"), {"export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert str(obj).split(" ")[0] in response.content.decode("utf-8-sig")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_detail(demo, office, case):
    obj = case.existing(demo)
    response = office.get(reverse(f"org:{case.prefix}", args=[obj.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_add(demo, office, case):
    assert office.get(reverse(f"org:{case.prefix}_add")).status_code == 200
    response = office.post(reverse(f"org:{case.prefix}_add"), case.add(demo))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert case.model.objects.filter(**case.added).exists()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_edit(demo, office, case):
    obj = case.existing(demo)
    url = reverse(f"org:{case.prefix}_edit", args=[obj.pk])
    assert office.get(url).status_code == 200
    response = office.post(url, case.edit(demo, obj))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert case.edited(case.model.objects.get(pk=obj.pk))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_delete(demo, office, case):
    obj = case.disposable(demo)
    url = reverse(f"org:{case.prefix}_delete", args=[obj.pk])
    assert office.get(url).status_code == 200
    response = office.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse(f"org:{case.prefix}_list")
    assert not case.model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_changelog(demo, office, case):
    obj = case.existing(demo)
    response = office.get(reverse(f"org:{case.prefix}_changelog", args=[obj.pk]))
    assert response.status_code == 200
    assert response.context["records"], "creating the object was recorded"


def test_a_bureau_that_still_has_departments_is_not_deleted_and_the_page_says_why(demo, office):
    child = Bureau.objects.create(
        name="旌德县某开发区分局", code="341826", level="county", parent=demo.county
    )
    Department.objects.create(bureau=child, name="综合股", kind=K.GENERAL_OFFICE)
    response = office.post(reverse("org:bureau_delete", args=[child.pk]), follow=True)
    assert Bureau.objects.filter(pk=child.pk).exists()
    assert "仍有其他数据引用该对象，不能删除" in response.content.decode()


def test_a_published_notice_is_a_record_and_cannot_be_edited_or_deleted(demo, office):
    from wangjian.platform.inbox.services import notice_publish

    notice = draft_notice(demo)
    notice.target_bureaus.add(demo.county)
    notice_publish(notice=notice, user=demo.users["office"])
    assert office.get(reverse("org:notice_edit", args=[notice.pk])).status_code == 403
    assert office.post(reverse("org:notice_delete", args=[notice.pk])).status_code == 403
    assert Notice.objects.filter(pk=notice.pk).exists()


# ------------------------------------------------------------------ query counts (N+1 guards)

EXTRA_ROWS = 30


def pad(demo, prefix: str) -> None:
    """Add EXTRA_ROWS rows with related objects, so a per-row query would add 30 queries."""
    county, dept = demo.county, county_dept(demo)
    station = Station.objects.filter(bureau=county).first()
    if prefix == "bureau":
        Bureau.objects.bulk_create(
            Bureau(name=f"分局{i}", code=f"3418{60 + i}", level="county", parent=county)
            for i in range(EXTRA_ROWS)
        )
    elif prefix == "department":
        Department.objects.bulk_create(
            Department(bureau=county, name=f"专班{i}", kind=K.ENFORCEMENT) for i in range(EXTRA_ROWS)
        )
    elif prefix == "station":
        Station.objects.bulk_create(
            Station(bureau=county, name=f"监管点{i}", territory=[f"341825{300 + i}"])
            for i in range(EXTRA_ROWS)
        )
    elif prefix == "user":
        User.objects.bulk_create(
            User(username=f"staff{i}", bureau=county, department=dept, station=station if i % 2 else None)
            for i in range(EXTRA_ROWS)
        )
    elif prefix == "dutyrule":
        DutyRule.objects.bulk_create(
            DutyRule(bureau=county, domain="mlm", department_kind=K.ENFORCEMENT, role="assist")
            for i in range(EXTRA_ROWS)
        )
    elif prefix == "notice":
        Notice.objects.bulk_create(
            Notice(bureau=county, title=f"通知{i}", body="…", author=demo.users["office"])
            for i in range(EXTRA_ROWS)
        )


# Ceilings measured on the padded lists (session, user, count, page, filter choices …), plus a little room.
LIST_QUERIES = {"bureau": 15, "department": 14, "station": 14, "user": 16, "dutyrule": 14, "notice": 14}


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_list_query_count_does_not_grow_with_rows(demo, office, case, django_assert_max_num_queries):
    pad(demo, case.prefix)
    with django_assert_max_num_queries(LIST_QUERIES[case.prefix]):
        response = office.get(reverse(f"org:{case.prefix}_list"))
    assert response.status_code == 200


API_LISTS = {
    "/api/org/bureaus/": ("bureau", 7),
    "/api/org/departments/": ("department", 6),
    "/api/org/stations/": ("station", 6),
    "/api/org/duty-rules/": ("dutyrule", 6),
}


@pytest.mark.parametrize("url", list(API_LISTS))
def test_api_list_query_count_does_not_grow_with_rows(demo, api, url, django_assert_max_num_queries):
    prefix, ceiling = API_LISTS[url]
    pad(demo, prefix)
    client = api(demo.users["office"])
    with django_assert_max_num_queries(ceiling):
        response = client.get(url, {"limit": 100})
    assert response.status_code == 200 and len(response.json()["results"]) > EXTRA_ROWS
