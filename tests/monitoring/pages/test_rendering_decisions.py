"""Rendering before verdicts: which pages a browser must read first, and no "未亮照" from a page that was not.

A script may write text into a page that also has static text (``document.write``, ``innerHTML``, a
framework root, an empty licence area); its violations exist only in the browser, and a licence written
that way is absent from the static page — reporting it "missing" would be a false accusation.
"""

from __future__ import annotations

from wangjian.monitoring.extract import extract
from wangjian.monitoring.licence import LicenceVerdict, licence_verdict, needs_rendering

STATIC = "<html><body><h1>旌德山珍店</h1><p>本店销售旌德板栗、笋干，产地直发，欢迎选购本地好货。</p>{}</body></html>"
LICENCE = "<p>企业名称：旌德县山珍土特产经营部</p><p>统一社会信用代码：{}</p>"


def no_lookup(code: str):
    return None


def test_a_plain_static_page_with_a_harmless_script_does_not_need_a_browser():
    page = extract(STATIC.format("<script>var visits = 1; console.log(visits);</script>"))
    assert page.has_scripts and not page.writes_text


def test_document_write_into_a_page_with_static_text_needs_a_browser():
    page = extract(
        STATIC.format("<script>document.write('<p>' + '\\u5168\\u7f51\\u6700\\u4f4e' + '</p>');</script>")
    )
    assert page.writes_text and "document.write" in page.script_writes[0]
    assert "全网最低" not in page.combined  # the static read cannot see it


def test_inner_html_and_jquery_writes_are_recognised():
    assert extract(STATIC.format("<script>el.innerHTML = msg;</script>")).writes_text
    assert extract(STATIC.format("<script>$('#promo').html(text);</script>")).writes_text
    assert extract(STATIC.format("<script>box.insertAdjacentHTML('beforeend', s)</script>")).writes_text


def test_an_empty_framework_root_needs_a_browser_even_beside_static_text():
    page = extract(STATIC.format('<div id="root"></div><script src="/static/app.js"></script>'))
    assert page.writes_text
    assert any("#root" in why for why in page.script_writes)


def test_framework_markers_and_empty_licence_areas_are_recognised():
    vue = extract(STATIC.format('<div data-v-app=""><p>已渲染</p></div><script src="/app.js"></script>'))
    assert any("data-v-app" in why for why in vue.script_writes)
    area = extract(STATIC.format('<div class="shop-licence"></div><script src="/licence.js"></script>'))
    assert any("licence" in why for why in area.script_writes)


def test_json_ld_and_scripts_of_other_types_do_not_count_as_writers():
    page = extract(
        STATIC.format(
            '<script type="application/ld+json">{"@type": "Product", "name": "innerHTML="}</script>'
        )
    )
    assert not page.has_scripts and not page.writes_text


def test_image_alt_title_noscript_and_json_ld_stay_scanned_when_scripts_write():
    page = extract(
        "<html><head><script type='application/ld+json'>"
        '{"@type":"Product","name":"灵芝孢子粉","description":"包治百病"}</script></head><body>'
        "<p>静态文字</p><img src='a.jpg' alt='高仿大牌' title='A货'>"
        "<noscript><p>请启用脚本：本店全网最低价</p></noscript>"
        "<div id='app'></div><script>document.getElementById('app').innerHTML='x'</script></body></html>"
    )
    sources = {p.source for p in page.pieces}
    assert {"img_alt", "img_title", "jsonld_description", "body"} <= sources
    assert "本店全网最低价" in page.combined and "包治百病" in page.combined and page.writes_text


def test_a_scripted_page_showing_no_licence_is_not_checked_until_rendered():
    page = extract(STATIC.format('<div class="licence" id="lic"></div><script>lic.innerHTML = s;</script>'))
    check = licence_verdict(page=page, lookup=no_lookup, rendered=False)
    assert check.verdict == LicenceVerdict.NEEDS_RENDERING
    assert "未亮照" in check.reason and "not checked" in check.reason  # says why it did not decide


def test_the_same_page_once_rendered_and_still_empty_is_missing():
    page = extract(STATIC.format('<div class="licence"></div><script>var nothing = 0;</script>'))
    assert licence_verdict(page=page, lookup=no_lookup, rendered=True).verdict == LicenceVerdict.MISSING


def test_a_page_without_scripts_showing_nothing_is_missing_without_a_browser():
    page = extract(STATIC.format(""))
    assert not needs_rendering(page, rendered=False)
    assert licence_verdict(page=page, lookup=no_lookup).verdict == LicenceVerdict.MISSING


def test_a_static_licence_is_decided_without_a_browser_even_when_scripts_write_elsewhere():
    code = "91341825MA2N0ABC1X"
    page = extract(STATIC.format(LICENCE.format(code) + "<script>promo.innerHTML = s;</script>"))
    assert not needs_rendering(page, rendered=False)
    assert licence_verdict(page=page, lookup=no_lookup).verdict != LicenceVerdict.NEEDS_RENDERING


def test_a_not_checked_licence_cannot_become_a_clue():
    from wangjian.monitoring.services.review import LICENCE_CLUE_DOMAIN

    assert LicenceVerdict.NEEDS_RENDERING not in LICENCE_CLUE_DOMAIN
