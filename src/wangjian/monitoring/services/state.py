"""The state of one attempt at one chunk of a sweep (counters, rule caches), shared by its recording steps."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from wangjian.core.textnorm import normalize_term
from wangjian.monitoring.choices import VersionStatus
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
        self.counts = dict(pages_done=0, pages_failed=0, pages_unchanged=0, findings_new=0, findings_seen=0)

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
