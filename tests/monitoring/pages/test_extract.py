"""Text extraction: what a buyer sees, plus image text, meta and JSON-LD, each with its source."""

from __future__ import annotations

import json

from wangjian.monitoring.extract import extract, read_feed

LISTING = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>灵芝孢子粉</title>
<meta name="description" content="旌德灵芝，降血糖">
<meta name="keywords" content="灵芝,孢子粉">
<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [{"@type": "Product", "name": "破壁灵芝孢子粉",
 "description": "<p>包治百病</p>", "offers": {"@type": "Offer", "price": "199.00", "priceCurrency": "CNY"}}]}
</script>
<style>.x { content: "全网最低价"; }</style>
</head><body>
<h1>破壁灵芝孢子粉</h1>
<p>产自旌德县，最<b>佳</b>赏味期为开封后30天。</p><div>第二段</div>
<img src="/a.jpg" alt="高仿大牌包" title="五星好评返现">
<noscript>请开启JavaScript：稳赚不赔</noscript>
<template><p>模板里的保本保息</p></template>
<script>var s = "史上最强";</script>
<a href="/shop/S01/item/L0002.html#top">下一件</a><a href="javascript:void(0)">空</a>
</body></html>"""


def _by_source(page):
    out = {}
    for p in page.pieces:
        out.setdefault(p.source, []).append(p.text)
    return out


def test_image_alt_and_title_are_pieces_with_their_source():
    page = extract(LISTING)
    pieces = _by_source(page)
    assert pieces["img_alt"] == ["高仿大牌包"]
    assert pieces["img_title"] == ["五星好评返现"]
    assert next(p for p in page.pieces if p.source == "img_alt").where == "/a.jpg"


def test_json_ld_product_name_description_and_price():
    pieces = _by_source(extract(LISTING))
    assert pieces["jsonld_name"] == ["破壁灵芝孢子粉"]
    assert pieces["jsonld_description"] == ["包治百病"]  # its HTML markup removed
    assert pieces["jsonld_price"] == ["199.00 CNY"]


def test_meta_description_and_keywords():
    pieces = _by_source(extract(LISTING))
    assert pieces["meta_description"] == ["旌德灵芝，降血糖"]
    assert pieces["meta_keywords"] == ["灵芝,孢子粉"]


def test_visible_text_keeps_noscript_and_drops_script_style_and_template():
    text = extract(LISTING).text
    assert "稳赚不赔" in text
    for hidden in ("史上最强", "全网最低价", "保本保息"):
        assert hidden not in text


def test_inline_markup_joins_and_blocks_separate():
    text = extract(LISTING).text
    assert "最佳赏味期" in text  # 最<b>佳</b> reads as one word on screen
    assert "30天。\n第二段" in text  # two blocks never glued into one line


def test_a_hit_offset_in_the_combined_text_says_where_it_came_from():
    page = extract(LISTING)
    combined = page.combined
    piece, inner = page.source_at(combined.index("包治百病"))
    assert (piece.source, inner) == ("jsonld_description", 0)
    piece, inner = page.source_at(combined.index("高仿"))
    assert piece.source == "img_alt"
    piece, inner = page.source_at(combined.index("赏味期"))
    assert piece.source == "body" and piece.text[inner:].startswith("赏味期")


def test_links_are_absolute_without_fragments_and_skip_javascript():
    page = extract(LISTING, base_url="http://127.0.0.1:8800/shop/S01/")
    assert page.hrefs == ["http://127.0.0.1:8800/shop/S01/item/L0002.html"]
    assert page.links[0].text == "下一件"


def test_scripts_mark_a_page_that_may_need_a_browser():
    assert extract(LISTING).has_scripts
    assert not extract("<html><body><p>静态</p></body></html>").has_scripts


def test_broken_json_ld_is_ignored_not_fatal():
    page = extract(
        '<html><head><script type="application/ld+json">{"name": </script></head><body>正文</body></html>'
    )
    assert page.text == "正文"
    assert not [p for p in page.pieces if p.source.startswith("jsonld")]


def test_half_an_emoji_escaped_in_json_ld_or_a_feed_reads_as_a_replacement_character():
    page = extract(
        '<html><head><script type="application/ld+json">'
        '{"@type": "Product", "name": "灵芝\\ud83d孢子粉", "description": "包治百病\\udc25"}'
        "</script></head><body>正文</body></html>"
    )
    pieces = _by_source(page)
    assert pieces["jsonld_name"] == ["灵芝\ufffd孢子粉"]
    assert pieces["jsonld_description"] == ["包治百病\ufffd"]
    page.text.encode("utf-8")  # stored and shown as UTF-8
    line = (
        '{"listing_id": "L1", "shop_id": "S1", "title": "\\ud83d灵芝", "description": "包治百病", "url": ""}'
    )
    [item], rejected = read_feed(line.encode("utf-8"))
    assert rejected == [] and item.title == "\ufffd灵芝"


def test_feed_jsonl_and_csv_with_rejected_rows_kept():
    rows = [
        {
            "listing_id": "L1",
            "shop_id": "S1",
            "title": "灵芝",
            "description": "包治百病",
            "price": "9.9",
            "url": "http://x/1",
        },
        {"listing_id": "", "shop_id": "S1", "title": "无ID", "description": "", "price": "1", "url": ""},
    ]
    jsonl = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\nnot json\n"
    listings, rejected = read_feed(jsonl.encode("utf-8"))
    assert [item.listing_id for item in listings] == ["L1"]
    assert [n for n, _ in rejected] == [2, 3]
    assert "JSON" in rejected[1][1]
    csv_text = "商品ID,店铺ID,商品标题,商品描述,价格,商品链接\nL9,S2,板栗,好评返现,20,http://x/9\n"
    listings, rejected = read_feed(csv_text.encode("gbk"))
    assert rejected == []
    item = listings[0]
    assert (item.listing_id, item.shop_id, item.description, item.row) == ("L9", "S2", "好评返现", 2)
    assert [p.source for p in item.extracted().pieces] == ["feed_title", "feed_description"]


def test_a_feeds_category_of_goods_is_read_under_its_chinese_or_english_name():
    from wangjian.monitoring.kinds import kind_of_category

    listings, _ = read_feed("商品ID,商品标题,类目\nL1,降糖茶,食品/茶叶\nL2,口罩,\n".encode())
    assert [(item.listing_id, item.category) for item in listings] == [("L1", "食品/茶叶"), ("L2", "")]
    [item], _ = read_feed(b'{"listing_id": "J1", "title": "x", "category": "drug"}\n')
    assert item.category == "drug"
    assert kind_of_category("食品/茶叶") == "food"
    assert kind_of_category("医药保健/保健食品") == "health_food"  # the more specific word first
    assert (
        kind_of_category("药品/中西药") == "drug" and kind_of_category("医疗器械/血压计") == "medical_device"
    )
    assert kind_of_category("教育培训") == "education" and kind_of_category("food") == "food"
    assert kind_of_category("运动户外/健身器械") is None  # no kind the rules read: inferred from the text
    assert kind_of_category("") is None
