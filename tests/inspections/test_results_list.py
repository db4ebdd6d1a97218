"""The results across draws (抽查检查结果, 抽中主体): the lists the figures ``inspections_published`` and
``inspections_checked`` link to show exactly the rows they count, for a period and a department; another
bureau's rows never show; the page and the API filter alike; the lists cost the same with more rows.

The rows: in 旌德县 a draw of the advertising department's plan (two objects) whose first object was checked
on 31 March on one item and on 1 April on another, whose second was checked in February and in May; a draw a
re-draw replaced (its result never counted); a draw of the price department's plan; in 绩溪县 a draw of its
own. Every date is fixed.
"""

from __future__ import annotations

import datetime as dt
import itertools
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.clues.conftest import at
from wangjian.inspections import figures
from wangjian.inspections.models import Draw, DrawnObject, InspectionItem, InspectionResult, Plan
from wangjian.org.models import Department
from wangjian.platform import statistics
from wangjian.platform.statistics import Scope
from wangjian.registry.models import MarketEntity
from wangjian.registry.uscc import complete

pytestmark = pytest.mark.django_db

D = dt.date
MARCH = (D(2025, 3, 1), D(2025, 3, 31))
APRIL = (D(2025, 4, 1), D(2025, 4, 30))
BOTH = (D(2025, 3, 1), D(2025, 4, 30))
_n = itertools.count(1)


def _draw(plan, drawn_at, entities, replaces=None) -> list[DrawnObject]:
    draw = Draw.objects.create(
        bureau=plan.bureau, plan=plan, state="drawn", algorithm="sha256", algorithm_version=1,
        pool_sha256="0" * 64, inputs_sha256="0" * 64, source_name="核对随机源", source_date=D(2025, 3, 1),
        published_at=at("2025-03-01"), drawn_at=drawn_at, objects_count=len(entities), replaces=replaces,
        origin="province", province_task_number=f"核对任务{next(_n)}",
    )  # fmt: skip
    return [
        DrawnObject.objects.create(draw=draw, entity=e, stratum="A", rank=r)
        for r, e in enumerate(entities, 1)
    ]


def _result(drawn, item, category, checked_on, published_at=None) -> InspectionResult:
    return InspectionResult.objects.create(
        bureau=drawn.draw.bureau,
        drawn=drawn,
        item=item,
        category=category,
        checked_on=checked_on,
        published_at=published_at,
    )


def _bureau_rows(bureau, *, objects: int = 2):
    ad = Department.objects.get(bureau=bureau, name="广告监管股")
    price = Department.objects.filter(bureau=bureau, name__contains="价格").first()
    items = [
        InspectionItem.objects.create(bureau=bureau, department=ad, name=f"核对事项{i}（{next(_n)}）")
        for i in (1, 2)
    ]
    price_item = InspectionItem.objects.create(
        bureau=bureau, department=price, name=f"核对价格事项（{next(_n)}）"
    )
    entities = [
        MarketEntity.objects.create(
            bureau=bureau, uscc=complete(f"91341825MA2U{next(_n):05d}"), name=f"核对抽查第{next(_n)}号公司"
        )
        for _ in range(objects + 1)
    ]
    plan = Plan.objects.create(bureau=bureau, title=f"{bureau.name}互联网广告抽查", year=2025, department=ad)
    price_plan = Plan.objects.create(
        bureau=bureau, title=f"{bureau.name}价格抽查", year=2025, department=price
    )
    first, second, *more = _draw(plan, at("2025-03-28"), entities[:objects])
    replaced = _draw(plan, at("2025-03-29"), entities[:1])
    _draw(plan, at("2025-03-30"), entities[1:2], replaces=replaced[0].draw)
    priced = _draw(price_plan, at("2025-03-10"), entities[-1:])
    return {
        "ad": ad,
        "plan": plan,
        "items": items,
        "results": [
            _result(first, items[0], "no_problem", D(2025, 3, 31), at("2025-03-31", "23:59")),
            _result(first, items[1], "pending", D(2025, 4, 1), at("2025-04-01", "00:00")),
            _result(second, items[0], "no_problem", D(2025, 2, 28), at("2025-03-02")),
            _result(second, items[1], "false_info", D(2025, 5, 1)),
            _result(replaced[0], items[0], "no_problem", D(2025, 3, 30), at("2025-03-31")),
            _result(priced[0], price_item, "corrected", D(2025, 3, 20), at("2025-03-25")),
            *(_result(o, items[0], "no_problem", D(2025, 3, 15), at("2025-03-20")) for o in more),
        ],
        "objects": [first, second, *more],
    }


@pytest.fixture
def rows(demo):
    return {"county": _bureau_rows(demo.county), "other": _bureau_rows(demo.other_county)}


def _query(url: str) -> str:
    return urlsplit(url).query


def _page_ids(client, url: str) -> list[int]:
    page = client.get(url)
    assert page.status_code == 200, url
    shown = page.context["filter"]
    assert not shown.is_bound or shown.is_valid(), shown.errors
    return list(shown.qs.values_list("pk", flat=True))


def _api_ids(api_client, path: str, query: str) -> list[int]:
    answer = api_client.get(f"{path}?{query}&limit=500")
    assert answer.status_code == 200, answer.content[:300]
    return [r["id"] for r in answer.json()["results"]]


