"""RFC 3161: with a timestamp authority configured, the package signature carries a verifiable timestamp."""

from __future__ import annotations

import base64
import io
import json
import shutil
import subprocess
import zipfile

import pytest

from tests.evidence.tsa import TSA
from wangjian.evidence import services, timestamp

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")


@pytest.fixture
def tsa(settings):
    with TSA() as authority:
        settings.WANGJIAN_EVIDENCE_TSA_URL = authority.url
        yield authority


def test_timestamp_request_is_a_valid_rfc3161_query(tmp_path):
    (tmp_path / "q.tsq").write_bytes(timestamp.request_for(b"signature"))
    run = subprocess.run(
        ["openssl", "ts", "-query", "-in", str(tmp_path / "q.tsq"), "-text"], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert "sha256" in run.stdout and "Certificate required: yes" in run.stdout


def test_package_signature_is_timestamped_and_openssl_verifies_it(bureau, site, tsa, tmp_path):
    capture = services.evidence_capture(
        url=site.url("/shop.html"), operators=["张三", "李四"], purpose="检查", bureau=bureau, mode="http"
    ).capture
    with zipfile.ZipFile(io.BytesIO(services.evidence_export(capture=capture, pdf=False))) as zf:
        zf.extractall(tmp_path / "pkg")
    signed = json.loads((tmp_path / "pkg" / "datapackage-digest.json").read_text())["signedData"]
    tsr = tmp_path / "pkg" / "evidence" / "timestamp-rfc3161"
    assert base64.b64decode(signed["timeSignature"]) == tsr.read_bytes()
    (tmp_path / "sig").write_bytes(base64.b64decode(signed["signature"]))
    verify = ["openssl", "ts", "-verify", "-in", str(tsr), "-CAfile", str(tsa.cert)]
    run = subprocess.run([*verify, "-data", str(tmp_path / "sig")], capture_output=True, text=True)
    assert run.returncode == 0 and "Verification: OK" in run.stdout, run.stdout + run.stderr
    (tmp_path / "other").write_bytes(b"another signature")
    assert subprocess.run([*verify, "-data", str(tmp_path / "other")], capture_output=True).returncode != 0


def test_unreachable_authority_leaves_the_package_signed_and_says_so(bureau, site, settings):
    settings.WANGJIAN_EVIDENCE_TSA_URL = "http://127.0.0.1:9/tsa"
    capture = services.evidence_capture(
        url=site.url("/shop.html"), operators=["张三", "李四"], purpose="检查", bureau=bureau, mode="http"
    ).capture
    with zipfile.ZipFile(io.BytesIO(services.evidence_export(capture=capture, pdf=False))) as zf:
        signed = json.loads(zf.read("datapackage-digest.json"))["signedData"]
        assert "evidence/timestamp-rfc3161" not in zf.namelist()
    assert signed["signature"] and "timeSignature" not in signed
    assert "时间戳服务不可用" in signed["timestampError"]
