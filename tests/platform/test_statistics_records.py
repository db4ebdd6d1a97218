"""Every figure links to the records it counts: the app's list page (and its API list, with the same query
string) shows exactly the figure's rows for the period, the reader's bureaus and the scope's unit, domain
and platform; the figures of rectifications, 约谈 and confiscations reconcile with the rows.

The rows (``statistics_rows``) are two bureaus' (旌德县 and 绩溪县, under 宣城市) over March and April 2025,
with transfers, merges and the periods' boundaries. Each reader (the county's office, 绩溪's and the
city's) sees its own bureaus: the figure for those bureaus is what its list must show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.clues.conftest import intake  # noqa: F401 (a fixture the rows need)
from tests.platform import statistics_rows
from wangjian.platform import statistics
from wangjian.platform.statistics import DEPARTMENT, DOMAIN, PLATFORM, STATION, Scope

pytestmark = pytest.mark.django_db
rows = statistics_rows.rows  # the two bureaus' records of March and April 2025 (a fixture)

D = dt.date
MARCH = (D(2025, 3, 1), D(2025, 3, 31))
APRIL = (D(2025, 4, 1), D(2025, 4, 30))
BOTH = (D(2025, 3, 1), D(2025, 4, 30))

# Figures without a list of their rows, and why (every other figure gives its ``records_url``).
NO_RECORDS_LIST = {
    # its rows are clues and cases, two lists: each source of its breakdown links its own list
    "rectifications": "clues and cases",
    "reporting_submitted": "revisions of reports, read on each report's page",
    "reporting_on_time": "revisions of reports, read on each report's page",
}
# The list pages and their API lists (the same FilterSet). The runs' API has no filters: the page only.
API = {
    "clues:clue_list": "/api/clues/clues/",
    "cases:case_list": "/api/cases/cases/",
    "complaints:complaint_list": "/api/complaints/complaints/",
    "monitoring:finding_list": "/api/monitoring/findings/",
    "monitoring:run_list": None,
    "registry:entity_list": "/api/registry/entities/",
    "registry:presence_list": "/api/registry/presences/",
    "inspections:draw_list": "/api/inspections/draws/",
    "inspections:drawn_list": "/api/inspections/drawn/",
    "inspections:result_list": "/api/inspections/results/",
    "evidence:capture_list": "/api/evidence/captures/",
    "assist:request_list": "/api/assist/requests/",
    "outreach:request_list": "/api/outreach/requests/",
    "outreach:guidance_list": "/api/outreach/guidance/",
}


@pytest.fixture
def results(rows):
    """The results of the rows' draws, per bureau, on the boundaries: an object checked on 31 March on one
    item and on 1 April on another (counted once in both months together), one checked in February on one
    item and in May on another (checked in neither month), a result of the draw a re-draw replaced (never
    counted), one of the price department's plan, one not yet published."""
    from tests.clues.conftest import at
    from wangjian.inspections.models import InspectionItem, InspectionResult

    for bureau_id, u in rows.units.items():
        ad = [
            InspectionItem.objects.create(
                bureau_id=bureau_id, department=u["department"], name=f"核对事项{i}"
            )
            for i in (1, 2)
        ]
        price = InspectionItem.objects.create(bureau_id=bureau_id, department=u["price"], name="核对价格事项")
        first, replaced, redraw, priced = _draws_of(bureau_id)
        for drawn, item, category, checked_on, published_at in (
            (first[0], ad[0], "no_problem", D(2025, 3, 31), at("2025-03-31", "23:59")),
            (first[0], ad[1], "pending", D(2025, 4, 1), at("2025-04-01", "00:00")),
            (first[1], ad[0], "no_problem", D(2025, 2, 28), at("2025-03-02")),
            (first[1], ad[1], "false_info", D(2025, 5, 1), None),
            (replaced[0], ad[0], "no_problem", D(2025, 4, 2), at("2025-04-03")),
            (redraw[0], ad[0], "false_info", D(2025, 4, 5), at("2025-04-20")),
            (redraw[1], ad[0], "corrected", D(2025, 4, 30), at("2025-05-01")),
            (priced[0], price, "corrected", D(2025, 3, 20), at("2025-03-25")),
        ):
            InspectionResult.objects.create(
                bureau_id=bureau_id,
                drawn=drawn,
                item=item,
                category=category,
                checked_on=checked_on,
                published_at=published_at,
            )
    return rows


