"""A rule as the engine runs it: exemption patterns compiled, context joined by window, kinds split.

A library's own patterns (``re:`` exclusions and context) are compiled by ``patterns`` and run with a
time limit; phrases and ``lexicon:`` lists are escaped here into ``re`` alternations that cannot
backtrack and run without the timing's cost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from wangjian.core import textnorm
from wangjian.monitoring import lexicons, patterns
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
