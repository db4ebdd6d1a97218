"""A transferred clue carries its evidence: the receiving bureau's clue links the same captures.

旌德县's clue rests on a capture of 旌德县 (linked at intake from ``capture:<id>``) and on another one
linked to a duplicate clue merged into it. Transferred to 绩溪县 (法定管辖), the new clue links both — real
links, each written to 旌德县's ledger — and its page shows them as links to the capture's page, so that
绩溪县's officer opens them (``evidence.access``); the captures stay 旌德县's.
"""

from __future__ import annotations

import html

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from wangjian.clues import services
from wangjian.clues.models import Clue
from wangjian.evidence import services as evidence_services
from wangjian.evidence.choices import LedgerAction
from wangjian.evidence.models import EvidenceLink, LedgerEntry

from .conftest import at

USCC = "91341824MA2JIXI07X"


@pytest.fixture(autouse=True)
def evidence_store(settings, tmp_path):
    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")
    settings.WANGJIAN_EVIDENCE_KEY_DIR = str(tmp_path / "keys")


@pytest.fixture
def upload(demo):
    def _upload(name: str):
        return evidence_services.evidence_upload(
            files=[
                SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + name.encode() * 50, content_type="image/png")
            ],
            kind="screen",
            description=f"网店页面截图 {name}",
            operators=["钱科员", "李主任"],
            purpose="核查线索",
            user=demo.users["ad_officer"],
            bureau=demo.county,
        ).capture

    return _upload


def links_of(clue: Clue) -> set[int]:
    return set(
        EvidenceLink.objects.filter(
            content_type=ContentType.objects.get_for_model(Clue), object_id=str(clue.pk)
        ).values_list("capture_id", flat=True)
    )


def transfer(demo, clue: Clue) -> Clue:
    return services.clue_transfer(
        clue=clue,
        user=demo.users["office"],
        to_bureau=demo.other_county,
        reason="主体登记在绩溪县",
        now=at("2025-09-29"),
    ).clue


def test_the_transferred_clue_links_the_same_captures_and_the_links_are_in_the_ledger(demo, intake, upload):
    shot = upload("商品详情页.png")
    clue = intake(entity_uscc=USCC, evidence_refs=[f"capture:{shot.pk}", "capture:999999"]).clue
    assert links_of(clue) == {shot.pk}

    target = transfer(demo, clue)

    assert links_of(target) == {shot.pk}  # a link, not a line of text
    assert links_of(clue) == {shot.pk}  # the sender's clue keeps it: the capture stays 旌德县's
    link = LedgerEntry.objects.filter(bureau=demo.county, capture_id_ref=shot.pk, action=LedgerAction.LINK)
    assert [e.detail["object"] for e in link.order_by("seq")] == [
        f"clues.clue:{clue.pk}",
        f"clues.clue:{target.pk}",
    ]
    event = clue.events.get(action="transfer")
    assert event.detail["captures"] == [shot.pk]


def test_a_capture_of_a_clue_merged_into_it_goes_with_the_transfer(demo, intake, upload):
    first, second = upload("首页.png"), upload("直播间.png")
    clue = intake(entity_uscc=USCC, evidence_refs=[f"capture:{first.pk}"]).clue
    duplicate = intake(
        entity_uscc="91341824MA2JIXI08X", domain="online_price", evidence_refs=[f"capture:{second.pk}"]
    ).clue
    services.clue_merge(clue=duplicate, into=clue, user=demo.users["office"], reason="同一网店")

    target = transfer(demo, clue)

    assert links_of(target) == {first.pk, second.pk}


def test_the_receiving_bureaus_clue_page_links_each_capture_to_its_page(demo, intake, upload, login):
    shot = upload("商品详情页.png")
    clue = intake(entity_uscc=USCC, evidence_refs=[f"capture:{shot.pk}", "capture:999999"]).clue
    target = transfer(demo, clue)
    receiver = demo.users["jixi_officer"]
    client = login(receiver)

    page = html.unescape(client.get(target.get_absolute_url()).content.decode())

    capture_url = shot.get_absolute_url()
    assert page.count(f'href="{capture_url}"') == 2  # in the source's references and in the evidence card
    assert f"capture:{shot.pk}" not in page  # no longer plain text
    assert "capture:999999" in page  # a reference naming no capture stays as the source gave it
    assert "旌德县市场监督管理局" in page  # whose capture it is
    # and the link opens: the receiver sees the capture through the clue
    assert client.get(capture_url).status_code == 200


def test_before_the_transfer_the_other_bureau_neither_sees_the_clue_nor_its_capture(
    demo, intake, upload, login
):
    shot = upload("商品详情页.png")
    clue = intake(entity_uscc=USCC, evidence_refs=[f"capture:{shot.pk}"]).clue
    client = login(demo.users["jixi_officer"])
    assert client.get(clue.get_absolute_url()).status_code == 404
    assert client.get(shot.get_absolute_url()).status_code == 404
