"""The permit display check (亮证): which permit the goods require, the verdict on what the page shows, and
never an accusation where the goods are uncertain, a filing suffices, or the page was not rendered."""

from __future__ import annotations

import datetime as dt

import pytest

from wangjian.monitoring.extract import extract
from wangjian.monitoring.permits import PermitVerdict, permit_verdicts
from wangjian.registry.choices import PermitKind, PermitStatus
from wangjian.registry.permits import MemoryPermitLookup, NoPermitData, PermitFacts
from wangjian.registry.uscc import complete

TODAY = dt.date(2025, 11, 12)
SELLER = complete("92341825MA2P00001")
OTHER = complete("92341825MA2P09999")
NAME = "旌德县旌阳镇汪记糕点店"
DEVICES = "旌德县安康医疗器械商行"


def page(*lines: str, script: bool = False):
    body = "".join(f"<p>{line}</p>" for line in lines)
    js = (
        "<script>document.getElementById('x').innerHTML='<p>证照</p>';</script><div id='x'></div>"
        if script
        else ""
    )
    return extract(f"<html><head><title>店铺</title></head><body>{body}{js}</body></html>")


def verdicts(p, lookup=None, **kw) -> dict[str, str]:
    return {
        c.kind: c.verdict for c in permit_verdicts(page=p, lookup=lookup or NoPermitData(), today=TODAY, **kw)
    }


def one(p, kind, lookup=None, **kw):
    return next(
        c
        for c in permit_verdicts(page=p, lookup=lookup or NoPermitData(), today=TODAY, **kw)
        if c.kind == kind
    )


DATA = MemoryPermitLookup(
    [
        PermitFacts(
            PermitKind.FOOD_LICENCE,
            "JY13418250000127",
            holder_name=NAME,
            holder_uscc=SELLER,
            valid_from=dt.date(2022, 1, 1),
            valid_to=dt.date(2027, 1, 1),
        ),
        PermitFacts(
            PermitKind.FOOD_LICENCE,
            "JY13418250000215",
            holder_name=NAME,
            holder_uscc=SELLER,
            valid_to=dt.date(2025, 11, 11),  # the day before TODAY
        ),
        PermitFacts(
            PermitKind.FOOD_LICENCE,
            "JY13418250000442",
            holder_name=NAME,
            holder_uscc=SELLER,
            status=PermitStatus.REVOKED,
        ),
        PermitFacts(
            PermitKind.FOOD_LICENCE, "JY13418250000336", holder_name="旌德县福记食品厂", holder_uscc=OTHER
        ),
        PermitFacts(PermitKind.FOOD_FILING, "YB23418250000451", holder_name=NAME, holder_uscc=SELLER),
        PermitFacts(
            PermitKind.DEVICE_FILING, "皖宣药监械经营备20230008号", holder_name=DEVICES, holder_uscc=SELLER
        ),
    ]
)
BULK = "手工绿豆糕（散装称重）"


# --------------------------------------------------------------------------- food


def test_a_valid_food_licence_is_shown_ok_by_its_format_without_data_and_verified_with_it():
    p = page(BULK, "食品经营许可证：JY13418250000127", f"经营者名称：{NAME}")
    without = one(p, "food_permit")
    assert without.verdict == PermitVerdict.FORMAT_OK and "未核对" in without.reason
    assert (without.number, without.name) == ("JY13418250000127", NAME)
    assert "JY13418250000127" in without.evidence
    assert one(p, "food_permit", DATA, expected_uscc=SELLER).verdict == PermitVerdict.PERMIT_OK


@pytest.mark.parametrize(
    "shown",
    ["JY1341825000012", "JY43418250000127", "SP3418251010000123"],
    ids=["a digit short", "no such business type", "the old circulation permit"],
)
def test_a_malformed_food_licence_number_is_invalid_never_not_shown(shown):
    check = one(page(BULK, f"食品经营许可证：{shown}"), "food_permit", DATA)
    assert check.verdict == PermitVerdict.INVALID_FORMAT and check.number == shown


def test_a_licence_expired_on_the_day_before_or_revoked_is_lapsed():
    expired = one(page(BULK, "食品经营许可证：JY13418250000215"), "food_permit", DATA)
    assert expired.verdict == PermitVerdict.LAPSED and "2025-11-11" in expired.reason
    revoked = one(page(BULK, "食品经营许可证：JY13418250000442"), "food_permit", DATA)
    assert revoked.verdict == PermitVerdict.LAPSED and "吊销" in revoked.reason


