"""经营异常名录: the grounds by entity kind, the listing clock, removal from the application or the verification,
the revocation of 条例 art. 18 para. 1 — with dates across holidays."""

from __future__ import annotations

import pytest

from tests.credit.conftest import at, d
from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.credit.choices import AbnormalGround as G
from wangjian.credit.choices import AbnormalState
from wangjian.credit.models import AnnualReport, SeriousListing
from wangjian.credit.services import abnormal_act, listing_propose, revocation_check, revocation_rule
from wangjian.platform.workitems import selectors as workitem_selectors


def _listed(demo, staff, entity, ground=G.UNREACHABLE, period_end="2023-02-10", decided="2023-02-20", **kw):
    listing = listing_propose(
        bureau=demo.county,
        entity=entity,
        ground=ground,
        user=staff["credit_officer"],
        period_end=d(period_end) if period_end else None,
        now=at(decided),
        **kw,
    )
    abnormal_act(
        listing=listing,
        user=staff["credit_officer"],
        action="list",
        values={"decided_on": decided},
        now=at(decided),
    )
    return listing


def test_annual_report_listing_is_due_ten_working_days_after_30_june(demo, staff, entity):
    listing = listing_propose(
        bureau=demo.county,
        entity=entity(1),
        ground=G.ANNUAL_REPORT,
        report_year=2024,
        user=staff["credit_officer"],
        now=at("2025-07-01"),
    )
    assert listing.period_end == d("2025-06-30")
    assert listing.listing_due == d("2025-07-14")
    assert "十个工作日" in listing.listing_basis and "2025-07-14" in listing.listing_basis
    item = workitem_selectors.items_of(listing).get(kind="abnormal.listing")
    assert item.due == d("2025-07-14") and item.department.kind == "credit"


def test_listing_clock_after_an_ordered_period_skips_national_day_and_counts_the_make_up_saturday(
    demo, staff, entity
):
    """9-30 ends the period; 10-1…10-8 are 国庆 holidays, 10-11 (a Saturday) is worked: the tenth working day is 10-21."""
    listing = listing_propose(
        bureau=demo.county,
        entity=entity(2),
        ground=G.ORDERED,
        period_end=d("2025-09-30"),
        user=staff["credit_officer"],
        now=at("2025-10-09"),
    )
    assert listing.listing_due == d("2025-10-21")
    assert "国庆" in listing.listing_basis or "10-01" in listing.listing_basis
    abnormal_act(
        listing=listing,
        user=staff["credit_officer"],
        action="list",
        values={"decided_on": "2025-10-22"},
        now=at("2025-10-22"),
    )
    listing.refresh_from_db()
    assert listing.state == AbnormalState.LISTED and listing.listed_late
    assert listing.decision_number.startswith("旌市监异列〔2025〕")


def test_a_listing_decided_on_the_due_day_is_in_time(demo, staff, entity):
    listing = listing_propose(
        bureau=demo.county,
        entity=entity(3),
        ground=G.ORDERED,
        period_end=d("2025-09-30"),
        user=staff["credit_officer"],
        now=at("2025-10-21"),
    )
    abnormal_act(
        listing=listing,
        user=staff["credit_officer"],
        action="list",
        values={"decided_on": "2025-10-21"},
        now=at("2025-10-21"),
    )
    listing.refresh_from_db()
    assert not listing.listed_late and listing.listed_on == d("2025-10-21")


def test_no_proposal_before_the_period_ends_nor_for_a_report_on_file(demo, staff, entity):
    e = entity(4)
    with pytest.raises(ValidationFailed, match="期限尚未届满"):
        listing_propose(
            bureau=demo.county,
            entity=e,
            ground=G.ANNUAL_REPORT,
            report_year=2024,
            user=staff["credit_officer"],
            now=at("2025-06-30"),
        )
    AnnualReport.objects.create(bureau=demo.county, entity=e, year=2024)
    with pytest.raises(ValidationFailed, match="年度报告已报送"):
        listing_propose(
            bureau=demo.county,
            entity=e,
            ground=G.ANNUAL_REPORT,
            report_year=2024,
            user=staff["credit_officer"],
            now=at("2025-07-02"),
        )


