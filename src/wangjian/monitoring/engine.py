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
stretches where the seller mixed Latin letters with characters.

Every hit carries code-point offsets into the ORIGINAL text (``core.textnorm``), the
rule, its legal basis and — for a suppressed candidate — the exemption that decided it,
because an officer must see what the page said and why the machine flagged it or not.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import ahocorasick

from wangjian.core import textnorm
from wangjian.monitoring import patterns
from wangjian.monitoring.choices import ProductKind
from wangjian.monitoring.rulefile import Exemption, LibrarySpec, RuleSpec

# --------------------------------------------------------------------------- product kinds

# Order matters: an approval number of a stricter regime wins (药品 before 保健食品 before 食品).
PRODUCT_KIND_SIGNS: list[tuple[str, str, str]] = [
    (ProductKind.DRUG, r"国药准字[hzsjbtf]?\d{8}|药品批准文号|(?<!非)处方药|国药证字", "药品批准文号/处方药"),
    (
        ProductKind.MEDICAL_DEVICE,
        r"[国省京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川贵云陕甘青蒙桂藏宁新]?械(?:注准|注进|注许|备)\d{4,}|医疗器械注册证|医疗器械备案",
        "医疗器械注册证编号/备案号",
    ),
    (
        ProductKind.HEALTH_FOOD,
        r"国食健(?:注|字)?g?\d{4,}|国食健字|卫食健字|食健备g?\d{4,}|保健食品批准|蓝帽子?标志|保健食品",
        "保健食品批准文号/备案号",
    ),
    (
        ProductKind.COSMETICS,
        r"国妆特字|国妆特进字|国妆备进|国妆网备进字|妆网备字|[\u4e00-\u9fff]g?妆备\d{4,}|化妆品",
        "化妆品注册/备案编号",
    ),
    (ProductKind.FOOD, r"sc\d{14}|食品生产许可证|食品经营许可证", "食品生产许可证编号"),
    (ProductKind.FINANCE, r"年化收益|理财产品|投资回报|收益率|私募|基金定投", "投资理财用语"),
    (ProductKind.EDUCATION, r"培训班|辅导班|考前培训|网课|学历提升|考证培训|题库|培训课程", "教育培训用语"),
]
_KIND_RES = [(k, re.compile(p), why) for k, p, why in PRODUCT_KIND_SIGNS]


@dataclass
class KindInference:
    kind: str
    inferred: bool
    evidence: str = ""
    reason: str = ""


def infer_product_kind(text: str, *, normalized: bool = False) -> KindInference:
    """The product kind a page is about, from approval numbers and regime words (国药准字, 械注准, 国食健注 …)."""
    t = text if normalized else textnorm.normalize(text).text
    for kind, rx, why in _KIND_RES:
        m = rx.search(t)
        if m:
            return KindInference(str(kind), True, m.group(0), why)
    return KindInference(str(ProductKind.GENERAL), True, "", "未发现特定商品类型标志，按普通商品")


# --------------------------------------------------------------------------- results


@dataclass(slots=True)
class Hit:
    rule: str
    rule_name: str
    category: str
    severity: str
    legal_basis: str
    explanation: str
    library: str
    start: int  # code-point offsets into the original text
    end: int
    matched: str
    term: str
    channel: str  # text / homophone / pinyin / initials / regex / absent
    norm_start: int = 0
    norm_end: int = 0
    exemption: str = ""  # for suppressed candidates: the pattern that exempted it
    exemption_reason: str = ""
    version: str = ""  # the library version that produced the hit ("advertising v3"; "" for a file)
    version_id: int | None = None

    def as_contract(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
            "matched": self.matched,
            "severity": self.severity,
            "legal_basis": self.legal_basis,
        }


TIMEOUT = "timeout"  # the pattern ran past its own time limit on this text
BUDGET = "budget"  # the page's regex time was spent (by this pattern or the ones before it)


