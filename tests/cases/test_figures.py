"""The monthly 涉网案件 table reconciles with the case records it counts (立案 by date and source, decisions, closings)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Sum

from tests.cases.conftest import MATERIALS
from wangjian.cases import selectors
from wangjian.cases.models import Case


def test_the_month_counts_what_the_records_say(demo, filed, act, officer, legal, leader):
    a = filed(opened="2025-11-07")  # 广告监管股, from monitoring
    b = filed(opened="2025-11-10", found="2025-11-04")
    c = filed(opened="2025-12-01", found="2025-11-20")  # next month: not counted as filed in November
    # b is decided (penalised) and closed in November; a goes to the police in November
    act(b, officer, "end_investigation", "2025-11-12", report="事实清楚")
    act(b, officer, "submit_review", "2025-11-12")
    act(b, legal, "reviewed", "2025-11-13", opinion="同意")
    act(b, officer, "notify", "2025-11-14", served_on=dt.date(2025, 11, 14), fine_amount="3000")
    act(b, leader, "decide", "2025-11-24", penalised=True, summary="罚款三千元", fine_amount="3000")
    act(b, officer, "serve", "2025-11-25", served_on=dt.date(2025, 11, 25))
    act(b, officer, "execute", "2025-11-26", executed_on=dt.date(2025, 11, 26))
    act(b, demo.users["ad_head"], "close", "2025-11-27", lessons="平台广告审核缺位，已约谈平台")
    act(
        a,
        leader,
        "transfer",
        "2025-11-20",
        target="旌德县公安局",
        police=True,
        reason="涉嫌犯罪",
        materials=MATERIALS,
    )
    rows = selectors.monthly_figures(bureau=demo.county, year=2025, month=11, today=dt.date(2025, 12, 31))
    total = selectors.figures_total(rows)
    november = Case.objects.filter(bureau=demo.county, opened_on__year=2025, opened_on__month=11)
    assert total.filed_total == november.count() == 2
    assert total.filed == {"monitoring": 2}
    assert total.decided == total.penalised == 1 and total.closed == 1
    assert total.fines == Decimal("3000.00") == november.aggregate(s=Sum("fine_amount"))["s"]
    assert total.police == 1
    # at the month's end nothing filed in November is still before decision: one decided, one transferred
    assert total.running == 0 and total.overdue == 0
    december = selectors.figures_total(
        selectors.monthly_figures(bureau=demo.county, year=2025, month=12, today=dt.date(2025, 12, 31))
    )
    assert december.filed_total == 1 and december.running == 1  # c
    assert c.state == "investigating"


def test_a_case_past_its_deadline_at_the_months_end_counts_as_overdue(demo, filed):
    filed(opened="2025-11-07")  # decision due 2026-02-05
    feb = selectors.figures_total(
        selectors.monthly_figures(bureau=demo.county, year=2026, month=2, today=dt.date(2026, 3, 31))
    )
    jan = selectors.figures_total(
        selectors.monthly_figures(bureau=demo.county, year=2026, month=1, today=dt.date(2026, 3, 31))
    )
    assert (jan.running, jan.overdue) == (1, 0) and (feb.running, feb.overdue) == (1, 1)


def test_the_figures_page_and_its_excel_for_the_office_not_for_an_officer(demo, filed, login):
    filed(opened="2025-11-07")
    office = login(demo.users["office"])
    page = office.get("/cases/figures/?year=2025&month=11")
    assert page.status_code == 200 and "广告监管股" in page.content.decode()
    xlsx = office.get("/cases/figures.xlsx?year=2025&month=11")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert login(demo.users["ad_officer"]).get("/cases/figures/").status_code == 403


def test_an_on_the_spot_penalty_counts_among_decisions_and_fines_not_among_filings(
    demo, filed, officer, head
):
    from tests.clues.conftest import at
    from wangjian.cases.services.simple import case_on_the_spot

    filed(opened="2025-11-07")
    case_on_the_spot(
        user=officer,
        values={
            "decision_number": "旌市监当罚〔2025〕0003号",
            "decided_on": dt.date(2025, 11, 12),
            "title": "网店未公示营业执照信息",
            "domain": "licence_display",
            "party_name": "旌德县小梅百货店",
            "party_kind": "organisation",
            "facts": "现场检查发现",
            "provisions": "《电子商务法》第十五条",
            "penalty_kinds": ["fine"],
            "fine_amount": "500",
            "summary": "罚款五百元",
            "department": officer.department,
            "officers": [head],
        },
        now=at("2025-11-12", "10:00"),
    )
    total = selectors.figures_total(
        selectors.monthly_figures(bureau=demo.county, year=2025, month=11, today=dt.date(2025, 12, 31))
    )
    assert total.filed_total == 1 and total.simple == 1  # 当场处罚 is no 立案
    assert total.decided == total.penalised == 1 and total.fines == Decimal("500.00")


def test_the_statistics_fines_confiscations_and_rectifications_are_the_monthly_tables(
    demo, filed, act, officer, legal, leader
):
    """罚没款 (``cases_fines_and_confiscations``) is the month's fines and confiscations as the monthly table
    adds them; a decision ordering a rectification counts among ``rectifications`` in its month."""
    from wangjian.platform import statistics

    case = filed(opened="2025-11-07")
    act(case, officer, "end_investigation", "2025-11-12", report="事实清楚")
    act(case, officer, "submit_review", "2025-11-12")
    act(case, legal, "reviewed", "2025-11-13", opinion="同意")
    act(case, officer, "notify", "2025-11-14", served_on=dt.date(2025, 11, 14), fine_amount="3000")
    act(
        case,
        leader,
        "decide",
        "2025-11-24",
        penalised=True,
        summary="罚款三千元，没收违法所得一千二百元",
        fine_amount="3000",
        confiscated_amount="1200",
        rectification_order="立即停止发布违法广告",
        rectify_by=dt.date(2025, 12, 10),
    )
    total = selectors.figures_total(
        selectors.monthly_figures(bureau=demo.county, year=2025, month=11, today=dt.date(2025, 12, 31))
    )
    scope = statistics.Scope(bureau_ids=frozenset({demo.county.pk}))
    november = (dt.date(2025, 11, 1), dt.date(2025, 11, 30))
    assert statistics.value("cases_fines", scope, *november) == total.fines == Decimal("3000")
    assert statistics.value("cases_confiscations", scope, *november) == total.confiscated == Decimal("1200")
    assert statistics.value("cases_fines_and_confiscations", scope, *november) == Decimal("4200")
    assert statistics.value("rectifications", scope, *november) == 1
    assert statistics.breakdown("rectifications", scope, *november) == {"case": 1}
    december = (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert statistics.value("rectifications", scope, *december) == 0  # counted once, in the month decided
