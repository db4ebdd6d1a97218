"""The state of one attempt at one chunk of a sweep (counters, rule caches), shared by its recording steps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import F

from wangjian.core.textnorm import normalize_term
from wangjian.monitoring.choices import VersionStatus
from wangjian.monitoring.engine import TIMEOUT, RegexProblem
from wangjian.monitoring.models import Rule
from wangjian.monitoring.selectors import engine_for
from wangjian.registry.models import MarketEntity

if TYPE_CHECKING:
    from wangjian.monitoring.models import SweepChunk


def _matched_key(text: str) -> str:
    return (normalize_term(text) or text.strip())[:300]


def _context(text: str, start: int, end: int, pad: int = 60) -> tuple[str, int]:
    s = max(0, start - pad)
    return text[s : min(len(text), end + pad)], start - s


MAX_NOTES = 20  # distinct regex problems named per chunk


def new_counts() -> dict[str, int]:
    return dict(
        pages_done=0, pages_failed=0, pages_unchanged=0, findings_new=0, findings_seen=0, regex_timeouts=0
    )


def _lookup(code: str) -> tuple[str, str] | None:
    return MarketEntity.objects.filter(uscc=code).order_by("id").values_list("name", "status").first()


class _Chunk:
    """State of one attempt at one chunk (counters, caches), written as the pages are processed."""

    def __init__(self, chunk: SweepChunk, now: dt.datetime):
        self.chunk = chunk
        self.run = chunk.run
        self.task = chunk.run.task
        self.now = now
        self.engine = engine_for(names=self.task.libraries or None, bureau=self.task.bureau)
        self.rules: dict[tuple, Rule | None] = {}
        self.counted: set[int] = set()
        self.counts = new_counts()
        self.regex_notes: list[str] = []

    def regex_report(self, problems: Iterable[RegexProblem]) -> None:
        """A page's patterns that ran out of time: counted for the run, named in its message, and each
        timeout recorded on its rule (the library page shows it); the page's other rules have run."""
        for problem in problems:
            self.counts["regex_timeouts"] += 1
            note = problem.as_text()
            if note not in self.regex_notes and len(self.regex_notes) < MAX_NOTES:
                self.regex_notes.append(note)
            if problem.reason != TIMEOUT:
                continue
            rule = self.rule_row(problem.rule, problem.version_id)
            if rule is not None:
                Rule.objects.filter(pk=rule.pk).update(
                    regex_timeouts=F("regex_timeouts") + 1,
                    regex_timeout_pattern=problem.pattern[:500],
                    regex_timeout_at=self.now,
                )

    def progress(self) -> dict:
        """What the chunk's row keeps while it runs: the counters and the notes on regex timeouts."""
        return {**self.counts, "regex_notes": list(self.regex_notes)}

    def rule_row(self, code: str, version_id: int | None) -> Rule | None:
        key = (code, version_id)
        if key not in self.rules:
            qs = Rule.objects.filter(code=code)
            qs = (
                qs.filter(version_id=version_id)
                if version_id
                else qs.filter(
                    version__library__bureau_id=self.task.bureau_id, version__status=VersionStatus.PUBLISHED
                )
            )
            self.rules[key] = qs.select_related("version__library").order_by("-version__number").first()
        return self.rules[key]