def test_another_holders_licence_is_a_holder_mismatch_by_code_or_by_the_name_shown():
    p = page(BULK, "食品经营许可证：JY13418250000336", f"经营者名称：{NAME}")
    by_code = one(p, "food_permit", DATA, expected_uscc=SELLER)
    assert by_code.verdict == PermitVerdict.HOLDER_MISMATCH and by_code.holder_name == "旌德县福记食品厂"
    assert one(p, "food_permit", DATA).verdict == PermitVerdict.HOLDER_MISMATCH  # no linked entity: the name


def test_the_linked_entitys_code_decides_the_holder_whatever_brand_name_the_page_writes():
    p = page(BULK, "食品经营许可证：JY13418250000127", "经营者名称：汪记百年老店")
    assert one(p, "food_permit", DATA, expected_uscc=SELLER).verdict == PermitVerdict.PERMIT_OK
    assert one(p, "food_permit", DATA).verdict == PermitVerdict.HOLDER_MISMATCH  # no code: the name decides


def test_a_number_unknown_to_the_data_covering_its_place_is_not_in_data_but_one_from_elsewhere_is_unverified():
    assert one(page(BULK, "食品经营许可证：JY13418250000999"), "food_permit", DATA).verdict == "not_in_data"
    shanghai = one(page(BULK, "食品经营许可证：JY13101010000999"), "food_permit", DATA)
    assert shanghai.verdict == PermitVerdict.FORMAT_OK


def test_selling_only_pre_packaged_food_a_filing_suffices_and_is_never_a_missing_licence():
    filed = page("袋装笋干", "坚果礼盒", "仅销售预包装食品备案编号：YB23418250000451")
    assert one(filed, "food_permit", DATA).verdict == PermitVerdict.FILING_SUFFICES
    assert one(filed, "food_permit").verdict == PermitVerdict.FILING_SUFFICES  # no data: format only
    stated = page("罐装山核桃", "本店仅销售预包装食品，已办理备案。")
    assert one(stated, "food_permit").verdict == PermitVerdict.FILING_SUFFICES
    bad_filing = page("袋装笋干", "仅销售预包装食品备案编号：YB2341825000045")
    assert one(bad_filing, "food_permit").verdict == PermitVerdict.INVALID_FORMAT


def test_a_filing_does_not_cover_bulk_food_and_bulk_food_without_a_licence_is_not_shown():
    filing_only = one(page(BULK, "仅销售预包装食品备案编号：YB23418250000451"), "food_permit", DATA)
    assert filing_only.verdict == PermitVerdict.NOT_SHOWN and "散装" in filing_only.reason
    nothing = one(page("现做卤味拼盘", "散装腊肉（称重）"), "food_permit")
    assert nothing.verdict == PermitVerdict.NOT_SHOWN and "食品安全法第三十五条" in nothing.reason


def test_food_whose_packaging_cannot_be_told_is_kind_uncertain_not_an_accusation():
    assert verdicts(page("天山真香茶", "旌德板栗")) == {"food_permit": PermitVerdict.KIND_UNCERTAIN}
    assert verdicts(page("灵芝切片", "滋补佳品")) == {
        "food_permit": PermitVerdict.KIND_UNCERTAIN
    }  # hints only


def test_goods_of_no_regulated_kind_raise_no_permit_check():
    assert verdicts(page("变频空调", "机械手表", "茶几")) == {}


# --------------------------------------------------------------------------- drugs


def test_a_drug_seller_must_show_its_licence_and_its_capsules_are_no_food_hint():
    assert verdicts(page("阿莫西林胶囊", "感冒灵颗粒")) == {"drug_permit": PermitVerdict.NOT_SHOWN}
    shown = page("布洛芬缓释胶囊", "药品经营许可证：皖DA5630012")
    assert verdicts(shown) == {"drug_permit": PermitVerdict.FORMAT_OK}
    assert verdicts(page("布洛芬缓释胶囊", "药品经营许可证：皖EA5630012")) == {
        "drug_permit": "invalid_format"
    }


def test_a_site_of_its_own_selling_drugs_must_also_show_its_information_service_certificate():
    goods = "对乙酰氨基酚片"
    assert "drug_info" not in verdicts(page(goods), website=None)  # a platform shop, or not known
    assert verdicts(page(goods), website=True)["drug_info"] == PermitVerdict.NOT_SHOWN
    shown = page(goods, "互联网药品信息服务资格证书：（皖）-非经营性-2021-0015")
    assert verdicts(shown, website=True)["drug_info"] == PermitVerdict.FORMAT_OK


# --------------------------------------------------------------------------- medical devices


def test_class_one_devices_need_nothing():
    assert verdicts(page("医用冷敷贴（皖宣械备20200012号）")) == {"device_permit": PermitVerdict.NOT_REQUIRED}


