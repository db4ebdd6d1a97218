"""Penalty decisions on display (行政处罚信息公示), offered to credit by the apps that make them.

Credit sits below the cases app, so it never imports it: an app that decides penalties registers a
*provider* at start-up (``register(provider)``, in its ``AppConfig.ready``); a provider is given entity ids
and returns the published penalty decisions of those entities as ``PenaltyRecord``s, with the display
period it computed (市场监督管理行政处罚信息公示规定 (2021) art. 13: 3 months for 通报批评 or a lower fine
only, 3 years otherwise) and the basis in words. Credit decides what is still on display and what repair
may end early (``services.repair``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class PenaltyRecord:
    """One published penalty decision of an entity, as its provider reports it."""

    source: str  # the provider's name for its rows: "cases.case"
    ref: str  # the row's key within the source
    bureau_id: int
    entity_id: int
    number: str  # 行政处罚决定书文号
    decided_on: dt.date
    published_on: dt.date | None
    display_until: dt.date | None  # the day display ends (公示规定 art. 13), or the withdrawal day
    basis: str  # why this display period, in words
    kinds: tuple[str, ...] = ()  # penalty kinds (行政处罚法 art. 9): "fine", "warning" …
    kind_labels: tuple[str, ...] = ()
    domain: str = (
        ""  # the matter (监管领域): food, drug and special-equipment penalties wait a year to repair
    )
    fine: Decimal | None = None
    short: bool = False  # only 通报批评 or a lower fine: 3 months' display, no early end
    severe: bool = False  # 公示规定 art. 14 (3): 责令停产停业, 限制…, 吊销… — never ended early
    fulfilled_on: dt.date | None = None  # the decision executed (自觉履行)
    withdrawn_on: dt.date | None = None
    url: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.ref)

    def on_display(self, day: dt.date) -> bool:
        """Published, not withdrawn, and its display period not yet over on ``day``."""
        if self.published_on is None or self.published_on > day:
            return False
        if self.withdrawn_on is not None and self.withdrawn_on <= day:
            return False
        return self.display_until is None or day < self.display_until


Provider = Callable[[list[int]], Iterable[PenaltyRecord]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    """Add a provider (an app's, at start-up). The same provider twice is registered once."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def providers() -> list[Provider]:
    return list(_PROVIDERS)


def penalties_of(entity_ids: Iterable[int]) -> list[PenaltyRecord]:
    """Every provider's published penalty decisions of ``entity_ids``, latest decision first."""
    ids = sorted({int(i) for i in entity_ids})
    if not ids:
        return []
    out: list[PenaltyRecord] = []
    for provider in _PROVIDERS:
        out.extend(provider(ids))
    return sorted(out, key=lambda r: (r.decided_on, r.ref), reverse=True)


def penalty_get(*, source: str, ref: str, entity_id: int) -> PenaltyRecord | None:
    return next((r for r in penalties_of([entity_id]) if r.source == source and r.ref == ref), None)
