"""The default libraries: every rule's own examples, every evasion, the lawful exemptions, product kinds."""

import pytest

from wangjian.monitoring.engine import Engine, default_engine, default_libraries, infer_product_kind
from wangjian.monitoring.rulefile import parse_library


def scan(text, kind=None):
    return default_engine().scan(text, product_kind=kind)


def cats(text, kind=None):
    return scan(text, kind).categories


def _examples(which):
    for lib in default_libraries():
        for rule in lib.rules:
            kinds = [k for k in rule.product_kinds if not k.startswith("!")]
            for text in rule.examples_hit if which == "hit" else rule.examples_clean:
                yield pytest.param(
                    rule.code, rule.category, kinds[0] if kinds else None, text, id=f"{rule.code}:{text[:12]}"
                )


@pytest.mark.parametrize("code,category,kind,text", list(_examples("hit")))
def test_each_rule_flags_its_positive_examples(code, category, kind, text):
    result = scan(text, kind)
    # A hit inside a claim of the same category ("根治" in "根治糖尿病") is one finding: the claim's.
    taken = {h.rule for h in result.suppressed if h.exemption.startswith("claim:")}
    assert code in {h.rule for h in result.hits} | taken


@pytest.mark.parametrize("code,category,kind,text", list(_examples("clean")))
def test_each_rule_spares_its_exempt_examples(code, category, kind, text):
    assert code not in {h.rule for h in scan(text, kind).hits}


def test_every_default_category_has_rules():
    from wangjian.monitoring.choices import Category

    have = {r.category for lib in default_libraries() for r in lib.rules}
    assert have == set(Category.values)


# --------------------------------------------------------------------------- evasion, with offsets


@pytest.mark.parametrize(
    "text,matched",
    [
        ("这是最 佳的保温杯", "最 佳"),  # space
        ("最*佳*选择", "最*佳"),  # symbol
        ("这款最🔥强吸尘器", "最🔥强"),  # emoji
        ("最\u200b佳口碑", "最\u200b佳"),  # zero-width space
        ("這款是最佳選擇", "最佳"),  # traditional
        ("全網第一", "全網第一"),  # traditional, several characters
        ("ＮＯ．１爆款", "ＮＯ．１"),  # full width
        ("zui佳品质", "zui佳"),  # pinyin for one character
        ("醉好的按摩椅", "醉好"),  # homophone
    ],
)
def test_evasions_are_seen_through_and_the_hit_shows_what_the_page_said(text, matched):
    hits = [h for h in scan(text).hits if h.category == "absolute_terms"]
    assert hits, text
    h = hits[0]
    assert text[h.start : h.end] == matched == h.matched


def test_pinyin_initials_of_a_long_term_are_caught():
    hits = scan("wzbp 投资项目 名额有限").hits
    assert [(h.category, h.matched, h.channel) for h in hits] == [("finance_promise", "wzbp", "initials")]


def test_whole_pinyin_of_a_term_is_caught():
    h = scan("haopingfanxian 加微信").hits[0]
    assert (h.category, h.matched, h.channel) == ("fake_reviews", "haopingfanxian", "pinyin")


def test_pinyin_inside_a_longer_word_is_not_a_match():
    assert "absolute_terms" not in cats("zuijiayou team")  # "zuijia" is followed by more letters of the word


def test_a_homophone_in_ordinary_text_is_not_folded_into_a_violation():
    assert cats("喝醉了第二天头疼") == set()
    assert cats("兄弟一起去吃火锅") == set()


def test_offsets_are_code_points_into_the_original_even_after_astral_characters():
    text = "𠀀🔥好评返现"
    h = scan(text).hits[0]
    assert (h.start, h.end, h.matched) == (2, 6, "好评返现")


