"""The hash chain of a bureau's evidence ledger and its signed checkpoints.

Each entry's hash covers its own fields and the previous entry's hash, so changing,
removing or reordering any entry breaks every later link. A checkpoint signs "entry N of
bureau B has hash H" with the bureau's Ed25519 key; an attacker who rewrites the whole
chain from some point on cannot produce a valid signature for the rewritten head. Checkpoints
are numbered, and each head is anchored outside the database (``anchors``), so that one who
deletes the newest entries and the checkpoints over them is caught as well.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from wangjian.core.errors import WangjianError
from wangjian.evidence import anchors, conf, keys
from wangjian.evidence.models import BureauKey, LedgerCheckpoint, LedgerEntry

logger = logging.getLogger(__name__)

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


def checkpoint_message(
    *, bureau_code: str, seq: int, entry_hash_: str, time_iso: str, number: int | None = None
) -> bytes:
    """The signed bytes of a checkpoint: with its ``number`` (version 2), or without (version 1, older)."""
    return anchors.signed_message(
        bureau_code=bureau_code,
        number=number or 0,
        seq=seq,
        entry_hash=entry_hash_,
        time_iso=time_iso,
        version=1 if number is None else 2,
    )


def bureau_key(bureau) -> tuple[Any, BureauKey]:
    """(private key, public-key row) of ``bureau``; both created on first use.

    Once the public key is registered, the private key is never made again: a machine
    without the key file (a worker with its own home folder, a restored server) would
    otherwise sign with a new key that the published public key does not verify, and
    every later checkpoint would read as tampered. It stops with the reason instead.
    """
    row = BureauKey.objects.filter(bureau=bureau).first()
    private = keys.load_private(bureau, create=row is None)
    public = private.public_key()
    if row is None:
        row = BureauKey.objects.create(
            bureau=bureau, public_key_pem=keys.public_pem(public), fingerprint=keys.fingerprint(public)
        )
    else:
        keys.check_registered(public, row.fingerprint, keys.private_path(bureau))
    if not row.package_public_key_pem:
        package_public = keys.load_package_private(bureau, create=True).public_key()
        row.package_public_key_pem = keys.public_pem(package_public)
        row.package_fingerprint = keys.fingerprint(package_public)
        row.save(update_fields=["package_public_key_pem", "package_fingerprint"])
    return private, row


def package_key(bureau) -> Any:
    """The bureau's package-signing private key, the one its published package public key verifies."""
    _private, row = bureau_key(bureau)
    private = keys.load_package_private(bureau, create=False)
    keys.check_registered(private.public_key(), row.package_fingerprint, keys.package_private_path(bureau))
    return private


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
        try:
            checkpoint(bureau=bureau)
        except WangjianError as exc:
            # The entry stands and the chain is whole; the head is signed by the next checkpoint made
            # where the key is (hourly job, export). The error goes to the log for the administrator.
            if exc.code != "evidence_key":
                raise
            logger.error("ledger %s: checkpoint at #%s not signed: %s", bureau.code, entry.seq, exc)
    return entry


def checkpoint(*, bureau) -> LedgerCheckpoint | None:
    """Sign the current head of ``bureau``'s chain as its next numbered checkpoint, and anchor it.

    Nothing to do when the head is already signed. The number follows both the database's last
    checkpoint and the latest head anchored in the store, so that a number is never given twice
    even after rows were lost (``verify`` names the lost ones). Checkpointers of one bureau take
    turns on the head row; two that race on the number collide on (bureau, number) and retry.
    """
    head = LedgerEntry.objects.filter(bureau=bureau).order_by("-seq").first()
    if head is None:
        return None
    existing = LedgerCheckpoint.objects.filter(bureau=bureau, seq=head.seq).first()
    if existing is not None:
        return existing
    private, row = bureau_key(bureau)
    anchored = anchors.latest_number(bureau.code, public=keys.load_public(row.public_key_pem))
    for attempt in range(3):
        try:
            with transaction.atomic():
                head = LedgerEntry.objects.select_for_update().filter(bureau=bureau).order_by("-seq").first()
                existing = LedgerCheckpoint.objects.filter(bureau=bureau, seq=head.seq).first()
                if existing is not None:
                    return existing
                last = LedgerCheckpoint.objects.filter(bureau=bureau).order_by("-number").first()
                number = max(last.number if last else 0, anchored) + 1
                now = timezone.now()
                message = checkpoint_message(
                    bureau_code=bureau.code,
                    seq=head.seq,
                    entry_hash_=head.entry_hash,
                    time_iso=now.isoformat(),
                    number=number,
                )
                cp = LedgerCheckpoint.objects.create(
                    bureau=bureau,
                    number=number,
                    seq=head.seq,
                    entry_hash=head.entry_hash,
                    time=now,
                    key_fingerprint=row.fingerprint,
                    signature=keys.algorithm(keys.LEDGER_ALGORITHM).sign(private, message),
                    message_version=2,
                    algorithm=keys.LEDGER_ALGORITHM,
                )
            break
        except IntegrityError:
            if attempt == 2:
                raise
    anchors.anchor_on_commit(cp)
    return cp
