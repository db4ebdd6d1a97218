"""The rows behind tests/platform/test_statistics_records.py: two bureaus' records over March and April 2025.

旌德县 and 绩溪县 (under 宣城市) each get clues through their loop (fed back on time and late, closed by 约谈 and
by 责令整改, overdue, one merged), cases (penalties with fines and confiscations, a decision ordering a
rectification without a penalty, an on-the-spot fine), complaints (mediated, transferred before and after the
end of March), sweep runs and findings, evidence captures, entities (one cancelled in April, one revoked
without a date), presences on two platforms and 双随机 draws (one replaced by a re-draw), on the boundaries
(31 March 23:59, 1 April 00:00). 旌德 transfers one clue to 绩溪 within March and one in April. Every date
is fixed: nothing reads today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from tests.clues.conftest import at

D = dt.date


@dataclass
class Rows:
    demo: object
    readers: dict = field(default_factory=dict)  # name → (user, bureau ids)
    units: dict = field(default_factory=dict)  # bureau id → {"department", "price", "station", "platform"}


def _clues(intake, demo, units):
    """Each bureau's clues through their loop (the steps as they would leave them), and two transfers."""
    from wangjian.clues import services
    from wangjian.clues.models import Clue

    day = at
    for bureau in (demo.county, demo.other_county):
        u = units[bureau.pk]
        shop_a, shop_b = u["shops"]
        specs = [
            # found, unit, domain, presence, the steps
            ("2025-03-03", u["department"], None, "internet_advertising", shop_a, dict(
                state="closed", assigned_at=day("2025-03-03"), feedback_due=D(2025, 3, 10),
                fed_back_at=day("2025-03-09"), check_result="true", closed_at=day("2025-03-20"),
                disposal="guidance")),
            ("2025-03-31", u["price"], None, "online_price", shop_b, dict(
                state="closed", assigned_at=day("2025-03-31"), feedback_due=D(2025, 3, 31),
                fed_back_at=day("2025-04-01", "00:00"), check_result="partly",
                closed_at=day("2025-04-20", "23:59"), disposal="rectify")),
            ("2025-04-01", None, u["station"], "internet_advertising", None, dict(
                state="assigned", assigned_at=day("2025-04-01"), feedback_due=D(2025, 4, 8))),
            ("2025-03-15", u["department"], None, "online_price", shop_a, dict(
                state="fed_back", assigned_at=day("2025-03-15"), feedback_due=D(2025, 3, 24),
                fed_back_at=day("2025-03-20"), check_result="true", disposal_due=D(2025, 3, 25))),
            ("2025-03-10", u["department"], None, "internet_advertising", shop_a, dict(
                state="merged", assigned_at=day("2025-03-10"), fed_back_at=day("2025-03-12"),
                check_result="true")),
            ("2025-04-20", u["department"], None, "internet_advertising", shop_b, dict(
                state="closed", assigned_at=day("2025-04-20"), fed_back_at=day("2025-04-22"),
                check_result="true", closed_at=day("2025-04-28"), disposal="rectify")),
        ]  # fmt: skip
        for found, department, station, domain, shop, steps in specs:
            clue = intake(
                bureau=bureau, domain=domain, presence=shop, now=day(found, "09:00"), dedup=False
            ).clue
            Clue.objects.filter(pk=clue.pk).update(department=department, station=station, **steps)
    # 旌德 hands one matter to 绩溪 within March and one in April; 绩溪 closes the first by 约谈 in April
    office, other = demo.users["office"], units[demo.other_county.pk]
    copies = []
    for found, moved_on in (("2025-03-05", "2025-03-20"), ("2025-03-25", "2025-04-03")):
        sent = intake(domain="internet_advertising", now=day(found, "09:00"), dedup=False).clue
        copy = services.clue_transfer(
            clue=sent, user=office, to_bureau=demo.other_county, reason="属地管辖", now=day(moved_on)
        ).clue
        Clue.objects.filter(pk=copy.pk).update(department=other["department"], station=None)
        copies.append(copy)
    Clue.objects.filter(pk=copies[0].pk).update(
        state="closed", fed_back_at=day("2025-04-08"), check_result="true", closed_at=day("2025-04-10"),
        disposal="guidance",
    )  # fmt: skip


