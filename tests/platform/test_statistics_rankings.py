"""The rankings (排名): the platforms and market entities with the most findings, clues and complaints.

The data is ``tests/statistics/conftest.py``'s March 2025 across 旌德县 and 绩溪县 under 宣城市, with
``ranked`` adding two platforms of equal numbers (乙平台, 丙平台), entities on clues and complaints,
a complaint on a platform nobody registered. Every ranking is reconciled with the rows it counts,
computed here from the rows by the rule its 口径 states; the dashboards draw them, each bar and row
leading to its records; the API answers the same rows and refuses a bad ``limit`` in both languages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from html import unescape as html_unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from tests.clues.conftest import at, intake  # noqa: F401 (a fixture the data needs)
from tests.statistics.conftest import END, START, data  # noqa: F401 (the fixture)
from wangjian.core.errors import NotFoundError, ValidationFailed
from wangjian.platform import statistics
from wangjian.platform.statistics import Scope, rankings

pytestmark = pytest.mark.django_db

PERIOD = {"period": "custom", "from": str(START), "to": str(END)}
KEYS = (
    "findings_by_platform",
    "findings_by_entity",
    "clues_received_by_entity",
    "complaints_received_by_entity",
    "complaints_received_by_platform",
)


@pytest.fixture
def ranked(data):  # noqa: F811
    """The statistics data, with ties, entities on clues and complaints, and a platform nobody registered."""
    from wangjian.clues.models import Clue
    from wangjian.complaints.models import Complaint
    from wangjian.monitoring.models import Finding, MonitoringTask, SweepRun
    from wangjian.registry.models import MarketEntity, Platform, Presence
    from wangjian.registry.uscc import complete

    demo = data.demo
    county, other = demo.county, demo.other_county
    task = MonitoringTask.objects.get(bureau=county)
    run = SweepRun.objects.create(task=task, bureau=county, status="done", started_at=at("2025-03-20"))
    data.tied = {}
    for i, name in enumerate(("乙平台", "丙平台")):  # 丙 sorts before 乙 (U+4E19 < U+4E59)
        platform = Platform.objects.create(bureau=county, name=name)
        entity = MarketEntity.objects.create(
            bureau=county, uscc=complete(f"91341825MA2U{i:05d}"), name=f"{name}经营者"
        )
        shop = Presence.objects.create(
            bureau=county, platform=platform, account_id=f"tie{i}", shop_name=f"{name}店", entity=entity
        )
        data.tied[name] = (platform, entity, shop)
        for k in range(2):
            Finding.objects.create(
                bureau=county,
                presence=shop,
                task=task,
                first_run=run,
                last_run=run,
                page_url=f"https://tie.example/{i}/{k}",
                rule_code=f"T{k}",
                rule_name="规则",
                matched=f"平手{i}-{k}",
                matched_key=f"平手{i}-{k}",
                category="absolute_terms",
                severity="high",
                first_seen=at("2025-03-20", "10:00"),
                last_seen=at("2025-03-20", "10:00"),
                status="new",
            )
    # clues of two entities in 旌德县 (those of its shops of 1 and 31 March): E1 found on 1 and 12 March (and
    # 28 February, outside), E2 on 31 March and the clue received on 25 March and transferred only in
    # April (still 旌德县's at the end of March): a tie of two each
    e1, e2 = (
        p.entity for p in Presence.objects.filter(bureau=county, entity__isnull=False).order_by("id")[:2]
    )
    data.e1, data.e2 = e1, e2
    clue = {
        day: data.clues[(county.pk, day)] for day in ("2025-02-28", "2025-03-01", "2025-03-12", "2025-03-31")
    }
    Clue.objects.filter(pk__in=[clue["2025-02-28"].pk, clue["2025-03-01"].pk, clue["2025-03-12"].pk]).update(
        entity=e1
    )
    Clue.objects.filter(pk__in=[clue["2025-03-31"].pk, data.clues["moved_april_from"].pk]).update(entity=e2)
    # the clue transferred to 绩溪县 in March counts there, as the matter received on 5 March
    Clue.objects.filter(pk__in=[data.clues["moved_march"].pk, data.clues["moved_march_from"].pk]).update(
        entity=e2
    )
    # complaints: the reports name E1, the resolved ones their shop's entity; one on a platform not registered
    Complaint.objects.filter(bureau=county, kind="report").update(entity=e1)
    for complaint in Complaint.objects.filter(presence__isnull=False):
        Complaint.objects.filter(pk=complaint.pk).update(entity=complaint.presence.entity)
    Complaint.objects.create(
        bureau=county,
        kind="complaint",
        received_on=dt.date(2025, 3, 18),
        respondent_name="某直播间",
        summary="未登记平台",
        state="received",
        platform_name="未登记的平台",
        entity=data.tied["乙平台"][1],
    )
    Complaint.objects.create(
        bureau=other,
        kind="complaint",
        received_on=dt.date(2025, 3, 18),
        respondent_name="乙平台店",
        summary="平台上的网店",
        state="received",
        presence=data.tied["乙平台"][2],
        platform_name="另一个名字",
    )
    return data


# ---------------------------------------------------------------- the rows, counted here by each 口径


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _findings(scope: Scope, start: dt.date, end: dt.date) -> list:
    from wangjian.monitoring.models import Finding

    rows = Finding.objects.select_related("presence__platform", "presence__entity")
    return [
        f
        for f in rows
        if (scope.bureau_ids is None or f.bureau_id in scope.bureau_ids)
        and start <= _local_day(f.first_seen) <= end
        and (scope.platform_id is None or f.presence.platform_id == scope.platform_id)
    ]


def _complaints(scope: Scope, start: dt.date, end: dt.date) -> list:
    from wangjian.complaints.models import Complaint

    return [
        c
        for c in Complaint.objects.select_related("presence__platform", "entity")
        if (scope.bureau_ids is None or c.bureau_id in scope.bureau_ids)
        and (scope.department_id is None or c.department_id == scope.department_id)
        and start <= c.received_on <= end
        and not (c.state == "transferred" and c.ended_on and c.ended_on <= end)
    ]


def _complaint_platform(c):
    """The presence's platform; with no presence, the first platform registered under the recorded name."""
    from wangjian.registry.models import Platform

    if c.presence_id is not None:
        return c.presence.platform
    return Platform.objects.filter(name=c.platform_name).order_by("pk").first() if c.platform_name else None


