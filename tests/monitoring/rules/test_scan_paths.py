"""Two ways to the same answer: the quick paths a scan takes on long texts give what the plain ones give.

The similarity model looks n-grams up by binary search for a few of them and by table for many, and counts a
sentence's Chinese characters by regex for a few sentences and with arrays for many; the pinyin channel fills
its offset map directly instead of one ``OffsetMap.add`` per character; claims are paired from verbs and objects
told apart as they are found. Each pair is held to the same output, exactly.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from wangjian.core import textnorm
from wangjian.monitoring import claims, similarity

PAGE = (
    "新鲜苹果产地直发，每天躺着也能躺赚三千元！本品能根治糖尿病。原价999今天只要99元。"
    "𠮷野家风味 牛肉饭 ABC123。推荐一人奖励五百元，"
    + "，".join(["每月分红稳定可靠"] * 30)
    + "。本店支持七天无理由退货。降血压，降血糖，一个疗程见效。"
)


def _random_page(rng: random.Random, n: int) -> str:
    model = similarity.default_model()
    chars = sorted({c for g in model.vocab for c in g}) + list("。，!\n𠮷a1 ")
    return "".join(rng.choice(chars) for _ in range(n))


@pytest.mark.parametrize("seed", range(4))
def test_table_and_binary_search_give_the_same_rows(monkeypatch, seed):
    model = similarity.default_model()
    rng = random.Random(seed)
    page = textnorm.normalize(_random_page(rng, 3000) + PAGE).text
    points = similarity.code_points(page)
    for order in (1, 2, 3):
        n = len(points) - order + 1
        grams = points[:n].copy()
        for d in range(1, order):
            grams = (grams << similarity._BITS) | points[d : d + n]
        keys = model._arrays[0][order][0]
        grams = np.concatenate([grams, keys, keys + 1, np.array([0, 2**62], dtype=np.int64)])
        monkeypatch.setattr(similarity, "_MANY_GRAMS", 0)
        at_table, by_table = model._found(order, grams)
        monkeypatch.setattr(similarity, "_MANY_GRAMS", 10**9)
        at_search, by_search = model._found(order, grams)
        assert len(by_table) > 0 and (by_table >= 0).all()
        assert np.array_equal(at_table, at_search) and np.array_equal(by_table, by_search)
        assert set(at_table.tolist()) >= set(range(n, n + len(keys)))  # every key of the vocabulary is found


@pytest.mark.parametrize("seed", range(3))
def test_a_page_gets_the_same_sentences_and_probabilities_on_either_path(monkeypatch, seed):
    model = similarity.default_model()
    page = textnorm.normalize(_random_page(random.Random(seed), 2000) + PAGE).text
    quick = similarity.sentences(page)
    assert len(quick) > similarity._MANY_SENTENCES and len(page) > similarity._MANY_GRAMS
    table = model.page_probabilities(page, quick)
    monkeypatch.setattr(similarity, "_MANY_GRAMS", 10**9)
    monkeypatch.setattr(similarity, "_MANY_SENTENCES", 10**9)
    plain = similarity.sentences(page)
    assert quick == plain
    assert np.array_equal(model.page_probabilities(page, plain), table)
    monkeypatch.setattr(similarity, "_MANY_SENTENCES", 0)
    assert similarity.sentences(page) == plain


def _pinyin_channel_char_by_char(text: str) -> textnorm.PinyinText:
    """The channel built one ``OffsetMap.add`` per character, boundaries as the docstring defines them."""
    m = textnorm.OffsetMap()
    pieces, bounds, out = [], {0}, 0

    def alnum(c: str) -> bool:
        return c.isascii() and c.isalnum()

    for i, c in enumerate(text):
        if textnorm.has_cjk(c):
            piece = textnorm.term_pinyin(c)
            bounds.update((out, out + len(piece)))
        elif alnum(c):
            piece = c
            if i == 0 or not alnum(text[i - 1]):
                bounds.add(out)
            if i + 1 == len(text) or not alnum(text[i + 1]):
                bounds.add(out + 1)
        else:
            piece = " "
            bounds.update((out, out + 1))
        m.add(out, i, len(piece), 1)
        pieces.append(piece)
        out += len(piece)
    return textnorm.PinyinText("".join(pieces), m, bounds)


def test_the_pinyin_channel_is_the_one_built_character_by_character():
    rng = random.Random(3)
    alphabet = list("zuijia佳最好bao本息 ,。a1Z-啊哦呃嗯") + ["\u3400", "𠀀", "é", "ü", "\u200b"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        got, want = textnorm.pinyin_channel(text), _pinyin_channel_char_by_char(text)
        assert (got.text, got.boundaries, got.map) == (want.text, want.boundaries, want.map), text


def test_pairing_verbs_and_objects_told_apart_is_pairing_the_mixed_parts():
    t = "本品治疗糖尿病，可以降血压，zl高血压，糖尿病克星"
    parts = [
        (2, 4, "治疗", "v/text"),
        (4, 7, "糖尿病", "o/text"),
        (10, 11, "降", "v/text"),
        (11, 13, "血压", "o/text"),
        (14, 16, "zl", "v/initials"),
        (16, 19, "高血压", "o/text"),
        (20, 23, "糖尿病", "o/text"),
        (23, 25, "克星", "v/text"),
    ]
    rng = random.Random(5)
    for _ in range(20):
        rng.shuffle(parts)
        verbs = [p for p in parts if p[3].startswith(claims.VERB)]
        objects = [p for p in parts if p[3].startswith(claims.OBJECT)]
        found = claims.pair(t, parts, 6)
        assert found == claims.pair_parts(t, verbs, objects, 6)
        assert len(found[0]) == 4
