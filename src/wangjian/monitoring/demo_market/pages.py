"""HTML of the demo market: the platform, shop home pages with their licence blocks, listings."""

from __future__ import annotations

import json
from html import escape

from wangjian.monitoring.demo_market.market import COUNTY, Listing, Market, Shop
from wangjian.monitoring.demo_market.permits import permit_block


def _page(title: str, body: str, *, charset_meta: str | None = "utf-8", head: str = "") -> str:
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head>{meta}<title>{escape(title)}</title>'
        f'<meta name="viewport" content="width=device-width">{head}</head>\n<body>\n{body}\n</body></html>\n'
    )


def _meta_for(shop: Shop) -> str | None:
    if shop.encoding == "gbk_meta":
        return "gbk"
    if shop.encoding in ("gbk_bare", "gbk_header"):
        return None
    return "utf-8"


def _script_write(element_id: str, html: str) -> str:
    """A script that writes ``html`` into the element (text that a static read of the page cannot see)."""
    payload = json.dumps(html, ensure_ascii=True)
    return f"<script>document.getElementById('{element_id}').innerHTML={payload};</script>"


def licence_block(shop: Shop) -> str:
    """The licence information as the shop displays it (or fails to)."""
    if shop.licence_display == "text":
        return (
            '<div class="licence"><h3>营业执照信息</h3>'
            f"<p>企业名称：{escape(shop.shown_name)}</p>"
            f"<p>统一社会信用代码：{escape(shop.shown_uscc)}</p>"
            f"<p>住所：安徽省宣城市{COUNTY}{escape(shop.town)}</p></div>"
        )
    if shop.licence_display == "link":
        return f'<div class="licence"><a href="{shop.path}licence.html"><img src="/static/zzlz.png" alt="电子营业执照亮照标识">电子营业执照</a></div>'
    if shop.licence_display == "image":
        return (
            '<div class="licence"><img src="/static/licence.jpg" '
            f'alt="营业执照 名称：{escape(shop.shown_name)} 统一社会信用代码：{escape(shop.shown_uscc)}"></div>'
        )
    if shop.licence_display == "image_unreadable":  # a photo of the licence, its text only in the picture
        return '<div class="licence"><img src="/static/licence.jpg" alt="营业执照"></div>'
    if shop.licence_display == "link_dead":  # the link is there, its page is not (404)
        return f'<div class="licence"><a href="{shop.path}licence.html">证照信息</a></div>'
    if shop.licence_display == "script":
        # The block exists only after the script ran (\u escapes: the static text has no code or name).
        return '<div class="licence" id="licence-info"></div>' + _script_write(
            "licence-info",
            f"<h3>营业执照信息</h3><p>企业名称：{escape(shop.shown_name)}</p>"
            f"<p>统一社会信用代码：{escape(shop.shown_uscc)}</p>",
        )
    if shop.licence_display == "none_script":
        return '<div class="about" id="notice"></div>' + _script_write(
            "notice", "<p>本店诚信经营，今日下单享会员积分。</p>"
        )
    if shop.licence_display == "exempt":
        return (
            f'<div class="licence"><p>经营者：{escape(shop.shown_name)}，{COUNTY}{escape(shop.town)}村民。</p>'
            "<p>本店系个人销售自产农副产品，依法不需要办理市场主体登记。</p></div>"
        )
    return '<div class="about"><p>本店诚信经营，欢迎选购。</p></div>'


def licence_page(shop: Shop) -> str:
    body = (
        f"<h1>{escape(shop.shop_name)} 电子营业执照</h1>"
        f"<p>名称：{escape(shop.shown_name)}</p><p>统一社会信用代码：{escape(shop.shown_uscc)}</p>"
        f"<p>登记机关：{COUNTY}市场监督管理局</p>"
    )
    return _page("电子营业执照", body, charset_meta=_meta_for(shop))


def _js_page(title: str, data: dict, *, head: str = "") -> str:
    """A page whose text exists only in a script (\\u escapes), written into the DOM on load.

    ``data["img"]`` = [src, alt] adds a product photo whose alt text also exists only after the
    script ran; ``head`` may carry static JSON-LD, as single-page shops often do.
    """
    payload = json.dumps(data, ensure_ascii=True)
    script = (
        "<script>\n(function(){var d=" + payload + ";\n"
        "var app=document.getElementById('app');var h='<h1>'+d.title+'</h1>';\n"
        "for(var i=0;i<d.blocks.length;i++){h+='<p>'+d.blocks[i]+'</p>';}\n"
        "for(var j=0;j<d.links.length;j++){h+='<p><a href=\"'+d.links[j][0]+'\">'+d.links[j][1]+'</a></p>';}\n"
        "app.innerHTML=h;\n"
        "if(d.img){var im=document.createElement('img');im.src=d.img[0];im.alt=d.img[1];app.appendChild(im);}\n"
        "})();\n</script>"
    )
    return _page(title, f'<div id="app"></div>\n{script}', charset_meta="utf-8", head=head)


