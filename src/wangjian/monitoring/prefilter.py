"""A first test for the libraries' own patterns: where on this page could each of them match at all?

A rule's ``re:`` exemptions, its context patterns and its regexes are the library's own patterns: they
run with a time limit, one call per candidate and window. Most calls find nothing, because the words
the pattern needs are nowhere near. Hyperscan (PyPI ``hyperscan``) compiles every such pattern into one
database in *prefilter* mode and reports, in one pass over the page, every place where one of them may
end — a superset of where it really matches (Hyperscan's documented guarantee for that mode). A call
whose window holds no such place cannot find anything and is skipped; every other call runs exactly as
before, so the decisions are the same with or without it, only fewer patterns are run. The engine's own
signs of the product kinds (``kinds``) go into the same database: a sign that cannot match on a page is
not searched for.

The engine searches slices and windows, where ``^``, ``$``, ``\\b`` and lookarounds read the slice's
edges. The prefilter compiles each pattern with those zero-width assertions dropped
(``prefilter_form``): fewer constraints, so wherever the pattern matches in a slice its form matches the
same characters of the page. Two more changes only widen what a form matches: ``\\d`` and ``\\s`` are
written out as the characters Python reads in them (Hyperscan's own tables are older; a page holding a
digit past U+FFFF gets no index: ``missed``), and bounded repeats become unbounded (``widened``). Anything
outside a small, well-understood subset of the syntax (literals, classes of literals and ranges, ``\\d``,
``.``, groups, alternation, greedy and lazy quantifiers) gets no prefilter and is always run. Without the
Hyperscan wheel nothing is skipped.
"""

from __future__ import annotations

import functools
import re
import re._constants as sre_constants
import re._parser as sre_parse
import sys
import threading
from bisect import bisect_left
from typing import Any

from wangjian.monitoring.matcher import Utf8, compiled_database, hyperscan

_ZERO_WIDTH_ESCAPES = set("bBAZzG")  # assertions about the edges: dropped (fewer constraints, more matches)
_KEPT_ESCAPES = set("nt")  # the same character in both engines
_WRITTEN_OUT = set("ds")  # classes written out as code points (``_written_out``)
_CLASS_ESCAPES = set("SwWDpP")  # classes whose edges may differ between the engines: any character
ANY = "(?s:.)"  # any character, line breaks included


@functools.cache
def _members() -> dict[str, tuple[frozenset[int], frozenset[int]]]:
    """For ``\\d`` and ``\\s``, the code points that Python's ``re`` or the ``regex`` module puts in the class
    (the union) and those both put in it (the intersection): their Unicode versions differ, ``regex`` knows
    more digits, ``re`` counts U+001C…U+001F as spaces."""
    import regex

    every = "".join(map(chr, range(sys.maxunicode + 1)))  # the position of a character is its code point
    out = {}
    for escape in _WRITTEN_OUT:
        per_engine = [
            {cp for m in engine.finditer(f"\\{escape}+", every) for cp in range(*m.span())}
            for engine in (re, regex)
        ]
        out[escape] = frozenset(set.union(*per_engine)), frozenset(set.intersection(*per_engine))
    return out


def _ranges(points: list[int]) -> str:
    """Sorted code points as the ranges of a Hyperscan class."""
    ranges: list[list[int]] = []
    for cp in points:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return "".join(f"\\x{{{lo:x}}}" + (f"-\\x{{{hi:x}}}" if hi > lo else "") for lo, hi in ranges)


@functools.cache
def _written_out(escape: str, negated: bool) -> str:
    """``\\d`` or ``\\s`` written out as a Hyperscan class of code points of the Basic Multilingual Plane.

    Hyperscan's own ``\\d`` lacks digits that Python knows (Newa's, Ahom's …: its Unicode tables are older).
    Outside a negated set the characters either Python engine puts in the class are taken, inside one
    (``[^\\s，]``) only those both put in it, so that the form matches wherever the pattern does, whichever
    engine runs it. Digits past U+FFFF are left out (a class holding them made Hyperscan's scan two to three
    times slower): inside a negated set that only lets the form match more; a page holding one of them gets
    no index at all (``missed``)."""
    union, both = _members()[escape]
    return _ranges(sorted(cp for cp in (both if negated else union) if cp <= 0xFFFF))


