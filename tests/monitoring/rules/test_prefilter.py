"""The prefilter only skips pattern calls that could not have found anything: decisions never change."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest
import regex

from wangjian.monitoring import matcher
from wangjian.monitoring.engine import Engine, default_libraries
from wangjian.monitoring.prefilter import Prefilter, prefilter_form, trimmed, widened
from wangjian.monitoring.rulefile import Exemption, LibrarySpec, RuleSpec

needs_hyperscan = pytest.mark.skipif(matcher.hyperscan is None, reason="hyperscan is not installed here")
ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("pattern", "form"),
    [
        ("(?P<c0>(?:不|非|无)$|无法)", "(?:(?:不|非|无)|无法)"),  # edges dropped, names dropped
        (r"第一大(?=[\u4e00-\u9fff])|(?<![0-9a-z])第一", "第一大|第一"),  # lookarounds dropped
        (r"最[\u4e00-\u9fff]{1,4}牌", r"最[\x{4e00}-\x{9fff}]{1,4}牌"),  # Hyperscan's code point syntax
        (r"^[^,。]{0,8}骗局", "[^,。]{0,8}骗局"),  # a negated class is not an anchor
        (r"\b1[0-9]{2,}\b", "1[0-9]{2,}"),
        # a class whose edges may differ between the engines becomes any character: a superset
        (r"\w{0,2}最佳", "(?s:.){0,2}最佳"),
    ],
)
def test_the_form_drops_only_zero_width_assertions(pattern, form):
    assert prefilter_form(pattern) == form


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a)\1",  # back-reference
        "(?i)最佳",  # inline flags
        "(?>最+)佳",  # atomic group
        "最++佳",  # possessive
        "(?:最佳){e<=1}",  # fuzzy
        "[[a-z]&&[^x]]",  # set operations
        r"\w+最佳",  # any character, unbounded: it would end everywhere
    ],
)
def test_patterns_outside_the_subset_are_always_run(pattern):
    assert prefilter_form(pattern) is None


def test_whitespace_and_digits_are_written_out_as_classes_of_code_points():
    form = prefilter_form(r"[^\s,]{0,3}骗局")
    assert form.startswith("[^\\x{9}-\\x{d}") and form.endswith(",]{0,3}骗局")
    assert prefilter_form(r"\d").startswith("[\\x{30}-\\x{39}\\x{660}-\\x{669}")


@needs_hyperscan
def test_a_digit_or_a_space_either_python_engine_knows_is_never_ruled_out():
    """Hyperscan's own \\d lacks digits Python knows (Newa's, Ahom's …), and ``re`` and ``regex`` draw \\d and \\s a
    little differently: wherever either engine matches, the index must say a match may lie there."""
    pats = [r"a\db", r"a\sb", r"a[\d\s]b", r"a[^\d\s]b", r"a\d{2}b", r"a[^\s，]b"]
    pf = Prefilter(enabled=True)
    ids = [pf.add(p) for p in pats]
    pf.build()
    assert None not in ids
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    chars = {m.group() for engine in (re, regex) for m in engine.finditer(r"[\d\s]", every)} | set("x好，")
    for c in sorted(chars):
        for text in ("a" + c + "b", "a" + c * 2 + "b", "好" * 30 + "a" + c + c + "b"):
            index = pf.index(text)
            for pat, pid in zip(pats, ids, strict=True):
                if re.search(pat, text) or regex.search(pat, text):
                    assert index.anywhere(pid) and index.may_match(pid, 0, len(text)), (pat, hex(ord(c)))


@pytest.mark.parametrize(
    ("form", "wide"),
    [
        (r"最[^，。]{0,15}?\d{5,}元", r"最[^，。]*\d+元"),
        ("(?:ab){2}c{1,3}", "(?:ab)+c+"),
        ("(a|b{3})x", "(?:a|b+)x"),
        (r"\x{4e00}{2}", r"\x{4e00}+"),
        ("[a{2}]", "[a{2}]"),  # inside a set a brace is a character
        # any character stays bounded: unbounded, it would end almost everywhere
        ("(?s:.){0,8}最佳", "(?s:.){0,8}最佳"),
        ("(?:x(?s:.)){1,3}", "(?:x(?s:.)){1,3}"),
        ("最.{0,8}佳", "最.{0,8}佳"),
    ],
)
def test_bounded_repeats_are_widened_except_of_any_character(form, wide):
    assert widened(form) == wide


def _annual_return_library(warning: str) -> LibrarySpec:
    """One rule with a term, an anchored regex with ``\\d`` and an exemption pattern ``warning``."""
    return LibrarySpec(
        name="t",
        rules=[
            RuleSpec(
                code="R-1",
                name="编号式宣称",
                category="absolute_terms",
                terms=["稳赚"],
                regexes=[r"年化\d{2,}%"],
                anchors=["年化"],
                exclusions=[Exemption(warning, "警示语")],
            )
        ],
    )


@needs_hyperscan
def test_a_page_with_digits_hyperscan_does_not_know_decides_as_without_the_prefilter():
    lib = _annual_return_library(r"re:谨防\d+天稳赚")
    fast, reference = Engine([lib]), Engine([lib], first_test=False)
    newa = "\U00011451\U00011452"  # Newa digits: ``regex`` reads them as \\d, Hyperscan's \\d does not
    for page in (f"本产品年化{newa}%收益", f"谨防{newa}天稳赚", "本产品年化12%收益，谨防12天稳赚"):
        assert _decisions(fast.scan(page)) == _decisions(reference.scan(page)), page
    assert [h.matched for h in fast.scan(f"本产品年化{newa}%收益").hits] == [f"年化{newa}%"]


@pytest.mark.parametrize(
    ("form", "inside", "ending"),
    [
        # a warning word before the hit: "警惕" in the window is what counts, not every character after it
        ("(?:警惕|谨防)[^,。]*", "(?:警惕|谨防)", "(?:警惕|谨防)[^,。]*"),
        ("的?[^,。]{0,3}(?:湖泊|河流)", "(?:湖泊|河流)", "(?:湖泊|河流)"),
        (r"(?:19|20)\d{2}年(?:\d{1,2}月)?", r"(?:19|20)\d{2}年", r"(?:19|20)\d{2}年(?:\d{1,2}月)?"),
        ("(?:(?:不|非)|拒绝)|(?:(?:吗|么)(?:[?？]||x))", "(?:(?:不|非)|拒绝)|(?:(?:吗|么))", None),
        ("(?:ab|)c", "c", "c"),
        ("a?b?", "a?b?", "a?b?"),  # nothing is left that must match: kept whole
        ("最[^,]{1,4}牌", "最[^,]{1,4}牌", "最[^,]{1,4}牌"),  # every piece must match
    ],
)
def test_pieces_at_the_edges_that_may_match_nothing_are_trimmed(form, inside, ending):
    assert trimmed(form) == inside
    assert trimmed(form, keep_end=True) == (form if ending is None else ending)


@needs_hyperscan
def test_a_pattern_one_character_satisfies_is_not_prefiltered_it_would_end_everywhere():
    pf = Prefilter(enabled=True)
    assert pf.add("不|无法") is None
    assert pf.add("无法|不能") is not None


@needs_hyperscan
def test_a_pattern_hyperscan_refuses_is_always_run_and_the_others_are_still_prefiltered():
    pf = Prefilter(enabled=True)
    kept, refused = pf.add("无法退款"), pf.add("x.{1,70000}y")  # a bound too large for Hyperscan
    pf.build()
    index = pf.index("本店商品一经售出无法退款。" + "好" * 50)
    assert index.may_match(kept, 0, 20) and not index.may_match(kept, 20, 60)
    assert index.may_match(refused, 20, 60)  # refused: never skipped


@needs_hyperscan
def test_wherever_a_pattern_matches_in_a_slice_the_index_says_it_may():
    rng = random.Random(5)
    pats = [
        "(?:不|非)$|无法保证",
        r"^的?(?:服务|态度)",
        r"保本(?!金)|稳赚",
        r"(?<![a-z])tm(?![a-z])",
        r"最\d{2,}",
        r"\d+\s*%的?(?:服务|稳赚)",
        r"[^\s，。]{1,3}保证",
    ]
    pf = Prefilter(enabled=True)
    ids = [pf.add(p) for p in pats]
    pf.build()
    alphabet = list("不非无法保证的服务态度本金稳赚最佳tmx12% \n，。")
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(5, 60)))
        index = pf.index(text)
        for pat, pid in zip(pats, ids, strict=True):
            rx = regex.compile(pat)
            for _ in range(5):
                lo = rng.randint(0, len(text))
                hi = rng.randint(lo, len(text))
                if rx.search(text[lo:hi]) and pid is not None:
                    m = rx.search(text[lo:hi])
                    if m.end() > m.start():
                        assert index.may_match(pid, lo, hi), (pat, text, lo, hi)


@needs_hyperscan
def test_wherever_a_match_overlapping_a_hit_ends_the_index_says_it_may():
    """An exemption overlaps its hit: the index must keep every place such a match may end."""
    rng = random.Random(9)
    pats = [
        r"谨防[^，。]{0,6}稳赚",
        r"的?[^，。]{0,3}(?:保本|稳赚)",
        r"稳赚(?:不赔)?[^，。]*",
        r"(?:不|非)保证",
    ]
    pf = Prefilter(enabled=True)
    ids = [pf.add(p, keep_end=True) for p in pats]
    pf.build()
    alphabet = list("谨防稳赚不赔的保本非证好，。")
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(5, 60)))
        index = pf.index(text)
        for pat, pid in zip(pats, ids, strict=True):
            for m in regex.finditer(pat, text, overlapped=True):
                if m.end() > m.start():
                    s = rng.randint(m.start(), m.end() - 1)  # a hit the match overlaps
                    assert index.may_match(pid, s, m.end()), (pat, text, s)


def _pages() -> list[str]:
    lines = []
    for path in sorted((ROOT / "bench" / "corpus").glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                lines.append(line.split("\t", 2)[2])
    rng = random.Random(11)
    pages = list(lines)
    for _ in range(60):  # pages of many lines: hits next to other hits, exemptions from neighbouring lines
        pages.append("，".join(rng.sample(lines, 12)))
    return pages


def _decisions(result):
    return [
        (h.rule, h.start, h.end, h.exemption, h.exemption_reason) for h in result.hits + result.suppressed
    ]


@needs_hyperscan
def test_the_default_libraries_decide_exactly_as_without_the_prefilter():
    fast, reference = Engine(default_libraries()), Engine(default_libraries(), first_test=False)
    assert fast.prefilter._db is not None and reference.prefilter._db is None
    for page in _pages():
        assert _decisions(fast.scan(page)) == _decisions(reference.scan(page)), page


@needs_hyperscan
def test_a_regex_rule_and_an_exemption_pattern_still_decide_when_prefiltered():
    lib = _annual_return_library("re:谨防[^，。]{0,6}稳赚")
    engine = Engine([lib])
    assert engine.prefilter._ids  # both patterns were given an id
    r = engine.scan("本产品年化18%稳赚，谨防所谓稳赚")
    assert [h.matched for h in r.hits] == ["年化18%", "稳赚"]
    assert [h.exemption_reason for h in r.suppressed] == ["警示语"]
    assert not engine.scan("年化收益，无数字").hits
