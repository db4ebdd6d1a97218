"""协查 between two bureaus of the instance: the letter, its 15-working-day clock, the steps of the table."""

from __future__ import annotations

import pytest

from tests.assist.conftest import at, d
from wangjian.assist import services
from wangjian.assist.choices import AssistanceState
from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.evidence.access import capture_sight
from wangjian.platform.inbox.models import Message
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.followup import followups_run
from wangjian.platform.workitems.models import ClockExtension, Escalation, WorkItemState

pytestmark = pytest.mark.django_db


def _item(request):
    return workitem_selectors.items_of(request).order_by("-id").first()


def test_the_letter_is_numbered_and_due_15_working_days_after_receipt_across_national_day(demo, staff, sent):
    request = sent(now=at("2025-09-26"))  # a Friday; 28 Sep worked, 1–8 Oct off, 11 Oct worked
    assert request.number == "旌市监协〔2025〕1号"
    assert request.state == AssistanceState.SENT and request.received_on == d("2025-09-26")
    assert request.due == d("2025-10-23")
    assert "十五个工作日" in request.due_basis and "须核实" in request.due_basis
    item = _item(request)
    assert item.bureau == demo.other_county and item.department == demo.other_county.office()
    assert item.due == request.due and item.reference == request.number
    office_inbox = Message.objects.filter(user=staff["jixi_office"], subject_id=str(request.pk))
    assert office_inbox.filter(title__contains="请于 2025-10-23 前完成协查").exists()


def test_a_cooperation_agreement_sets_another_period_for_that_partner_only(demo, staff, sent):
    services.agreement_set(
        bureau=demo.other_county,
        partner_code=demo.county.code,
        partner_name="旌德县市场监督管理局",
        days=10,
        agreement="宣城市网络市场监管协作协议",
        user=staff["jixi_office"],
    )
    request = sent(now=at("2025-09-26"))
    assert request.due == d("2025-10-16")  # 10 working days over 国庆
    assert "协作协议" in request.due_basis
    with pytest.raises(PermissionDeniedError):  # the office of the receiving bureau sets it, no one else
        services.agreement_set(
            bureau=demo.other_county,
            partner_code="341825",
            partner_name="x",
            days=5,
            agreement="y",
            user=staff["ad_officer"],
        )


def test_an_extension_moves_the_deadline_records_the_reason_and_tells_the_requester(demo, staff, sent):
    request = sent(now=at("2025-09-26"))
    services.assistance_accept(
        request=request, user=staff["jixi_office"], assignee=staff["jixi_officer"], now=at("2025-09-29")
    )
    with pytest.raises(ValidationFailed, match="延期须说明理由"):
        services.assistance_extend(
            request=request, user=staff["jixi_officer"], days=5, reason="", now=at("2025-10-20")
        )
    message = services.assistance_extend(
        request=request, user=staff["jixi_officer"], days=5, reason="需调取平台交易记录", now=at("2025-10-20")
    )
    request.refresh_from_db()
    assert request.due == d("2025-10-30") and "2025-10-30" in message
    assert ClockExtension.objects.get(item=_item(request)).basis == "需调取平台交易记录"
    told = Message.objects.filter(user=staff["ad_officer"], title__contains="需要延期完成")
    assert told.exists()
    assert request.events.filter(action="extend", comment="需调取平台交易记录").exists()


def test_an_unanswered_request_goes_overdue_and_the_office_escalates_it(demo, staff, sent):
    request = sent(now=at("2025-09-26"))
    services.assistance_accept(
        request=request,
        user=staff["jixi_office"],
        department=staff["jixi_officer"].department,
        now=at("2025-09-29"),
    )
    followups_run(now=at("2025-10-23", "18:00"), deliver=False)
    assert not _item(request).overdue  # the last day counts
    report = followups_run(now=at("2025-10-24", "09:00"), deliver=False)
    item = _item(request)
    assert item.overdue and request.number in report.overdue
    escalation = Escalation.objects.get(item=item)
    assert escalation.level == 1 and escalation.automatic
    assert (
        request.events.filter(action="overdue").exists() and request.events.filter(action="escalate").exists()
    )
    assert Message.objects.filter(user=staff["ad_officer"], title__contains="逾期未答复").exists()


