"""The similarity model: wording like that of known violations becomes a review signal, never a rule's hit.

A sentence is scored per category; above the model's threshold, in a category no rule hit in that
sentence, it is a ``SIM-<category>`` signal of severity ``review`` kept in ``ScanResult.suggestions`` with
the words that weighed most. The shipped model is trained on the lines nobody holds out, and scoring it
here gives what scikit-learn gave when it was trained.
"""

from __future__ import annotations

import gzip
import json
import math

import pytest
from django.utils import translation

from tests.monitoring.conftest import tiny_model
from wangjian.core import textnorm
from wangjian.monitoring import similarity
from wangjian.monitoring.engine import Engine, default_libraries
from wangjian.monitoring.rulefile import Exemption, LibrarySpec, RuleSpec


def mlm_library(*terms: str) -> LibrarySpec:
    rule = RuleSpec(code="MLM-T", name="拉人头", category="mlm", terms=list(terms) or ["拉人头"])
    rule.legal_basis = "《禁止传销条例》第七条"
    return LibrarySpec(name="mlm", rules=[rule])


@pytest.mark.parametrize("text", ["", "a", "ab", "abc", "本品治疗糖尿病"])
def test_the_ngrams_are_the_characters_pairs_and_triples_in_order(text):
    expected = [text[i : i + k] for k in (1, 2, 3) for i in range(len(text) - k + 1)]
    assert similarity.ngrams(text) == expected


def test_sentences_end_at_full_stops_and_long_ones_are_cut_at_commas():
    t = "推荐一人奖励五百元。好\n" + "，".join(["每月分红稳定可靠"] * 30) + "!短句"
    spans = similarity.sentences(t)
    assert t[spans[0][0] : spans[0][1]] == "推荐一人奖励五百元"
    assert all(e - s <= similarity.LONGEST for s, e in spans)
    assert "好" not in [t[s:e] for s, e in spans]  # fewer than four Chinese characters: not scored
    assert "短句" not in [t[s:e] for s, e in spans]
    assert sum(e - s for s, e in spans[1:]) == len("，".join(["每月分红稳定可靠"] * 30))


def test_a_long_text_is_cut_into_the_same_sentences_with_arrays_as_by_the_expressions():
    t = (
        "推荐一人奖励五百元。好\n"
        + "，".join(["每月分红稳定可靠"] * 30)
        + "!短句;𠮷野家风味牛肉饭\r\n原价999今天只要99元！？"
        + "、".join(["本品能根治糖尿病"] * 40)
        + "；ab。" * 100
        + "本店支持七天无理由退货"
    )
    assert len(t) >= similarity._LONG_TEXT
    expected = []
    for m in similarity._SENTENCE.finditer(t):
        s, e = m.span()
        while e - s > similarity.LONGEST:
            cut = max(
                (c.end() for c in similarity._COMMA.finditer(t, s, s + similarity.LONGEST)),
                default=s + similarity.LONGEST,
            )
            expected.append((s, cut))
            s = cut
        expected.append((s, e))
    expected = [(s, e) for s, e in expected if len(similarity._CJK.findall(t, s, e)) >= similarity.MIN_CJK]
    assert similarity.sentences(t) == expected
    assert similarity.sentences(t, similarity.code_points(t)) == expected


def test_the_score_is_the_logistic_of_the_normalised_tf_idf_times_the_weights():
    model = tiny_model({"躺": 0.5, "躺赚": 3.0, "赚": 0.2})
    # 躺 once, 躺赚 once, 赚 twice: weights 1, 1, 1 + ln 2 (IDF 1), normalised to unit length
    x = [1.0, 1.0, 1 + math.log(2)]
    norm = math.sqrt(sum(v * v for v in x))
    want = 1 / (1 + math.exp(-(-1.0 + (0.5 * x[0] + 3.0 * x[1] + 0.2 * x[2]) / norm)))
    assert model.probabilities("躺赚赚") == pytest.approx([want], abs=1e-5)
    assert model.probabilities("无关") == pytest.approx([1 / (1 + math.exp(1.0))])  # no known n-gram


