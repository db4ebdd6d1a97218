"""How much work one monitoring task may ask of the crawler: depth, pages and rate per host.

A task is the office's standing order to fetch other people's sites; its depth, page count and
request rate decide how hard the bureau's server works and how hard the sites are hit. The
limits are checked by the model's validators (the page's form and the API's serializer use them)
and again by ``services.monitoring_task_save``, with one message in Chinese and English; a run
never goes deeper or further than them (``bounded``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from wangjian.core.errors import ValidationFailed

MAX_DEPTH = 3  # links followed from a presence's entry page
MIN_PAGES, MAX_PAGES = 1, 500  # pages fetched per presence and run
MAX_RATE = 10  # requests per second to one host
MIN_DELAY, MAX_DELAY = 1 / MAX_RATE, 60.0  # seconds between two requests to one host


@deconstructible(path="wangjian.monitoring.limits.Within")
class Within:
    """``low ≤ value ≤ high``, refused with the field named in Chinese and English."""

    def __init__(self, low: float, high: float, zh: str, en: str, unit_zh: str = "", unit_en: str = ""):
        self.low, self.high = low, high
        self.zh, self.en, self.unit_zh, self.unit_en = zh, en, unit_zh, unit_en

    @property
    def message_zh(self) -> str:
        return f"{self.zh}须在 {self.low:g}–{self.high:g}{self.unit_zh} 之间"

    @property
    def message_en(self) -> str:
        return f"{self.en} must be between {self.low:g} and {self.high:g}{self.unit_en}"

    @property
    def message(self) -> str:
        return f"{self.message_zh} / {self.message_en}"

    def __call__(self, value: Any) -> None:
        if value is None or not (self.low <= value <= self.high):
            raise ValidationError(self.message, code="limit", params={"value": value})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Within) and (
            self.low,
            self.high,
            self.zh,
            self.en,
            self.unit_zh,
            self.unit_en,
        ) == (other.low, other.high, other.zh, other.en, other.unit_zh, other.unit_en)

    def __hash__(self) -> int:
        return hash((self.low, self.high, self.zh, self.en))


DEPTH = Within(0, MAX_DEPTH, "抓取深度", "the depth", " 层", " links")
PAGES = Within(MIN_PAGES, MAX_PAGES, "每个场所页面上限", "the pages per presence", " 页", " pages")
DELAY = Within(
    MIN_DELAY,
    MAX_DELAY,
    "同一主机请求间隔",
    "the delay between requests to one host",
    f" 秒（每秒至多 {MAX_RATE} 次）",
    f" s (at most {MAX_RATE} requests a second)",
)
FIELDS = {"depth": DEPTH, "max_pages": PAGES, "delay": DELAY}


def task_limits_check(task: Any) -> None:
    """Refuse a task that asks for more than the limits, naming each field (the same words as the
    validators the page's form and the API's serializer run)."""
    broken = []
    for name, rule in FIELDS.items():
        try:
            rule(getattr(task, name))
        except ValidationError:
            broken.append((name, rule))
    if broken:
        raise ValidationFailed(
            "；".join(rule.message_zh for _name, rule in broken),
            "; ".join(rule.message_en for _name, rule in broken),
            code="limit",
            detail={name: rule.message for name, rule in broken},
        )


@dataclass(frozen=True)
class Bounded:
    depth: int
    max_pages: int
    delay: float


def bounded(task: Any) -> Bounded:
    """What a run asks of the crawler: the task's depth and pages held within the limits, so a row
    written before them (or by hand) never makes a run unbounded. The rate is held when the task is
    saved (``services.monitoring_task_save``; existing rows were brought within it by migration):
    a run keeps the delay it was given, so the demo and the tests may sweep their own local market
    at full speed."""
    return Bounded(
        depth=max(0, min(int(task.depth), MAX_DEPTH)),
        max_pages=max(MIN_PAGES, min(int(task.max_pages), MAX_PAGES)),
        delay=max(0.0, min(float(task.delay), MAX_DELAY)),
    )
