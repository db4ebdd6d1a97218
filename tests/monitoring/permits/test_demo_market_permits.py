"""The demo market's permit cases against their truth: read as served, through ``wangjian monitor check``, and
scored; the market's earlier shops keep their licence truth."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
from collections import Counter

import pytest
from django.core.management import call_command

from wangjian.monitoring.demo_market import build_market
from wangjian.monitoring.demo_market.permits import PERMIT_SHOPS, permit_csv
from wangjian.monitoring.demo_market.score import score_permits
from wangjian.monitoring.fetching import Fetcher
from wangjian.monitoring.licence import presence_check
from wangjian.monitoring.permits import PermitVerdict, permit_entry_checks

SCRIPTED = {"script", "none_script"}
DAY = dt.date(2026, 3, 2)


def test_the_permit_cases_cover_every_verdict_a_page_can_earn_and_every_kind():
    m = build_market()
    truth = Counter(v for s in m.shops for v in s.permits.values())
    # "needs rendering", "link unread" and "image only" are no truth of a shop, only a check not yet made.
    assert set(truth) == {v.value for v in PermitVerdict} - {
        PermitVerdict.NEEDS_RENDERING,
        PermitVerdict.LINK_UNREAD,
        PermitVerdict.IMAGE_ONLY,
    }
    assert {k for s in m.shops for k in s.permits} == {
        "food_permit",
        "drug_permit",
        "drug_info",
        "device_permit",
        "platform_filing",
    }
    added = [s for s in m.shops if s.theme in {p.key for p in PERMIT_SHOPS}]
    assert len(added) == len(PERMIT_SHOPS) and all(s.licence_verdict == "shown_ok" for s in added)
    assert [s.shop_id for s in m.shops[: len(m.shops) - len(added)]] == [
        f"S{i:02d}" for i in range(1, len(m.shops) - len(added) + 1)
    ]  # the earlier shops keep their numbers


def test_the_demo_permit_data_is_dated_from_the_day_of_use_and_carries_one_row_to_refuse():
    m = build_market()
    facts = {f.number: f for f in m.permit_lookup(DAY).by_number.values()}
    assert facts["JY13418250000127"].lapsed(DAY) == ""
    assert "已过期" in facts["JY13418250000215"].lapsed(DAY)
    text = permit_csv(m, DAY)
    assert text.count("\n") == len(m.permit_records) + 2 and "JY134182500001," in text


def test_every_shop_read_without_a_browser_earns_the_permit_verdicts_of_the_truth(market):
    """A page whose scripts write text waits for rendering: "not shown" becomes "not checked"."""
    m = market.market
    shops = [s for s in m.shops if not s.js and s.http_status == 200]

    async def run():
        decided = {}
        async with Fetcher(delay=0, retries=0, render="never") as f:
            checks = permit_entry_checks(fetcher=f, lookup=m.permit_lookup(DAY), today=DAY)
            for shop in shops:
                records = await presence_check(
                    url=market.shop_url(shop.shop_id), lookup=m.lookup, fetcher=f, entry_checks=checks
                )
                decided[shop.shop_id] = {p["kind"]: p["verdict"] for p in records[0]["permits"]}
        return decided

    decided = asyncio.run(run())
    for shop in shops:
        truth = dict(shop.permits)
        if shop.licence_display in SCRIPTED:
            truth = {k: ("needs_rendering" if v == "not_shown" else v) for k, v in truth.items()}
        assert decided[shop.shop_id] == truth, shop


def test_score_permits_counts_a_missing_and_an_extra_verdict_as_wrong():
    m = build_market()
    perfect = {s.shop_id: dict(s.permits) for s in m.shops}
    assert score_permits(m, perfect)["wrong"] == []
    shop = next(s for s in m.shops if s.permits)
    off = dict(perfect, **{shop.shop_id: {}})
    extra = dict(perfect, **{shop.shop_id: {**shop.permits, "ebiz_mark": "not_shown"}})
    assert (
        score_permits(m, off)["correct"]
        == score_permits(m, extra)["correct"]
        == len([s for s in m.shops if s.http_status == 200]) - 1
    )


@pytest.mark.django_db
def test_monitor_check_prints_the_permits_of_the_entry_page_beside_its_licence(market):
    shop = next(s for s in market.market.shops if s.theme == "yaofang")
    buf = io.StringIO()
    call_command(
        "monitor",
        "check",
        market.shop_url(shop.shop_id),
        "--registry",
        "demo",
        "--delay",
        "0",
        "--render",
        "never",
        "--own-site",
        stdout=buf,
    )
    (line,) = [json.loads(row) for row in buf.getvalue().splitlines() if row.strip()]
    assert line["licence"]["verdict"] == "shown_ok"
    permits = {p["kind"]: p for p in line["permits"]}
    assert {k: p["verdict"] for k, p in permits.items()} == {
        "drug_permit": "permit_ok",
        "drug_info": "permit_ok",
    }
    assert (
        permits["drug_permit"]["number"] == "皖DA5630012"
        and "药品网络销售监督管理办法" in permits["drug_permit"]["reason"]
    )
