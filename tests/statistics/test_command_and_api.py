"""``wangjian stats --json`` and ``/api/stats/figures/`` answer what the registry computes; who reads which bureau."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from tests.statistics.conftest import END, START
from wangjian.platform import statistics
from wangjian.platform.statistics import Scope

pytestmark = pytest.mark.django_db

REQUIRED = ("clues_received", "clues_overdue", "findings", "cases_opened", "complaints_received")


def _run(*args) -> str:
    out = io.StringIO()
    call_command("stats", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_command_prints_one_json_object_of_every_registered_figure(data):
    city = data.demo.city
    payload = json.loads(_run("--bureau", city.code, "--from", str(START), "--to", str(END), "--json"))
    assert set(REQUIRED) <= set(payload)
    assert {f.key for f in statistics.all()} <= set(payload)
    scope = Scope(frozenset(city.descendant_ids()))
    for figure in statistics.all():
        assert Decimal(str(payload[figure.key])) == figure.compute(scope, START, END), figure.key
    assert payload["findings_by_category"] == statistics.breakdown("findings", scope, START, END)
    # every bureau when none is named: the same as the city's tree here (the province has no records)
    everyone = json.loads(_run("--from", str(START), "--to", str(END), "--json"))
    assert everyone["cases_opened"] == payload["cases_opened"]
    # the city alone
    alone = json.loads(
        _run("--bureau", city.code, "--no-below", "--from", str(START), "--to", str(END), "--json")
    )
    assert alone["cases_opened"] == 0


def test_the_command_without_json_prints_labels_and_basis(data):
    text = _run("--bureau", data.demo.county.code, "--from", str(START), "--to", str(END))
    assert "受理线索（clues_received）" in text and "口径：" in text and "件" in text


def test_the_command_does_not_crash_on_a_key_not_registered(data):
    statistics.unregister("complaints_received")
    try:
        payload = json.loads(_run("--from", str(START), "--to", str(END), "--json"))
        assert "complaints_received" not in payload and "cases_opened" in payload
    finally:
        from wangjian.complaints import figures

        figures.register_all()


def test_the_api_answers_the_registrys_values_with_labels_unit_and_basis(data, api):
    office = data.demo.users["office"]
    response = api(office).get("/api/stats/figures/", {"from": str(START), "to": str(END)})
    assert response.status_code == 200, response.content
    body = response.json()
    county = Scope(frozenset(data.demo.county.descendant_ids()))
    rows = {row["key"]: row for row in body["figures"]}
    assert set(REQUIRED) <= set(rows)
    for figure in statistics.all():
        row = rows[figure.key]
        assert Decimal(str(row["value"])) == figure.compute(county, START, END), figure.key
        assert row["basis_zh"] == figure.basis_zh and row["unit"] == figure.unit and row["label_zh"]
    items = {i["key"]: i["value"] for i in rows["cases_opened"]["breakdown"]["items"]}
    assert items == statistics.breakdown("cases_opened", county, START, END)
    series = api(office).get(
        "/api/stats/figures/cases_opened/series/", {"from": "2025-02-01", "to": "2025-04-30"}
    )
    assert series.status_code == 200, series.content
    months = [(m["month"], m["value"]) for m in series.json()["months"]]
    assert months == [("2025-02", 4), ("2025-03", 12), ("2025-04", 4)]  # 28 Feb, March, 1 April
    assert [v for _, v in months] == [
        statistics.value("cases_opened", county, p.start, p.end)
        for p in statistics.month_periods(START.replace(month=2), END.replace(month=4, day=30))
    ]


def test_the_api_refuses_a_filter_a_figure_cannot_honour_and_lists_what_it_left_out(data, api):
    office = data.demo.users["office"]
    dept = data.demo.users["ad_officer"].department
    client = api(office)
    one = client.get("/api/stats/figures/registry_entities/", {"department": dept.pk})
    assert one.status_code == 400 and "科室" in one.json()["error"]["zh"]
    listed = client.get("/api/stats/figures/", {"department": dept.pk, "from": str(START), "to": str(END)})
    assert listed.status_code == 200
    assert "registry_entities" in {o["key"] for o in listed.json()["omitted"]}
    assert "cases_opened" in {f["key"] for f in listed.json()["figures"]}


def test_who_reads_which_bureau(data, api):
    demo = data.demo
    officer, office, city_office = demo.users["ad_officer"], demo.users["office"], demo.users["city_office"]
    period = {"from": str(START), "to": str(END), "keys": "cases_opened"}
    # an officer: their own bureau, not below, not another one
    assert api(officer).get("/api/stats/figures/", period).status_code == 200
    assert api(officer).get("/api/stats/figures/", {**period, "bureau": demo.city.pk}).status_code == 403
    assert api(officer).get("/api/stats/figures/", {**period, "below": "true"}).status_code == 403
    # the city's office: the city with its counties by default, or one county
    whole = api(city_office).get("/api/stats/figures/", period).json()
    assert whole["scope"]["below"] is True and whole["figures"][0]["value"] == 18
    one = api(city_office).get("/api/stats/figures/", {**period, "bureau": demo.other_county.pk}).json()
    assert one["figures"][0]["value"] == 6
    # a county's office never reads its sibling or its city
    assert (
        api(office).get("/api/stats/figures/", {**period, "bureau": demo.other_county.pk}).status_code == 404
    )
    assert api(office).get("/api/stats/figures/", {**period, "bureau": demo.city.pk}).status_code == 404