@dataclass(frozen=True, slots=True)
class RegexProblem:
    """A library's pattern that did not finish on a text: reported, never silently dropped."""

    rule: str
    rule_name: str
    library: str
    version: str
    version_id: int | None
    pattern: str
    where: str  # regex / exclusion / context
    reason: str  # TIMEOUT or BUDGET

    @property
    def label(self) -> str:
        return f"{self.version or self.library} {self.rule}"

    def as_text(self) -> str:
        if self.reason == TIMEOUT:
            return (
                f"规则 {self.label} 的正则表达式超时，已跳过，其余规则照常运行：{self.pattern}"
                f" / rule {self.label}: regular expression timed out and was skipped; the other rules ran"
            )
        return (
            f"本页正则表达式用时已达上限，规则 {self.label} 未运行：{self.pattern}"
            f" / the page's regex time budget was spent; rule {self.label} was not run"
        )


@dataclass
class ScanResult:
    text: str
    normalized: str
    hits: list[Hit] = field(default_factory=list)
    suppressed: list[Hit] = field(default_factory=list)
    regex_problems: list[RegexProblem] = field(default_factory=list)
    _kind: KindInference | None = None
    _kind_text: str = ""

    @property
    def product_kind(self) -> KindInference:
        """The product kind given by the caller, or inferred from the page (once, when first needed)."""
        if self._kind is None:
            self._kind = infer_product_kind(self._kind_text, normalized=True)
        return self._kind

    @property
    def categories(self) -> set[str]:
        return {h.category for h in self.hits}

    @property
    def regex_timeouts(self) -> list[RegexProblem]:
        return [p for p in self.regex_problems if p.reason == TIMEOUT]


# --------------------------------------------------------------------------- compiled rules


AnyPattern = re.Pattern | patterns.Pattern


def _exemption_regex(ex: Exemption) -> AnyPattern:
    """A ``re:`` exemption is the library's own pattern (``regex``, run with a time limit); a phrase is
    escaped here, cannot backtrack, and runs in ``re`` without the timing's cost."""
    if ex.is_regex:
        return patterns.compile_pattern(ex.pattern[3:])
    return re.compile(re.escape(textnorm.normalize_term(ex.pattern)))


def _untimed(rx: AnyPattern) -> bool:
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


def _leftmost(a: Any, b: Any) -> Any:
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
            "|".join(re.escape(textnorm.normalize_term(t)) for t in spec.near.terms if t.strip())
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
        regexes=[patterns.compile_pattern(r) for r in spec.regexes],
        anchors=[textnorm.normalize_term(a) for a in spec.anchors],
        context_groups=_context_groups(spec.context),
    )


_LATIN_RUN = re.compile("[a-z]+")
_CJK_OR_LATIN = re.compile(f"{textnorm.CJK_CLASS}|[a-z]")
PINYIN_REACH = 8  # characters of CJK context taken on each side of the letters a seller typed


def _pinyin_windows(t: str) -> list[tuple[int, int]]:
    """Stretches of letters with up to ``PINYIN_REACH`` CJK characters around them ("zui佳", "bao本bao息")."""
    windows: list[tuple[int, int]] = []
    for m in _LATIN_RUN.finditer(t):
        ws, we = m.span()
        lo = ws
        while lo > 0 and ws - lo < PINYIN_REACH and _CJK_OR_LATIN.match(t, lo - 1):
            lo -= 1
        hi = we
        while hi < len(t) and hi - we < PINYIN_REACH and _CJK_OR_LATIN.match(t, hi):
            hi += 1
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(hi, windows[-1][1]))
        else:
            windows.append((lo, hi))
    return windows


_LATIN = re.compile("[a-z]")
_LATIN_WORD = re.compile("(?<![a-z])[a-z]{4,}(?![a-z])")
_ALL_CJK = re.compile(f"^{textnorm.CJK_CLASS}+$")
EXEMPTION_WINDOW = 40
REGEX_REACH = 60  # an anchored regex is tried within this many characters of an anchor
_OPEN_QUOTES, _CLOSE_QUOTES = "“「『‘\"'", "”」』’\"'"


