"""Identity apart from legal status (电子商务法 art. 10; 网络交易监督管理办法 art. 8).

A seller is linked to the entity it is; whether that entity is 存续, 歇业, 迁出, 注销 or 吊销 is a separate
fact. A seller of a 注销/吊销 entity still trading is a lead of unlicensed trading, once, with the date;
a 迁出 entity's lead goes to the bureau it moved to; 歇业 is noted, not a lead; a seller whose report
shows it needs no registration is not a lead, and every lead says which exemption was checked.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.registry.conftest import csv_bytes
from wangjian.core.errors import ValidationFailed
from wangjian.registry import services
from wangjian.registry.choices import EntityStatus, MatchOutcome, SellerExemption
from wangjian.registry.models import MarketEntity, MatchResult
from wangjian.registry.uscc import complete

pytestmark = pytest.mark.django_db

CLOSED = complete("92341825MA2N00011")
REVOKED = complete("92341825MA2N00012")
MOVED = complete("92341825MA2N00013")
RESTING = complete("92341825MA2N00014")

REGISTRY = [
    ["统一社会信用代码", "名称", "住所", "登记状态", "状态日期", "迁往区划代码"],
    [CLOSED, "旌德县关停茶叶商行", "旌德县旌阳镇文化路1号", "注销", "2024-06-30", ""],
    [REVOKED, "旌德县吊照百货店", "旌德县旌阳镇文化路2号", "吊销，未注销", "2023年3月1日", ""],
    [MOVED, "旌德县迁走电器商行", "旌德县旌阳镇文化路3号", "迁出", "2025-01-10", "341824"],
    [RESTING, "旌德县暂停农家乐", "旌德县三溪镇溪头村9号", "歇业", "2025-02-01", ""],
]
SELLER_HEADER = ["店铺ID", "店铺名称", "主体名称", "统一社会信用代码", "免于登记情形", "年交易额"]


@pytest.fixture
def results(demo, write):
    services.registry_import(
        bureau=demo.county,
        path=write("r.csv", csv_bytes(REGISTRY[0], REGISTRY[1:])),
        user=demo.users["office"],
    )
    platform, _ = services.platform_get_or_create(bureau=demo.county, name="某宝")
    rows = [
        ["C1", "关停茶叶", "旌德县关停茶叶商行", CLOSED, "", ""],
        ["C2", "吊照百货", "旌德县吊照百货店", REVOKED, "", ""],
        ["C3", "迁走电器", "旌德县迁走电器商行", MOVED, "", ""],
        ["C4", "暂停农家乐", "旌德县暂停农家乐", RESTING, "", ""],
        ["F1", "自家山货", "王大山", "", "自产农副产品", ""],
        ["S1", "小本生意一店", "李小本", "", "零星小额", "60,000"],
        ["S2", "小本生意二店", "李小本", "", "零星小额", "50000元"],
        ["T1", "小打小闹", "赵小闹", "", "零星小额", "30000"],
    ]
    services.sellers_import(
        bureau=demo.county, platform=platform, path=write("s.csv", csv_bytes(SELLER_HEADER, rows))
    )
    return {r.seller.seller_id: r for r in MatchResult.objects.select_related("seller", "entity")}


def test_the_status_columns_are_imported_with_their_dates(results):
    closed = MarketEntity.objects.get(uscc=CLOSED)
    assert (closed.status, closed.status_date) == (EntityStatus.CANCELLED, dt.date(2024, 6, 30))
    assert MarketEntity.objects.get(uscc=REVOKED).status_date == dt.date(2023, 3, 1)
    moved = MarketEntity.objects.get(uscc=MOVED)
    assert (moved.status, moved.moved_to) == (EntityStatus.MOVED_OUT, "341824")
    assert MarketEntity.objects.get(uscc=RESTING).status == EntityStatus.SUSPENDED


def test_a_seller_of_a_cancelled_entity_is_linked_by_identity_not_sent_to_review(results):
    for sid in ("C1", "C2", "C3", "C4"):
        assert results[sid].outcome == MatchOutcome.AUTO and results[sid].entity is not None
    assert "该主体登记状态为注销" in results["C1"].reasons


def test_a_cancelled_entity_still_trading_becomes_a_lead_once_with_the_cancellation_date(demo, results):
    from wangjian.clues.models import Clue

    receipt, _ = services.seller_to_clue(result=results["C1"], user=demo.users["office"])
    clue = Clue.objects.get(number=receipt.number)
    assert clue.domain == "unlicensed"
    assert "2024年06月30日注销" in clue.facts and "仍在从事网络经营" in clue.facts
    assert "已核对免于登记情形：报送信息未声明" in clue.facts
    with pytest.raises(ValidationFailed, match="已转为线索"):
        services.seller_to_clue(result=results["C1"], user=demo.users["office"])
    receipt2, _ = services.seller_to_clue(result=results["C2"], user=demo.users["office"])
    assert "吊销" in Clue.objects.get(number=receipt2.number).facts


def test_a_moved_out_entitys_lead_goes_to_the_bureau_it_moved_to(demo, results):
    from wangjian.clues.models import Clue

    receipt, _ = services.seller_to_clue(result=results["C3"], user=demo.users["office"])
    clue = Clue.objects.get(number=receipt.number)
    assert clue.bureau.code == "341824" and "迁出" in clue.facts


def test_a_suspended_entity_is_noted_not_a_lead(demo, results):
    assert "该主体登记状态为歇业" in results["C4"].reasons
    with pytest.raises(ValidationFailed, match="歇业"):
        services.seller_to_clue(result=results["C4"], user=demo.users["office"])


def test_a_seller_whose_report_shows_an_exemption_is_not_a_lead(demo, results):
    assert results["F1"].outcome == MatchOutcome.NONE
    assert results["F1"].seller.exemption == SellerExemption.FARM_PRODUCE
    with pytest.raises(ValidationFailed, match="销售自产农副产品"):
        services.seller_to_clue(result=results["F1"], user=demo.users["office"])
    with pytest.raises(ValidationFailed, match="30,000.00元，未超过10万元"):
        services.seller_to_clue(result=results["T1"], user=demo.users["office"])


def test_small_sales_are_summed_across_all_the_sellers_shops(demo, results):
    from wangjian.clues.models import Clue

    # 李小本: 60,000 + 50,000 in two shops is over the ¥100,000 of 网络交易监督管理办法 art. 8
    receipt, _ = services.seller_to_clue(result=results["S1"], user=demo.users["office"])
    assert "其2个店铺年交易额合计110,000.00元，超过10万元" in Clue.objects.get(number=receipt.number).facts


def test_the_bulk_action_makes_each_lead_once_and_skips_the_exempt(demo, results):
    numbers = services.sellers_to_clues(results=MatchResult.objects.all(), user=demo.users["office"])
    # C1, C2, C3 (status) and S1, S2 (over the limit); not C4 (歇业), F1 and T1 (exempt)
    assert len(numbers) == 5
    assert services.sellers_to_clues(results=MatchResult.objects.all(), user=demo.users["office"]) == []
