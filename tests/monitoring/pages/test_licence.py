"""The licence display check (亮照亮证, 电子商务法 art. 15; exemption statement, art. 10)."""

from __future__ import annotations

import pytest

from wangjian.monitoring.extract import extract
from wangjian.monitoring.licence import (
    LicenceVerdict,
    licence_links,
    licence_verdict,
    normalize_name,
    wants_linked_pages,
)
from wangjian.registry import uscc

LINGZHI = uscc.complete("91341825MA2T3K4L5")
TEA = uscc.complete("92341825MA8N2P7Q1")
STRANGER = uscc.complete("91341825MA9X8W7U6")  # valid, not registered
PLATFORM = uscc.complete("91341825MA1N0P2Q3")
SOLE = uscc.complete("92341825MA6R7T8U9")
REGISTRY = {
    LINGZHI: ("旌德县灵芝堂(旌阳)商贸有限公司", "existing"),
    TEA: ("旌德县三溪镇天山茶庄", "existing"),
    PLATFORM: ("旌德优选网络科技有限公司", "existing"),
    SOLE: ("旌德县旌阳镇果然鲜水果店（个体工商户）", "existing"),
}
FOOTER = f"© 2024 旌德优选 旌德优选网络科技有限公司 统一社会信用代码：{PLATFORM} 皖ICP备12345678号"


def check(text, **kw):
    return licence_verdict(page=text, lookup=REGISTRY.get, **kw)


def bad_check_char(code):
    return code[:17] + ("0" if code[17] != "0" else "1")


def test_correct_licence_block_is_shown_ok():
    r = check(f"营业执照信息\n企业名称：旌德县灵芝堂(旌阳)商贸有限公司\n统一社会信用代码：{LINGZHI}")
    assert r.verdict == LicenceVerdict.SHOWN_OK
    assert (r.uscc, r.name, r.registered_name) == (
        LINGZHI,
        "旌德县灵芝堂(旌阳)商贸有限公司",
        REGISTRY[LINGZHI][0],
    )


def test_names_compare_after_brackets_width_and_traditional_characters():
    r = check(f"企業名稱：旌德縣靈芝堂（旌陽）商貿有限公司 統一社會信用代碼：{LINGZHI}")
    assert r.verdict == LicenceVerdict.SHOWN_OK
    assert r.name == "旌德縣靈芝堂（旌陽）商貿有限公司"  # as the page wrote it
    assert (
        check(f"企業名稱：旌德縣別家貿易有限公司 統一社會信用代碼：{LINGZHI}").verdict
        == LicenceVerdict.MISMATCH
    )


def test_full_width_and_spaced_code_is_normalised():
    spaced = " ".join(LINGZHI[i : i + 4] for i in range(0, 18, 4))
    full = spaced.translate(
        str.maketrans(
            "0123456789ABCDEFGHJKLMNPQRTUWXY",
            "０１２３４５６７８９ＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＸＹ",
        )
    )
    r = check(f"统一社会信用代码：{full}")
    assert (r.verdict, r.uscc) == (LicenceVerdict.SHOWN_OK, LINGZHI)


def test_page_without_licence_information_is_missing():
    r = check("欢迎光临本店，全场包邮。订单号：20240901123456789012")
    assert r.verdict == LicenceVerdict.MISSING
    assert "第十五条" in r.reason


def test_wrong_check_character_is_invalid_code():
    r = check(f"企业名称：旌德县灵芝堂(旌阳)商贸有限公司 统一社会信用代码：{bad_check_char(LINGZHI)}")
    assert r.verdict == LicenceVerdict.INVALID_CODE
    assert "校验码" in r.reason and r.uscc == bad_check_char(LINGZHI)


@pytest.mark.parametrize(
    "shown",
    [LINGZHI[:17], LINGZHI + "7", LINGZHI[:10] + "O" + LINGZHI[11:]],
    ids=["17 characters", "19 characters", "letter O outside the alphabet"],
)
def test_malformed_codes_are_invalid(shown):
    assert check(f"统一社会信用代码：{shown}").verdict == LicenceVerdict.INVALID_CODE