def test_an_individual_business_is_listed_like_an_enterprise_not_marked(demo, staff, entity):
    """个体工商户年度报告办法 (2025) arts. 13–15: a 个体工商户 is 列入经营异常名录; listed two years and not removed,
    it goes to 另册管理 (个体工商户登记管理规定 arts. 32, 33)."""
    listing = _listed(
        demo,
        staff,
        entity(5, kind="individual"),
        ground=G.ANNUAL_REPORT,
        period_end=None,
        decided="2025-07-03",
        report_year=2024,
    )
    assert listing.listing_word == "列入经营异常名录"
    assert listing.events.filter(action="list", comment__contains="列入经营异常名录").exists()
    assert "2027-07-03" in listing.other_register_note and "第三十二条" in listing.other_register_note


def test_false_information_is_no_listing_ground_for_an_enterprise(demo, staff, entity):
    """条例 art. 18 para. 2: an enterprise's false report is fined (and, if serious, goes to the serious list)."""
    with pytest.raises(ValidationFailed, match="第十八条第二款") as refused:
        listing_propose(
            bureau=demo.county,
            entity=entity(14),
            ground=G.FALSE_INFO,
            period_end=d("2025-03-03"),
            user=staff["credit_officer"],
            now=at("2025-03-03"),
        )
    assert refused.value.code == "ground_not_applicable"
    assert "individual businesses only" in refused.value.en


def test_false_information_remains_a_listing_ground_for_an_individual_business(demo, staff, entity):
    """个体工商户年度报告办法 (2025) art. 14: listed within 10 working days of the day it is established."""
    listing = listing_propose(
        bureau=demo.county,
        entity=entity(15, kind="individual"),
        ground=G.FALSE_INFO,
        period_end=d("2025-03-03"),
        user=staff["credit_officer"],
        now=at("2025-03-03"),
    )
    assert listing.listing_due == d("2025-03-17")
    assert "第十三条至第十五条" in listing.listing_basis


def test_a_name_not_changed_is_a_listing_ground_for_an_enterprise_only(demo, staff, entity):
    """企业名称登记管理规定 art. 23; 办法 art. 8."""
    listing = listing_propose(
        bureau=demo.county,
        entity=entity(16),
        ground=G.NAME_CHANGE,
        period_end=d("2025-03-03"),
        facts="名称经认定应当停止使用，三十日内未办理变更登记",
        user=staff["credit_officer"],
        now=at("2025-03-04"),
    )
    assert listing.listing_due == d("2025-03-17")
    with pytest.raises(ValidationFailed, match="只适用于企业"):
        listing_propose(
            bureau=demo.county,
            entity=entity(17, kind="individual"),
            ground=G.NAME_CHANGE,
            period_end=d("2025-03-03"),
            user=staff["credit_officer"],
            now=at("2025-03-04"),
        )


def test_removal_is_due_five_working_days_after_a_valid_application_across_national_day(demo, staff, entity):
    listing = _listed(demo, staff, entity(6), ground=G.ORDERED, period_end="2025-08-29", decided="2025-09-05")
    officer, head = staff["credit_officer"], staff["credit_head"]
    abnormal_act(
        listing=listing,
        user=officer,
        action="apply_removal",
        values={"applied_on": "2025-09-29", "note": "已补充公示股东出资信息"},
        now=at("2025-09-29"),
    )
    listing.refresh_from_db()
    # 9-30 (1), 10-9 (2), 10-10 (3), 10-11 the make-up Saturday (4), 10-13 (5)
    assert listing.removal_due == d("2025-10-13")
    assert workitem_selectors.items_of(listing).get(kind="abnormal.removal").due == d("2025-10-13")
    abnormal_act(
        listing=listing, user=head, action="remove", values={"removed_on": "2025-10-13"}, now=at("2025-10-13")
    )
    listing.refresh_from_db()
    assert listing.state == AbnormalState.REMOVED and listing.removed_on == d("2025-10-13")
    assert listing.removal_ground == "published" and listing.removal_number.startswith("旌市监异移〔2025〕")
    assert not workitem_selectors.items_of(listing).filter(kind="abnormal.removal", state="open").exists()


