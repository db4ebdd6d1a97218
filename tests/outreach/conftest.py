"""Outreach tests: the demo county once per module, a platform, seller imports on given days, the network unit.

Nothing reads today: services are given ``now``, schedules ``today``; pages and the API read the stopped clock.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.org import demo_once as shared

demo, demo_once, fast_password_hashing = shared.demo, shared.demo_once, shared.fast_password_hashing
BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=BEIJING)


def d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


@pytest.fixture
def staff(demo):
    """The network unit's officer (net_officer), an advertising officer, the office, the auditor, the head."""
    from wangjian.org import services as org_services
    from wangjian.org.choices import DepartmentKind as K
    from wangjian.org.choices import Role
    from wangjian.org.models import Department

    users = dict(demo.users)
    users["net_officer"], _ = org_services.user_create(
        username="net_officer",
        name="网监科员",
        role=Role.OFFICER,
        bureau=demo.county,
        department=Department.objects.get(bureau=demo.county, kind=K.ONLINE_TRADE),
        password=demo.password,
    )
    return users


@pytest.fixture
def platform(demo):
    """A platform of 旌德县 registered here on 2024-12-20 (its first window is January 2025)."""
    from wangjian.registry.models import Platform

    p = Platform.objects.create(bureau=demo.county, name="测试优选商城")
    Platform.objects.filter(pk=p.pk).update(created=at("2024-12-20"))
    p.refresh_from_db()
    return p


@pytest.fixture
def seller_import(demo):
    """``seller_import(platform, "2025-01-10")``: the registry's seller list of the platform, imported that day."""
    from wangjian.registry.choices import ImportKind, ImportStatus
    from wangjian.registry.models import ImportBatch

    def _import(platform, day: str, status: str = ImportStatus.DONE):
        batch = ImportBatch.objects.create(
            bureau=platform.bureau,
            kind=ImportKind.SELLERS,
            platform=platform,
            file_name=f"{day}.csv",
            status=status,
        )
        ImportBatch.objects.filter(pk=batch.pk).update(started_at=at(day))
        return batch

    return _import


@pytest.fixture
def clock(monkeypatch):
    """``clock(at("2025-10-21"))``: pages and the API read this moment as now."""

    def _stop_at(moment: dt.datetime) -> dt.datetime:
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
        return moment

    return _stop_at
