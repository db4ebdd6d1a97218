"""严重违法失信名单 steps and 信用修复: notice, statement period, consent, three years listed, repair periods."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.credit.conftest import at, d
from wangjian.core.errors import ValidationFailed
from wangjian.credit import penalties
from wangjian.credit.choices import AbnormalGround as G
from wangjian.credit.choices import AbnormalState, RepairState, SeriousState
from wangjian.credit.selectors import credit_state_of
from wangjian.credit.services import (
    abnormal_act,
    listing_propose,
    repair_apply,
    repair_decide,
    serious_act,
    serious_expire,
)


@pytest.fixture
def false_info_listing(demo, staff, entity):
    listing = listing_propose(
        bureau=demo.county,
        entity=entity(21, kind="individual"),  # false information is a listing ground for 个体工商户 only
        ground=G.FALSE_INFO,
        period_end=d("2025-03-03"),
        user=staff["credit_officer"],
        facts="年报申报的网店不存在",
        now=at("2025-03-03"),
    )
    abnormal_act(
        listing=listing, user=staff["credit_officer"], action="list", values={}, now=at("2025-03-10")
    )
    return listing


@pytest.fixture
def serious(staff, false_info_listing):
    abnormal_act(
        listing=false_info_listing,
        user=staff["credit_head"],
        action="propose_serious",
        values={"ground": "连续两年虚报网店，情节严重"},
        now=at("2025-03-12"),
    )
    return false_info_listing.serious_listings.get()


def _listed_serious(staff, serious, listed="2025-03-25"):
    serious_act(
        serious=serious,
        user=staff["credit_officer"],
        action="notify",
        values={"notified_on": "2025-03-13"},
        now=at("2025-03-13"),
    )
    serious_act(
        serious=serious,
        user=staff["credit_head"],
        action="decide",
        values={"decided_on": "2025-03-24", "superior_consent_on": "2025-03-24"},
        now=at("2025-03-24"),
    )
    serious_act(
        serious=serious,
        user=staff["credit_officer"],
        action="list",
        values={"listed_on": listed},
        now=at(listed),
    )
    serious.refresh_from_db()
    return serious


def test_the_serious_list_decision_waits_for_the_statement_period_and_the_superior_s_consent(staff, serious):
    head = staff["credit_head"]
    serious_act(
        serious=serious,
        user=staff["credit_officer"],
        action="notify",
        values={"notified_on": "2025-03-13"},
        now=at("2025-03-13"),
    )
    serious.refresh_from_db()
    assert serious.state == SeriousState.NOTIFIED and serious.statement_due == d("2025-03-20")
    with pytest.raises(ValidationFailed, match="陈述申辩期限（2025-03-20）届满前"):
        serious_act(
            serious=serious,
            user=head,
            action="decide",
            values={"decided_on": "2025-03-20", "superior_consent_on": "2025-03-19"},
            now=at("2025-03-20"),
        )
    with pytest.raises(ValidationFailed, match="报经上一级市场监督管理部门同意"):
        serious_act(
            serious=serious,
            user=head,
            action="decide",
            values={"decided_on": "2025-03-21"},
            now=at("2025-03-21"),
        )
    serious_act(
        serious=serious,
        user=head,
        action="decide",
        values={"decided_on": "2025-03-21", "superior_consent_on": "2025-03-21"},
        now=at("2025-03-21"),
    )
    serious.refresh_from_db()
    assert serious.state == SeriousState.DECIDED and serious.decision_number.startswith("旌市监严列〔2025〕")


def test_a_statement_or_hearing_is_recorded_before_the_decision(staff, serious):
    serious_act(
        serious=serious,
        user=staff["credit_officer"],
        action="notify",
        values={"notified_on": "2025-03-13"},
        now=at("2025-03-13"),
    )
    with pytest.raises(ValidationFailed, match="听证日期"):
        serious_act(
            serious=serious,
            user=staff["credit_officer"],
            action="statement",
            values={"statement": "申辩", "hearing_requested": True},
            now=at("2025-03-14"),
        )
    serious_act(
        serious=serious,
        user=staff["credit_officer"],
        action="statement",
        values={
            "statement_on": "2025-03-14",
            "hearing_requested": True,
            "hearing_on": "2025-03-18",
            "hearing_report": "当事人认可事实",
        },
        now=at("2025-03-18"),
    )
    serious.refresh_from_db()
    assert serious.state == SeriousState.HEARD and serious.hearing_on == d("2025-03-18")
    # heard: the decision need not wait for the end of the statement period
    serious_act(
        serious=serious,
        user=staff["credit_head"],
        action="decide",
        values={"decided_on": "2025-03-19", "superior_consent_on": "2025-03-19"},
        now=at("2025-03-19"),
    )


def test_listed_three_years_and_repairable_after_one(staff, serious):
    serious = _listed_serious(staff, serious)
    assert serious.listed_until == d("2028-03-25") and serious.earliest_repair_on == d("2026-03-25")
    with pytest.raises(ValidationFailed, match="列入未满三年"):
        serious_act(
            serious=serious,
            user=staff["credit_head"],
            action="remove",
            values={"removal_ground": "expired", "removed_on": "2025-12-01"},
            now=at("2025-12-01"),
        )
    assert serious_expire(today=d("2028-03-24"), now=at("2028-03-24")) == []
    assert serious_expire(today=d("2028-03-25"), now=at("2028-03-25")) == [serious]
    serious.refresh_from_db()
    assert (
        serious.state == SeriousState.REMOVED
        and serious.removed_on == d("2028-03-25")
        and serious.removal_ground == "expired"
    )


def test_serious_list_repair_before_one_year_is_refused_with_the_first_possible_day(staff, serious):
    serious = _listed_serious(staff, serious)
    values = {"applied_on": "2026-03-24", "fulfilled": True, "harm_removed": True, "no_heavier": True}
    with pytest.raises(ValidationFailed, match="最早 2026-03-25 可以申请"):
        repair_apply(
            entity=serious.entity,
            target="serious",
            serious=serious,
            user=staff["credit_officer"],
            values=values,
            now=at("2026-03-24"),
        )
    repair = repair_apply(
        entity=serious.entity,
        target="serious",
        serious=serious,
        user=staff["credit_officer"],
        values={**values, "applied_on": "2026-03-25"},
        now=at("2026-03-25"),
    )
    repair_decide(
        repair=repair,
        user=staff["credit_head"],
        action="grant",
        values={"decided_on": "2026-04-01"},
        now=at("2026-04-01"),
    )
    serious.refresh_from_db()
    assert (
        serious.state == SeriousState.REMOVED
        and serious.removal_ground == "repair"
        and serious.removed_on == d("2026-04-01")
    )


def test_an_abnormal_listing_is_repaired_without_waiting_and_the_repair_removes_it(staff, false_info_listing):
    repair = repair_apply(
        entity=false_info_listing.entity,
        target="abnormal",
        abnormal=false_info_listing,
        user=staff["credit_officer"],
        values={"applied_on": "2025-03-11", "obligation": True},
        now=at("2025-03-11"),
    )
    assert repair.earliest_on == d("2025-03-10") and "第五条" in repair.earliest_basis
    assert repair.decision_due == d("2025-04-01")  # the bureau's work rule: 15 working days
    with pytest.raises(ValidationFailed, match="待决定"):
        repair_apply(
            entity=false_info_listing.entity,
            target="abnormal",
            abnormal=false_info_listing,
            user=staff["credit_officer"],
            values={},
            now=at("2025-03-11"),
        )
    repair_decide(
        repair=repair,
        user=staff["credit_head"],
        action="grant",
        values={"decided_on": "2025-03-14"},
        now=at("2025-03-14"),
    )
    false_info_listing.refresh_from_db()
    assert false_info_listing.state == AbnormalState.REMOVED and false_info_listing.removed_on == d(
        "2025-03-14"
    )
    assert false_info_listing.removal_number == repair.decision_number


# ---------------------------------------------------------------------------------------------
# Penalties on display: a provider stands in for the cases app


@pytest.fixture
def penalty(monkeypatch, demo, entity):
    """``penalty(**fields)`` → a published penalty of a fresh entity, offered by a test provider."""
    rows: list[penalties.PenaltyRecord] = []
    monkeypatch.setattr(penalties, "_PROVIDERS", [lambda ids: [r for r in rows if r.entity_id in ids]])

    def _penalty(n: int = 40, **kw):
        e = entity(n)
        fields = {
            "source": "test.penalty",
            "ref": str(n),
            "bureau_id": demo.county.pk,
            "entity_id": e.pk,
            "number": f"旌市监处罚〔2025〕{n}号",
            "decided_on": d("2025-01-06"),
            "published_on": d("2025-01-10"),
            "display_until": d("2028-01-10"),
            "basis": "公示三年",
            "kinds": ("fine",),
            "fine": Decimal("200000"),
        }
        fields.update(kw)
        rows.append(penalties.PenaltyRecord(**fields))
        return e, fields["source"], fields["ref"]

    return _penalty


ALL_MET = {"fulfilled": True, "harm_removed": True, "no_repeat": True}


def test_a_penalty_is_repairable_after_six_months_on_display(staff, penalty):
    e, source, ref = penalty()
    with pytest.raises(ValidationFailed, match="最早 2025-07-10 可以申请"):
        repair_apply(
            entity=e,
            target="penalty",
            penalty=(source, ref),
            user=staff["credit_officer"],
            values={**ALL_MET, "applied_on": "2025-07-09"},
            now=at("2025-07-09"),
        )
    assert credit_state_of([e.pk], d("2025-07-10"))[e.pk]["penalties_on_display"] == 1
    repair = repair_apply(
        entity=e,
        target="penalty",
        penalty=(source, ref),
        user=staff["credit_officer"],
        values={**ALL_MET, "applied_on": "2025-07-10"},
        now=at("2025-07-10"),
    )
    repair_decide(
        repair=repair,
        user=staff["credit_head"],
        action="grant",
        values={"decided_on": "2025-07-15"},
        now=at("2025-07-15"),
    )
    repair.refresh_from_db()
    assert repair.state == RepairState.GRANTED and repair.effect_on == d("2025-07-15")
    assert credit_state_of([e.pk], d("2025-07-14"))[e.pk]["penalties_on_display"] == 1
    assert credit_state_of([e.pk], d("2025-07-15"))[e.pk]["penalties_on_display"] == 0


def test_food_drug_and_special_equipment_penalties_wait_a_year(staff, penalty):
    e, source, ref = penalty(41, domain="online_food")
    with pytest.raises(ValidationFailed, match="最早 2026-01-10 可以申请"):
        repair_apply(
            entity=e,
            target="penalty",
            penalty=(source, ref),
            user=staff["credit_officer"],
            values={**ALL_MET, "applied_on": "2025-12-01"},
            now=at("2025-12-01"),
        )


def test_warning_criticism_or_low_fine_only_and_the_heavier_penalties_are_never_ended_early(staff, penalty):
    e, source, ref = penalty(42, kinds=("criticism",), short=True, display_until=d("2025-04-10"))
    with pytest.raises(ValidationFailed, match="三个月自动停止"):
        repair_apply(
            entity=e,
            target="penalty",
            penalty=(source, ref),
            user=staff["credit_officer"],
            values=ALL_MET,
            now=at("2025-03-01"),
        )
    e, source, ref = penalty(43, kinds=("fine", "suspend_business"), severe=True)
    with pytest.raises(ValidationFailed, match="第十四条第三款"):
        repair_apply(
            entity=e,
            target="penalty",
            penalty=(source, ref),
            user=staff["credit_officer"],
            values=ALL_MET,
            now=at("2025-09-01"),
        )


def test_an_entity_still_listed_cannot_have_its_penalty_repaired(demo, staff, penalty):
    e, source, ref = penalty(44)
    listing = listing_propose(
        bureau=demo.county,
        entity=e,
        ground=G.UNREACHABLE,
        period_end=d("2025-05-06"),
        user=staff["credit_officer"],
        now=at("2025-05-06"),
    )
    abnormal_act(
        listing=listing, user=staff["credit_officer"], action="list", values={}, now=at("2025-05-07")
    )
    with pytest.raises(ValidationFailed, match="在经营异常名录中"):
        repair_apply(
            entity=e,
            target="penalty",
            penalty=(source, ref),
            user=staff["credit_officer"],
            values=ALL_MET,
            now=at("2025-08-01"),
        )
    assert credit_state_of([e.pk], d("2025-08-01"))[e.pk] == {
        "abnormal": True,
        "serious": False,
        "penalties_on_display": 1,
    }


def test_a_grant_with_conditions_not_shown_needs_the_officer_s_confirmation(staff, penalty):
    e, source, ref = penalty(45)
    repair = repair_apply(
        entity=e,
        target="penalty",
        penalty=(source, ref),
        user=staff["credit_officer"],
        values={"fulfilled": True},
        now=at("2025-08-01"),
    )
    with pytest.raises(ValidationFailed, match="已经主动消除危害后果和不良影响"):
        repair_decide(
            repair=repair, user=staff["credit_head"], action="grant", values={}, now=at("2025-08-02")
        )
    repair_decide(
        repair=repair,
        user=staff["credit_head"],
        action="grant",
        values={"conditions_checked": True},
        now=at("2025-08-02"),
    )
    assert dt.date(2025, 8, 2) == repair.effect_on


def test_the_clocks_say_which_periods_are_the_measures_and_which_the_bureau_s():
    """44号令 art. 13 sets no separate statement period; art. 14 publication within 20 working days; 办法 art. 15
    the objection periods; the repair decision period is the bureau's own setting."""
    from wangjian.core.clocks import Unit
    from wangjian.platform.clocks import catalogue
    from wangjian.platform.clocks.catalogue import Lock

    statement = catalogue.get("serious.statement")
    assert (
        statement.lock == Lock.WORK_RULE
        and "本局工作规则" in statement.basis
        and "第十三条" in statement.basis
    )
    publication = catalogue.get("serious.publication")
    assert (publication.length, publication.lock) == (20, Lock.STATUTORY) and "第十四条" in publication.basis
    periods = {
        key: (catalogue.get(key).length, catalogue.get(key).unit)
        for key in (
            "abnormal.objection_filing",
            "abnormal.objection_acceptance",
            "abnormal.objection_verification",
            "abnormal.objection_correction",
        )
    }
    assert periods == {
        "abnormal.objection_filing": (30, Unit.DAYS),
        "abnormal.objection_acceptance": (5, Unit.WORKING_DAYS),
        "abnormal.objection_verification": (20, Unit.WORKING_DAYS),
        "abnormal.objection_correction": (5, Unit.WORKING_DAYS),
    }
    assert all("第十五条" in catalogue.get(key).basis for key in periods)
    repair = catalogue.get("credit.repair_decision")
    assert repair.lock == Lock.WORK_RULE and "本局设定" in repair.basis
    assert "国家发展改革委令第36号" in repair.basis and "55号" not in repair.basis


def test_a_serious_listing_decision_opens_the_twenty_working_day_publication_clock(staff, serious):
    from wangjian.platform.workitems import selectors as workitem_selectors

    listed = _listed_serious(staff, serious)
    item = workitem_selectors.items_of(listed).get(kind="serious.publication")
    # decided 2025-03-24: the 20th working day after is 2025-04-22 (清明 4-4 a holiday)
    assert item.state == "done" and "第十四条" in item.due_basis
    assert item.due == d("2025-04-22")
