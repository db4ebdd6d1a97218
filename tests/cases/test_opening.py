"""Opening a case (立案), 市场监督管理行政处罚程序规定 (2022) arts. 9, 10, 18, 20.

- art. 18: within 15 working days of finding the matter, the bureau's head (负责人) decides whether to
  open a case; the clock is the clue's, or the case's own discovery date when drafted directly;
- art. 20: the head of the 办案机构 designates two or more officers holding enforcement certificates
  (行政执法证); the bureau's head approves the 立案审批表;
- arts. 9, 10: the ground of jurisdiction (管辖) is checked on drafting; a case outside it needs the
  dispute written down.

The calendar (国务院办公厅 2025, via chinese_calendar): 10-01 … 10-08 off (国庆、中秋), 09-28 (Sun) and
10-11 (Sat) make-up working days; November 2025 has weekends only.
"""

import datetime as dt

import pytest

from wangjian.cases import services
from wangjian.cases.models import Case
from wangjian.clues import services as clue_services
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.org.models import User
from wangjian.platform.inbox.models import Message
from wangjian.platform.intake.port import Reporter
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.models import WorkItem

from .conftest import DECISION_DUE, FILING_DUE, FOUND, at

# ---------------------------------------------------------------- the 审批表 from a clue


def test_a_case_drafted_from_a_fed_back_clue_carries_its_facts_party_discovery_date_evidence_and_unit(
    fed_back, officer
):
    clue = fed_back(
        facts="商品标题使用“国家级”“最佳”，违反《广告法》第九条第（三）项",
        evidence_refs=["网页截图-0002", "capture:999999", "网页截图-0001"],
    )
    case = services.case_draft(user=officer, clue=clue, now=at("2025-11-04"))
    assert case.state == "draft" and case.proposal == "file" and case.number == ""
    assert case.clue == clue and case.source_kind == "monitoring"
    assert case.title == clue.title == "旌德县云乐茶叶有限公司：互联网广告"
    assert case.facts == "商品标题使用“国家级”“最佳”，违反《广告法》第九条第（三）项"
    assert case.party_name == "旌德县云乐茶叶有限公司" and case.party_uscc == "91341825MA2CASE01X"
    assert case.party_region == "341825" and case.presence_label == "云乐茶叶淘宝店1"
    assert case.discovered_on == dt.date(2025, 11, 3) == clue.found_on
    assert case.evidence_refs == ["capture:999999", "网页截图-0001", "网页截图-0002"]
    assert case.department == clue.department and case.department.name == "广告监管股"
    assert case.drafted_by == officer
    [event] = case.events.all()
    assert event.action == "draft" and event.to_state == "draft" and clue.number in event.comment


def test_the_discovery_date_of_a_case_from_a_clue_is_the_clues_not_a_typed_one(fed_back, officer):
    clue = fed_back()
    case = services.case_draft(
        user=officer, clue=clue, discovered_on=dt.date(2025, 11, 4), now=at("2025-11-04")
    )
    assert case.discovered_on == dt.date(2025, 11, 3)


def test_a_clue_not_yet_fed_back_cannot_be_drafted_into_a_case(intake, officer):
    clue = intake(entity_uscc="91341825MA2CASE99X", region_code="341825", now=at(FOUND)).clue
    with pytest.raises(PermissionDeniedError) as refused:
        services.case_draft(user=officer, clue=clue, now=at(FOUND, "11:00"))  # assigned, not taken
    assert "反馈核查情况后" in refused.value.zh
    clue_services.clue_accept(clue=clue, user=officer, now=at(FOUND, "11:00"))
    with pytest.raises(PermissionDeniedError):
        services.case_draft(user=officer, clue=clue, now=at(FOUND, "12:00"))  # checking, not fed back
    assert not Case.objects.exists()


@pytest.mark.parametrize("who", ["price_officer", "office", "jixi_officer"])
def test_only_the_clues_unit_drafts_a_case_from_it(demo, fed_back, who):
    clue = fed_back()
    with pytest.raises(PermissionDeniedError) as refused:
        services.case_draft(user=demo.users[who], clue=clue, now=at("2025-11-04"))
    assert refused.value.zh == "只有线索承办单位在反馈核查情况后可以填写立案（不予立案）审批表"
    assert not Case.objects.exists()


