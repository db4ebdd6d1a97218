"""Permit and filing numbers (许可证和备案编号): each kind's format, what is checked, where a number was issued."""

from __future__ import annotations

import datetime as dt

import pytest

from wangjian.registry import permits
from wangjian.registry.choices import PermitKind, PermitStatus

VALID = [
    (PermitKind.FOOD_LICENCE, "JY13418250000127", "341825"),
    (PermitKind.FOOD_LICENCE, "ＪＹ２３４１８２５０００００４４", "341825"),  # full-width, as pages write it
    (PermitKind.FOOD_FILING, "YB23418250000451", "341825"),
    (PermitKind.DRUG_LICENCE, "皖DA5630012", "皖5630"),
    (PermitKind.DRUG_LICENCE, "沪AB0210012", "沪0210"),
    (PermitKind.DRUG_INFO, "（皖）-非经营性-2021-0015", "皖"),
    (PermitKind.DRUG_INFO, "(京)-经营性-2019-0003", "京"),
    (PermitKind.DEVICE_LICENCE, "皖宣药监械经营许20230012号", "皖宣"),
    (PermitKind.DEVICE_FILING, "粤穗食药监械经营备20150001号", "粤穗"),
    (PermitKind.PLATFORM_FILING, "皖网食备34000012", "皖"),
    (PermitKind.PLATFORM_FILING, "浙网食A33010001", "浙"),
]


@pytest.mark.parametrize("kind,number,region", VALID, ids=[v[1] for v in VALID])
def test_a_number_of_the_right_format_passes_and_says_where_it_was_issued(kind, number, region):
    normalised, problem = permits.validate(kind, number)
    assert problem is None, problem
    assert permits.kind_of(normalised) == kind
    assert permits.region_key(kind, normalised) == region


INVALID = [
    (PermitKind.FOOD_LICENCE, "JY1341825000012", "14位"),  # a digit short
    (PermitKind.FOOD_LICENCE, "JY134182500001X7", "14位数字"),  # a letter among the digits
    (PermitKind.FOOD_LICENCE, "JY43418250000127", "主体业态"),  # no business type 4
    (PermitKind.FOOD_LICENCE, "JY19918250000127", "省级行政区划代码"),  # no province 99
    (PermitKind.FOOD_LICENCE, "SP3418251010000123", "食品流通许可证"),  # the licence it replaced
    (PermitKind.FOOD_LICENCE, "YB13418250000127", "应以JY开头"),  # a filing is not a licence
    (PermitKind.FOOD_FILING, "YB2341825000045", "14位"),
    (PermitKind.DRUG_LICENCE, "皖EA5630012", "第一位"),
    (PermitKind.DRUG_LICENCE, "皖DC5630012", "第二位"),
    (PermitKind.DRUG_LICENCE, "皖DA56300", "7至9位"),
    (PermitKind.DRUG_LICENCE, "DA5630012", "省份简称"),
    (PermitKind.DRUG_LICENCE, "皖DA0630012", "电话区号"),
    (PermitKind.DRUG_INFO, "（皖）-非经营性-1999-0015", "早于"),
    (PermitKind.DRUG_INFO, "皖-2021-0015", "经营性"),
    (PermitKind.DEVICE_LICENCE, "皖宣药监械经营备20230012号", "经营备案"),
    (PermitKind.DEVICE_FILING, "皖宣药监械经营备2023008号", "8位数字"),
    (PermitKind.DEVICE_FILING, "皖宣药监械经营备19990008号", "年份"),
    (PermitKind.PLATFORM_FILING, "皖网食备", "网食备"),
    (PermitKind.PLATFORM_FILING, "皖网食A3418005", "8位数字"),  # a digit short
    (PermitKind.FOOD_LICENCE, "皖餐证字2015341825000087", "餐饮服务许可证"),  # the permit JY replaced
]


@pytest.mark.parametrize("kind,number,said", INVALID, ids=[v[1] for v in INVALID])
def test_a_malformed_number_is_refused_with_the_reason_in_chinese_and_english(kind, number, said):
    _normalised, problem = permits.validate(kind, number)
    assert problem is not None and said in problem.zh and problem.en
    assert permits.region_key(kind, number) == ""


def test_a_food_number_of_a_division_not_in_the_list_is_noted_not_refused():
    """Permits issued before a division was abolished keep its code: only noted."""
    assert permits.problem(PermitKind.FOOD_LICENCE, "JY13418990000127") is None
    assert "341899" in permits.division_note(PermitKind.FOOD_LICENCE, "JY13418990000127")
    assert permits.division_note(PermitKind.FOOD_LICENCE, "JY13418250000127") == ""


def test_a_permit_is_in_force_only_valid_and_within_its_dates():
    day = dt.date(2025, 6, 1)
    ok = permits.PermitFacts(
        PermitKind.FOOD_LICENCE,
        "JY13418250000127",
        valid_from=dt.date(2021, 1, 1),
        valid_to=dt.date(2026, 1, 1),
    )
    assert ok.lapsed(day) == ""
    assert "已过期" in permits.PermitFacts(**{**ok.__dict__, "valid_to": dt.date(2025, 5, 31)}).lapsed(day)
    assert "尚未生效" in permits.PermitFacts(**{**ok.__dict__, "valid_from": dt.date(2025, 6, 2)}).lapsed(day)
    assert "吊销" in permits.PermitFacts(**{**ok.__dict__, "status": PermitStatus.REVOKED}).lapsed(day)


def test_the_data_covers_only_the_places_its_permits_were_issued():
    data = permits.MemoryPermitLookup(
        [permits.PermitFacts(PermitKind.FOOD_LICENCE, "JY13418250000127", holder_name="旌德县汪记糕点店")]
    )
    assert data.covers(PermitKind.FOOD_LICENCE, "341825")
    assert not data.covers(PermitKind.FOOD_LICENCE, "310101")  # a Shanghai permit: not verifiable here
    assert not data.covers(PermitKind.FOOD_FILING, "341825")  # no filings imported
    assert data.find(PermitKind.FOOD_LICENCE, "ｊｙ13418250000127").holder_name == "旌德县汪记糕点店"
    assert permits.NoPermitData().covers(PermitKind.FOOD_LICENCE, "341825") is False