def test_a_sentence_worded_like_a_category_no_rule_hit_is_a_review_signal_apart_from_the_hits():
    engine = Engine([mlm_library()], similarity=tiny_model({"躺赚": 6.0}))
    r = engine.scan("新鲜苹果产地直发。每天躺着也能躺赚三千元！")
    assert r.hits == []
    [s] = r.suggestions
    assert (s.rule, s.category, s.severity, s.library) == ("SIM-mlm", "mlm", "review", "similarity")
    assert s.matched == "每天躺着也能躺赚三千元" and r.text[s.start : s.end] == s.matched
    assert "躺赚" in s.term and "躺赚" in s.explanation and "不作认定" in s.explanation
    assert s.legal_basis == "《禁止传销条例》第七条"  # the basis of the category's first rule


def test_a_category_a_rule_hit_in_the_sentence_is_not_suggested_again():
    engine = Engine([mlm_library("拉人头")], similarity=tiny_model({"躺赚": 6.0}))
    r = engine.scan("拉人头就能躺赚三千元。另一句也能躺赚三千元")
    assert [h.rule for h in r.hits] == ["MLM-T"]
    assert [s.matched for s in r.suggestions] == ["另一句也能躺赚三千元"]


def test_a_sentence_a_rule_of_the_category_judged_lawful_is_kept_among_the_suppressed_with_the_rules_reason():
    rule = RuleSpec(code="MLM-T", name="拉人头", category="mlm", terms=["拉人头"])
    rule.context = [Exemption("谨防", "警示表述，非经营者宣传", 10, 0)]
    engine = Engine([LibrarySpec(name="mlm", rules=[rule])], similarity=tiny_model({"躺赚": 6.0}))
    r = engine.scan("谨防拉人头躺赚的骗术")
    assert r.hits == [] and r.suggestions == []
    sim = next(h for h in r.suppressed if h.rule == "SIM-mlm")
    assert sim.exemption == "rule:MLM-T" and "警示表述" in sim.exemption_reason
    # the same rule exempting in another sentence does not silence this one
    r = engine.scan("谨防拉人头。每天躺着也能躺赚三千元")
    assert [s.matched for s in r.suggestions] == ["每天躺着也能躺赚三千元"]


@pytest.mark.parametrize(
    "text,word",
    [
        ("某公司宣称每天躺着也能躺赚三千元，被罚款五万元", "罚款"),
        ("消费提示：每天躺着也能躺赚三千元的都是骗局", "消费提示"),
        ("举报每天躺着也能躺赚三千元的群主", "举报"),
    ],
)
def test_a_warning_or_an_enforcement_report_is_not_the_sellers_wording(text, word):
    r = Engine([mlm_library()], similarity=tiny_model({"躺赚": 6.0})).scan(text)
    assert r.suggestions == []
    [sim] = r.suppressed
    assert sim.exemption == "context:warning" and word in sim.exemption_reason


@pytest.mark.parametrize(
    "text,field",
    [
        ("营业执照信息\n住所：安徽省躺赚镇首家村1号\n关于本店", "住所"),
        ("企业名称: 躺赚首家贸易有限公司", "企业名称"),
        ("  经营范围：躺赚咨询服务；日用品销售", "经营范围"),
    ],
)
def test_a_field_of_the_licence_shown_on_the_page_is_not_the_sellers_wording(text, field):
    """The licence display records the registration; its words (a town's name, a registered scope) are no claim."""
    r = Engine([mlm_library()], similarity=tiny_model({"躺赚": 6.0})).scan(text)
    assert r.suggestions == []
    [sim] = r.suppressed
    assert sim.exemption == "context:registration" and field in sim.exemption_reason


def test_the_same_words_outside_a_licence_field_are_signalled():
    r = Engine([mlm_library()], similarity=tiny_model({"躺赚": 6.0})).scan("住在首家村的人都在躺赚")
    assert [s.rule for s in r.suggestions] == ["SIM-mlm"]


def test_a_clause_that_forbids_is_still_read_as_the_sellers_own():
    """ "不得" and "禁止" are not warning words: 本店商品不得退换 is a clause to review, not a warning."""
    r = Engine([mlm_library()], similarity=tiny_model({"躺赚": 6.0})).scan("下线不得退出，每天躺赚三千元")
    assert [s.rule for s in r.suggestions] == ["SIM-mlm"]


def test_below_the_threshold_or_outside_the_libraries_categories_nothing_is_suggested():
    weak = Engine([mlm_library()], similarity=tiny_model({"躺赚": 2.0}))  # p = 0.73 < 0.9
    assert weak.scan("每天躺着也能躺赚三千元").suggestions == []
    other = LibrarySpec(
        name="price", rules=[RuleSpec(code="PF-T", name="虚构原价", category="price_fraud", terms=["原价"])]
    )
    assert (
        Engine([other], similarity=tiny_model({"躺赚": 6.0})).scan("每天躺着也能躺赚三千元").suggestions == []
    )
    assert Engine([mlm_library()]).scan("每天躺着也能躺赚三千元").suggestions == []  # no model: none


