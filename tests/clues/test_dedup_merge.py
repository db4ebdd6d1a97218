"""Deduplication: a new report about an open matter joins it; the office merges and splits by hand."""

import pytest

from wangjian.clues import services
from wangjian.clues.choices import ClueState
from wangjian.clues.models import Clue
from wangjian.core.errors import WangjianError

from .conftest import at

USCC = "91341825MA2TEST01X"


def test_same_entity_and_domain_as_an_open_clue_is_attached_not_routed_twice(demo, intake):
    first = intake(entity_uscc=USCC, source_kind="monitoring", source_ref="F-1").clue
    second = intake(entity_uscc=USCC, source_kind="complaint", source_ref="12315-889", now=at("2025-09-29"))
    assert not second.created and second.clue == first
    assert "不重复分派" in second.reason_zh
    assert Clue.objects.count() == 1
    assert [s.kind for s in first.sources.all()] == ["monitoring", "complaint"]
    assert first.events.filter(action="route").count() == 1
    first.refresh_from_db()
    assert first.feedback_due.isoformat() == "2025-10-13"  # the running clock is not restarted


def test_same_presence_counts_as_the_same_matter(demo, intake):
    a = intake(presence_label="https://shop.example.com/123").clue
    b = intake(presence_label="https://shop.example.com/123", entity_uscc="91341825MA2OTHER1X")
    assert not b.created and b.clue == a


def test_other_domain_or_closed_clue_is_a_new_clue(demo, intake):
    officer = demo.users["ad_officer"]
    a = intake(entity_uscc=USCC).clue
    other_domain = intake(entity_uscc=USCC, domain="online_price")
    assert other_domain.created
    services.clue_accept(clue=a, user=officer)
    services.clue_feedback(clue=a, user=officer, result="true", actions="已责令删除")
    services.clue_close(clue=a, user=officer, disposal="rectify", note="已整改")
    again = intake(entity_uscc=USCC)
    assert again.created and again.clue != a


def test_office_merges_a_duplicate_and_its_sources_move(demo, intake):
    office = demo.users["office"]
    a = intake(entity_uscc=USCC).clue
    b = intake(presence_label="某旗舰店", facts="同一店铺的另一商品页").clue
    services.clue_merge(clue=b, into=a, user=office, reason="同一经营者")
    b.refresh_from_db()
    assert b.state == ClueState.MERGED and b.merged_into == a
    assert a.sources.count() == 2
    with pytest.raises(WangjianError):
        services.clue_merge(clue=a, into=a, user=office)
    with pytest.raises(WangjianError):
        services.clue_merge(clue=a, into=b, user=demo.users["ad_officer"])


def test_office_splits_a_different_matter_off_and_it_is_routed_on_its_own(demo, intake):
    office = demo.users["office"]
    a = intake(entity_uscc=USCC).clue
    intake(entity_uscc=USCC, source_kind="complaint", facts="虚构原价")
    complaint = a.sources.get(kind="complaint")
    with pytest.raises(WangjianError):
        services.clue_split(clue=a, source_ids=[s.pk for s in a.sources.all()], user=office)
    result = services.clue_split(clue=a, source_ids=[complaint.pk], user=office, domain="online_price")
    new = result.clue
    assert new.pk != a.pk and new.domain == "online_price"
    assert list(new.sources.values_list("pk", flat=True)) == [complaint.pk]
    assert a.sources.count() == 1
    assert new.department.kind == "price" and new.state == ClueState.ASSIGNED


def test_evidence_is_held_while_the_matter_is_open_here_or_where_it_went(demo, intake):
    from wangjian.clues.selectors import clue_holds_evidence

    office, officer = demo.users["office"], demo.users["ad_officer"]
    a = intake(entity_uscc=USCC, evidence_refs=["capture:999999"]).clue  # unknown capture: kept as text
    assert a.sources.get().evidence_refs == ["capture:999999"]
    assert clue_holds_evidence(a)
    b = intake(presence_label="另一网店").clue
    services.clue_merge(clue=b, into=a, user=office)
    b.refresh_from_db()
    assert clue_holds_evidence(b)  # merged, but the matter is open in a
    services.clue_accept(clue=a, user=officer)
    services.clue_feedback(clue=a, user=officer, result="false", actions="不属实")
    services.clue_close(clue=a, user=officer, disposal="no_action", note="不属实")
    assert not clue_holds_evidence(Clue.objects.get(pk=a.pk))
    assert not clue_holds_evidence(Clue.objects.get(pk=b.pk))


def test_the_evidence_app_knows_when_a_clue_holds_its_captures(demo):
    from wangjian.evidence import retention

    rule = retention.rule_for("clues.Clue")
    assert rule is not None and rule.label == "线索"


def test_a_credit_code_typed_differently_is_still_the_same_entity(demo, intake):
    a = intake(entity_uscc="91341825MA2TEST01X").clue
    b = intake(entity_uscc="９１３４１８２５ｍａ２ｔｅｓｔ０１ｘ")  # full-width, lower case
    c = intake(entity_uscc=" 91341825-MA2TEST01X ")
    assert not b.created and not c.created and b.clue == c.clue == a
