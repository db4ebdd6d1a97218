"""A partner on another instance, played here by keys: 安吉县 (330523, 浙江省) signs with a key pair the test holds.

The partner's private keys belong to a throwaway bureau of this database that only keeps them (its code is not the
partner's): the partner row holds its public halves, as a partner registered from published keys would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from wangjian.evidence import keys
from wangjian.evidence.ledger import bureau_key, package_key
from wangjian.exchange import bundle
from wangjian.exchange.models import Agreement, Category, Partner
from wangjian.org.choices import BureauLevel
from wangjian.org.models import Bureau

BEIJING = ZoneInfo("Asia/Shanghai")
PARTNER = "330523"


def at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=BEIJING)


@pytest.fixture(autouse=True)
def evidence_store(settings, tmp_path):
    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")
    settings.WANGJIAN_EVIDENCE_KEY_DIR = str(tmp_path / "keys")


@dataclass
class Remote:
    """The partner's side: its code and name, the bureau holding its keys, its partner row here."""

    code: str
    name: str
    holder: Bureau
    partner: Partner
    private: object
    fingerprint: str

    def sign(self, data: bytes) -> str:
        return keys.sign(self.private, data)

    def message(
        self,
        *,
        to: str = "341825",
        kind: str = "clue",
        body=None,
        attachments=(),
        message_id=None,
        created=None,
        sign=None,
        fingerprint=None,
        sender=None,
    ) -> bytes:
        return bundle.build(
            message_id=message_id or bundle.new_id(),
            kind=kind,
            sender={"code": sender or self.code, "name": self.name},
            recipient={"code": to, "name": ""},
            created=created or at("2026-03-02"),
            body=body if body is not None else clue_body(),
            attachments=attachments,
            sign=sign or self.sign,
            key_fingerprint=fingerprint or self.fingerprint,
        )

    def package(self, capture) -> bundle.Attachment:
        from wangjian.evidence.package import build_package

        return bundle.Attachment(
            f"capture-{capture.pk}.wacz", build_package(capture, pdf=False), "application/wacz"
        )


def clue_body(**over) -> dict:
    body = {
        "number": "AJ-2026-0007",
        "title": "网店宣传“根治糖尿病”",
        "domain": "internet_advertising",
        "facts": "某网店商品详情页宣称保健食品“根治糖尿病”，涉嫌虚假宣传。",
        "reason": "经营者住所在旌德县",
        "entity_uscc": "91341825MA2XYZ0001",
        "entity_name": "旌德县某某商贸有限公司",
        "presence_url": "https://shop.example.cn/item/1",
        "reporter": {"name": "张三", "contact": "13800001234"},
    }
    body.update(over)
    return body


@pytest.fixture
def remote(demo):
    """安吉县 as a registered partner of 旌德县, with an agreement covering 执法协作 and 信息报送."""
    holder = Bureau.objects.create(name="（测试）安吉县密钥", code="999001", level=BureauLevel.COUNTY)
    private, row = bureau_key(holder)
    package_key(holder)
    row.refresh_from_db()
    partner = Partner.objects.create(
        bureau=demo.county,
        code=PARTNER,
        name="安吉县市场监督管理局",
        endpoint="",
        public_key_pem=row.public_key_pem,
        fingerprint=row.fingerprint,
        package_public_key_pem=row.package_public_key_pem,
        package_fingerprint=row.package_fingerprint,
    )
    Agreement.objects.create(
        partner=partner,
        reference="长三角网络市场监管执法协作协议",
        categories=[Category.ENFORCEMENT, Category.REPORTING],
        valid_from=dt.date(2026, 1, 1),
        review_before_sending=False,
    )
    return Remote(PARTNER, "安吉县市场监督管理局", holder, partner, private, row.fingerprint)


@pytest.fixture
def remote_capture(demo, remote):
    """A capture made by the partner (its bureau, its package key), to travel in its messages."""
    from wangjian.evidence import services as evidence_services

    return evidence_services.evidence_upload(
        files=[
            SimpleUploadedFile("详情页.png", b"\x89PNG\r\n\x1a\n" + b"shot" * 100, content_type="image/png")
        ],
        kind="screen",
        description="商品详情页截图",
        operators=["王科员", "赵科员"],
        purpose="线索移送",
        user=None,
        bureau=remote.holder,
    ).capture


@pytest.fixture
def clock_at(monkeypatch):
    """``clock_at(moment)``: every service that reads the time reads this (deadlines never depend on today)."""

    def _stop(moment: dt.datetime) -> dt.datetime:
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
        return moment

    return _stop