def test_class_two_devices_need_the_filing_unless_exempt_from_it():
    goods = "家用制氧机（皖械注准20232080456）"
    assert verdicts(page(goods)) == {"device_permit": PermitVerdict.NOT_SHOWN}
    filed = page(goods, "第二类医疗器械经营备案凭证：皖宣药监械经营备20230008号", f"经营者名称：{DEVICES}")
    assert verdicts(filed, DATA, expected_uscc=SELLER) == {"device_permit": PermitVerdict.PERMIT_OK}
    exempt = one(page("电子体温计", "第二类医疗器械 血压计"), "device_permit")
    assert exempt.verdict == PermitVerdict.NOT_REQUIRED and "免于经营备案" in exempt.reason


def test_class_three_devices_need_the_licence_and_a_class_two_filing_is_not_it():
    goods = "日抛隐形眼镜（国械注准20193160001）"
    filing = one(page(goods, "第二类医疗器械经营备案凭证：皖宣药监械经营备20230008号"), "device_permit", DATA)
    assert filing.verdict == PermitVerdict.NOT_SHOWN and "第三类" in filing.reason
    licence = page(goods, "医疗器械经营许可证：皖宣药监械经营许20230012号")
    assert verdicts(licence) == {"device_permit": PermitVerdict.FORMAT_OK}


def test_devices_of_unknown_class_are_kind_uncertain():
    check = one(page("家用理疗仪", "颈部按摩器"), "device_permit")
    assert check.verdict == PermitVerdict.KIND_UNCERTAIN and "类别" in check.reason
    assert verdicts(page("颈部按摩器", "护腰矫正带")) == {"device_permit": PermitVerdict.KIND_UNCERTAIN}


# --------------------------------------------------------------------------- platforms, the mark, rendering


def test_a_food_trading_platform_shows_its_filing_and_is_not_judged_by_its_sellers_permits():
    shown = page("网络食品交易第三方平台", "入驻商家：汪记糕点店（绿豆糕）", "备案号：皖网食备34000012")
    assert verdicts(shown) == {"platform_filing": PermitVerdict.FORMAT_OK}
    missing = page("网络食品交易第三方平台", "入驻商家：汪记糕点店（绿豆糕）")
    assert verdicts(missing) == {"platform_filing": PermitVerdict.NOT_SHOWN}
    # A shop whose page carries the platform's footer is not the platform.
    shop = page(BULK, "网络食品交易第三方平台备案号：皖网食备34000012")
    assert verdicts(shop, platform=False) == {"food_permit": PermitVerdict.NOT_SHOWN}


def test_the_electronic_business_mark_is_checked_only_where_the_bureau_issues_one():
    plain = page("变频空调")
    assert verdicts(plain) == {}
    assert verdicts(plain, ebiz_mark=True) == {"ebiz_mark": PermitVerdict.NOT_SHOWN}
    marked = extract(
        '<html><body><p>空调</p><a href="https://zzlz.gsxt.gov.cn/x"><img alt="电子营业执照"></a></body></html>'
    )
    assert verdicts(marked, ebiz_mark=True) == {"ebiz_mark": PermitVerdict.FORMAT_OK}


def test_a_page_with_scripts_not_rendered_is_not_checked_never_not_shown():
    scripted = page("现做卤味拼盘", "散装腊肉（称重）", script=True)
    check = one(scripted, "food_permit")
    assert check.verdict == PermitVerdict.NEEDS_RENDERING and "不作“未亮证”结论" in check.reason
    assert one(scripted, "food_permit", rendered=True).verdict == PermitVerdict.NOT_SHOWN
    # What the static page does show is judged at once.
    shown = page(BULK, "食品经营许可证：JY1341825000012", script=True)
    assert one(shown, "food_permit").verdict == PermitVerdict.INVALID_FORMAT


def test_a_permit_on_the_linked_certificates_page_counts_as_shown():
    home = page(BULK)
    certificates = page("经营资质", "食品经营许可证：JY13418250000127", f"经营者名称：{NAME}")
    check = one(home, "food_permit", DATA, linked_pages=[certificates], expected_uscc=SELLER)
    assert check.verdict == PermitVerdict.PERMIT_OK


def test_a_certificates_link_whose_page_was_not_read_is_not_checked_never_not_shown():
    linked = extract(
        f'<html><body><p>{BULK}</p><a href="/zizhi.html">资质证照</a></body></html>',
        base_url="http://127.0.0.1/",
    )
    check = one(linked, "food_permit")
    assert check.verdict == PermitVerdict.LINK_UNREAD and "不作“未亮证”结论" in check.reason
    # Read, and showing no permit: nothing is shown.
    empty = page("经营资质", "暂无")
    assert one(linked, "food_permit", linked_pages=[empty]).verdict == PermitVerdict.NOT_SHOWN


