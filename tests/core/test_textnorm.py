"""Normalisation sees through evasions, and every normalised character maps back to the original text."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from wangjian.core import textnorm
from wangjian.core.textnorm import OffsetMap, fold, normalize, pinyin_channel, strip_separators


def span_of(text: str, needle: str) -> tuple[int, int]:
    n = normalize(text)
    i = n.text.index(needle)
    return n.to_original(i, i + len(needle))


# --------------------------------------------------------------------------- step 1: fold


def test_fold_turns_full_width_into_half_width_and_lower_case_keeping_offsets():
    out, m = fold("ＮＯ．１爆款")
    assert out == "no.1爆款"
    assert m is None  # character for character: the identity map


def test_fold_turns_traditional_into_simplified_keeping_offsets():
    text = "這款面膜是最佳選擇"
    assert normalize(text).text == "这款面膜是最佳选择"
    assert span_of(text, "选择") == (7, 9)


def test_fold_maps_rare_homophone_characters_onto_the_monitored_one():
    assert normalize("蕞佳产品").text == "最佳产品"


def test_fold_expansion_by_nfkc_maps_the_block_back_to_its_one_character():
    text = "㈱公司最佳"
    n = normalize(text)
    assert n.text.startswith("(株)") or n.text.startswith("(株")
    i = n.text.index("最佳")
    assert n.original_slice(i, i + 2) == "最佳"
    # any character of the expansion points back to the single original "㈱"
    assert n.to_original(0, 1) == (0, 1)


def test_fold_composes_combining_marks_and_keeps_later_offsets():
    text = "cafe\u0301 最佳"
    n = normalize(text)
    assert "café" in n.text
    i = n.text.index("最佳")
    assert n.original_slice(i, i + 2) == "最佳"
    assert n.to_original(i, i + 2) == (text.index("最佳"), text.index("最佳") + 2)


# --------------------------------------------------------------------------- step 2: separators


def test_spaces_between_cjk_characters_are_removed_and_the_hit_spans_them():
    text = "全网最 佳 的杯子"
    assert normalize(text).text == "全网最佳的杯子"
    assert span_of(text, "最佳") == (2, 5)


def test_symbols_emoji_and_zero_width_characters_between_cjk_are_removed():
    for sep in ("*", "·", "|", "-", "🔥", "\u200b", "\ufeff", "\u3000", "💊️"):
        text = f"最{sep}佳"
        assert normalize(text).text == "最佳", sep
        assert span_of(text, "最佳") == (0, len(text)), sep


def test_separator_between_a_letter_and_a_cjk_character_is_removed():
    assert normalize("A 货").text == "a货"
    assert span_of("高 仿 A 货", "a货") == (4, 7)


def test_sentence_boundaries_are_kept_so_sentences_never_glue_into_a_term():
    assert normalize("不过，退费请联系客服").text == "不过,退费请联系客服"
    assert normalize("价格。最后").text == "价格。最后"
    assert normalize("第一行\n第二行").text == "第一行\n第二行"


def test_quotation_marks_are_kept_because_they_mark_a_mention():
    assert normalize("“最佳”等用语").text == "“最佳”等用语"


def test_spaces_between_latin_words_are_kept():
    assert normalize("best seller 2024").text == "best seller 2024"


def test_strip_separators_map_is_the_identity_when_nothing_is_removed():
    assert strip_separators("最佳产品") == ("最佳产品", None)


def test_offset_map_block_and_linear_segments():
    m = OffsetMap()
    m.add(0, 0, 3, 3)  # linear
    m.add(3, 5, 3, 1)  # a block: three output characters from one input character
    assert (m.start(1), m.end(2)) == (1, 2)
    assert (m.start(4), m.end(5)) == (5, 6)
    assert m.end(3) == 3  # deleted input characters 3–4 are not part of a span ending before them


# --------------------------------------------------------------------------- composition


def test_every_step_together_maps_back_to_the_exact_original_wording():
    text = "限時：全 網 🔥最\u200b佳 選 擇！"
    n = normalize(text)
    assert "全网最佳选择" in n.text
    i = n.text.index("全网最佳选择")
    assert n.original_slice(i, i + 6) == "全 網 🔥最\u200b佳 選 擇"


ALPHABET = list("最佳全网第一高仿治疗保本息這網選擇ａＢ1２ ·*🔥\u200b，。") + ["㈱"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=30).map("".join), st.data())
def test_any_normalised_span_maps_to_an_original_span_that_normalises_to_it(text, data):
    n = normalize(text)
    if not n.text:
        return
    i = data.draw(st.integers(0, len(n.text) - 1))
    j = data.draw(st.integers(i + 1, len(n.text)))
    s, e = n.to_original(i, j)
    assert 0 <= s < e <= len(text)
    piece = normalize(text[s:e]).text
    # the original span normalises to the same characters (a block of an expansion may add its siblings)
    assert n.text[i:j] in piece


# --------------------------------------------------------------------------- homophones and pinyin


def test_homophone_variants_replace_one_character_with_a_common_homophone():
    assert "醉佳" in textnorm.homophone_variants("最佳")
    assert "稳赚不陪" in textnorm.homophone_variants("稳赚不赔")
    assert textnorm.homophone_variants("最") == set()


def test_pinyin_channel_maps_each_syllable_to_its_character():
    p = pinyin_channel("zui佳产品")
    assert p.text == "zuijiachanpin"
    i = p.text.index("jia")
    assert (p.map.start(i), p.map.end(i + 3)) == (3, 4)
    assert {0, 3, 6} <= p.boundaries  # "zui" as typed, then syllable edges
    assert 4 not in p.boundaries  # inside "jia"


def test_term_pinyin_full_and_initials():
    assert textnorm.term_pinyin("保本保息") == "baobenbaoxi"
    assert textnorm.term_pinyin("稳赚不赔", initials=True) == "wzbp"


def test_strike_through_and_underline_overlays_are_dropped_and_offsets_still_reach_the_original():
    original = "原价 ̶3̶9̶9̶ 现价 99"  # the old price struck out with U+0336, as sellers draw it
    n = normalize(original)
    assert "原价399现价99" in n.text
    start = n.text.index("399")
    s, e = n.to_original(start, start + 3)
    assert original[s:e] == "3̶9̶9"  # the struck-out digits as the page showed them
    assert normalize("原̲价̲").text == "原价"


def test_a_lone_surrogate_reads_as_a_replacement_character_and_offsets_still_hold():
    original = json.loads(
        '"全网\\ud83d最低价 治疗"'
    )  # half of an emoji's escape, as a broken JSON-LD gives it
    n = normalize(original)
    assert "\ud83d" not in n.text and "\ud83d" not in n.original
    assert n.original == "全网\ufffd最低价 治疗" and n.original.encode("utf-8")
    start = n.text.index("最低价")
    s, e = n.to_original(start, start + 3)
    assert n.original[s:e] == "最低价" and (s, e) == (3, 6)


def test_long_and_short_texts_take_the_array_and_the_plain_steps_with_the_same_result(monkeypatch):
    import random

    rng = random.Random(11)
    alphabet = list(
        "廣告最佳第一國家級療效治癒ＡＢＣabc123１２３ 　,.，。、！？-_*·•|/\\~…😀🔥\u200b\u200d\ufe0f"
    ) + [
        "㈱",
        "ﬁ",
        "e\u0301",
        "\U00020000",
        "\U00030000",
        "\ud83d",
    ]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400))) for _ in range(300)]
    texts += ["最 佳 效 果 " * 80, "全，国，第，一" * 60, "a b c 最" * 100]

    def run():
        out = []
        for t in texts:
            n = textnorm.normalize(t)
            out.append((n.text, [n.to_original(i, i + 1) for i in range(len(n.text))]))
        return out

    monkeypatch.setattr(textnorm, "ARRAY_MIN", 0)
    arrays = run()
    monkeypatch.setattr(textnorm, "ARRAY_MIN", 10**9)
    plain = run()
    assert arrays == plain


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="最佳 *🔥\u200b㈱ﬁe\u0301a1，。̶“”", min_size=1, max_size=80),
    st.data(),
)
def test_many_spans_map_back_at_once_exactly_as_one_by_one(text, data):
    norm = normalize(text)
    n = len(norm.text)
    if not n:
        return
    spans = data.draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(1, n)), min_size=1, max_size=60).map(
            lambda xs: [(s, max(s + 1, e)) for s, e in xs]
        )
    )
    starts, ends = [s for s, _ in spans], [e for _, e in spans]
    one_by_one = [norm.to_original(s, e) for s, e in spans]
    # Once (one by one when short), and in enough copies for the arrays.
    for size in (1, textnorm.SPANS_ARRAY_MIN):
        got_starts, got_ends = norm.to_original_many(starts * size, ends * size)
        assert list(zip(got_starts, got_ends, strict=True)) == one_by_one * size