def shop_home(market: Market, shop: Shop) -> str:
    items = [market.listing(lid) for lid in shop.listing_ids]
    if shop.js:
        blocks = [f"{shop.shop_name}，{COUNTY}{shop.town}。"]
        if shop.licence_display in ("text", "image"):
            blocks += [f"企业名称：{shop.shown_name}", f"统一社会信用代码：{shop.shown_uscc}"]
        elif shop.licence_display == "exempt":
            blocks += [
                f"经营者：{shop.shown_name}",
                "本店系个人销售自产农副产品，依法不需要办理市场主体登记。",
            ]
        blocks += shop.permit_lines  # the permit block (亮证), when the shop shows one
        links = [[f"{shop.path}item/{it.listing_id}.html", it.title] for it in items]
        if shop.licence_display == "link":
            links.append([f"{shop.path}licence.html", "电子营业执照"])
        return _js_page(shop.shop_name, {"title": shop.shop_name, "blocks": blocks, "links": links})
    rows = "".join(
        f'<li><a href="{shop.path}item/{it.listing_id}.html">{escape(it.title)}</a> ￥{escape(it.price)}</li>'
        for it in items
    )
    body = (
        f"<header><h1>{escape(shop.shop_name)}</h1><p>{COUNTY}{escape(shop.town)}</p>{permit_block(shop)}</header>"
        f'<main><h2>全部商品</h2><ul class="items">{rows}</ul></main>'
        f'<footer>{licence_block(shop)}<p><a href="{shop.path}about.html">关于本店</a></p></footer>'
    )
    return _page(shop.shop_name, body, charset_meta=_meta_for(shop))


def shop_about(shop: Shop) -> str:
    body = f"<h1>关于{escape(shop.shop_name)}</h1><p>我们位于{COUNTY}{escape(shop.town)}，经营本地特产与日用商品。</p>"
    return _page(f"关于{shop.shop_name}", body, charset_meta=_meta_for(shop))


def listing_page(shop: Shop, item: Listing) -> str:
    ld = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": item.title,
        "description": item.jsonld_description,
        "offers": {"@type": "Offer", "price": item.price, "priceCurrency": "CNY"},
    }
    jsonld = f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
    if shop.js:
        return _js_page(
            item.title,
            {
                "title": item.title,
                "blocks": [item.description, f"价格：￥{item.price}"],
                "links": [[shop.path, "返回店铺"]],
                "img": [f"/static/{item.listing_id}.jpg", item.img_alt],
            },
            head=jsonld,
        )
    head = f'<meta name="description" content="{escape(item.title)}">{jsonld}'
    desc, written = item.description, ""
    if shop.licence_display == "script" and item.where == "body" and item.phrases:
        # The violating sentence is appended by a script to the static description (seen only when rendered).
        desc = desc.replace(item.phrases[0] + "。", "")
        written = '<p id="promo"></p>' + _script_write("promo", escape(item.phrases[0]) + "。")
    body = (
        f'<h1>{escape(item.title)}</h1><img src="/static/{item.listing_id}.jpg" alt="{escape(item.img_alt)}">'
        f'<div class="desc"><p>{escape(desc)}</p>{written}</div><p class="price">价格：￥{escape(item.price)}</p>'
        f'<p><a href="{shop.path}">返回店铺</a></p>'
    )
    return _page(item.title, body, charset_meta=_meta_for(shop), head=head)


def platform_home(market: Market) -> str:
    e = market.platform_entity
    rows = "".join(
        f'<li><a href="{s.path}">{escape(s.shop_name)}</a>（{escape(s.town)}）</li>'
        for s in market.shops
        if s.platform
    )
    sites = "".join(
        f'<li><a href="{s.path}">{escape(s.shop_name)}</a></li>' for s in market.shops if not s.platform
    )
    body = (
        f"<h1>{escape(market.platform_name)} · {COUNTY}本地网购平台</h1>"
        f'<h2>入驻店铺</h2><ul class="shops">{rows}</ul><h2>友情链接</h2><ul>{sites}</ul>'
        f'<p><a href="/platform/feed.jsonl">商品信息报送（JSONL）</a> <a href="/platform/feed.csv">（CSV）</a></p>'
        f"<footer><p>企业名称：{escape(e.name)}</p><p>统一社会信用代码：{escape(e.uscc)}</p></footer>"
    )
    return _page(market.platform_name, body)
