"""What a scan returns: hits with offsets into the original text, suppressed candidates, regex problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wangjian.monitoring.kinds import KindInference, infer_product_kind


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
    # Review signals of the similarity model (``similarity``): sentences worded like known violations of a
    # category no rule hit there. Kept apart from ``hits``, which the rules decide.
    suggestions: list[Hit] = field(default_factory=list)
    examined: int = 0  # candidates decided and claim verbs looked at: the work done, linear in the text
    _kind: KindInference | None = None
    _kind_text: str = ""
    _kind_signs: list[bool] | None = None  # which kind signs may match on the page (``infer_product_kind``)

    @property
    def product_kind(self) -> KindInference:
        """The product kind given by the caller, or inferred from the page (once, when first needed)."""
        if self._kind is None:
            self._kind = infer_product_kind(self._kind_text, normalized=True, possible=self._kind_signs)
        return self._kind

    @property
    def categories(self) -> set[str]:
        return {h.category for h in self.hits}

    @property
    def regex_timeouts(self) -> list[RegexProblem]:
        return [p for p in self.regex_problems if p.reason == TIMEOUT]
