"""Fixtures of the inspection tests: the demo county once per module, entities with shops, a published plan."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.clues.conftest import clock  # noqa: F401 (a fixture)
from tests.monitoring.util import Site
from tests.org import demo_once as shared
from wangjian.inspections.choices import CheckMethod
from wangjian.inspections.models import InspectionItem, Plan
from wangjian.inspections.services import (
    draw_publish,
    draw_value_confirm,
    draw_value_enter,
    item_save,
    plan_publish,
    plan_save,
)
from wangjian.org.choices import DepartmentKind as K
from wangjian.org.models import Department, DutyRule, Station
from wangjian.registry.choices import PresenceKind
from wangjian.registry.models import MarketEntity, Platform, Presence
from wangjian.registry.uscc import complete

demo, demo_once, fast_password_hashing = shared.demo, shared.demo_once, shared.fast_password_hashing

BEIJING = ZoneInfo("Asia/Shanghai")
PUBLISHED = dt.datetime(2026, 11, 30, 10, 0, tzinfo=BEIJING)  # a Monday
SOURCE_DAY = dt.date(2026, 12, 8)
DRAWN = dt.datetime(2026, 12, 8, 21, 45, tzinfo=BEIJING)
SOURCE = "中国福利彩票双色球第2026140期开奖号码"
VALUE = "红球 03 08 15 21 27 33 蓝球 09"
# The round of the online checks' tests (``round_``): September 2025, the check ending on 30 September,
# before 国庆 (1–8 October, 11 October worked).
ROUND_PUBLISHED = dt.datetime(2025, 8, 25, 10, 0, tzinfo=BEIJING)
ROUND_SOURCE_DAY = dt.date(2025, 8, 28)
ROUND_DRAWN = dt.datetime(2025, 8, 28, 21, 45, tzinfo=BEIJING)


@pytest.fixture(autouse=True)
def ungraded(monkeypatch):
    """Until the risk app is installed every entity is ungraded; a test sets grades with ``graded``."""
    monkeypatch.setattr("wangjian.inspections.services.pools.grades_of", lambda ids: {})
    monkeypatch.setattr("wangjian.inspections.services.pools.risk_installed", lambda: False)


@pytest.fixture
def graded(monkeypatch):
    def _set(grades: dict[int, tuple[str, str]]):
        monkeypatch.setattr(
            "wangjian.inspections.services.pools.grades_of",
            lambda ids: {i: grades[i] for i in ids if i in grades},
        )
        monkeypatch.setattr("wangjian.inspections.services.pools.risk_installed", lambda: True)

    return _set


@pytest.fixture
def shops(demo):
    """``shops(n, region=…)`` → n entities of the county, each with a shop on a platform."""
    platform = Platform.objects.create(bureau=demo.county, name="皖南优选", url="https://mall.example/")
    counter = iter(range(10_000))

    def _make(n: int, region: str = "341825102") -> list[MarketEntity]:
        out = []
        for _ in range(n):
            i = next(counter)
            entity = MarketEntity.objects.create(
                bureau=demo.county,
                uscc=complete(f"91341825MA2P{i:05d}"),
                name=f"旌德县抽查第{i}号商贸有限公司",
                region_code=region,
            )
            Presence.objects.create(
                bureau=demo.county,
                kind=PresenceKind.PLATFORM_SHOP,
                platform=platform,
                account_id=f"p{i}",
                shop_name=f"抽查第{i}号店",
                url=f"https://mall.example/p{i}",
                entity=entity,
            )
            out.append(entity)
        return out

    return _make


@pytest.fixture
def item(demo):
    rule = DutyRule.objects.get(bureau=demo.county, domain="internet_advertising", role="lead")
    return item_save(
        item=InspectionItem(
            bureau=demo.county,
            department=Department.objects.get(bureau=demo.county, kind=K.ADVERTISING),
            name="互联网广告发布行为检查",
            duty_rule=rule,
            method=CheckMethod.ONLINE,
        ),
        user=demo.users["office"],
    )


@pytest.fixture
def draft(demo, item):
    def _draft(**kw):
        kw.setdefault("check_start", dt.date(2026, 12, 10))
        kw.setdefault("check_end", dt.date(2026, 12, 31))
        stations = kw.pop("stations", [Station.objects.get(bureau=demo.county, name="旌阳市场监管所")])
        plan = Plan(
            bureau=demo.county,
            title="2026年度互联网广告双随机抽查",
            year=2026,
            department=item.department,
            **kw,
        )
        return plan_save(plan=plan, user=demo.users["office"], items=[item], stations=stations)

    return _draft


@pytest.fixture
def published(draft, demo):
    def _published(**kw):
        return plan_publish(plan=draft(**kw), user=demo.users["office"], now=PUBLISHED)

    return _published


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


@pytest.fixture
def round_(draft, demo):
    """``round_(paths)`` → a made draw whose every object is an entity with a shop at ``site.url + path``."""

    def _round(site, paths: list[str]):
        for n, path in enumerate(paths):
            entity = MarketEntity.objects.create(
                bureau=demo.county,
                uscc=complete(f"91341825MA2Q{n:05d}"),
                name=f"旌德县线上检查第{n}号商贸有限公司",
                region_code="341825102",
            )
            Presence.objects.create(
                bureau=demo.county,
                kind=PresenceKind.WEBSITE,
                shop_name=f"线上检查第{n}号店",
                url=f"{site.url}{path}",
                entity=entity,
            )
        plan = draft(
            check_start=dt.date(2025, 9, 1),
            check_end=dt.date(2025, 9, 30),
            class_ratios={"-": "0.3"},  # one entity per test: ceil(0.3 × 1) = 1 drawn
        )
        plan = plan_publish(plan=plan, user=demo.users["office"], now=ROUND_PUBLISHED)
        draw = draw_publish(
            plan=plan,
            user=demo.users["office"],
            source_name="演示随机源",
            source_date=ROUND_SOURCE_DAY,
            now=ROUND_PUBLISHED,
        )
        draw_value_enter(draw=draw, user=demo.users["office"], value=VALUE, now=ROUND_DRAWN)
        return draw_value_confirm(draw=draw, user=demo.users["ad_head"], value=VALUE, now=ROUND_DRAWN)

    return _round
