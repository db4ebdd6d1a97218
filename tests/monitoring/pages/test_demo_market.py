"""The bundled demo market: deterministic, valid codes, every case present, and checkable against its truth."""

from __future__ import annotations

import asyncio
import json
from collections import Counter

import httpx
import pytest

from tests.monitoring.util import fetch
from wangjian.monitoring.demo_market import build_market
from wangjian.monitoring.extract import read_feed
from wangjian.monitoring.fetching import Fetcher
from wangjian.monitoring.licence import LicenceVerdict, licence_links, licence_verdict
from wangjian.registry import uscc


def test_the_same_seed_gives_the_same_market():
    a, b = build_market(), build_market()
    assert a.truth() == b.truth()
    assert [e.uscc for e in a.entities] == [e.uscc for e in b.entities]
    assert build_market(seed=8).truth() != a.truth()


def test_registered_codes_are_valid_and_in_the_county():
    m = build_market()
    assert len(m.entities) >= 25
    for e in m.entities:
        assert uscc.is_valid(e.uscc), e
        assert e.uscc[2:8] == "341825" and e.region_code.startswith("341825")


def test_every_licence_case_encoding_and_rendering_is_present():
    m = build_market()
    verdicts = Counter(s.licence_verdict for s in m.shops if s.http_status == 200)
    # Every verdict a check can decide, "not checked" ones included: a licence shown only as a picture or only
    # as a link whose page is gone. "Needs rendering" is no truth of a shop, only a check not yet made.
    assert set(verdicts) == {v.value for v in LicenceVerdict} - {LicenceVerdict.NEEDS_RENDERING}
    # Licence blocks written by a script into a page that also has static text, shown and not shown.
    assert {s.licence_display for s in m.shops} >= {"script", "none_script"}
    assert {s.encoding for s in m.shops} == {"utf-8", "gbk_header", "gbk_meta", "gbk_bare"}
    assert sum(s.js for s in m.shops) >= 2
    assert {s.http_status for s in m.shops} == {200, 404, 500}
    assert len(m.shops) >= 30


def test_listings_cover_categories_evasions_exemptions_and_hidden_places():
    m = build_market()
    violating = [item for item in m.listings if item.categories]
    clean = [item for item in m.listings if not item.categories]
    assert len(violating) >= 50 and len(clean) >= 50
    assert {c for item in violating for c in item.categories} >= {
        "absolute_terms",
        "medical_claim",
        "counterfeit",
        "price_fraud",
        "fake_reviews",
        "finance_promise",
    }
    assert {item.evasion for item in violating} >= {"spaces", "symbols", "traditional", "pinyin"}
    assert {item.where for item in violating} == {"body", "img_alt", "jsonld"}
    phrases = " ".join(item.exempt_phrase for item in clean)
    for lawful in ("最佳赏味期", "一级能效", "第一次"):
        assert lawful in phrases


def test_gbk_shop_pages_are_served_in_gbk_and_decode(market):
    m = market.market
    for variant, ctype in (("gbk_header", "charset=GBK"), ("gbk_meta", None), ("gbk_bare", None)):
        shop = next(s for s in m.shops if s.encoding == variant and not s.js)
        raw = httpx.get(market.shop_url(shop.shop_id))
        assert shop.shop_name.encode("gbk") in raw.content
        assert (
            (ctype in raw.headers["content-type"])
            if ctype
            else ("charset" not in raw.headers["content-type"])
        )
        assert (b'charset="gbk"' in raw.content) == (variant == "gbk_meta")
        out = fetch(market.shop_url(shop.shop_id))
        assert out.status == "ok" and shop.shop_name in out.text


def test_feeds_list_the_platform_listings_in_jsonl_and_csv(market):
    jsonl = httpx.get(market.url_for("/platform/feed.jsonl")).content
    csv_ = httpx.get(market.url_for("/platform/feed.csv")).content
    from_jsonl, rejected_j = read_feed(jsonl)
    from_csv, rejected_c = read_feed(csv_)
    assert rejected_j == rejected_c == []
    assert [i.listing_id for i in from_jsonl] == [i.listing_id for i in from_csv]
    assert len(from_jsonl) == len(market.market.feed_rows())
    first = json.loads(jsonl.splitlines()[0])
    assert set(first) == {"listing_id", "shop_id", "title", "description", "price", "url"}
    page = fetch(first["url"])
    assert page.status == "ok"


def test_licence_verdicts_of_static_shops_match_the_truth_and_scripted_ones_wait_for_rendering(market):
    """Read without a browser, a page whose script writes the licence area is "not checked", never "missing"."""
    m = market.market
    shops = [s for s in m.shops if not s.js]

    async def run():
        async with Fetcher(delay=0, retries=0, render="never") as f:
            outs = await f.fetch_many([market.shop_url(s.shop_id) for s in shops])
            decided = {}
            for shop, out in zip(shops, outs, strict=True):
                if not out.ok:
                    decided[shop.shop_id] = ("", out.http_status)
                    continue
                # Only the pages behind the licence links that were read, as a sweep passes them.
                behind = [await f.fetch(u) for u in licence_links(out.extracted)]
                linked = [o.extracted for o in behind if o.ok and o.extracted is not None]
                check = licence_verdict(page=out.extracted, lookup=m.lookup, linked_pages=linked)
                decided[shop.shop_id] = (check.verdict, out.http_status)
            return decided

    decided = asyncio.run(run())
    scripted = {"script", "none_script"}
    assert any(s.licence_display in scripted for s in shops)
    for shop in shops:
        truth = "needs_rendering" if shop.licence_display in scripted else shop.licence_verdict
        assert decided[shop.shop_id] == (truth, shop.http_status), shop


def test_unchanged_listing_answers_304(market):
    url = market.url_for(market.market.listings[0].path)
    first = fetch(url)
    assert fetch(url, etag=first.etag).status == "unchanged"


def test_scores_count_hits_misses_and_false_alarms_against_the_truth():
    from wangjian.monitoring.demo_market.score import score_licences, score_listings

    m = build_market()
    violating = [i for i in m.listings if i.categories]
    clean = next(i for i in m.listings if not i.categories)
    found = {i.listing_id: set(i.categories) for i in violating[1:]}  # the first one missed
    found[clean.listing_id] = {"absolute_terms"}  # a false alarm
    table = score_listings(m, found)
    first = violating[0].categories[0]
    assert table[first]["fn"] == 1 and violating[0].listing_id in table[first]["missed"][0]
    assert table["absolute_terms"]["fp"] == 1 and table["absolute_terms"]["false"] == [clean.listing_id]
    perfect = score_licences(m, {s.shop_id: s.licence_verdict for s in m.shops})
    assert perfect["correct"] == perfect["total"] and not perfect["wrong"]
    one_wrong = score_licences(m, {s.shop_id: s.licence_verdict for s in m.shops[1:]})
    assert one_wrong["correct"] == one_wrong["total"] - 1


@pytest.mark.browser
@pytest.mark.django_db
def test_a_sweep_of_the_whole_demo_market_matches_its_truth():
    import io

    from django.core.management import call_command

    buf = io.StringIO()
    call_command("monitor", "market", "--score", stdout=buf)
    out = buf.getvalue()
    m = build_market()
    total = sum(1 for s in m.shops if s.licence_verdict)
    assert f"{total}/{total}" in out.splitlines()[0]
