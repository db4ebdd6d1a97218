"""Text normalisation for matching, with every character traceable to the ORIGINAL text.

Sellers evade keyword lists with full-width letters, traditional characters, spaces,
symbols, emoji and zero-width characters between the characters of a term, homophones
and pinyin. Monitoring must see through all of it, and yet an officer must be shown
exactly what the page said: a finding without the original wording is no evidence.
So each step here returns its output together with an ``OffsetMap`` from output
positions back to input positions, and ``Normalized.to_original`` composes them.

Steps (in this order):

1. **fold** — NFKC (full-width → half-width, ①→1, compatibility forms), traditional →
   simplified (OpenCC's ``t2s`` character table, applied per character so that offsets
   stay put), ASCII lower case, and a few rare characters used
   only as look-alike homophones of monitored words (蕞/嘬→最). Character-for-character,
   so the map is the identity except where NFKC expands or composes characters.
2. **strip separators** — whitespace, punctuation-like symbols, emoji and zero-width
   characters *between* CJK characters (or between a CJK character and a letter or digit)
   are removed: "最 佳", "最*佳", "最\u200b佳", "最🔥佳" all become "最佳". Sentence
   boundaries (，。；！？ and line breaks) are kept, so two sentences are never glued
   into a term.
3. **pinyin** (an extra channel, not applied to the main text) — ``pinyin_channel``
   turns a stretch of text into pinyin syllables (or initials) so that "zui佳" or
   "bao本bao息" can be matched against the pinyin of a term.

Common homophone substitutions that are ordinary characters elsewhere (醉/罪 for 最)
cannot be folded into the text without false alarms ("喝醉好难受"); they are expanded
on the term side instead: ``homophone_variants("最佳")`` → {"醉佳", …}.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

import numpy as np

# The CJK ideographs read as Chinese characters, as code-point ranges (inclusive) and as a regex class.
CJK_POINTS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))
CJK_RANGES = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in CJK_POINTS)
CJK_CLASS = f"[{CJK_RANGES}]"
_CJK_RE = re.compile(CJK_CLASS)

# Characters removed between CJK characters. Sentence boundaries (，。；！？ \n) are not here.
SEPARATORS = (
    " \t\r\f\v\u00a0\u3000"  # spaces (NFKC already turned U+3000 into a space)
    "\u00ad\u034f\u180e\u200b-\u200f\u2028-\u202f\u2060-\u2064\ufeff"  # soft hyphen, zero-width, bidi marks
    "\ufe00-\ufe0f\U000e0100-\U000e01ef"  # variation selectors
    "*·•・.\\-_=+~^`|/\\\\:#@&$<>()\\[\\]{}【】《》〈〉…—–―〜～"  # not quotes: they mark a mention
    "\u2190-\u21ff\u2300-\u23ff\u25a0-\u27bf\u2b00-\u2bff\u20e3"  # arrows, technical, shapes, dingbats
    "\U0001f000-\U0001faff"  # emoji and pictographs
)
_SEP_CLASS = f"[{SEPARATORS}]"
_ALNUM_CLASS = "[0-9a-z]"
# The match includes the character before the separators (a leading character class lets the
# regex engine scan fast); only what follows it is deleted.
_STRIP_RE = re.compile(
    f"{CJK_CLASS}{_SEP_CLASS}+(?={CJK_CLASS}|{_ALNUM_CLASS})|{_ALNUM_CLASS}{_SEP_CLASS}+(?={CJK_CLASS})"
)

# Strike-through, slash and underline overlays (2̶9̶9̶, 原̲价̲) drawn over any character: dropped wherever they are,
# so that a struck-out price still reads as the price it is.
_OVERLAYS_RE = re.compile("[\u0332\u0334-\u0338]+")
_OVERLAY_CHARS = "\u0332\u0334\u0335\u0336\u0337\u0338"  # looked for one by one first: ``in`` is far faster

# Rare characters seen only as look-alike homophones of monitored words: safe to fold in the text.
HOMOPHONE_FOLD = {"蕞": "最", "嘬": "最", "檇": "最", "菓": "果", "疒": "病"}
# Colons NFKC leaves alone (the ratio sign, modifier-letter colons): "1∶1复刻" reads as "1:1复刻".
COLON_FOLD = {"\u2236": ":", "\ua789": ":", "\u02f8": ":"}

# Ordinary characters used as homophones of monitored words: expanded on the term side only.
HOMOPHONE_VARIANTS: dict[str, tuple[str, ...]] = {
    "最": ("醉", "罪", "嶊"),
    "治": ("冶", "质"),
    "疗": ("辽", "聊"),
    "愈": ("俞", "瘉"),
    "癌": ("岩",),
    "赚": ("撰",),
    "稳": ("吻", "紊"),
    "赔": ("陪", "培"),
    "刷": ("唰",),
    "返": ("饭", "反"),
    "仿": ("访", "彷"),
    "效": ("笑", "校"),
    "息": ("惜",),
    "级": ("极", "吉"),
}


# --------------------------------------------------------------------------- offset maps


@dataclass
class OffsetMap:
    """Output positions → input positions of one step, as contiguous segments.

    A segment ``(out_start, in_start, out_len, in_len)`` is *linear* when both lengths
    are equal (character i of the output came from character i of the input) and a
    *block* otherwise (every output character of it came from the whole input span,
    e.g. NFKC's "㈱" → "(株)"). Input characters between segments were deleted.
    """

    out_starts: list[int] = field(default_factory=list)
    in_starts: list[int] = field(default_factory=list)
    out_lens: list[int] = field(default_factory=list)
    in_lens: list[int] = field(default_factory=list)

    def add(self, out_start: int, in_start: int, out_len: int, in_len: int) -> None:
        if out_len <= 0:
            return
        if self.out_starts and out_len == in_len:
            # Merge with the previous linear segment when contiguous on both sides.
            i = len(self.out_starts) - 1
            if (
                self.out_lens[i] == self.in_lens[i]
                and self.out_starts[i] + self.out_lens[i] == out_start
                and self.in_starts[i] + self.in_lens[i] == in_start
            ):
                self.out_lens[i] += out_len
                self.in_lens[i] += in_len
                return
        self.out_starts.append(out_start)
        self.in_starts.append(in_start)
        self.out_lens.append(out_len)
        self.in_lens.append(in_len)

    def _segment(self, pos: int) -> int:
        i = bisect_right(self.out_starts, pos) - 1
        if i < 0:
            raise IndexError(pos)
        return i

    def start(self, pos: int) -> int:
        """Input position of the first input character behind output character ``pos``."""
        i = self._segment(pos)
        if self.out_lens[i] == self.in_lens[i]:
            return self.in_starts[i] + (pos - self.out_starts[i])
        return self.in_starts[i]

    def end(self, pos: int) -> int:
        """Input position just after the last input character behind output characters ``[…, pos)``."""
        if pos <= 0:
            return self.start(0) if self.out_starts else 0
        i = self._segment(pos - 1)
        if self.out_lens[i] == self.in_lens[i]:
            return self.in_starts[i] + (pos - self.out_starts[i])
        return self.in_starts[i] + self.in_lens[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """``(self.start(start), self.end(end))``, the lookups written out: every hit is mapped back."""
        out_starts = self.out_starts
        i = bisect_right(out_starts, start) - 1
        if i < 0:
            raise IndexError(start)
        s = (
            self.in_starts[i] + (start - out_starts[i])
            if self.out_lens[i] == self.in_lens[i]
            else self.in_starts[i]
        )
        if end <= 0:
            return s, self.start(0)  # not empty: a segment was found for ``start``
        i = bisect_right(out_starts, end - 1) - 1
        if i < 0:
            raise IndexError(end - 1)
        if self.out_lens[i] == self.in_lens[i]:
            return s, self.in_starts[i] + (end - out_starts[i])
        return s, self.in_starts[i] + self.in_lens[i]

    def spans(self, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``span`` of many spans at once (arrays of the same length, every end above 0): the same
        arithmetic, with ``np.searchsorted(..., side="right")`` for ``bisect_right``."""
        out_starts = np.asarray(self.out_starts)
        in_starts = np.asarray(self.in_starts)
        in_lens = np.asarray(self.in_lens)
        linear = np.asarray(self.out_lens) == in_lens
        i = np.searchsorted(out_starts, starts, side="right") - 1
        j = np.searchsorted(out_starts, ends - 1, side="right") - 1
        if i.min() < 0 or j.min() < 0:  # before the first segment, as ``span`` raises
            raise IndexError(int(starts.min()))
        s = np.where(linear[i], in_starts[i] + (starts - out_starts[i]), in_starts[i])
        e = np.where(linear[j], in_starts[j] + (ends - out_starts[j]), in_starts[j] + in_lens[j])
        return s, e


# Below this many spans ``Normalized.to_original_many`` maps them one by one: the arrays cost more than they save.
SPANS_ARRAY_MIN = 24


@dataclass
class Normalized:
    """The normalised text and the steps' maps back to ``original``."""

    original: str
    text: str
    maps: list[OffsetMap | None] = field(default_factory=list)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Code-point span in the original text behind ``text[start:end]``."""
        for m in reversed(self.maps):
            if m is not None:
                start, end = m.span(start, end)
        return start, end

    def to_original_many(self, starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
        """``to_original`` of each span (``starts[k]``, ``ends[k]``): the same offsets, for all of a page's hits at
        once. With many spans and every end above 0 (a hit is never empty) each map looks them all up in one go
        (``OffsetMap.spans``); an identity step (``None``) leaves them as they are, as in ``to_original``."""
        maps = [m for m in reversed(self.maps) if m is not None]
        if not maps:
            return list(starts), list(ends)
        if len(starts) < SPANS_ARRAY_MIN or min(ends) <= 0:
            pairs = [self.to_original(s, e) for s, e in zip(starts, ends, strict=True)]
            return [s for s, _ in pairs], [e for _, e in pairs]
        s_arr = np.array(starts, dtype=np.int64)
        e_arr = np.array(ends, dtype=np.int64)
        for m in maps:  # an end above 0 maps to an end above 0 (past the first input character behind it)
            s_arr, e_arr = m.spans(s_arr, e_arr)
        return s_arr.tolist(), e_arr.tolist()

    def original_slice(self, start: int, end: int) -> str:
        s, e = self.to_original(start, end)
        return self.original[s:e]


# --------------------------------------------------------------------------- step 1: fold


@functools.cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@functools.cache
def fold_table() -> dict[int, str]:
    """Character → character table: NFKC (where it yields one character), OpenCC t2s, lower case."""
    table: dict[int, str] = {}
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF or 0xE000 <= cp <= 0xF8FF or cp >= 0x30000:
            continue
        c = chr(cp)
        n = unicodedata.normalize("NFKC", c)
        if len(n) == 1 and n != c:
            table[cp] = n
    chars = [chr(cp) for a, b in CJK_POINTS for cp in range(a, b + 1)]
    converted = _t2s().convert("\n".join(chars)).split("\n")
    if len(converted) == len(chars):
        for c, s in zip(chars, converted, strict=True):
            if len(s) == 1 and s != c:
                table[ord(c)] = s
    for cp, s in list(table.items()):
        t = _t2s().convert(s)
        if len(t) == 1 and t != s:
            table[cp] = t
    for c, s in (HOMOPHONE_FOLD | COLON_FOLD).items():
        table[ord(c)] = s
    for cp in range(ord("A"), ord("Z") + 1):
        table[cp] = chr(cp + 32)
    for cp, s in list(table.items()):
        if "A" <= s <= "Z":
            table[cp] = s.lower()
    return table


@functools.cache
def _fold_list() -> list:
    """``fold_table`` as a list indexed by code point: ``str.translate`` looks it up twice as fast.

    Code points past the list raise ``IndexError`` (a ``LookupError``), which ``translate``
    takes as "unchanged"; none of them has a single-character fold.
    """
    table = fold_table()
    out: list = list(range(max(table) + 1))
    for cp, s in table.items():
        out[cp] = s
    return out


@functools.cache
def _fold_array() -> np.ndarray:
    """``fold_table`` as an array of code points indexed by code point (every fold is one character): a page is
    folded by one array lookup, several times faster than ``str.translate`` calling back for each character."""
    table = fold_table()
    out = np.arange(max(table) + 1, dtype=np.uint32)
    for cp, s in table.items():
        out[cp] = ord(s)
    return out


def code_points(text: str) -> np.ndarray:
    """The code points of ``text`` as an array (lone surrogates kept as they are)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _from_code_points(codes: np.ndarray) -> str:
    return codes.tobytes().decode("utf-32-le", "surrogatepass")


# Below this length the array steps cost more than they save (a rule's term, a line): ``str.translate`` and the
# regex give the same result, as the array steps are written to.
ARRAY_MIN = 256


def fold(text: str) -> tuple[str, OffsetMap | None]:
    """Step 1: NFKC + t2s + lower case + rare homophone characters. ``None`` map = identity."""
    table = fold_table()
    codes = code_points(text) if len(text) >= ARRAY_MIN else None
    lookup = _fold_array()
    if codes is not None and codes.size and int(codes.max()) < lookup.size:
        out = _from_code_points(lookup[codes])
    else:  # short, or a character past the table (planes 3–16): unchanged there, as ``translate`` leaves it
        out = text.translate(_fold_list())
    if unicodedata.is_normalized("NFKC", out):
        return out, None
    return _fold_slow(text, table)


def _fold_slow(text: str, table: dict[int, str]) -> tuple[str, OffsetMap]:
    """Character clusters whose NFKC changes the length (㈱, ﬁ, e+◌́): mapped as blocks."""
    pieces: list[str] = []
    m = OffsetMap()
    out_pos = 0
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = text[i:j]
        norm = unicodedata.normalize("NFKC", cluster).translate(table)
        m.add(out_pos, i, len(norm), len(cluster))  # linear if same length, else a block
        pieces.append(norm)
        out_pos += len(norm)
        i = j
    return "".join(pieces), m


# --------------------------------------------------------------------------- step 2: separators


def drop_overlays(text: str) -> tuple[str, OffsetMap | None]:
    """Step 1b: drop strike-through, slash and underline overlays (2̶9̶9̶), so that a struck-out price reads as one."""
    if not any(c in text for c in _OVERLAY_CHARS):
        return text, None
    cuts = [(m.start(), m.end()) for m in _OVERLAYS_RE.finditer(text)]
    return _keep_between(text, cuts)


_OTHER, _SEP, _CJK, _ALNUM = 0, 1, 2, 3  # a character's class in ``_STRIP_RE``
# Code points classified by table (``_strip_classes``); a text holding one past them is cut by ``_STRIP_RE`` itself.
_CLASSES_END = 0x30000


@functools.cache
def _strip_classes() -> np.ndarray:
    """Each code point's class in ``_STRIP_RE`` (separator, CJK, ``[0-9a-z]`` or other), read from the same
    character classes; no code point is in two of them."""
    every = "".join(map(chr, range(_CLASSES_END)))
    out = np.zeros(_CLASSES_END, dtype=np.uint8)
    for cls, rx in ((_SEP, _SEP_CLASS), (_CJK, CJK_CLASS), (_ALNUM, _ALNUM_CLASS)):
        for m in re.finditer(rx + "+", every):  # runs of consecutive code points: the class's ranges
            out[m.start() : m.end()] = cls
    return out


def strip_separators(text: str) -> tuple[str, OffsetMap | None]:
    """Step 2: drop separators, symbols, emoji and zero-width characters inside CJK runs.

    What ``_STRIP_RE`` cuts, found with array operations: every maximal run of separators between a CJK character
    and a CJK character, letter or digit, or between a letter or digit and a CJK character (the regex's match
    starts at the character before the run, and a run cannot end early: the character after it must be CJK,
    a letter or a digit, and none of those is a separator)."""
    n = len(text)
    if n < 3:
        return text, None
    codes = code_points(text) if n >= ARRAY_MIN else None
    # Short, or rare characters past the table (planes 3–16): the regex itself.
    if codes is None or int(codes.max()) >= _CLASSES_END:
        cuts = [(m.start() + 1, m.end()) for m in _STRIP_RE.finditer(text)]
        return _keep_between(text, cuts) if cuts else (text, None)
    classes = _strip_classes().take(codes)
    sep = classes == _SEP
    if not sep.any():
        return text, None
    change = np.flatnonzero(sep[1:] != sep[:-1]) + 1  # where a run of separators starts or ends
    starting = sep[change]
    starts, ends = change[starting], change[~starting]  # runs [start, end), paired below
    if sep[0]:  # a run at the very start (its end is listed, not its start): not between two characters
        ends = ends[1:]
    if sep[-1]:  # … and one at the very end
        starts = starts[:-1]
    before, after = classes[starts - 1], classes[ends]
    cut = ((before == _CJK) & ((after == _CJK) | (after == _ALNUM))) | ((before == _ALNUM) & (after == _CJK))
    if not cut.any():
        return text, None
    starts, ends = starts[cut], ends[cut]
    # Kept stretches lie between the cuts: each one linear segment of the map.
    kept_starts = np.concatenate(([0], ends))
    kept_ends = np.concatenate((starts, [n]))
    lens = kept_ends - kept_starts  # never empty: a cut starts after a kept character and ends before one
    in_starts, in_ends = kept_starts.tolist(), kept_ends.tolist()
    m = OffsetMap(
        out_starts=np.concatenate(([0], np.cumsum(lens)[:-1])).tolist(),
        in_starts=in_starts,
        out_lens=lens.tolist(),
        in_lens=lens.tolist(),
    )
    return "".join([text[a:b] for a, b in zip(in_starts, in_ends, strict=True)]), m


def _keep_between(text: str, cuts: list[tuple[int, int]]) -> tuple[str, OffsetMap]:
    """``text`` without the ``cuts`` (in order, not overlapping), with the map back to ``text``.

    Kept stretches lie between the cuts; each is one linear segment (never contiguous with the next, a cut lies
    between), so the map is built directly, with comprehensions (this runs over every page a crawler fetches).
    """
    segs = [
        (ks, ke)
        for ks, ke in zip([0] + [e for _, e in cuts], [s for s, _ in cuts] + [len(text)], strict=True)
        if ke > ks
    ]
    lens = [ke - ks for ks, ke in segs]
    m = OffsetMap(
        out_starts=list(accumulate(lens, initial=0))[:-1],
        in_starts=[ks for ks, _ in segs],
        out_lens=lens,
        in_lens=list(lens),
    )
    return "".join([text[ks:ke] for ks, ke in segs]), m


# --------------------------------------------------------------------------- the pipeline


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """``text`` with each lone surrogate (half of a pair, from a broken ``\\ud83d`` escape in a page's JSON-LD or a
    seller's feed) as U+FFFD, one for one: it is no character, and text holding one cannot be written as UTF-8 —
    to a database, a file or a page."""
    if _SURROGATE_RE.search(text) is None:
        return text
    return _SURROGATE_RE.sub("\ufffd", text)


def normalize(text: str, *, separators: bool = True) -> Normalized:
    """The normalised text for matching, with its maps back to ``text`` (lone surrogates read as U+FFFD, in the
    text and in the original that hits quote: ``without_surrogates``)."""
    text = without_surrogates(text)
    folded, m1 = fold(text)
    if not separators:
        return Normalized(text, folded, [m1])
    plain, m_overlays = drop_overlays(folded)
    stripped, m2 = strip_separators(plain)
    maps = [m1, m_overlays, m2] if m_overlays is not None else [m1, m2]
    return Normalized(text, stripped, maps)


@functools.lru_cache(maxsize=1 << 18)
def normalize_term(term: str) -> str:
    """A rule's term in the form it is matched in (same steps as the text).

    Kept per process: every engine built from the same libraries normalises the same terms (some
    38,000 with the look-alike lexicons), and the steps depend on the term alone."""
    return normalize(term.strip()).text


def homophone_variants(term: str, *, limit: int = 24) -> set[str]:
    """Spellings of ``term`` with one character replaced by a common homophone (醉佳 for 最佳)."""
    out: set[str] = set()
    if len(term) < 2:
        return out
    for i, c in enumerate(term):
        for v in HOMOPHONE_VARIANTS.get(c, ()):
            out.add(term[:i] + v + term[i + 1 :])
            if len(out) >= limit:
                return out
    return out


def has_cjk(text: str) -> bool:
    return _CJK_RE.search(text) is not None


# --------------------------------------------------------------------------- pinyin channel


@functools.cache
def _pinyin_of(char: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(char, style=Style.NORMAL)[0]


@functools.lru_cache(maxsize=1 << 16)
def term_pinyin(term: str, *, initials: bool = False) -> str:
    """Pinyin of a (normalised) term, syllables joined: 最佳 → "zuijia" (or "zj").

    Character by character, as a seller typing a syllable for a character would spell it.
    """
    syllables = [_pinyin_of(c) if _CJK_RE.match(c) else c for c in term]
    if initials:
        return "".join(s[0] for s in syllables if s)
    return "".join(syllables)


@dataclass
class PinyinText:
    """A stretch of (normalised) text in pinyin, with a map back and the syllable boundaries."""

    text: str
    map: OffsetMap
    boundaries: set[int]


# Each character as the pinyin channel writes it, with its class: 0 a CJK character (its syllable), 1 an ASCII letter
# or digit (itself), 2 anything else (a space). Filled as characters are met.
_PINYIN_PIECES: dict[str, tuple[str, int]] = {}


def _pinyin_piece(c: str) -> tuple[str, int]:
    got = _PINYIN_PIECES.get(c)
    if got is None:
        if _CJK_RE.match(c):
            got = (_pinyin_of(c), 0)
        elif c.isascii() and c.isalnum():
            got = (c, 1)
        else:
            got = (" ", 2)
        _PINYIN_PIECES[c] = got
    return got


def pinyin_channel(text: str) -> PinyinText:
    """Each CJK character → its pinyin syllable (a block in the map); letters and digits kept.

    ``boundaries`` holds the output positions where a syllable or a run of letters starts
    or ends, so that a match may not begin or end in the middle of a syllable or of a word
    the seller typed ("jia" inside "zuijia" is no match for 佳).

    The map is built as ``OffsetMap.add`` would build it character by character (a one-character piece is linear
    and joins a linear segment before it), its lists filled directly.
    """
    out_starts: list[int] = []
    in_starts: list[int] = []
    out_lens: list[int] = []
    in_lens: list[int] = []
    pieces: list[str] = []
    bounds: set[int] = {0}
    add_bound = bounds.add
    out_pos = 0
    prev = -1  # the class of the character before
    for i, c in enumerate(text):
        piece, cls = _PINYIN_PIECES.get(c) or _pinyin_piece(c)
        if cls != 1 or prev != 1:
            add_bound(out_pos)  # a syllable, a space, or the first of a run of letters and digits starts here
        pieces.append(piece)
        size = len(piece)
        if size:
            if (
                size == 1
                and out_starts
                and out_lens[-1] == in_lens[-1]
                and out_starts[-1] + out_lens[-1] == out_pos
                and in_starts[-1] + in_lens[-1] == i
            ):
                out_lens[-1] += 1
                in_lens[-1] += 1
            else:
                out_starts.append(out_pos)
                in_starts.append(i)
                out_lens.append(size)
                in_lens.append(1)
        out_pos += size
        if cls != 1:
            add_bound(out_pos)  # … and ends here; a run of letters ends where the next character starts
        prev = cls
    if prev == 1:
        add_bound(out_pos)
    return PinyinText("".join(pieces), OffsetMap(out_starts, in_starts, out_lens, in_lens), bounds)


__all__ = [
    "CJK_CLASS",
    "CJK_POINTS",
    "HOMOPHONE_FOLD",
    "HOMOPHONE_VARIANTS",
    "Normalized",
    "OffsetMap",
    "PinyinText",
    "code_points",
    "fold",
    "fold_table",
    "has_cjk",
    "homophone_variants",
    "normalize",
    "normalize_term",
    "pinyin_channel",
    "strip_separators",
    "term_pinyin",
]
