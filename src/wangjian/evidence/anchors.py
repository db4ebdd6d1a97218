"""Checkpoint heads anchored outside the database: in the evidence store and in the application log.

The hash chain shows an entry changed or removed in the middle of the ledger, and a checkpoint's
signature shows a rewritten head. Neither shows a ledger made *shorter*: whoever can delete rows
can delete the newest captures, their entries and the checkpoints that signed them, and what is
left is a whole chain under a valid signature. So every checkpoint's head — the checkpoint number
(a counter that only grows), the last entry's number and hash, the time, the signature, and the
captures registered since the checkpoint before — is also written where the database cannot
reach it:

* the evidence store (``WANGJIAN_STORAGE``, where the captures' files are), one record per
  checkpoint, written once and never replaced, plus the bureau's latest head, only ever moved
  forward::

      evidence/ledger-heads/<bureau code>/checkpoint-000000000007.json
      evidence/ledger-heads/<bureau code>/latest.json

* the application log (logger ``wangjian.evidence.anchors``), one line per checkpoint.

``wangjian evidence verify`` compares the database with the store's records (``selectors``)
and names what is missing by number. Records are written after the checkpoint's transaction
commits, so a rolled-back checkpoint never leaves a record behind that the database never had.
A record carries the same Ed25519 signature as the checkpoint, so a forged record is refused
like a forged checkpoint. With a timestamp authority configured, exported packages still carry
its RFC 3161 timestamp over their signature (``package``), which covers the checkpoint inside.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from wangjian.evidence import keys
from wangjian.evidence.choices import LedgerAction
from wangjian.evidence.models import LedgerCheckpoint, LedgerEntry
from wangjian.evidence.store import get_records

logger = logging.getLogger(__name__)

FORMAT = "wangjian-evidence-ledger-head/1"
LATEST = "latest.json"


def record_name(bureau_code: str, number: int) -> str:
    return f"{bureau_code}/checkpoint-{number:012d}.json"


def signed_message(
    *, bureau_code: str, number: int, seq: int, entry_hash: str, time_iso: str, version: int
) -> bytes:
    """The bytes a checkpoint's signature covers; version 1 (checkpoints made before the number was signed)
    lacks the number."""
    if version == 1:
        return (
            f"wangjian-evidence-ledger-checkpoint\n{bureau_code}\n{seq}\n{entry_hash}\n{time_iso}\n".encode()
        )
    return (
        f"wangjian-evidence-ledger-checkpoint/2\n{bureau_code}\n{number}\n{seq}\n{entry_hash}\n{time_iso}\n"
    ).encode()


def checkpoint_message(checkpoint: LedgerCheckpoint) -> bytes:
    return signed_message(
        bureau_code=checkpoint.bureau.code,
        number=checkpoint.number,
        seq=checkpoint.seq,
        entry_hash=checkpoint.entry_hash,
        time_iso=checkpoint.time.isoformat(),
        version=checkpoint.message_version,
    )


def head_document(checkpoint: LedgerCheckpoint) -> dict[str, Any]:
    """The head as it is anchored: everything needed to check its signature, and the captures
    registered since the checkpoint before (so that a missing capture is named by its number)."""
    previous = (
        LedgerCheckpoint.objects.filter(bureau_id=checkpoint.bureau_id, number__lt=checkpoint.number)
        .order_by("-number")
        .values_list("seq", flat=True)
        .first()
    ) or 0
    captures = LedgerEntry.objects.filter(
        bureau_id=checkpoint.bureau_id,
        action=LedgerAction.CAPTURE,
        seq__gt=previous,
        seq__lte=checkpoint.seq,
        capture_id_ref__isnull=False,
    ).values_list("capture_id_ref", "seq")
    return {
        "format": FORMAT,
        "bureau": checkpoint.bureau.code,
        "number": checkpoint.number,
        "seq": checkpoint.seq,
        "entry_hash": checkpoint.entry_hash,
        "time": checkpoint.time.isoformat(),
        "key_fingerprint": checkpoint.key_fingerprint,
        "signature": checkpoint.signature,
        "algorithm": checkpoint.algorithm,
        "message_version": checkpoint.message_version,
        "captures_since": previous,
        "captures": {str(capture_id): seq for capture_id, seq in captures},
    }


def captures_of(doc: dict[str, Any]) -> list[tuple[int, int]]:
    """(capture id, entry number) of the captures a head lists, in order; a malformed list gives none.

    The list is not under the signature: it names what went missing, the signed head proves that
    entries did.
    """
    listed = doc.get("captures")
    if not isinstance(listed, dict):
        return []
    out = []
    for capture_id, seq in listed.items():
        try:
            out.append((int(capture_id), int(seq)))
        except (TypeError, ValueError):
            continue
    return sorted(out)


def _dump(doc: dict[str, Any]) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()


def latest_number(bureau_code: str, *, public) -> int:
    """The number of the latest head anchored in the store and signed by ``public`` (0: none, unreadable
    or not signed by the bureau's key — a planted record does not move the counter)."""
    try:
        data = get_records().read(f"{bureau_code}/{LATEST}")
        doc = json.loads(data) if data else None
    except Exception as exc:  # the store is consulted, not relied on: the database's counter goes on
        logger.error("evidence ledger %s: latest anchored head unreadable: %s", bureau_code, exc)
        return 0
    if doc is None or _valid(doc, bureau_code=bureau_code, public=public) is not None:
        return 0
    return int(doc["number"])


def anchor(checkpoint: LedgerCheckpoint) -> bool:
    """Write ``checkpoint``'s head to the application log and the store; True when the store has it.

    The checkpoint itself stands whatever happens here: a store that cannot be written is logged,
    ``verify`` reports the checkpoint as not anchored, and ``wangjian evidence checkpoint`` (hourly)
    writes it again.
    """
    doc = head_document(checkpoint)
    code = doc["bureau"]
    logger.info(
        "evidence ledger head %s checkpoint #%s: entry #%s hash %s time %s key %s signature %s",
        code,
        doc["number"],
        doc["seq"],
        doc["entry_hash"],
        doc["time"],
        doc["key_fingerprint"],
        doc["signature"],
    )
    records = get_records()
    data = _dump(doc)
    try:
        if not records.create(record_name(code, doc["number"]), data):
            logger.error(
                "evidence ledger %s: the store already holds another head numbered #%s (%s); kept it",
                code,
                doc["number"],
                records.describe(record_name(code, doc["number"])),
            )
            return False
        public = keys.load_public(checkpoint.bureau.evidence_key.public_key_pem)
        if latest_number(code, public=public) < doc["number"]:
            records.replace(f"{code}/{LATEST}", data)
    except (
        Exception
    ) as exc:  # a storage backend's own errors (OSError, botocore …): logged, the hourly job retries
        logger.error(
            "evidence ledger %s: checkpoint #%s not anchored in the store: %s", code, doc["number"], exc
        )
        return False
    return True


def anchor_on_commit(checkpoint: LedgerCheckpoint) -> None:
    """Anchor once the checkpoint's transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: anchor(checkpoint))


def anchor_missing(bureau) -> list[int]:
    """Anchor the bureau's checkpoints the store lacks (a store that was down); returns their numbers.

    Only checkpoints whose signature verifies are written: the store never takes a forged head.
    """
    from wangjian.evidence.models import BureauKey

    key_row = BureauKey.objects.filter(bureau=bureau).first()
    if key_row is None:
        return []
    public = keys.load_public(key_row.public_key_pem)
    try:
        present = set(get_records().names(bureau.code))
    except Exception as exc:
        logger.error("evidence ledger %s: anchored heads unreadable: %s", bureau.code, exc)
        return []
    written = []
    for cp in LedgerCheckpoint.objects.filter(bureau=bureau).select_related("bureau").order_by("number"):
        if record_name(bureau.code, cp.number).split("/", 1)[1] in present:
            continue
        if keys.verify_signed(cp.algorithm, public, checkpoint_message(cp), cp.signature) and anchor(cp):
            written.append(cp.number)
    return written


@dataclass
class Anchored:
    """What the store holds for one bureau: the valid heads by number, the latest head, and what is wrong."""

    heads: dict[int, dict[str, Any]] = field(default_factory=dict)
    latest: dict[str, Any] | None = None
    invalid: list[tuple[str, str, str]] = field(default_factory=list)  # (record, zh, en)
    unreadable: str = ""

    @property
    def top(self) -> dict[str, Any] | None:
        """The newest head the store vouches for (latest.json, or a newer record beside it)."""
        candidates = list(self.heads.values()) + ([self.latest] if self.latest else [])
        return max(candidates, key=lambda d: d["number"]) if candidates else None


def _valid(doc: Any, *, bureau_code: str, public) -> tuple[str, str] | None:
    """None when ``doc`` is a head of this bureau signed by its key; else why not (zh, en)."""
    try:
        if doc.get("format") != FORMAT or doc.get("bureau") != bureau_code:
            return "不是本局的台账检查点记录", "not a ledger head of this bureau"
        message = signed_message(
            bureau_code=bureau_code,
            number=int(doc["number"]),
            seq=int(doc["seq"]),
            entry_hash=str(doc["entry_hash"]),
            time_iso=str(doc["time"]),
            version=int(doc.get("message_version", 2)),
        )
    except (AttributeError, KeyError, TypeError, ValueError):
        return "记录格式无效", "malformed record"
    if public is None:
        return None  # no public key to check with; verify reports the missing key itself
    if not keys.verify_signed(doc.get("algorithm"), public, message, str(doc.get("signature", ""))):
        return "签名无效", "signature invalid"
    return None


def read(bureau_code: str, *, public) -> Anchored:
    """The heads anchored in the store for ``bureau_code``, each checked against ``public`` (Ed25519)."""
    result = Anchored()
    records = get_records()
    try:
        names = records.names(bureau_code)
        for name in names:
            full = f"{bureau_code}/{name}"
            if not (name == LATEST or (name.startswith("checkpoint-") and name.endswith(".json"))):
                continue
            try:
                doc = json.loads(records.read(full) or b"null")
            except ValueError:
                doc = None
            why = _valid(doc, bureau_code=bureau_code, public=public)
            if why is not None:
                result.invalid.append((records.describe(full), *why))
                continue
            if name == LATEST:
                result.latest = doc
            elif record_name(bureau_code, int(doc["number"])) != full:
                result.invalid.append(
                    (records.describe(full), "记录名与编号不符", "name differs from its number")
                )
            else:
                result.heads[int(doc["number"])] = doc
    except Exception as exc:  # a store that cannot be listed is reported, not mistaken for an empty one
        result.unreadable = f"{records.describe(bureau_code)}: {exc}"
    return result


def bureau_codes() -> list[str]:
    """The bureaus with heads anchored in the store (a ledger wholly deleted from the database still shows)."""
    try:
        return get_records().folders()
    except Exception as exc:
        logger.error("evidence ledger heads unreadable: %s", exc)
        return []