def _cases(demo, units):
    from wangjian.cases.models import Case

    for bureau in (demo.county, demo.other_county):
        u = units[bureau.pk]
        shop_a, shop_b = u["shops"]
        specs = [
            # procedure, source, unit, domain, shop, opened, decided, penalised, fine, confiscated, order, closed
            ("general", "monitoring", u["department"], "internet_advertising", shop_a, "2025-03-02", "2025-03-20",
             True, "3000", "500", "立即停止发布违法广告", "2025-04-05"),
            ("general", "complaint", u["price"], "online_price", shop_b, "2025-03-10", "2025-03-31",
             False, None, None, "责令改正价格标示", "2025-03-31"),
            ("simple", "manual", u["department"], "internet_advertising", None, None, "2025-04-01",
             True, "200", None, "", "2025-04-01"),
            ("general", "monitoring", u["price"], "online_price", shop_a, "2025-04-02", "2025-04-25",
             True, "10000", "2500.50", "", None),
            ("general", "monitoring", u["department"], "internet_advertising", shop_b, "2025-04-30", None,
             None, None, None, "", None),
        ]  # fmt: skip
        for (
            proc,
            source,
            dept,
            domain,
            shop,
            opened,
            decided,
            penalised,
            fine,
            confiscated,
            order,
            closed,
        ) in specs:
            Case.objects.create(
                bureau=bureau,
                title="统计核对案件",
                procedure=proc,
                state="closed" if closed else "investigating",
                source_kind=source,
                party_name="某公司",
                facts="统计核对",
                discovered_on=D(2025, 3, 1),
                department=dept,
                domain=domain,
                presence=shop,
                opened_on=D.fromisoformat(opened) if opened else None,
                decided_on=D.fromisoformat(decided) if decided else None,
                penalised=penalised,
                fine_amount=Decimal(fine) if fine else None,
                confiscated_amount=Decimal(confiscated) if confiscated else None,
                rectification_order=order,
                closed_on=D.fromisoformat(closed) if closed else None,
            )


def _complaints(demo, units):
    from wangjian.complaints.models import Complaint

    for bureau in (demo.county, demo.other_county):
        u = units[bureau.pk]
        shop_a, shop_b = u["shops"]
        specs = [
            # kind, state, received, accepted, ended, recovered, department, station, domain, presence, platform name
            ("complaint", "resolved", "2025-03-02", "2025-03-03", "2025-03-20", "120.40", u["price"], None,
             "online_price", shop_a, ""),
            ("report", "verifying", "2025-03-31", None, None, None, u["department"], None,
             "internet_advertising", None, u["platform"].name),
            ("complaint", "transferred", "2025-03-15", None, "2025-04-02", None, u["price"], None,
             "online_price", None, ""),
            ("complaint", "resolved", "2025-04-01", "2025-04-03", "2025-04-30", "80", None, u["station"],
             "online_price", shop_b, ""),
            ("complaint", "transferred", "2025-03-10", None, "2025-03-12", None, u["department"], None,
             "internet_advertising", None, u["platform"].name),
        ]  # fmt: skip
        for kind, state, received, accepted, ended, recovered, dept, station, domain, shop, name in specs:
            Complaint.objects.create(
                bureau=bureau,
                kind=kind,
                state=state,
                received_on=D.fromisoformat(received),
                accepted_on=D.fromisoformat(accepted) if accepted else None,
                ended_on=D.fromisoformat(ended) if ended else None,
                recovered=Decimal(recovered) if recovered else None,
                respondent_name="某网店",
                summary="统计核对",
                department=dept,
                station=station,
                domain=domain,
                presence=shop,
                platform_name=name,
            )


