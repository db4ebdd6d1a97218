"""协查 with a partner bureau on another instance: the two doors the exchange layer will call, and the payloads."""

from __future__ import annotations

import pytest

from tests.assist.conftest import at, d
from wangjian.assist import services
from wangjian.assist.choices import AssistanceState
from wangjian.core.errors import ValidationFailed
from wangjian.platform.inbox.models import Message
from wangjian.platform.workitems import selectors as workitem_selectors

pytestmark = pytest.mark.django_db


def _no_database_ids(value, where="payload"):
    """No key names an id and no number is a row's: natural keys only."""
    if isinstance(value, dict):
        for key, inner in value.items():
            assert key != "id" and not key.endswith("_id") and key != "pk", f"{where}.{key}"
            _no_database_ids(inner, f"{where}.{key}")
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            _no_database_ids(inner, f"{where}[{n}]")
    else:
        assert value is None or isinstance(value, str | bool), f"{where}: {value!r} is not text"


def test_a_letter_from_a_partner_bureau_starts_the_clock_on_the_day_it_was_received(demo, staff):
    request = services.assistance_receive_external(
        to_bureau=demo.county,
        from_code="330100",
        from_name="杭州市市场监督管理局",
        external_ref="msg-2025-0001",
        number="杭市监协〔2025〕7号",
        question="请协查旌德县优选电器有限公司的网店经营者身份",
        received_on=d("2025-09-26"),
        entity_uscc="91341825ma2case03x",
        now=at("2025-09-29"),
    )
    assert request.state == AssistanceState.SENT and request.from_bureau is None
    assert request.requester_name == "杭州市市场监督管理局" and request.entity_uscc == "91341825MA2CASE03X"
    assert request.due == d("2025-10-23")  # from the day of receipt, not the day it was recorded
    item = workitem_selectors.items_of(request).get()
    assert item.bureau == demo.county and item.start == d("2025-09-26")
    assert Message.objects.filter(
        user=staff["office"], subject_id=str(request.pk), title__contains="杭市监协"
    ).exists()
    again = services.assistance_receive_external(
        to_bureau=demo.county,
        from_code="330100",
        from_name="杭州市市场监督管理局",
        external_ref="msg-2025-0001",
        number="杭市监协〔2025〕7号",
        question="重复投递",
        received_on=d("2025-09-26"),
        now=at("2025-09-30"),
    )
    assert again.pk == request.pk and again.question.startswith(
        "请协查"
    )  # the same message twice: one request
    services.assistance_accept(
        request=request, user=staff["office"], assignee=staff["ad_officer"], now=at("2025-09-30")
    )
    services.assistance_answer(
        request=request, user=staff["ad_officer"], answer="经营者为张某", now=at("2025-10-09")
    )
    payload = services.assistance_answer_payload(request)
    assert payload["from"] == {"code": "341825", "name": "旌德县市场监督管理局"}
    assert (
        payload["to"]["code"] == "330100"
        and payload["answered_on"] == "2025-10-09"
        and payload["on_time"] is True
    )
    _no_database_ids(payload)


def test_a_partner_bureaus_answer_to_an_outgoing_request_is_recorded_and_the_requester_told(demo, staff):
    request = services.assistance_create(
        user=staff["ad_officer"],
        question="请协查杭州某网店的实际经营地",
        external_bureau_code="330100",
        external_bureau_name="杭州市市场监督管理局",
        values={
            "presence_url": "https://shop.example.com/hz",
            "platform_name": "淘宝",
            "shop_name": "杭州好货",
        },
        send=True,
        now=at("2025-09-26"),
    )
    request.external_ref = "out-0009"
    request.save()
    assert request.due == d("2025-10-23") and request.due_basis.startswith("预计")
    assert not workitem_selectors.items_of(request).exists()  # the partner's clock runs over there
    assert services.allowed_actions(user=staff["office"], request=request) == ["withdraw"]
    payload = services.assistance_payload(request)
    assert payload["to"] == {"code": "330100", "name": "杭州市市场监督管理局"}
    assert payload["number"] == request.number and payload["sent_on"] == "2025-09-26"
    assert payload["subject"]["shop_name"] == "杭州好货"
    _no_database_ids(payload)
    with pytest.raises(ValidationFailed, match="6位行政区划代码"):
        services.assistance_answer_external(
            external_ref="out-0009", from_code="33", answer="x", answered_on=d("2025-10-20")
        )
    answered = services.assistance_answer_external(
        external_ref="out-0009",
        from_code="330100",
        answer="实际经营地在杭州市余杭区",
        findings="已现场核实",
        evidence=["evidence:" + "a" * 64],
        answered_on=d("2025-10-24"),
        now=at("2025-10-24"),
    )
    assert answered.state == AssistanceState.ANSWERED and answered.answered_on_time is False
    assert answered.external_evidence == ["evidence:" + "a" * 64]
    assert Message.objects.filter(user=staff["ad_officer"], title__contains="已答复").exists()
    assert services.assistance_answer_payload(answered)["evidence"] == ["evidence:" + "a" * 64]
    services.assistance_close(request=answered, user=staff["ad_officer"], now=at("2025-10-25"))


def test_a_request_names_one_receiver_on_this_instance_or_elsewhere(demo, staff):
    with pytest.raises(ValidationFailed, match="二者选一"):
        services.assistance_create(
            user=staff["ad_officer"],
            question="x",
            to_bureau=demo.other_county,
            external_bureau_code="330100",
            external_bureau_name="杭州",
            values={"entity_name": "x"},
        )
    with pytest.raises(ValidationFailed, match="在本平台"):
        services.assistance_create(
            user=staff["ad_officer"],
            question="x",
            external_bureau_code="341824",
            external_bureau_name="绩溪",
            values={"entity_name": "x"},
        )
