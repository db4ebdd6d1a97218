"""Permit checks in sweeps: recorded beside the licence check, one per kind, against the imported permit data;
kept for an unchanged page; shown and filtered on the licence table; a failed one routed to a clue."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.monitoring.util import make_task

pytestmark = pytest.mark.django_db

SCRIPTED = {"script", "none_script"}


def _static(market, presences):
    """(shop, presence) of the reachable shops a sweep without a browser reads fully."""
    by_url = {p.url: p for p in presences}
    return [
        (s, by_url[market.url_for(s.path)])
        for s in market.market.shops
        if s.http_status == 200 and not s.js and s.licence_display not in SCRIPTED
    ]


def _run(task):
    from wangjian.monitoring.services import monitoring_task_run

    run = monitoring_task_run(task=task).run
    run.refresh_from_db()
    return run


def _decided(run, presence) -> dict[str, str]:
    from wangjian.monitoring.models import LicenceCheck

    rows = LicenceCheck.objects.filter(run=run, presence=presence).exclude(kind="business_licence")
    return dict(rows.values_list("kind", "verdict"))


def test_a_sweep_records_every_permit_verdict_of_the_truth_beside_the_licence_verdict(
    county, market, market_presences, permit_data
):
    from wangjian.monitoring.models import LicenceCheck

    assert permit_data.rejected_count == 1  # the demo export's malformed row, kept
    shops = _static(market, market_presences)
    run = _run(make_task(county, [p for _s, p in shops], depth=0, evidence_threshold="none"))
    wrong = [
        f"{s.shop_id} {s.theme}: {_decided(run, p)} ≠ {s.permits}"
        for s, p in shops
        if _decided(run, p) != s.permits
    ]
    assert not wrong, wrong
    assert {k for s, _p in shops for k in s.permits} == {
        "food_permit",
        "drug_permit",
        "drug_info",
        "device_permit",
        "platform_filing",
    }
    for shop, presence in shops:
        licence = LicenceCheck.objects.get(run=run, presence=presence, kind="business_licence")
        assert licence.verdict == shop.licence_verdict, shop


def test_an_unchanged_entry_page_keeps_its_permit_verdicts_and_a_second_run_adds_no_duplicate(
    county, market, market_presences, permit_data
):
    from wangjian.monitoring.models import LicenceCheck

    shops = [
        (s, p) for s, p in _static(market, market_presences) if s.theme in ("gaodian", "yaodian", "xueya")
    ]
    task = make_task(county, [p for _s, p in shops], depth=0, evidence_threshold="none")
    first, second = _run(task), _run(task)
    for shop, presence in shops:
        assert _decided(first, presence) == _decided(second, presence) == shop.permits
        kept = LicenceCheck.objects.filter(run=second, presence=presence).exclude(kind="business_licence")
        assert all("页面未变化" in c.reason for c in kept)
    assert LicenceCheck.objects.filter(run=second).count() == 2 * len(shops)


def test_the_licence_table_shows_permit_checks_filtered_by_kind_with_their_labels(
    county, market, market_presences, permit_data, demo, login
):
    from wangjian.monitoring.models import LicenceCheck

    shops = [(s, p) for s, p in _static(market, market_presences) if s.theme in ("luwei", "xueya")]
    _run(make_task(county, [p for _s, p in shops], depth=0, evidence_threshold="none"))
    food_check = LicenceCheck.objects.get(kind="food_permit")
    device_check = LicenceCheck.objects.get(kind="device_permit")
    client = login(demo.users["office"])
    food = client.get(reverse("monitoring:licence_list"), {"kind": "food_permit"}).content.decode()
    assert food_check.get_absolute_url() in food and device_check.get_absolute_url() not in food
    devices = client.get(reverse("monitoring:licence_list"), {"kind": "device_permit"}).content.decode()
    assert device_check.get_absolute_url() in devices and food_check.get_absolute_url() not in devices
    every = client.get(reverse("monitoring:licence_list")).content.decode()
    assert (
        every.count("营业执照（亮照）") >= 2 and every.count("医疗器械经营许可/备案（亮证）") >= 2
    )  # option, row
    detail = client.get(device_check.get_absolute_url()).content.decode()
    assert "皖宣药监械经营备20230008号" in detail and "已亮证且与许可数据一致" in detail
    assert 'id="licence-clue-button"' not in detail


@pytest.mark.parametrize(
    "theme,kind,domain",
    [
        ("luwei", "food_permit", "online_food"),
        ("yaodian", "drug_permit", "online_drug"),
        ("yanjing", "device_permit", "online_medical_device"),
    ],
)
def test_a_permit_not_shown_becomes_a_clue_of_the_goods_domain_once(
    county, market, market_presences, permit_data, demo, login, theme, kind, domain
):
    from wangjian.clues.models import Clue
    from wangjian.monitoring.models import LicenceCheck

    shops = [(s, p) for s, p in _static(market, market_presences) if s.theme == theme]
    _run(make_task(county, [p for _s, p in shops], depth=0, evidence_threshold="none"))
    check = LicenceCheck.objects.get(kind=kind, verdict="not_shown")
    client = login(demo.users["office"])
    assert 'id="licence-clue-button"' in client.get(check.get_absolute_url()).content.decode()
    client.post(reverse("monitoring:licence_clue", args=[check.pk]))
    client.post(reverse("monitoring:licence_clue", args=[check.pk]))
    check.refresh_from_db()
    clue = Clue.objects.get(number=check.clue_number)
    assert clue.domain == domain and clue.presence_id == check.presence_id
    assert (
        "亮证核验" in clue.facts
        and Clue.objects.filter(source_ref=f"monitoring.licence:{check.pk}").count() == 1
    )


def test_uncertain_goods_a_sufficient_filing_and_a_verified_permit_are_no_clue(
    county, market, market_presences, permit_data, demo
):
    from wangjian.core.errors import ValidationFailed
    from wangjian.monitoring.models import LicenceCheck
    from wangjian.monitoring.services import licence_check_to_clue

    shops = [
        (s, p) for s, p in _static(market, market_presences) if s.theme in ("liliao", "jianguo", "gaodian")
    ]
    _run(make_task(county, [p for _s, p in shops], depth=0, evidence_threshold="none"))
    for verdict in ("kind_uncertain", "filing_suffices", "permit_ok"):
        check = LicenceCheck.objects.get(verdict=verdict)
        with pytest.raises(ValidationFailed, match="不构成线索"):
            licence_check_to_clue(check=check, user=demo.users["office"])
