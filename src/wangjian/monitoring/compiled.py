"""A rule as the engine runs it: exemption patterns compiled, context joined by window, kinds split.

A library's own patterns (``re:`` exclusions and context) are compiled by ``patterns`` and run with a
time limit; phrases and ``lexicon:`` lists are escaped here into ``re`` alternations that cannot
backtrack and run without the timing's cost. The exemptions of a hit are decided here too (``exemption``),
each own pattern within the page's regex budget (``timed``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from wangjian.core import textnorm
from wangjian.monitoring import lexicons, patterns, prefilter
from wangjian.monitoring.results import BUDGET, TIMEOUT, RegexProblem, ScanResult
from wangjian.monitoring.rulefile import Exemption, RuleSpec

AnyPattern = re.Pattern | patterns.Pattern


def _exemption_regex(ex: Exemption) -> AnyPattern:
    """A ``re:`` exemption is the library's own pattern (``regex``, run with a time limit); a phrase is
    escaped here, cannot backtrack, and runs in ``re`` without the timing's cost — and so does a
    ``lexicon:`` of phrases, as one alternation, longest first."""
    if ex.is_regex:
        return patterns.compile_pattern(ex.pattern[3:])
    if lexicons.is_reference(ex.pattern):
        words = {textnorm.normalize_term(w) for w in lexicons.expand([ex.pattern])} - {""}
        return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    return re.compile(re.escape(textnorm.normalize_term(ex.pattern)))


def untimed(rx: AnyPattern) -> bool:
    return isinstance(rx, re.Pattern)


@dataclass
class CompiledRule:
    spec: RuleSpec
    library: str
    kinds: set[str] | None
    not_kinds: set[str]
    version: str
    version_id: int | None
    exclusions: list[tuple[AnyPattern, Exemption]]
    context: list[tuple[AnyPattern, Exemption]]
    near: re.Pattern | None
    near_within: int
    absent: list[str]
    regexes: list[patterns.Pattern]
    anchors: list[str]
    context_groups: list[ContextGroup] = field(default_factory=list)
    any_exclusion: patterns.Pattern | None = (
        None  # the ``re:`` exclusions joined: none matches → none applies
    )
    # Prefilter ids (``prefilter.Prefilter``) of the library's own patterns, set by the engine: one per
    # exclusion, per context group's ``re:`` part and per regex; None where a pattern is always run.
    exclusion_pids: list[int | None] = field(default_factory=list)
    context_pids: list[int | None] = field(default_factory=list)
    regex_pids: list[int | None] = field(default_factory=list)

    def applies_to(self, kind: str) -> bool:
        if kind in self.not_kinds:
            return False
        return self.kinds is None or kind in self.kinds


ContextGroup = tuple[int, int, "re.Pattern | None", "patterns.Pattern | None", list[Exemption]]


def _context_groups(context: list[Exemption]) -> list[ContextGroup]:
    """Context exemptions with the same window, joined into one regex (``m.lastgroup`` names which):
    the phrases into one ``re`` alternation, the library's ``re:`` patterns into one run with a time
    limit; of their matches the leftmost wins, and at the same place the one listed first, as in
    one alternation."""
    groups: dict[tuple[int, int], list[Exemption]] = {}
    for ex in context:
        groups.setdefault((ex.before, ex.after), []).append(ex)
    out: list[ContextGroup] = []
    for (before, after), items in groups.items():
        phrases = "|".join(
            f"(?P<c{i}>{_exemption_regex(ex).pattern})" for i, ex in enumerate(items) if not ex.is_regex
        )
        own = "|".join(f"(?P<c{i}>{ex.pattern[3:]})" for i, ex in enumerate(items) if ex.is_regex)
        out.append(
            (
                before,
                after,
                re.compile(phrases) if phrases else None,
                patterns.compile_pattern(own) if own else None,
                items,
            )
        )
    return out


_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=")


def _any_exclusion(spec: RuleSpec) -> patterns.Pattern | None:
    """The rule's ``re:`` exclusions as one alternation, a quick first test: if it finds nothing near a
    hit, none of them can (each would have matched somewhere the alternation looks). Only worth it for
    two or more; not built when a pattern refers back to its own groups, which joining would renumber."""
    own = [ex.pattern[3:] for ex in spec.exclusions if ex.is_regex]
    if len(own) < 2 or any(_BACKREFERENCE.search(p) for p in own):
        return None
    try:
        return patterns.compile_pattern("|".join(f"(?:{p})" for p in own))
    except (patterns.error, ValueError, OverflowError):
        return None


def leftmost(a: Any, b: Any) -> Any:
    """Of two matches (or None), the one an alternation of both would have found."""
    if a is None or b is None:
        return a if b is None else b
    return min(a, b, key=lambda m: (m.start(), int(m.lastgroup[1:])))


def compile_rule(
    spec: RuleSpec, library: str, version: str = "", version_id: int | None = None
) -> CompiledRule:
    kinds = {k for k in spec.product_kinds if not k.startswith("!")}
    not_kinds = {k[1:] for k in spec.product_kinds if k.startswith("!")}
    near = None
    if spec.near and spec.near.terms:
        near = re.compile(
            "|".join(
                re.escape(textnorm.normalize_term(t)) for t in lexicons.expand(spec.near.terms) if t.strip()
            )
        )
    return CompiledRule(
        spec=spec,
        library=library,
        version=version,
        version_id=version_id,
        kinds=kinds or None,
        not_kinds=not_kinds,
        exclusions=[(_exemption_regex(e), e) for e in spec.exclusions],
        context=[(_exemption_regex(e), e) for e in spec.context],
        near=near,
        near_within=spec.near.within if spec.near else 0,
        absent=[textnorm.normalize_term(a) for a in spec.absent],
        regexes=[patterns.compile_pattern(r) for r in lexicons.expand(spec.regexes)],
        anchors=[textnorm.normalize_term(a) for a in lexicons.expand(spec.anchors)],
        context_groups=_context_groups(spec.context),
        any_exclusion=_any_exclusion(spec),
    )


# --------------------------------------------------------------------------- exemptions, as a scan decides them

EXEMPTION_WINDOW = 40

# A rule's own patterns as a scan runs them (``checks``): exclusions (pattern, exemption, prefilter id, untimed,
# first test), context groups (before, after, phrases, own patterns, exemptions, prefilter id, first test) and
# regexes (pattern, prefilter id, first test).
RuleChecks = tuple[list[tuple], list[tuple], list[tuple]]


def checks(rule: CompiledRule, first: Callable[[str], re.Pattern | None]) -> RuleChecks:
    """The rule's patterns with their prefilter ids (``CompiledRule.*_pids``), worked out once per engine. A
    pattern the index does not take gets a first test of the characters its matches begin with (``first``:
    ``Prefilter.first``), where one is known."""
    return (
        [
            (rx, ex, pid, untimed(rx), None if untimed(rx) or pid is not None else first(rx.pattern))
            for (rx, ex), pid in zip(rule.exclusions, rule.exclusion_pids, strict=True)
        ],
        [
            (*group, pid, None if group[3] is None or pid is not None else first(group[3].pattern))
            for group, pid in zip(rule.context_groups, rule.context_pids, strict=True)
        ],
        [
            (rx, pid, None if pid is not None else first(rx.pattern))
            for rx, pid in zip(rule.regexes, rule.regex_pids, strict=True)
        ],
    )


T = TypeVar("T")


def budget() -> patterns.Budget:
    """The regex time one scan may spend, from the limits in force."""
    limits = patterns.limits()
    return patterns.Budget(limits.page_budget, limits.timeout)


def quiet_search(rx: patterns.Pattern, t: str, w0: int, w1: int, budget: patterns.Budget) -> bool | None:
    """Whether ``rx`` matches in ``t[w0:w1]``, within the page's budget; None when it could not tell.

    A first test, not a rule's own pattern: running out of time is not reported (the patterns it joins
    are then tried one by one, and those are reported as usual), but the time is counted.
    """
    left = budget.left
    if left <= 0:
        return None
    started = time.perf_counter()
    try:
        return rx.search(t, w0, w1, timeout=min(budget.per_call, left)) is not None
    except TimeoutError:
        return None
    finally:
        budget.left = left - (time.perf_counter() - started)


def timed(
    result: ScanResult,
    budget: patterns.Budget,
    rule: CompiledRule,
    rx: patterns.Pattern,
    where: str,
    call: Callable[[float], T],
) -> T | None:
    """``call(timeout)`` within the page's budget; None, with the problem reported once, when it does not finish."""
    left = budget.left
    if left > 0:
        limit = budget.per_call if budget.per_call < left else left
        started = time.perf_counter()
        try:
            return call(limit)
        except TimeoutError:
            reason = TIMEOUT if limit >= budget.per_call else BUDGET
        finally:
            budget.left = left - (time.perf_counter() - started)
    else:
        reason = BUDGET
    spec = rule.spec
    problem = RegexProblem(
        spec.code, spec.name, rule.library, rule.version, rule.version_id, rx.pattern, where, reason
    )
    if problem not in result.regex_problems:
        result.regex_problems.append(problem)
    return None


