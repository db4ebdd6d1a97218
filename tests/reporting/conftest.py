"""Reporting tests: the demo organisation once per module (宣城市 above 旌德县 and 绩溪县), a monthly template of
the city with a figure of the test's own whose value depends on the bureau, and an office for 绩溪县.
Every service is given ``now``; pages and the API read the stopped clock (``clock``)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.org import demo_once as shared

demo, demo_once, fast_password_hashing = shared.demo, shared.demo_once, shared.fast_password_hashing
BEIJING = ZoneInfo("Asia/Shanghai")
FAKE = "reporting_test_widgets"


def at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=BEIJING)


def d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


def widgets(scope, start, end) -> int:
    """A figure of the test's own: 10 per bureau in the scope, plus the period's month (never today's)."""
    return 10 * len(scope.bureau_ids or ()) + start.month


@pytest.fixture(autouse=True)
def fake_figure():
    from wangjian.platform import statistics

    statistics.register(
        statistics.Figure(
            FAKE,
            "测试指标",
            "test widgets",
            "测试口径：每个局计10，加上月份",
            "test basis",
            "件",
            "reporting",
            widgets,
        )
    )
    yield FAKE
    statistics.unregister(FAKE)


@pytest.fixture
def clock(monkeypatch):
    def _stop_at(moment: dt.datetime) -> dt.datetime:
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
        return moment

    return _stop_at


@pytest.fixture
def staff(demo):
    """The demo's users, with an office administrator for 绩溪县 (the demo has none) and a city leader."""
    from wangjian.org import services as org_services
    from wangjian.org.choices import DepartmentKind, Role

    users = dict(demo.users)
    users["jixi_office"], _ = org_services.user_create(
        username="jixi_office_t",
        name="绩溪办公室",
        role=Role.OFFICE_ADMIN,
        bureau=demo.other_county,
        department=demo.other_county.departments.get(kind=DepartmentKind.ONLINE_TRADE),
        password=demo.password,
    )
    return users


@pytest.fixture
def template(demo, staff):
    from wangjian.reporting import services

    return services.template_save(
        bureau=demo.city,
        user=staff["city_office"],
        name="网络市场监管月度数据报送",
        key="monthly-online",
        figures=[FAKE, "clues_received"],
        records=["clues_received"],
        period_kind="month",
        due_days=5,
        starts_on=d("2025-10-01"),
    )


@pytest.fixture
def october(template):
    """October 2025's reports, opened on 3 November (the daily job's day after the period)."""
    from wangjian.reporting import periods, services

    services.reports_open(template=template, period=periods.parse("2025-10"), now=at("2025-11-03", "01:00"))
    return {r.bureau.code: r for r in template.reports.select_related("bureau")}