def test_the_results_list_shows_exactly_the_results_published_in_the_month_of_the_department(
    rows, demo, login
):
    office = login(demo.users["office"])
    county = rows["county"]
    scope = Scope(frozenset({demo.county.pk}), department_id=county["ad"].pk)
    figure = statistics.get("inspections_published")
    for period in (MARCH, APRIL, BOTH):
        shown = _page_ids(office, figure.records_url(scope, *period))
        assert sorted(shown) == sorted(figures._published(scope, *period).values_list("pk", flat=True))
        assert len(shown) == statistics.value("inspections_published", scope, *period)
    first, april, second, *_ = county["results"]
    # published on 31 March 23:59 and 2 March in March, at 00:00 on 1 April in April; the replaced draw's never
    assert set(_page_ids(office, figure.records_url(scope, *MARCH))) == {first.pk, second.pk}
    assert _page_ids(office, figure.records_url(scope, *APRIL)) == [april.pk]
    # each category of the breakdown lists its own results
    for category, n in statistics.breakdown("inspections_published", scope, *BOTH).items():
        url = figure.breakdown.records_url(scope, *BOTH, category)
        assert len(_page_ids(office, url)) == n


def test_an_object_checked_on_two_items_is_one_row_and_one_checked_on_neither_day_of_the_period_none(
    rows, demo, login
):
    office = login(demo.users["office"])
    first, second = rows["county"]["objects"]
    scope = Scope(frozenset({demo.county.pk}), department_id=rows["county"]["ad"].pk)
    figure = statistics.get("inspections_checked")
    for period in (MARCH, APRIL, BOTH):
        shown = _page_ids(office, figure.records_url(scope, *period))
        assert shown == [first.pk], period  # once, though checked on 31 March and 1 April
        assert len(shown) == statistics.value("inspections_checked", scope, *period)
    # checked on 28 February and 1 May: both bounds hold for one result, never one bound each
    assert _page_ids(office, figure.records_url(scope, D(2025, 3, 1), D(2025, 4, 30))) == [first.pk]
    assert second.pk in _page_ids(office, figure.records_url(scope, D(2025, 2, 1), D(2025, 2, 28)))
    # the whole county: the price department's object checked on 20 March too, the replaced draw's never
    county = Scope(frozenset({demo.county.pk}))
    shown = _page_ids(office, figure.records_url(county, *MARCH))
    assert len(shown) == statistics.value("inspections_checked", county, *MARCH) == 2


def test_another_bureaus_results_and_objects_are_never_shown(rows, demo, login, api):
    mine = {r.pk for r in rows["county"]["results"]}
    theirs = {r.pk for r in rows["other"]["results"]}
    for user, sees, never in (
        (demo.users["office"], mine, theirs),
        (demo.users["jixi_officer"], theirs, mine),
    ):
        page = login(user).get(reverse("inspections:result_list"))
        assert page.status_code == 200
        assert set(_page_ids(login(user), reverse("inspections:result_list"))) == sees
        assert set(_api_ids(api(user), "/api/inspections/results/", "")) == sees
        assert not never & set(
            _api_ids(api(user), "/api/inspections/results/", f"draw={rows['other']['objects'][0].draw_id}")
        )
    drawn = {o.pk for o in rows["other"]["objects"]}
    assert not drawn & set(_page_ids(login(demo.users["office"]), reverse("inspections:drawn_list")))
    assert not drawn & set(_api_ids(api(demo.users["office"]), "/api/inspections/drawn/", ""))
    other_result = rows["other"]["results"][0]
    assert api(demo.users["office"]).get(f"/api/inspections/results/{other_result.pk}/").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "",
        "category=no_problem",
        "published=false",
        "checked_after=2025-03-31&checked_before=2025-04-01",
        "published_after=2025-04-01&published_before=2025-04-01",
        "replaced=true",
        "q=核对事项2",
    ],
)
def test_the_results_page_and_api_filter_alike(rows, demo, login, api, query):
    county = rows["county"]
    query = f"{query}&department={county['ad'].pk}&plan={county['plan'].pk}"
    shown = _page_ids(login(demo.users["office"]), f"{reverse('inspections:result_list')}?{query}")
    assert sorted(shown) == sorted(_api_ids(api(demo.users["office"]), "/api/inspections/results/", query))
    assert shown, query


@pytest.mark.parametrize(
    "query", ["", "checked=true", "checked=false", "checked_after=2025-03-31", "checked_before=2025-03-31"]
)
def test_the_drawn_objects_page_and_api_filter_alike(rows, demo, login, api, query):
    shown = _page_ids(login(demo.users["office"]), f"{reverse('inspections:drawn_list')}?{query}")
    assert sorted(shown) == sorted(_api_ids(api(demo.users["office"]), "/api/inspections/drawn/", query))
    assert shown, query


def test_the_lists_cost_the_same_with_more_rows(rows, demo, login, api, queries):
    office, token = login(demo.users["office"]), api(demo.users["office"])
    more = lambda: _bureau_rows(demo.county, objects=5)  # noqa: E731
    for fetch in (
        lambda: office.get(reverse("inspections:result_list")),
        lambda: office.get(reverse("inspections:drawn_list")),
        lambda: office.get(reverse("inspections:result_list"), {"export": "csv"}),
        lambda: token.get("/api/inspections/results/"),
        lambda: token.get("/api/inspections/drawn/"),
    ):
        queries.flat(fetch, more, ceiling=12)


def test_the_draw_page_links_to_its_results_in_the_list(rows, demo, login):
    draw_id = rows["county"]["objects"][0].draw_id
    page = login(demo.users["office"]).get(reverse("inspections:draw", args=[draw_id]))
    assert f"{reverse('inspections:result_list')}?draw={draw_id}" in page.content.decode()
    listed = _page_ids(login(demo.users["office"]), f"{reverse('inspections:result_list')}?draw={draw_id}")
    assert set(listed) == set(
        InspectionResult.objects.filter(drawn__draw_id=draw_id).values_list("pk", flat=True)
    )