def _draws_of(bureau_id: int):
    """The objects of the bureau's four drawn draws: of 31 March, the replaced one, its re-draw, the price
    department's."""
    from wangjian.inspections.models import Draw

    draws = Draw.objects.filter(bureau_id=bureau_id, state="drawn").select_related("plan")
    first = draws.get(replaces__isnull=True, replaced_by__isnull=True, plan__department__name="广告监管股")
    redraw = draws.get(replaces__isnull=False)
    priced = draws.exclude(plan__department__name="广告监管股").get()
    return (list(d.objects_drawn.order_by("rank")) for d in (first, redraw.replaces, redraw, priced))


def local(moment):
    return timezone.localtime(moment).date() if moment else None


def within(day, start, end):
    return day is not None and start <= day <= end


# ---------------------------------------------------------------- what a list shows


def _scopes(figure, ids: frozenset[int], units: dict) -> list[Scope]:
    """The reader's bureaus, then each filter the figure honours, set to a unit of the reader's first county."""
    base = Scope(bureau_ids=ids)
    u = units[min(i for i in ids if i in units)]
    out = [base]
    if DEPARTMENT in figure.filters:
        out.append(replace(base, department_id=u["department"].pk))
    if STATION in figure.filters:
        out.append(replace(base, station_id=u["station"].pk))
    if DOMAIN in figure.filters:
        out.append(replace(base, domain="online_price"))
    if PLATFORM in figure.filters:
        out.append(replace(base, platform_id=u["platform"].pk))
    return out


def _listed(client, api_client, url: str) -> tuple[list[int], list[int] | None]:
    """The ids the list page shows for ``url`` and those its API list answers for the same query string."""
    page = client.get(url)
    assert page.status_code == 200, url
    shown = page.context["filter"]
    assert shown.is_valid(), (url, shown.errors)
    ids = list(shown.qs.values_list("pk", flat=True))
    parts = urlsplit(url)
    name = next(n for n in API if reverse(n) == parts.path)
    if API[name] is None:
        return ids, None
    answer = api_client.get(f"{API[name]}?{parts.query}&limit=500")
    assert answer.status_code == 200, (url, answer.content[:300])
    body = answer.json()
    assert not body.get("next"), url
    return ids, [r["id"] for r in body["results"]]


def _sum_rows(key: str, scope: Scope, start: dt.date, end: dt.date) -> set[int] | None:
    """For a figure that adds an amount over rows (元, pages, objects drawn): the ids of the rows it adds,
    found here from the rows (``None``: a figure that counts its rows)."""
    from wangjian.cases.models import Case
    from wangjian.complaints.models import Complaint
    from wangjian.inspections.models import Draw
    from wangjian.monitoring.models import SweepRun

    ids = scope.bureau_ids

    def unit_ok(row) -> bool:
        platform = row.presence.platform_id if row.presence_id else None
        return (
            (scope.department_id is None or row.department_id == scope.department_id)
            and (scope.domain == "" or row.domain == scope.domain)
            and (scope.platform_id is None or platform == scope.platform_id)
        )

    if key in ("cases_fines", "cases_confiscations", "cases_fines_and_confiscations"):
        return {
            c.pk
            for c in Case.objects.all()
            if c.bureau_id in ids and c.penalised and within(c.decided_on, start, end) and unit_ok(c)
        }
    if key == "complaints_recovered":
        return {
            c.pk
            for c in Complaint.objects.all()
            if c.bureau_id in ids
            and c.state == "resolved"
            and within(c.ended_on, start, end)
            and unit_ok(c)
            and (scope.station_id is None or c.station_id == scope.station_id)
        }
    if key == "monitoring_pages":
        return {
            r.pk
            for r in SweepRun.objects.all()
            if r.bureau_id in ids and within(local(r.started_at or r.created), start, end)
        }
    if key == "outreach_links_removed":
        from wangjian.outreach.models import PlatformRequest

        return {
            r.pk
            for r in PlatformRequest.objects.all()
            if r.bureau_id in ids
            and r.kind == "takedown"
            and r.answer in ("done", "partly")
            and within(r.answered_on, start, end)
            and (scope.platform_id is None or r.platform_id == scope.platform_id)
        }
    if key == "inspections_drawn":
        return {
            d.pk
            for d in Draw.objects.all()
            if d.bureau_id in ids
            and d.state == "drawn"
            and not Draw.objects.filter(replaces=d).exists()
            and within(local(d.drawn_at), start, end)
            and (scope.department_id is None or d.plan.department_id == scope.department_id)
        }
    return None


