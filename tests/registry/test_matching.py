"""Name normalisation and the matcher's choices, with the reasons an officer reads."""

import pytest

from wangjian.registry import matching
from wangjian.registry.uscc import complete

HONGDA = complete("91341825MA2N00001")
HONGDA_JIXI = complete("91341824MA2N00001")
LIHUA = complete("92341825MA2N00002")


def entity(id, uscc, name, phone="", address="", status="existing"):
    p = matching.name_parts(name)
    return matching.EntityRow(id, uscc, name, p.key, p.core, matching.phone_key(phone), address, status)


@pytest.fixture
def index():
    return matching.EntityIndex(
        [
            entity(1, HONGDA, "旌德县宏达商贸有限责任公司", "13855501234", "旌德县旌阳镇文化路12号"),
            entity(2, LIHUA, "旌德县丽华百货经营部", "0563-8021234", "旌德县旌阳镇和平路3号"),
            entity(3, complete("91341825MA2N00005"), "旌德县华夏电器有限公司", "13800000001", "旌德县三溪镇"),
            entity(4, complete("91341824MA2N00005"), "绩溪县华夏电器有限公司", "13800000002", "绩溪县华阳镇"),
            entity(5, complete("91341825MA2N00006"), "旌德县关停商行", status="cancelled"),
        ]
    )


@pytest.mark.parametrize(
    "a,b",
    [
        ("旌德县宏达商贸有限责任公司", "宏达商贸有限公司"),
        ("宏達商貿（旌德）有限公司", "安徽省旌德县宏达商贸有限公司"),
        ("ＡＢＣ科技有限公司", "abc科技有限责任公司"),
        ("宏达商贸有限公司旌德分公司", "宏达商贸有限公司"),
        ("旌德县宏达商贸门市部", "宏达商贸有限公司"),
    ],
)
def test_names_written_differently_share_a_core(a, b):
    assert matching.name_parts(a).core == matching.name_parts(b).core


def test_limited_liability_spellings_share_a_key_but_regions_do_not():
    assert matching.name_parts("宏达有限责任公司").key == matching.name_parts("宏达有限公司").key
    assert matching.name_parts("旌德县宏达有限公司").key != matching.name_parts("绩溪县宏达有限公司").key


def test_a_supermarket_is_not_mistaken_for_a_city():
    assert matching.name_parts("华联超市有限公司").core == "华联超市"


def test_phone_numbers_compare_without_country_code_and_punctuation():
    assert matching.phone_key("+86 138-5550-1234") == matching.phone_key("13855501234")


def test_code_and_name_agree_links_automatically_and_says_why(index):
    m = matching.match_seller(
        index,
        matching.Seller("s1", claimed_name="宏达商贸有限责任公司", claimed_uscc=HONGDA, phone="13855501234"),
    )
    assert (m.entity_id, m.outcome) == (1, "auto")
    assert m.reason_text == "代码一致；名称去地域前缀后一致；电话一致"
    m = matching.match_seller(
        index, matching.Seller("s1", claimed_name="宏达商贸有限公司", claimed_uscc=HONGDA)
    )
    assert m.reason_text == "代码一致；名称去地域前缀、统一组织形式写法后一致"


def test_one_mistyped_code_character_is_repaired_only_when_the_name_agrees(index):
    typo = HONGDA[:12] + ("7" if HONGDA[12] != "7" else "8") + HONGDA[13:]
    good = matching.match_seller(
        index, matching.Seller("s1", claimed_name="旌德县宏达商贸有限公司", claimed_uscc=typo)
    )
    assert (good.entity_id, good.outcome) == (1, "auto")
    assert "代码一位之差且校验位错误" in good.reason_text
    other = matching.match_seller(index, matching.Seller("s2", claimed_name="某某五金店", claimed_uscc=typo))
    assert other.entity_id is None and other.outcome == "none"
    assert "报送的代码有误" in other.reason_text


def test_traditional_characters_and_region_prefix_match_by_name_and_phone(index):
    m = matching.match_seller(
        index, matching.Seller("s1", claimed_name="宏達商貿有限公司", phone="138 5550 1234")
    )
    assert (m.entity_id, m.outcome) == (1, "auto")
    assert "电话一致" in m.reasons


def test_homonymous_shops_in_two_counties_are_told_apart_by_phone(index):
    m = matching.match_seller(
        index, matching.Seller("s1", claimed_name="华夏电器有限公司", phone="13800000002")
    )
    assert (m.entity_id, m.outcome) == (4, "auto")


def test_homonymous_shops_without_other_evidence_go_to_review(index):
    m = matching.match_seller(index, matching.Seller("s1", claimed_name="华夏电器有限公司"))
    assert m.outcome == "review"
    assert "有2家相近主体，需人工区分" in m.reasons


def test_a_valid_code_of_another_entity_counts_against_a_name_match(index):
    outsider = complete("91340100MA2N00077")
    m = matching.match_seller(
        index, matching.Seller("s1", claimed_name="旌德县宏达商贸有限公司", claimed_uscc=outsider)
    )
    assert m.outcome != "auto"
    assert "报送的代码不在本辖区登记库中" in m.reasons


def test_a_seller_with_no_registered_entity_is_a_lead(index):
    m = matching.match_seller(index, matching.Seller("s1", claimed_name="张三的小卖部", phone="13999999999"))
    assert m.entity_id is None and m.outcome == "none"
    assert "无照经营" in m.reason_text


def test_a_cancelled_entity_is_linked_by_identity_and_its_status_noted_apart(index):
    # Who the seller is and whether its entity still exists are two facts: the seller quoting the code
    # and the name of a 注销 entity is that entity (a lead of unlicensed trading, services.unlicensed).
    m = matching.match_seller(
        index, matching.Seller("s1", claimed_name="旌德县关停商行", claimed_uscc=index.by_id[5].uscc)
    )
    assert m.entity_id == 5 and m.outcome == "auto"
    assert "该主体登记状态为注销" in m.reasons


def test_officers_decisions_override_the_score(index):
    m = matching.match_seller(index, matching.Seller("s1", claimed_name="华夏电器有限公司", accepted={3}))
    assert (m.entity_id, m.outcome, m.decided) == (3, "auto", True)
    m = matching.match_seller(
        index, matching.Seller("s1", claimed_name="华夏电器有限公司", phone="13800000002", rejected={4})
    )
    assert m.entity_id != 4
