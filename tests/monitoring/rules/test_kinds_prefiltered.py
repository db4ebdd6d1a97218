"""The engine infers a page's product kind searching only the signs its page index does not rule out: the same
kind, evidence and reason as ``infer_product_kind`` searching every sign."""

from __future__ import annotations

import random

import pytest

from wangjian.core import textnorm
from wangjian.monitoring import matcher
from wangjian.monitoring.engine import Engine
from wangjian.monitoring.kinds import PRODUCT_KIND_SIGNS, infer_product_kind
from wangjian.monitoring.rulefile import LibrarySpec, RuleSpec

needs_hyperscan = pytest.mark.skipif(matcher.hyperscan is None, reason="hyperscan is not installed here")

NEWA = "\U00011450\U00011451\U00011452\U00011453"  # digits Python reads as \d and Hyperscan's \d does not

EDGE_CASES = [
    "纯棉T恤 舒适透气",
    "",
    "abc 123",
    # signs, each kind
    "布洛芬 国药准字H20013062",
    "板蓝根颗粒（乙类OTC）清热解毒",
    "维生素C片 甲类非处方药",
    "OTC甲类 感冒灵",
    "处方药 请遵医嘱",
    "血压计 苏械注准20202070001",
    "口罩 械备20200001号",
    "鱼油 国食健注G20190123",
    "葡萄籽 食健备G202133000123",
    "防晒霜 国妆特字G20200001",
    "沪G妆备20200001",
    "饼干 SC10632058100123",
    "某某口腔医院 种植牙 医广(审)第2023-01号",
    "乳腺癌、胃癌根治手术",
    "全飞秒激光，今天矫正，明天上班",
    "年化收益8%的理财产品",
    "考前培训班，包过",
    # the guards and look-behinds: goods that spare the surgery, a non-prescription drug without its class
    "免手术，贴一贴告别腰椎间盘突出",
    "不打针、不吃药、不抽脂，轻松瘦",
    "告别手术的痛苦",
    "非处方药",
    "医生推荐，技术领先，植物配方",
    # numbers too short, in other scripts, full width, traditional characters, spaces of every kind
    "国药准字H2001306",
    "械注准123",
    "sc1063205810012",
    "国药准字Ｈ２００１３０６２",
    "國藥準字H20013062 處方藥",
    f"国药准字H2001{NEWA}",
    f"鱼油 国食健注G{NEWA}",
    f"饼干 sc{NEWA}{NEWA}{NEWA}12",
    "甲类 otc",
    "乙类\u3000OTC",
    "甲类\x1cotc",
    "甲类\u2028非处方药",
    # several kinds on one page: the stricter regime wins, whatever comes first on the page
    "保健食品 国药准字H20013062",
    "化妆品 手术 械备20200001号",
    "网课 题库 理财产品",
]

# Pieces of signs and near misses, for random pages: single characters, the signs' words, numbers, spaces.
PIECES = [
    *"国药准字械注备食健妆特进网医疗机构执业许可广审文美容院诊所门科不免无需告别手术植发牙种隆鼻胸吸抽脂非处方甲乙类",
    *"otc sc h g 1 2020 12345678 20200001 12345678901234 ，".split(),
    *(" ", "\u3000", "\x1c", NEWA),
    *"""国药准字 械注准 国食健注 食健备 国妆特字 妆备 医广(审) 口腔医院 门诊部 坐诊 挂号 手术 不手术 免手术 植发 种植牙
    全飞秒 icl晶体 热玛吉 无痛人流 非处方药 处方药 乙类 保健食品 蓝帽子标志 化妆品 食品生产许可证 年化收益 理财产品 私募
    基金定投 培训班 网课 题库 医疗器械备案""".split(),
]


@pytest.fixture(scope="module")
def engine():
    lib = LibrarySpec(
        name="t", rules=[RuleSpec(code="T-1", name="山寨", category="counterfeit", terms=["山寨货"])]
    )
    return Engine([lib])


def _as_inferred(text: str, engine: Engine) -> tuple[str, bool, str, str]:
    k = engine.scan(text).product_kind
    return k.kind, k.inferred, k.evidence, k.reason


def _alone(text: str) -> tuple[str, bool, str, str]:
    k = infer_product_kind(text)
    return k.kind, k.inferred, k.evidence, k.reason


@pytest.mark.parametrize("text", EDGE_CASES)
def test_the_engine_infers_the_kind_of_a_page_as_inference_alone_does(engine, text):
    assert _as_inferred(text, engine) == _alone(text)


def test_on_random_pages_built_from_pieces_of_signs_the_two_agree(engine):
    rng = random.Random(3)
    kinds = set()
    for _ in range(1500):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 14)))
        expected = _alone(text)
        assert _as_inferred(text, engine) == expected, text
        kinds.add(expected[0])
    assert len(kinds) >= 8  # the pages reached most kinds, not only the general one


def test_each_sign_found_alone_is_found_by_the_engine(engine):
    rng = random.Random(8)
    for kind, pattern, _ in PRODUCT_KIND_SIGNS:
        for alternative in pattern.split("|"):
            literal = "".join(
                c for c in alternative if "\u4e00" <= c <= "\u9fff" or c.isascii() and c.isalpha()
            )
            text = "商品介绍：" + literal + rng.choice(["", "12345678901234", "g20200001"]) + "，欢迎选购"
            assert _as_inferred(text, engine) == _alone(text), (kind, text)


@needs_hyperscan
def test_the_index_rules_out_signs_on_a_plain_page_and_none_without_a_first_test(engine):
    plain = engine.scan("纯棉T恤 舒适透气，柔软亲肤")
    assert plain._kind_signs is not None and not any(plain._kind_signs)
    assert plain.product_kind.kind == "general"
    drug = engine.scan("布洛芬 国药准字H20013062")
    assert drug._kind_signs[0] and drug.product_kind.evidence == "国药准字h20013062"
    reference = Engine(engine.libraries, first_test=False)
    assert all(reference.scan("纯棉T恤 舒适透气")._kind_signs)


def test_a_kind_given_by_the_caller_is_kept(engine):
    k = engine.scan("布洛芬 国药准字H20013062", product_kind="food").product_kind
    assert (k.kind, k.inferred) == ("food", False)


def test_inference_alone_searches_every_sign_unless_told_which_may_match():
    t = textnorm.normalize("布洛芬 国药准字H20013062 保健食品").text
    assert infer_product_kind(t, normalized=True).kind == "drug"
    ruled_out_drug = [kind != "drug" for kind, _, _ in PRODUCT_KIND_SIGNS]
    assert infer_product_kind(t, normalized=True, possible=ruled_out_drug).kind == "health_food"
