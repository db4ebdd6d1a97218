"""wangjian evidence capture / verify / pubkey on the command line."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from wangjian.evidence.models import EvidenceCapture


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("evidence", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_capture_prints_the_capture_id_as_its_last_line(bureau, site):
    out, _ = run(
        "capture",
        site.url("/shop.html"),
        "--http",
        "--case",
        "XS-3",
        "--operator",
        "张三",
        "--operator",
        "李四",
    )
    capture = EvidenceCapture.objects.get()
    assert out.strip().splitlines()[-1] == str(capture.pk)
    assert capture.case_ref == "XS-3" and capture.operators == ["张三", "李四"] and capture.bureau == bureau


def test_capture_json_prints_the_whole_record_and_a_failed_capture_is_recorded_and_exits_non_zero(
    bureau, site
):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command(
            "evidence",
            "capture",
            site.url("/status/404"),
            "--http",
            "--json",
            "--operator",
            "张三",
            stdout=out,
            stderr=err,
        )
    assert exited.value.code == 1
    out, err = out.getvalue(), err.getvalue()
    assert "页面不存在或拒绝访问" in err  # the reason, for the shell
    lines = out.strip().splitlines()
    record = json.loads("\n".join(lines[:-1]))
    assert record["status"] == "failed" and record["failure_reason"] == "http_4xx"
    assert lines[-1] == str(record["id"])
    assert "两名" in err


def test_verify_of_an_unknown_capture_fails(bureau):
    with pytest.raises(SystemExit) as exited:
        run("verify", "999")
    assert exited.value.code == 1


def test_pubkey_prints_the_package_key_then_the_ledger_key(bureau):
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    out, err = run("pubkey", "--bureau", "341825")
    blocks = [b + "-----END PUBLIC KEY-----\n" for b in out.split("-----END PUBLIC KEY-----") if b.strip()]
    assert len(blocks) == 2
    assert isinstance(load_pem_public_key(blocks[0].strip().encode()), ec.EllipticCurvePublicKey)
    assert isinstance(load_pem_public_key(blocks[1].strip().encode()), ed25519.Ed25519PublicKey)
    assert "ECDSA P-256" in err and "Ed25519" in err


def test_check_verifies_an_exported_package_against_the_bureaus_key(bureau, site, tmp_path):
    run("capture", site.url("/shop.html"), "--http", "--operator", "张三", "--operator", "李四")
    capture = EvidenceCapture.objects.get()
    run("export", str(capture.pk), "--out", str(tmp_path / "p.wacz"), "--no-pdf")
    pem, _ = run("pubkey", "--bureau", "341825")
    (tmp_path / "key.pem").write_text(pem)
    out, _ = run("check", str(tmp_path / "p.wacz"), "--pubkey", str(tmp_path / "key.pem"))
    assert "证据包核验通过" in out
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = Ed25519PrivateKey.generate().public_key()
    other_pem = other.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    (tmp_path / "other.pem").write_bytes(other_pem)
    with pytest.raises(SystemExit) as exited:
        run("check", str(tmp_path / "p.wacz"), "--pubkey", str(tmp_path / "other.pem"))
    assert exited.value.code == 1
    from cryptography.hazmat.primitives.asymmetric import ec

    other_p256 = ec.generate_private_key(ec.SECP256R1()).public_key()
    (tmp_path / "other256.pem").write_bytes(
        other_p256.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    with pytest.raises(SystemExit) as exited:
        run("check", str(tmp_path / "p.wacz"), "--pubkey", str(tmp_path / "other256.pem"))
    assert exited.value.code == 1


def test_capture_task_runs_the_service_and_links_the_object(bureau, site):
    from wangjian.evidence import tasks
    from wangjian.org.models import Department

    matter = Department.objects.create(bureau=bureau, name="测试科", kind="price")
    pk = tasks.evidence_capture.delay(
        url=site.url("/shop.html"), operators=["张三", "李四"], purpose="监测发现取证", bureau_id=bureau.pk,
        mode="http", link_model="org.Department", link_id=matter.pk,
    ).get()  # fmt: skip
    assert EvidenceCapture.objects.get(pk=pk).links.get().object_id == str(matter.pk)
