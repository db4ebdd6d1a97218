"""Claims as structure (issue 10, point 2): a claim verb and a disease or symptom in one sentence, by product kind.

广告法 art. 17 forbids a non-drug's advertisement to concern the treatment of disease; sellers write the
claim in words no list holds ("降低心脑血管疾病发病率", "对糖尿病有很好的治疗效果"). The default libraries
join a verb of ``lexicon:claim_verbs`` to a disease or symptom within eight characters, either order.
"""

from __future__ import annotations

import pytest

from wangjian.monitoring.engine import Engine, default_engine
from wangjian.monitoring.rulefile import parse_library


def scan(text, kind=None):
    return default_engine().scan(text, product_kind=kind)


def cats(text, kind=None):
    return scan(text, kind).categories


def claim_hits(text, kind=None):
    return [h for h in scan(text, kind).hits if h.category == "medical_claim"]


def structure_hits(text, kind=None):
    """Hits of the claim structure rules (verb + disease or symptom)."""
    return [h for h in scan(text, kind).hits if h.rule in {"MED-002", "MED-006", "MED-010"}]


# --------------------------------------------------------------------------- the structure


@pytest.mark.parametrize(
    "text,matched",
    [
        ("这款茶能治疗糖尿病", "治疗糖尿病"),  # verb, disease
        ("水机过滤的水对糖尿病有很好的治疗效果", "糖尿病有很好的治疗"),  # disease, verb four characters on
        ("鞋垫是痛风的克星", "痛风的克星"),
        ("长期饮用可降低心脑血管疾病发病率", "降低心脑血管疾病"),
        ("灵芝孢子粉能抑制癌细胞生长", "抑制癌细胞"),
        ("酸枣仁茶 改善失眠症状", "改善失眠症"),  # 失眠症 is the disease's name
        ("护眼台灯 防近视", "防近视"),  # a one-character verb right before its disease
    ],
)
def test_a_claim_verb_and_a_disease_in_one_sentence_are_one_hit_covering_both(text, matched):
    hits = structure_hits(text, "general")
    assert [h.matched for h in hits] == [matched]
    assert "+" in hits[0].term  # the verb and the disease it was joined to, in the page's order


def test_the_claim_is_one_finding_even_when_a_treatment_word_alone_is_also_a_rule():
    result = scan("这款茶饮能根治糖尿病", "food")
    assert [(h.rule, h.matched) for h in result.hits] == [("MED-002", "根治糖尿病")]
    taken = [h for h in result.suppressed if h.rule == "MED-001"]
    assert taken and taken[0].exemption == "claim:MED-002"


def test_a_disease_listed_with_others_is_joined_to_the_verb_before_the_list():
    (hit,) = claim_hits("服用几个疗程可治疗高血压、糖尿病、高血脂", "food")
    assert hit.matched == "治疗高血压、糖尿病、高血脂"


@pytest.mark.parametrize(
    "text",
    [
        "我们治疗了一下午的花草，顺便聊聊糖尿病",  # nine characters apart
        "糖尿病，今天我们去治疗",  # a sentence break between them
        "治一下近视的话题",  # a one-character verb not right before the disease
        "告别加班熬夜的日子，从一杯好茶开始，享受生活，再聊高血压",
    ],
)
def test_a_verb_too_far_from_the_disease_or_in_another_sentence_is_no_claim(text):
    assert structure_hits(text, "food") == []


def test_the_distance_is_the_rules_own_and_a_library_may_set_it():
    lib = parse_library(
        {
            "library": "t",
            "rules": [
                {
                    "code": "C1",
                    "category": "medical_claim",
                    "claim": {"verbs": ["改善"], "objects": ["失眠"], "within": 2},
                }
            ],
        }
    )
    engine = Engine([lib])
    assert [h.rule for h in engine.scan("改善长期失眠").hits] == ["C1"]
    assert engine.scan("改善一下长期的失眠").hits == []


# --------------------------------------------------------------------------- exemptions


@pytest.mark.parametrize(
    "text,reason_part",
    [
        ("本品不能治疗糖尿病", "否定"),
        ("本品对糖尿病没有治疗作用", "否定"),
        ("近视目前无法治愈，可以通过科学用眼和户外活动预防和控制", "否定"),
        ("目前没有任何牙膏能够清除胃内的幽门螺杆菌", "否定"),
        ("正在接受治疗的糖尿病患者请咨询医生后食用", "就医"),
        ("糖尿病是一种需要长期治疗的慢性病", "疾病知识"),
        ("谨防宣称能治疗糖尿病的保健品骗局", "警示"),
        ("电脑杀毒软件 清除病毒木马", "计算机病毒"),
        ("牙膏含氟，帮助预防龋齿", "牙膏"),
        ("防脱洗发水 防脱发", "化妆品"),
    ],
)
def test_negations_medical_advice_encyclopedic_statements_and_warnings_are_not_claims(text, reason_part):
    result = scan(text)
    assert "medical_claim" not in result.categories
    assert reason_part in " ".join(h.exemption_reason for h in result.suppressed)


