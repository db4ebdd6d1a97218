"""Lexicons (``lexicon:NAME``): word lists kept as data, named by rules, checked when a library is read."""

from __future__ import annotations

import pytest

from wangjian.core.errors import ValidationFailed
from wangjian.monitoring import lexicons
from wangjian.monitoring.engine import Engine, default_libraries
from wangjian.monitoring.rulefile import dump_excel, dump_yaml, load_excel, load_yaml, parse_library

NAMES = [
    "claim_verbs",
    "cosmetics_forbidden",
    "diseases",
    "famous_marks",
    "famous_marks_goods",
    "health_food_functions",
    "health_functions",
    "mark_lookalikes",
    "mark_goods_lookalikes",
    "mark_goods_words",
    "mark_lookalikes_short",
    "medical_functions",
    "prescription_drugs",
    "rx_indications",
    "symptoms",
]


def _header(name):
    text = (lexicons._directory() / f"{name}.txt").read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if line.startswith("#"))


@pytest.mark.parametrize("name", NAMES)
def test_every_lexicon_names_its_source_and_licence_and_holds_words_of_two_characters_or_more(name):
    header = _header(name)
    assert "来源 Source" in header and "AGPL-3.0-or-later" in header
    short = [e for e in lexicons.entries(name) if len(e) < 2]
    if name == "claim_verbs":  # one-character verbs count only right before their object
        assert set(short) <= set("治防降抗杀灭祛除止")
    else:
        assert short == []


def test_the_disease_list_is_several_hundred_names_with_the_common_short_ones():
    diseases = set(lexicons.entries("diseases"))
    assert len(diseases) >= 400
    assert {
        "糖尿病",
        "高血压",
        "三高",
        "痛风",
        "脂肪肝",
        "牛皮癣",
        "银屑病",
        "新冠",
        "流感",
        "幽门螺杆菌",
    } <= diseases


def test_the_prescription_list_holds_no_otc_name():
    rx = lexicons.entries("prescription_drugs")
    assert len(rx) >= 300
    otc = ["布洛芬", "对乙酰氨基酚", "氯雷他定", "奥美拉唑", "阿司匹林", "蒙脱石散", "多潘立酮", "右美沙芬"]
    otc += ["红霉素软膏", "阿昔洛韦乳膏", "米诺地尔酊", "奥利司他", "左炔诺孕酮", "感冒灵颗粒", "维生素c"]
    assert [(name, drug) for name in otc for drug in rx if drug in name] == []


def test_the_health_food_catalogue_has_the_2023_functions_and_the_2003_names():
    functions = set(lexicons.entries("health_food_functions"))
    assert {"有助于增强免疫力", "辅助保护化学性肝损伤", "有助于维持血糖健康水平", "缓解视觉疲劳"} <= functions
    assert {"增强免疫力", "辅助降血脂", "改善睡眠"} <= functions  # names of 2003, still on approved products
    assert len([f for f in functions if f.startswith("有助于")]) >= 15


def test_every_reference_in_the_default_libraries_names_a_lexicon_that_exists():
    refs = set()
    for lib in default_libraries():
        for r in lib.rules:
            items = (
                r.terms
                + (r.near.terms if r.near else [])
                + (r.claim.verbs + r.claim.objects if r.claim else [])
            )
            refs |= {i for i in items + [e.pattern for e in r.exclusions] if lexicons.is_reference(i)}
    assert refs and {lexicons.reference_name(r) for r in refs} <= set(lexicons.names())


def test_an_unknown_lexicon_is_refused_at_import_naming_the_rule():
    with pytest.raises(ValidationFailed) as exc:
        parse_library(
            {
                "library": "t",
                "rules": [{"code": "X1", "category": "medical_claim", "terms": ["lexicon:nope"]}],
            }
        )
    assert "X1" in str(exc.value.detail) and "nope" in str(exc.value.detail)


def test_a_claim_needs_verbs_and_objects_and_a_sane_distance():
    with pytest.raises(ValidationFailed) as exc:
        parse_library(
            {
                "library": "t",
                "rules": [
                    {"code": "X2", "category": "medical_claim", "claim": {"verbs": ["治疗"], "within": 99}}
                ],
            }
        )
    detail = " ".join(exc.value.detail)
    assert "X2" in detail and "verbs and objects" in detail and "distance" in detail


def test_a_lexicon_is_expanded_in_terms_and_in_exclusions():
    lib = parse_library(
        {
            "library": "t",
            "rules": [
                {
                    "code": "T1",
                    "category": "medical_claim",
                    "terms": ["lexicon:medical_functions"],
                    "exclusions": ["lexicon:health_food_functions => 允许的保健功能"],
                }
            ],
        }
    )
    engine = Engine([lib])
    assert [h.matched for h in engine.scan("灵芝 抗癌").hits] == ["抗癌"]
    result = engine.scan("鱼油 辅助降血脂")
    assert result.hits == [] and result.suppressed[0].exemption_reason == "允许的保健功能"


def test_a_claim_rule_survives_the_yaml_and_excel_round_trips():
    lib = next(lib for lib in default_libraries() if lib.name == "health")
    rule = next(r for r in lib.rules if r.code == "MED-002")
    for back in (load_yaml(dump_yaml(lib)), load_excel(dump_excel(lib))):
        again = next(r for r in back.rules if r.code == "MED-002")
        assert again.claim == rule.claim
