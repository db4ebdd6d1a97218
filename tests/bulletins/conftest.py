"""The bulletin tests: 旌德县's 通报 of November 2025 (against October 2025 and November 2024), drafted and issued
on Friday 2025-12-05 by 李主任 of the office (the leading group's office sits with it).

November: two clues received (11-10, 11-20), two complaints received (one on 11-12 settled with ¥480 recovered on
11-18), one typical case; October: one clue received (10-15) and one complaint (10-20).
"""

from __future__ import annotations

import datetime as dt
import os

import pytest

from tests.clues.conftest import at, clock, intake  # noqa: F401
from tests.conftest import chromium_path

NOVEMBER = dt.date(2025, 11, 1)
DRAFTED = at("2025-12-05", "09:00")
ISSUED = at("2025-12-05", "10:00")
HIGHLIGHTS = "（一）开展双十一专项监测。组织各股室集中检查网店促销页面。\n1. 广告股检查直播间12个。\n（二）下一步工作。加强土特产网络销售监管。"


@pytest.fixture(autouse=True)
def store(settings, tmp_path):
    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")
    settings.WANGJIAN_EVIDENCE_KEY_DIR = str(tmp_path / "keys")


@pytest.fixture
def chromium():
    if chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium missing in CI")
        pytest.skip("Debian's chromium is not installed")


@pytest.fixture
def office(demo):
    return demo.users["office"]


@pytest.fixture
def month(demo, office, intake):  # noqa: F811
    """The records behind November's (and October's) figures."""
    from wangjian.cases.models import Case
    from wangjian.complaints.services.intake import complaint_register
    from wangjian.complaints.services.steps import complaint_act

    for day in ("2025-11-10", "2025-11-20", "2025-10-15"):
        intake(now=at(day), facts=f"{day} 商品详情页使用绝对化用语")

    def register(on: str):
        values = {
            "kind": "complaint",
            "received_on": dt.date.fromisoformat(on),
            "person_name": "张小花",
            "person_phone": "13900001111",
            "respondent_name": "旌德县优品百货网店",
            "respondent_uscc": "92341825MA2COMP01X",
            "respondent_region": "341825100",
            "platform_name": "某电商平台",
            "category": "家用电器",
            "summary": "电水壶漏电",
        }
        return complaint_register(user=office, bureau=demo.county, values=values, now=at(on))

    settled = register("2025-11-12")
    handler = demo.users["station_officer"]
    complaint_act(complaint=settled, user=handler, action="accept", values={}, now=at("2025-11-13"))
    settled.refresh_from_db()
    complaint_act(
        complaint=settled,
        user=handler,
        action="resolve",
        values={"agreement": "商家退货退款", "recovered": "480"},
        now=at("2025-11-18"),
    )
    register("2025-11-25")
    register("2025-10-20")
    return Case.objects.create(
        bureau=demo.county,
        title="某茶叶网店虚假宣传案",
        domain="internet_advertising",
        source_kind="monitoring",
        typical=True,
        discovered_on=dt.date(2025, 10, 8),
        department=demo.county.departments.first(),
        party_name="旌德县某茶叶网店",
        facts="网店宣称茶叶“降三高”",
        decided_on=dt.date(2025, 11, 26),
        decision_number="旌市监处罚〔2025〕12号",
        decision_summary="当事人在网店宣称茶叶“降三高”，构成虚假宣传，责令停止违法行为",
        fine_amount="20000.00",
    )


@pytest.fixture
def draft(demo, office, month):
    from wangjian.bulletins.services import bulletins

    return bulletins.bulletin_draft(
        user=office, bureau=demo.county, month=NOVEMBER, highlights=HIGHLIGHTS, now=DRAFTED
    )


@pytest.fixture
def issued(office, draft, chromium):
    from wangjian.bulletins.services import bulletins

    bulletins.bulletin_edit(
        bulletin=draft, user=office, typical_cases=[draft.bureau.cases.get(typical=True).pk]
    )
    bulletins.bulletin_issue(bulletin=draft, user=office, now=ISSUED)
    draft.refresh_from_db()
    return draft
