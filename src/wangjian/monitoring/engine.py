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
from bisect import bisect_right
from operator import attrgetter

import ahocorasick

from wangjian.core import textnorm
from wangjian.monitoring import claims, compiled, lexicons, pinyin, prefilter
from wangjian.monitoring import similarity as similarity_
from wangjian.monitoring.compiled import CompiledRule, compile_rule, untimed
from wangjian.monitoring.kinds import PRODUCT_KIND_SIGNS, KindInference, infer_product_kind
from wangjian.monitoring.matcher import LiteralMatcher, Utf8
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
REGEX_REACH = 60  # an anchored regex is tried within this many characters of an anchor
_OPEN_QUOTES, _CLOSE_QUOTES = "“「『‘\"'", "”」』’\"'"


_QUOTED = ("“…”", "引号内的提及，非使用")


def _quoted(t: str, s: int, e: int) -> tuple[str, str] | None:
    """A term in quotation marks is mentioned, not used (“最佳”等用语禁止使用): no violation."""
    if s > 0 and e < len(t) and t[s - 1] in _OPEN_QUOTES and t[e] in _CLOSE_QUOTES:
        return _QUOTED
    return None


def _by_start(c: tuple[int, int, str, str]) -> tuple[int, int]:
    """A rule's candidates in the order they are decided: by start, the longest first."""
    return c[0], -c[1]


_hit_order = attrgetter("start", "end", "rule")


