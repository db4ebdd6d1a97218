"""Ledger completeness: checkpoint heads anchored outside the database, so that a ledger cut short, a
deleted checkpoint or a gap fails ``wangjian evidence verify`` with the missing items named by number."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.core.management import call_command

from tests import journeys
from tests.journeys import leaves, migrate
from wangjian.evidence import anchors, selectors, services
from wangjian.evidence.models import EvidenceCapture, LedgerCheckpoint, LedgerEntry
from wangjian.evidence.store import get_records, get_store


@pytest.fixture
def capture(bureau, site, django_capture_on_commit_callbacks):
    """``capture(path)`` → a capture of the test site, committed (its checkpoints anchored as in production)."""

    def _capture(path="/shop.html"):
        with django_capture_on_commit_callbacks(execute=True):
            return services.evidence_capture(
                url=site.url(path), operators=["张三", "李四"], purpose="价格检查", bureau=bureau, mode="http"
            ).capture

    return _capture


@pytest.fixture
def checkpoint(bureau, django_capture_on_commit_callbacks):
    def _checkpoint():
        with django_capture_on_commit_callbacks(execute=True):
            return services.evidence_checkpoint(bureau=bureau)

    return _checkpoint


@pytest.fixture
def ledger_of_four(capture, checkpoint):
    """Captures 1–2 under checkpoint No. 1 (entry #2), captures 3–4 under checkpoint No. 2 (entry #4)."""
    first, second = capture(), capture("/gbk.html")
    checkpoint()
    third, fourth = capture(), capture("/gbk.html")
    checkpoint()
    return first, second, third, fourth


def run_verify(*args):
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("evidence", "verify", *args, stdout=out, stderr=io.StringIO())
        raise SystemExit(0)
    return exited.value.code, out.getvalue()


def problems() -> list[str]:
    return [str(p) for p in selectors.evidence_verify().problems]


def test_a_record_in_the_store_is_written_once_and_only_latest_is_replaced(tmp_path):
    from wangjian.core.errors import WangjianError
    from wangjian.evidence.store import LocalRecordStore

    records = LocalRecordStore(tmp_path)
    name = "341825/checkpoint-000000000001.json"
    assert records.create(name, b"head 1")
    assert records.create(name, b"head 1")  # the same bytes again: nothing to do
    assert not records.create(name, b"forged") and records.read(name) == b"head 1"
    records.replace("341825/latest.json", b"head 1")
    records.replace("341825/latest.json", b"head 2")
    assert records.read("341825/latest.json") == b"head 2"
    assert records.names("341825") == ["checkpoint-000000000001.json", "latest.json"]
    assert records.folders() == ["341825"] and records.read("341825/none.json") is None
    with pytest.raises(WangjianError):
        records.read("../../etc/passwd")


def test_a_clean_ledger_still_verifies(ledger_of_four):
    code, out = run_verify("--all")
    assert code == 0, out
    assert "校验通过" in out and "checkpoints 2" in out


def test_each_checkpoint_head_is_anchored_in_the_store_and_the_application_log(
    bureau, capture, checkpoint, caplog
):
    caplog.set_level(logging.INFO, logger="wangjian.evidence.anchors")
    first = capture()
    cp = checkpoint()
    assert cp.number == 1 and cp.seq == 1
    records = get_records()
    head = json.loads(records.read("341825/checkpoint-000000000001.json"))
    assert (head["number"], head["seq"], head["entry_hash"], head["signature"]) == (
        1,
        1,
        cp.entry_hash,
        cp.signature,
    )
    assert head["captures"] == {str(first.pk): 1}
    assert json.loads(records.read("341825/latest.json")) == head
    assert f"341825 checkpoint #1: entry #1 hash {cp.entry_hash}" in caplog.text
    assert cp.signature in caplog.text
    path = records.path("341825/checkpoint-000000000001.json")
    assert oct(path.stat().st_mode & 0o777) == "0o444"

    capture("/gbk.html")
    second = checkpoint()
    assert second.number == 2
    assert json.loads(records.read("341825/latest.json"))["number"] == 2
    assert records.names("341825") == [
        "checkpoint-000000000001.json",
        "checkpoint-000000000002.json",
        "latest.json",
    ]


def test_deleting_the_newest_captures_with_their_entries_fails_verify_naming_them(bureau, ledger_of_four):
    _, _, third, fourth = ledger_of_four
    # What was found on a running instance: the newest captures, their entries and the checkpoint over them
    # deleted together. The chain that is left is whole and its last checkpoint is validly signed.
    EvidenceCapture.objects.filter(pk__in=[third.pk, fourth.pk]).delete()
    LedgerEntry.objects.filter(bureau=bureau, seq__gt=2).delete()
    LedgerCheckpoint.objects.filter(bureau=bureau, number=2).delete()

    code, out = run_verify("--all")
    assert code == 1
    assert "台账 ledger 341825 条目 entry #3–#4: 条目缺失：台账末尾被截断" in out
    assert (
        "第2号检查点 checkpoint No. 2: 检查点缺失：数据库中没有，证据存储中有其锚定记录（截至条目 #4）" in out
    )
    assert (
        "数据库中最新的检查点为第1号（截至条目 #2），早于证据存储中锚定的最新检查点第2号（截至条目 #4）"
        in out
    )
    assert f"取证记录 capture {third.pk}: 记录缺失（登记于台账条目 #3" in out
    assert f"取证记录 capture {fourth.pk}: 记录缺失（登记于台账条目 #4" in out
    assert "校验失败" in out


def test_deleting_only_the_newest_entries_names_them_even_with_the_checkpoint_row_kept(
    bureau, ledger_of_four
):
    LedgerEntry.objects.filter(bureau=bureau, seq=4).delete()
    found = problems()
    assert any(p.startswith("台账 ledger 341825 条目 entry #4: 条目缺失") for p in found), found


@pytest.mark.parametrize("number", [1, 2], ids=["an-older-checkpoint", "the-newest-checkpoint"])
def test_deleting_a_signed_checkpoint_fails_verify_naming_it(bureau, ledger_of_four, number):
    LedgerCheckpoint.objects.filter(bureau=bureau, number=number).delete()
    code, out = run_verify("--all")
    assert code == 1
    assert f"台账 ledger 341825 第{number}号检查点 checkpoint No. {number}: 检查点缺失" in out
    if number == 2:
        assert "早于证据存储中锚定的最新检查点第2号" in out


def test_a_gap_in_the_ledger_is_reported_by_number(bureau, ledger_of_four):
    _, second, _, _ = ledger_of_four
    LedgerEntry.objects.filter(bureau=bureau, seq__in=[2, 3]).delete()
    code, out = run_verify("--all")
    assert code == 1
    assert (
        "台账 ledger 341825 条目 entry #2–#3: 条目缺失（序号不连续） / entries missing (next found is #4)"
        in out
    )
    # the capture whose entry went is named too
    assert f"取证记录 capture {second.pk}: 台账中没有该取证记录的登记" in out


def test_a_capture_deleted_with_no_deletion_entry_is_named_with_its_files(bureau, ledger_of_four):
    first = ledger_of_four[0]
    shas = list(first.files.values_list("sha256", flat=True))
    EvidenceCapture.objects.filter(pk=first.pk).delete()
    for sha in shas:
        get_store().remove(sha)
    found = [p for p in problems() if p.startswith(f"取证记录 capture {first.pk}:")]
    assert len(found) == 1 and "记录缺失（台账无删除登记）" in found[0] and "metadata.json" in found[0]


def test_a_ledger_wholly_deleted_from_the_database_is_still_checked(bureau, ledger_of_four):
    EvidenceCapture.objects.all().delete()
    LedgerEntry.objects.all().delete()
    LedgerCheckpoint.objects.all().delete()
    found = problems()
    assert any(p.startswith("台账 ledger 341825 条目 entry #1–#4: 条目缺失") for p in found), found
    assert sum("检查点缺失" in p for p in found) == 2


def test_a_forged_head_in_the_store_is_refused_and_does_not_move_the_counter(
    bureau, ledger_of_four, checkpoint
):
    records = get_records()
    forged = json.loads(records.read("341825/latest.json"))
    forged.update(number=9, seq=40)
    records.replace("341825/latest.json", json.dumps(forged).encode())
    found = problems()
    assert any("latest.json" in p and "签名无效" in p for p in found), found
    assert not any("No. 9" in p for p in found)
    assert (
        anchors.latest_number("341825", public=anchors.keys.load_public(bureau.evidence_key.public_key_pem))
        == 0
    )


def test_a_checkpoint_number_is_never_given_twice_after_rows_were_lost(
    bureau, ledger_of_four, capture, checkpoint
):
    """A database restored from an older backup: the lost checkpoint stays reported; the next one takes No. 3."""
    LedgerCheckpoint.objects.filter(bureau=bureau, number=2).delete()
    capture()
    cp = checkpoint()
    assert cp.number == 3
    assert json.loads(get_records().read("341825/checkpoint-000000000002.json"))["seq"] == 4  # untouched
    found = problems()
    assert any("No. 2: 检查点缺失" in p for p in found) and not any("No. 3" in p for p in found)


def test_a_checkpoint_the_store_missed_is_reported_and_anchored_by_the_next_checkpoint_run(
    bureau, capture, django_capture_on_commit_callbacks
):
    capture()
    with django_capture_on_commit_callbacks(execute=False):  # the store was down when it committed
        services.evidence_checkpoint(bureau=bureau)
    assert any("No. 1: 未锚定到证据存储" in p for p in problems())
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_checkpoint(bureau=bureau)  # the hourly job
    assert selectors.evidence_verify().ok


@pytest.mark.django_db(transaction=True)
def test_a_checkpoint_rolled_back_leaves_nothing_in_the_store_and_a_committed_one_is_anchored(bureau, site):
    """Heads are anchored after the commit: a record the database never had would read as a deletion."""
    from django.db import transaction

    services.evidence_capture(
        url=site.url("/shop.html"), operators=["张三", "李四"], purpose="价格检查", bureau=bureau, mode="http"
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        services.evidence_checkpoint(bureau=bureau)
        raise RuntimeError("the surrounding work failed")
    assert get_records().names("341825") == []
    assert selectors.evidence_verify().ok
    services.evidence_checkpoint(bureau=bureau)  # committed at once (autocommit), anchored at once
    assert get_records().names("341825") == ["checkpoint-000000000001.json", "latest.json"]
    assert selectors.evidence_verify().ok


def test_heads_are_anchored_in_an_s3_store_too(s3, bureau, site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_capture(
            url=site.url("/shop.html"),
            operators=["张三", "李四"],
            purpose="价格检查",
            bureau=bureau,
            mode="http",
        )
        services.evidence_checkpoint(bureau=bureau)
    assert "jingde/evidence/ledger-heads/341825/checkpoint-000000000001.json" in s3.keys()
    assert "jingde/evidence/ledger-heads/341825/latest.json" in s3.keys()
    assert selectors.evidence_verify().ok
    LedgerCheckpoint.objects.all().delete()
    assert any("No. 1: 检查点缺失" in p for p in problems())


def journey_checkpoints_signed_before_numbering():
    from django.utils import timezone

    from wangjian.evidence import keys, ledger

    old = migrate([("evidence", "0004_refused_addresses")])
    bureau = old.get_model("org", "Bureau").objects.create(
        name="旌德县市场监督管理局", code="341825", level="county"
    )
    private = keys.load_private(bureau, create=True)
    old.get_model("evidence", "BureauKey").objects.create(
        bureau=bureau,
        public_key_pem=keys.public_pem(private.public_key()),
        fingerprint=keys.fingerprint(private.public_key()),
    )
    Entry, Checkpoint = (
        old.get_model("evidence", "LedgerEntry"),
        old.get_model("evidence", "LedgerCheckpoint"),
    )
    prev = ledger.GENESIS
    for seq in (1, 2, 3):
        entry = Entry(
            bureau=bureau, seq=seq, time=timezone.now(), action="view", user_name="system", prev_hash=prev
        )
        entry.entry_hash = prev = ledger.entry_hash(entry)
        entry.save()
        if seq > 1:  # the old format: the signature does not cover a number
            now = timezone.now()
            message = ledger.checkpoint_message(
                bureau_code="341825", seq=seq, entry_hash_=prev, time_iso=now.isoformat()
            )
            Checkpoint.objects.create(
                bureau=bureau,
                seq=seq,
                entry_hash=prev,
                time=now,
                key_fingerprint=keys.fingerprint(private.public_key()),
                signature=keys.sign(private, message),
            )

    migrate(leaves("evidence") + leaves("org"))  # and what they need; not every app
    assert list(LedgerCheckpoint.objects.order_by("seq").values_list("number", "seq", "message_version")) == [
        (1, 2, 1),
        (2, 3, 1),
    ]
    report = selectors.evidence_verify()
    assert report.ok, report.problems
    assert any("编号之前签名的旧检查点" in n for n in report.notes)

    from wangjian.org.models import Bureau

    services.evidence_checkpoint(bureau=Bureau.objects.get(code="341825"))  # the hourly job anchors them
    assert get_records().names("341825") == [
        "checkpoint-000000000001.json",
        "checkpoint-000000000002.json",
        "latest.json",
    ]
    report = selectors.evidence_verify()
    assert report.ok and not any("编号之前" in n for n in report.notes)
    LedgerCheckpoint.objects.filter(number=2).delete()
    assert any("No. 2: 检查点缺失" in p for p in problems())


def test_checkpoints_signed_before_numbering_are_numbered_by_the_migration_and_still_verify(tmp_path):
    journeys.run(__name__, "journey_checkpoints_signed_before_numbering", tmp_path)
