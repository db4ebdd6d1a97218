"""Who holds a capture: the registry other apps use to keep evidence of open matters.

Evidence linked to an open clue or case must not be deleted. The evidence app does not
know what "open" means for a clue or a case, so the owning app says it::

    from wangjian.evidence import retention
    retention.register_hold("clues.Clue", lambda clue: clue.is_open, label="线索")

A link to a model that registered no rule holds the capture (the safe default: evidence is
kept until its owner says it may go). Apart from holds, a capture is kept for the retention
period (``WANGJIAN_EVIDENCE_RETENTION_YEARS``, default 3: 电子商务法 art. 31 keeps
e-commerce records at least three years).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wangjian.evidence import conf


@dataclass(frozen=True)
class HoldRule:
    model_label: str  # "app_label.ModelName"
    is_open: Callable[[Any], bool]
    label: str


_rules: dict[str, HoldRule] = {}


def register_hold(model_label: str, is_open: Callable[[Any], bool], *, label: str = "") -> None:
    """Declare when an object of ``model_label`` still needs its linked evidence."""
    key = model_label.lower()
    _rules[key] = HoldRule(model_label=key, is_open=is_open, label=label or model_label)


def unregister_hold(model_label: str) -> None:
    _rules.pop(model_label.lower(), None)


def rule_for(model_label: str) -> HoldRule | None:
    return _rules.get(model_label.lower())


def retention_years() -> int:
    return conf.get_int("WANGJIAN_EVIDENCE_RETENTION_YEARS", 3)


def retain_until(start: dt.date, years: int | None = None) -> dt.date:
    years = retention_years() if years is None else years
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)
