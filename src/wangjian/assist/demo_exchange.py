"""旌德县 asks the partner instance (安吉县) for assistance: the 协助调查函 leaves as a signed message over HTTP."""

from __future__ import annotations

from django.utils import timezone

from wangjian.assist import services
from wangjian.assist.models import AssistanceRequest
from wangjian.exchange.models import Message, Partner
from wangjian.exchange.services import message_deliver, message_review


def load(org, stdout) -> None:  # noqa: ANN001
    county = org.county
    if not Partner.objects.filter(bureau=county, code="330523").exists():
        return  # no partner instance (not ``wangjian demo``)
    if AssistanceRequest.objects.filter(from_bureau=county, external_bureau_code="330523").exists():
        return
    request = services.assistance_create(
        user=org.users["ad_officer"],
        question="请协查安吉县某茶业有限公司的网店实际经营者身份及其“有机认证”证书的真实性",
        external_bureau_code="330523",
        external_bureau_name="安吉县市场监督管理局",
        values={"entity_name": "安吉县某茶业有限公司", "shop_name": "某茶叶网店"},
        send=True,
        now=timezone.now(),
    )
    message = Message.objects.filter(message_id=request.external_ref).first()
    if message is not None and message.state == "review":  # the agreement asks the office to review first
        message = message_review(
            message=message, user=org.users["office"], approve=True, note="已核对，同意发送"
        )
    if message is not None:
        message = message_deliver(message.pk)
    stdout.write(
        f"跨实例协查 / assistance across instances: {request.number} → 安吉县市场监督管理局："
        f"{message.get_state_display() if message else '未发出'}"
    )