def test_the_head_of_the_clues_unit_may_draft_too(fed_back, head):
    case = services.case_draft(user=head, clue=fed_back(), now=at("2025-11-04"))
    assert case.state == "draft" and case.drafted_by == head


def test_drafting_again_from_the_clue_fills_in_its_draft_again(fed_back, officer):
    clue = fed_back()
    first = services.case_draft(user=officer, clue=clue, now=at("2025-11-04"))
    again = services.case_draft(
        user=officer,
        clue=clue,
        title="使用“国家级”等绝对化用语",
        provisions="《广告法》第九条",
        now=at("2025-11-05"),
    )
    assert again.pk == first.pk and Case.objects.filter(clue=clue).count() == 1
    again.refresh_from_db()
    assert again.title == "使用“国家级”等绝对化用语" and again.provisions == "《广告法》第九条"
    assert again.state == "draft" and again.discovered_on == dt.date(2025, 11, 3)
    assert [e.comment.startswith("修改") for e in again.events.filter(action="draft")] == [False, True]


def test_a_clue_whose_form_is_submitted_is_not_drafted_again(pending, officer):
    case = pending()
    with pytest.raises(ValidationFailed) as refused:
        services.case_draft(user=officer, clue=case.clue, now=at("2025-11-05"))
    assert refused.value.zh == f"线索 {case.clue.number} 已有审批表（待负责人审批）"
    assert refused.value.detail == {"case": case.pk}


# ---------------------------------------------------------------- the filing deadline (art. 18)


def test_the_filing_deadline_of_a_case_is_its_clues_fifteen_working_days_from_discovery(draft):
    # found Monday 2025-11-03 (not counted): 11-04 … 11-07 → 4, 11-10 … 11-14 → 9, 11-17 … 11-21 → 14,
    # Monday 11-24 → the 15th working day
    case = draft()
    assert case.filing_due == case.clue.filing_due == FILING_DUE == dt.date(2025, 11, 24)
    assert case.filing_basis == case.clue.filing_basis
    assert "第十八条" in case.filing_basis and not case.filing_provisional


def test_a_direct_case_counts_the_filing_deadline_from_its_own_discovery_date(direct):
    # found Friday 2025-09-26 (not counted): 09-28 (Sun, make-up) 1, 09-29 2, 09-30 3, [10-01 … 10-08 off],
    # 10-09 4, 10-10 5, 10-11 (Sat, make-up) 6, 10-13 … 10-17 → 11, 10-20 … 10-23 → 15
    case = direct()
    assert case.clue is None and case.source_kind == "manual" and case.evidence_refs == []
    assert case.discovered_on == dt.date(2025, 9, 26)
    assert case.filing_due == dt.date(2025, 10, 23)
    assert "第十八条" in case.filing_basis and "国庆节" in case.filing_basis
    assert "2025-09-26发现线索（当日不计）" in case.filing_basis


def test_a_direct_case_needs_a_discovery_date_not_in_the_future(direct):
    with pytest.raises(ValidationFailed) as refused:
        direct(discovered_on=None)
    assert "第十八条" in refused.value.zh
    with pytest.raises(ValidationFailed):
        direct(on="2025-09-29", discovered_on=dt.date(2025, 9, 30))


# ---------------------------------------------------------------- designation (art. 20)


def test_the_departments_head_designates_two_certified_officers_and_submits_to_the_bureau_head(
    draft, officer, head, leader
):
    case = draft()
    services.case_designate(
        case=case, user=head, officers=[officer, head], lead=officer, now=at("2025-11-04")
    )
    case.refresh_from_db()
    assert case.state == "pending" and case.submitted_by == head
    rows = {o.user: (o.lead, o.certificate) for o in case.case_officers.all()}
    assert rows == {
        officer: (True, officer.enforcement_certificate),
        head: (False, head.enforcement_certificate),
    }
    assert officer.enforcement_certificate.startswith("皖341825")
    event = case.events.get(action="designate")
    assert event.actor == head and "钱科员" in event.comment and "赵股长" in event.comment
    assert Message.objects.filter(user=leader, subject_id=str(case.pk), title__startswith="立案审批").exists()