def test_removal_needs_an_application_on_the_ground_that_answers_the_listing(demo, staff, entity):
    listing = _listed(
        demo,
        staff,
        entity(7),
        ground=G.ANNUAL_REPORT,
        period_end=None,
        decided="2025-07-10",
        report_year=2024,
    )
    head = staff["credit_head"]
    with pytest.raises(ValidationFailed, match="有效申请"):
        abnormal_act(listing=listing, user=head, action="remove", values={}, now=at("2025-07-20"))
    with pytest.raises(ValidationFailed, match="补报未报年份的年度报告并公示"):
        abnormal_act(
            listing=listing,
            user=head,
            action="apply_removal",
            values={"removal_ground": "address", "note": "x"},
            now=at("2025-07-20"),
        )
    with pytest.raises(ValidationFailed, match="未见2024年度报告"):
        abnormal_act(
            listing=listing,
            user=head,
            action="apply_removal",
            values={"note": "已补报"},
            now=at("2025-07-20"),
        )
    abnormal_act(
        listing=listing,
        user=head,
        action="apply_removal",
        values={"note": "已补报", "report_published_on": "2025-07-18"},
        now=at("2025-07-21"),
    )
    assert AnnualReport.objects.filter(entity=listing.entity, year=2024).exists()


def test_a_refused_removal_closes_the_application_and_keeps_the_listing(demo, staff, entity):
    listing = _listed(
        demo, staff, entity(8), ground=G.UNREACHABLE, period_end="2025-05-06", decided="2025-05-08"
    )
    abnormal_act(
        listing=listing,
        user=staff["reg_officer"],
        action="apply_removal",
        values={"note": "称可以联系", "applied_on": "2025-06-02"},
        now=at("2025-06-02"),
    )
    abnormal_act(
        listing=listing,
        user=staff["credit_head"],
        action="refuse_removal",
        values={"note": "实地核查仍无法联系"},
        now=at("2025-06-05"),
    )
    listing.refresh_from_db()
    assert listing.state == AbnormalState.LISTED and listing.removal_applied_on is None


def test_removal_of_an_unreachable_listing_is_due_five_working_days_after_the_verification(
    demo, staff, entity
):
    """办法 art. 14: reachable again → the decision within 5 working days from the verification, not the application."""
    listing = _listed(
        demo, staff, entity(18), ground=G.UNREACHABLE, period_end="2025-08-29", decided="2025-09-05"
    )
    officer, head = staff["credit_officer"], staff["credit_head"]
    message = abnormal_act(
        listing=listing,
        user=officer,
        action="apply_removal",
        values={"applied_on": "2025-09-15", "note": "称可以联系"},
        now=at("2025-09-15"),
    )
    listing.refresh_from_db()
    assert "核实" in message and listing.removal_due is None
    assert not workitem_selectors.items_of(listing).filter(kind__startswith="abnormal.removal").exists()
    with pytest.raises(ValidationFailed, match="请先记录核实结果"):
        abnormal_act(listing=listing, user=head, action="remove", values={}, now=at("2025-09-20"))
    abnormal_act(
        listing=listing,
        user=officer,
        action="verify_removal",
        values={"verified_on": "2025-09-29"},
        now=at("2025-09-29"),
    )
    listing.refresh_from_db()
    # from 9-29, across 国庆: 9-30 (1), 10-9 (2), 10-10 (3), 10-11 the make-up Saturday (4), 10-13 (5)
    assert listing.removal_verified_on == d("2025-09-29") and listing.removal_due == d("2025-10-13")
    assert "第十三条、第十四条" in listing.removal_basis and "核实" in listing.removal_basis
    item = workitem_selectors.items_of(listing).get(kind="abnormal.removal_verified")
    assert item.due == d("2025-10-13")
    abnormal_act(
        listing=listing, user=head, action="remove", values={"removed_on": "2025-10-13"}, now=at("2025-10-13")
    )
    listing.refresh_from_db()
    assert listing.state == AbnormalState.REMOVED and listing.removal_ground == "address"