def test_encyclopedic_sentences_with_no_claim_verb_are_left_alone():
    for text in [
        "糖尿病是一种以高血糖为特征的代谢性疾病",
        "痛风是一种由尿酸盐沉积所致的晶体相关性关节病",
        "感冒多由病毒引起，通常具有自限性，多休息、多喝水",
    ]:
        assert "medical_claim" not in cats(text), text


# --------------------------------------------------------------------------- product kinds


def test_a_drug_may_state_its_indication_a_food_may_not():
    assert "medical_claim" not in cats("用于治疗风寒感冒引起的头痛", "drug")
    assert "medical_claim" in cats("用于治疗风寒感冒引起的头痛", "food")
    assert "medical_claim" in cats("用于治疗风寒感冒引起的头痛", "general")


def test_a_medical_device_is_flagged_only_for_guaranteeing_a_cure():
    assert cats("颈椎治疗仪 缓解颈椎病引起的疼痛", "medical_device") == set()
    assert cats("颈椎治疗仪 根治颈椎病", "medical_device") == {"efficacy_guarantee"}


def test_a_health_food_may_claim_its_registered_function_but_not_a_disease():
    lawful = "葡萄籽胶囊 保健功能：有助于改善痤疮 本品不能代替药物"
    assert "medical_claim" not in cats(lawful, "health_food")
    assert "medical_claim" not in cats("铁锌胶囊 保健功能：改善缺铁性贫血 本品不能代替药物", "health_food")
    assert "medical_claim" in cats("蜂胶胶囊 治疗高血压 本品不能代替药物", "health_food")


def test_a_health_food_claiming_a_function_outside_the_catalogue_is_a_review_signal():
    hits = [
        h for h in scan("胶囊 国食健注G20190123 补肾 延缓衰老", "health_food").hits if h.rule == "MED-008"
    ]
    assert hits and {h.severity for h in hits} == {"review"}
    assert not [
        h for h in scan("胶囊 增强免疫力 本品不能代替药物", "health_food").hits if h.rule == "MED-008"
    ]


def test_an_ordinary_food_may_not_claim_a_health_function():
    assert "medical_claim" in cats("枸杞原浆 护肝养肝 每天一瓶", "food")
    assert "medical_claim" in cats("黑枸杞茶 增强免疫力", "food")
    assert "medical_claim" not in cats("减肥期间也能放心吃的低脂零食", "food")
    assert "medical_claim" not in cats("改善睡眠的记忆棉枕头", "general")  # a pillow is no food


@pytest.mark.parametrize(
    "text", ["祛痘精华 抗菌消炎", "生发液 毛发再生", "舒缓面霜 抗敏修护", "眼霜 外敷给药精准"]
)
def test_a_cosmetic_may_not_use_the_forbidden_medical_terms(text):
    assert "medical_claim" in cats(text, "cosmetics")


@pytest.mark.parametrize(
    "text",
    ["防脱洗发水 防脱发", "美白精华 祛斑美白", "祛痘精华 温和不刺激", "抗皱紧致眼霜", "面霜 不含药物成分"],
)
def test_the_efficacies_the_cosmetics_classification_allows_are_not_flagged(text):
    assert "medical_claim" not in cats(text, "cosmetics")


def test_epidemic_claims_on_purifiers_disinfectants_and_drinks():
    assert "medical_claim" in cats("疫情当前 推荐这款防病毒车载净化器", "general")
    assert "medical_claim" in cats("可高效灭杀新冠病毒", "general")
    assert "medical_claim" in cats("喝这款水 能预防流感", "food")
    assert "medical_claim" in cats("助力新冠状病毒防治", "drug")  # beyond any approved label
    assert "medical_claim" not in cats("本产品不能预防或治疗新冠病毒感染", "general")


# --------------------------------------------------------------------------- prescription drugs


@pytest.mark.parametrize(
    "text",
    [
        "西地那非片 特价秒杀 包邮到家",
        "司美格鲁肽注射液 领券立减200",
        "他达拉非片 立即购买 顺丰发货",
        "进口肉毒素瘦脸针 限时特价",
    ],
)
def test_a_prescription_drug_named_with_promotion_is_flagged(text):
    assert "prescription_drug" in cats(text)


@pytest.mark.parametrize(
    "text",
    [
        "西地那非是一种磷酸二酯酶5型抑制剂，用于治疗勃起功能障碍",  # encyclopedic
        "他达拉非片 处方药 请凭医师处方购买",  # the prescription requirement stated
        "布洛芬缓释胶囊 家中常备 包邮",  # OTC
        "氯雷他定片 特价 包邮",  # OTC
        "饮食控制可以改善胰岛素抵抗 限时优惠",  # 胰岛素 as a body measure, not the drug
    ],
)
def test_an_encyclopedic_mention_an_otc_drug_or_a_stated_prescription_requirement_is_not(text):
    assert "prescription_drug" not in cats(text)