def test_a_restaurant_is_a_food_business_and_an_old_catering_permit_is_no_licence():
    takeaway = page("川味小厨 - 川菜外卖", "水煮鱼 ¥58", "宫保鸡丁 ¥32")
    assert one(takeaway, "food_permit").verdict == PermitVerdict.NOT_SHOWN
    old = page("庙首农家菜馆 农家菜 外卖", "土鸡煲 ¥98", "餐饮服务许可证：皖餐证字2015341825000087")
    check = one(old, "food_permit")
    assert check.verdict == PermitVerdict.INVALID_FORMAT and "餐饮服务许可证" in check.reason
    # 外卖 alone (a delivery box, a courier's bag) is no sign of food.
    assert verdicts(page("外卖保温箱 加厚款")) in ({}, {"food_permit": PermitVerdict.KIND_UNCERTAIN})


def test_edible_farm_produce_sold_as_it_is_needs_no_food_permit():
    orchard = page("蔡家桥果园 当季鲜果 现摘现发", "翠冠梨 ¥8/斤", "新鲜蔬菜 土鸡蛋")
    check = one(orchard, "food_permit")
    assert check.verdict == PermitVerdict.NOT_REQUIRED and "第三十五条" in check.reason
    # Farm produce beside processed food is food business as usual.
    assert one(page("土鸡蛋", "手工糕点 绿豆糕"), "food_permit").verdict != PermitVerdict.NOT_REQUIRED


def test_a_page_showing_a_sellers_own_food_licence_is_a_shop_whatever_platform_filing_its_footer_carries():
    shop = page(
        "老街小吃 外卖",
        "食品经营许可证编号：JY13418250000127",
        f"经营者名称：{NAME}",
        "平台备案：皖网食A34180003",
    )
    checks = verdicts(shop, DATA, expected_uscc=SELLER)
    assert checks == {"food_permit": PermitVerdict.PERMIT_OK}


def test_a_permit_shown_only_as_a_picture_is_for_the_officer_to_read_never_not_shown():
    pictured = extract(
        f'<html><body><p>{BULK}</p><img src="/img/jyxk.jpg" alt="食品经营许可证"></body></html>',
        base_url="http://127.0.0.1/",
    )
    check = one(pictured, "food_permit")
    assert check.verdict == PermitVerdict.IMAGE_ONLY and check.evidence.endswith("/img/jyxk.jpg")
    # The business licence's picture or the 亮照 mark is no permit.
    licence = extract(f'<html><body><p>{BULK}</p><img src="/img/yyzz.jpg" alt="营业执照"></body></html>')
    assert one(licence, "food_permit").verdict == PermitVerdict.NOT_SHOWN


def test_the_regimes_a_platforms_footer_names_are_no_goods_of_the_seller():
    footer = "网络食品交易第三方平台备案：浙网食A33050001 互联网药品信息服务资格证书：（浙）-经营性-2020-0001"
    # A seller's page on the platform (the presence is a platform shop): its bulk food is judged.
    shop = verdicts(page("经营者：安吉县老杨熟食店", "卤牛肉 散装 ¥78/斤", footer), platform=False)
    assert shop["food_permit"] == PermitVerdict.NOT_SHOWN and "drug_permit" not in shop
    # The regimes the footer names (网络食品交易, 互联网药品信息服务) say nothing of a clothes seller's goods: no food
    # or drug permit is asked of it (the certificate number it shows is checked as shown).
    clothes = verdicts(page("经营者：安吉县某某服饰店", "纯棉T恤 ¥59", footer), platform=False)
    assert "food_permit" not in clothes and "drug_permit" not in clothes


def test_herbs_that_may_be_drugs_or_food_leave_the_kind_uncertain():
    herbs = page("经营者：安吉县百草农副产品店", "山货干货", "黄芪片 散装称重 ¥58/斤", "党参段 散装 ¥72/斤")
    assert one(herbs, "food_permit").verdict == PermitVerdict.KIND_UNCERTAIN
    # Said to be food, with food words of their own, they are food.
    assert one(page("枸杞 红枣 散装称重", "黄芪片"), "food_permit").verdict == PermitVerdict.NOT_SHOWN


def test_fresh_bamboo_shoots_are_farm_produce():
    assert one(page("自家山上的春笋", "土鸡蛋 新鲜蔬菜"), "food_permit").verdict == PermitVerdict.NOT_REQUIRED
