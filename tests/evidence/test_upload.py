"""Uploaded evidence (photos, videos, screen recordings, scanned 笔录): hashed, ledgered, verified, packaged like a capture."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.evidence.test_verify import flip_byte
from wangjian.core.errors import ValidationFailed
from wangjian.core.uploads import UploadTooLarge
from wangjian.evidence import package, selectors, services
from wangjian.evidence.choices import CaptureMode, FileRole, LedgerAction
from wangjian.evidence.models import LedgerEntry
from wangjian.evidence.store import get_store

PHOTO = b"\x89PNG\r\n\x1a\n" + b"shop-front" * 200
VIDEO = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 64


def upload(bureau, **extra):
    files = extra.pop(
        "files",
        [
            SimpleUploadedFile("门店照片.png", PHOTO, content_type="image/png"),
            SimpleUploadedFile("../../直播录屏.mp4", VIDEO, content_type="video/mp4"),
        ],
    )
    return services.evidence_upload(
        files=files,
        kind=extra.pop("kind", "screen"),
        description=extra.pop("description", "某直播间销售假冒商品的录屏"),
        source="抖音直播间 12345",
        operators=extra.pop("operators", ["张三（皖001）", "李四（皖002）"]),
        purpose="案件调查",
        case_ref="旌市监立〔2026〕3号",
        bureau=bureau,
        **extra,
    )


def test_an_upload_is_stored_by_hash_with_its_metadata_and_written_to_the_ledger(bureau):
    capture = upload(bureau).capture
    assert capture.mode == CaptureMode.UPLOAD and capture.ok and capture.url == ""
    files = {f.name: f for f in capture.files.all()}
    # a folder in the uploaded name is dropped; the record's names are its own
    assert set(files) == {"门店照片.png", "直播录屏.mp4", "metadata.json"}
    assert files["直播录屏.mp4"].role == FileRole.UPLOAD and files["直播录屏.mp4"].size == len(VIDEO)
    assert get_store().get(files["门店照片.png"].sha256) == PHOTO
    meta = json.loads(get_store().get(capture.metadata_sha256))
    assert meta["kind"] == "screen" and meta["source"] == "抖音直播间 12345"
    assert {f["name"]: f["sha256"] for f in meta["files"]} == {
        n: f.sha256 for n, f in files.items() if n != "metadata.json"
    }
    entry = LedgerEntry.objects.get(capture_id_ref=capture.pk, action=LedgerAction.CAPTURE)
    assert entry.detail["files"] == {n: f.sha256 for n, f in files.items()}


def test_an_uploaded_file_verifies_and_a_changed_byte_fails(bureau, evidence_store):
    capture = upload(bureau).capture
    assert selectors.capture_verification(capture=capture).ok
    video = capture.files.get(name="直播录屏.mp4")
    flip_byte(get_store().path(video.sha256))
    report = selectors.capture_verification(capture=capture)
    assert not report.ok
    assert any("直播录屏.mp4" in p.item and "改动" in p.zh for p in report.problems)


def test_the_signed_package_carries_the_uploads_and_catches_a_change(bureau):
    capture = upload(bureau).capture
    data = package.build_package(capture, pdf=False)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.read("evidence/uploads/直播录屏.mp4") == VIDEO
        assert "evidence/metadata.json" in zf.namelist()
    assert package.check_package(data).ok
    tampered = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "evidence/uploads/门店照片.png":
                content = content[:-1] + bytes([content[-1] ^ 1])
            dst.writestr(item, content)
    assert package.check_package(tampered.getvalue()).problems == [
        "evidence/uploads/门店照片.png: 哈希不符 / hash differs"
    ]


def test_two_files_of_the_same_name_keep_both(bureau):
    capture = upload(
        bureau,
        files=[SimpleUploadedFile("笔录.pdf", b"%PDF-1 a"), SimpleUploadedFile("笔录.pdf", b"%PDF-1 b")],
        kind="inquiry",
    ).capture
    assert sorted(f.name for f in capture.files.all()) == ["metadata.json", "笔录-1.pdf", "笔录.pdf"]


@pytest.mark.parametrize(
    "extra,words",
    [
        ({"files": []}, "请选择要上传的证据文件"),
        ({"kind": "rumour"}, "请选择证据类型"),
        ({"operators": []}, "须填写取证人员"),
        ({"description": " "}, "须说明证据内容及来源"),
    ],
)
def test_an_incomplete_upload_is_refused_and_nothing_is_stored(bureau, extra, words):
    with pytest.raises(ValidationFailed) as exc:
        upload(bureau, **extra)
    assert words in exc.value.zh
    assert not LedgerEntry.objects.filter(action=LedgerAction.CAPTURE).exists()


def test_a_file_over_the_evidence_cap_is_refused(bureau, settings):
    settings.WANGJIAN_EVIDENCE_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(UploadTooLarge) as exc:
        upload(bureau)
    assert exc.value.code == "too_large" and "证据与附件" in exc.value.zh
    assert not LedgerEntry.objects.filter(action=LedgerAction.CAPTURE).exists()
