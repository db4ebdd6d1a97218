"""Pages whose text appears only after JavaScript: rendered in Debian's Chromium through Playwright."""

from __future__ import annotations

import asyncio
import os

import pytest

from tests.monitoring.util import fetch
from wangjian.monitoring.fetching import CHROMIUM_PATH, Fetcher
from wangjian.monitoring.licence import licence_verdict

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM_PATH), reason="Debian's chromium is not installed"),
]

JS_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>店铺</title></head><body>
<div id="app"></div>
<script>document.getElementById('app').innerHTML =
  '<p>\\u5168\\u7f51\\u6700\\u4f4e\\u4ef7</p><img alt="\\u9ad8\\u4eff">';</script>
</body></html>"""


def test_javascript_only_text_is_invisible_without_a_browser(site):
    site.page("/js", JS_PAGE.encode())
    out = fetch(site.url + "/js", render="never")
    assert out.status == "ok" and "全网最低价" not in out.text and not out.rendered


def test_auto_rendering_reads_javascript_only_text_and_image_alt(site):
    site.page("/js", JS_PAGE.encode())
    out = fetch(site.url + "/js", render="auto")
    assert out.rendered
    assert "全网最低价" in out.text
    assert [p.text for p in out.extracted.pieces if p.source == "img_alt"] == ["高仿"]


def test_auto_rendering_leaves_static_pages_alone(site):
    site.page(
        "/static",
        "<html><body><p>旌德县天山真香茶，产地直发，欢迎选购本地好茶叶。</p><script>var a=1;</script></body></html>".encode(),
    )
    out = fetch(site.url + "/static", render="auto")
    assert out.status == "ok" and not out.rendered


def test_licence_of_javascript_shops_matches_the_truth(market):
    m = market.market
    shops = [s for s in m.shops if s.js]
    assert shops

    async def run():
        async with Fetcher(delay=0, render="auto") as f:
            return await f.fetch_many([market.shop_url(s.shop_id) for s in shops])

    for shop, out in zip(shops, asyncio.run(run()), strict=True):
        assert out.rendered, shop.shop_id
        if shop.licence_display == "link":
            continue  # covered by the command test, which follows licence links
        check = licence_verdict(page=out.extracted, lookup=m.lookup, rendered=out.rendered)
        assert check.verdict == shop.licence_verdict, shop


MIXED_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>店铺</title></head><body>
<h1>旌德山珍店</h1><p>本店销售旌德板栗、笋干，产地直发，欢迎选购本地好货。</p>
<p id="promo"></p>
<script>document.getElementById('promo').innerHTML = '\\u5168\\u7f51\\u6700\\u4f4e\\u4ef7';</script>
</body></html>"""


def test_auto_rendering_reads_text_a_script_writes_into_a_page_with_static_text(site):
    site.page("/mixed", MIXED_PAGE.encode())
    assert "全网最低价" not in fetch(site.url + "/mixed", render="never").text
    out = fetch(site.url + "/mixed", render="auto")
    assert out.rendered and "全网最低价" in out.text and "旌德板栗" in out.text


def test_scripted_licence_blocks_of_the_demo_market_are_decided_on_the_rendered_page(market):
    """Auto: the truth for scripted displays; never: "not checked", and never "missing"."""
    from wangjian.monitoring.licence import presence_check

    m = market.market
    shops = [s for s in m.shops if s.licence_display in ("script", "none_script")]
    assert {s.licence_verdict for s in shops} == {"shown_ok", "missing"}

    async def verdicts(render: str) -> dict[str, str]:
        async with Fetcher(delay=0, retries=0, render=render) as f:
            got = {}
            for shop in shops:
                records = await presence_check(url=market.shop_url(shop.shop_id), lookup=m.lookup, fetcher=f)
                got[shop.shop_id] = records[0]["licence"]["verdict"]
            return got

    auto = asyncio.run(verdicts("auto"))
    assert auto == {s.shop_id: s.licence_verdict for s in shops}
    never = asyncio.run(verdicts("never"))
    assert set(never.values()) == {"needs_rendering"}
