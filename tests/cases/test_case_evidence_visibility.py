"""A case's evidence is seen by whoever may see the case (``evidence.access``).

钱科员's case of 旌德县 rests on a screen recording uploaded to the case and on a capture linked to the clue
it was opened from. On Monday 2025-11-10 李主任 forms a joint group (联合办案组) with jixi_officer of 绩溪县 on
it: from then, and while the group stands, jixi_officer opens both — the page and the API alike, recorded
with the case he came through — while a colleague of his who is not on the group is refused, and so is
jixi_officer once the group is dissolved.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from wangjian.cases import services
from wangjian.evidence import selectors
from wangjian.evidence import services as evidence_services

FORMED = "2025-11-10"


@pytest.fixture(autouse=True)
def store(settings, tmp_path):
    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")
    settings.WANGJIAN_EVIDENCE_KEY_DIR = str(tmp_path / "keys")


@pytest.fixture
def partner(demo):
    return demo.users["jixi_officer"]


@pytest.fixture
def stranger(demo):
    """Another officer of 绩溪县, not on the group."""
    from wangjian.org.services import user_create

    user, _ = user_create(
        username="jixi_stranger",
        bureau=demo.other_county,
        department=demo.other_county.departments.get(kind="advertising"),
        password="Demo2025pass",
    )
    return user


@pytest.fixture
def case(filed):
    return filed()


@pytest.fixture
def recording(case, officer):
    """A screen recording uploaded to the case."""
    return services.case_evidence_upload(
        case=case,
        user=officer,
        files=[
            SimpleUploadedFile("直播录屏.mp4", b"\x00\x00\x00\x18ftypmp42" * 64, content_type="video/mp4")
        ],
        kind="screen",
        description="直播间使用绝对化用语的录屏",
        operators=["钱科员", "赵股长"],
    )


@pytest.fixture
def clue_capture(case, officer, demo):
    """A capture linked to the clue the case was opened from (the case page lists it as the case's)."""
    capture = evidence_services.evidence_upload(
        files=[SimpleUploadedFile("首页.png", b"\x89PNG\r\n\x1a\n" * 64, content_type="image/png")],
        kind="screen",
        description="网店首页截图",
        operators=["钱科员", "赵股长"],
        purpose="核查线索",
        user=officer,
        bureau=demo.county,
    ).capture
    evidence_services.evidence_link(capture=capture, obj=case.clue, user=officer)
    return capture


def form_group(act, case, demo, head, partner):
    act(
        case,
        demo.users["office"],
        "group_form",
        FORMED,
        name="云乐茶叶跨区域联合办案组",
        reason="cross_region",
        lead=head,
        members=[partner],
    )


def test_a_joint_group_member_of_another_bureau_sees_the_cases_evidence_while_on_the_group(
    case, recording, clue_capture, act, demo, head, partner, stranger, login, api
):
    captures = (recording, clue_capture)
    for c in captures:
        assert login(partner).get(c.get_absolute_url()).status_code == 404

    form_group(act, case, demo, head, partner)

    for c in captures:
        sight = selectors.capture_sight(user=partner, capture=c)
        assert not sight.own and [(v.label, v.key) for v in sight.via] == [("案件", f"cases.case:{case.pk}")]
        page = login(partner).get(c.get_absolute_url())
        assert page.status_code == 200 and case.number in page.content.decode()
        assert api(partner).get(f"/api/evidence/captures/{c.pk}/").status_code == 200
        # a colleague of the same bureau, not on the group, sees neither the case nor its evidence
        assert login(stranger).get(c.get_absolute_url()).status_code == 404
        assert api(stranger).get(f"/api/evidence/captures/{c.pk}/").status_code == 404
    # the case's page links them, and the links open for the member
    page = login(partner).get(case.get_absolute_url()).content.decode()
    assert all(f'href="{c.get_absolute_url()}"' in page for c in captures)

    act(case, demo.users["office"], "group_dissolve", "2025-11-17", reason="案件事实已查清")
    for c in captures:
        assert login(partner).get(c.get_absolute_url()).status_code == 404
