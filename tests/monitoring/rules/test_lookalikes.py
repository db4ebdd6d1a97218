"""Look-alike names of famous marks (仿冒混淆, 反不正当竞争法 art. 7): CF-007, CF-008 and CF-012."""

from __future__ import annotations

import pytest

from wangjian.monitoring import lexicons
from wangjian.monitoring.engine import Engine, default_libraries


@pytest.fixture(scope="module")
def trademark():
    return Engine([lib for lib in default_libraries() if lib.name == "trademark_ip"])


def _codes(engine, text, kind="food"):
    return {h.rule for h in engine.scan(text, product_kind=kind).hits}


def _spellings(name):
    text = (lexicons._directory() / f"{name}.txt").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        spelling, _, mark = line.partition("  # ")
        out.append((spelling.strip(), mark.strip()))
    return out


@pytest.mark.parametrize("name", ["mark_lookalikes", "mark_lookalikes_short"])
def test_every_spelling_is_a_famous_mark_with_one_character_changed_or_two_in_a_long_one(name):
    marks = set(lexicons.entries("famous_marks"))
    spellings = _spellings(name)
    assert len(spellings) > 1000
    for spelling, mark in spellings:
        assert mark in marks and spelling not in marks
        assert len(spelling) == len(mark) and (len(mark) == 2) == (name == "mark_lookalikes_short")
        changed = {(a, b) for a, b in zip(mark, spelling, strict=True) if a != b}
        # one character of the name, throughout (娃哈哈 → 娃啥啥), or two in a name of four or more
        assert len({a for a, _ in changed}) == len(changed) and 1 <= len(changed) <= (
            2 if len(mark) >= 4 else 1
        )


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("康帅傅红烧牛肉面 整箱装", "CF-007"),  # 师 → 帅: one component apart
        ("娃啥啥AD钙奶 24瓶", "CF-007"),  # a repeated character changed throughout
        ("粵利粵夹心饼干", "CF-007"),  # traditional characters read as simplified: 粤利粤 for 奥利奥
        ("蓮花清溫茶 居家常备", "CF-007"),  # two characters that sound alike: 莲/连, 温/瘟
        ("雷碧 柠檬味汽水 500ml", "CF-008"),  # a two-character name standing apart
        ("雷碧汽水", "CF-008"),  # or followed by what it names
    ],
)
def test_a_famous_name_with_a_character_that_looks_or_sounds_alike_is_flagged(trademark, text, rule):
    assert rule in _codes(trademark, text)


@pytest.mark.parametrize(
    "text",
    [
        "康师傅红烧牛肉面 整箱装",  # the name itself
        "雪碧 柠檬味汽水 500ml",
        "柳树",  # an ordinary word a component away from a name (椰树) is no look-alike, even standing alone
        "纯牛 奶",  # nor a piece of one (纯牛奶; 红牛)
        "年化利率约13%",  # 化利 (伊利) inside another word
        "苏德芬副巡视员",  # 德芬 (德芙) inside a person's name
        "加大执法检查力度",  # 查力 (格力) across two words
        "谨防康帅傅等山寨方便面",  # a warning
        "查处一批“雷碧”“康帅傅”等仿冒饮料",  # an enforcement release
    ],
)
def test_the_name_itself_ordinary_words_and_warnings_are_not_flagged(trademark, text):
    assert not {"CF-007", "CF-008"} & _codes(trademark, text, kind="general")


# --------------------------------------------------------------------------- CF-012: a name one character off, then its goods


def test_every_goods_pattern_names_a_listed_mark_stays_under_the_length_limit_and_compiles():
    import re

    listed = {line.split()[0] for line in lexicons.entries("famous_marks_goods")}
    assert listed <= set(lexicons.entries("famous_marks"))
    lines = [
        line
        for line in (lexicons._directory() / "mark_goods_lookalikes.txt")
        .read_text(encoding="utf-8")
        .splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert {line.partition("  # ")[2] for line in lines} == listed
    for pattern in lexicons.entries("mark_goods_lookalikes"):
        assert len(pattern) <= 500
        re.compile(pattern)
    assert set(lexicons.entries("mark_goods_words")) == {
        w for line in lexicons.entries("famous_marks_goods") for w in line.split(None, 1)[1].split("|")
    }


@pytest.mark.parametrize(
    "text",
    [
        "小白兔奶糖 500g 散装",  # 大 → 小: no look-alike by shape or sound, but the goods say which name it copies
        "奥密奥饼干 夹心",  # 利 → 密
        "美汁果果粒橙 1.25L",  # 源 → 果
        "大白玉兔奶糖",  # a character added inside the name
        "伊俐酸酸乳 250ml*24盒",  # 利 → 俐 (a component added); 伊俐 is part of a person's name, kept before goods
        "银鹜花生牛奶",  # 鹭 → 鹜 (GB 2312 level 2)
    ],
)
def test_a_name_one_character_off_followed_by_its_goods_is_flagged(trademark, text):
    assert "CF-012" in _codes(trademark, text)


@pytest.mark.parametrize(
    "text",
    [
        "大白兔奶糖 500g",  # the name itself
        "伊利纯牛奶 250ml*24盒",
        "王师傅牛肉面 老字号",  # 师傅 is a common word: a cook's name, not 康师傅 changed
        "红月亮洗衣液",  # 月亮 likewise (蓝月亮)
        "小白兔 毛绒玩具",  # the changed name without the goods
        "顺利牛奶",  # 利 alone is not 伊利's look-alike
        "谨防“小白兔奶糖”等山寨食品",  # a warning
    ],
)
def test_the_name_itself_a_common_word_other_goods_and_warnings_are_not_cf012(trademark, text):
    assert "CF-012" not in _codes(trademark, text, kind="general")


def test_a_rule_may_take_its_patterns_and_anchors_from_lexicons_and_keeps_the_reference_in_exports():
    from wangjian.core.errors import ValidationFailed
    from wangjian.monitoring.rulefile import dump_excel, dump_yaml, load_excel, load_yaml, parse_library

    spec = {
        "library": "t",
        "rules": [
            {
                "code": "G1",
                "category": "counterfeit",
                "regexes": ["lexicon:mark_goods_lookalikes"],
                "anchors": ["lexicon:mark_goods_words"],
            }
        ],
    }
    lib = parse_library(spec)
    assert [h.rule for h in Engine([lib]).scan("奥密奥饼干").hits] == ["G1"]
    for back in (load_yaml(dump_yaml(lib)), load_excel(dump_excel(lib))):
        assert back.rules[0].regexes == ["lexicon:mark_goods_lookalikes"]
        assert back.rules[0].anchors == ["lexicon:mark_goods_words"]
    spec["rules"][0]["regexes"] = ["lexicon:nope"]
    with pytest.raises(ValidationFailed) as exc:
        parse_library(spec)
    assert "G1" in str(exc.value.detail) and "nope" in str(exc.value.detail)
