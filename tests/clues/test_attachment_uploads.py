"""A clue's attachment is evidence: it takes the evidence cap (videos), not the import cap, is spooled to disk
and stored from there, and one over the cap is refused before the clue is registered."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from wangjian.clues.models import Clue
from wangjian.core import uploads

pytestmark = pytest.mark.django_db

FORM = {"source_kind": "media", "domain": "online_price", "facts": "直播间哄抬价格，附录屏视频"}


@pytest.fixture(autouse=True)
def _small_caps(settings, tmp_path):
    settings.WANGJIAN_STORAGE = str(tmp_path)
    settings.WANGJIAN_IMPORT_MAX_BYTES = 2_000
    settings.WANGJIAN_EVIDENCE_UPLOAD_MAX_BYTES = 200_000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1_000


def test_an_attachment_takes_the_evidence_cap_and_is_spooled_to_disk_not_held_in_memory(
    demo, login, monkeypatch
):
    from wangjian.clues import services

    received = []
    real = services.attachment_add

    def spy(*, clue, file, user):
        received.append(type(file))
        return real(clue=clue, file=file, user=user)

    monkeypatch.setattr(services, "attachment_add", spy)
    video = bytes(range(256)) * 200  # 51 KB: over the import cap, within the evidence cap
    r = login(demo.users["office"]).post(
        "/clues/clues/add/", {**FORM, "attachment": SimpleUploadedFile("录屏.mp4", video)}
    )
    assert r.status_code == 302, r.content.decode()[:500]
    assert received == [TemporaryUploadedFile]
    attachment = Clue.objects.get().attachments.get()
    with attachment.file.open("rb") as fh:
        assert fh.read() == video


def test_an_attachment_over_the_evidence_cap_is_refused_before_the_clue_is_registered(demo, login):
    r = login(demo.users["office"]).post(
        "/clues/clues/add/", {**FORM, "attachment": SimpleUploadedFile("录屏.mp4", b"\0" * 250_000)}
    )
    assert r.status_code == 413
    assert uploads.too_large(uploads.EVIDENCE).zh in r.content.decode()
    assert not Clue.objects.exists()


def test_the_service_holds_the_evidence_cap_too(demo):
    from wangjian.clues import services

    with pytest.raises(uploads.UploadTooLarge) as exc:
        services.attachment_check(file=SimpleUploadedFile("录屏.mp4", b"\0" * 200_001))
    assert "证据与附件" in exc.value.zh and exc.value.http_status == 413
