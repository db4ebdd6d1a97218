"""The duty list decides who is responsible ("谁监管、谁检查、谁负责"), and the gap view shows where it does not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from wangjian.core.errors import WangjianError
from wangjian.org import selectors
from wangjian.org.choices import DepartmentKind as K
from wangjian.org.choices import Domain as D
from wangjian.org.choices import DutyRole, TerritoryRule
from wangjian.org.models import Department, DutyRule, Station
from wangjian.org.services import responsible_for


def lead_rule(bureau, domain):
    return DutyRule.objects.get(bureau=bureau, domain=domain, role=DutyRole.LEAD)


def retire(rule):
    """A bureau retires a row by giving it an end date (the row stays on record).

    Yesterday on the bureau's clock (Beijing), which decides whether a row is in force; the
    machine's own date may be a day behind or ahead of it.
    """
    rule.valid_to = timezone.localdate() - dt.timedelta(days=1)
    rule.save()


# ------------------------------------------------------------------ routing by domain


def test_a_domain_goes_to_the_department_of_the_kind_its_lead_row_names(demo, county_dept):
    rule = lead_rule(demo.county, D.INTERNET_ADVERTISING)
    r = responsible_for(demo.county, D.INTERNET_ADVERTISING)
    assert r.unit == county_dept(K.ADVERTISING)
    assert r.department == county_dept(K.ADVERTISING) and r.station is None
    assert r.rule == rule and r.gap is False


def test_the_explanation_names_the_duty_list_row_and_its_legal_basis(demo):
    rule = lead_rule(demo.county, D.INTERNET_ADVERTISING)
    r = responsible_for(demo.county, D.INTERNET_ADVERTISING)
    assert f"#{rule.pk}" in r.reason_zh and f"#{rule.pk}" in r.reason_en
    assert "互联网广告" in r.reason_zh
    assert "《中华人民共和国广告法》" in r.reason_zh


def test_two_bureaus_route_the_same_domain_to_their_own_departments(demo):
    mine = responsible_for(demo.county, D.ONLINE_PRICE)
    theirs = responsible_for(demo.other_county, D.ONLINE_PRICE)
    assert mine.unit.bureau == demo.county and theirs.unit.bureau == demo.other_county
    assert mine.rule.bureau == demo.county and theirs.rule.bureau == demo.other_county


def test_an_unknown_domain_is_refused_with_a_clear_error(demo):
    with pytest.raises(WangjianError) as err:
        responsible_for(demo.county, "astrology")
    assert "astrology" in err.value.zh and "astrology" in err.value.en


# ------------------------------------------------------------------ routing by territory


def test_a_region_inside_a_stations_territory_goes_to_that_station(demo):
    assert lead_rule(demo.county, D.ONLINE_FOOD).territory_rule == TerritoryRule.STATION
    station = Station.objects.get(bureau=demo.county, name="旌阳市场监管所")
    r = responsible_for(demo.county, D.ONLINE_FOOD, "341825106201")  # a village of 版书镇
    assert r.unit == station and r.station == station
    assert r.territory_code == "341825106"
    assert r.department.kind == K.FOOD  # the department still answers for the line of work
    assert "旌阳市场监管所" in r.reason_zh and "341825106201" in r.reason_zh


def test_the_longest_territory_code_wins(demo):
    broad = Station.objects.create(bureau=demo.county, name="全县巡查组", territory=["341825"])
    r = responsible_for(demo.county, D.ONLINE_FOOD, "341825103000")
    assert r.station.name == "庙首市场监管所"
    assert r.station != broad


def test_a_region_outside_every_territory_goes_to_the_department(demo, county_dept):
    r = responsible_for(demo.county, D.ONLINE_FOOD, "341825999000")
    assert r.unit == county_dept(K.FOOD) and r.station is None
    assert "不在任何基层所辖区内" in r.reason_zh


def test_a_region_of_another_county_never_reaches_that_countys_station(demo, county_dept):
    r = responsible_for(demo.county, D.ONLINE_FOOD, "341824100000")  # 华阳镇, 绩溪县
    assert r.unit == county_dept(K.FOOD)


def test_a_domain_without_territory_rule_stays_with_the_department_wherever_it_happens(demo, county_dept):
    r = responsible_for(demo.county, D.ONLINE_DRUG, "341825100000")
    assert r.unit == county_dept(K.DRUG) and r.station is None


def test_an_inactive_station_receives_nothing(demo, county_dept):
    Station.objects.filter(name="旌阳市场监管所").update(is_active=False)
    r = responsible_for(demo.county, D.ONLINE_FOOD, "341825100000")
    assert r.unit == county_dept(K.FOOD)


# ------------------------------------------------------------------ gaps and overlaps


def test_a_domain_nobody_leads_goes_to_the_office_flagged_as_a_gap(demo, county_dept):
    retire(lead_rule(demo.county, D.METROLOGY))
    r = responsible_for(demo.county, D.METROLOGY)
    assert r.gap is True and r.rule is None
    assert r.unit == county_dept(K.ONLINE_TRADE)  # the leading group's office sits there
    assert "职责清单空白" in r.reason_zh and "gap" in r.reason_en


def test_a_bureau_without_any_duty_list_sends_everything_to_its_office(db):
    from wangjian.org.models import Bureau, LeadingGroup

    bureau = Bureau.objects.create(name="新设县市场监督管理局", code="341899", level="county")
    office = Department.objects.create(bureau=bureau, name="网监股", kind=K.ONLINE_TRADE)
    LeadingGroup.objects.create(bureau=bureau, office_department=office)
    for domain in (D.ONLINE_FOOD, D.PLATFORM_DUTY):
        r = responsible_for(bureau, domain, "341899100000")
        assert (r.unit, r.gap, r.rule) == (office, True, None)


def test_a_row_whose_kind_has_no_department_here_is_a_gap_naming_the_row(demo, county_dept):
    rule = lead_rule(demo.county, D.ONLINE_COSMETICS)
    Department.objects.filter(bureau=demo.county, kind=K.COSMETICS).update(is_active=False)
    r = responsible_for(demo.county, D.ONLINE_COSMETICS)
    assert r.gap is True and r.rule == rule
    assert r.unit == county_dept(K.ONLINE_TRADE)
    assert f"#{rule.pk}" in r.reason_zh


def test_an_expired_row_no_longer_decides(demo):
    rule = lead_rule(demo.county, D.CREDIT)
    rule.valid_from, rule.valid_to = dt.date(2020, 1, 1), dt.date(2020, 12, 31)
    rule.save()
    assert responsible_for(demo.county, D.CREDIT, on=dt.date(2019, 6, 1)).gap is True
    assert responsible_for(demo.county, D.CREDIT).gap is True
    assert responsible_for(demo.county, D.CREDIT, on=dt.date(2020, 6, 1)).rule == rule


def test_two_lead_rows_overlap_the_earliest_decides_and_says_so(demo, county_dept):
    first = lead_rule(demo.county, D.INTERNET_ADVERTISING)
    second = DutyRule.objects.create(
        bureau=demo.county, domain=D.INTERNET_ADVERTISING, department_kind=K.ONLINE_TRADE
    )
    r = responsible_for(demo.county, D.INTERNET_ADVERTISING)
    assert r.rule == first and r.unit == county_dept(K.ADVERTISING)
    assert "2 条牵头条目" in r.reason_zh
    overlaps = selectors.duty_gaps(bureau=demo.county).overlaps
    assert set(overlaps) == {D.INTERNET_ADVERTISING}
    assert set(overlaps[D.INTERNET_ADVERTISING]) == {first, second}


def test_the_default_county_list_has_no_gap(demo):
    gaps = selectors.duty_gaps(bureau=demo.county)
    assert gaps.ok
    assert gaps.uncovered_domains == [] and gaps.idle_departments == []


def test_gaps_list_uncovered_domains_idle_departments_and_rows_without_department(demo, county_dept):
    retire(lead_rule(demo.county, D.METROLOGY))
    gaps = selectors.duty_gaps(bureau=demo.county)
    assert gaps.uncovered_domains == [D.METROLOGY]
    assert gaps.idle_departments == [county_dept(K.METROLOGY)]
    city = selectors.duty_gaps(bureau=demo.city)  # the demo city has three departments only
    assert any(r.department_kind == K.FOOD for r in city.missing_departments)
    assert not city.ok


# ------------------------------------------------------------------ the gap page


def section(html: str, css_id: str) -> str:
    node = HTMLParser(html).css_first(f"#{css_id}")
    assert node is not None, f"no #{css_id} on the page"
    return node.text()


def test_the_gap_page_lists_uncovered_domains_idle_departments_and_overlaps(demo, login):
    retire(lead_rule(demo.county, D.METROLOGY))
    DutyRule.objects.create(bureau=demo.county, domain=D.ONLINE_PRICE, department_kind=K.COMPETITION)
    html = login(demo.users["office"]).get(reverse("org:duty_gaps")).content.decode()
    assert "计量" in section(html, "uncovered")
    assert "计量监督股" in section(html, "idle")
    overlaps = section(html, "overlaps")
    assert "网络交易价格" in overlaps and "价格监督检查" in overlaps and "反不正当竞争" in overlaps
    assert "互联网广告" not in section(html, "uncovered")


def test_the_gap_page_of_a_complete_list_says_every_domain_has_one_lead(demo, login):
    html = login(demo.users["ad_officer"]).get(reverse("org:duty_gaps")).content.decode()
    assert "每个监管领域都有且只有一个牵头科室" in html


def test_the_city_office_sees_the_gaps_of_a_county_below_it(demo, login):
    retire(lead_rule(demo.county, D.METROLOGY))
    client = login(demo.users["city_office"])
    html = client.get(reverse("org:duty_gaps"), {"bureau": demo.county.pk}).content.decode()
    assert "计量" in section(html, "uncovered")
    city_html = client.get(reverse("org:duty_gaps")).content.decode()
    assert "食品经营" in section(city_html, "missing")
