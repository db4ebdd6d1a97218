"""A reported seller with no registered entity is a lead for unlicensed trading: it becomes a routed clue, once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.registry.conftest import LIHUA, csv_bytes
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.registry import services
from wangjian.registry.choices import MatchOutcome
from wangjian.registry.models import MatchResult

pytestmark = pytest.mark.django_db

HEADER = ["店铺ID", "店铺名称", "主体名称", "统一社会信用代码", "地址", "电话", "店铺网址"]


@pytest.fixture
def sellers(registry, demo, write):
    platform, _ = services.platform_get_or_create(bureau=demo.county, name="某宝")
    rows = [
        [
            "A1",
            "山野茶舍",
            "张三茶叶",
            "",
            "安徽省宣城市旌德县旌阳镇文昌路1号",
            "",
            "https://shop.example/a1",
        ],
        ["A2", "丽华", "丽华百货", LIHUA, "", "", ""],
        ["A3", "深山蜂蜜", "", "", "", "", ""],
    ]
    services.sellers_import(
        bureau=demo.county, platform=platform, path=write("s.csv", csv_bytes(HEADER, rows))
    )
    return {r.seller.seller_id: r for r in MatchResult.objects.select_related("seller")}


def test_a_seller_with_no_registered_entity_becomes_a_routed_clue_of_unlicensed_trading(demo, sellers):
    from wangjian.clues.models import Clue

    result = sellers["A1"]
    assert result.outcome == MatchOutcome.NONE
    receipt, reason = services.seller_to_clue(result=result, user=demo.users["office"])
    clue = Clue.objects.get(number=receipt.number)
    assert receipt.created and clue.domain == "unlicensed" and clue.source_kind == "monitoring"
    assert "某宝" in clue.facts and "张三茶叶" in clue.facts and "https://shop.example/a1" in clue.facts
    assert "电子商务法第十条" in clue.facts and "未找到相符的登记主体" in clue.facts
    assert clue.region_code.startswith("341825")  # from the seller's address
    assert clue.number in reason
    result.refresh_from_db()
    assert result.clue_number == clue.number
    with pytest.raises(ValidationFailed, match="已转为线索"):
        services.seller_to_clue(result=result, user=demo.users["office"])
    assert Clue.objects.count() == 1


def test_a_linked_seller_is_not_a_lead_and_an_auditor_cannot_make_clues(demo, sellers):
    assert sellers["A2"].outcome == MatchOutcome.AUTO
    with pytest.raises(ValidationFailed, match="未找到登记主体"):
        services.seller_to_clue(result=sellers["A2"], user=demo.users["office"])
    with pytest.raises(PermissionDeniedError):
        services.seller_to_clue(result=sellers["A1"], user=demo.users["auditor"])


def test_the_match_list_turns_one_seller_or_all_filtered_sellers_into_clues(demo, sellers, login):
    client = login(demo.users["ad_officer"])
    url = reverse("registry:match_list")
    html = client.get(url, {"outcome": "none"}).content.decode()
    assert html.count("转线索</button>") == 2 and 'id="to-clues-button"' in html

    cell = client.post(reverse("registry:match_to_clue", args=[sellers["A1"].pk]), HTTP_HX_REQUEST="true")
    number = MatchResult.objects.get(pk=sellers["A1"].pk).clue_number
    assert cell.status_code == 200 and number and number in cell.content.decode()

    page = client.post(reverse("registry:matches_to_clues"), {"query": "outcome=none"}, follow=True)
    assert "已生成 1 条无照经营线索" in page.content.decode()  # A3 made, A1 already a clue
    assert MatchResult.objects.exclude(clue_number="").count() == 2
    assert (
        client.get(url, {"has_clue": "false", "outcome": "none"}).content.decode().count("转线索</button>")
        == 0
    )

    csv = client.get(url, {"export": "csv"}).content.decode()
    assert number in csv  # the clue number is in the export


def test_the_api_makes_the_clue_and_refuses_a_second(demo, sellers, api):
    client = api(demo.users["office"])
    url = f"/api/registry/match-results/{sellers['A3'].pk}/to-clue/"
    r = client.post(url)
    assert r.status_code == 201 and r.json()["clue_number"]
    r = client.post(url)
    assert r.status_code == 400 and "已转为线索" in r.json()["error"]["zh"]


def test_too_many_at_once_are_refused_with_the_count_and_nothing_is_made(demo, sellers, login, monkeypatch):
    monkeypatch.setattr(services.unlicensed, "MAX_CLUES_AT_ONCE", 1)
    client = login(demo.users["office"])
    page = client.post(reverse("registry:matches_to_clues"), {"query": ""}, follow=True).content.decode()
    assert "一次最多转 1 条，本次筛选有 2 条" in page and "at most 1 at once" in page
    assert not MatchResult.objects.exclude(clue_number="").exists()
