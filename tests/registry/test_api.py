"""The registry API answers what its schema documents (found by the API fuzz test, tests/platform)."""

from __future__ import annotations

from tests.platform.documented import assert_documented
from wangjian.registry.choices import ImportKind, ImportStatus, MatchOutcome, PresenceKind
from wangjian.registry.models import ImportBatch, MarketEntity, MatchResult, Platform, Presence, SellerReport
from wangjian.registry.uscc import complete


def _platform(demo) -> Platform:
    operator = MarketEntity.objects.create(
        bureau=demo.county, uscc=complete("91341825MA2A00001"), name="皖南商城有限公司", region_code="341825"
    )
    return Platform.objects.create(
        bureau=demo.county, name="皖南商城", url="https://mall.example/", operator=operator
    )


def test_a_decision_answers_the_match_result_as_documented(demo, api):
    """The schema promised the decision's input back; the answer is the decided match result."""
    platform = _platform(demo)
    batch = ImportBatch.objects.create(
        bureau=demo.county,
        kind=ImportKind.SELLERS,
        platform=platform,
        file_name="sellers.csv",
        status=ImportStatus.DONE,
    )
    seller = SellerReport.objects.create(
        bureau=demo.county,
        platform=platform,
        batch=batch,
        seller_id="S1",
        shop_name="一号店",
        claimed_name="皖南商城有限公司",
    )
    result = MatchResult.objects.create(
        bureau=demo.county,
        seller=seller,
        entity=platform.operator,
        confidence=0.7,
        outcome=MatchOutcome.REVIEW,
    )
    client = api(demo.users["office"])
    r = client.post(f"/api/registry/match-results/{result.pk}/decide/", {"decision": "reject"}, format="json")
    assert r.status_code == 200 and r.json()["id"] == result.pk
    assert_documented(client, r, "post", "/api/registry/match-results/{id}/decide/")


def test_a_presence_not_yet_linked_answers_a_blank_link_method_the_schema_allows(demo, api):
    presence = Presence.objects.create(
        bureau=demo.county,
        kind=PresenceKind.PLATFORM_SHOP,
        platform=_platform(demo),
        account_id="shop1",
        shop_name="一号茶叶店",
        url="https://mall.example/shop1",
    )
    client = api(demo.users["office"])
    r = client.get(f"/api/registry/presences/{presence.pk}/")
    assert r.status_code == 200 and r.json()["link_method"] == ""
    assert_documented(client, r, "get", "/api/registry/presences/{id}/")