def test_a_drug_claiming_an_indication_only_prescription_drugs_have_is_promotion_to_the_public():
    assert "prescription_drug" in cats("治疗勃起功能障碍 隐私发货", "drug")
    assert "prescription_drug" not in cats("用于治疗轻、中度原发性高血压 请凭医师处方购买", "drug")
    assert "prescription_drug" not in cats("用于缓解轻至中度疼痛，如头痛、关节痛", "drug")


def test_a_drug_or_device_guaranteeing_a_cure_is_an_efficacy_guarantee():
    assert "efficacy_guarantee" in cats("脚气膏 专治脚气 药到病除", "drug")
    assert "efficacy_guarantee" in cats("三个月可使血糖、血压恢复正常", "medical_device")
    assert "efficacy_guarantee" not in cats("用于幽门螺杆菌的根除治疗", "drug")


# --------------------------------------------------------------------------- pinyin


@pytest.mark.parametrize(
    "text,matched,channel",
    [
        ("这款茶 zhi liao tang niao bing 效果好", "zhi liao tang niao bing", "pinyin"),
        ("zl糖尿病 喝它就对了", "zl糖尿病", "initials"),
        ("治疗tnb的好茶", "治疗tnb", "initials"),
        ("这款茶zhi疗失眠", "zhi疗失眠", "pinyin"),
    ],
)
def test_a_claim_spelt_in_pinyin_with_spaces_or_initials_is_caught(text, matched, channel):
    hits = claim_hits(text, "food")
    assert [(h.matched, h.channel) for h in hits] == [(matched, channel)]


def test_a_standalone_claim_spelt_in_syllables_with_spaces_is_caught():
    hits = claim_hits("kang ai 好茶 限时特价", "food")
    assert [(h.matched, h.term) for h in hits] == [("kang ai", "抗癌")]


@pytest.mark.parametrize(
    "text",
    [
        "Model ZL-200 upgrade kit, see https://example.com/zl/tnb",
        "联系人 Xiao Yan 电话请见店铺首页",  # a name written in pinyin, capitalised
        "Made in China 中国制造 品质保证",
        "tang niao bing",  # no Chinese around it: nothing says it is Chinese typed to evade
        "型号zl2023 颜色黑色",
        "The tea has a long history and a fine taste 茶香",
    ],
)
def test_ordinary_latin_text_model_numbers_names_and_urls_are_not_claims(text):
    assert "medical_claim" not in cats(text, "food")


# --------------------------------------------------------------------------- bounded work


def test_a_page_made_of_nothing_but_claim_words_is_scanned_in_work_proportional_to_its_length():
    unit = "治疗糖尿病改善失眠降低血压抑制癌细胞预防流感"
    small = scan(unit * 200, "food")  # ~4 KB
    large = scan(unit * 5000, "food")  # ~100 KB of lexicon words
    assert large.examined <= 30 * len(large.normalized)
    # Linear: 25 times the text, about 25 times the work — never the square of it.
    assert large.examined <= 30 * small.examined
    assert large.hits  # and the claims are still found


# --------------------------------------------------------------------------- the blind corpus's dev half


MINE = {"medical_claim", "efficacy_guarantee", "prescription_drug", "health_food_disclaimer"}


def test_the_dev_lines_of_the_claim_categories_are_in_the_regression_sets_and_pass_as_publishing_checks():
    from wangjian.monitoring.engine import default_libraries
    from wangjian.monitoring.selectors import line_verdict

    kinds = set()
    for lib in default_libraries():
        engine = Engine([lib])
        for line in lib.regression:
            if line.category in MINE and line.note.startswith("blind dev"):
                kinds.add((lib.name, line.category, line.expect))
                verdict = line_verdict(engine, line)
                assert verdict.passed, (lib.name, line.expect, line.text, verdict.got)
    assert {
        ("health", "medical_claim", "must_hit"),
        ("health", "medical_claim", "must_not_hit"),
        ("health", "efficacy_guarantee", "must_hit"),
        ("drug", "prescription_drug", "must_hit"),
        ("drug", "prescription_drug", "must_not_hit"),
    } <= kinds


def test_a_rules_exclusions_tried_together_first_decide_as_they_do_one_by_one():
    lib = parse_library(
        {
            "library": "t",
            "rules": [
                {
                    "code": "T1",
                    "category": "absolute_terms",
                    "terms": ["最好"],
                    "exclusions": ["re:最好(?:在|不要) => 使用提示", "re:最好的服务 => 服务态度"],
                }
            ],
        }
    )
    engine = Engine([lib])
    assert [h.exemption_reason for h in engine.scan("建议最好在饭后食用").suppressed] == ["使用提示"]
    assert [h.exemption_reason for h in engine.scan("我们提供最好的服务").suppressed] == ["服务态度"]
    assert [h.matched for h in engine.scan("最好的茶叶").hits] == ["最好"]


def test_a_decimal_point_between_the_verb_and_the_disease_is_no_sentence_break():
    assert structure_hits("本品治愈27.2万糖尿病", "food")
    assert not structure_hits("本品能治愈。糖尿病患者请遵医嘱", "food")
