"""The demo county sends a clue with its evidence to the partner instance (安吉县), over HTTP.

A shop whose operator is registered in 安吉县 is found selling in 旌德县's market: the office transfers the clue
across instances (跨实例移送); the agreement asks for review before sending, so the office reviews it, then it is
delivered to the partner's server and its signed receipt names the clue it became there.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wangjian.clues import services
from wangjian.core.audit import acting
from wangjian.evidence import services as evidence_services
from wangjian.exchange.models import Partner
from wangjian.exchange.services import message_deliver, message_review

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5d2b0e90000000049454e44ae426082"
)


def load(org, stdout) -> None:  # noqa: ANN001
    county, office = org.county, org.users["office"]
    partner = Partner.objects.filter(bureau=county, code="330523").first()
    if partner is None:
        return  # the partner instance was not prepared (not ``wangjian demo``)
    if partner.messages.filter(direction="out", kind="clue").exists():
        return
    now = timezone.now()
    with acting(office, via="demo"):
        capture = evidence_services.evidence_upload(
            files=[SimpleUploadedFile("网店首页截图.png", PNG, content_type="image/png")],
            kind="screen",
            description="某茶叶网店首页截图：标注“安吉白茶 原产地直供 有机认证”，未公示有机认证证书（演示）",
            operators=["钱科员", "李主任"],
            purpose="跨实例移送",
            source="https://shop.example.cn/anji-tea",
            user=office,
            bureau=county,
        ).capture
        clue = services.clue_intake(
            bureau=county,
            source_kind="monitoring",
            domain="internet_advertising",
            title="网店宣称“有机认证”未公示证书，经营者登记在安吉县",
            facts="监测发现某茶叶网店宣称“有机认证”“原产地直供”，未公示认证证书；经营者登记住所在浙江省安吉县。",
            entity_name="安吉县某茶业有限公司",
            presence_label="某茶叶网店 https://shop.example.cn/anji-tea",
            evidence_refs=[f"capture:{capture.pk}"],
            now=now - dt.timedelta(hours=2),
        ).clue
        _event, message = services.clue_transfer_external(
            clue=clue,
            user=office,
            partner=partner,
            reason="经营者住所地在浙江省安吉县（法定管辖），随附取证包",
            now=now,
        )
        message_review(message=message, user=office, approve=True, note="已核对，同意发送")
        message = message_deliver(message.pk)
    stdout.write(
        f"跨实例移送 / sent across instances: 线索 {clue.number} → {partner.name}：{message.get_state_display()}"
        f"{'（对方线索 ' + message.result.get('clue_number', '') + '）' if message.result else ''}"
    )
