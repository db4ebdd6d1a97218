"""The demo county's registry: thousands of entities, platforms with seller lists, all three outcomes."""

import io

import pytest

from wangjian.registry import demo as registry_demo
from wangjian.registry.models import ImportBatch, MarketEntity, MatchResult, Platform, Presence

pytestmark = pytest.mark.django_db


def test_demo_registry_has_entities_platforms_and_all_three_match_outcomes(demo):
    out = io.StringIO()
    registry_demo.load(demo, out)
    assert MarketEntity.objects.filter(bureau=demo.county).count() == registry_demo.ENTITIES
    assert Platform.objects.filter(bureau=demo.county).count() == 3
    outcomes = {o: MatchResult.objects.filter(outcome=o).count() for o in ("auto", "review", "none")}
    assert all(outcomes.values()), outcomes
    assert Presence.objects.filter(platform=None).exclude(entity=None).exists()  # websites, WeChat accounts
    assert ImportBatch.objects.filter(kind="registry").get().rejected_count == 3
    # loading again changes nothing
    registry_demo.load(demo, io.StringIO())
    assert MarketEntity.objects.count() == registry_demo.ENTITIES
    assert ImportBatch.objects.filter(kind="registry").first().created_count == 0
    assert "经济户口" in out.getvalue()
