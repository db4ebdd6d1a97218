"""The evidence package: a WACZ that standard tools accept and a reviewer can check with the public key alone."""

from __future__ import annotations

import base64
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from wangjian.evidence import package, services
from wangjian.evidence.models import LedgerEntry

BIN = Path(__file__).resolve().parents[2] / ".venv" / "bin"


def tool(name: str) -> str:
    path = BIN / name
    return str(path) if path.exists() else (shutil.which(name) or pytest.skip(f"{name} not installed"))


@pytest.fixture
def exported(bureau, site, tmp_path, chromium):
    capture = services.evidence_capture(
        url=site.url("/redirect"),
        operators=["张三", "李四"],
        purpose="网店价格标示检查",
        case_ref="旌市监线索〔2026〕7号",
        bureau=bureau,
        mode="browser",
    ).capture
    out = tmp_path / "evidence.wacz"
    call_command(
        "evidence",
        "export",
        str(capture.pk),
        "--out",
        str(out),
        "--reason",
        "移送法制审核",
        stdout=io.StringIO(),
    )
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(out) as zf:
        zf.extractall(unpacked)
    return capture, out, unpacked


def test_package_passes_wacz_validate(exported):
    _, out, _ = exported
    run = subprocess.run([tool("wacz"), "validate", "-f", str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Validation succeeded" in run.stdout


def test_archived_warc_passes_warcio_check(exported):
    _, _, unpacked = exported
    run = subprocess.run(
        [tool("warcio"), "check", "-v", str(unpacked / "archive" / "data.warc.gz")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "digest pass" in run.stdout


def test_sha256sums_checks_with_the_standard_tool(exported):
    _, _, unpacked = exported
    run = subprocess.run(
        ["sha256sum", "-c", "evidence/sha256sums.txt"], cwd=unpacked, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr
    listed = run.stdout.splitlines()
    assert any(line.startswith("evidence/screenshot.png: ") for line in listed)
    assert any(line.startswith("evidence/work_record.pdf: ") for line in listed)
    assert any(line.startswith("archive/data.warc.gz: ") for line in listed)


def test_signature_verifies_with_openssl_and_the_public_key(exported, tmp_path):
    _, _, unpacked = exported
    openssl = shutil.which("openssl") or pytest.skip("openssl not installed")
    digest = json.loads((unpacked / "datapackage-digest.json").read_text())
    (tmp_path / "msg").write_text(digest["hash"])
    (tmp_path / "sig").write_bytes(base64.b64decode((unpacked / "evidence" / "signature-base64").read_text()))
    cmd = [
        openssl,
        "dgst",
        "-sha256",
        "-verify",
        str(unpacked / "evidence" / "public_key.pem"),
        "-signature",
        str(tmp_path / "sig"),
        str(tmp_path / "msg"),
    ]
    run = subprocess.run(cmd, capture_output=True, text=True)
    assert run.returncode == 0 and "Verified OK" in run.stdout, run.stdout + run.stderr
    (tmp_path / "msg").write_text(digest["hash"].replace("sha256:", "sha256:0"))
    assert subprocess.run(cmd, capture_output=True).returncode != 0


def test_signed_data_is_the_wacz_anonymous_signature_ecdsa_p256(exported):
    """What a player checks: ECDSA P-256/SHA-256 over the hash string with signedData.publicKey."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import load_der_public_key

    _, _, unpacked = exported
    signed = json.loads((unpacked / "datapackage-digest.json").read_text())["signedData"]
    public = load_der_public_key(base64.b64decode(signed["publicKey"]))
    assert isinstance(public, ec.EllipticCurvePublicKey) and public.curve.name == "secp256r1"
    public.verify(base64.b64decode(signed["signature"]), signed["hash"].encode(), ec.ECDSA(hashes.SHA256()))
    assert (unpacked / "evidence" / "ledger_public_key.pem").exists()


def test_package_check_catches_a_changed_screenshot(exported, bureau):
    _, out, _ = exported
    data = out.read_bytes()
    assert package.check_package(data, public_key_pem=bureau.evidence_key.package_public_key_pem).ok
    tampered = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "evidence/screenshot.png":
                content = content[:-1] + bytes([content[-1] ^ 1])
            dst.writestr(item, content)
    problems = package.check_package(tampered.getvalue()).problems
    assert problems == ["evidence/screenshot.png: 哈希不符 / hash differs"]


def test_package_contents_and_export_in_the_ledger(exported):
    capture, out, unpacked = exported
    pages = [json.loads(line) for line in (unpacked / "pages" / "pages.jsonl").read_text().splitlines()]
    assert pages[0]["format"] == "json-pages-1.0" and pages[1]["url"] == capture.final_url
    meta = json.loads((unpacked / "evidence" / "metadata.json").read_text())
    assert meta["case_ref"] == "旌市监线索〔2026〕7号"
    assert (unpacked / "evidence" / "work_record.pdf").read_bytes()[:5] == b"%PDF-"
    assert (unpacked / "indexes" / "index.cdx").read_text().count("\n") >= 3
    export = LedgerEntry.objects.get(capture_id_ref=capture.pk, action="export")
    assert export.reason == "移送法制审核"
    ledger_doc = json.loads((unpacked / "evidence" / "ledger.json").read_text())
    assert ledger_doc["checkpoint"]["seq"] == export.seq
    assert [e["action"] for e in ledger_doc["entries"]] == ["capture", "export"]


def test_work_record_gives_beijing_and_utc_times(bureau, site):
    import datetime as dt
    from zoneinfo import ZoneInfo

    capture = services.evidence_capture(
        url=site.url("/shop.html"), operators=["张三", "李四"], purpose="检查", bureau=bureau, mode="http"
    ).capture
    html = package.work_record_html(capture, [], fingerprint="f" * 64)
    beijing = capture.started_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y年%m月%d日 %H:%M:%S")
    utc = capture.started_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    assert beijing in html and utc in html


def test_failed_capture_exports_a_valid_package_that_says_it_failed(bureau, tmp_path):
    capture = services.evidence_capture(
        url="http://no-such-shop.invalid/",
        operators=["张三", "李四"],
        purpose="检查",
        bureau=bureau,
        mode="http",
    ).capture
    out = tmp_path / "failed.wacz"
    out.write_bytes(services.evidence_export(capture=capture, pdf=False))
    run = subprocess.run([tool("wacz"), "validate", "-f", str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    with zipfile.ZipFile(out) as zf:
        meta = json.loads(zf.read("evidence/metadata.json"))
        pages = zf.read("pages/pages.jsonl").decode().splitlines()
    assert meta["status"] == "failed" and meta["failure"]["reason"] == "refused"
    assert len(pages) == 1  # the header only: no page was captured
