"""Backups (``wangjian backup``) and restores (``wangjian restore``) of a whole instance.

One archive holds the database (SQLite's online backup, ``pg_dump``, or Django's JSON), every
object of ``WANGJIAN_STORAGE`` (evidence files, the ledger heads anchored beside them, clue and
notice attachments, uploads waiting for import), the folders the apps register (the evidence
signing keys), the instance's secret key, and a manifest listing every member with its SHA-256
and size, the version, the applied migrations, the counts the apps register and the time; the
manifest's own SHA-256 is printed and stored beside it. The apps say what to count, what to check
after a restore and which folders to copy (``parts``); the platform knows no app.
"""

from __future__ import annotations

from wangjian.platform.backup.parts import (
    CheckOutcome,
    register_check,
    register_count,
    register_folder,
    register_placement,
)
from wangjian.platform.backup.services import (
    BackupResult,
    RestoreResult,
    backup_create,
    backup_restore,
    counts_line,
)

__all__ = [
    "BackupResult",
    "CheckOutcome",
    "RestoreResult",
    "backup_create",
    "backup_restore",
    "counts_line",
    "register_check",
    "register_count",
    "register_folder",
    "register_placement",
]