def _amount(key: str, ids: list[int]):
    """The figure's amount added over the listed rows."""
    from django.db.models import Sum

    from wangjian.cases.models import Case
    from wangjian.complaints.models import Complaint
    from wangjian.inspections.models import DrawnObject
    from wangjian.monitoring.models import SweepRun
    from wangjian.outreach.models import PlatformRequest

    def total(qs, name):
        return qs.aggregate(n=Sum(name))["n"] or Decimal(0)

    cases = Case.objects.filter(pk__in=ids)
    return {
        "cases_fines": lambda: total(cases, "fine_amount"),
        "cases_confiscations": lambda: total(cases, "confiscated_amount"),
        "cases_fines_and_confiscations": lambda: (
            total(cases, "fine_amount") + total(cases, "confiscated_amount")
        ),
        "complaints_recovered": lambda: total(Complaint.objects.filter(pk__in=ids), "recovered"),
        "monitoring_pages": lambda: sum(
            r.pages_done + r.pages_unchanged for r in SweepRun.objects.filter(pk__in=ids)
        ),
        "inspections_drawn": lambda: DrawnObject.objects.filter(draw_id__in=ids).count(),
        "outreach_links_removed": lambda: total(PlatformRequest.objects.filter(pk__in=ids), "links_removed"),
    }[key]()


def test_every_figure_links_to_its_records_or_says_why_it_cannot():
    keys = set(statistics.keys())
    assert set(NO_RECORDS_LIST) <= keys, "an exception for a figure no longer registered"
    scope = Scope(bureau_ids=frozenset({1}))
    for figure in statistics.all():
        if figure.key in NO_RECORDS_LIST:
            assert figure.records_url is None, figure.key
            continue
        assert figure.records_url is not None, f"{figure.key}: give its records_url or say why not here"
        url = figure.records_url(scope, *MARCH)
        assert urlsplit(url).path in {reverse(n) for n in API}, (figure.key, url)
    # a figure over two lists links each of its sources instead
    rectifications = statistics.get("rectifications")
    assert rectifications.breakdown.records_url is not None
    assert {v for v, _label in rectifications.breakdown.choices} == {"clue", "case"}


def test_each_list_shows_exactly_the_rows_its_figure_counts(rows, results, client, api):
    checked, counted = 0, set()
    for name, (user, ids) in rows.readers.items():
        client.force_login(user)
        api_client = api(user)
        for figure in statistics.all():
            if figure.records_url is None:
                continue
            for scope in _scopes(figure, ids, rows.units):
                periods = (MARCH, APRIL, BOTH) if scope.filters() == set() else (MARCH,)
                for start, end in periods:
                    value = statistics.value(figure.key, scope, start, end)
                    url = figure.records_url(scope, start, end)
                    shown, answered = _listed(client, api_client, url)
                    where = (name, figure.key, scope.filters(), str(start), str(end), url)
                    assert len(shown) == len(set(shown)), where
                    expected_rows = _sum_rows(figure.key, scope, start, end)
                    if expected_rows is None:
                        assert len(shown) == value, where
                    else:  # an amount: the rows it adds, and their amount
                        assert set(shown) == expected_rows, where
                        assert _amount(figure.key, shown) == value, where
                    if answered is not None:
                        assert sorted(answered) == sorted(shown), where
                    checked += 1
                    counted |= {figure.key} if value else set()
    linked = {f.key for f in statistics.all() if f.records_url is not None}
    assert counted == linked, f"figures the rows never exercised: {sorted(linked - counted)}"
    assert checked > 100


