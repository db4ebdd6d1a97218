"""The hash chain of a bureau's evidence ledger and its signed checkpoints.

Each entry's hash covers its own fields and the previous entry's hash, so changing,
removing or reordering any entry breaks every later link. A checkpoint signs "entry N of
bureau B has hash H" with the bureau's Ed25519 key; an attacker who rewrites the whole
chain from some point on cannot produce a valid signature for the rewritten head.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from wangjian.evidence import conf, keys
from wangjian.evidence.models import BureauKey, LedgerCheckpoint, LedgerEntry

GENESIS = "0" * 64


def entry_payload(entry: LedgerEntry) -> bytes:
    data: dict[str, Any] = {
        "bureau": entry.bureau_id,
        "seq": entry.seq,
        "time": entry.time.isoformat(),
        "action": entry.action,
        "capture": entry.capture_id_ref,
        "user": entry.user_name,
        "reason": entry.reason,
        "detail": entry.detail,
        "prev": entry.prev_hash,
    }
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def entry_hash(entry: LedgerEntry) -> str:
    return hashlib.sha256(entry_payload(entry)).hexdigest()


def checkpoint_message(*, bureau_code: str, seq: int, entry_hash_: str, time_iso: str) -> bytes:
    return f"wangjian-evidence-ledger-checkpoint\n{bureau_code}\n{seq}\n{entry_hash_}\n{time_iso}\n".encode()


def bureau_key(bureau) -> tuple[Any, BureauKey]:
    """(private key, public-key row) of ``bureau``; both created on first use."""
    private = keys.load_private(bureau, create=True)
    public = private.public_key()
    row = BureauKey.objects.filter(bureau=bureau).first()
    if row is None:
        row = BureauKey.objects.create(
            bureau=bureau, public_key_pem=keys.public_pem(public), fingerprint=keys.fingerprint(public)
        )
    if not row.package_public_key_pem:
        package_public = keys.load_package_private(bureau, create=True).public_key()
        row.package_public_key_pem = keys.public_pem(package_public)
        row.package_fingerprint = keys.fingerprint(package_public)
        row.save(update_fields=["package_public_key_pem", "package_fingerprint"])
    return private, row


def append(
    *, bureau, action: str, user_name: str, reason: str = "", capture_id: int | None = None, detail=None
) -> LedgerEntry:
    """Append one entry to ``bureau``'s chain.

    Writers are serialised by the row lock on the head (PostgreSQL) or the write lock (SQLite);
    two first entries racing on an empty chain collide on the unique (bureau, seq) and retry.
    """
    for attempt in range(3):
        try:
            with transaction.atomic():
                last = LedgerEntry.objects.select_for_update().filter(bureau=bureau).order_by("-seq").first()
                entry = LedgerEntry(
                    bureau=bureau,
                    seq=(last.seq + 1) if last else 1,
                    time=timezone.now(),
                    action=action,
                    capture_id_ref=capture_id,
                    user_name=user_name[:150],
                    reason=reason[:500],
                    detail=detail or {},
                    prev_hash=last.entry_hash if last else GENESIS,
                )
                entry.entry_hash = entry_hash(entry)
                entry.save()
            break
        except IntegrityError:
            if attempt == 2:
                raise
    every = conf.get_int("WANGJIAN_EVIDENCE_CHECKPOINT_EVERY", 20)
    if every > 0 and entry.seq % every == 0:
        checkpoint(bureau=bureau)
    return entry


def checkpoint(*, bureau) -> LedgerCheckpoint | None:
    """Sign the current head of ``bureau``'s chain; nothing to do when the head is already signed."""
    head = LedgerEntry.objects.filter(bureau=bureau).order_by("-seq").first()
    if head is None:
        return None
    existing = LedgerCheckpoint.objects.filter(bureau=bureau, seq=head.seq).first()
    if existing is not None:
        return existing
    private, row = bureau_key(bureau)
    now = timezone.now()
    message = checkpoint_message(
        bureau_code=bureau.code, seq=head.seq, entry_hash_=head.entry_hash, time_iso=now.isoformat()
    )
    return LedgerCheckpoint.objects.create(
        bureau=bureau,
        seq=head.seq,
        entry_hash=head.entry_hash,
        time=now,
        key_fingerprint=row.fingerprint,
        signature=keys.sign(private, message),
    )