def test_a_name_change_verified_on_the_application_day_starts_the_clock_at_once(demo, staff, entity):
    """办法 art. 13: the name change registered and verified when the application comes in."""
    listing = _listed(
        demo, staff, entity(19), ground=G.NAME_CHANGE, period_end="2025-08-29", decided="2025-09-05"
    )
    abnormal_act(
        listing=listing,
        user=staff["credit_officer"],
        action="apply_removal",
        values={"applied_on": "2025-09-08", "verified_on": "2025-09-10", "note": "已办理名称变更登记"},
        now=at("2025-09-10"),
    )
    listing.refresh_from_db()
    assert listing.removal_ground == "name_changed" and listing.removal_due == d("2025-09-17")


def test_removal_after_a_filed_report_still_counts_from_receipt(demo, staff, entity):
    """办法 art. 11: the annual report filed → 5 working days from receipt of the application."""
    listing = _listed(
        demo,
        staff,
        entity(20),
        ground=G.ANNUAL_REPORT,
        period_end=None,
        decided="2025-07-10",
        report_year=2024,
    )
    AnnualReport.objects.create(bureau=demo.county, entity=listing.entity, year=2024)
    abnormal_act(
        listing=listing,
        user=staff["credit_officer"],
        action="apply_removal",
        values={"applied_on": "2025-09-08", "note": "已补报"},
        now=at("2025-09-10"),
    )
    listing.refresh_from_db()
    assert listing.removal_due == d("2025-09-15") and "第十一条、第十二条" in listing.removal_basis
    assert workitem_selectors.items_of(listing).filter(kind="abnormal.removal", state="open").exists()


def _not_filed(demo, staff, e, year, decided):
    return _listed(demo, staff, e, ground=G.ANNUAL_REPORT, period_end=None, decided=decided, report_year=year)


def test_two_consecutive_years_not_filed_and_unreachable_is_flagged_for_revocation(demo, staff, entity):
    """条例 art. 18 para. 1: listed for not filing two consecutive years, not corrected, and unreachable."""
    e = entity(9)
    _not_filed(demo, staff, e, 2022, "2023-07-10")
    assert revocation_check(today=d("2025-03-01"), now=at("2025-03-01")) == []
    unreachable = _listed(demo, staff, e, ground=G.UNREACHABLE, period_end="2024-02-10", decided="2024-02-20")
    due, why = revocation_rule(unreachable, d("2025-03-01"))
    assert not due and "未因连续两年" in why  # one year not filed only
    _not_filed(demo, staff, e, 2023, "2024-07-10")
    flagged = revocation_check(today=d("2025-03-03"), now=at("2025-03-03"))
    assert flagged == [unreachable]
    unreachable.refresh_from_db()
    assert unreachable.revocation_flagged_on == d("2025-03-03")
    assert "2022、2023连续两年" in unreachable.revocation_basis
    assert "第十八条第一款" in unreachable.revocation_basis and "须核实" not in unreachable.revocation_basis
    assert workitem_selectors.items_of(unreachable).filter(kind="credit.revocation", state="open").exists()
    assert revocation_check(today=d("2025-03-05"), now=at("2025-03-05")) == []  # flagged once


def test_unreachable_with_two_years_of_missing_reports_but_never_listed_for_them_is_not_revocation(
    demo, staff, entity
):
    """The old, inverted rule: an unreachable listing two years old without reports does not suffice."""
    listing = _listed(
        demo, staff, entity(10), ground=G.UNREACHABLE, period_end="2023-02-10", decided="2023-03-01"
    )
    due, why = revocation_rule(listing, d("2025-03-01"))
    assert not due and "未因连续两年未按规定报送年度报告被列入" in why
    assert revocation_check(today=d("2025-03-01"), now=at("2025-03-01")) == []


def test_two_consecutive_years_not_filed_but_reachable_is_not_revocation(demo, staff, entity):
    e = entity(21)
    listing = _not_filed(demo, staff, e, 2022, "2023-07-10")
    _not_filed(demo, staff, e, 2023, "2024-07-10")
    due, why = revocation_rule(listing, d("2025-03-01"))
    assert not due and "未因通过登记的住所或者经营场所无法联系被列入" in why


