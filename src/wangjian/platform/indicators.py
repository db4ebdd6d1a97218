"""Risk indicators (风险指标): a registry the apps fill and the risk grades read.

旌德 mechanism 二(七) grades online market entities "结合通用型企业信用风险分类结果和相关监管部门提供的
符合网络交易主体特征的其他指标": the other indicators are each app's facts — findings of the sweeps,
licence verdicts, unlicensed sellers, clues, complaints, penalty decisions. The risk app sits above
them all but must not import each of them (and cases and complaints sit beside it), so the platform
offers this registry: each app registers its own indicators in its ``AppConfig.ready``
(``indicators.register(...)``) and the grading reads ``all()``.

An indicator's ``compute(bureau_id, entity_ids, today)`` answers, for the bureau's entities (all of
them when ``entity_ids`` is None), only the entities where it found something: ``{entity_id:
IndicatorValue(value, text_zh)}``. ``value`` is the measure the office's weight multiplies (a count,
a severity-weighted count); ``text_zh`` says it in an officer's words ("近90日确认违法发现2条（高1、中1）").
It must cost a few grouped queries whatever the number of entities — never a query per entity —
because a province grades a million entities a night. ``today`` is given, never read from the
clock, so a grading can be re-run for a past day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from wangjian.core.errors import NotFoundError


@dataclass(frozen=True)
class IndicatorValue:
    """What an indicator found for one entity: the measure and the sentence an officer reads."""

    value: float
    text_zh: str


Compute = Callable[[int, "list[int] | None", dt.date], dict[int, IndicatorValue]]


@dataclass(frozen=True)
class Indicator:
    """One indicator: a stable key (``<app>.<name>``), its names, the app that owns it, and ``compute``."""

    key: str
    label_zh: str
    label_en: str
    source_app: str
    compute: Compute


_REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    """Add an indicator (an app's, at start-up). The same one twice is harmless; another under its key is not."""
    known = _REGISTRY.get(indicator.key)
    if known is not None and known != indicator:
        raise ImproperlyConfigured(f"indicator {indicator.key} is registered twice, differently")
    _REGISTRY[indicator.key] = indicator
    return indicator


def unregister(key: str) -> None:
    """Take an indicator out (a test's fake one); unknown keys are ignored."""
    _REGISTRY.pop(key, None)


def all() -> list[Indicator]:  # noqa: A001 (the registry's own name for "every indicator")
    """Every registered indicator, in the order of registration (the apps' order in INSTALLED_APPS)."""
    return list(_REGISTRY.values())


def get(key: str) -> Indicator:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise NotFoundError(f"未知的风险指标：{key}", f"Unknown risk indicator: {key}") from None


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the site's time zone: where a window of days over timestamps begins."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