def expected(key: str, scope: Scope, start: dt.date = START, end: dt.date = END, limit: int = 100) -> list:
    """The ranking ``key`` computed from the rows: each counted row's platform or entity, counted, ordered."""
    from wangjian.clues.figures import received_ids
    from wangjian.clues.models import Clue

    if key == "findings_by_platform":
        things = [f.presence.platform for f in _findings(scope, start, end)]
    elif key == "findings_by_entity":
        things = [f.presence.entity for f in _findings(scope, start, end)]
    elif key == "clues_received_by_entity":  # the clues the figure counts (its transfers' rule), by entity
        ids = received_ids(scope, start, end)
        things = [c.entity for c in Clue.objects.filter(pk__in=ids).select_related("entity")]
    elif key == "complaints_received_by_entity":
        things = [c.entity for c in _complaints(scope, start, end)]
    else:
        things = [_complaint_platform(c) for c in _complaints(scope, start, end)]
    counted = Counter((t.pk, t.name) for t in things if t is not None)
    rows = sorted(((pk, name, n) for (pk, name), n in counted.items()), key=lambda r: (-r[2], r[1], r[0]))
    return rows[:limit]


def _rows(key, scope, start=START, end=END, limit=100) -> list:
    return [tuple(r) for r in rankings.get_ranking(key).compute(scope, start, end, limit)]


# ---------------------------------------------------------------- the registry