def test_each_category_is_signalled_above_its_own_threshold():
    """A file may give each category its own threshold (chosen per category on batches the model never saw):
    the same probability is a signal in a category whose threshold it passes and none in one whose it does not."""
    vocab = {"躺赚": [1.0, 2.0, 2.0]}  # p = 0.73 in both categories
    both = {
        "categories": ["mlm", "finance_promise"],
        "threshold": 0.5,
        "intercepts": [-1.0, -1.0],
        "vocab": vocab,
    }
    finance = LibrarySpec(
        name="finance",
        rules=[RuleSpec(code="FIN-T", name="保本", category="finance_promise", terms=["保本"])],
    )
    text = "每天躺着也能躺赚三千元"
    split = similarity.Model({**both, "thresholds": [0.9, 0.6]})
    assert split.threshold_of("mlm") == 0.9 and split.threshold_of("finance_promise") == 0.6
    r = Engine([mlm_library(), finance], similarity=split).scan(text)
    assert [s.rule for s in r.suggestions] == ["SIM-finance_promise"]
    assert "阈值 0.6" in r.suggestions[0].explanation
    # Without per-category thresholds the one threshold holds for every category.
    one = Engine([mlm_library(), finance], similarity=similarity.Model(both)).scan(text)
    assert sorted(s.rule for s in one.suggestions) == ["SIM-finance_promise", "SIM-mlm"]


def test_the_shipped_model_scores_as_scikit_learn_did_when_it_was_trained():
    model = similarity.default_model()
    assert model is not None and model.checks and 0.5 <= model.threshold < 1
    assert len(model.thresholds) == len(model.categories) and all(0.5 <= t <= 1.01 for t in model.thresholds)
    assert {check["kind"] for check in model.checks} >= {"general", "food", "drug", ""}
    for check in model.checks:
        got = model.probabilities(textnorm.normalize(check["text"]).text, check["kind"])
        assert got == pytest.approx(check["probabilities"], abs=1e-4), (check["text"], check["kind"])


def test_a_page_scored_at_once_gives_each_sentence_the_probabilities_it_gets_alone():
    model = similarity.default_model()
    page = textnorm.normalize(
        "新鲜苹果产地直发，每天躺着也能躺赚三千元！本品能根治糖尿病。原价999今天只要99元。"
        "𠮷野家风味 牛肉饭 ABC123。推荐一人奖励五百元，"
        + "，".join(["每月分红稳定可靠"] * 30)
        + "。本店支持七天无理由退货。"
    ).text
    spans = similarity.sentences(page)
    table = model.page_probabilities(page, spans)
    assert table.shape == (len(spans), len(model.categories))
    for row, (s, e) in zip(table, spans, strict=True):
        assert list(row) == pytest.approx(model.probabilities(page[s:e]), abs=1e-6), page[s:e]
    assert model.page_probabilities(page, []).shape == (0, len(model.categories))


@pytest.mark.parametrize("kind", ["general", "food", "drug", "education", ""])
def test_the_page_at_once_scores_the_check_sentences_as_scikit_learn_did(kind):
    model = similarity.default_model()
    checks = [check for check in model.checks if check["kind"] == kind]
    texts = [textnorm.normalize(check["text"]).text for check in checks]
    page = "。".join(texts)
    spans, at = [], 0
    for text in texts:
        spans.append((at, at + len(text)))
        at += len(text) + 1
    table = model.page_probabilities(page, spans, kind=kind)
    for row, check in zip(table, checks, strict=True):
        assert list(row) == pytest.approx(check["probabilities"], abs=1e-4), check["text"]