def page_checks(checks: RuleChecks, index: prefilter.PageIndex) -> tuple[list, list]:
    """The rule's exemptions that may apply somewhere on this page: its phrases, and those of its own patterns
    that the page's index does not rule out everywhere (the others would be skipped at every hit)."""
    exclusions, contexts, _ = checks
    anywhere = index.anywhere
    return (
        [c for c in exclusions if c[3] or anywhere(c[2])],
        [c for c in contexts if c[2] is not None or (c[3] is not None and anywhere(c[5]))],
    )


def exemption(
    rule: CompiledRule,
    applicable: tuple[list, list],
    t: str,
    s: int,
    e: int,
    result: ScanResult,
    budget: patterns.Budget,
    index: prefilter.PageIndex = prefilter.NO_INDEX,
) -> tuple[str, str] | None:
    """The exemption that makes the hit lawful, or None. An exemption's pattern that does not
    finish is reported and exempts nothing: the hit stands for the officer to judge.

    ``applicable`` are the rule's exclusions and context groups that may apply on this page (``page_checks``).
    A first test (``prefilter.first_chars``) skips a pattern where none of its matches' first characters is."""
    exclusions, contexts = applicable
    if exclusions:
        w0, w1 = max(0, s - EXEMPTION_WINDOW), min(len(t), e + EXEMPTION_WINDOW)
        # Which of the library's own patterns may match here: a match overlapping the hit ends in (s, w1].
        may_match = index.may_match
        maybe = [plain or may_match(pid, s, w1) for _, _, pid, plain, _ in exclusions]
        joined = rule.any_exclusion
        none_near = (
            joined is not None
            and sum(1 for c, m in zip(exclusions, maybe, strict=True) if m and not c[3]) > 1
            and quiet_search(joined, t, w0, w1, budget) is False
        )
        for (rx, ex, _, plain, first), may in zip(exclusions, maybe, strict=True):
            if plain:
                found = rx.finditer(t, w0, w1)
            elif none_near or not may or (first is not None and first.search(t, w0, e) is None):
                continue  # none near; none can end here; none can begin before the hit's end
            else:
                found = timed(
                    result,
                    budget,
                    rule,
                    rx,
                    "exclusion",
                    lambda limit, rx=rx: list(rx.finditer(t, w0, w1, timeout=limit)),
                )
            for m in found or ():
                if m.start() < e and m.end() > s:
                    return ex.pattern, ex.reason or "豁免：" + m.group(0)
    n = len(t)
    may_match = index.may_match
    for before, after, plain, own, items, pid, first in contexts:
        # Context lies beside the hit, never inside it ("稳赚不赔" must not exempt itself by its "不").
        # Sliced so that "$" anchors at the hit in the text before it and "^" right after it: first the
        # window before the hit, then, when nothing was found there, the one after it. A window is only
        # searched where the group has phrases or the index lets its own patterns match there: else
        # ``_context_search`` would find nothing (most windows, on most pages).
        m = None
        if before:
            lo = s - before if s > before else 0
            if plain is not None or may_match(pid, lo, s):
                m = _context_search(rule, t, lo, s, plain, own, pid, first, result, budget, index)
        if m is None and after:
            hi = e + after if e + after < n else n
            if plain is not None or may_match(pid, e, hi):
                m = _context_search(rule, t, e, hi, plain, own, pid, first, result, budget, index)
        if m is not None:
            ex = items[int(m.lastgroup[1:])]
            return ex.pattern, ex.reason or "语境豁免：" + m.group(0)
    return None


def _context_search(
    rule: CompiledRule,
    t: str,
    lo: int,
    hi: int,
    plain: re.Pattern | None,
    own: patterns.Pattern | None,
    pid: int | None,
    first: re.Pattern | None,
    result: ScanResult,
    budget: patterns.Budget,
    index: prefilter.PageIndex,
) -> Any:
    """The first match of a context group in the window ``t[lo:hi]`` (sliced), or None: its phrases, and its own
    patterns within the page's budget where the index and the first test let them match."""
    m = plain.search(t[lo:hi]) if plain is not None else None
    if (
        own is not None
        and index.may_match(pid, lo, hi)
        and (first is None or first.search(t, lo, hi) is not None)
    ):
        text = t[lo:hi]
        m = leftmost(
            m,
            timed(
                result,
                budget,
                rule,
                own,
                "context",
                lambda limit: own.search(text, timeout=limit),
            ),
        )
    return m
