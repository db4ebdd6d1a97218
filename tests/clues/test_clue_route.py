"""Routing by the duty list (谁监管、谁检查、谁负责): by domain, by territory, gaps to the office, overrides."""

import pytest

from wangjian.clues import services
from wangjian.clues.choices import Action, ClueState
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.org.choices import DepartmentKind, Domain
from wangjian.org.models import DutyRule

from .conftest import at


def test_advertising_clue_goes_to_the_advertising_department_with_the_duty_rule_as_reason(demo, intake):
    result = intake(domain=Domain.INTERNET_ADVERTISING)
    clue = result.clue
    rule = DutyRule.objects.get(bureau=demo.county, domain=Domain.INTERNET_ADVERTISING, role="lead")
    assert result.created
    assert clue.state == ClueState.ASSIGNED
    assert clue.department.kind == DepartmentKind.ADVERTISING and clue.station is None
    assert clue.duty_rule == rule
    assert f"职责清单第 #{rule.pk} 条" in clue.routing_reason
    assert "互联网广告" in clue.routing_reason
    assert not clue.gap
    assert clue.number == "旌市监线〔2025〕0001"
    assert clue.events.filter(action=Action.ROUTE).exists()


def test_food_clue_in_a_township_goes_to_the_station_covering_it(demo, intake):
    clue = intake(domain=Domain.ONLINE_FOOD, region_code="341825106").clue  # 版书镇
    assert clue.station.name == "旌阳市场监管所"
    assert clue.department.kind == DepartmentKind.FOOD  # the supervising department stays recorded
    assert clue.territory_code == "341825106"
    assert "按属地分派" in clue.routing_reason and "341825106" in clue.routing_reason


def test_food_clue_outside_every_station_stays_with_the_department(demo, intake):
    clue = intake(domain=Domain.ONLINE_FOOD, region_code="341825999").clue
    assert clue.station is None and clue.department.kind == DepartmentKind.FOOD
    assert "不在任何基层所辖区内" in clue.routing_reason


def test_domain_nobody_leads_lands_in_the_office_queue_flagged_as_gap(demo, intake):
    for rule in DutyRule.objects.filter(bureau=demo.county, domain=Domain.PLATFORM_DUTY):
        rule.delete()
    clue = intake(domain=Domain.PLATFORM_DUTY).clue
    assert clue.gap
    assert clue.state == ClueState.PENDING
    assert clue.department == demo.county.office()
    assert clue.feedback_due is None  # no clock runs until the office assigns it
    assert "职责清单空白" in clue.routing_reason
    office = demo.users["office"]
    assert office.inbox.about(clue).exists()

    price = demo.county.departments.get(kind=DepartmentKind.PRICE)
    services.clue_assign(
        clue=clue, user=office, department=price, comment="平台收费问题", now=at("2025-09-29")
    )
    clue.refresh_from_db()
    assert clue.state == ClueState.ASSIGNED and clue.department == price
    assert clue.feedback_due.isoformat() == "2025-10-15"


def test_office_overrides_routing_with_a_reason_and_the_new_unit_gets_its_own_seven_days(demo, intake):
    clue = intake(domain=Domain.INTERNET_ADVERTISING).clue
    office = demo.users["office"]
    price = demo.county.departments.get(kind=DepartmentKind.PRICE)
    with pytest.raises(ValidationFailed):
        services.clue_override(clue=clue, user=office, department=price, reason=" ")
    services.clue_override(
        clue=clue, user=office, department=price, reason="实为虚构原价问题", now=at("2025-10-09")
    )
    clue.refresh_from_db()
    assert clue.department == price and clue.override_reason == "实为虚构原价问题"
    assert "改派" in clue.routing_reason and "广告监管股" in clue.routing_reason
    assert clue.feedback_due.isoformat() == "2025-10-17"
    event = clue.events.get(action=Action.OVERRIDE)
    assert event.actor == office and event.comment == "实为虚构原价问题"


def test_only_the_office_may_override(demo, intake):
    clue = intake().clue
    price = demo.county.departments.get(kind=DepartmentKind.PRICE)
    with pytest.raises(PermissionDeniedError):
        services.clue_override(clue=clue, user=demo.users["ad_head"], department=price, reason="不归我管")


def test_numbers_run_per_bureau_and_year(demo, intake):
    a = intake(entity_uscc="91341825MA2N00001X").clue
    b = intake(entity_uscc="91341825MA2N00002X").clue
    c = intake(bureau=demo.other_county, entity_uscc="91341824MA2N00003X").clue
    d = intake(entity_uscc="91341825MA2N00004X", now=at("2026-01-05")).clue
    assert [a.number, b.number, c.number, d.number] == [
        "旌市监线〔2025〕0001",
        "旌市监线〔2025〕0002",
        "绩市监线〔2025〕0001",
        "旌市监线〔2026〕0001",
    ]


def test_bad_input_is_refused_in_chinese_and_english(demo, intake):
    with pytest.raises(ValidationFailed) as exc:
        intake(domain="astrology")
    assert "未知的监管领域" in exc.value.zh and "Unknown domain" in exc.value.en
    with pytest.raises(ValidationFailed):
        intake(facts="  ")
