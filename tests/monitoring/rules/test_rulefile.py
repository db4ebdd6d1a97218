"""Library files: YAML and Excel round trips, and bad files rejected whole with every problem named by rule."""

import pytest

from wangjian.core.errors import ValidationFailed
from wangjian.monitoring import rulefile
from wangjian.monitoring.engine import Engine, default_libraries

GOOD = """
library: demo
title: 测试库
department_kind: advertising
domain: internet_advertising
rules:
  - code: R1
    name: 最字
    category: absolute_terms
    severity: high
    legal_basis: 《广告法》第九条第三项
    terms: [最佳, 最好]
    exclusions: ['re:最佳赏味期 => 消费提示']
    context: ['致力于 => 经营理念 @ 10,0']
    examples: {hit: [最佳产品], clean: [最佳赏味期三天]}
  - code: R2
    name: 疾病邻近
    category: medical_claim
    product_kinds: ['!drug']
    terms: [告别]
    near: {terms: [高血压], within: 6}
regression:
  - {text: 我们致力于做最好的产品, expect: must_not_hit}
"""


def test_yaml_round_trip_keeps_every_field():
    lib = rulefile.load_yaml(GOOD, source="demo.yaml")
    again = rulefile.load_yaml(rulefile.dump_yaml(lib), source="again.yaml")
    assert again == lib
    assert again.rules[0].context[0].before == 10
    assert again.rules[1].near.within == 6


def test_excel_round_trip_keeps_every_field():
    lib = rulefile.load_yaml(GOOD)
    again = rulefile.load_excel(rulefile.dump_excel(lib), source="demo.xlsx")
    assert again == lib


def test_default_libraries_survive_both_round_trips_and_match_the_same():
    for lib in default_libraries():
        via_yaml = rulefile.load_yaml(rulefile.dump_yaml(lib))
        via_excel = rulefile.load_excel(rulefile.dump_excel(lib))
        assert via_yaml == lib == via_excel, lib.name
    text = "全网最 佳 好评返现 高仿包 稳赚不赔"
    a = Engine(default_libraries()).scan(text).hits
    b = Engine([rulefile.load_excel(rulefile.dump_excel(x)) for x in default_libraries()]).scan(text).hits
    assert [h.as_contract() for h in a] == [h.as_contract() for h in b]


def problems_of(yaml_text):
    with pytest.raises(ValidationFailed) as exc:
        rulefile.load_yaml(yaml_text, source="bad.yaml")
    return exc.value


def test_invalid_regex_is_rejected_naming_the_rule():
    err = problems_of("library: x\nrules:\n  - {code: BAD-RX, category: counterfeit, regexes: ['高仿(']}\n")
    assert any("BAD-RX" in p and "invalid regular expression" in p for p in err.detail)
    assert "BAD-RX" in err.zh


def test_unknown_category_is_rejected_naming_the_rule():
    err = problems_of("library: x\nrules:\n  - {code: BAD-CAT, category: gambling, terms: [赌]}\n")
    assert any("BAD-CAT" in p and "unknown category 'gambling'" in p for p in err.detail)


def test_empty_terms_are_rejected_naming_the_rule():
    err = problems_of("library: x\nrules:\n  - {code: EMPTY, category: mlm, terms: []}\n")
    assert any("EMPTY" in p and "empty terms" in p for p in err.detail)


def test_all_problems_of_a_file_are_listed_not_only_the_first():
    err = problems_of(
        "library: x\nrules:\n"
        "  - {code: A, category: nope, terms: [x]}\n"
        "  - {code: B, category: mlm, regexes: ['(']}\n"
        "  - {code: B, category: mlm, terms: [y]}\n"
        "  - {code: C, category: mlm, terms: [z], product_kinds: [spaceship]}\n"
    )
    text = "\n".join(err.detail)
    for expected in ("rule A", "rule B: 正则", "duplicate code", "unknown product kind 'spaceship'"):
        assert expected in text
    assert len(err.detail) == 4


def test_yaml_syntax_error_is_a_clear_error():
    with pytest.raises(ValidationFailed) as exc:
        rulefile.load_yaml("library: [unclosed", source="broken.yaml")
    assert "broken.yaml" in exc.value.en


def test_excel_file_that_is_not_a_workbook_is_a_clear_error():
    with pytest.raises(ValidationFailed) as exc:
        rulefile.load_excel(b"not a workbook", source="x.xlsx")
    assert "x.xlsx" in exc.value.en


def test_excel_with_a_bad_rule_names_the_rule():
    lib = rulefile.load_yaml(GOOD)
    lib.rules[0].regexes = ["最[佳"]
    content = rulefile.dump_excel(lib)
    with pytest.raises(ValidationFailed) as exc:
        rulefile.load_excel(content, source="bad.xlsx")
    assert any(p.startswith("规则 rule R1") for p in exc.value.detail)
