"""``wangjian monitor check URL [--depth N]``: one JSON line per page, licence on the entry page."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command


def run_check(url, *args):
    buf = io.StringIO()
    call_command(
        "monitor", "check", url, "--registry", "demo", "--delay", "0", "--render", "never", *args, stdout=buf
    )
    return [json.loads(line) for line in buf.getvalue().splitlines() if line.strip()]


@pytest.mark.django_db
def test_check_prints_the_licence_on_the_entry_page_and_hits_per_page(market):
    m = market.market
    item = next(
        i
        for i in m.listings
        if i.categories == ["counterfeit"]
        and i.where == "body"
        and not i.evasion
        and not m.shop(i.shop_id).js
    )
    shop = m.shop(item.shop_id)
    lines = run_check(market.shop_url(shop.shop_id), "--depth", "1")
    entry, pages = lines[0], lines[1:]
    assert entry["url"] == market.shop_url(shop.shop_id) and entry["status"] == "ok"
    assert entry["licence"]["verdict"] == shop.licence_verdict
    assert all("licence" not in p for p in pages)
    assert {p["url"] for p in pages} >= {market.url_for(m.listing(lid).path) for lid in shop.listing_ids}
    page = next(p for p in pages if p["url"] == market.url_for(item.path))
    assert "counterfeit" in {h["category"] for h in page["hits"]}
    for h in page["hits"]:
        assert {"category", "rule", "start", "end", "matched", "severity", "legal_basis", "source"} <= set(h)


@pytest.mark.django_db
def test_check_of_an_unreachable_presence_prints_a_failed_line(market):
    closed = next(s for s in market.market.shops if s.http_status == 404)
    (line,) = run_check(market.shop_url(closed.shop_id))
    assert (line["status"], line["licence"], line["hits"]) == ("failed", None, [])
    assert "404" in line["reason"]


@pytest.mark.django_db
def test_check_follows_the_electronic_licence_link(market):
    shop = next(s for s in market.market.shops if s.licence_display == "link" and not s.js)
    (line,) = run_check(market.shop_url(shop.shop_id))
    assert line["licence"]["verdict"] == "shown_ok"
    assert line["licence"]["uscc"] == shop.shown_uscc


@pytest.mark.django_db
def test_feed_is_scanned_without_fetching_listing_pages(market, tmp_path):
    m = market.market
    buf = io.StringIO()
    call_command("monitor", "feed", market.url_for("/platform/feed.jsonl"), stdout=buf)
    lines = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert len(lines) == len(m.feed_rows())
    item = next(
        i for i in m.listings if i.categories == ["fake_reviews"] and i.where == "body" and not i.evasion
    )
    line = next(x for x in lines if x["listing_id"] == item.listing_id)
    assert "fake_reviews" in {h["category"] for h in line["hits"]}
    assert {h["source"] for h in line["hits"]} <= {"feed_title", "feed_description"}

    bad = tmp_path / "feed.csv"
    bad.write_text("listing_id,title\nL1,好评返现\n,无ID\n", encoding="utf-8")
    buf = io.StringIO()
    call_command("monitor", "feed", str(bad), stdout=buf)
    lines = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert lines[0]["listing_id"] == "L1" and lines[0]["hits"]
    assert lines[1]["row"] == 3 and "listing_id" in lines[1]["error"]