def _bytes_to_chars(raw: bytes, found: list[tuple[int, int, Any]]) -> list[tuple[int, int, Any]]:
    """UTF-8 byte offsets → code-point offsets, decoding each stretch of the text once."""
    points = sorted({p for s, e, _ in found for p in (s, e)})
    to_char: dict[int, int] = {}
    prev_b = prev_c = 0
    for b in points:
        prev_c += len(raw[prev_b:b].decode("utf-8"))
        prev_b = b
        to_char[b] = prev_c
    return [(to_char[s], to_char[e], payload) for s, e, payload in found]


def _quoted(t: str, s: int, e: int) -> tuple[str, str] | None:
    """A term in quotation marks is mentioned, not used (“最佳”等用语禁止使用): no violation."""
    if s > 0 and e < len(t) and t[s - 1] in _OPEN_QUOTES and t[e] in _CLOSE_QUOTES:
        return "“…”", "引号内的提及，非使用"
    return None


T = TypeVar("T")


def _budget() -> patterns.Budget:
    limits = patterns.limits()
    return patterns.Budget(limits.page_budget, limits.timeout)


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

    def __init__(self, libraries: list[LibrarySpec]):
        self.libraries = libraries
        self.rules: list[CompiledRule] = []
        self.automaton = ahocorasick.Automaton()
        self.pinyin_automaton = ahocorasick.Automaton()
        self.initials: dict[str, list[tuple[int, str]]] = {}
        self.regex_rules: list[int] = []
        self.absent_rules: list[int] = []
        patterns: dict[str, list[tuple[int, str, str]]] = {}
        pinyins: dict[str, list[tuple[int, str]]] = {}

        for lib in libraries:
            for spec in lib.rules:
                if not spec.enabled:
                    continue
                idx = len(self.rules)
                rule = compile_rule(spec, lib.name, lib.version, lib.version_id)
                self.rules.append(rule)
                if rule.regexes:
                    self.regex_rules.append(idx)
                    for a in rule.anchors:
                        patterns.setdefault(a, []).append((idx, a, "anchor"))
                if rule.absent:
                    self.absent_rules.append(idx)
                for term in spec.terms:
                    norm = textnorm.normalize_term(term)
                    if not norm:
                        continue
                    patterns.setdefault(norm, []).append((idx, norm, "text"))
                    if spec.homophones:
                        for v in textnorm.homophone_variants(norm):
                            patterns.setdefault(v, []).append((idx, norm, "homophone"))
                    if spec.pinyin and len(norm) >= 2 and _ALL_CJK.match(norm):
                        py = textnorm.term_pinyin(norm)
                        if len(py) >= 4:
                            pinyins.setdefault(py, []).append((idx, norm))
                        if len(norm) >= 4:
                            self.initials.setdefault(textnorm.term_pinyin(norm, initials=True), []).append(
                                (idx, norm)
                            )
        # Keys are stored as UTF-8 bytes spelt in Latin-1: the automaton then branches over at most
        # 256 symbols per node instead of thousands of CJK characters, about three times faster, and
        # UTF-8 being self-synchronising a match of a whole key always starts on a character boundary.
        for key, payload in patterns.items():
            raw = key.encode("utf-8").decode("latin-1")
            self.automaton.add_word(raw, (len(raw), payload))
        if patterns:
            self.automaton.make_automaton()
        for key, payload in pinyins.items():
            self.pinyin_automaton.add_word(key, (len(key), payload))
        if pinyins:
            self.pinyin_automaton.make_automaton()
        self._has_patterns = bool(patterns)
        self._has_pinyin = bool(pinyins)

    @property
    def size(self) -> int:
        return len(self.rules)

    # ------------------------------------------------------------------ scanning

    def scan(self, text: str, *, product_kind: str | None = None) -> ScanResult:
        norm = textnorm.normalize(text)
        t = norm.text
        result = ScanResult(text=text, normalized=t)
        if product_kind:
            result._kind = KindInference(product_kind, False, "", "由调用方指定")
        else:
            result._kind_text = t  # inferred when a rule or a reader first needs it
        candidates: list[tuple[int, int, int, str, str]] = []  # rule idx, norm start, norm end, term, channel
        anchors_seen: dict[int, list[int]] = {}  # rule → positions of its anchors

        if self._has_patterns:
            raw = t.encode("utf-8")
            found = [
                (end_idx + 1 - length, end_idx + 1, payload)
                for end_idx, (length, payload) in self.automaton.iter(raw.decode("latin-1"))
            ]
            if found and len(raw) != len(t):
                found = _bytes_to_chars(raw, found)
            for start, end, payload in found:
                for idx, term, channel in payload:
                    if channel == "anchor":
                        anchors_seen.setdefault(idx, []).append(start)
                    else:
                        candidates.append((idx, start, end, term, channel))

        budget = _budget()
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
            for rx in rule.regexes:
                for w0, w1 in windows:
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

        if self._has_pinyin or self.initials:
            if _LATIN.search(t):
                candidates.extend(self._pinyin_candidates(t))

        by_rule: dict[int, list[tuple[int, int, str, str]]] = {}
        rules = self.rules
        for idx, s, e, term, channel in candidates:
            rule = rules[idx]
            if (rule.kinds is not None or rule.not_kinds) and not rule.applies_to(result.product_kind.kind):
                continue
            by_rule.setdefault(idx, []).append((s, e, term, channel))

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
            for s, e, term, channel in (
                sorted(items, key=lambda x: (x[0], -x[1])) if len(items) > 1 else items
            ):
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
                exemption = self._exemption(rule, t, s, e, result, budget) or _quoted(t, s, e)
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
        result.hits.sort(key=lambda h: (h.start, h.end, h.rule))
        result.suppressed.sort(key=lambda h: (h.start, h.end, h.rule))
        return result

    def _exemption(
        self, rule: CompiledRule, t: str, s: int, e: int, result: ScanResult, budget: patterns.Budget
    ) -> tuple[str, str] | None:
        """The exemption that makes the hit lawful, or None. An exemption's pattern that does not
        finish is reported and exempts nothing: the hit stands for the officer to judge."""
        if rule.exclusions:
            w0, w1 = max(0, s - EXEMPTION_WINDOW), min(len(t), e + EXEMPTION_WINDOW)
            for rx, ex in rule.exclusions:
                if _untimed(rx):
                    found = rx.finditer(t, w0, w1)
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
        for before, after, plain, own, items in rule.context_groups:
            # Context lies beside the hit, never inside it ("稳赚不赔" must not exempt itself by its "不").
            # Sliced so that "$" anchors at the hit in the text before it and "^" right after it.
            m = None
            for text in (t[max(0, s - before) : s] if before else None, t[e : e + after] if after else None):
                if m is not None or text is None:
                    continue
                m = plain.search(text) if plain is not None else None
                if own is not None:
                    m = _leftmost(
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

    def _pinyin_candidates(self, t: str) -> list[tuple[int, int, int, str, str]]:
        out: list[tuple[int, int, int, str, str]] = []
        if self.initials:
            for w in _LATIN_WORD.finditer(t):
                for idx, term in self.initials.get(w.group(0), ()):
                    out.append((idx, w.start(), w.end(), term, "initials"))
        for ws, we in _pinyin_windows(t):
            chunk = t[ws:we]
            if not self._has_pinyin:
                continue
            if chunk.isascii() and len(chunk) < 4:
                continue
            if max((len(r) for r in _LATIN_RUN.findall(chunk)), default=0) < 2:
                continue  # a lone letter is an abbreviation or a size, not a syllable typed for a character
            py = textnorm.pinyin_channel(chunk)
            for end_idx, (length, payload) in self.pinyin_automaton.iter(py.text):
                ps, pe = end_idx - length + 1, end_idx + 1
                if ps not in py.boundaries or pe not in py.boundaries:
                    continue
                s, e = py.map.start(ps), py.map.end(pe)
                if not _LATIN.search(chunk, s, e):
                    continue  # all characters: the main channel decides, homophones are not pinyin evasion
                for idx, term in payload:
                    out.append((idx, ws + s, ws + e, term, "pinyin"))
        return out

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
        _default_engine = Engine(default_libraries())
    return _default_engine