def test_each_item_of_a_breakdown_links_to_the_rows_it_counts(rows, results, client, api):
    items = 0
    for name, (user, ids) in rows.readers.items():
        client.force_login(user)
        api_client = api(user)
        scope = Scope(bureau_ids=ids)
        for figure in statistics.all():
            b = figure.breakdown
            if b is None:
                continue
            assert b.records_url is not None, f"{figure.key}: its breakdown links nowhere"
            for value, n in statistics.breakdown(figure.key, scope, *BOTH).items():
                url = b.records_url(scope, *BOTH, value)
                shown, answered = _listed(client, api_client, url)
                assert len(shown) == n, (name, figure.key, value, url)
                assert answered is None or sorted(answered) == sorted(shown), (name, figure.key, value)
                items += 1
    assert items > 20


# ---------------------------------------------------------------- the new figures, from the rows


def _new_expected(key: str, scope: Scope, start: dt.date, end: dt.date):
    """Rectifications, 约谈 and confiscations counted here from the rows, never by a figure."""
    from wangjian.cases.models import Case
    from wangjian.clues.models import Clue

    ids = scope.bureau_ids

    def unit_ok(row):
        platform = row.presence.platform_id if row.presence_id else None
        return (
            (scope.department_id is None or row.department_id == scope.department_id)
            and (scope.domain == "" or row.domain == scope.domain)
            and (scope.platform_id is None or platform == scope.platform_id)
        )

    clues = [c for c in Clue.objects.all() if c.bureau_id in ids and c.state != "merged" and unit_ok(c)]
    decided = [
        c
        for c in Case.objects.all()
        if c.bureau_id in ids and within(c.decided_on, start, end) and unit_ok(c)
    ]
    closed = [c for c in clues if within(local(c.closed_at), start, end)]
    if key == "clues_guidance":
        return sum(c.disposal == "guidance" for c in closed)
    if key == "rectifications":
        by = {
            "clue": sum(c.disposal == "rectify" for c in closed),
            "case": sum(bool(c.rectification_order) for c in decided),
        }
        return sum(by.values()), {k: v for k, v in by.items() if v}
    penalised = [c for c in decided if c.penalised]
    fines = sum((c.fine_amount or 0 for c in penalised), Decimal(0))
    confiscated = sum((c.confiscated_amount or 0 for c in penalised), Decimal(0))
    return {"cases_confiscations": confiscated, "cases_fines_and_confiscations": fines + confiscated}[key]


def test_rectifications_interviews_and_confiscations_reconcile_with_the_rows(rows):
    demo = rows.demo
    trees = (
        frozenset({demo.county.pk}),
        frozenset({demo.other_county.pk}),
        frozenset({demo.city.pk}),
        frozenset(demo.city.descendant_ids()),
    )
    county = rows.units[demo.county.pk]
    seen = set()
    for ids in trees:
        for scope in (
            Scope(bureau_ids=ids),
            Scope(bureau_ids=ids, department_id=county["department"].pk),
            Scope(bureau_ids=ids, domain="online_price", platform_id=county["platform"].pk),
        ):
            for start, end in (MARCH, APRIL, BOTH, (D(2025, 3, 31), D(2025, 3, 31))):
                for key in ("clues_guidance", "cases_confiscations", "cases_fines_and_confiscations"):
                    got = statistics.value(key, scope, start, end)
                    assert got == _new_expected(key, scope, start, end), (key, scope, start, end)
                    seen |= {key} if got else set()
                total, by_source = _new_expected("rectifications", scope, start, end)
                assert statistics.value("rectifications", scope, start, end) == total, (scope, start, end)
                assert statistics.breakdown("rectifications", scope, start, end) == by_source
                seen |= {"rectifications"} if total else set()
    assert seen == {
        "clues_guidance",
        "cases_confiscations",
        "cases_fines_and_confiscations",
        "rectifications",
    }
    # 罚没款 is the fines and the confiscations of the same decisions
    city = Scope(bureau_ids=trees[3])
    assert statistics.value("cases_fines_and_confiscations", city, *BOTH) == statistics.value(
        "cases_fines", city, *BOTH
    ) + statistics.value("cases_confiscations", city, *BOTH)
    # the transferred clue closed by 约谈 in 绩溪 counts there, never for 旌德 which sent it
    assert statistics.value("clues_guidance", Scope(frozenset({demo.county.pk})), *APRIL) == 0
    assert statistics.value("clues_guidance", Scope(frozenset({demo.other_county.pk})), *APRIL) == 1