def _split(payload: list[tuple[int, str, str]]) -> tuple[tuple, tuple, tuple]:
    """A key's payload as ``scan`` reads it, each part in the payload's order: the rules' terms (rule, term,
    channel), the rules whose anchor it is, and the claim words (claim group, word, channel)."""
    terms, anchors, words = [], [], []
    for idx, term, channel in payload:
        if channel == "anchor":
            anchors.append(idx)
        elif channel in claims.CHANNELS:
            words.append((idx, term, channel))
        else:
            terms.append((idx, term, channel))
    return tuple(terms), tuple(anchors), tuple(words)


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
            self.matcher.add(key, _split(payload))
        self.matcher.build()
        # The signs of the product kinds in the prefilter too: the page's index then says which of them may
        # match at all (a sign's form matches wherever the sign does), and inferring the kind searches only
        # those, in the same order (``infer_product_kind``'s ``possible``): the same kind and evidence.
        self._kind_pids = [self.prefilter.add(pattern) for _, pattern, _ in PRODUCT_KIND_SIGNS]
        self.prefilter.build()
        for key, payload in pinyins.items():
            self.pinyin_automaton.add_word(key, (len(key), payload))
        if pinyins:
            self.pinyin_automaton.make_automaton()
        self._has_patterns = bool(patterns)
        self._has_pinyin = bool(pinyins)
        # What a scan asks of each rule, worked out once: whether it names product kinds, whether a hit is
        # decided without a look around it, and its own patterns as the scan runs them (``compiled.checks``).
        self._kinded = [r.kinds is not None or bool(r.not_kinds) for r in self.rules]
        self._plain = [r.near is None and not r.exclusions and not r.context for r in self.rules]
        self._checks = [compiled.checks(r, self.prefilter.first) for r in self.rules]
        # Regex rules without anchors run on every page; the others only where an anchor was found (a scan takes
        # the union in rule order, the order the calls were always made in).
        self._unanchored = [idx for idx in self.regex_rules if not self.rules[idx].anchors]
        # A rule whose exemptions are all phrases (no pattern of the library's own, which the page's index may
        # rule out) has the same ``page_checks`` on every page: worked out once.
        self._static_checks: list[tuple[list, list] | None] = [
            compiled.page_checks(c, prefilter.NO_INDEX)
            if all(x[3] for x in c[0]) and all(x[2] is not None for x in c[1])
            else None
            for c in self._checks
        ]
        # The fields of a rule's hits that come from the rule, in the order of Hit's fields (``_hits``).
        self._hit_fields = [
            (
                r.spec.code,
                r.spec.name,
                r.spec.category,
                r.spec.severity,
                r.spec.legal_basis,
                r.spec.explanation,
                r.library,
                bool(r.absent),
                r.version,
                r.version_id,
            )
            for r in self.rules
        ]
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
        utf8 = Utf8(t)  # the page's bytes, for the literal matcher and the prefilter
        # Where the libraries' own patterns and the kind signs may match on this page (``prefilter``): taken
        # first, since the matcher's loop below may need the page's kind.
        index = self.prefilter.index(t, utf8)
        if product_kind:
            result._kind = KindInference(product_kind, False, "", "由调用方指定")
        else:
            result._kind_text = t  # inferred when a rule or a reader first needs it
            result._kind_signs = [index.anywhere(pid) for pid in self._kind_pids]
        rules = self.rules
        kinded = self._kinded
        allowed: dict[int, bool] = {}  # rule naming product kinds → whether it applies to this page's kind

        def applies(idx: int) -> bool:
            ok = allowed.get(idx)
            if ok is None:
                ok = allowed[idx] = rules[idx].applies_to(result.product_kind.kind)
            return ok

        # Candidates go straight to their rule (rule idx → [(norm start, norm end, term, channel)]), in the
        # order they are found: the literal matcher's, then the regexes', then the pinyin channel's.
        by_rule: dict[int, list[tuple[int, int, str, str]]] = {}
        n_candidates = 0  # every candidate, including those of rules for other product kinds
        anchors_seen: dict[int, list[int]] = {}  # rule → positions of its anchors
        parts: list[tuple[int, int, int, str, str]] = []  # claim group, start, end, word, channel
        claim_channels = claims.CHANNELS
        live: dict[int, bool] = {}  # claim group → whether one of its rules applies to this page's kind

        if self._has_patterns:
            # Each key's payload was split when the engine was built (``_split``): terms, anchors, claim words.
            for start, end, (terms, anchors, words) in self.matcher.find(t, utf8):
                if terms:
                    n_candidates += len(terms)
                    for idx, term, channel in terms:
                        if kinded[idx] and not applies(idx):
                            continue
                        items = by_rule.get(idx)
                        if items is None:
                            by_rule[idx] = [(start, end, term, channel)]
                        else:
                            items.append((start, end, term, channel))
                for idx in anchors:
                    seen = anchors_seen.get(idx)
                    if seen is None:
                        anchors_seen[idx] = [start]
                    else:
                        seen.append(start)
                for idx, term, channel in words:
                    ok = live.get(idx)
                    if ok is None:
                        ok = live[idx] = self._group_live(idx, result)
                    if ok:
                        parts.append((idx, start, end, term, channel))

        budget = compiled.budget()
        anywhere = index.anywhere
        regex_order = (
            sorted([*self._unanchored, *anchors_seen]) if anchors_seen else self._unanchored
        )  # rules without anchors, and those whose anchor the page holds, in rule order
        for idx in regex_order:
            rule = rules[idx]
            # A regex the page's index rules out everywhere is skipped at once (it would be skipped in every window).
            tried = [c for c in self._checks[idx][2] if anywhere(c[1])]
            if not tried:
                continue
            if not rule.anchors:
                windows = [(0, len(t))]
            else:
                # A match contains one of the rule's anchors: try the regexes only around them.
                windows = []
                for pos in sorted(anchors_seen[idx]):
                    w0, w1 = max(0, pos - REGEX_REACH), min(len(t), pos + REGEX_REACH)
                    if windows and w0 <= windows[-1][1]:
                        windows[-1] = (windows[-1][0], w1)
                    else:
                        windows.append((w0, w1))
            seen_spans: set[tuple[int, int]] = set()
            for rx, pid, first in tried:
                for w0, w1 in windows:
                    if not index.may_match(pid, w0, w1) or (
                        first is not None and first.search(t, w0, w1) is None
                    ):
                        continue  # none of the places where it could end (or begin) lies in the window
                    found = compiled.timed(
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
                            n_candidates += 1
                            if not kinded[idx] or applies(idx):
                                by_rule.setdefault(idx, []).append((span[0], span[1], m.group(0), "regex"))

        if (self._has_pinyin or self.initials or self.claim_initials) and _LATIN.search(t):
            for c in self._pinyin_candidates(norm):
                if c[4] in claim_channels:
                    parts.append(c)
                    continue
                n_candidates += 1
                idx = c[0]
                if not kinded[idx] or applies(idx):
                    by_rule.setdefault(idx, []).append(c[1:])
            if self.claim_initials:
                parts.extend(claims.initials(t, self.claim_initials))

        if parts:
            # Per claim group, its verbs and its objects (``claims.pair_parts``), each in the order found.
            parts_by_group: dict[int, tuple[list[claims.Part], list[claims.Part]]] = {}
            for gid, s, e, term, channel in parts:
                ok = live.get(gid)
                if ok is None:
                    ok = live[gid] = self._group_live(gid, result)
                if ok:
                    group = parts_by_group.get(gid)
                    if group is None:
                        group = parts_by_group[gid] = ([], [])
                    group[channel.startswith(claims.OBJECT)].append((s, e, term, channel))  # else a verb (v/)
            kind = result.product_kind.kind if parts_by_group else ""
            for gid, (verbs, objects) in parts_by_group.items():
                within, members = self.claim_groups[gid]
                found_claims, examined = claims.pair_parts(t, verbs, objects, within)
                result.examined += examined + len(verbs) + len(objects)
                if found_claims:
                    for idx in members:
                        if rules[idx].applies_to(kind):
                            by_rule.setdefault(idx, []).extend(found_claims)
        result.examined += n_candidates

        n = len(t)
        plain_rules = self._plain
        checks: dict[int, tuple[list, list]] = {}  # rule → its exemptions that may apply on this page
        # Findings and suppressed candidates as (rule, start, end, term, channel, exemption, reason) in the order
        # decided; made into hits all at once below (``_hits``: the offsets mapped back for the whole page).
        findings: list[tuple] = []
        suppressed: list[tuple] = []
        for idx, items in by_rule.items():
            rule = rules[idx]
            if rule.absent:
                present = next((a for a in rule.absent if a in t), None)
                if present is not None:
                    s, e, term, channel = min(items)
                    suppressed.append((idx, s, e, term, channel, present, "文中已标明：" + present))
                    continue
                items = [min(items)]  # one finding per page for a missing statement
            kept: list[tuple[int, int, str, str]] = []
            plain = plain_rules[idx]
            near = rule.near
            last = (-1, -1)
            if len(items) > 1:
                items = sorted(items, key=_by_start)
            for s, e, term, channel in items:
                if (s, e) == last:
                    continue  # the same characters again (高血压 and 血压 after one verb): decided already
                last = (s, e)
                if plain:
                    # A term in quotation marks is mentioned, not used (``_quoted``), inlined: most hits pass here.
                    if s > 0 and e < n and t[s - 1] in _OPEN_QUOTES and t[e] in _CLOSE_QUOTES:
                        suppressed.append((idx, s, e, term, channel, *_QUOTED))
                    elif kept and s < kept[-1][1]:
                        kept[-1] = (kept[-1][0], max(kept[-1][1], e), kept[-1][2], kept[-1][3])
                    else:
                        kept.append((s, e, term, channel))
                    continue
                if near is not None:
                    # The condition word must stand beside the hit, not inside it.
                    if (
                        near.search(t, max(0, s - rule.near_within), s) is None
                        and near.search(t, e, min(n, e + rule.near_within)) is None
                    ):
                        continue
                page_checks = checks.get(idx)
                if page_checks is None:
                    page_checks = checks[idx] = self._static_checks[idx] or compiled.page_checks(
                        self._checks[idx], index
                    )
                exemption = (
                    compiled.exemption(rule, page_checks, t, s, e, result, budget, index)
                    if page_checks[0] or page_checks[1]
                    else None
                ) or _quoted(t, s, e)
                if exemption is not None:
                    suppressed.append((idx, s, e, term, channel, *exemption))
                    continue
                if kept and s < kept[-1][1]:  # overlaps the previous hit of the same rule: merge
                    ps, pe, pterm, pch = kept[-1]
                    kept[-1] = (ps, max(pe, e), pterm, pch)
                    continue
                kept.append((s, e, term, channel))
            for s, e, term, channel in kept:
                findings.append((idx, s, e, term, channel, "", ""))
        result.hits = self._hits(norm, findings)
        result.suppressed = self._hits(norm, suppressed)
        if self._claim_keys and result.hits:
            self._absorb_into_claims(result)
        if self._similar:
            result.suggestions = similarity_.signals(self.similarity, self._similar, norm, result)
        result.hits.sort(key=_hit_order)
        result.suppressed.sort(key=_hit_order)
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

    def _pinyin_candidates(self, norm: textnorm.Normalized) -> list[tuple[int, int, int, str, str]]:
        def capitalised(s: int, e: int) -> bool:
            os_, _ = norm.to_original(s, e)
            return norm.original[os_ : os_ + 1].isupper()

        return pinyin.candidates(
            norm.text, self.pinyin_automaton, self._has_pinyin, self.initials, capitalised
        )

    def _hits(self, norm: textnorm.Normalized, decided: list[tuple]) -> list[Hit]:
        """Hits, in the order given, of (rule, norm start, norm end, term, channel, exemption, reason): each span's
        offsets in the original text are those of ``norm.to_original``, looked up for all of them at once."""
        if not decided:
            return []
        starts, ends = norm.to_original_many([d[1] for d in decided], [d[2] for d in decided])
        original = norm.original
        fields = self._hit_fields
        out = []
        for (idx, s, e, term, channel, exemption, reason), os_, oe in zip(decided, starts, ends, strict=True):
            code, name, category, severity, basis, why, library, absent, version, version_id = fields[idx]
            # Positional, in the order of Hit's fields (a hit is made for every finding and every exemption).
            out.append(
                Hit(
                    code,
                    name,
                    category,
                    severity,
                    basis,
                    why,
                    library,
                    os_,
                    oe,
                    original[os_:oe],
                    term,
                    "absent" if absent else channel,
                    s,
                    e,
                    exemption,
                    reason,
                    version,
                    version_id,
                )
            )
        return out


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