def test_every_app_registers_its_rankings_with_a_basis_and_what_it_ranks():
    registered = {r.key: r for r in rankings.rankings()}
    assert set(KEYS) <= set(registered)
    for key in KEYS:
        ranking = registered[key]
        assert ranking.basis_zh and ranking.basis_en and ranking.records_url is not None
    assert {r.key for r in rankings.rankings(rankings.PLATFORMS)} >= {
        "findings_by_platform",
        "complaints_received_by_platform",
    }
    assert "未匹配到市场主体" in registered["findings_by_entity"].basis_zh  # what it leaves out, said
    with pytest.raises(NotFoundError):
        rankings.get_ranking("no_such_ranking")


def test_a_ranking_is_refused_a_bad_key_unit_filter_or_subject_and_a_second_one_under_its_key():
    ranking = rankings.get_ranking("findings_by_platform")
    for change in (
        {"key": "Findings-By"},
        {"unit": "次数"},
        {"filters": frozenset({"colour"})},
        {"basis_zh": " "},
        {"subject": "shop"},
    ):
        with pytest.raises(ImproperlyConfigured):
            dataclasses.replace(ranking, **change)
    with pytest.raises(ImproperlyConfigured):
        rankings.register_ranking(dataclasses.replace(ranking, label_zh="另一个"))
    rankings.register_ranking(ranking)  # the same one again is harmless


# ---------------------------------------------------------------- reconciled with the rows


@pytest.mark.parametrize("key", KEYS)
def test_each_ranking_reconciles_with_the_rows_it_counts(ranked, key):
    demo = ranked.demo
    for scope in (
        Scope(frozenset({demo.county.pk})),
        Scope(frozenset({demo.other_county.pk})),
        Scope(frozenset(demo.city.descendant_ids())),
        Scope(),
    ):
        rows = _rows(key, scope)
        assert rows == expected(key, scope), (key, scope)
    assert _rows(key, Scope(frozenset({demo.county.pk})))  # something to rank


def test_the_rankings_split_the_figures_they_rank(ranked):
    """Each ranking counts its figure's records: all of them but those of no platform or no entity."""
    county = Scope(frozenset({ranked.demo.county.pk}))
    findings = _findings(county, START, END)
    total = sum(n for *_x, n in _rows("findings_by_platform", county))
    assert total == len([f for f in findings if f.presence.platform_id]) == len(findings)
    assert statistics.value("findings", county, START, END) == len(findings)
    unmatched = len([f for f in findings if f.presence.entity_id is None])
    assert unmatched and sum(n for *_x, n in _rows("findings_by_entity", county)) == len(findings) - unmatched
    received = statistics.value("clues_received", county, START, END)
    from wangjian.clues.figures import received_ids
    from wangjian.clues.models import Clue

    no_entity = Clue.objects.filter(pk__in=received_ids(county, START, END), entity__isnull=True).count()
    assert sum(n for *_x, n in _rows("clues_received_by_entity", county)) == received - no_entity
    complaints = _complaints(county, START, END)
    assert statistics.value("complaints_received", county, START, END) == len(complaints)
    on_none = len([c for c in complaints if _complaint_platform(c) is None])
    assert on_none == 1  # the platform nobody registered
    assert sum(n for *_x, n in _rows("complaints_received_by_platform", county)) == len(complaints) - on_none


