"""The regular expressions of rule libraries: written by the bureaus, so run with a time limit.

Found on a running instance: any role could import a library, and its regular expressions ran
without a time limit — a nested quantifier took seconds on 26 characters, and grows
exponentially with the text. Python's ``re`` cannot be interrupted, so the patterns a library
brings (a rule's ``regexes``, its ``re:`` exemptions) are compiled by the ``regex`` package,
whose matching takes a ``timeout``:

- each call runs at most ``WANGJIAN_REGEX_TIMEOUT`` seconds (0.25), and all the calls on one
  page together at most ``WANGJIAN_REGEX_PAGE_BUDGET`` seconds (2; a ``Budget`` per scan);
- a pattern that times out is reported with its rule (``engine.RegexProblem``) and the rest of
  the rules still run: a sweep counts it, the rule records it, the library page shows it;
- at import a pattern is refused, naming its rule, when it does not compile, is longer than
  ``WANGJIAN_REGEX_MAX_LENGTH`` characters (500), or backtracks catastrophically on a quick
  probe of inputs made from its own characters (``pattern_problem``).

The engine's own patterns (product kinds, pinyin windows) are written here and stay in ``re``.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

import regex
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

TIMEOUT = 0.25  # seconds one pattern may run over one text (WANGJIAN_REGEX_TIMEOUT)
PAGE_BUDGET = 2.0  # seconds all the patterns may run over one page (WANGJIAN_REGEX_PAGE_BUDGET)
MAX_LENGTH = 500  # characters of one pattern (WANGJIAN_REGEX_MAX_LENGTH)
PROBE_TIMEOUT = 0.05  # seconds one probe may take at import before the pattern is suspected
CONFIRM_TIMEOUT = 1.0  # seconds the same probe gets again before a suspect is called catastrophic
PROBE_LENGTH = 40  # characters of a probe: 2**40 steps for a nested quantifier, microseconds otherwise

Pattern = regex.Pattern
error = regex.error


@dataclass(frozen=True)
class Limits:
    timeout: float = TIMEOUT
    page_budget: float = PAGE_BUDGET
    max_length: int = MAX_LENGTH


_SETTINGS = ("WANGJIAN_REGEX_TIMEOUT", "WANGJIAN_REGEX_PAGE_BUDGET", "WANGJIAN_REGEX_MAX_LENGTH")
_limits: Limits | None = None  # the limits read from the settings, until one of them changes


def limits() -> Limits:
    """The limits in force: the Django settings (read from the environment), else the defaults.

    Read once and kept (every scan asks, and reading three settings costs more than a short page's matching);
    a change of one of them (``override_settings``, pytest-django's ``settings``) sends ``setting_changed``,
    which drops the kept limits (``_settings_changed``). Without settings the defaults are returned, not kept."""
    global _limits
    if _limits is None:
        try:
            _limits = Limits(
                timeout=float(getattr(settings, _SETTINGS[0], None) or TIMEOUT),
                page_budget=float(getattr(settings, _SETTINGS[1], None) or PAGE_BUDGET),
                max_length=int(getattr(settings, _SETTINGS[2], None) or MAX_LENGTH),
            )
        except ImproperlyConfigured:  # no settings (a library read outside Django): the defaults
            return Limits()
    return _limits


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs) -> None:
    global _limits
    if setting in _SETTINGS:
        _limits = None


@functools.lru_cache(maxsize=20_000)
def compile_pattern(pattern: str) -> regex.Pattern:
    """A library's pattern, compiled by ``regex`` (``re``'s syntax; ``regex.error`` when it is invalid).

    Kept per process: a compiled pattern is immutable, and every engine built from the same libraries
    compiles the same few thousand patterns (``regex``'s own cache holds a few hundred)."""
    return regex.compile(pattern)


class Budget:
    """The regex time one scan may spend: each call gets the per-pattern limit or what is left, if less."""

    def __init__(self, seconds: float, per_call: float):
        self.left = seconds
        self.per_call = per_call

    @property
    def exhausted(self) -> bool:
        return self.left <= 0

    def timeout(self) -> float:
        return max(0.0, min(self.per_call, self.left))

    def spend(self, started: float) -> None:
        self.left -= time.perf_counter() - started


# --------------------------------------------------------------------------- checks at import

_CLASS_SAMPLES = {"d": "1", "w": "a", "s": " ", "D": "a", "W": "!", "S": "a"}


def _probe_texts(pattern: str) -> list[str]:
    """Texts a catastrophic pattern chokes on: runs of the characters it matches, then one it does not."""
    chars: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            c = _CLASS_SAMPLES.get(pattern[i + 1], pattern[i + 1] if pattern[i + 1].isalnum() else "")
            i += 2
        else:
            i += 1
            if c == "." or not (c.isalnum() or c in " -:：,，.。/"):
                c = "a" if c == "." else ""
        if c and c not in chars:
            chars.append(c)
    chars = chars[:8] or ["a"]
    texts = [c * PROBE_LENGTH for c in chars]
    mixed = "".join(chars)
    texts.append((mixed * (PROBE_LENGTH // len(mixed) + 1))[:PROBE_LENGTH])
    return [t + end for t in texts for end in ("\x00", "\n!")]


def backtracks(
    rx: regex.Pattern, *, timeout: float = PROBE_TIMEOUT, confirm: float = CONFIRM_TIMEOUT
) -> str | None:
    """The probe text on which ``rx`` backtracks catastrophically, or None.

    A probe that runs past ``timeout`` is run once more with ``confirm``: a nested quantifier needs
    some 2**40 steps on a probe and overruns both, while a long plain alternation that was merely
    slowed by a busy machine (a CI run refused the famous-mark look-alikes this way) finishes."""
    for text in _probe_texts(rx.pattern):
        try:
            rx.search(text, timeout=timeout)
        except TimeoutError:
            try:
                rx.search(text, timeout=max(confirm, timeout))
            except TimeoutError:
                return text
    return None


def pattern_problem(pattern: str) -> tuple[str, str] | None:
    """Why a library's pattern is refused (Chinese, English), or None: too long, invalid, or catastrophic."""
    lim = limits()
    if len(pattern) > lim.max_length:
        return (
            f"正则表达式长 {len(pattern)} 个字符，超过上限 {lim.max_length}",
            f"the regular expression is {len(pattern)} characters long, over the limit of {lim.max_length}",
        )
    try:
        rx = compile_pattern(pattern)
    except (regex.error, ValueError, OverflowError) as exc:
        return (
            f"正则表达式无效 {pattern!r}：{exc}",
            f"invalid regular expression {pattern!r}: {exc}",
        )
    choke = backtracks(rx)
    if choke is not None:
        sample = choke.rstrip("\x00\n!")
        return (
            f"正则表达式 {pattern!r} 存在灾难性回溯（嵌套量词等），在 {len(sample)} 个字符的文本"
            f"“{sample[:12]}…”上超过 {CONFIRM_TIMEOUT} 秒",
            f"the regular expression {pattern!r} backtracks catastrophically (nested quantifiers?):"
            f" over {CONFIRM_TIMEOUT} s on {len(sample)} characters {sample[:12]!r}…",
        )
    return None
