"""The demo's partner bureau (安吉县, 浙江省) in its own instance: run there by ``wangjian exchange demo-partner``.

It registers the demo county (旌德县) as its partner from the keys handed over (as two offices would by letter,
confirming the fingerprints by phone), signs the agreement, takes a screenshot of a shop into its evidence store
and sends 旌德县 a clue with that evidence package — written to a file, carried by hand, as bureaus without a
direct link do. The demo county's loader imports the file and hands the receipt back.
"""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from wangjian.core.models import AllowedAddress
from wangjian.evidence import services as evidence_services
from wangjian.exchange import bundle, services
from wangjian.exchange.leads import CLUE
from wangjian.exchange.models import Agreement, Category, Partner
from wangjian.exchange.services.incoming import WACZ
from wangjian.org.choices import DepartmentKind, Role
from wangjian.org.models import Bureau, Department, User
from wangjian.org.services import user_create

# a 1×1 PNG: the screenshot's stand-in (the package and its signature are what the demo shows)
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def play(
    *,
    peer_code: str,
    peer_name: str,
    peer_key: str,
    peer_package_key: str,
    peer_endpoint: str,
    password: str,
    out: Path,
) -> Path:
    """Set up the partner's side and write the clue and the 协助调查函 it sends to ``out``; returns the clue's file."""
    bureau = Bureau.objects.order_by("id").first()
    admin = User.objects.filter(is_superuser=True).order_by("id").first()
    # the network unit receives 协助调查函 and 线索 (an instance's office sets up its departments; the demo's only this)
    Department.objects.get_or_create(
        bureau=bureau, kind=DepartmentKind.ONLINE_TRADE, defaults={"name": "网络交易监督管理科"}
    )
    office = User.objects.filter(username="office").first()
    if office is None:
        office, _password = user_create(
            username="office",
            name="安吉县办公室",
            bureau=bureau,
            role=Role.OFFICE_ADMIN,
            password=password,
            department=Department.objects.get(bureau=bureau, kind=DepartmentKind.ONLINE_TRADE),
        )
        User.objects.filter(pk=office.pk).update(must_change_password=False)
        User.objects.filter(pk=admin.pk).update(must_change_password=False)
    AllowedAddress.objects.get_or_create(
        network="127.0.0.1/32",
        defaults={"reason": "演示：同一台机器上的协作单位实例 / the demo partner on this machine"},
    )
    partner = Partner.objects.filter(bureau=bureau, code=peer_code).first()
    partner = services.partner_save(
        user=admin,
        bureau=bureau,
        code=peer_code,
        name=peer_name,
        endpoint="",  # the clue goes by file first; the link is registered after
        public_key_pem=peer_key,
        package_public_key_pem=peer_package_key,
        partner=partner,
        note="长三角网络市场监管协作（演示）",
    )
    if not Agreement.objects.filter(partner=partner).exists():
        services.agreement_save(
            user=admin,
            partner=partner,
            reference="长三角一体化网络市场监管执法协作协议（演示）",
            categories=[Category.ENFORCEMENT, Category.REPORTING],
            valid_from=dt.date(2026, 1, 1),
            review_before_sending=False,
        )
    capture = evidence_services.evidence_upload(
        files=[SimpleUploadedFile("直播间商品页截图.png", PNG, content_type="image/png")],
        kind="screen",
        description="直播间“根治糖尿病”保健食品商品页截图（演示）",
        operators=["王晓东", "赵敏"],
        purpose="线索移送",
        source="https://live.example.cn/room/8866",
        user=office,
        bureau=bureau,
    ).capture
    package = evidence_services.evidence_export(capture=capture, user=office, reason=f"随线索移送{peer_name}")
    message = services.message_send(
        bureau=bureau,
        partner=partner,
        kind=CLUE,
        user=office,
        deliver=False,
        body={
            "number": "安吉网监〔2026〕线索17号",
            "title": "直播间宣称保健食品“根治糖尿病”",
            "domain": "internet_advertising",
            "facts": "本局监测发现，某直播间销售的保健食品在讲解中宣称“根治糖尿病”“停药不反弹”，"
            "经营者登记住所在旌德县，涉嫌发布虚假违法广告。",
            "reason": "经营者住所地在旌德县（法定管辖）",
            "entity_uscc": "",
            "entity_name": "旌德县某健康咨询服务部",
            "presence_url": "https://live.example.cn/room/8866",
            "presence_label": "某直播间（房间号8866）",
            "reporter": {},
        },
        attachments=[bundle.Attachment(f"capture-{capture.pk}.wacz", package, WACZ)],
    )
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{message.message_id}.wjx"
    path.write_bytes(services.message_file(message=message, user=office))
    # a 协助调查函 too (the assist app's kind; this instance receives its answer when the link is up)
    letter = services.message_send(
        bureau=bureau,
        partner=partner,
        kind="assistance.request",
        user=office,
        deliver=False,
        body={
            "title": "协助调查函 安市监协〔2026〕3号",
            "format": "wangjian-assistance-request/1",
            "number": "安市监协〔2026〕3号",
            "question": "本局在查一起直播间销售保健食品虚假宣传案，请协查旌德县某健康咨询服务部的实际经营地址、"
            "负责人身份，以及其在网店后台近三个月的销售记录。",
            "subject": {
                "entity_name": "旌德县某健康咨询服务部",
                "presence_url": "https://live.example.cn/room/8866",
            },
        },
    )
    (out / f"{letter.message_id}.wjx").write_bytes(services.message_file(message=letter, user=office))
    partner.refresh_from_db()
    services.partner_save(
        user=admin,
        bureau=bureau,
        code=peer_code,
        name=peer_name,
        endpoint=peer_endpoint,
        public_key_pem=peer_key,
        package_public_key_pem=peer_package_key,
        partner=partner,
        note=partner.note,
    )
    return path  # the clue's file; the letter's is beside it
