"""What the apps add to a backup: counts to print, checks to run after a restore, folders, layouts.

The platform writes and restores the database and every object of ``WANGJIAN_STORAGE`` without
knowing what they mean; an app that knows says so in its ``AppConfig.ready``::

    backup.register_count("captures", "取证记录", "captures", model="evidence.EvidenceCapture")
    backup.register_check("evidence", "电子数据校验", "evidence verify", evidence_backup.verify)
    backup.register_folder("keys", "签名私钥", "signing keys", keys.key_dir)
    backup.register_placement("evidence/sha256/", evidence_backup.blob_placement)

A count is the rows of one model's table, read inside the database dump's own snapshot, so the
manifest's numbers are those of the dump and a restore can be compared with them. A check runs
after a restore (the evidence app's is ``wangjian evidence verify --all``). A folder is copied
whole, its files restored readable by the owner only. A placement says where an object of the
store goes in the other kind of store (a local folder and a bucket may lay an area out
differently).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps

from wangjian.core.errors import WangjianError

RESERVED = {"database", "storage", "home", "manifest.json", "manifest.json.sha256"}


@dataclass(frozen=True)
class Count:
    key: str
    zh: str
    en: str
    model: str  # "app_label.ModelName"

    def table(self) -> str:
        return apps.get_model(self.model)._meta.db_table


@dataclass
class CheckOutcome:
    """What a check found: ``problems`` name each finding; ``summary`` is one line of what was checked."""

    ok: bool
    summary: str = ""
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Check:
    key: str
    zh: str
    en: str
    run: Callable[[], CheckOutcome]


@dataclass(frozen=True)
class Folder:
    name: str  # the folder's name inside the backup
    zh: str
    en: str
    locate: Callable[[], Path]


@dataclass(frozen=True)
class Placement:
    prefix: str  # the area of the store, e.g. "evidence/sha256/"
    place: Callable[[str, str], str]  # (name in the store, kind "local" | "s3") -> its name in that kind


_COUNTS: dict[str, Count] = {}
_CHECKS: dict[str, Check] = {}
_FOLDERS: dict[str, Folder] = {}
_PLACEMENTS: dict[str, Placement] = {}


def register_count(key: str, zh: str, en: str, *, model: str) -> None:
    """Count the rows of ``model`` in every backup and restore (printed, kept in the manifest, compared)."""
    _COUNTS[key] = Count(key, zh, en, model)


def register_check(key: str, zh: str, en: str, run: Callable[[], CheckOutcome]) -> None:
    """Run ``run()`` after every restore; a finding makes the restore fail (exit 1)."""
    _CHECKS[key] = Check(key, zh, en, run)


def register_folder(name: str, zh: str, en: str, locate: Callable[[], Path]) -> None:
    """Copy the folder ``locate()`` names (private files: restored with mode 0600) into every backup."""
    if name in RESERVED or not name.isidentifier():
        raise WangjianError(
            f"备份中的文件夹名不可用：{name}", f"a backup folder cannot be named {name!r}", code="backup"
        )
    _FOLDERS[name] = Folder(name, zh, en, locate)


def register_placement(prefix: str, place: Callable[[str, str], str]) -> None:
    """Objects of the store whose name starts with ``prefix`` are put where ``place`` says on restore."""
    _PLACEMENTS[prefix] = Placement(prefix, place)


def counts() -> list[Count]:
    return list(_COUNTS.values())


def checks() -> list[Check]:
    return list(_CHECKS.values())


def folders() -> list[Folder]:
    return list(_FOLDERS.values())


def placed(name: str, kind: str) -> str:
    """``name`` (an object of the store, as the backup holds it) as the store of ``kind`` names it."""
    for prefix, placement in _PLACEMENTS.items():
        if name.startswith(prefix):
            return placement.place(name, kind)
    return name