def test_a_page_with_a_lone_surrogate_is_scanned_and_what_it_reports_can_be_stored_as_utf8():
    text = "全国第一\ud83d 本品治疗糖尿病。每天躺着也能躺赚三千元"  # a broken escape in a page's JSON-LD
    r = default_engine().scan(text)
    assert {"ABS-003", "MED-002"} <= {h.rule for h in r.hits}
    for h in r.hits + r.suggestions + r.suppressed:
        h.matched.encode("utf-8")
    r.text.encode("utf-8")
    assert r.text[:4] == "全国第一" and len(r.text) == len(text)


# --------------------------------------------------------------------------- exemptions of the 2023 guideline


@pytest.mark.parametrize(
    "text,reason_part",
    [
        ("本品最佳赏味期为开封后7天", "消费提示"),
        ("我们致力于为顾客提供最好的服务", "经营理念"),
        ("这是本品牌迄今为止最好的一代笔记本", "自我比较"),
        ("国家级非物质文化遗产宣纸制作技艺", "称号"),
        ("荣获全国第一名", "奖项"),
        ("据某平台2023年度数据统计，本品在该平台洗衣机类目销量第一", "时间"),
        ("全国第一次农民丰收节", "序数"),
        ("最佳拍档®饼干", "商标"),
    ],
)
def test_absolute_terms_exemptions_say_why_the_hit_is_lawful(text, reason_part):
    result = scan(text)
    assert "absolute_terms" not in result.categories
    reasons = " ".join(h.exemption_reason for h in result.suppressed)
    assert reason_part in reasons


def test_national_standard_grade_is_not_an_absolute_term():
    assert cats("一级能效 节能省电") == set()
    assert cats("最高级能效 省电") == set()


def test_term_in_quotation_marks_is_a_mention_not_a_use():
    assert cats("绝对化用语如“最佳”“国家级”禁止在广告中使用") == set()


def test_warnings_about_a_practice_are_not_the_practice():
    assert cats("谨防刷单诈骗 不要轻信高额佣金") == set()
    assert cats("警惕“保本保息”“稳赚不赔”等非法集资宣传") == set()
    assert cats("识破传销骗局：发展下线 拉人头 交入门费") == set()


# --------------------------------------------------------------------------- product kinds


@pytest.mark.parametrize(
    "text,kind",
    [
        ("布洛芬 国药准字H20013062", "drug"),
        ("板蓝根颗粒（乙类OTC）清热解毒", "drug"),
        ("维生素C片 甲类非处方药", "drug"),
        ("血压计 苏械注准20202070001", "medical_device"),
        ("口罩 械备20200001号", "medical_device"),
        ("鱼油 国食健注G20190123", "health_food"),
        ("葡萄籽 食健备G202133000123", "health_food"),
        ("防晒霜 国妆特字G20200001", "cosmetics"),
        ("饼干 SC10632058100123", "food"),
        ("纯棉T恤 舒适透气", "general"),
    ],
)
def test_product_kind_is_inferred_from_approval_numbers(text, kind):
    assert infer_product_kind(text).kind == kind


@pytest.mark.parametrize(
    "text,kind",
    [
        ("某某口腔医院 种植牙 医广(审)第2023-01号", "medical_service"),
        ("乳腺癌、胃癌根治手术", "medical_service"),
        ("全飞秒激光，今天矫正，明天上班", "medical_service"),
        # goods that claim to spare the surgery are goods
        ("免手术，贴一贴告别腰椎间盘突出", "general"),
        ("不打针、不吃药、不抽脂，轻松瘦", "general"),
        ("告别手术的痛苦", "general"),
    ],
)
def test_a_medical_service_is_known_by_its_licence_or_a_treatment_only_a_clinic_gives(text, kind):
    assert infer_product_kind(text).kind == kind


