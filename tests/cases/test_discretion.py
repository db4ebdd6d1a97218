"""What the decision is measured against: the bureau's 裁量基准 on the decision form, and the province's
hearing thresholds (听证办法 art. 5) in 案件办理设置."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from wangjian.cases import services
from wangjian.cases.models import CaseSettings, DiscretionBenchmark
from wangjian.cases.services import publicity
from wangjian.core.errors import PermissionDeniedError, ValidationFailed


@pytest.fixture
def notified(filed, act, officer, legal):
    """``notified(fine=..., **filed_kw)`` → a case whose 告知书 was served on Friday 2025-11-14."""

    def _notified(fine: str = "3000", **kw):
        case = filed(**kw)
        act(case, officer, "end_investigation", "2025-11-12", report="事实清楚")
        act(case, officer, "submit_review", "2025-11-12")
        act(case, legal, "reviewed", "2025-11-13", opinion="同意")
        act(case, officer, "notify", "2025-11-14", served_on=dt.date(2025, 11, 14), fine_amount=fine)
        return case

    return _notified


def benchmark(bureau, code: str = "GG-09-2", **kw) -> DiscretionBenchmark:
    kw.setdefault("violation", "发布含有绝对化用语的广告")
    kw.setdefault("domain", "internet_advertising")
    kw.setdefault("provision", "《广告法》第九条第三项、第五十七条第一项")
    kw.setdefault("circumstance", "lighter")
    kw.setdefault("penalty", "处二十万元以上四十万元以下罚款；情节轻微的可减轻")
    kw.setdefault("fine_min", Decimal("1000"))
    kw.setdefault("fine_max", Decimal("5000"))
    return DiscretionBenchmark.objects.create(bureau=bureau, code=code, **kw)


# ---------------------------------------------------------------- 裁量基准


def test_a_bureau_without_benchmarks_decides_as_before(notified, act, leader):
    case = notified()
    act(case, leader, "decide", "2025-11-24", penalised=True, summary="罚款三千元", fine_amount="3000")
    assert case.state == "decided" and not case.discretion.exists()


def test_where_the_bureau_has_benchmarks_the_decision_names_one_or_says_why_not(notified, act, leader, demo):
    row = benchmark(demo.county)
    case = notified()
    with pytest.raises(ValidationFailed, match="请选择适用的裁量基准"):
        act(case, leader, "decide", "2025-11-24", penalised=True, summary="罚款三千元", fine_amount="3000")
    act(
        case,
        leader,
        "decide",
        "2025-11-24",
        penalised=True,
        summary="罚款三千元",
        fine_amount="3000",
        discretion=[row],
    )
    assert list(case.discretion.all()) == [row]


def test_a_fine_outside_the_benchmarks_range_needs_its_reason(notified, act, leader, demo):
    row = benchmark(demo.county)
    case = notified(fine="8000")
    values = {"penalised": True, "summary": "罚款八千元", "fine_amount": "8000", "discretion": [row.pk]}
    with pytest.raises(ValidationFailed, match="超出所选裁量基准的幅度"):
        act(case, leader, "decide", "2025-11-24", **values)
    act(case, leader, "decide", "2025-11-24", discretion_reason="当事人两年内再次违法，依法从重", **values)
    assert case.discretion_reason.startswith("当事人两年内")


def test_another_bureaus_or_a_repealed_benchmark_is_refused(notified, act, leader, demo):
    other = benchmark(demo.users["jixi_officer"].bureau, code="JX-1")
    repealed = benchmark(demo.county, code="GG-OLD", is_active=False)
    case = notified()
    for row in (other, repealed):
        with pytest.raises(ValidationFailed, match="不属于本局或已失效"):
            act(
                case,
                leader,
                "decide",
                "2025-11-24",
                penalised=True,
                summary="罚款",
                fine_amount="3000",
                discretion=[row.pk],
            )


def test_the_decision_form_offers_the_bureaus_benchmarks_in_force_for_the_cases_field(notified, demo):
    from wangjian.cases.forms import action_form

    mine = benchmark(demo.county)
    general = benchmark(demo.county, code="TY-1", domain="")
    benchmark(demo.county, code="JG-1", domain="online_price")
    benchmark(demo.county, code="GG-OLD", is_active=False)
    benchmark(demo.users["jixi_officer"].bureau, code="JX-1")
    case = notified()
    offered = set(action_form("decide", case).fields["discretion"].queryset)
    assert offered == {mine, general}


def test_the_registry_page_and_api_refuse_an_inverted_range_alike(demo, login, api):
    office = demo.users["office"]
    data = {
        "bureau": demo.county.pk,
        "code": "GG-1",
        "violation": "虚假广告",
        "domain": "internet_advertising",
        "provision": "《广告法》第五十五条",
        "circumstance": "ordinary",
        "penalty": "三倍以上五倍以下",
        "fine_min": "5000",
        "fine_max": "1000",
        "source": "旌德县市场监管局行政处罚裁量基准（2025）",
        "is_active": True,
    }
    page = login(office).post("/cases/benchmarks/add/", data)
    assert page.status_code == 200 and "罚款下限不能高于上限" in page.content.decode()
    answer = api(office).post("/api/cases/benchmarks/", data, format="json")
    assert answer.status_code == 400 and "罚款下限不能高于上限" in str(answer.json())
    answer = api(office).post("/api/cases/benchmarks/", {**data, "fine_min": "500"}, format="json")
    assert answer.status_code == 201
    # an officer reads them, only the office writes them
    officer = demo.users["ad_officer"]
    assert api(officer).get("/api/cases/benchmarks/").status_code == 200
    refused = api(officer).post(
        "/api/cases/benchmarks/", {**data, "code": "GG-2", "fine_min": "500"}, format="json"
    )
    assert refused.status_code == 403, refused.json()


# ---------------------------------------------------------------- hearing thresholds (听证办法 art. 5)


def test_the_province_may_set_other_hearing_amounts(notified, demo):
    CaseSettings.objects.create(
        bureau=demo.county, hearing_fine_organisation=Decimal("50000"), hearing_basis="某省听证标准（示例）"
    )
    case = notified(fine="50000")
    assert case.events.get(action="notify").detail == {"hearing": True}
    assert services.hearing_qualifies(case, Decimal("49999.99")) is False


def test_revoking_a_licence_or_confiscating_as_much_offers_a_hearing_whatever_the_fine(
    filed, advance, act, officer
):
    case = advance(filed(), "ready")
    act(
        case,
        officer,
        "notify",
        "2025-11-25",
        served_on=dt.date(2025, 11, 25),
        penalty_kinds=["revoke_licence"],
    )
    assert case.events.get(action="notify").detail == {"hearing": True}
    assert services.hearing_qualifies(case, None, Decimal("100000")) is True  # 没收 of ¥100,000 (art. 5 (4))
    assert services.hearing_qualifies(case, None, Decimal("99999")) is False


def test_the_settings_page_keeps_the_amounts_and_the_record_system(demo, login):
    office = demo.users["office"]
    base = {"low_fine_person": "10000", "low_fine_organisation": "100000", "basis": ""}
    login(office).post(
        "/cases/settings/",
        {
            **base,
            "hearing_fine_person": "5000",
            "hearing_fine_organisation": "50000",
            "hearing_basis": "省规定",
        },
    )
    found = publicity.settings_for(demo.county)
    assert found.hearing_fine_person == 5000 and found.hearing_fine_organisation == 50000
    with pytest.raises(ValidationFailed, match="请填写该系统的名称"):
        publicity.settings_set(bureau=demo.county, user=office, record_system="province", **base)
    publicity.settings_set(
        bureau=demo.county,
        user=office,
        record_system="province",
        province_system="安徽省市场监管综合执法办案系统",
        **base,
    )
    assert publicity.settings_for(demo.county).record_system == "province"
    with pytest.raises(PermissionDeniedError):
        publicity.settings_set(bureau=demo.county, user=demo.users["ad_officer"], **base)