def test_the_bureau_tree_and_the_period_bound_each_ranking(ranked):
    demo = ranked.demo
    shop_platform, other_platform = ranked.platform, ranked.other_platform
    county, sibling = Scope(frozenset({demo.county.pk})), Scope(frozenset({demo.other_county.pk}))
    tree, alone = Scope(frozenset(demo.city.descendant_ids())), Scope(frozenset({demo.city.pk}))
    tie = [(p.pk, name, 2) for name, (p, _e, _s) in sorted(ranked.tied.items())]
    # 1, 12 and 31 March count (two findings a day on the shop of 某电商平台, one on 另一平台); 28 February
    # and 1 April 00:00 do not
    assert _rows("findings_by_platform", county) == [
        (shop_platform.pk, "某电商平台", 6),
        (other_platform.pk, "另一平台", 3),
        *tie,
    ]
    assert _rows("findings_by_platform", sibling) == [
        (shop_platform.pk, "某电商平台", 6),
        (other_platform.pk, "另一平台", 3),
    ]
    assert _rows("findings_by_platform", tree)[:2] == [
        (shop_platform.pk, "某电商平台", 12),
        (other_platform.pk, "另一平台", 6),
    ]
    assert _rows("findings_by_platform", alone) == []  # the city itself runs no task
    # one day either side of the period: 28 February and 1 April (its 00:00 finding) come in
    wider = _rows("findings_by_platform", county, START - dt.timedelta(days=1), END + dt.timedelta(days=1))
    assert wider[0] == (shop_platform.pk, "某电商平台", 10)
    # the clue transferred in March counts for 绩溪县, as received on 5 March; the one transferred in April
    # still for 旌德县 in March
    e1, e2 = ranked.e1, ranked.e2
    assert _rows("clues_received_by_entity", county) == sorted(
        [(e1.pk, e1.name, 2), (e2.pk, e2.name, 2)], key=lambda r: (r[1], r[0])
    )
    assert _rows("clues_received_by_entity", sibling) == [(e2.pk, e2.name, 1)]


def test_ties_are_ordered_by_label_and_the_limit_keeps_the_first(ranked):
    county = Scope(frozenset({ranked.demo.county.pk}))
    (b_platform, b_entity, _s), (_c, c_entity, _t) = ranked.tied["乙平台"], ranked.tied["丙平台"]
    rows = _rows("findings_by_platform", county, limit=3)
    assert [r[1] for r in rows] == ["某电商平台", "另一平台", "丙平台"]  # 丙 before 乙: by label
    assert _rows("findings_by_platform", county, limit=4)[3] == (b_platform.pk, "乙平台", 2)
    assert _rows("findings_by_platform", county, limit=1) == [(ranked.platform.pk, "某电商平台", 6)]
    assert _rows("findings_by_platform", county, limit=3) == rows  # the same every time
    by_entity = _rows("findings_by_entity", county)
    assert [r[0] for r in by_entity[1:]] == [c_entity.pk, b_entity.pk]  # 丙平台经营者 before 乙平台经营者
    with pytest.raises(ValidationFailed):
        rankings.read("findings_by_platform", county, START, END, limit=0)
    assert len(rankings.read("findings_by_platform", county, START, END, limit=2)) == 2


@pytest.mark.parametrize("key", KEYS)
def test_a_ranking_costs_the_same_few_queries_whatever_the_rows(ranked, key, django_assert_max_num_queries):
    """One grouped query (the clues' also reads the few transferred ones' first receipt), with 40 more
    platforms and entities in it as with four."""
    from wangjian.clues.models import Clue
    from wangjian.complaints.models import Complaint
    from wangjian.monitoring.models import Finding
    from wangjian.registry.models import MarketEntity, Platform, Presence
    from wangjian.registry.uscc import complete

    demo = ranked.demo
    scope = Scope(frozenset(demo.city.descendant_ids()))
    ranking = rankings.get_ranking(key)
    ceiling = 3 if key.startswith("clues") else 1
    with django_assert_max_num_queries(ceiling):
        ranking.compute(scope, START, END, 100)
    template = Finding.objects.filter(bureau=demo.county).first()
    clues = list(Clue.objects.filter(bureau__in=scope.bureau_ids).values_list("pk", flat=True))
    for i in range(40):
        platform = Platform.objects.create(bureau=demo.county, name=f"新平台{i}")
        entity = MarketEntity.objects.create(
            bureau=demo.county, uscc=complete(f"91341825MA2W{i:05d}"), name=f"新主体{i}"
        )
        shop = Presence.objects.create(
            bureau=demo.county, platform=platform, account_id=f"new{i}", entity=entity
        )
        Finding.objects.create(
            **{
                f.attname: getattr(template, f.attname)
                for f in Finding._meta.concrete_fields
                if f.attname not in ("id", "presence_id", "matched_key")
            }
            | {"presence_id": shop.pk, "matched_key": f"新{i}", "first_seen": at("2025-03-15")}
        )
        Complaint.objects.create(
            bureau=demo.county,
            kind="complaint",
            received_on=dt.date(2025, 3, 9),
            respondent_name=entity.name,
            summary="再多一件",
            entity=entity,
            presence=shop,
        )
        if i < len(clues):  # every clue of the city its own entity
            Clue.objects.filter(pk=clues[i]).update(entity=entity)
    with django_assert_max_num_queries(ceiling):
        rows = ranking.compute(scope, START, END, 100)
    assert rows == ranking.compute(scope, START, END, 100)
    assert len(rows) > (40 if not key.startswith("clues") else 5)