@functools.cache
def missed() -> str:
    """A Hyperscan class of the characters a form's ``\\d`` and ``\\s`` leave out (``_written_out``): on a page
    holding one the index cannot say where a pattern may not match, and every call runs."""
    return "[" + _ranges(sorted(cp for e in _WRITTEN_OUT for cp in _members()[e][0] if cp > 0xFFFF)) + "]"


def _escape(pattern: str, i: int, negated: bool = False) -> tuple[str | None, int]:
    """The escape at ``pattern[i]`` (a backslash) in Hyperscan's syntax, or None; and where it ends.
    ``negated``: the escape stands in a negated set (``[^…]``)."""
    if i + 1 >= len(pattern):
        return None, i + 1
    c = pattern[i + 1]
    if c in "uU":
        width = 4 if c == "u" else 8
        digits = pattern[i + 2 : i + 2 + width]
        if len(digits) == width and all(ch in "0123456789abcdefABCDEF" for ch in digits):
            return "\\x{" + digits + "}", i + 2 + width
        return None, i + 2
    if c == "x":
        digits = pattern[i + 2 : i + 4]
        if len(digits) == 2 and all(ch in "0123456789abcdefABCDEF" for ch in digits):
            return "\\x" + digits, i + 4
        return None, i + 2
    if c in _KEPT_ESCAPES or not c.isalnum():
        return pattern[i : i + 2], i + 2
    if c in _WRITTEN_OUT:
        return "[" + _written_out(c, negated) + "]", i + 2
    if c in _CLASS_ESCAPES:
        end = i + 2
        if c in "pP" and end < len(pattern) and pattern[end] == "{":
            close = pattern.find("}", end)
            if close == -1:
                return None, end
            end = close + 1
        return ANY, end  # a class the engines may draw differently: any character, a superset
    return None, i + 2  # \1, \x… and the rest: not mapped, the pattern is always run


def _group_end(pattern: str, i: int) -> int:
    """The index just after the group opening at ``pattern[i]``, or -1 when unbalanced."""
    depth, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            j = _class_end(pattern, i)
            if j == -1:
                return -1
            i = j
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def _class_end(pattern: str, i: int) -> int:
    j, n = i + 1, len(pattern)
    if j < n and pattern[j] == "^":
        j += 1
    if j < n and pattern[j] == "]":
        j += 1
    while j < n and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1 if j < n else -1


