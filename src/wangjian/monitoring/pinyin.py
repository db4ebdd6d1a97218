"""The engine's pinyin channel: syllables a seller typed instead of the characters of a term.

Three spellings are matched, each only where ordinary Latin text (English words, model numbers,
addresses) cannot produce it:

- **letters mixed with characters** ("zui佳", "bao本bao息", "zhi疗失眠"): the stretches of letters with
  up to ``REACH`` characters around them, turned into pinyin (``textnorm.pinyin_channel``); a match
  must begin and end on a syllable or word boundary and contain at least one typed letter;
- **syllables with spaces** ("zhi liao tang niao bing", "kang ai"): runs of two or more words, each a
  pinyin syllable, touching a Chinese character; every match spans two syllables or more, and a run of
  capitalised words ("Xiao Yan", a name written in pinyin) is left alone;
- **initials** of a long term as one word ("wzbp" for 稳赚不赔, four letters or more), and — for a claim
  verb or object (``claims``) — of a short one right beside a Chinese claim word ("zl糖尿病").

A term's pinyin is taken both character by character (as a seller types a syllable for each
character) and as the dictionary reads the word (调节 is "tiaojie", though 调 alone reads "diao").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator

from wangjian.core import textnorm

REACH = 8  # characters of CJK context taken on each side of the letters a seller typed

# "[a-z][a-z]*" rather than "[a-z]+": the same (greedy) runs, but ``re`` skips fast to a letter only when the pattern
# starts with a single character class; "[a-z]+" tries every character of a page that is nearly all Chinese.
_LATIN_RUN = re.compile("[a-z][a-z]*")
_CJK = re.compile(textnorm.CJK_CLASS)
_AFTER = re.compile(f"(?:{textnorm.CJK_CLASS}|[a-z]){{0,{REACH}}}")  # the stretch a run reaches forward
_BEFORE = re.compile(f"(?:{textnorm.CJK_CLASS}|[a-z])*$")  # … and back, within a slice of REACH
# Written to start with its first letter, the look behind it checked after it ("(?<![a-z0-9])[a-z]+…" as
# "[a-z](?<![a-z0-9][a-z])[a-z]*…"): the same matches, but ``re`` then skips from letter to letter instead of
# trying every character of a page that is nearly all Chinese.
_SPACED = re.compile("[a-z](?<![a-z0-9][a-z])[a-z]*(?: +[a-z]+)+(?![a-z0-9])")
_TONES = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")


def latin_runs(t: str) -> list[tuple[int, int]]:
    """The spans of the runs of letters in ``t`` (each as long as it goes), in order."""
    return [m.span() for m in _LATIN_RUN.finditer(t)]


def windows(t: str, runs: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Stretches of letters with up to ``REACH`` CJK characters around them ("zui佳", "bao本bao息");
    ``runs``: ``latin_runs(t)``, when the caller has them already."""
    out: list[tuple[int, int]] = []
    for ws, we in latin_runs(t) if runs is None else runs:
        lo = _BEFORE.search(t, max(0, ws - REACH), ws).start()
        hi = _AFTER.match(t, we).end()
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(hi, out[-1][1]))
        else:
            out.append((lo, hi))
    return out


@functools.cache
def syllables() -> frozenset[str]:
    """Every toneless pinyin syllable of the dictionary (ü written "v", as ``pypinyin`` does)."""
    from pypinyin import pinyin_dict

    out: set[str] = set()
    for readings_ in pinyin_dict.pinyin_dict.values():
        for r in readings_.split(","):
            out.add(r.translate(_TONES))
    return frozenset(s for s in out if s.isascii() and s.isalpha())


@functools.cache
def readings(term: str) -> frozenset[str]:
    """The pinyin of a normalised all-CJK term: character by character, and as the dictionary reads it."""
    from pypinyin import Style, lazy_pinyin

    return frozenset({textnorm.term_pinyin(term), "".join(lazy_pinyin(term, style=Style.NORMAL))})


def spaced_runs(t: str, capitalised: Callable[[int, int], bool]) -> Iterator[tuple[str, list[int], set[int]]]:
    """Runs of two or more space-separated syllables touching a CJK character, joined without spaces.

    Yields the joined letters, each letter's position in ``t``, and the positions in the joined text
    where a syllable begins or ends. ``capitalised(start, end)`` says whether the word at ``t[start:end]``
    was written with a capital in the original (a name such as "Xiao Yan" is not evasion).
    """
    valid = syllables()
    for m in _SPACED.finditer(t):
        s, e = m.span()
        if not ((s > 0 and _CJK.match(t, s - 1)) or (e < len(t) and _CJK.match(t, e))):
            continue
        run: list[tuple[int, int]] = []
        for w in [*_LATIN_RUN.finditer(t, s, e), None]:
            if w is not None and w.group(0) in valid:
                run.append(w.span())
                continue
            if len(run) >= 2 and not all(capitalised(a, b) for a, b in run):
                joined, where, bounds = [], [], {0}
                for a, b in run:
                    joined.append(t[a:b])
                    where.extend(range(a, b))
                    bounds.add(len(where))
                yield "".join(joined), where, bounds
            run = []


def _spanning_two(bounds: set[int], ps: int, pe: int) -> bool:
    return any(ps < b < pe for b in bounds)


def candidates(
    t: str,
    automaton,
    has_pinyin: bool,
    initials: dict[str, list[tuple[int, str]]],
    capitalised: Callable[[int, int], bool],
) -> list[tuple[int, int, int, str, str]]:
    """(rule, start, end, term, channel) for every pinyin spelling of a term in ``t`` (see the module)."""
    out: list[tuple[int, int, int, str, str]] = []
    # The page's runs of letters, found once: a word of initials is a whole run of four letters or more (no
    # letter before or after it), and the windows stretch around the runs.
    runs = latin_runs(t)
    if initials:
        for ws, we in runs:
            if we - ws >= 4:
                for idx, term in initials.get(t[ws:we], ()):
                    out.append((idx, ws, we, term, "initials"))
    if not has_pinyin:
        return out
    for ws, we in windows(t, runs):
        chunk = t[ws:we]
        if chunk.isascii() and len(chunk) < 4:
            continue
        if max((len(r) for r in _LATIN_RUN.findall(chunk)), default=0) < 2:
            continue  # a lone letter is an abbreviation or a size, not a syllable typed for a character
        py = textnorm.pinyin_channel(chunk)
        for end_idx, (length, payload) in automaton.iter(py.text):
            ps, pe = end_idx - length + 1, end_idx + 1
            if ps not in py.boundaries or pe not in py.boundaries:
                continue
            s, e = py.map.start(ps), py.map.end(pe)
            if not _LATIN_RUN.search(chunk, s, e):
                continue  # all characters: the main channel decides, homophones are not pinyin evasion
            for idx, term, channel in payload:
                out.append((idx, ws + s, ws + e, term, channel))
    # A run of spaced syllables starts with a run of letters followed by a space: without one, none is searched.
    if not any(t.startswith(" ", we) for _, we in runs):
        return out
    for joined, where, bounds in spaced_runs(t, capitalised):
        for end_idx, (length, payload) in automaton.iter(joined):
            ps, pe = end_idx - length + 1, end_idx + 1
            if ps not in bounds or pe not in bounds or not _spanning_two(bounds, ps, pe):
                continue
            for idx, term, channel in payload:
                out.append((idx, where[ps], where[pe - 1] + 1, term, channel))
    return out