@pytest.mark.parametrize("how_many", [0, 1])
def test_designation_needs_two_or_more_officers(draft, officer, head, how_many):
    case = draft()
    with pytest.raises(ValidationFailed) as refused:
        services.case_designate(case=case, user=head, officers=[officer][:how_many], now=at("2025-11-04"))
    assert refused.value.zh == "须指定两名以上办案人员（程序规定第二十条）"
    with pytest.raises(ValidationFailed):  # the same officer twice is one officer
        services.case_designate(case=case, user=head, officers=[officer, officer], now=at("2025-11-04"))
    case.refresh_from_db()
    assert case.state == "draft" and not case.case_officers.exists()


def test_an_officer_whose_certificate_has_expired_is_refused_by_name(draft, officer, head):
    User.objects.filter(pk=officer.pk).update(certificate_valid_until=dt.date(2025, 11, 3))
    officer.refresh_from_db()
    case = draft()
    with pytest.raises(ValidationFailed) as refused:
        services.case_designate(case=case, user=head, officers=[officer, head], now=at("2025-11-04"))
    assert refused.value.zh == "钱科员 未持有有效的行政执法证，不能担任办案人员（程序规定第二十条）"
    assert refused.value.detail == {"officer": officer.pk}
    # valid until the day of designation: still valid that day
    User.objects.filter(pk=officer.pk).update(certificate_valid_until=dt.date(2025, 11, 4))
    officer.refresh_from_db()
    services.case_designate(case=case, user=head, officers=[officer, head], now=at("2025-11-04"))
    assert case.state == "pending"


def test_someone_without_a_certificate_is_refused_by_name(demo, draft, head):
    office = demo.users["office"]  # 李主任 of the office holds no 行政执法证
    assert office.enforcement_certificate == ""
    with pytest.raises(ValidationFailed) as refused:
        services.case_designate(case=draft(), user=head, officers=[office, head], now=at("2025-11-04"))
    assert refused.value.zh.startswith("李主任 未持有有效的行政执法证")


@pytest.mark.parametrize("who", ["jixi_officer", "auditor"])
def test_only_active_staff_of_the_bureau_handle_its_cases(demo, draft, head, who):
    with pytest.raises(ValidationFailed) as refused:
        services.case_designate(
            case=draft(), user=head, officers=[demo.users[who], head], now=at("2025-11-04")
        )
    assert refused.value.zh == f"{demo.users[who]} 不是本局在岗执法人员"


@pytest.mark.parametrize("who", ["ad_officer", "leader", "office", "price_officer", "legal"])
def test_only_the_head_of_the_handling_department_designates(demo, draft, officer, head, who):
    case = draft()
    with pytest.raises(PermissionDeniedError) as refused:
        services.case_designate(
            case=case, user=demo.users[who], officers=[officer, head], now=at("2025-11-04")
        )
    assert refused.value.zh == (
        "“指定办案人员并提交审批”只能由办案机构负责人操作"
        "（程序规定第二十条：办案机构负责人指定两名以上具有行政执法资格的办案人员）。"
    )


# ---------------------------------------------------------------- the bureau head's approval (arts. 18, 20)


@pytest.fixture
def other_bureau_head(demo):
    """The head of 绩溪县's bureau: a 负责人, but not of 旌德县."""
    user = demo.users["jixi_officer"]
    User.objects.filter(pk=user.pk).update(is_bureau_head=True)
    user.refresh_from_db()
    return user


@pytest.mark.parametrize("who", ["office", "ad_head", "ad_officer", "other_bureau_head"])
def test_only_the_bureau_head_approves_the_filing(demo, pending, other_bureau_head, who):
    user = other_bureau_head if who == "other_bureau_head" else demo.users[who]
    case = pending()
    with pytest.raises(PermissionDeniedError) as refused:
        services.case_approve(case=case, user=user, now=at("2025-11-07"))
    assert refused.value.zh == (
        "“负责人批准”只能由局负责人操作（程序规定第十八条、第二十条：由市场监督管理部门负责人决定是否立案）。"
    )
    case.refresh_from_db()
    assert case.state == "pending" and case.number == "" and case.clue.state != "closed"


def test_approval_numbers_the_case_from_the_bureaus_filing_sequence(filed, leader):
    first = filed()
    second = filed()
    assert first.number == "旌市监立〔2025〕1号"
    assert second.number == "旌市监立〔2025〕2号"
    assert first.state == "investigating" and first.opened_on == dt.date(2025, 11, 7)
    assert first.approved_by == leader and first.approval_opinion == "同意立案"
    event = first.events.get(action="approve")
    assert event.from_state == "pending" and event.to_state == "investigating"
    assert "旌市监立〔2025〕1号" in event.comment