def test_valid_code_with_another_name_is_mismatch():
    r = check(f"企业名称：旌德县别家贸易有限公司\n统一社会信用代码：{LINGZHI}")
    assert r.verdict == LicenceVerdict.MISMATCH
    assert "旌德县别家贸易有限公司" in r.reason and REGISTRY[LINGZHI][0] in r.reason


def test_valid_code_of_another_entity_than_the_presence_is_mismatch():
    r = check(f"统一社会信用代码：{LINGZHI}", expected_uscc=TEA)
    assert r.verdict == LicenceVerdict.MISMATCH


def test_valid_code_not_in_the_registry_is_unregistered():
    r = check(f"主体名称：旌德县无名商店\n统一社会信用代码：{STRANGER}")
    assert (r.verdict, r.uscc) == (LicenceVerdict.UNREGISTERED, STRANGER)


@pytest.mark.parametrize(
    "statement",
    [
        "本店系个人销售自产农副产品，依法不需要办理市场主体登记。",
        "经营者声明：本人从事零星小额交易活动，依法无需办理登记。",
        "家庭手工业产品，个人经营。",
        "个人利用自己的技能从事依法无须取得许可的便民劳务活动",
    ],
)
def test_exemption_statement_is_exempt(statement):
    r = check(f"经营者：汪秀英（个人）\n{statement}")
    assert r.verdict == LicenceVerdict.EXEMPT
    assert "第十条" in r.reason


def test_a_code_shown_is_judged_even_beside_an_exemption_statement():
    r = check(f"依法不需要办理市场主体登记。统一社会信用代码：{bad_check_char(TEA)}")
    assert r.verdict == LicenceVerdict.INVALID_CODE


def test_old_fifteen_digit_registration_number_is_not_a_uscc():
    r = check("营业执照注册号：341825000012345")
    assert r.verdict == LicenceVerdict.INVALID_CODE and "15" in r.reason


def test_evidence_and_offsets_point_at_the_page_text():
    text = f"全场包邮。\n企业名称：旌德县三溪镇天山茶庄\n统一社会信用代码：{TEA}\n联系电话：0563-8021000"
    r = check(text)
    assert r.verdict == LicenceVerdict.SHOWN_OK
    assert text[r.start : r.end] == r.evidence
    assert TEA in r.evidence and "天山茶庄" in r.evidence


def test_labelled_code_wins_over_other_long_numbers():
    text = f"订单号：202409011234567890\n统一社会信用代码：{TEA}"
    assert check(text).uscc == TEA


def test_licence_in_an_image_alt_is_read():
    html = f'<html><body><p>欢迎</p><img src="/l.jpg" alt="营业执照 统一社会信用代码：{TEA}"></body></html>'
    r = licence_verdict(page=extract(html), lookup=REGISTRY.get)
    assert (r.verdict, r.source) == (LicenceVerdict.SHOWN_OK, "img_alt")


def test_electronic_licence_link_is_followed_by_the_caller():
    home = extract(
        '<html><body><a href="/s/licence.html"><img alt="电子营业执照亮照标识"></a></body></html>',
        base_url="http://127.0.0.1/s/",
    )
    assert licence_links(home) == ["http://127.0.0.1/s/licence.html"]
    # The link is a lawful form of display: while no page behind it was read, nothing is concluded.
    without = licence_verdict(page=home, lookup=REGISTRY.get)
    assert without.verdict == LicenceVerdict.LINK_UNREAD and "链接" in without.reason
    # Read, and showing no code: the link leads to no licence information.
    empty = extract("<html><body><p>证照信息加载中</p></body></html>")
    assert (
        licence_verdict(page=home, lookup=REGISTRY.get, linked_pages=[empty]).verdict
        == LicenceVerdict.MISSING
    )
    linked = extract(
        f"<html><body><p>名称：旌德县三溪镇天山茶庄</p><p>统一社会信用代码：{TEA}</p></body></html>"
    )
    r = licence_verdict(page=home, lookup=REGISTRY.get, linked_pages=[linked])
    assert (r.verdict, r.uscc) == (LicenceVerdict.SHOWN_OK, TEA)