def prefilter_form(pattern: str) -> str | None:
    """``pattern`` with its zero-width assertions dropped, in Hyperscan's syntax; None outside the subset.

    Dropping ``^``, ``$``, ``\\b`` and lookarounds only removes constraints: whatever the pattern
    matches in a slice, this form matches at the same characters of the whole page, so the places where
    it may end are a superset — what a first test needs. Back-references, inline flags, atomic groups,
    possessive and fuzzy quantifiers and nested sets give None: the pattern is always run. A class whose
    edges may differ between the engines (``\\w``, ``\\s``, ``\\p{…}``, or a set holding one) becomes "any
    character": a superset.
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 < n and pattern[i + 1] in _ZERO_WIDTH_ESCAPES:
                i += 2
                continue
            piece, i = _escape(pattern, i)
            if piece is None:
                return None
            out.append(piece)
            continue
        if c == "[":
            j = _class_end(pattern, i)
            if j == -1:
                return None
            body, k, cls, anything = pattern[i:j], 0, [], False
            negated = body.startswith("[^")
            while k < len(body):
                if body[k] == "\\":
                    piece, k = _escape(body, k, negated)
                    if piece is None:
                        return None
                    anything = anything or piece == ANY  # a class of uncertain edges inside: any character
                    cls.append(piece[1:-1] if piece.startswith("[") else piece)  # \\d, \\s: code points
                    continue
                if k > 0 and (body[k] == "[" or body[k : k + 2] in ("&&", "--", "||", "~~")):
                    return None  # nested sets, set operations, POSIX classes
                cls.append(body[k])
                k += 1
            out.append(ANY if anything else "".join(cls))
            i = j
            continue
        if c == "(":
            if pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
                j = _group_end(pattern, i)
                if j == -1:
                    return None
                i = j  # a lookaround asserts, consumes nothing: dropped
                continue
            if pattern.startswith("(?P<", i):
                j = pattern.find(">", i)
                if j == -1:
                    return None
                out.append("(?:")
                i = j + 1
                continue
            if pattern.startswith("(?", i) and not pattern.startswith("(?:", i):
                return None  # inline flags, atomic groups, conditionals, comments, references
            out.append(c)
            i += 1
            continue
        if c in "^$":
            i += 1
            continue
        if c == "{":
            j = pattern.find("}", i)
            if j == -1 or not all(ch.isdigit() or ch == "," for ch in pattern[i + 1 : j]):
                return None  # fuzzy matching {e<=1}, or a literal brace the engines read differently
            if out and out[-1] == ANY and pattern[i : j + 1].endswith(",}"):
                return None  # any character, unbounded
            out.append(pattern[i : j + 1])
            i = j + 1
            if i < n and pattern[i] == "+":
                return None  # possessive
            continue
        if c in "*+?" and i + 1 < n and pattern[i + 1] == "+":
            return None  # possessive
        if c in "*+" and out and out[-1] == ANY:
            return None  # any character, unbounded: it would end almost everywhere
        out.append(c)
        i += 1
    return "".join(out)


def _tokens(form: str) -> list[tuple[str, str, int]] | None:
    """A form (``prefilter_form``) as its top-level pieces: (atom, quantifier, fewest repeats); "|" alone."""
    out: list[tuple[str, str, int]] = []
    i, n = 0, len(form)
    while i < n:
        c = form[i]
        if c == "\\":
            j = form.find("}", i) + 1 if form.startswith("\\x{", i) else i + 2
        elif c == "[":
            j = _class_end(form, i)
        elif c == "(":
            j = _group_end(form, i)
        else:
            j = i + 1
        if j <= i:
            return None
        atom, i = form[i:j], j
        if atom == "|":
            out.append((atom, "", 1))
            continue
        q, least = "", 1
        if i < n and form[i] in "*+?{":
            if form[i] == "{":
                j = form.find("}", i) + 1
                q = form[i:j]
                least = int(q[1:-1].split(",")[0] or 0)
            else:
                q, least = form[i], 0 if form[i] in "*?" else 1
            i += len(q)
            if i < n and form[i] == "?":  # lazy: the same repeats
                q += "?"
                i += 1
        out.append((atom, q, least))
    return out


def _branches(tokens: list[tuple[str, str, int]]) -> list[list[tuple[str, str, int]]]:
    out: list[list[tuple[str, str, int]]] = [[]]
    for t in tokens:
        if t[0] == "|":
            out.append([])
        else:
            out[-1].append(t)
    return out


def _least(tokens: list[tuple[str, str, int]]) -> int:
    """The fewest characters the pieces match (a group: its lightest branch)."""
    total = 0
    for atom, _, least in tokens:
        if not least:
            continue
        width = 1
        if atom.startswith("(") and atom != ANY:
            inner = _tokens(atom[3:-1] if atom.startswith("(?:") else atom[1:-1])
            width = 0 if inner is None else min(_least(b) for b in _branches(inner))
        total += width * least
    return total


def trimmed(form: str, *, keep_end: bool = False) -> str:
    """``form`` without the pieces at its edges that may match nothing (``[^，。]*``, ``的?``, ``.{0,8}``).

    Whatever the form matches contains a match of what is left, so the test "does a match lie inside this
    window" loses nothing; the trimmed form ends far less often ("警惕[^，。]*" ended after every character
    up to the next comma), so a page's index is smaller. ``keep_end`` trims the start only: an exemption
    asks where a match overlapping the hit may *end*, which the trailing pieces decide.
    """
    tokens = _tokens(form)
    if tokens is None:
        return form
    out = []
    for branch in _branches(tokens):
        while len(branch) > 1 and not _least(branch[:1]) and _least(branch[1:]):
            branch = branch[1:]
        while not keep_end and len(branch) > 1 and not _least(branch[-1:]) and _least(branch[:-1]):
            branch = branch[:-1]
        if len(branch) == 1 and not branch[0][1] and branch[0][0].startswith("(?:"):
            branch = [("(?:" + trimmed(branch[0][0][3:-1], keep_end=keep_end) + ")", "", 1)]
        out.append("".join(atom + q for atom, q, _ in branch))
    return "|".join(out)


def widened(form: str) -> str:
    """``form`` with its bounded repeats made unbounded (``[^，。]{0,15}`` as ``[^，。]*``, ``x{5,}`` as ``x+``),
    except a repeat of anything holding a dot or any character (it would end almost everywhere).

    Only more strings match, so wherever the form matched, the widened form matches too. Hyperscan runs some
    bounded repeats slowly in prefilter mode: the form of one prize pattern of the default libraries (up to 15
    characters, then an amount of five digits or more, then 元) made the scan of dense pages some 60 % slower,
    and reported more places than its widened form does."""
    tokens = _tokens(form)
    if tokens is None:
        return form
    out = []
    for atom, q, least in tokens:
        if atom.startswith("(") and atom != ANY:
            atom = "(?:" + widened(atom[3:-1] if atom.startswith("(?:") else atom[1:-1]) + ")"
        if q.startswith("{") and ANY not in atom and "." not in atom:  # a dot even in a set: cautious
            q = "+" if least else "*"
        out.append(atom + q)
    return "".join(out)


@functools.cache
def _min_width(pattern: str) -> int:
    """The fewest characters a match of ``pattern`` takes (0 when unknown). A pattern one character
    can satisfy (``不|无法``) may end almost anywhere on a page: a first test would cost more than it saves."""
    try:
        return sre_parse.parse(pattern).getwidth()[0]
    except Exception:  # syntax of the ``regex`` module that ``re`` does not read
        return 0


@functools.cache
def _compiles(pattern: str) -> bool:
    """Whether Hyperscan takes the pattern in prefilter mode (it refuses, for one, a pattern matching nothing)."""
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    try:
        db.compile(expressions=[pattern.encode("utf-8")], ids=[0], elements=1, flags=[_FLAGS])
    except Exception:  # hyperscan.error: unsupported syntax, matches the empty string, too large
        return False
    return True


# --------------------------------------------------------------------------- first characters

_ZERO_WIDTH = (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT)
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT)
FIRST_WIDEST = 200  # code points a first-character class may hold: a wider one would pass nearly every window


def _first(items: Any) -> tuple[set[tuple[int, int]] | None, bool]:
    """The characters a match of the parsed ``items`` can begin with, as (lo, hi) ranges (None: any character),
    and whether the items can match nothing at all. Zero-width assertions are passed over (fewer constraints)."""
    out: set[tuple[int, int]] = set()
    for op, av in items:
        if op is sre_constants.LITERAL:
            out.add((av, av))
            return out, False
        if op is sre_constants.IN:
            for kind, value in av:
                if kind is sre_constants.LITERAL:
                    out.add((value, value))
                elif kind is sre_constants.RANGE:
                    out.add(value)
                else:  # a negated set or a category (\d, \w …): any character
                    return None, False
            return out, False
        if op in _ZERO_WIDTH:
            continue
        if op is sre_constants.SUBPATTERN:
            if av[1] & sre_constants.SRE_FLAG_IGNORECASE:
                return None, False
            first, empty = _first(av[3])
        elif op is sre_constants.BRANCH:
            first, empty = set(), False
            for branch in av[1]:
                more, may_be_empty = _first(branch)
                if more is None:
                    return None, False
                first |= more
                empty = empty or may_be_empty
        elif op in _REPEATS:
            least, most, item = av
            if most == 0:
                continue
            first, empty = _first(item)
            empty = empty or least == 0
        else:  # any character, a back-reference, a conditional …
            return None, False
        if first is None:
            return None, False
        out |= first
        if not empty:
            return out, False
    return out, True


@functools.lru_cache(maxsize=20_000)  # per process, as ``patterns.compile_pattern``
def first_chars(pattern: str) -> re.Pattern | None:
    """A ``re`` class of every character a match of ``pattern`` can begin with; None when unknown or too wide.

    A first test for a library pattern the index does not take (one character can satisfy it: "(?:不|非)$|谨防"):
    a window holding none of these characters cannot hold a match, and the call — a timed ``regex`` call, several
    microseconds even when it finds nothing — is skipped. Only patterns of the subset ``prefilter_form`` reads
    (where ``re`` and ``regex`` agree), without case folding, that cannot match the empty string.
    """
    if prefilter_form(pattern) is None:
        return None
    try:
        parsed = sre_parse.parse(pattern)
    except Exception:  # syntax of the ``regex`` module that ``re`` does not read
        return None
    if parsed.state.flags & (sre_constants.SRE_FLAG_IGNORECASE | sre_constants.SRE_FLAG_LOCALE):
        return None
    first, empty = _first(parsed)
    if first is None or empty or sum(hi - lo + 1 for lo, hi in first) > FIRST_WIDEST:
        return None
    ranges = sorted(first)
    return re.compile(
        "["
        + "".join(re.escape(chr(lo)) + ("-" + re.escape(chr(hi)) if hi > lo else "") for lo, hi in ranges)
        + "]"
    )


# --------------------------------------------------------------------------- the page index

_FLAGS = (hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP | hyperscan.HS_FLAG_PREFILTER) if hyperscan else 0


class PageIndex:
    """Where on one page each pattern may end (code points), for ``may_match``."""

    __slots__ = ("_ends", "_always", "_somewhere")

    def __init__(self, ends: dict[int, list[int]] | None, always: frozenset[int] = frozenset()):
        self._ends = ends  # None: no prefilter; every call runs
        self._always = always  # patterns Hyperscan refused: they always run
        # The patterns that may match somewhere on the page: those refused, and those with an end here (``ends``
        # holds no empty list); None when every pattern may.
        self._somewhere = None if ends is None else always | ends.keys()

    def anywhere(self, pid: int | None) -> bool:
        """Whether a match of pattern ``pid`` may lie anywhere on the page: when not, ``may_match`` is False
        for every window, and a caller may skip the pattern at once."""
        return pid is None or self._somewhere is None or pid in self._somewhere

    def may_match(self, pid: int | None, lo: int, hi: int) -> bool:
        """Whether a match of pattern ``pid`` may lie inside ``[lo, hi)`` (non-empty: it ends in ``(lo, hi]``)."""
        if pid is None or self._ends is None or pid in self._always:
            return True
        ends = self._ends.get(pid)
        if not ends:
            return False
        i = bisect_left(ends, lo + 1)
        return i < len(ends) and ends[i] <= hi


NO_INDEX = PageIndex(None)


@functools.lru_cache(maxsize=1 << 14)
def _index_form(pattern: str, keep_end: bool) -> str | None:
    """The form of ``pattern`` the page index compiles, or None when it cannot be prefiltered; kept per
    process, since every engine built from the same libraries asks for the same few thousand patterns."""
    if _min_width(pattern) < 2:
        return None
    form = prefilter_form(pattern)
    return None if form is None else widened(trimmed(form, keep_end=keep_end))


class Prefilter:
    """The patterns of every library, one id each; ``index(text)`` scans a page once for all of them."""

    def __init__(self, *, enabled: bool | None = None):
        self.enabled = hyperscan is not None if enabled is None else enabled and hyperscan is not None
        self._ids: dict[tuple[str, bool], int | None] = {}
        self._forms: list[str] = []  # by id: the form Hyperscan compiles
        self._refused: frozenset[int] = frozenset()  # ids whose form Hyperscan did not take: always run
        self._missed: int | None = None  # the id of ``missed()``: a page where it matches gets no index
        self._db = None
        self._local = threading.local()

    def add(self, pattern: str, *, keep_end: bool = False) -> int | None:
        """The id that ``PageIndex.may_match`` takes for ``pattern``; None when it cannot be prefiltered.

        ``may_match(pid, lo, hi)`` then says whether a match may lie inside ``[lo, hi)``; with ``keep_end``
        it says, more strictly, whether a match may end in ``(lo, hi]`` (for a match that only has to
        overlap the window, as an exemption overlaps its hit)."""
        key = (pattern, keep_end)
        if key in self._ids:
            return self._ids[key]
        pid = None
        form = _index_form(pattern, keep_end) if self.enabled else None
        if form is not None:  # whether Hyperscan takes it is known when all are compiled (``build``)
            pid = len(self._forms)
            self._forms.append(form)
        self._ids[key] = pid
        return pid

    def first(self, pattern: str) -> re.Pattern | None:
        """``first_chars(pattern)`` when first tests are on, else None (every call runs)."""
        return first_chars(pattern) if self.enabled else None

    def build(self) -> Prefilter:
        if not self._forms or self._db is not None:
            return self
        # The characters the forms' \d and \s leave out, as one more pattern: where it matches, the page gets
        # no index (``index``).
        self._missed = len(self._forms)
        self._forms.append(missed())
        # All at once first (one compile is far cheaper than one per pattern); only when Hyperscan refuses
        # the set are the forms tried one by one, and the ones it refuses are always run.
        ids = list(range(len(self._forms)))
        for attempt in range(2):
            try:
                self._db = compiled_database(
                    [self._forms[i].encode("utf-8") for i in ids], [_FLAGS] * len(ids), ids=ids
                )
                return self
            except Exception:
                if attempt:
                    break  # together too large for the library: every call runs, as without it
                ids = [i for i in ids if _compiles(self._forms[i])]
                self._refused = frozenset(range(len(self._forms))) - frozenset(ids)
                if not ids or self._missed in self._refused:
                    break
        self._ids = {p: None for p in self._ids}
        self._forms, self._refused, self._missed, self._db = [], frozenset(), None, None
        return self

    def index(self, text: str, utf8: Utf8 | None = None) -> PageIndex:
        """Where on ``text`` each pattern may end (``utf8``: its bytes, when the caller has them already)."""
        if self._db is None:
            return NO_INDEX
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:  # one per thread, as for the literal matcher
            scratch = self._local.scratch = hyperscan.Scratch(self._db)
        if utf8 is None:
            utf8 = Utf8(text)
        found: list[tuple[int, int]] = []
        append = found.append

        def on_match(ident: int, start: int, end: int, flags: int, context: Any) -> None:
            append((ident, end))

        self._db.scan(utf8.raw, match_event_handler=on_match, scratch=scratch)
        ends: dict[int, list[int]] = {}
        if found:
            if not utf8.ascii:  # byte offsets → code points, all at once
                idents, byte_ends = zip(*found, strict=True)
                found = list(zip(idents, utf8.chars(byte_ends), strict=True))
            for ident, end in found:
                v = ends.get(ident)
                if v is None:
                    ends[ident] = [end]
                else:
                    v.append(end)
            if self._missed in ends:
                return NO_INDEX  # a character the forms' \d may not hold (``missed``): every call runs
            for v in ends.values():
                v.sort()
        return PageIndex(ends, self._refused)