def test_a_case_approved_in_a_new_year_is_numbered_in_that_year(filed):
    # found Monday 2025-12-29: 12-30, 12-31 → 2, [2026-01-01 … 01-03 元旦], 01-04 (Sun, make-up) 3,
    # 01-05 … 01-09 → 8, 01-12 … 01-16 → 13, 01-19 14, Tuesday 01-20 → the 15th; approved 01-05, in time
    case = filed(found="2025-12-29", opened="2026-01-05")
    assert case.filing_due == dt.date(2026, 1, 20) and not case.filed_late
    assert case.number == "旌市监立〔2026〕1号"


def test_approval_starts_the_ninety_day_decision_clock_as_a_work_item(filed, officer):
    # filed Friday 2025-11-07 (not counted): + 23 = 11-30, + 31 = 12-31 (54), + 31 = 2026-01-31 (85),
    # + 5 = Thursday 2026-02-05 (90), a working day
    case = filed()
    item = services.decision_item(case)
    assert item.kind == "case.decision" and item.state == "open" and item.clock == "case.decision"
    assert item.start == dt.date(2025, 11, 7) and item.reference == case.number
    assert item.assignee == officer  # the lead officer owes it
    assert item.due == case.decision_due == DECISION_DUE == dt.date(2026, 2, 5)
    assert "第六十四条" in case.decision_basis and "90日届满为 2026-02-05" in case.decision_basis
    assert not case.decision_provisional and not case.decision_overdue


def test_approval_closes_the_clue_as_filed_with_a_link_to_the_case(filed, leader):
    case = filed()
    clue = case.clue
    clue.refresh_from_db()
    assert clue.state == "closed" and clue.disposal == "case" and clue.get_disposal_display() == "立案查处"
    assert clue.case_number == case.number == "旌市监立〔2025〕1号"
    assert clue.case_url == f"/cases/cases/{case.pk}/" == case.get_absolute_url()
    assert clue.events.get(action="file_case").actor == leader
    assert not workitem_selectors.items_of(clue).filter(state="open").exists()


def test_approving_on_the_last_day_of_the_filing_period_is_in_time(filed):
    case = filed(opened="2025-11-24")  # the 15th working day itself (art. 84: 内 includes it)
    assert not case.filed_late
    assert case.events.get(action="approve").detail == {"late": False, "filing_due": "2025-11-24"}


def test_approving_after_the_filing_deadline_marks_the_case_filed_late(filed):
    case = filed(opened="2025-11-25")
    assert case.filed_late and case.state == "investigating"
    event = case.events.get(action="approve")
    assert event.detail == {"late": True, "filing_due": "2025-11-24"}
    assert "超过立案决定期限 2025-11-24（程序规定第十八条）" in event.comment


def test_the_approval_checks_the_certificates_again_on_the_day(pending, officer, leader):
    case = pending()
    User.objects.filter(pk=officer.pk).update(certificate_valid_until=dt.date(2025, 11, 6))
    with pytest.raises(ValidationFailed) as refused:
        services.case_approve(case=case, user=leader, now=at("2025-11-07"))
    assert "钱科员 未持有有效的行政执法证" in refused.value.zh
    case.refresh_from_db()
    assert case.state == "pending"


def test_a_not_filed_proposal_approved_closes_the_clue_and_the_named_reporter_is_told(
    fed_back, officer, head, leader
):
    clue = fed_back(
        source_kind="complaint", source_ref="12315-2025-0007", reporter=Reporter("张三", "13900000001")
    )
    with pytest.raises(ValidationFailed) as refused:
        services.case_draft(user=officer, clue=clue, proposal="not_file", now=at("2025-11-04"))
    assert refused.value.zh == "不予立案须说明理由"
    reason = "违法行为轻微并及时改正，没有造成危害后果（行政处罚法第三十三条第一款）"
    case = services.case_draft(
        user=officer, clue=clue, proposal="not_file", not_filed_reason=reason, now=at("2025-11-04")
    )
    services.case_designate(case=case, user=head, officers=[], now=at("2025-11-04"))  # no officers to name
    services.case_approve(case=case, user=leader, opinion="同意不予立案", now=at("2025-11-05"))
    case.refresh_from_db()
    assert case.state == "not_filed" and case.number == "" and case.opened_on is None
    assert case.decision_due is None and services.decision_item(case) is None
    clue.refresh_from_db()
    assert clue.state == "closed" and clue.disposal == "no_action" and clue.case_number == ""
    assert clue.disposal_note == f"不予立案：{reason}"
    [told] = WorkItem.objects.filter(kind="report.outcome", reference=clue.number)
    assert told.state == "open" and "不予立案" in told.body
    assert "张三" not in told.title  # the reporter's name is masked in the title