def test_a_report_filed_and_the_listing_removed_withdraws_the_flag(demo, staff, entity):
    """未改正 is part of the rule: once a year's report is filed and its listing removed, the flag falls."""
    e = entity(22)
    first = _not_filed(demo, staff, e, 2022, "2023-07-10")
    _not_filed(demo, staff, e, 2023, "2024-07-10")
    unreachable = _listed(demo, staff, e, ground=G.UNREACHABLE, period_end="2024-08-01", decided="2024-08-05")
    assert revocation_check(today=d("2025-03-03"), now=at("2025-03-03")) == [unreachable]
    abnormal_act(
        listing=first,
        user=staff["credit_officer"],
        action="apply_removal",
        values={"applied_on": "2025-03-04", "note": "已补报", "report_published_on": "2025-03-04"},
        now=at("2025-03-04"),
    )
    abnormal_act(
        listing=first,
        user=staff["credit_head"],
        action="remove",
        values={"removed_on": "2025-03-05"},
        now=at("2025-03-05"),
    )
    unreachable.refresh_from_db()
    assert unreachable.revocation_flagged_on is None
    assert unreachable.events.filter(action="withdraw_revocation", comment__contains="未因连续两年").exists()
    assert (
        not workitem_selectors.items_of(unreachable).filter(kind="credit.revocation", state="open").exists()
    )


def test_an_individual_business_is_not_flagged_for_revocation(demo, staff, entity):
    e = entity(23, kind="individual")
    _not_filed(demo, staff, e, 2022, "2023-07-10")
    _not_filed(demo, staff, e, 2023, "2024-07-10")
    unreachable = _listed(demo, staff, e, ground=G.UNREACHABLE, period_end="2024-08-01", decided="2024-08-05")
    assert revocation_check(today=d("2025-03-03"), now=at("2025-03-03")) == []
    due, why = revocation_rule(unreachable, d("2025-03-03"))
    assert not due and "另册管理" in why


def test_an_ordered_listing_leads_to_no_revocation(demo, staff, entity):
    listing = _listed(
        demo, staff, entity(11), ground=G.ORDERED, period_end="2022-02-10", decided="2022-03-01"
    )
    with pytest.raises(ValidationFailed, match="仅适用于因连续两年未报送年度报告"):
        abnormal_act(
            listing=listing,
            user=staff["credit_officer"],
            action="flag_revocation",
            values={},
            now=at("2025-03-01"),
        )


def test_three_years_listed_no_longer_leads_to_the_serious_list(demo, staff, entity):
    """The old 经营异常名录管理暂行办法 rule is gone: neither the daily checks nor a step list it after three years."""
    listing = _listed(
        demo,
        staff,
        entity(12),
        ground=G.ANNUAL_REPORT,
        period_end=None,
        decided="2021-07-10",
        report_year=2020,
    )
    revocation_check(today=d("2025-07-10"), now=at("2025-07-10"))
    assert not SeriousListing.objects.filter(entity=listing.entity).exists()
    with pytest.raises(ValidationFailed, match="弄虚作假"):
        abnormal_act(
            listing=listing,
            user=staff["credit_head"],
            action="propose_serious",
            values={"ground": "满三年"},
            now=at("2025-07-10"),
        )


def test_who_may_list_is_the_transition_table_s(demo, staff, entity):
    listing = listing_propose(
        bureau=demo.county,
        entity=entity(13),
        ground=G.ORDERED,
        period_end=d("2025-09-30"),
        user=staff["office"],
        now=at("2025-10-09"),
    )
    with pytest.raises(PermissionDeniedError, match="只能由登记注册或信用监管部门人员"):
        abnormal_act(
            listing=listing, user=staff["ad_officer"], action="list", values={}, now=at("2025-10-10")
        )
    with pytest.raises(PermissionDeniedError, match="权限表：credit.credit.act"):
        abnormal_act(listing=listing, user=staff["auditor"], action="list", values={}, now=at("2025-10-10"))
    with pytest.raises(PermissionDeniedError, match="只能由登记注册或信用监管部门负责人、办公室"):
        abnormal_act(
            listing=listing,
            user=staff["credit_officer"],
            action="cancel",
            values={"note": "已公示"},
            now=at("2025-10-10"),
        )
    with pytest.raises(WangjianError, match="不能“作出移出决定”"):
        abnormal_act(
            listing=listing, user=staff["credit_head"], action="remove", values={}, now=at("2025-10-10")
        )