def test_a_ranking_refuses_the_filters_it_cannot_honour_and_honours_the_others(ranked):
    demo = ranked.demo
    department = demo.users["ad_officer"].department
    by_unit = Scope(frozenset({demo.county.pk}), department_id=department.pk)
    with pytest.raises(ValidationFailed) as refused:
        rankings.read("findings_by_platform", by_unit, START, END)
    assert "不能按科室筛选" in refused.value.zh and "department" in refused.value.en
    # complaints honour the unit: the county's price department handles its complaints but the one of a
    # platform nobody registered (乙平台经营者's), which no unit handles
    price = Scope(frozenset({demo.county.pk}), department_id=demo.county.departments.get(kind="price").pk)
    handled = rankings.read("complaints_received_by_entity", price, START, END)
    assert handled == expected("complaints_received_by_entity", price)
    assert ranked.tied["乙平台"][1].pk not in {r.id for r in handled}
    whole = _rows("complaints_received_by_entity", Scope(frozenset({demo.county.pk})))
    assert ranked.tied["乙平台"][1].pk in {r[0] for r in whole}
    # by platform: the findings on that platform only
    one = Scope(frozenset({demo.county.pk}), platform_id=ranked.other_platform.pk)
    assert rankings.read("findings_by_platform", one, START, END) == [
        (ranked.other_platform.pk, "另一平台", 3)
    ]


# ---------------------------------------------------------------- the API


def test_the_api_lists_the_rankings_with_their_basis_and_answers_one(ranked, api):
    office = ranked.demo.users["office"]
    listed = api(office).get("/api/stats/rankings/")
    assert listed.status_code == 200, listed.content
    rows = {r["key"]: r for r in listed.json()["rankings"]}
    assert set(KEYS) <= set(rows)
    assert rows["findings_by_entity"]["basis_zh"] == rankings.get_ranking("findings_by_entity").basis_zh
    assert rows["findings_by_entity"]["subject"] == "entity" and rows["findings_by_platform"]["filters"] == [
        "platform"
    ]
    one = api(office).get("/api/stats/rankings/findings_by_platform/", {**PERIOD, "limit": 3})
    assert one.status_code == 200, one.content
    body = one.json()
    county = Scope(frozenset({ranked.demo.county.pk}))
    assert [(r["id"], r["label"], r["value"]) for r in body["rows"]] == expected(
        "findings_by_platform", county, limit=3
    )
    assert [r["rank"] for r in body["rows"]] == [1, 2, 3] and body["limit"] == 3
    assert body["scope"]["start"] == str(START) and body["basis_zh"]
    assert all(r["records_url"].startswith("/monitoring/findings/") for r in body["rows"])
    default = api(office).get("/api/stats/rankings/findings_by_platform/", PERIOD).json()
    assert default["limit"] == 10 and len(default["rows"]) == 4


def test_the_api_refuses_a_bad_limit_in_both_languages(ranked, api):
    client = api(ranked.demo.users["office"])
    for limit in ("0", "101", "-1", "ten", "1.5", "99999999999999999999"):
        response = client.get("/api/stats/rankings/findings_by_platform/", {**PERIOD, "limit": limit})
        assert response.status_code == 400, limit
        error = response.json()["error"]
        assert error["zh"] == f"limit 应为1至100之间的整数：{limit}"
        assert error["en"] == f"limit must be a whole number from 1 to 100: {limit}"
    assert (
        client.get("/api/stats/rankings/findings_by_platform/", {**PERIOD, "limit": "100"}).status_code == 200
    )