def _monitoring_and_evidence(demo, units):
    from wangjian.evidence.models import EvidenceCapture
    from wangjian.monitoring.models import Finding, MonitoringTask, SweepRun

    for bureau in (demo.county, demo.other_county):
        shop_a, shop_b = units[bureau.pk]["shops"]
        task = MonitoringTask.objects.create(bureau=bureau, name=f"{bureau.name}核对巡查")
        started = SweepRun.objects.create(
            task=task, bureau=bureau, status="done", started_at=at("2025-03-31", "23:30"), pages_done=7,
            pages_unchanged=3, pages_failed=5,
        )  # fmt: skip
        waiting = SweepRun.objects.create(
            task=task, bureau=bureau, status="queued", pages_done=2, pages_unchanged=1
        )
        SweepRun.objects.filter(pk=waiting.pk).update(created=at("2025-04-01", "00:10"))
        for k, (seen, shop, category, status, reviewed) in enumerate(
            (
                (at("2025-03-31", "23:59"), shop_a, "absolute_terms", "confirmed", at("2025-04-02")),
                (at("2025-04-01", "00:00"), shop_b, "price_fraud", "new", None),
                (at("2025-03-05"), shop_a, "absolute_terms", "dismissed", at("2025-03-06")),
                (at("2025-03-06"), shop_b, "price_fraud", "confirmed", at("2025-03-31", "23:59")),
            )
        ):
            Finding.objects.create(
                bureau=bureau, presence=shop, task=task, first_run=started, last_run=started,
                page_url=f"https://shop.example/{bureau.pk}/{k}", rule_code=f"R{k}", rule_name="规则",
                matched=f"最佳{bureau.pk}-{k}", matched_key=f"最佳{bureau.pk}-{k}", category=category,
                severity="high", first_seen=seen, last_seen=seen, status=status, reviewed_at=reviewed,
            )  # fmt: skip
        for moment, status, mode in (
            (at("2025-03-31", "23:59"), "ok", "browser"),
            (at("2025-04-01", "00:00"), "ok", "upload"),
            (at("2025-03-10"), "failed", "browser"),
        ):
            EvidenceCapture.objects.create(
                bureau=bureau, url="https://shop.example/", mode=mode, status=status, purpose="统计核对",
                operators=["钱科员"], started_at=moment, finished_at=moment, retain_until=D(2030, 1, 1),
            )  # fmt: skip


def _registry(demo, units, n):
    """Entities entered on the days (one cancelled in April, one revoked without a date) and presences."""
    from wangjian.registry.models import MarketEntity, Presence
    from wangjian.registry.uscc import complete

    entities = {}
    for bureau in (demo.county, demo.other_county):
        made = []
        for moment, status, status_date in (
            (at("2025-03-01"), "active", None),
            (at("2025-03-31", "23:59"), "active", None),
            (at("2025-04-01", "00:00"), "active", None),
            (at("2025-03-02"), "cancelled", D(2025, 4, 10)),
            (at("2025-03-03"), "revoked", None),
        ):
            entity = MarketEntity.objects.create(
                bureau=bureau, uscc=complete(f"91341825MA2T{next(n):05d}"), name=f"核对商贸第{next(n)}公司"
            )
            MarketEntity.objects.filter(pk=entity.pk).update(
                created=moment, status=status, status_date=status_date
            )
            made.append(entity)
        entities[bureau.pk] = made
        platform, other_platform = units[bureau.pk]["platforms"]
        for moment, on, linked in (
            (at("2025-03-01"), platform, made[0]),
            (at("2025-03-31", "23:59"), other_platform, None),
            (at("2025-04-15"), platform, made[1]),
        ):
            shop = Presence.objects.create(
                bureau=bureau,
                platform=on,
                account_id=f"reg{next(n)}",
                shop_name=f"核对店{next(n)}",
                entity=linked,
            )
            Presence.objects.filter(pk=shop.pk).update(created=moment)
    return entities


def _draw(plan, drawn_at, objects, state="drawn", replaces=None):
    from wangjian.inspections.models import Draw, DrawnObject

    draw = Draw.objects.create(
        bureau=plan.bureau, plan=plan, state=state, algorithm="sha256", algorithm_version=1,
        pool_sha256="0" * 64, inputs_sha256="0" * 64, source_name="核对随机源", source_date=D(2025, 3, 1),
        published_at=at("2025-03-01"), drawn_at=drawn_at, objects_count=len(objects), replaces=replaces,
    )  # fmt: skip
    for rank, entity in enumerate(objects, 1):
        DrawnObject.objects.create(draw=draw, entity=entity, stratum="A", rank=rank)
    return draw


def _draws(demo, units, entities):
    """Per bureau: a draw of 31 March (two objects), one of 2 April replaced on 3 April by a re-draw, one of
    the price department's plan in March, and one whose value is not yet entered."""
    from wangjian.inspections.models import Plan

    for bureau in (demo.county, demo.other_county):
        u, made = units[bureau.pk], entities[bureau.pk]
        ad, price = (
            Plan.objects.create(bureau=bureau, title=f"核对抽查{dept.name}", year=2025, department=dept)
            for dept in (u["department"], u["price"])
        )
        _draw(ad, at("2025-03-31", "23:59"), made[:2])
        replaced = _draw(ad, at("2025-04-02"), made[:1])
        _draw(ad, at("2025-04-03"), made[1:3], replaces=replaced)  # the re-draw that replaces it
        _draw(price, at("2025-03-10"), made[2:3])
        _draw(price, None, [], state="published")  # its value not yet entered