def test_the_answer_links_the_receivers_evidence_for_the_requester_and_not_for_a_third_bureau(
    demo, staff, sent, jixi_capture
):
    request = sent(now=at("2025-09-26"))
    services.assistance_accept(
        request=request, user=staff["jixi_office"], assignee=staff["jixi_officer"], now=at("2025-09-29")
    )
    capture = jixi_capture()
    assert not capture_sight(user=staff["ad_officer"], capture=capture)  # before the answer: 绩溪县's own
    services.assistance_answer(
        request=request,
        user=staff["jixi_officer"],
        answer="住所与经营地一致，近三月销售126单",
        capture_ids=[capture.pk],
        now=at("2025-10-22"),
    )
    request.refresh_from_db()
    assert request.state == AssistanceState.ANSWERED and request.answered_on_time is True
    sight = capture_sight(user=staff["ad_officer"], capture=capture)
    assert sight and not sight.own and sight.via[0].label == "协查"
    assert not capture_sight(user=staff["third_officer"], capture=capture)
    assert _item(request).state == WorkItemState.DONE
    services.assistance_close(request=request, user=staff["ad_officer"], note="确认", now=at("2025-10-23"))
    request.refresh_from_db()
    assert request.state == AssistanceState.CLOSED


def test_the_answer_links_only_the_receiving_bureaus_own_captures(demo, staff, sent):
    from django.core.files.base import ContentFile

    from wangjian.evidence import services as evidence_services

    request = sent(now=at("2025-09-26"))
    services.assistance_accept(
        request=request, user=staff["jixi_office"], assignee=staff["jixi_officer"], now=at("2025-09-29")
    )
    own = evidence_services.evidence_upload(
        files=[ContentFile(b"x", name="a.txt")],
        kind="document",
        description="d",
        operators=["a", "b"],
        purpose="p",
        user=staff["ad_officer"],
    ).capture
    with pytest.raises(ValidationFailed, match="不是本局的"):
        services.assistance_answer(
            request=request,
            user=staff["jixi_officer"],
            answer="答复",
            capture_ids=[own.pk],
            now=at("2025-10-01"),
        )


def test_the_receiving_bureau_refuses_with_its_reason_and_the_requester_is_told(demo, staff, sent):
    request = sent(now=at("2025-09-26"))
    with pytest.raises(ValidationFailed, match="拒绝协查须说明理由"):
        services.assistance_refuse(
            request=request, user=staff["jixi_office"], reason=" ", now=at("2025-09-29")
        )
    services.assistance_refuse(
        request=request,
        user=staff["jixi_office"],
        reason="该主体登记在泾县，不属本局辖区",
        now=at("2025-09-29"),
    )
    request.refresh_from_db()
    assert request.state == AssistanceState.REFUSED and request.refusal_reason.startswith("该主体")
    assert _item(request).state == WorkItemState.CANCELLED
    assert Message.objects.filter(user=staff["ad_officer"], title__contains="拒绝").exists()


def test_returned_for_more_the_receiver_owes_a_new_answer_on_a_clock_from_the_return(demo, staff, sent):
    request = sent(now=at("2025-09-26"))
    services.assistance_accept(
        request=request, user=staff["jixi_office"], assignee=staff["jixi_officer"], now=at("2025-09-29")
    )
    services.assistance_answer(
        request=request, user=staff["jixi_officer"], answer="已核实", now=at("2025-10-10")
    )
    services.assistance_return(
        request=request, user=staff["ad_officer"], reason="请补充销售记录", now=at("2025-10-13")
    )
    request.refresh_from_db()
    assert request.state == AssistanceState.ACCEPTED and request.answered_at is None
    assert request.due == d("2025-11-03")  # 15 working days from Monday 13 October
    assert _item(request).state == WorkItemState.OPEN


def test_the_table_names_who_may_take_each_step(demo, staff, sent):
    request = sent(now=at("2025-09-26"))
    with pytest.raises(PermissionDeniedError, match="只能由协查局办公室操作"):
        services.assistance_accept(
            request=request, user=staff["ad_officer"], department=demo.county.office(), now=at("2025-09-29")
        )
    with pytest.raises(PermissionDeniedError, match="只能由协查局办公室、协查局承办单位操作"):
        services.assistance_refuse(
            request=request, user=staff["third_officer"], reason="x", now=at("2025-09-29")
        )
    with pytest.raises(PermissionDeniedError, match="assist.request.act"):  # the permission table's row first
        services.assistance_withdraw(request=request, user=staff["auditor"], reason="x", now=at("2025-09-29"))
    with pytest.raises(WangjianError, match="不能“确认办结”"):
        services.assistance_close(request=request, user=staff["ad_officer"], now=at("2025-09-29"))
    with pytest.raises(ValidationFailed, match="不能向本局提出协查"):
        services.assistance_create(
            user=staff["ad_officer"], question="x", to_bureau=demo.county, values={"entity_name": "x"}
        )
