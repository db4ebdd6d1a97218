"""A small dataset across the demo's bureaus (旌德县 and 绩溪县 under 宣城市) for reconciling the figures.

The period under test is March 2025 (``START`` … ``END``); every kind of record has one on the last
day (counted), one on the day after (not counted) and one the day before the start (not counted),
in 旌德县, plus one in 绩溪县 (counted for 绩溪县 and for 宣城市 with its bureaus below, never for
旌德县). Dates are fixed: nothing reads today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from tests.clues.conftest import at, intake  # noqa: F401 (a fixture)

START, END = dt.date(2025, 3, 1), dt.date(2025, 3, 31)
DAYS = {
    "before": "2025-02-28",
    "first": "2025-03-01",
    "mid": "2025-03-12",
    "last": "2025-03-31",
    "after": "2025-04-01",
}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Data:
    demo: object
    clues: dict = field(default_factory=dict)
    platform: object = None
    other_platform: object = None


def _set_created(model, pk, moment):
    model.objects.filter(pk=pk).update(created=moment)


@pytest.fixture
def data(demo, intake):  # noqa: F811
    from wangjian.cases.models import Case
    from wangjian.clues import services as clue_services
    from wangjian.complaints.models import Complaint
    from wangjian.evidence.models import EvidenceCapture
    from wangjian.monitoring.models import Finding, MonitoringTask, SweepRun
    from wangjian.org.choices import DepartmentKind
    from wangjian.org.models import Department
    from wangjian.registry.models import MarketEntity, Platform, Presence
    from wangjian.registry.uscc import complete

    county, other = demo.county, demo.other_county
    d = Data(demo)
    d.platform = Platform.objects.create(bureau=county, name="某电商平台")
    d.other_platform = Platform.objects.create(bureau=county, name="另一平台")
    ad = Department.objects.get(bureau=county, kind=DepartmentKind.ADVERTISING)
    price = Department.objects.get(bureau=county, kind=DepartmentKind.PRICE)
    other_ad = Department.objects.filter(bureau=other).first()
    n = iter(range(1, 1000))

    # ---- registry: entities and presences entered on the days, one cancelled in the period
    shops = {}
    for bureau in (county, other):
        for day, moment in DAYS.items():
            i = next(n)
            entity = MarketEntity.objects.create(
                bureau=bureau, uscc=complete(f"91341825MA2T{i:05d}"), name=f"统计测试第{i}商贸有限公司"
            )
            _set_created(MarketEntity, entity.pk, at(moment, "23:59"))
            shop = Presence.objects.create(
                bureau=bureau,
                platform=d.platform if day != "mid" else d.other_platform,
                account_id=f"shop{i}",
                shop_name=f"统计测试店{i}",
                entity=entity if day in ("first", "last") else None,
            )
            _set_created(Presence, shop.pk, at(moment, "23:59"))
            shops[(bureau.pk, day)] = shop
    gone = MarketEntity.objects.filter(bureau=county).order_by("id").first()
    MarketEntity.objects.filter(pk=gone.pk).update(status="cancelled", status_date=dt.date(2025, 3, 15))

    # ---- monitoring: runs and findings
    for bureau in (county, other):
        task = MonitoringTask.objects.create(bureau=bureau, name=f"{bureau.name}巡查")
        for day in DAYS.values():
            run = SweepRun.objects.create(
                task=task,
                bureau=bureau,
                status="done",
                started_at=at(day, "23:30"),
                pages_done=7,
                pages_unchanged=3,
                pages_failed=5,
            )
            for k, (category, status) in enumerate(
                (("absolute_terms", "confirmed"), ("price_fraud", "new"), ("absolute_terms", "dismissed"))
            ):
                shop = shops[(bureau.pk, "first" if k != 1 else "mid")]
                Finding.objects.create(
                    bureau=bureau,
                    presence=shop,
                    task=task,
                    first_run=run,
                    last_run=run,
                    page_url=f"https://shop.example/{run.pk}/{k}",
                    rule_code=f"R{k}",
                    rule_name="规则",
                    matched=f"最佳{run.pk}-{k}",
                    matched_key=f"最佳{run.pk}-{k}",
                    category=category,
                    severity="high",
                    first_seen=at(day, "00:00" if k == 0 else "23:59"),
                    last_seen=at(day, "23:59"),
                    status=status,
                    reviewed_at=at(day, "12:00") if status != "new" else None,
                )

    # ---- evidence captures (one failed, not counted)
    for bureau in (county, other):
        for day in DAYS.values():
            for status, mode in (("ok", "browser"), ("ok", "upload"), ("failed", "browser")):
                EvidenceCapture.objects.create(
                    bureau=bureau,
                    url="https://shop.example/",
                    mode=mode,
                    status=status,
                    purpose="统计测试",
                    operators=["钱科员"],
                    started_at=at(day, "23:59"),
                    finished_at=at(day, "23:59"),
                    retain_until=dt.date(2030, 1, 1),
                )

    # ---- cases: opened (general) by source, a simple-procedure decision, fines
    for bureau, dept in ((county, ad), (county, price), (other, other_ad)):
        for day in DAYS.values():
            on = dt.date.fromisoformat(day)
            for source, procedure, fine in (
                ("monitoring", "general", "5000.50"),
                ("complaint", "general", None),
                ("manual", "simple", "200"),
            ):
                Case.objects.create(
                    bureau=bureau,
                    title="统计测试案件",
                    domain="internet_advertising" if dept != price else "online_price",
                    procedure=procedure,
                    state="closed",
                    source_kind=source,
                    party_name="某公司",
                    facts="统计",
                    discovered_on=on,
                    department=dept,
                    opened_on=on if procedure == "general" else None,
                    decided_on=on,
                    penalised=fine is not None,
                    fine_amount=Decimal(fine) if fine else None,
                    closed_on=on,
                    presence=shops[(bureau.pk, "first")],
                )

    # ---- complaints: received, accepted, resolved with amounts, one transferred away in the period
    for bureau in (county, other):
        for day in DAYS.values():
            on = dt.date.fromisoformat(day)
            for kind, state, recovered in (
                ("complaint", "resolved", "120.40"),
                ("report", "verifying", None),
                ("complaint", "transferred", None),
            ):
                Complaint.objects.create(
                    bureau=bureau,
                    kind=kind,
                    received_on=on,
                    respondent_name="某网店",
                    summary="统计测试",
                    state=state,
                    accepted_on=on if kind == "complaint" and state != "transferred" else None,
                    ended_on=on if state in ("resolved", "transferred") else None,
                    recovered=Decimal(recovered) if recovered else None,
                    domain="online_price",
                    department=price if bureau == county else None,
                    presence=shops[(bureau.pk, "first")] if state == "resolved" else None,
                    platform_name="某电商平台" if state != "resolved" else "",
                )

    # ---- clues through the services: found on the days, fed back, one transferred in March, one in April
    office = demo.users["office"]
    for bureau in (county, other):
        for day in DAYS.values():
            i = next(n)
            clue = intake(bureau=bureau, entity_uscc=f"A{i}", now=at(day, "09:00")).clue
            d.clues[(bureau.pk, day)] = clue
    moved = intake(entity_uscc="MOVED-MARCH", now=at("2025-03-05")).clue
    d.clues["moved_march"] = clue_services.clue_transfer(
        clue=moved, user=office, to_bureau=other, reason="属地管辖", now=at("2025-03-20")
    ).clue
    d.clues["moved_march_from"] = moved
    late = intake(entity_uscc="MOVED-APRIL", now=at("2025-03-25")).clue
    d.clues["moved_april"] = clue_services.clue_transfer(
        clue=late, user=office, to_bureau=other, reason="属地管辖", now=at("2025-04-03")
    ).clue
    d.clues["moved_april_from"] = late
    # the units' feedback and closing, written as the steps would leave them
    from wangjian.clues.models import Clue

    steps = {
        "before": dict(
            state="closed",
            fed_back_at=at("2025-03-01", "00:00"),
            check_result="false",
            feedback_due=dt.date(2025, 2, 27),
            closed_at=at("2025-03-15"),
            disposal="rectify",
        ),
        "first": dict(state="checking", feedback_due=dt.date(2025, 3, 10)),
        "mid": dict(
            state="fed_back",
            fed_back_at=at("2025-03-31", "23:59"),
            check_result="true",
            feedback_due=dt.date(2025, 3, 31),
            disposal_due=dt.date(2025, 3, 20),
        ),
        "last": dict(state="checking", feedback_due=dt.date(2025, 4, 10)),
        "after": dict(
            state="fed_back",
            fed_back_at=at("2025-04-01", "00:00"),
            check_result="partly",
            feedback_due=dt.date(2025, 4, 1),
        ),
    }
    for bureau in (county, other):
        for day, values in steps.items():
            Clue.objects.filter(pk=d.clues[(bureau.pk, DAYS[day])].pk).update(**values)
    Clue.objects.filter(pk=d.clues[(county.pk, DAYS["first"])].pk).update(
        fed_back_at=at("2025-04-01", "00:00"), check_result="true"
    )
    return d
