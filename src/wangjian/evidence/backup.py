"""What the evidence app adds to a backup (``platform.backup``): its counts, its check, its keys, its layout.

* counts: captures, ledger entries and signed checkpoints, printed by ``wangjian backup`` and
  compared after a restore;
* the check after a restore is ``wangjian evidence verify --all`` (files re-hashed, the hash
  chains, the signatures and the checkpoint heads anchored in the store);
* the key folder (``WANGJIAN_EVIDENCE_KEY_DIR``): without the private keys a restored instance
  refuses to sign, since the published public keys verify only them;
* the blobs' layout: a local folder keeps ``evidence/sha256/ab/cd/<hash>``, a bucket
  ``evidence/sha256/ab/<hash>`` (``store``), so a backup of one restores into the other.
"""

from __future__ import annotations

from wangjian.evidence import keys, selectors
from wangjian.platform import backup

BLOBS = "evidence/sha256/"


def verify() -> backup.CheckOutcome:
    report = selectors.evidence_verify(capture_ids=None)
    return backup.CheckOutcome(
        ok=report.ok,
        summary=(
            f"取证记录 {report.captures}，文件 {report.files}，台账条目 {report.entries}，"
            f"签名检查点 {report.checkpoints} / captures {report.captures}, files {report.files}, "
            f"ledger entries {report.entries}, checkpoints {report.checkpoints}"
        ),
        problems=[str(p) for p in report.problems],
        notes=list(report.notes),
    )


def blob_placement(name: str, kind: str) -> str:
    """A blob's name in a local folder (``kind="local"``) or a bucket (``"s3"``), from either layout."""
    digest = name.rsplit("/", 1)[-1]
    if len(digest) != 64:
        return name  # not a blob (a file the store does not name by hash): where it was
    if kind == "s3":
        return f"{BLOBS}{digest[:2]}/{digest}"
    return f"{BLOBS}{digest[:2]}/{digest[2:4]}/{digest}"


def register() -> None:
    backup.register_count("captures", "取证记录", "captures", model="evidence.EvidenceCapture")
    backup.register_count("ledger_entries", "台账条目", "ledger entries", model="evidence.LedgerEntry")
    backup.register_count("checkpoints", "签名检查点", "checkpoints", model="evidence.LedgerCheckpoint")
    backup.register_check(
        "evidence", "电子数据校验（evidence verify --all）", "evidence verify --all", verify
    )
    backup.register_folder("keys", "取证签名私钥", "evidence signing keys", keys.key_dir)
    backup.register_placement(BLOBS, blob_placement)
