"""The matching engine: rule libraries compiled into one Aho–Corasick automaton.

One pass of a pyahocorasick automaton over the normalised text finds every occurrence of
every term of every rule (and their homophone variants); a second, cheap look at a window
around each candidate decides it: the product kind, the proximity condition, and the
exemptions (SAMR 2023 绝对化用语执法指南: self-comparison, service attitude, usage tips such as
最佳赏味期, national-standard grades, names and trademarks, lawful awards, scoped rankings,
ordinals). Regular expressions run only where a rule asks for them and, when the rule gives
anchors, only in texts that contain an anchor; a library's patterns run with a time limit per
call and per page (``patterns``), and one that runs out is reported in ``ScanResult.regex_problems``
while the other rules go on. Pinyin spellings are matched in a separate channel over the
stretches where the seller mixed Latin letters with characters, typed syllables with spaces or
initials (``pinyin``). A rule's ``claim`` joins a claim verb and its object (a disease, a symptom)
found in the same pass into one hit (``claims``); long word lists come from ``lexicons``.

Every hit carries code-point offsets into the ORIGINAL text (``core.textnorm``), the
rule, its legal basis and — for a suppressed candidate — the exemption that decided it,
because an officer must see what the page said and why the machine flagged it or not.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_right
from collections.abc import Callable
from typing import TypeVar

import ahocorasick

from wangjian.core import textnorm
from wangjian.monitoring import claims, lexicons, patterns, pinyin, prefilter
from wangjian.monitoring import similarity as similarity_
from wangjian.monitoring.compiled import CompiledRule, compile_rule, leftmost, untimed
from wangjian.monitoring.kinds import PRODUCT_KIND_SIGNS, KindInference, infer_product_kind
from wangjian.monitoring.matcher import LiteralMatcher
from wangjian.monitoring.results import BUDGET, TIMEOUT, Hit, RegexProblem, ScanResult
from wangjian.monitoring.rulefile import LibrarySpec, RuleSpec

__all__ = [
    "BUDGET",
    "CompiledRule",
    "PRODUCT_KIND_SIGNS",
    "TIMEOUT",
    "Engine",
    "Hit",
    "KindInference",
    "RegexProblem",
    "ScanResult",
    "compile_rule",
    "default_engine",
    "default_libraries",
    "infer_product_kind",
]

_LATIN = re.compile("[a-z]")
_ALL_CJK = re.compile(f"^{textnorm.CJK_CLASS}+$")
EXEMPTION_WINDOW = 40
REGEX_REACH = 60  # an anchored regex is tried within this many characters of an anchor
_OPEN_QUOTES, _CLOSE_QUOTES = "“「『‘\"'", "”」』’\"'"


def _quoted(t: str, s: int, e: int) -> tuple[str, str] | None:
    """A term in quotation marks is mentioned, not used (“最佳”等用语禁止使用): no violation."""
    if s > 0 and e < len(t) and t[s - 1] in _OPEN_QUOTES and t[e] in _CLOSE_QUOTES:
        return "“…”", "引号内的提及，非使用"
    return None


T = TypeVar("T")


def _budget() -> patterns.Budget:
    limits = patterns.limits()
    return patterns.Budget(limits.page_budget, limits.timeout)


def _quiet_search(rx: patterns.Pattern, t: str, w0: int, w1: int, budget: patterns.Budget) -> bool | None:
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


def _timed(
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


class Engine:
    """Compiled rule libraries; ``scan(text)`` returns hits with offsets into the original text."""

    def __init__(
        self,
        libraries: list[LibrarySpec],
        *,
        first_test: bool = True,
        similarity: similarity_.Model | None = None,
    ):
        """``first_test=False`` runs every pattern call without the prefilter (the reference in tests);
        ``similarity`` adds the model's review signals (``ScanResult.suggestions``) for the categories
        these libraries cover."""
        self.libraries = libraries
        self.similarity = similarity
        self.rules: list[CompiledRule] = []
        self.matcher = LiteralMatcher()
        self.prefilter = prefilter.Prefilter(enabled=first_test)
        self.pinyin_automaton = ahocorasick.Automaton()
        self.initials: dict[str, list[tuple[int, str]]] = {}
        self.claim_initials: dict[str, list[tuple[int, str, str]]] = {}
        self.regex_rules: list[int] = []
        self.absent_rules: list[int] = []
        # Claim rules with the same words (MED-002 for foods, MED-006 for health foods: the same lexicons,
        # other exemptions) share one group: their words enter the automaton once and are paired once.
        self.claim_groups: list[tuple[int, list[int]]] = []  # (within, rule indexes)
        self._claim_keys: set[tuple[str, str]] = set()
        groups: dict[tuple, int] = {}
        patterns: dict[str, list[tuple[int, str, str]]] = {}
        pinyins: dict[str, list[tuple[int, str, str]]] = {}

        def add(idx: int, spec: RuleSpec, term: str, role: str = "") -> str:
            """One term (or claim word, ``role`` "v/" or "o/") in the automata: text, homophones, pinyin."""
            norm = textnorm.normalize_term(term)
            if not norm:
                return norm
            patterns.setdefault(norm, []).append((idx, norm, role + "text"))
            if spec.homophones:
                for v in textnorm.homophone_variants(norm):
                    patterns.setdefault(v, []).append((idx, norm, role + "homophone"))
            if spec.pinyin and len(norm) >= 2 and _ALL_CJK.match(norm):
                for py in pinyin.readings(norm):
                    if len(py) >= 4:
                        pinyins.setdefault(py, []).append((idx, norm, role + "pinyin"))
                if role:
                    key = textnorm.term_pinyin(norm, initials=True)
                    self.claim_initials.setdefault(key, []).append((idx, norm, role + "initials"))
                elif len(norm) >= 4:
                    self.initials.setdefault(textnorm.term_pinyin(norm, initials=True), []).append(
                        (idx, norm)
                    )
            return norm

        for lib in libraries:
            for spec in lib.rules:
                if not spec.enabled:
                    continue
                idx = len(self.rules)
                rule = compile_rule(spec, lib.name, lib.version, lib.version_id)
                self._prefilter_ids(rule)
                self.rules.append(rule)
                if rule.regexes:
                    self.regex_rules.append(idx)
                    for a in rule.anchors:
                        patterns.setdefault(a, []).append((idx, a, "anchor"))
                if rule.absent:
                    self.absent_rules.append(idx)
                for term in lexicons.expand(spec.terms):
                    add(idx, spec, term)
                if spec.claim:
                    self._claim_keys.add((lib.name, spec.code))
                    verbs, objects = lexicons.expand(spec.claim.verbs), lexicons.expand(spec.claim.objects)
                    key = (tuple(verbs), tuple(objects), spec.claim.within, spec.pinyin, spec.homophones)
                    gid = groups.get(key)
                    if gid is None:
                        gid = groups[key] = len(self.claim_groups)
                        self.claim_groups.append((spec.claim.within, []))
                        for term in verbs:
                            add(gid, spec, term, claims.VERB)
                        for term in objects:
                            add(gid, spec, term, claims.OBJECT)
                    self.claim_groups[gid][1].append(idx)
        # Every term, homophone, claim word and anchor of every rule in one literal matcher (Hyperscan
        # when installed, else an Aho–Corasick automaton over UTF-8 bytes): one pass over the page.
        for key, payload in patterns.items():
            self.matcher.add(key, payload)
        self.matcher.build()
        self.prefilter.build()
        for key, payload in pinyins.items():
            self.pinyin_automaton.add_word(key, (len(key), payload))
        if pinyins:
            self.pinyin_automaton.make_automaton()
        self._has_patterns = bool(patterns)
        self._has_pinyin = bool(pinyins)
        # The model's categories these libraries cover, each with the legal basis of its first rule.
        self._similar: dict[str, str] = {}
        if similarity is not None:
            for rule in self.rules:
                if rule.spec.category in similarity.categories and not rule.absent:
                    self._similar.setdefault(rule.spec.category, rule.spec.legal_basis)

    def _prefilter_ids(self, rule: CompiledRule) -> None:
        add = self.prefilter.add
        rule.exclusion_pids = [
            None if untimed(rx) else add(rx.pattern, keep_end=True) for rx, _ in rule.exclusions
        ]
        rule.context_pids = [
            None if own is None else add(own.pattern) for _, _, _, own, _ in rule.context_groups
        ]
        rule.regex_pids = [add(rx.pattern) for rx in rule.regexes]

    @property
    def size(self) -> int:
        return len(self.rules)

    # ------------------------------------------------------------------ scanning

    def scan(self, text: str, *, product_kind: str | None = None) -> ScanResult:
        norm = textnorm.normalize(text)
        t = norm.text
        result = ScanResult(text=norm.original, normalized=t)
        if product_kind:
            result._kind = KindInference(product_kind, False, "", "由调用方指定")
        else:
            result._kind_text = t  # inferred when a rule or a reader first needs it
        candidates: list[tuple[int, int, int, str, str]] = []  # rule idx, norm start, norm end, term, channel
        anchors_seen: dict[int, list[int]] = {}  # rule → positions of its anchors
        parts: list[tuple[int, int, int, str, str]] = []  # claim group, start, end, word, channel
        claim_channels = claims.CHANNELS
        live: dict[int, bool] = {}  # claim group → whether one of its rules applies to this page's kind

        if self._has_patterns:
            for start, end, payload in self.matcher.find(t):
                for idx, term, channel in payload:
                    if channel == "text":
                        candidates.append((idx, start, end, term, channel))
                    elif channel == "anchor":
                        anchors_seen.setdefault(idx, []).append(start)
                    elif channel in claim_channels:
                        ok = live.get(idx)
                        if ok is None:
                            ok = live[idx] = self._group_live(idx, result)
                        if ok:
                            parts.append((idx, start, end, term, channel))
                    else:
                        candidates.append((idx, start, end, term, channel))

        budget = _budget()
        index = self.prefilter.index(t) if self.regex_rules or self._has_patterns else prefilter.NO_INDEX
        for idx in self.regex_rules:
            rule = self.rules[idx]
            if not rule.anchors:
                windows = [(0, len(t))]
            elif idx in anchors_seen:
                # A match contains one of the rule's anchors: try the regexes only around them.
                windows = []
                for pos in sorted(anchors_seen[idx]):
                    w0, w1 = max(0, pos - REGEX_REACH), min(len(t), pos + REGEX_REACH)
                    if windows and w0 <= windows[-1][1]:
                        windows[-1] = (windows[-1][0], w1)
                    else:
                        windows.append((w0, w1))
            else:
                continue
            seen_spans: set[tuple[int, int]] = set()
            for rx, pid in zip(rule.regexes, rule.regex_pids, strict=True):
                for w0, w1 in windows:
                    if not index.may_match(pid, w0, w1):
                        continue  # none of the places where it could end lies in the window
                    found = _timed(
                        result,
                        budget,
                        rule,
                        rx,
                        "regex",
                        lambda limit, rx=rx, w0=w0, w1=w1: list(rx.finditer(t, w0, w1, timeout=limit)),
                    )
                    if found is None:
                        break  # reported; the rule's other patterns and the other rules still run
                    for m in found:
                        span = m.span()
                        if span[1] > span[0] and span not in seen_spans:
                            seen_spans.add(span)
                            candidates.append((idx, span[0], span[1], m.group(0), "regex"))

        if (self._has_pinyin or self.initials or self.claim_initials) and _LATIN.search(t):
            for c in self._pinyin_candidates(norm):
                (parts if c[4] in claim_channels else candidates).append(c)
            if self.claim_initials:
                parts.extend(claims.initials(t, self.claim_initials))

        by_rule: dict[int, list[tuple[int, int, str, str]]] = {}
        rules = self.rules
        for idx, s, e, term, channel in candidates:
            rule = rules[idx]
            if (rule.kinds is not None or rule.not_kinds) and not rule.applies_to(result.product_kind.kind):
                continue
            by_rule.setdefault(idx, []).append((s, e, term, channel))
        if parts:
            parts_by_group: dict[int, list[claims.Part]] = {}
            for gid, s, e, term, channel in parts:
                ok = live.get(gid)
                if ok is None:
                    ok = live[gid] = self._group_live(gid, result)
                if ok:
                    parts_by_group.setdefault(gid, []).append((s, e, term, channel))
            kind = result.product_kind.kind if parts_by_group else ""
            for gid, group_parts in parts_by_group.items():
                within, members = self.claim_groups[gid]
                found_claims, examined = claims.pair(t, group_parts, within)
                result.examined += examined + len(group_parts)
                if found_claims:
                    for idx in members:
                        if rules[idx].applies_to(kind):
                            by_rule.setdefault(idx, []).extend(found_claims)
        result.examined += len(candidates)

        for idx, items in by_rule.items():
            rule = self.rules[idx]
            if rule.absent:
                present = next((a for a in rule.absent if a in t), None)
                if present is not None:
                    s, e, term, channel = min(items)
                    result.suppressed.append(
                        self._hit(rule, norm, s, e, term, channel, present, "文中已标明：" + present)
                    )
                    continue
                items = [min(items)]  # one finding per page for a missing statement
            kept: list[tuple[int, int, str, str]] = []
            plain = rule.near is None and not rule.exclusions and not rule.context
            last = (-1, -1)
            for s, e, term, channel in (
                sorted(items, key=lambda x: (x[0], -x[1])) if len(items) > 1 else items
            ):
                if (s, e) == last:
                    continue  # the same characters again (高血压 and 血压 after one verb): decided already
                last = (s, e)
                if plain:
                    exemption = _quoted(t, s, e)
                    if exemption is not None:
                        result.suppressed.append(self._hit(rule, norm, s, e, term, channel, *exemption))
                    elif kept and s < kept[-1][1]:
                        kept[-1] = (kept[-1][0], max(kept[-1][1], e), kept[-1][2], kept[-1][3])
                    else:
                        kept.append((s, e, term, channel))
                    continue
                if rule.near is not None:
                    # The condition word must stand beside the hit, not inside it.
                    if (
                        rule.near.search(t, max(0, s - rule.near_within), s) is None
                        and rule.near.search(t, e, min(len(t), e + rule.near_within)) is None
                    ):
                        continue
                exemption = self._exemption(rule, t, s, e, result, budget, index) or _quoted(t, s, e)
                if exemption is not None:
                    result.suppressed.append(self._hit(rule, norm, s, e, term, channel, *exemption))
                    continue
                if kept and s < kept[-1][1]:  # overlaps the previous hit of the same rule: merge
                    ps, pe, pterm, pch = kept[-1]
                    kept[-1] = (ps, max(pe, e), pterm, pch)
                    continue
                kept.append((s, e, term, channel))
            for s, e, term, channel in kept:
                result.hits.append(self._hit(rule, norm, s, e, term, channel))
        if self._claim_keys and result.hits:
            self._absorb_into_claims(result)
        if self._similar:
            result.suggestions = similarity_.signals(self.similarity, self._similar, norm, result)
        result.hits.sort(key=lambda h: (h.start, h.end, h.rule))
        result.suppressed.sort(key=lambda h: (h.start, h.end, h.rule))
        return result

    def _group_live(self, gid: int, result: ScanResult) -> bool:
        members = self.claim_groups[gid][1]
        if all(self.rules[i].kinds is None and not self.rules[i].not_kinds for i in members):
            return True
        kind = result.product_kind.kind
        return any(self.rules[i].applies_to(kind) for i in members)

    def _absorb_into_claims(self, result: ScanResult) -> None:
        """A hit lying inside a claim of the same category ("治疗" inside "治疗糖尿病") is one finding, not
        two: the claim stands, the word alone is recorded among the suppressed with the claim that took it."""
        keys = self._claim_keys
        spans: dict[str, list[tuple[int, int, Hit]]] = {}
        for h in result.hits:
            if (h.library, h.rule) in keys:
                spans.setdefault(h.category, []).append((h.norm_start, h.norm_end, h))
        if not spans:
            return
        merged: dict[str, tuple[list[int], list[tuple[int, int, Hit]]]] = {}
        for cat, items in spans.items():
            items.sort(key=lambda x: (x[0], -x[1]))
            out: list[tuple[int, int, Hit]] = []
            for s, e, h in items:
                if out and s < out[-1][1]:
                    if e > out[-1][1]:
                        out[-1] = (out[-1][0], e, out[-1][2])
                else:
                    out.append((s, e, h))
            merged[cat] = ([s for s, _, _ in out], out)
        kept: list[Hit] = []
        for h in result.hits:
            cover = None
            if (h.library, h.rule) not in keys and h.category in merged:
                starts, out = merged[h.category]
                i = bisect_right(starts, h.norm_start) - 1
                if i >= 0 and h.norm_end <= out[i][1]:
                    cover = out[i][2]
            if cover is None:
                kept.append(h)
                continue
            h.exemption = f"claim:{cover.rule}"
            h.exemption_reason = f"已并入宣称结构命中 {cover.rule}（{cover.term}）"
            result.suppressed.append(h)
        result.hits = kept

    def _exemption(
        self,
        rule: CompiledRule,
        t: str,
        s: int,
        e: int,
        result: ScanResult,
        budget: patterns.Budget,
        index: prefilter.PageIndex = prefilter.NO_INDEX,
    ) -> tuple[str, str] | None:
        """The exemption that makes the hit lawful, or None. An exemption's pattern that does not
        finish is reported and exempts nothing: the hit stands for the officer to judge."""
        if rule.exclusions:
            w0, w1 = max(0, s - EXEMPTION_WINDOW), min(len(t), e + EXEMPTION_WINDOW)
            # Which of the library's own patterns may match here: a match overlapping the hit ends in (s, w1].
            maybe = [
                untimed(rx) or index.may_match(pid, s, w1)
                for (rx, _), pid in zip(rule.exclusions, rule.exclusion_pids, strict=True)
            ]
            joined = rule.any_exclusion
            none_near = (
                joined is not None
                and sum(1 for (rx, _), m in zip(rule.exclusions, maybe, strict=True) if m and not untimed(rx))
                > 1
                and _quiet_search(joined, t, w0, w1, budget) is False
            )
            for (rx, ex), may in zip(rule.exclusions, maybe, strict=True):
                if untimed(rx):
                    found = rx.finditer(t, w0, w1)
                elif none_near or not may:
                    continue
                else:
                    found = _timed(
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
        for (before, after, plain, own, items), pid in zip(
            rule.context_groups, rule.context_pids, strict=True
        ):
            # Context lies beside the hit, never inside it ("稳赚不赔" must not exempt itself by its "不").
            # Sliced so that "$" anchors at the hit in the text before it and "^" right after it.
            m = None
            for lo, hi, wanted in ((max(0, s - before), s, before), (e, min(len(t), e + after), after)):
                if m is not None or not wanted:
                    continue
                text = t[lo:hi]
                m = plain.search(text) if plain is not None else None
                if own is not None and index.may_match(pid, lo, hi):
                    m = leftmost(
                        m,
                        _timed(
                            result,
                            budget,
                            rule,
                            own,
                            "context",
                            lambda limit, own=own, text=text: own.search(text, timeout=limit),
                        ),
                    )
            if m is not None:
                ex = items[int(m.lastgroup[1:])]
                return ex.pattern, ex.reason or "语境豁免：" + m.group(0)
        return None

    def _pinyin_candidates(self, norm: textnorm.Normalized) -> list[tuple[int, int, int, str, str]]:
        def capitalised(s: int, e: int) -> bool:
            os_, _ = norm.to_original(s, e)
            return norm.original[os_ : os_ + 1].isupper()

        return pinyin.candidates(
            norm.text, self.pinyin_automaton, self._has_pinyin, self.initials, capitalised
        )

    def _hit(
        self,
        rule: CompiledRule,
        norm: textnorm.Normalized,
        s: int,
        e: int,
        term: str,
        channel: str,
        exemption: str = "",
        exemption_reason: str = "",
    ) -> Hit:
        os_, oe = norm.to_original(s, e)
        spec = rule.spec
        return Hit(
            rule=spec.code,
            rule_name=spec.name,
            category=spec.category,
            severity=spec.severity,
            legal_basis=spec.legal_basis,
            explanation=spec.explanation,
            library=rule.library,
            start=os_,
            end=oe,
            matched=norm.original[os_:oe],
            term=term,
            channel="absent" if rule.absent else channel,
            norm_start=s,
            norm_end=e,
            exemption=exemption,
            exemption_reason=exemption_reason,
            version=rule.version,
            version_id=rule.version_id,
        )


# --------------------------------------------------------------------------- default libraries


def default_library_paths() -> list:
    from importlib import resources

    base = resources.files("wangjian.monitoring") / "data"
    return sorted((p for p in base.iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name)


def default_libraries() -> list[LibrarySpec]:
    """The libraries written from the law that ship with wangjian (``monitoring/data/*.yaml``)."""
    from wangjian.monitoring.rulefile import load_yaml

    return [load_yaml(p.read_text(encoding="utf-8"), source=p.name) for p in default_library_paths()]


_default_engine: Engine | None = None


def default_engine() -> Engine:
    global _default_engine
    if _default_engine is None:
        _default_engine = Engine(default_libraries(), similarity=similarity_.default_model())
    return _default_engine