def test_the_pages_product_kind_is_one_more_feature_of_every_sentence():
    """On a page of a kind the model knows, each sentence's vector holds the kind's feature once: it adds to the
    norm and its weight to the dot product, as scikit-learn counted it; an unknown kind or none adds nothing."""
    model = tiny_model({"躺赚": 3.0, similarity.kind_feature("finance"): 1.5})
    # 躺赚 once and the kind once, each of weight 1 (IDF 1): the norm is √2
    want = 1 / (1 + math.exp(-(-1.0 + (3.0 + 1.5) / math.sqrt(2))))
    assert model.probabilities("躺赚", "finance") == pytest.approx([want], abs=1e-5)
    alone = 1 / (1 + math.exp(-(-1.0 + 3.0)))
    assert (
        model.probabilities("躺赚", "food") == pytest.approx([alone], abs=1e-5) == model.probabilities("躺赚")
    )
    assert model.probabilities("无关", "finance") == pytest.approx([1 / (1 + math.exp(-(-1.0 + 1.5)))])
    page = "每天躺着也能躺赚三千元。无关的一句话"
    spans = similarity.sentences(page)
    for kind in ("finance", "food", None):
        table = model.page_probabilities(page, spans, kind=kind)
        for row, (s, e) in zip(table, spans, strict=True):
            assert list(row) == pytest.approx(model.probabilities(page[s:e], kind), abs=1e-6)


def test_the_shipped_model_weighs_the_same_words_by_the_pages_kind():
    model = similarity.default_model()
    kinds = [g for g in model.vocab if g.startswith(similarity.KIND_PREFIX)]
    assert {similarity.kind_feature(k) for k in ("general", "food", "drug", "education")} <= set(kinds)
    sentence = textnorm.normalize("本品能治疗糖尿病，三天见效").text
    medical = model.categories.index("medical_claim")
    # a cure claim is a medical claim on a food's page more than on a drug's, where the law reads it otherwise
    assert model.probabilities(sentence, "food")[medical] > model.probabilities(sentence, "drug")[medical]


def test_the_shipped_model_was_trained_on_no_held_out_line():
    path = similarity.resources.files("wangjian.monitoring") / "data" / "similarity.json.gz"
    data = json.loads(gzip.decompress(path.read_bytes()))
    files = data["trained_on"]["files"]
    assert files and not any("test" in f for f in files)
    assert set(data["categories"]) <= {r.category for lib in default_libraries() for r in lib.rules}
    assert "false_advertising" not in data["categories"]  # claims to verify are not a wording's verdict


def test_the_default_engine_gives_review_signals_and_leaves_lawful_lines_alone():
    from wangjian.monitoring.engine import default_engine

    engine = default_engine()
    assert engine.similarity is similarity.default_model()
    for line in ["新鲜苹果 产地直发 坏果包赔", "本店支持七天无理由退货", "纯棉T恤 透气舒适 多色可选"]:
        assert engine.scan(line).suggestions == [], line


def rx_model():
    """A one-category model for which a drug's name is wording of prescription drugs promoted to the public."""
    return similarity.Model(
        {
            "categories": ["prescription_drug"],
            "threshold": 0.9,
            "intercepts": [-1.0],
            "vocab": {"西林": [1.0, 6.0]},
            "version": "t2",
        }
    )


def rx_library() -> LibrarySpec:
    rule = RuleSpec(code="RX-T", name="处方药推销", category="prescription_drug", terms=["处方药特价"])
    rule.legal_basis = "《中华人民共和国广告法》第十五条"
    return LibrarySpec(name="drug", rules=[rule])


@pytest.mark.parametrize(
    "text",
    ["阿莫西林胶囊 处方药 需上传处方", "阿莫西林胶囊 请凭医师处方购买", "阿莫西林胶囊 药师审核处方后发货"],
)
def test_a_prescription_drug_offered_on_a_prescription_is_the_lawful_form_not_a_signal(text):
    r = Engine([rx_library()], similarity=rx_model()).scan(text)
    assert r.suggestions == []
    [sim] = r.suppressed
    assert sim.exemption == "context:lawful" and "凭处方" in sim.exemption_reason


@pytest.mark.parametrize(
    "text", ["阿莫西林胶囊 无需处方 当天发货", "阿莫西林胶囊 不需要处方", "阿莫西林胶囊 现货秒发"]
)
def test_without_a_prescription_or_without_the_statement_the_signal_stays(text):
    r = Engine([rx_library()], similarity=rx_model()).scan(text)
    assert [s.rule for s in r.suggestions] == ["SIM-prescription_drug"]