def test_normalize_name_folds_what_should_not_matter_only():
    assert normalize_name("旌德县灵芝堂（旌阳）商贸有限公司") == normalize_name(
        "旌德县灵芝堂(旌阳)商贸有限公司"
    )
    assert normalize_name("旌德县灵芝堂商贸有限公司") != normalize_name("旌德县灵芝堂贸易有限公司")


def test_fields_run_together_still_give_the_right_name():
    r = check(f"企业名称：旌德县三溪镇天山茶庄统一社会信用代码：{TEA}住所：旌德县三溪镇")
    assert (r.verdict, r.name) == (LicenceVerdict.SHOWN_OK, "旌德县三溪镇天山茶庄")


def test_a_sole_traders_registered_suffix_and_an_unclosed_bracket_do_not_make_a_mismatch():
    r = check(f"经营者名称：旌德县旌阳镇果然鲜水果店 统一社会信用代码：{SOLE}")
    assert r.verdict == LicenceVerdict.SHOWN_OK
    r = check(f"Jingde Fresh Fruit (旌德县旌阳镇果然鲜水果店 统一社会信用代码：{SOLE}")
    assert r.verdict == LicenceVerdict.SHOWN_OK


def test_a_shops_name_beside_the_code_is_reported_not_an_accusation():
    r = check(f"灵芝堂官方旗舰店 商家资质 统一社会信用代码：{LINGZHI}")
    assert r.verdict == LicenceVerdict.SHOWN_OK
    assert "灵芝堂官方旗舰店" in r.reason and "供核对" in r.reason
    # A name contained in the registered one (a shortened name) is consistent.
    assert check(f"名称：旌德县灵芝堂 统一社会信用代码：{LINGZHI}").verdict == LicenceVerdict.SHOWN_OK
    # A labelled entity name, or a name in the form of another registered name, is the page's claim.
    assert (
        check(f"企业名称：旌德县别家贸易有限公司 统一社会信用代码：{LINGZHI}").verdict
        == LicenceVerdict.MISMATCH
    )
    assert check(f"旌德县别家贸易有限公司 统一社会信用代码：{LINGZHI}").verdict == LicenceVerdict.MISMATCH
    # "店铺名称：" names the shop, not the entity.
    assert check(f"店铺名称：山珍小店 统一社会信用代码：{TEA}").verdict == LicenceVerdict.SHOWN_OK


def test_eighteen_characters_nobody_calls_a_licence_are_no_code_shown():
    # A complaint line with an extension and an order number: 18 characters that fail the check, unlabelled.
    text = "投诉电话 400882012345678901 订单编号 A20240901B12345678"
    assert check(text).verdict == LicenceVerdict.MISSING
    # Labelled, the same kind of string is the code the page shows, and it is invalid.
    assert check(f"统一社会信用代码：{bad_check_char(TEA)}").verdict == LicenceVerdict.INVALID_CODE


def test_the_national_electronic_licence_link_carries_the_code():
    href = (
        "https://zzlz.gsxt.gov.cn/businessCheck/verifKey.do?showType=p&serial="
        f"{TEA}-SAIC_SHOW_10000{TEA}1717171717171&signData=abc"
    )
    page = extract(f'<html><body><a href="{href}"><img alt="电子营业执照"></a></body></html>')
    r = licence_verdict(page=page, lookup=REGISTRY.get)
    assert (r.verdict, r.uscc, r.source) == (LicenceVerdict.SHOWN_OK, TEA, "licence_link")


