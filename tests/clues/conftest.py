"""Helpers for the clue loop tests: moments in Beijing time, a stopped clock, and intake with sensible defaults."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: str, time: str = "10:00") -> dt.datetime:
    """A moment in Beijing time, e.g. ``at("2025-09-26")``."""
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=BEIJING)


@pytest.fixture
def clock(monkeypatch):
    """``clock(at("2025-11-12"))``: every service that reads the time (``timezone.now``, ``localdate``) reads this.

    Deadlines are counted in working days against the holiday calendar, so a test that let them
    run from today would pass or fail with the day it runs (a weekend, 国庆, a year not yet published).
    """

    def _stop_at(moment: dt.datetime) -> dt.datetime:
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
        return moment

    return _stop_at


@pytest.fixture
def intake(demo):
    """``intake(domain=..., **kw)`` → IntakeResult for a clue of the demo county (旌德县)."""
    from wangjian.clues import services

    def _intake(**kw):
        kw.setdefault("bureau", demo.county)
        kw.setdefault("source_kind", "monitoring")
        kw.setdefault("domain", "internet_advertising")
        kw.setdefault("facts", "商品详情页使用“国家级”“最佳”等绝对化用语")
        kw.setdefault("now", at("2025-09-26"))
        return services.clue_intake(**kw)

    return _intake


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The demo creates a dozen users; a cheap hasher keeps these tests about clues, not about PBKDF2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
