"""wangjian evidence verify: passes on an untouched store, and names exactly what was altered or is missing."""

from __future__ import annotations

import base64
import io
import os

import pytest
from django.core.management import call_command

from wangjian.evidence import selectors, services
from wangjian.evidence.models import EvidenceFile, LedgerCheckpoint, LedgerEntry
from wangjian.evidence.store import get_store


@pytest.fixture
def captured(bureau, site, django_capture_on_commit_callbacks):
    """Two captures and a signed checkpoint, committed (so its head is anchored in the store)."""
    with django_capture_on_commit_callbacks(execute=True):
        first = services.evidence_capture(
            url=site.url("/shop.html"),
            operators=["张三", "李四"],
            purpose="价格检查",
            bureau=bureau,
            mode="http",
        ).capture
        second = services.evidence_capture(
            url=site.url("/gbk.html"),
            operators=["张三", "李四"],
            purpose="亮照检查",
            bureau=bureau,
            mode="http",
        ).capture
        services.evidence_checkpoint(bureau=bureau)
    return first, second


def run_verify(*args):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("evidence", "verify", *args, stdout=out, stderr=err)
        raise SystemExit(0)
    return exited.value.code, out.getvalue()


def flip_byte(path):
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def test_untouched_store_verifies(captured):
    code, out = run_verify("--all")
    assert code == 0, out
    assert "校验通过" in out
    report = selectors.evidence_verify()
    assert report.ok and report.captures == 2 and report.checkpoints == 1 and report.entries == 2


def test_one_changed_byte_of_a_file_is_named(captured):
    first, _ = captured
    shot = first.files.get(name="text.txt")
    flip_byte(get_store().path(shot.sha256))
    code, out = run_verify("--all")
    assert code == 1
    assert f"capture {first.pk} 文件 file text.txt" in out and "文件已被改动" in out
    failed = [p.item for p in selectors.evidence_verify().problems]
    assert len(failed) == 1 and failed[0].startswith(f"取证记录 capture {first.pk} 文件 file text.txt")


def test_missing_file_is_named(captured):
    _, second = captured
    meta = second.files.get(name="page.html")
    get_store().path(meta.sha256).unlink()
    code, out = run_verify(str(second.pk))
    assert code == 1 and f"capture {second.pk} 文件 file page.html" in out and "文件缺失" in out


def test_swapping_a_file_in_the_database_is_caught_by_the_ledger(captured):
    first, _ = captured
    forged = get_store().put("伪造的文本".encode())
    EvidenceFile.objects.filter(capture=first, name="text.txt").update(
        sha256=forged, size=len("伪造的文本".encode())
    )
    problems = [str(p) for p in selectors.evidence_verify(capture_ids=[first.pk]).problems]
    assert any("text.txt" in p and "元数据" in p for p in problems)
    assert any("text.txt" in p and "台账" in p for p in problems)


def test_changed_ledger_row_is_named(captured, bureau):
    LedgerEntry.objects.filter(bureau=bureau, seq=1).update(reason="事后改写的事由")
    code, out = run_verify("--all")
    assert code == 1
    assert "ledger 341825 条目 entry #1: 条目内容已被改动" in out


def test_deleted_ledger_row_is_named(captured, bureau):
    LedgerEntry.objects.filter(bureau=bureau, seq=1).delete()
    problems = [p.item for p in selectors.evidence_verify().problems]
    assert "台账 ledger 341825 条目 entry #1" in problems


def test_rewritten_chain_fails_the_signed_checkpoint(captured, bureau):
    """Recomputing every hash after an edit keeps the chain whole, but the signed checkpoint no longer matches."""
    from wangjian.evidence import ledger

    prev = ledger.GENESIS
    for entry in LedgerEntry.objects.filter(bureau=bureau).order_by("seq"):
        if entry.seq == 1:
            entry.reason = "改写"
        entry.prev_hash = prev
        entry.entry_hash = ledger.entry_hash(entry)
        entry.save()
        prev = entry.entry_hash
    problems = [str(p) for p in selectors.evidence_verify().problems]
    assert problems == [
        "台账 ledger 341825 检查点 checkpoint @#2: 所签哈希与台账条目不符 / signed hash differs from the ledger entry"
    ]


def test_changed_signature_is_named(captured, bureau):
    cp = LedgerCheckpoint.objects.get(bureau=bureau)
    sig = bytearray(base64.b64decode(cp.signature))
    sig[0] ^= 0x01
    LedgerCheckpoint.objects.filter(pk=cp.pk).update(signature=base64.b64encode(bytes(sig)).decode())
    code, out = run_verify("--all")
    assert code == 1 and "checkpoint @#2: 签名无效" in out


def test_checkpoint_is_signed_every_n_entries(bureau, site, settings):
    settings.WANGJIAN_EVIDENCE_CHECKPOINT_EVERY = 2
    for _ in range(2):
        services.evidence_capture(
            url=site.url("/shop.html"), operators=["张三", "李四"], purpose="巡查", bureau=bureau, mode="http"
        )
    assert list(LedgerCheckpoint.objects.values_list("seq", flat=True)) == [2]


def test_identical_bytes_are_stored_once_and_read_only(captured):
    first, _ = captured
    f = first.files.get(name="text.txt")
    path = get_store().path(f.sha256)
    assert get_store().put(get_store().get(f.sha256)) == f.sha256
    assert oct(path.stat().st_mode & 0o777) == "0o444"