def test_the_api_reads_rankings_by_the_figures_rules(ranked, api):
    demo = ranked.demo
    officer = demo.users["ad_officer"]
    url = "/api/stats/rankings/complaints_received_by_entity/"
    assert api(officer).get(url, {**PERIOD, "bureau": demo.other_county.pk}).status_code == 403
    assert api(demo.users["office"]).get(url, {**PERIOD, "bureau": demo.other_county.pk}).status_code == 404
    assert api(demo.users["office"]).get("/api/stats/rankings/no_such/", PERIOD).status_code == 404
    refused = api(officer).get(
        "/api/stats/rankings/findings_by_entity/", {**PERIOD, "department": officer.department_id}
    )
    assert refused.status_code == 400 and "科室" in refused.json()["error"]["zh"]
    city = api(demo.users["city_office"]).get("/api/stats/rankings/findings_by_platform/", PERIOD).json()
    assert city["scope"]["below"] is True and city["rows"][0]["value"] == 12


# ---------------------------------------------------------------- the dashboard


def _box(response, subject):
    return next(b for b in response.context["board"].rankings if b.subject == subject)


def _ranked(client, params):
    """The dashboard's rankings as the page loads them once shown: its slot's address, asked by htmx."""
    page = client.get("/stats/", params)
    assert page.status_code == 200
    slot = re.search(r'id="stats-rankings" hx-get="([^"]+)"', page.content.decode())
    assert slot, "the page loads its rankings"
    url = html_unescape(slot.group(1))
    assert url.startswith("/stats/rankings/?")
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.content.decode()  # the fragment, not a page
    return response


def test_the_dashboard_shows_the_top_platforms_and_entities_with_links_to_their_records(ranked, login):
    demo = ranked.demo
    client = login(demo.users["office"])
    response = _ranked(client, PERIOD)
    county = Scope(frozenset({demo.county.pk}))
    html = response.content.decode()
    platforms, entities = _box(response, "platform"), _box(response, "entity")
    assert platforms.ranking.key == "findings_by_platform" and entities.ranking.key == "findings_by_entity"
    for box in (platforms, entities):
        assert [(label, n) for _rank, label, n, _url in box.rows] == [
            (name, n) for _pk, name, n in expected(box.ranking.key, county, limit=10)
        ]
        assert f'id="{box.id}-table"' in html and f'data-source="{box.data_id}"' in html
        for _rank, _label, _n, url in box.rows:
            assert url and f'href="{url.replace("&", "&amp;")}"' in html
        assert box.data()["series"][0]["urls"] == [u for *_x, u in box.rows]
    assert "排名" in html and rankings.get_ranking("findings_by_entity").basis_zh in html
    # the first platform's link: the finding list of that platform over the period, its findings and no others
    url = platforms.rows[0][3]
    query = parse_qs(urlsplit(url).query)
    assert query["platform"] == [str(ranked.platform.pk)] and query["first_seen_after"] == [str(START)]
    assert _shown(client, url) == _records("findings_by_platform", county, ranked.platform.pk)
    # the first entity's: its findings are there
    pk = expected("findings_by_entity", county)[0][0]
    assert _records("findings_by_entity", county, pk) <= _shown(client, entities.rows[0][3])
    # the complaints' platform ranking picked: its first platform's complaints, no others
    picked = _ranked(client, {**PERIOD, "rank_platform": "complaints_received_by_platform"})
    first = _box(picked, "platform").rows[0]
    assert first[1] == "某电商平台"
    wanted = _records("complaints_received_by_platform", county, ranked.platform.pk)
    assert len(wanted) == first[2] and _shown(client, first[3]) == wanted


