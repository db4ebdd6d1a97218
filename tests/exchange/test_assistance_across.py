"""协查 between instances: a 协助调查函 and its answer travel as signed messages, each side's clock its own.

安吉县 (the partner, played by its keys) asks 旌德县; the request arrives with its 15-working-day clock from the day
it arrived, and 旌德县's answer goes back in reply to it. 旌德县 asks 安吉县; the letter leaves as a message whose id
the request keeps, and 安吉县's answer, with its evidence package, is recorded on it and opens for the requester.
"""

from __future__ import annotations

import pytest

from wangjian.assist import services as assist
from wangjian.assist.choices import AssistanceState
from wangjian.assist.models import AssistanceRequest
from wangjian.exchange.models import Direction, Message, ReceivedPackage
from wangjian.exchange.services import message_receive

from .conftest import at

pytestmark = pytest.mark.django_db

LETTER = {
    "title": "协助调查函 安市监协〔2026〕3号",
    "number": "安市监协〔2026〕3号",
    "question": "请协查旌德县某健康咨询服务部的实际经营地址及网店后台销售记录",
    "subject": {"entity_name": "旌德县某健康咨询服务部", "presence_url": "https://live.example.cn/room/8866"},
}


def test_a_partners_letter_becomes_a_request_with_its_clock_and_the_answer_goes_back_in_reply(
    demo, remote, clock_at
):
    clock_at(at("2026-03-02", "10:30"))  # a Monday
    answer = message_receive(remote.message(kind="assistance.request", body=LETTER))

    assert answer.accepted, answer.receipt
    request = AssistanceRequest.objects.get(external_from_code="330523")
    assert request.state == AssistanceState.SENT and request.external_ref == answer.message.message_id
    assert request.received_on.isoformat() == "2026-03-02"
    assert request.due.isoformat() == "2026-03-23"  # fifteen working days from the next
    assert answer.receipt["receipt"]["result"]["number"] == "安市监协〔2026〕3号"

    office = demo.users["office"]
    unit = demo.users["ad_officer"].department
    assist.assistance_accept(request=request, user=office, department=unit, now=at("2026-03-03"))
    assist.assistance_answer(
        request=request,
        user=office,
        answer="经查，该服务部实际经营地址与登记一致，已调取近三个月销售记录。",
        now=at("2026-03-10"),
    )

    back = Message.objects.get(direction=Direction.OUT, kind="assistance.answer")
    assert back.in_reply_to == answer.message.message_id and back.partner == remote.partner
    assert back.body["answer"].startswith("经查") and back.body["on_time"] is True


def test_a_letter_to_a_partner_leaves_as_a_message_and_its_answer_with_a_package_is_recorded(
    demo, remote, remote_capture, clock_at, login
):
    clock_at(at("2026-03-02", "10:30"))
    request = assist.assistance_create(
        user=demo.users["ad_officer"],
        question="请协查安吉县某茶业有限公司的网店经营者身份",
        external_bureau_code="330523",
        external_bureau_name="安吉县市场监督管理局",
        values={"entity_name": "安吉县某茶业有限公司"},
        send=True,
        now=at("2026-03-02", "09:30"),
    )
    sent = Message.objects.get(direction=Direction.OUT, kind="assistance.request")
    request.refresh_from_db()
    assert request.external_ref == sent.message_id and sent.body["number"] == request.number

    reply = remote.message(
        kind="assistance.answer",
        body={
            "title": "协查答复",
            "external_ref": sent.message_id,
            "answered_on": "2026-03-09",
            "answer": "经查，该公司网店由其本人经营，截图附后。",
            "findings": "",
            "evidence": [],
        },
        attachments=[remote.package(remote_capture)],
    )
    answer = message_receive(reply)

    assert answer.accepted, answer.receipt
    request.refresh_from_db()
    assert request.state == AssistanceState.ANSWERED and request.answer.startswith("经查")
    package = ReceivedPackage.objects.get()
    assert (package.linked_model, package.linked_id) == ("assist.assistancerequest", request.pk)
    page = login(demo.users["ad_officer"]).get(f"/assist/requests/{request.pk}/").content.decode()
    assert 'id="received-packages"' in page and "验签通过" in page
    assert login(demo.users["ad_officer"]).get(f"/exchange/packages/{package.pk}/").status_code == 200


def test_a_letter_to_a_bureau_that_is_not_a_partner_goes_by_post(demo, clock_at):
    clock_at(at("2026-03-02", "10:30"))
    assist.assistance_create(
        user=demo.users["ad_officer"],
        question="请协查",
        external_bureau_code="440305",
        external_bureau_name="深圳市南山区市场监督管理局",
        values={"shop_name": "某数码专营店"},
        send=True,
        now=at("2026-03-02", "09:30"),
    )
    assert not Message.objects.exists()


def test_an_agreement_that_sets_another_period_gives_the_partners_letters_that_clock(demo, remote, clock_at):
    from wangjian.exchange.services import agreement_save

    clock_at(at("2026-03-02", "10:30"))
    agreement_save(
        user=demo.users["office"],
        partner=remote.partner,
        reference="长三角网络市场监管执法协作协议",
        categories=["enforcement"],
        valid_from=at("2026-01-01").date(),
        review_before_sending=False,
        assistance_days=10,
    )
    message_receive(remote.message(kind="assistance.request", body=LETTER))

    request = AssistanceRequest.objects.get(external_from_code="330523")
    assert request.due.isoformat() == "2026-03-16"  # ten working days, as agreed
    assert "长三角网络市场监管执法协作协议" in request.due_basis
