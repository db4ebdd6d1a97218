"""The intake port: any source hands a lead in natural keys and learns which clue it became, whether new or
merged, and why; merged leads keep their own receipt dates and their own duty to answer a named reporter."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from wangjian.clues import services as clue_services
from wangjian.clues.models import Clue
from wangjian.core.errors import ValidationFailed
from wangjian.core.models import ChangeRecord
from wangjian.platform.intake import Lead, Reporter, lead_submit
from wangjian.platform.workitems.followup import followups_run
from wangjian.platform.workitems.models import WorkItem

BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=BEIJING)


def lead(**kw) -> Lead:
    values = {
        "bureau": "341825",
        "source_kind": "complaint",
        "source_ref": "12315-2025-0001",
        "domain": "internet_advertising",
        "facts": "网店宣称茶叶“降三高”",
        "entity_uscc": "92341825MA2TEA001X",
        "entity_name": "旌德县某茶叶店",
    }
    values.update(kw)
    return Lead(**values)


@pytest.fixture
def shop(demo):
    from wangjian.registry.models import MarketEntity, Platform, Presence

    entity = MarketEntity.objects.create(bureau=demo.county, uscc="92341825MA2TEA001X", name="旌德县某茶叶店")
    platform = Platform.objects.create(bureau=demo.county, name="某宝")
    return Presence.objects.create(
        bureau=demo.county, platform=platform, account_id="tea-001", shop_name="好茶小铺", entity=entity
    )


def test_a_lead_in_natural_keys_becomes_a_routed_clue_linked_to_the_registry(demo, shop):
    receipt = lead_submit(lead(platform="某宝", account_id="tea-001"), now=at("2025-11-03"))
    clue = Clue.objects.get(number=receipt.number)
    assert receipt.created and clue.presence == shop and clue.entity == shop.entity
    assert "职责清单" in receipt.reason_zh and receipt.reason_en and receipt.url == clue.get_absolute_url()
    assert clue.department is not None and clue.feedback_due == dt.date(2025, 11, 12)


def test_a_second_lead_about_the_same_shop_joins_the_open_clue_and_says_why(demo, shop):
    first = lead_submit(lead(platform="某宝", account_id="tea-001"), now=at("2025-11-03"))
    second = lead_submit(
        lead(
            source_ref="12315-2025-0002", platform="某宝", account_id="tea-001", received=dt.date(2025, 11, 4)
        ),
        now=at("2025-11-05"),
    )
    assert not second.created and second.number == first.number
    assert "并入" in second.reason_zh and "Joined" in second.reason_en
    sources = Clue.objects.get(number=first.number).sources.order_by("received_at")
    assert [s.ref for s in sources] == ["12315-2025-0001", "12315-2025-0002"]
    assert sources[1].received_at.date() == dt.date(2025, 11, 4)  # its own receipt date, not the merge's


def test_each_named_reporter_of_a_merged_clue_is_owed_an_answer_of_their_own(demo, shop, unit_user):
    lead_submit(lead(reporter=Reporter("张三", "13900000001")), now=at("2025-11-03"))
    receipt = lead_submit(
        lead(source_ref="12315-2025-0002", reporter=Reporter("李四", "13900000002")), now=at("2025-11-04")
    )
    clue = Clue.objects.get(number=receipt.number)
    officer = unit_user(clue)
    clue_services.clue_accept(clue=clue, user=officer, now=at("2025-11-05"))
    clue_services.clue_feedback(
        clue=clue, user=officer, result="true", actions="已约谈", now=at("2025-11-06")
    )
    clue_services.clue_filing_decided(  # the bureau head approves the 立案审批表
        clue=clue,
        user=demo.users["leader"],
        filed=True,
        case_number="旌市监立〔2025〕9号",
        case_url="/cases/cases/9/",
        now=at("2025-11-07"),
    )
    duties = WorkItem.objects.filter(kind="report.outcome", reference=clue.number).order_by("id")
    assert [d.title for d in duties] == ["告知举报人张*处理结果", "告知举报人李*处理结果"]
    assert all(
        d.due == dt.date(2025, 11, 14) and "第三十一条" in d.due_basis for d in duties
    )  # 5 working days
    assert "12315-2025-0002" in duties[1].body and "2025-11-04 收到" in duties[1].body
    assert "13900000002" not in duties[1].title + duties[1].body  # personal data stays on the clue
    report = followups_run(now=at("2025-11-17"))
    assert report.overdue.count(clue.number) == 2  # each duty is its own


def test_a_reporters_details_are_masked_and_showing_them_is_logged(demo, shop, login, unit_user):
    receipt = lead_submit(lead(reporter=Reporter("张三", "13900000001")), now=at("2025-11-03"))
    clue = Clue.objects.get(number=receipt.number)
    source = clue.sources.get()
    page = login(demo.users["auditor"]).get(clue.get_absolute_url()).content.decode()
    assert "13900000001" not in page and "张**" in page
    refused = login(demo.users["auditor"]).get(f"{clue.get_absolute_url()}?reporter={source.pk}", follow=True)
    assert "13900000001" not in refused.content.decode() and "只有承办单位" in refused.content.decode()
    shown = login(unit_user(clue)).get(f"{clue.get_absolute_url()}?reporter={source.pk}").content.decode()
    assert "13900000001" in shown
    assert ChangeRecord.objects.filter(action="view", object_id=str(source.pk)).count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"bureau": "999999"}, "未知的接收单位"),
        ({"domain": "nothing"}, "未知的监管领域"),
        ({"source_kind": "rumour"}, "未知的线索来源"),
        ({"facts": "  "}, "问题描述"),
        ({"evidence": ("capture:17",)}, "evidence:<SHA-256>"),
        ({"received": dt.date(2030, 1, 1)}, "不能晚于现在"),
    ],
)
def test_a_bad_lead_is_refused_in_both_languages_and_nothing_is_written(demo, change, message):
    with pytest.raises(ValidationFailed, match=message) as refused:
        lead_submit(lead(**change), now=at("2025-11-03"))
    assert refused.value.en and not Clue.objects.exists()


def test_the_sources_back_reference_leads_to_the_clue(demo, shop, login):
    receipt = lead_submit(lead(), now=at("2025-11-03"))
    r = login(demo.users["office"]).get(f"/leads/{receipt.number}/?bureau={demo.county.pk}")
    assert r.status_code == 302 and r["Location"] == receipt.url
    assert login(demo.users["office"]).get(f"/leads/no-such/?bureau={demo.county.pk}").status_code == 404


def test_another_system_hands_a_lead_through_the_api(demo, shop, api):
    body = {
        "bureau": "341825",
        "source_kind": "complaint",
        "source_ref": "12315-API-1",
        "domain": "internet_advertising",
        "facts": "消费者举报直播间虚假宣传",
        "platform": "某宝",
        "account_id": "tea-001",
        "reporter_name": "王五",
        "reporter_contact": "wang@example.cn",
    }
    r = api(demo.users["ad_officer"]).post("/api/leads/", body, format="json")
    assert r.status_code == 201 and r.json()["created"]
    again = api(demo.users["ad_officer"]).post(
        "/api/leads/", {**body, "source_ref": "12315-API-2"}, format="json"
    )
    assert again.status_code == 200 and again.json()["number"] == r.json()["number"]
    assert api(demo.users["auditor"]).post("/api/leads/", body, format="json").status_code == 403
    assert api(demo.users["jixi_officer"]).post("/api/leads/", body, format="json").status_code == 403
    bad = api(demo.users["ad_officer"]).post(
        "/api/leads/", {**body, "evidence": ["capture:1"]}, format="json"
    )
    assert bad.status_code == 400 and "evidence:<SHA-256>" in bad.json()["error"]["zh"]
