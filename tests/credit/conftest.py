"""Credit tests: the demo county once per module, its registration and credit staff, entities, stopped clocks."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.org import demo_once as shared

demo, demo_once, fast_password_hashing = shared.demo, shared.demo_once, shared.fast_password_hashing
BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: str, time: str = "10:00") -> dt.datetime:
    """A moment in Beijing time: every service is given ``now`` explicitly, nothing reads today."""
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=BEIJING)


def d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


@pytest.fixture
def staff(demo):
    """The county's credit officer and head, a registration officer, and the demo's others by name."""
    from wangjian.org import services as org_services
    from wangjian.org.choices import DepartmentKind as K
    from wangjian.org.choices import Role
    from wangjian.org.models import Department

    users = dict(demo.users)
    for username, role, kind in (
        ("credit_officer", Role.OFFICER, K.CREDIT),
        ("credit_head", Role.DEPARTMENT_HEAD, K.CREDIT),
        ("reg_officer", Role.OFFICER, K.REGISTRATION),
    ):
        user, _ = org_services.user_create(
            username=username,
            name=username,
            role=role,
            bureau=demo.county,
            department=Department.objects.get(bureau=demo.county, kind=kind),
            password=demo.password,
        )
        users[username] = user
    return users


@pytest.fixture
def entity(demo):
    """``entity(n, kind="enterprise")`` → a registered entity of 旌德县."""
    from wangjian.registry.models import MarketEntity
    from wangjian.registry.uscc import complete

    def _entity(n: int = 1, kind: str = "enterprise"):
        second = "2" if kind == "individual" else "1"
        return MarketEntity.objects.create(
            bureau=demo.county,
            uscc=complete(f"9{second}341825MA2C{n:05d}"),
            name=f"旌德县信用{n}号{'经营部' if kind == 'individual' else '商贸有限公司'}",
            kind=kind,
            region_code="341825100",
        )

    return _entity


@pytest.fixture
def clock(monkeypatch):
    """``clock(at("2025-10-21"))``: pages and the API read this moment as now (the services are given ``now``)."""

    def _stop_at(moment: dt.datetime) -> dt.datetime:
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
        return moment

    return _stop_at
