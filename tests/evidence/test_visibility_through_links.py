"""Evidence follows its matter inside the instance (``evidence.access``).

The story: 钱科员 of 旌德县 uploads a screen recording of a shop and the clue about it links the record;
旌德县's office transfers the clue to 绩溪县, where the entity is registered (法定管辖), and the clue is
routed to 绩溪县's advertising department. jixi_officer of that department then sees the capture — its
page, its files, its package, the API — through the transferred clue, and not before; an officer of an
unrelated bureau (泾县) and a colleague of jixi_officer whom the clue does not concern are refused
everywhere alike. What jixi_officer does is recorded with the clue he came through: opening the page in
the change log (a GET writes nothing into the ledger), a download or an export in 旌德县's ledger.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.clues.conftest import at, intake  # noqa: F401  (the clue tests' intake, for the clue)
from wangjian.clues import services as clue_services
from wangjian.core.errors import PermissionDeniedError
from wangjian.core.models import ChangeRecord
from wangjian.evidence import access, selectors, services
from wangjian.evidence.choices import LedgerAction
from wangjian.evidence.models import LedgerEntry
from wangjian.org.choices import BureauLevel, Role

RECORDING = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 16


@pytest.fixture
def capture(demo):
    return services.evidence_upload(
        files=[SimpleUploadedFile("直播录屏.mp4", RECORDING, content_type="video/mp4")],
        kind="screen",
        description="直播间使用“国家级”“最佳”用语的录屏",
        source="抖音直播间 12345",
        operators=["钱科员", "李主任"],
        purpose="核查线索",
        user=demo.users["ad_officer"],
        bureau=demo.county,
    ).capture


@pytest.fixture
def clue(intake, capture):  # noqa: F811
    return intake(
        entity_uscc="91341824MA2JIXI09X", entity_name="绩溪某电商", evidence_refs=[f"capture:{capture.pk}"]
    ).clue


def transfer(demo, clue):
    return clue_services.clue_transfer(
        clue=clue,
        user=demo.users["office"],
        to_bureau=demo.other_county,
        reason="主体登记在绩溪县",
        now=at("2025-09-29"),
    ).clue


@pytest.fixture
def receiver(demo):
    """jixi_officer of 绩溪县's advertising department, where the transferred clue is routed."""
    return demo.users["jixi_officer"]


@pytest.fixture
def unrelated(demo):
    """The office administrator of 泾县, a bureau beside the two that the clue never reaches."""
    from wangjian.org.models import Bureau
    from wangjian.org.services import user_create

    jingxian = Bureau.objects.create(
        name="泾县市场监督管理局", code="341823", level=BureauLevel.COUNTY, parent=demo.city
    )
    user, _ = user_create(
        username="jx_office", bureau=jingxian, role=Role.OFFICE_ADMIN, password="Demo2025pass"
    )
    return user


@pytest.fixture
def colleague(demo):
    """An officer of 绩溪县's price department: same bureau as the receiver, but the clue is not theirs."""
    from wangjian.org.services import user_create

    user, _ = user_create(
        username="jixi_price",
        bureau=demo.other_county,
        department=demo.other_county.departments.get(kind="price"),
        password="Demo2025pass",
    )
    return user


def refusals(client, api_client, pk: int) -> dict[str, object]:
    """What each way in to a capture answers: the page, a file, the package, the replay, the API."""
    return {
        "page": client.get(f"/evidence/captures/{pk}/").status_code,
        "file": client.post(f"/evidence/captures/{pk}/files/metadata.json").status_code,
        "package": client.post(f"/evidence/captures/{pk}/package.wacz", {"reason": "clue"}).status_code,
        "access": client.post(f"/evidence/captures/{pk}/access/", {"reason": "clue"}).status_code,
        "replay": client.get(f"/evidence/captures/{pk}/replay/").status_code,
        "api": api_client.get(f"/api/evidence/captures/{pk}/").status_code,
        "api_verify": api_client.get(f"/api/evidence/captures/{pk}/verify/").status_code,
    }


def page_views(capture):
    """The change log's 查看 records of the capture (what its page lists as 页面查看记录)."""
    return ChangeRecord.objects.filter(
        content_type__app_label="evidence", object_id=str(capture.pk), action=ChangeRecord.Action.VIEW
    )


NOT_FOUND = {k: 404 for k in ("page", "file", "package", "access", "replay", "api", "api_verify")}


