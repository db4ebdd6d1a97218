"""Helpers for the clue loop tests: a frozen clock in Beijing time and intake with sensible defaults."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: str, time: str = "10:00") -> dt.datetime:
    """A moment in Beijing time, e.g. ``at("2025-09-26")``."""
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=BEIJING)


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


@pytest.fixture
def unit_user(demo):
    """``unit_user(clue)`` → an officer of the unit the clue is assigned to (created if the demo has none)."""
    from wangjian.org import services as org_services
    from wangjian.org.models import Station, User

    def _unit_user(clue):
        unit = clue.unit
        field = "station" if isinstance(unit, Station) else "department"
        user = User.objects.filter(**{field: unit}, role__in=["officer", "station_officer"]).first()
        if user is None:
            user, _ = org_services.user_create(
                username=f"u{field}{unit.pk}",
                bureau=clue.bureau,
                role="station_officer" if field == "station" else "officer",
                password="Demo2025pass",
                **{field: unit},
            )
        return user

    return _unit_user


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The demo creates a dozen users; a cheap hasher keeps these tests about clues, not about PBKDF2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