def test_a_clinic_may_name_what_it_treats_but_not_guarantee_the_cure():
    # 《广告法》第十七条 forbids treatment claims to goods, not to a licensed clinic; its cure rate and
    # guarantees fall under 第十六条 like a drug's.
    assert "medical_claim" not in cats("本院微创手术治疗腰椎间盘突出")
    assert "medical_claim" in cats("免手术，贴一贴治疗腰椎间盘突出")
    assert "efficacy_guarantee" in cats("本院微创手术治疗腰椎间盘突出，治愈率100%")


def test_treatment_claim_is_lawful_for_a_drug_but_not_for_a_food():
    assert "medical_claim" not in cats("感冒药 用于治疗普通感冒引起的发热", "drug")
    assert "medical_claim" in cats("这款茶饮用于治疗感冒", "food")
    # inferred: the approval number says drug
    assert "medical_claim" not in cats("国药准字Z20013062 用于治疗风寒感冒")


def test_health_food_without_the_statement_is_flagged_once_and_with_it_is_not():
    result = scan("鱼油 国食健注G20190123 辅助降血脂 增强免疫力")
    hf = [h for h in result.hits if h.category == "health_food_disclaimer"]
    assert len(hf) == 1 and hf[0].matched == "国食健注G20190123"
    assert "health_food_disclaimer" not in cats("鱼油 国食健注G20190123 辅助降血脂 本品不能代替药物")


def test_proximity_needs_the_disease_word_within_the_distance():
    assert "medical_claim" in cats("喝这个茶，告别高血压", "food")
    assert "medical_claim" not in cats("告别加班熬夜的日子，从一杯好茶开始，享受生活，再聊高血压", "food")


def test_a_library_of_one_rule_compiles_and_matches():
    lib = parse_library(
        {
            "library": "t",
            "rules": [
                {"code": "T1", "category": "counterfeit", "terms": ["山寨货"], "exclusions": ["不卖山寨货"]}
            ],
        }
    )
    engine = Engine([lib])
    assert [h.rule for h in engine.scan("专卖山 寨 货").hits] == ["T1"]
    assert engine.scan("本店不卖山寨货").hits == []


@pytest.mark.parametrize(
    "sign",
    [
        "国药准字H12345678",
        "药品批准文号",
        "处方药",
        "国药证字",
        "械注准20203456",
        "粤械备20210001",
        "医疗器械备案",
        "医疗器械注册证",
        "国食健注G20120001",
        "卫食健字",
        "食健备G2020001",
        "保健食品",
        "蓝帽标志",
        "国妆特字",
        "国妆备进",
        "妆网备字",
        "沪G妆备20200001",
        "化妆品",
        "sc12345678901234",
        "食品生产许可证",
        "食品经营许可证",
        "年化收益",
        "理财产品",
        "私募",
        "基金定投",
        "培训班",
        "辅导班",
        "考前培训",
        "网课",
        "学历提升",
        "题库",
        "医疗机构执业许可证",
        "医疗广告审查证明",
        "医广(审)",
        "医疗美容诊所",
        "医美机构",
        "口腔医院",
        "门诊部",
        "专家坐诊",
        "网上挂号",
        "微创手术",
        "植发",
        "种植牙",
        "种牙",
        "全飞秒",
        "icl晶体",
        "晶体植入",
        "吸脂",
        "抽脂",
        "割双眼皮",
        "隆鼻",
        "隆胸",
        "热玛吉",
        "超声炮",
        "无痛人流",
    ],
)
def test_each_sign_of_a_product_kind_is_found_past_the_quick_word_test(sign):
    # The quick test (a word every sign of the kind contains) must never hide a sign.
    import re as re_

    from wangjian.core import textnorm
    from wangjian.monitoring.kinds import PRODUCT_KIND_SIGNS, infer_product_kind

    text = "本店商品介绍：" + sign + "，欢迎选购"
    norm = textnorm.normalize(text).text
    expected = next(str(k) for k, p, _ in PRODUCT_KIND_SIGNS if re_.search(p, norm))
    assert infer_product_kind(text).kind == expected != "general"
