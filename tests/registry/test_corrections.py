"""Data corrections (核实优化数据): requested with evidence, approved by the department head, applied with audit."""

import pytest

from tests.registry.conftest import CHAYE, HONGDA
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.core.models import ChangeRecord
from wangjian.registry import services
from wangjian.registry.choices import CorrectionStatus, LinkMethod, PresenceKind, PresenceStatus
from wangjian.registry.models import MarketEntity, Presence

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(registry, demo):
    return Presence.objects.create(
        bureau=demo.county,
        kind=PresenceKind.WECHAT_MINI,
        account_id="wx123",
        shop_name="宏达商贸小程序",
        entity=MarketEntity.objects.get(uscc=HONGDA),
        link_method=LinkMethod.LICENCE,
    )


def test_a_shop_that_changed_hands_is_relinked_after_approval(shop, demo):
    c = services.correction_request(
        user=demo.users["station_officer"],
        presence=shop,
        field="entity",
        proposed_value=CHAYE.lower(),
        evidence_note="现场核实：小程序已转让给绿源茶叶专业合作社，有转让协议",
    )
    assert c.current_value == HONGDA and c.proposed_value == CHAYE
    services.correction_decide(correction=c, user=demo.users["ad_head"], approve=True, note="同意")
    shop.refresh_from_db()
    assert shop.entity.uscc == CHAYE and shop.link_method == LinkMethod.MANUAL
    assert shop.last_checked is not None
    record = ChangeRecord.objects.filter(
        content_type__model="presence", object_id=str(shop.pk), action="update"
    ).get()
    assert record.reason == f"核实优化数据 #{c.pk}" and record.user == demo.users["ad_head"]


def test_a_closed_shop_is_marked_closed_and_a_rejected_request_changes_nothing(shop, demo):
    c = services.correction_request(
        user=demo.users["ad_officer"],
        presence=shop,
        field="status",
        proposed_value="已关停",
        evidence_note="页面已无法访问，截图存证",
    )
    services.correction_decide(correction=c, user=demo.users["ad_head"], approve=False, note="证据不足")
    shop.refresh_from_db()
    assert c.status == CorrectionStatus.REJECTED and shop.status == PresenceStatus.ACTIVE


def test_requests_need_evidence_a_known_field_and_a_real_code(shop, demo):
    officer = demo.users["ad_officer"]
    with pytest.raises(ValidationFailed):
        services.correction_request(
            user=officer, presence=shop, field="status", proposed_value="已关停", evidence_note=" "
        )
    with pytest.raises(ValidationFailed):
        services.correction_request(
            user=officer, presence=shop, field="bureau", proposed_value="1", evidence_note="x"
        )
    with pytest.raises(ValidationFailed):
        services.correction_request(
            user=officer, presence=shop, field="entity", proposed_value="123", evidence_note="x"
        )


def test_only_a_department_head_of_the_bureau_approves(shop, demo):
    c = services.correction_request(
        user=demo.users["ad_officer"],
        presence=shop,
        field="url",
        proposed_value="https://x.example",
        evidence_note="核实",
    )
    for who in ("ad_officer", "price_officer", "auditor", "jixi_officer"):
        with pytest.raises(PermissionDeniedError):
            services.correction_decide(correction=c, user=demo.users[who], approve=True)
    with pytest.raises(PermissionDeniedError):
        services.correction_request(
            user=demo.users["jixi_officer"],
            presence=shop,
            field="url",
            proposed_value="x",
            evidence_note="核实",
        )