def _assistance(demo, units):
    """协查 between the two counties: sent 31 March (received that day, due 21 April), answered 22 April (late);
    sent 2 April, answered 3 April (on time); one from 绩溪 sent 10 March, received, overdue from 1 April."""
    from wangjian.assist.models import AssistanceRequest

    def letter(frm, to, n, sent, received, due, answered=None, on_time=None, state="sent"):
        return AssistanceRequest.objects.create(
            number=f"核对协〔2025〕{n}号", from_bureau=frm, to_bureau=to, question="请协查", entity_name=f"协查对象{n}",
            state=state, sent_at=sent, received_on=received, due=due, answered_at=answered, answered_on_time=on_time,
        )  # fmt: skip

    county, other = demo.county, demo.other_county
    letter(
        county,
        other,
        1,
        at("2025-03-31", "23:59"),
        D(2025, 3, 31),
        D(2025, 4, 21),
        at("2025-04-22"),
        False,
        "answered",
    )
    letter(
        county, other, 2, at("2025-04-02"), D(2025, 4, 2), D(2025, 4, 23), at("2025-04-03"), True, "answered"
    )
    letter(other, county, 3, at("2025-03-10"), D(2025, 3, 10), D(2025, 3, 31))


def _outreach(demo, units):
    """Per bureau, on its first platform: a takedown sent 28 March and answered 2 April (done, 3 of 4 links, on
    time), one sent 1 April unanswered, a data request answered late in March; an 约谈 on 31 March."""
    from wangjian.outreach.models import Guidance, PlatformRequest

    for bureau in (demo.county, demo.other_county):
        platform = units[bureau.pk]["platform"]

        def request(kind, sent, due, answered=None, answer="", removed=0, bureau=bureau, platform=platform):
            return PlatformRequest.objects.create(
                bureau=bureau, platform=platform, kind=kind, sent_on=sent, basis="电子商务法", due=due,
                answered_on=answered, answer=answer, link_count=4, links_removed=removed,
                answered_late=bool(answered and answered > due),
            )  # fmt: skip

        request("takedown", D(2025, 3, 28), D(2025, 4, 2), D(2025, 4, 2), "done", 3)
        request("takedown", D(2025, 4, 1), D(2025, 4, 4))
        request("data", D(2025, 3, 3), D(2025, 3, 13), D(2025, 3, 20), "done")
        Guidance.objects.create(
            bureau=bureau, platform=platform, kind="interview", held_on=D(2025, 3, 31), matters="约谈"
        )


@pytest.fixture
def rows(demo, intake):
    from wangjian.org import services as org_services
    from wangjian.org.models import Department, Station
    from wangjian.registry.models import Platform, Presence

    n = iter(range(1, 10_000))
    units = {}
    for bureau in (demo.county, demo.other_county):
        platforms = [Platform.objects.create(bureau=bureau, name=f"{bureau.name[:3]}{x}平台") for x in "甲乙"]
        shops = []
        for platform in platforms:
            shop = Presence.objects.create(
                bureau=bureau, platform=platform, account_id=f"shop{next(n)}", shop_name=f"核对店{next(n)}"
            )
            Presence.objects.filter(pk=shop.pk).update(created=at("2025-02-01"))
            shops.append(shop)
        units[bureau.pk] = {
            "department": Department.objects.get(bureau=bureau, name="广告监管股"),
            "price": Department.objects.filter(bureau=bureau, name__contains="价格").first(),
            "station": Station.objects.filter(bureau=bureau).order_by("id").first(),
            "platform": platforms[0],
            "platforms": platforms,
            "shops": shops,
        }
    _clues(intake, demo, units)
    _cases(demo, units)
    _complaints(demo, units)
    _monitoring_and_evidence(demo, units)
    _draws(demo, units, _registry(demo, units, n))
    _assistance(demo, units)
    _outreach(demo, units)
    jixi_office, _ = org_services.user_create(
        username="jixi_office", bureau=demo.other_county, role="office_admin", password="Demo2025pass"
    )
    return Rows(
        demo,
        readers={
            "旌德县": (demo.users["office"], frozenset({demo.county.pk})),
            "绩溪县": (jixi_office, frozenset({demo.other_county.pk})),
            "宣城市": (demo.users["city_office"], frozenset(demo.city.descendant_ids())),
        },
        units=units,
    )
