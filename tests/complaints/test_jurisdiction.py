"""Which bureau handles a complaint or a report (投诉举报处理暂行办法 arts. 12, 13, 15, 25, 27, 29, 30, 37).

The demo organisation: 旌德县 (341825) and 绩溪县 (341824) under 宣城市 (341800). Places used: 旌阳镇 of
旌德县 (341825100), 华阳镇 of 绩溪县 (341824100), and a platform domiciled in 杭州市余杭区 (330110).
"""

from __future__ import annotations

import pytest

from wangjian.complaints.services.jurisdiction import Channel, Ground, complaint_jurisdiction
from wangjian.core.errors import ValidationFailed

JINGDE = "341825100"  # 安徽省宣城市旌德县 旌阳镇
JIXI = "341824100"  # 安徽省宣城市绩溪县 华阳镇
YUHANG = "330110"  # 浙江省杭州市余杭区


@pytest.fixture
def check(demo):
    """``check(kind, channel, **facts)`` as 旌德县局 decides it (another bureau with ``bureau=``)."""

    def _check(kind, channel, *, bureau=None, **facts):
        facts.setdefault("party_region", "")
        return complaint_jurisdiction(bureau=bureau or demo.county, kind=kind, channel=channel, **facts)

    return _check


# ---------------------------------------------------------------- complaints (art. 12)


def test_a_complaint_about_a_platform_operator_goes_to_its_domicile(check):
    result = check("complaint", Channel.PLATFORM, party_region=JINGDE)
    assert result.ours and result.ground == Ground.DOMICILE
    assert result.alternatives == (Ground.DOMICILE,)
    assert "第十二条第二款" in result.reason_zh and "安徽省宣城市旌德县" in result.reason_zh
    assert result.transfer_to_region == ""


def test_a_complaint_about_an_own_website_domiciled_elsewhere_is_refused_naming_the_competent_bureau(check):
    result = check("complaint", Channel.WEBSITE, party_region=JIXI)
    assert not result.ours and result.ground == ""
    assert result.transfer_to_region == "341824"
    assert "第十五条第（一）项不予受理" in result.reason_zh
    assert "告知投诉人向安徽省宣城市绩溪县市场监督管理部门提出" in result.reason_zh


def test_a_complaint_about_a_seller_on_a_platform_is_ours_where_the_seller_does_business(check):
    result = check("complaint", Channel.SELLER, party_region=JINGDE, platform_region=YUHANG)
    assert result.ours and result.ground == Ground.ACTUAL_PLACE
    assert result.alternatives == (Ground.ACTUAL_PLACE, Ground.PLATFORM_DOMICILE)
    assert "第十三条" in result.reason_zh  # both have it: the bureau that received it first


def test_a_complaint_about_a_seller_elsewhere_is_ours_where_the_platform_is_domiciled(check):
    # the consumer may choose the platform's bureau; it need not have received anything first
    result = check("complaint", Channel.SELLER, party_region=JIXI, platform_region=JINGDE)
    assert result.ours and result.ground == Ground.PLATFORM_DOMICILE
    assert result.alternatives == (Ground.ACTUAL_PLACE, Ground.PLATFORM_DOMICILE)
    assert "平台经营者住所地 安徽省宣城市旌德县" in result.reason_zh


def test_a_complaint_about_a_seller_with_neither_place_here_names_the_sellers_bureau(check):
    result = check("complaint", Channel.SELLER, party_region=JIXI, platform_region=YUHANG)
    assert not result.ours
    assert result.transfer_to_region == "341824"
    assert "平台内经营者实际经营地 安徽省宣城市绩溪县" in result.reason_zh
    assert "平台经营者住所地 浙江省杭州市余杭区，均不在本局辖区" in result.reason_zh


def test_a_complaint_about_a_seller_whose_place_is_unknown_names_the_platforms_bureau(check):
    result = check("complaint", Channel.SELLER, party_region="", platform_region=YUHANG)
    assert not result.ours and result.transfer_to_region == "330110"


def test_a_complaint_about_an_offline_business_is_ours_at_its_actual_place_or_its_domicile(check):
    at_shop = check("complaint", Channel.OFFLINE, party_region=JINGDE, domicile_region=JIXI)
    assert at_shop.ours and at_shop.ground == Ground.ACTUAL_PLACE
    assert at_shop.alternatives == (Ground.ACTUAL_PLACE, Ground.DOMICILE)
    assert "第十二条第一款" in at_shop.reason_zh

    registered_here = check("complaint", Channel.OFFLINE, party_region=JIXI, domicile_region=JINGDE)
    assert registered_here.ours and registered_here.ground == Ground.DOMICILE