def test_the_bureau_head_or_the_department_head_sends_the_form_back_with_a_reason(
    pending, officer, head, leader
):
    case = pending()
    with pytest.raises(ValidationFailed):
        services.case_send_back(case=case, user=leader, reason=" ", now=at("2025-11-05"))
    with pytest.raises(PermissionDeniedError):
        services.case_send_back(case=case, user=officer, reason="补充证据", now=at("2025-11-05"))
    services.case_send_back(case=case, user=leader, reason="请补充平台交易记录", now=at("2025-11-05"))
    case.refresh_from_db()
    assert case.state == "draft"
    assert case.events.get(action="send_back").comment == "请补充平台交易记录"
    # the unit completes it and the head submits it again
    services.case_designate(case=case, user=head, officers=[officer, head], now=at("2025-11-06"))
    services.case_approve(case=case, user=leader, now=at("2025-11-07"))
    assert case.state == "investigating" and case.case_officers.count() == 2


# ---------------------------------------------------------------- jurisdiction (arts. 9, 10)


def test_a_seller_on_a_platform_doing_business_in_the_bureaus_area_is_its_case(direct):
    case = direct(domain="online_food", presence_kind="platform_shop", party_region="341825")
    assert case.jurisdiction == "actual_place"
    assert "第九条第二款" in case.jurisdiction_basis and "安徽省宣城市旌德县" in case.jurisdiction_basis


def test_a_seller_elsewhere_on_a_platform_domiciled_here_is_ours_when_we_found_it_first(direct):
    case = direct(
        domain="online_food",
        source_kind="monitoring",
        presence_kind="platform_shop",
        party_region="330106",  # 浙江省杭州市西湖区
        platform_region="341825",
    )
    assert case.jurisdiction == "platform_first"
    assert "先行发现" in case.jurisdiction_basis and "第九条第二款" in case.jurisdiction_basis


def test_a_seller_elsewhere_on_a_platform_domiciled_here_is_not_ours_without_finding_it_first(direct):
    with pytest.raises(ValidationFailed) as refused:
        direct(
            domain="online_food",
            source_kind="manual",
            presence_kind="platform_shop",
            party_region="330106",
            platform_region="341825",
        )
    assert refused.value.code == "jurisdiction"


def test_an_own_website_run_from_elsewhere_needs_the_dispute_written_down(direct):
    kw = {"domain": "online_food", "presence_kind": "website", "party_region": "330106"}
    with pytest.raises(ValidationFailed) as refused:
        direct(**kw)
    assert refused.value.code == "jurisdiction"
    assert refused.value.zh.startswith("管辖存疑：当事人住所地/实际经营地 浙江省杭州市西湖区 不在本局辖区")
    assert "第九条、第十条" in refused.value.zh
    assert not Case.objects.exists()
    dispute = "宣城市局指定由旌德县局管辖（宣市监函〔2025〕12号，程序规定第十四条）"
    case = direct(jurisdiction_dispute=dispute, **kw)
    assert case.jurisdiction == "" and case.jurisdiction_dispute == dispute
    assert "不在本局辖区" in case.jurisdiction_basis


def test_an_advertiser_in_the_bureaus_area_is_its_internet_advertising_case(direct):
    case = direct(domain="internet_advertising", party_region="341825")
    assert case.jurisdiction == "advertiser"
    assert "第十条" in case.jurisdiction_basis


def test_a_case_from_a_clue_of_the_county_is_the_advertisers(draft):
    assert draft().jurisdiction == "advertiser"


def test_nothing_is_opened_for_another_bureau(demo, direct):
    with pytest.raises(PermissionDeniedError):
        direct(bureau=demo.other_county)


def test_the_decision_due_is_not_set_before_approval(pending):
    case = pending()
    assert case.decision_due is None and case.opened_on is None and not case.clock_running