def test_a_signal_on_a_page_of_a_known_kind_names_the_kind_and_what_the_wording_alone_gave():
    engine = Engine(
        [mlm_library()], similarity=tiny_model({"躺赚": 3.0, similarity.kind_feature("finance"): 2.0})
    )
    [s] = engine.scan("每天躺着也能躺赚三千元", product_kind="finance").suggestions
    assert "按商品类型“金融投资”计" in s.explanation and "仅凭措辞 0.88" in s.explanation  # 1/(1+e^-(−1+3))
    # the explanation a finding keeps is Chinese throughout, even when the scan starts from a page shown in English
    with translation.override("en"):
        [s] = engine.scan("每天躺着也能躺赚三千元", product_kind="finance").suggestions
    assert "按商品类型“金融投资”计" in s.explanation
    # the wording alone below the floor: the kind does not make the sentence a signal
    weak = Engine(
        [mlm_library()], similarity=tiny_model({"躺赚": 0.5, similarity.kind_feature("finance"): 9.0})
    )
    assert weak.scan("每天躺着也能躺赚三千元", product_kind="finance").suggestions == []
    assert weak.scan("每天躺着也能躺赚三千元", product_kind="finance").suppressed == []


def one_category(category: str, word: str) -> tuple[LibrarySpec, similarity.Model]:
    """A library with one rule of ``category`` (so the category is signalled) and a model for which ``word`` is its wording."""
    rule = RuleSpec(code="T-1", name="测试", category=category, terms=["不会出现的词语"])
    rule.legal_basis = "测试依据"
    model = similarity.Model(
        {
            "categories": [category],
            "threshold": 0.9,
            "intercepts": [-1.0],
            "vocab": {word: [1.0, 6.0]},
            "version": "t3",
        }
    )
    return LibrarySpec(name="t", rules=[rule]), model


@pytest.mark.parametrize(
    "category,word,lawful_text,reason,plain_text",
    [
        (
            "price_fraud",
            "原价",
            "关于原价：标示的原价2999元是活动开始前七日内本店成交价格中的最低价",
            "第十六条",
            "原价2999元 今天只要999元",
        ),
        (
            "standard_terms",
            "退换",
            "售后：药品属于特殊商品，非质量问题不支持退换",
            "药品经营质量管理规范",
            "售后：服装属于特价商品，非质量问题不支持退换",
        ),
        (
            "prescription_drug",
            "布洛",
            "布洛芬缓释胶囊 乙类非处方药 可直接购买",
            "非处方药",
            "布洛芬缓释胶囊 现货秒发",
        ),
    ],
)
def test_the_lawful_form_of_each_category_is_kept_among_the_suppressed(
    category, word, lawful_text, reason, plain_text
):
    """A comparison price with its seven-day basis, a drug's return policy, a drug marked OTC: the statements the
    rules ask for, not the violations they resemble; without them the same wording stays a signal."""
    library, model = one_category(category, word)
    r = Engine([library], similarity=model).scan(lawful_text)
    assert r.suggestions == []
    [sim] = r.suppressed
    assert sim.exemption == "context:lawful" and reason in sim.exemption_reason
    r = Engine([library], similarity=model).scan(plain_text)
    assert [s.rule for s in r.suggestions] == [f"SIM-{category}"]


def test_a_customers_question_is_not_the_sellers_wording_but_the_answer_is():
    engine = Engine([mlm_library()], similarity=tiny_model({"躺赚": 6.0}))
    r = engine.scan("问：加入以后真的能躺赚吗\n答：本店不做任何收益承诺")
    assert r.suggestions == []
    [sim] = r.suppressed
    assert sim.exemption == "context:question" and "顾客的提问" in sim.exemption_reason
    r = engine.scan("问：真的可以吗\n答：加入以后每天都能躺赚三千元")
    assert [s.matched for s in r.suggestions] == ["答：加入以后每天都能躺赚三千元"]


@pytest.mark.parametrize("text", ["月卡价格：30瓶 198元（折合6.6元/瓶）", "镜架：99元至2600元，均明码标价"])
def test_a_price_shown_alone_is_no_price_fraud_whatever_its_figures_resemble(text):
    library, model = one_category("price_fraud", "元")
    r = Engine([library], similarity=model).scan(text)
    assert r.suggestions == []
    [sim] = r.suppressed
    assert sim.exemption == "context:not-this-category" and "明码标价" in sim.exemption_reason


@pytest.mark.parametrize(
    "text", ["原价298元 今天只要198元", "月卡198元 仅限今天", "月卡198元 下单后另收服务费30元"]
)
def test_a_price_compared_limited_or_charged_on_top_stays_a_signal(text):
    library, model = one_category("price_fraud", "元")
    assert [s.rule for s in Engine([library], similarity=model).scan(text).suggestions] == ["SIM-price_fraud"]