def test_a_complaint_reaching_the_city_bureau_is_sent_on_to_the_county(check, demo):
    # complaints are the county bureau's (art. 12); the city's intake sends them on (art. 37(1))
    result = check("complaint", Channel.OFFLINE, party_region=JINGDE, bureau=demo.city)
    assert not result.ours
    assert result.transfer_to_region == "341825"
    assert "第三十七条第一款" in result.reason_zh and "第十二条第三款" in result.reason_zh


def test_a_complaint_the_superior_decided_this_bureau_handles_is_ours_whatever_the_place(check):
    result = check("complaint", Channel.OFFLINE, party_region=JIXI, assigned=True)
    assert result.ours and result.ground == Ground.ASSIGNED
    assert "第十二条第三款" in result.reason_zh


# ---------------------------------------------------------------- reports (arts. 25, 27, 29)


def test_a_report_about_a_platform_operator_goes_to_its_domicile(check):
    result = check("report", Channel.PLATFORM, party_region=JINGDE)
    assert result.ours and result.ground == Ground.DOMICILE
    assert "第二十七条第一款" in result.reason_zh and "第九条第一款" in result.reason_zh


def test_a_report_about_an_own_website_elsewhere_tells_the_reporter_where_to_go(check):
    result = check("report", Channel.WEBSITE, party_region=YUHANG)
    assert not result.ours and result.transfer_to_region == "330110"
    assert "第二十九条" in result.reason_zh
    assert "告知举报人直接向浙江省杭州市余杭区市场监督管理部门提出" in result.reason_zh


def test_a_report_about_a_seller_on_a_platform_is_ours_where_the_seller_does_business(check):
    result = check("report", Channel.SELLER, party_region=JINGDE, platform_region=YUHANG)
    assert result.ours and result.ground == Ground.ACTUAL_PLACE
    assert result.alternatives == (Ground.ACTUAL_PLACE,)
    assert "第二十七条第二款" in result.reason_zh


def test_a_report_about_a_seller_elsewhere_is_the_platform_bureaus_when_it_received_it_first(check):
    result = check("report", Channel.SELLER, party_region=JIXI, platform_region=JINGDE, received_first=True)
    assert result.ours and result.ground == Ground.PLATFORM_DOMICILE
    assert result.alternatives == (Ground.ACTUAL_PLACE, Ground.PLATFORM_DOMICILE)
    assert "本局先行收到该举报" in result.reason_zh


def test_a_report_about_a_seller_elsewhere_is_not_the_platform_bureaus_without_receiving_it_first(check):
    result = check("report", Channel.SELLER, party_region=JIXI, platform_region=JINGDE, received_first=False)
    assert not result.ours
    assert result.alternatives == (Ground.ACTUAL_PLACE,)
    assert result.transfer_to_region == "341824"
    assert "并非先行收到该举报" in result.reason_zh and "第二十九条" in result.reason_zh


def test_a_report_about_an_offline_business_goes_where_the_conduct_happened(check):
    result = check("report", Channel.OFFLINE, party_region=JINGDE)
    assert result.ours and result.ground == Ground.CONDUCT_PLACE
    assert "第二十五条" in result.reason_zh


def test_a_report_is_also_the_city_bureaus_above_the_county(check, demo):
    # reports go to the bureau 县级以上 where the conduct happened (art. 25), unlike complaints
    result = check("report", Channel.OFFLINE, party_region=JINGDE, bureau=demo.city)
    assert result.ours and result.ground == Ground.CONDUCT_PLACE


def test_a_report_outside_the_bureau_names_the_neighbouring_county_and_the_dispute_rule(check, demo):
    result = check("report", Channel.OFFLINE, party_region=JINGDE, bureau=demo.other_county)
    assert not result.ours and result.transfer_to_region == "341825"
    assert "第三十条" in result.reason_zh  # a dispute over 处理权限: agreed, or named by the common superior


# ---------------------------------------------------------------- input


def test_nothing_known_of_the_respondents_place_leaves_the_competent_bureau_to_be_found(check):
    result = check("report", Channel.PLATFORM, party_region="")
    assert not result.ours and result.transfer_to_region == ""
    assert "所在地未填写，无法确定处理权限" in result.reason_zh
    assert "须先查明被投诉举报人所在地" in result.reason_zh


@pytest.mark.parametrize(("kind", "channel"), [("inquiry", Channel.OFFLINE), ("complaint", "shop")])
def test_an_unknown_kind_or_channel_is_refused(check, kind, channel):
    with pytest.raises(ValidationFailed):
        check(kind, channel, party_region=JINGDE)


def test_every_answer_has_its_reason_in_both_languages(check):
    for kind in ("complaint", "report"):
        for channel in Channel.values:
            for region in (JINGDE, JIXI):
                result = check(kind, channel, party_region=region, platform_region=YUHANG)
                assert result.reason_zh and result.reason_en
                assert "投诉举报处理暂行办法" in result.reason_zh