def _shown(client, url: str) -> set[int]:
    """The records a list page shows for ``url`` (all its pages)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return set(response.context["filter"].qs.values_list("pk", flat=True))


def _records(key: str, scope: Scope, pk: int) -> set[int]:
    """The ids of the records ranking ``key`` counts for row ``pk``, from the rows."""
    from wangjian.clues.figures import received_ids
    from wangjian.clues.models import Clue

    if key.startswith("findings"):
        found = _findings(scope, START, END)
        return {
            f.pk
            for f in found
            if (f.presence.platform_id if "platform" in key else f.presence.entity_id) == pk
        }
    if key.startswith("clues"):
        return set(
            Clue.objects.filter(pk__in=received_ids(scope, START, END), entity_id=pk).values_list(
                "pk", flat=True
            )
        )
    received = _complaints(scope, START, END)
    if key.endswith("platform"):
        return {c.pk for c in received if (p := _complaint_platform(c)) is not None and p.pk == pk}
    return {c.pk for c in received if c.entity_id == pk}


@pytest.mark.parametrize(
    "key", ["findings_by_entity", "clues_received_by_entity", "complaints_received_by_entity"]
)
def test_an_entitys_link_shows_that_entitys_records_and_no_others(ranked, login, key):
    county = Scope(frozenset({ranked.demo.county.pk}))
    client = login(ranked.demo.users["office"])
    pk, _label, n = expected(key, county)[0]
    wanted = _records(key, county, pk)
    assert len(wanted) == n
    assert _shown(client, rankings.get_ranking(key).records_url(county, START, END, pk)) == wanted


def test_a_ranking_that_cannot_honour_the_pages_filters_says_so(ranked, login):
    demo = ranked.demo
    officer = demo.users["ad_officer"]  # their department by default: findings cannot be counted by unit
    response = _ranked(login(officer), PERIOD)
    html = response.content.decode()
    platforms, entities = _box(response, "platform"), _box(response, "entity")
    for box in (platforms, entities):
        assert not box.ranking.key.startswith("findings")  # the first of its subject that can be filtered so
        assert not rankings.unsupported(box.ranking, response.context["ask"].scope)
        assert "不能按科室筛选" in box.note
    assert "监测发现最多的平台不能按科室筛选" in html
    # asked for by name: not drawn, said so, no table of unfiltered numbers
    picked = _ranked(login(officer), {**PERIOD, "rank_platform": "findings_by_platform"})
    box = _box(picked, "platform")
    assert box.ranking.key == "findings_by_platform" and not box.rows and "未画出" in box.note
    assert 'id="ranking-platform-table"' not in picked.content.decode()
    # a ranking of the other subject, or none at all, is refused in both languages
    wrong = login(officer).get("/stats/", {**PERIOD, "rank_platform": "findings_by_entity"})
    assert wrong.status_code == 400 and "rank_platform" in wrong.content.decode()
    assert login(officer).get("/stats/", {**PERIOD, "rank_entity": "nothing"}).status_code == 404


def test_the_ranking_picked_is_drawn_and_kept_by_the_pages_form(ranked, login):
    demo = ranked.demo
    client = login(demo.users["office"])
    response = _ranked(client, {**PERIOD, "rank_entity": "complaints_received_by_entity"})
    box = _box(response, "entity")
    county = Scope(frozenset({demo.county.pk}))
    assert box.ranking.key == "complaints_received_by_entity"
    assert [(label, n) for _r, label, n, _u in box.rows] == [
        (name, n) for _pk, name, n in expected("complaints_received_by_entity", county, limit=10)
    ]
    html = response.content.decode()
    assert '<option value="complaints_received_by_entity" selected>' in html
    hidden = dict(response.context["board"].ranking_query)
    assert hidden["from"] == str(START) and "rank_entity" not in hidden
    # the page's own filters keep the pick too
    page = client.get("/stats/", {**PERIOD, "rank_entity": "complaints_received_by_entity"}).content.decode()
    assert '<input type="hidden" name="rank_entity" value="complaints_received_by_entity">' in page
    # opened by itself (without JavaScript), the rankings are a page with the way back to the dashboard
    alone = client.get("/stats/rankings/", {**PERIOD, "rank_entity": "complaints_received_by_entity"})
    assert "<html" in alone.content.decode() and _box(alone, "entity").rows == box.rows
    assert "/stats/?" in alone.content.decode()
