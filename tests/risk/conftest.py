"""Rows for the risk tests: entities of the demo county, findings, credit classes, all on given dates."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from wangjian.monitoring.choices import Category, FindingStatus, Severity
from wangjian.monitoring.models import Finding
from wangjian.registry.models import MarketEntity, Presence
from wangjian.registry.uscc import complete
from wangjian.risk.models import CreditRiskClass

TODAY = dt.date(2026, 12, 7)  # a Monday
_n = itertools.count(1)


@pytest.fixture
def make(demo):
    """``make.entity()``, ``make.finding(entity, …)``, ``make.credit(entity, "D", month)``: rows of 旌德县."""

    class Make:
        county = demo.county

        def entity(self, region: str = "341825100", **extra) -> MarketEntity:
            n = next(_n)
            return MarketEntity.objects.create(
                bureau=demo.county,
                uscc=complete(f"91341825MA2R{n:05d}"),
                name=f"旌德县风险测试第{n}商贸有限公司",
                region_code=region,
                **extra,
            )

        def presence(self, entity: MarketEntity) -> Presence:
            n = next(_n)
            return Presence.objects.create(
                bureau=demo.county, kind="website", url=f"https://risk{n}.example/", entity=entity
            )

        def finding(
            self,
            entity: MarketEntity,
            *,
            status: str = FindingStatus.CONFIRMED,
            severity: str = Severity.HIGH,
            seen: dt.date = TODAY - dt.timedelta(days=10),
        ) -> Finding:
            n = next(_n)
            moment = dt.datetime.combine(seen, dt.time(10), tzinfo=dt.UTC)
            return Finding.objects.create(
                bureau=demo.county,
                presence=self.presence(entity),
                page_url="https://example/",
                rule_code=f"AD{n:03d}",
                rule_name="绝对化用语",
                matched="最佳",
                matched_key=f"最佳{n}",
                category=Category.ABSOLUTE_TERMS,
                severity=severity,
                first_seen=moment,
                last_seen=moment,
                status=status,
            )

        def credit(self, entity: MarketEntity, risk_class: str, month: dt.date = dt.date(2026, 11, 1)):
            return CreditRiskClass.objects.create(
                bureau=demo.county, entity=entity, month=month, risk_class=risk_class
            )

    return Make()