def test_the_receiving_bureau_sees_the_capture_after_the_transfer_and_not_before(
    demo, clue, capture, receiver, login, api
):
    assert refusals(login(receiver), api(receiver), capture.pk) == NOT_FOUND
    assert not selectors.capture_sight(user=receiver, capture=capture)

    target = transfer(demo, clue)
    assert target.department.bureau == demo.other_county and target.department.kind == "advertising"

    sight = selectors.capture_sight(user=receiver, capture=capture)
    assert sight and not sight.own
    assert [(v.label, v.key, v.url) for v in sight.via] == [
        ("线索", f"clues.clue:{target.pk}", target.get_absolute_url())
    ]
    client = login(receiver)
    page = client.get(f"/evidence/captures/{capture.pk}/").content.decode()
    assert "旌德县市场监督管理局" in page and target.number in page  # whose it is, and through which clue
    assert f'href="{target.get_absolute_url()}"' in page
    download = client.post(f"/evidence/captures/{capture.pk}/files/直播录屏.mp4")
    assert download.status_code == 200 and download.content == RECORDING
    package = client.post(f"/evidence/captures/{capture.pk}/package.wacz", {"reason": "clue"})
    assert package.status_code == 200 and package["Content-Type"] == "application/wacz"
    got = api(receiver).get(f"/api/evidence/captures/{capture.pk}/")
    assert got.status_code == 200 and got.json()["id"] == capture.pk
    # the list stays the bureau's own
    assert api(receiver).get("/api/evidence/captures/").json()["results"] == []


@pytest.mark.parametrize("who", ["unrelated", "colleague"])
def test_one_who_sees_no_linked_matter_is_refused_on_page_file_and_api_alike(
    demo, clue, capture, login, api, who, request
):
    transfer(demo, clue)
    user = request.getfixturevalue(who)
    assert refusals(login(user), api(user), capture.pk) == NOT_FOUND
    # the same words for a capture hidden and for one that does not exist: nothing tells them apart
    hidden = api(user).get(f"/api/evidence/captures/{capture.pk}/").json()["error"]
    missing = api(user).get(f"/api/evidence/captures/{capture.pk + 1000}/").json()["error"]
    assert hidden["zh"] == f"取证记录 {capture.pk} 不存在或无权查看"
    assert missing["zh"] == f"取证记录 {capture.pk + 1000} 不存在或无权查看"
    assert hidden["code"] == missing["code"] == "not_found"
    with pytest.raises(PermissionDeniedError):
        services.evidence_export(capture=capture, user=user, reason="出具证据")


def test_a_view_from_another_bureau_is_recorded_with_the_clue_it_came_through(
    demo, clue, capture, receiver, login, api
):
    target = transfer(demo, clue)
    client = login(receiver)
    before = LedgerEntry.objects.filter(bureau=demo.county).count()

    client.get(f"/evidence/captures/{capture.pk}/")
    # opening the page: the change log, with the clue, not the ledger (a GET never adds to it)
    view = page_views(capture).get(user=receiver)
    assert view.bureau_id == demo.county.pk  # shown to the capture's own bureau beside its own views
    assert view.reason == f"经线索 {target} 查看（外局）"
    assert LedgerEntry.objects.filter(bureau=demo.county).count() == before

    client.post(f"/evidence/captures/{capture.pk}/files/metadata.json")
    client.post(f"/evidence/captures/{capture.pk}/package.wacz", {"reason": "clue"})
    client.post(f"/evidence/captures/{capture.pk}/access/", {"reason": "clue"})
    entries = LedgerEntry.objects.filter(bureau=demo.county, capture_id_ref=capture.pk, seq__gt=before)
    via = [f"clues.clue:{target.pk} {target}"]
    assert [(e.action, e.reason, e.detail.get("via")) for e in entries.order_by("seq")] == [
        (LedgerAction.DOWNLOAD, "下载 metadata.json", via),
        (LedgerAction.EXPORT, "核查线索", via),
        (LedgerAction.VIEW, "核查线索", via),
    ]
    assert all(e.user_name.startswith("jixi_officer") for e in entries)

    api(receiver).get(f"/api/evidence/captures/{capture.pk}/")
    assert page_views(capture).filter(user=receiver).count() == 2


def test_the_bureaus_own_reads_are_recorded_as_before_without_a_matter(demo, clue, capture, login):
    transfer(demo, clue)
    client = login(demo.users["ad_officer"])
    client.get(f"/evidence/captures/{capture.pk}/")
    client.post(f"/evidence/captures/{capture.pk}/files/metadata.json")
    view = page_views(capture).get()
    assert view.reason == ""
    download = LedgerEntry.objects.get(capture_id_ref=capture.pk, action=LedgerAction.DOWNLOAD)
    assert download.detail == {"url": ""}


def test_a_link_to_a_matter_no_app_answers_for_gives_no_sight(demo, capture, receiver):
    """The safe default: a capture is its bureau's unless an app says who sees the matter it is linked to."""
    services.evidence_link(capture=capture, obj=demo.other_county, user=demo.users["office"])
    assert access.seen_through(user=receiver, capture_ids=[capture.pk]) == {}
    assert not selectors.capture_sight(user=receiver, capture=capture)
