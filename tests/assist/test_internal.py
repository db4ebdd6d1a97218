"""内部协作: a business department asks its bureau's network unit; routed there, on the bureau's own clock."""

from __future__ import annotations

import pytest

from tests.assist.conftest import at, d
from wangjian.assist import services
from wangjian.assist.choices import InternalState
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.evidence.models import EvidenceLink
from wangjian.org.choices import DepartmentKind
from wangjian.platform.inbox.models import Message
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.followup import followups_run

pytestmark = pytest.mark.django_db


def test_a_request_goes_to_the_network_unit_of_the_same_bureau_due_in_the_bureaus_three_working_days(
    demo, staff
):
    request = services.internal_create(
        user=staff["food_officer"],
        kind="check",
        url="https://shop.example.com/lvyuan",
        purpose="请检查是否公示食品经营许可证",
        now=at("2025-09-26"),
    )
    assert request.to_department.kind == DepartmentKind.ONLINE_TRADE and request.bureau == demo.county
    assert request.from_department == staff["food_officer"].department
    assert request.due == d("2025-09-30") and "本局工作规则" in request.due_basis
    item = workitem_selectors.items_of(request).get()
    assert item.department == request.to_department
    assert Message.objects.filter(user=staff["net_officer"], subject_id=str(request.pk)).exists()
    services.internal_period_set(bureau=demo.county, days=5, user=staff["office"])
    later = services.internal_create(
        user=staff["food_officer"],
        kind="check",
        url="https://shop.example.com/x",
        purpose="再查",
        now=at("2025-09-26"),
    )
    assert later.due == d("2025-10-10")  # five working days over 国庆
    with pytest.raises(PermissionDeniedError):
        services.internal_period_set(bureau=demo.county, days=2, user=staff["ad_head"])


def test_an_overdue_request_is_escalated_by_the_platform(demo, staff):
    request = services.internal_create(
        user=staff["ad_officer"],
        kind="check",
        url="https://shop.example.com/a",
        purpose="查",
        now=at("2025-09-26"),
    )
    followups_run(now=at("2025-10-09", "09:00"), deliver=False)
    request.refresh_from_db()
    assert (
        request.events.filter(action="overdue").exists() and request.events.filter(action="escalate").exists()
    )
    assert Message.objects.filter(user=staff["ad_officer"], title__contains="逾期未办结").exists()


def test_the_network_unit_captures_the_address_and_the_requesting_department_is_told(
    demo, staff, shop_server
):
    request = services.internal_create(
        user=staff["ad_officer"],
        kind="capture",
        url=f"{shop_server}/shop.html",
        purpose="固定网店首页证据",
        now=at("2025-09-26"),
    )
    with pytest.raises(PermissionDeniedError, match="只能由网络市场监管机构操作"):
        services.internal_act(request=request, user=staff["ad_officer"], action="capture", values={})
    services.internal_accept(request=request, user=staff["net_officer"], now=at("2025-09-28"))
    message = services.internal_act(
        request=request,
        user=staff["net_officer"],
        action="capture",
        values={"operators": "网监科员甲，网监科员乙", "mode": "http"},
    )
    request.refresh_from_db()
    assert request.state == InternalState.DONE and request.capture.ok and "已办结" in message
    assert EvidenceLink.objects.filter(capture=request.capture, object_id=str(request.pk)).exists()
    assert request.capture.title == "绿源农业网店"
    assert Message.objects.filter(user=staff["ad_officer"], title__contains="已办结").exists()
    assert workitem_selectors.items_of(request).get().state == "done"


def test_a_check_ends_with_the_officers_result_or_an_existing_capture_of_the_bureau(
    demo, staff, jixi_capture
):
    request = services.internal_create(
        user=staff["ad_officer"],
        kind="check",
        url="https://shop.example.com/b",
        purpose="查",
        now=at("2025-09-26"),
    )
    other = jixi_capture()
    with pytest.raises(ValidationFailed, match="不是本局的"):
        services.internal_link_capture(
            request=request, user=staff["net_officer"], capture_id=other.pk, now=at("2025-09-28")
        )
    with pytest.raises(ValidationFailed, match="请填写核查结果"):
        services.internal_result(request=request, user=staff["net_officer"], result="", now=at("2025-09-28"))
    services.internal_result(
        request=request, user=staff["net_officer"], result="页面未公示许可证", now=at("2025-10-09")
    )
    request.refresh_from_db()
    assert request.state == InternalState.DONE and request.on_time is False  # due 30 September


def test_the_network_unit_does_not_ask_itself(demo, staff):
    with pytest.raises(ValidationFailed, match="无需向本机构提出"):
        services.internal_create(
            user=staff["net_officer"], kind="check", url="https://a.example.com", purpose="x"
        )
    with pytest.raises(ValidationFailed, match="须填写网址"):
        services.internal_create(user=staff["ad_officer"], kind="capture", purpose="x")