def test_the_platform_operators_code_in_its_footer_is_not_the_shops():
    shop_exempt = f"个人卖家 张三（依法不需要办理市场主体登记）\n{FOOTER}"
    # Without knowing the platform, the footer reads as the page's own licence.
    assert check(shop_exempt).verdict == LicenceVerdict.SHOWN_OK
    assert check(shop_exempt, platform_usccs=[PLATFORM]).verdict == LicenceVerdict.EXEMPT
    shop_invalid = f"企业名称：旌德县三溪镇天山茶庄 统一社会信用代码：{bad_check_char(TEA)}\n{FOOTER}"
    r = check(shop_invalid, platform_usccs=[PLATFORM], expected_uscc=TEA)
    assert r.verdict == LicenceVerdict.INVALID_CODE
    assert check(f"店铺介绍\n{FOOTER}", platform_usccs=[PLATFORM]).verdict == LicenceVerdict.MISSING
    # A shop that shows the platform's code under its own name shows another entity's code.
    copied = f"企业名称：旌德县三溪镇天山茶庄 统一社会信用代码：{PLATFORM}"
    assert check(copied, platform_usccs=[PLATFORM], expected_uscc=TEA).verdict == LicenceVerdict.MISMATCH
    # The platform's own shop is judged on the platform's code.
    own = check(FOOTER, platform_usccs=[PLATFORM], expected_uscc=PLATFORM)
    assert own.verdict == LicenceVerdict.SHOWN_OK


def test_links_are_followed_only_when_the_page_shows_no_code_that_could_be_the_licence():
    link = '<a href="/licence.html">营业执照</a>'
    assert wants_linked_pages(extract(f"<html><body>{link}</body></html>"))
    assert wants_linked_pages(extract(f"<html><body>电话 400882012345678901 {link}</body></html>"))
    assert not wants_linked_pages(extract(f"<html><body>统一社会信用代码：{TEA} {link}</body></html>"))


def test_a_licence_shown_only_as_a_picture_is_for_the_officer_to_read_not_missing():
    page = extract('<html><body><p>关于我们</p><img src="/img/yyzz.jpg" alt="营业执照"></body></html>')
    r = licence_verdict(page=page, lookup=REGISTRY.get)
    assert r.verdict == LicenceVerdict.IMAGE_ONLY and "/img/yyzz.jpg" in r.evidence
    # A picture whose alt gives the code is read; an unrelated picture proves nothing.
    read = extract(f'<html><body><img src="/a.jpg" alt="营业执照 统一社会信用代码：{TEA}"></body></html>')
    assert licence_verdict(page=read, lookup=REGISTRY.get).verdict == LicenceVerdict.SHOWN_OK
    other = extract('<html><body><p>新品上市</p><img src="/banner.jpg" alt="春季新品"></body></html>')
    assert licence_verdict(page=other, lookup=REGISTRY.get).verdict == LicenceVerdict.MISSING


def test_the_national_licence_badge_embedded_as_a_frame_carries_the_code():
    src = (
        f"https://zzlz.gsxt.gov.cn/businessCheck/verifKey.do?showType=extShow&serial={TEA}-SAIC_SHOW_1000001"
    )
    page = extract(f'<html><body><p>关于我们</p><iframe src="{src}"></iframe></body></html>')
    assert page.frames == [src]
    r = licence_verdict(page=page, lookup=REGISTRY.get)
    assert (r.verdict, r.uscc) == (LicenceVerdict.SHOWN_OK, TEA)


def test_an_organisation_code_under_the_credit_code_label_is_an_invalid_code():
    r = check("统一社会信用代码：MA2T3K4L-5")
    assert r.verdict == LicenceVerdict.INVALID_CODE


def test_a_scripted_page_showing_only_the_platforms_footer_code_waits_for_rendering():
    html = (
        "<html><body><div id='qualification'>加载中…</div>"
        "<script src='/tabs.js'></script>"
        f"<footer>{FOOTER}</footer></body></html>"
    )
    page = extract(html)
    r = licence_verdict(page=page, lookup=REGISTRY.get, platform_usccs=[PLATFORM])
    assert r.verdict == LicenceVerdict.NEEDS_RENDERING
    # Rendered, the same page shows nothing of the shop's own: that is missing.
    rendered = licence_verdict(page=page, lookup=REGISTRY.get, platform_usccs=[PLATFORM], rendered=True)
    assert rendered.verdict == LicenceVerdict.MISSING
