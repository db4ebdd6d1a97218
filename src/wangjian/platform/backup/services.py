"""``backup_create`` and ``backup_restore``: one archive holding everything an instance needs to come back.

A backup is taken while the instance runs: the database in one snapshot first, then the store's
objects and the keys. An object written after the snapshot (a capture's files, a checkpoint's
anchored head) may be in the backup without its rows; the manifest says so when the counts moved
while the backup ran, and a restore's verification names what does not match. Back up when the
instance is quiet (at night), and keep the store itself where the database's administrators
cannot delete (it is the evidence's second copy, not the backup's).

A restore checks the whole archive before it touches anything, refuses a database that holds rows
(``--force`` replaces it), never overwrites a stored object or a key that differs unless forced
(a forced key is kept beside the new one, never deleted), and ends with the apps' checks —
``wangjian evidence verify --all`` among them.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

import wangjian
from wangjian import config
from wangjian.core.errors import WangjianError
from wangjian.platform.backup import archive, database, files, parts

SECRET_KEY_MEMBER = "home/secret_key"


@dataclass
class BackupResult:
    path: Path
    manifest_sha256: str
    manifest: dict[str, Any]
    archive_bytes: int

    @property
    def counts(self) -> dict[str, int]:
        return self.manifest["counts"]

    @property
    def files(self) -> int:
        return len(self.manifest["members"])

    @property
    def bytes(self) -> int:
        return sum(m["size"] for m in self.manifest["members"])

    @property
    def changed(self) -> dict[str, list[int]]:
        return self.manifest.get("changed_during_backup", {})


def _temporary() -> Path:
    where = Path(settings.HOME) / "tmp"
    where.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=where, prefix="backup-"))


def backup_path(dest: Path, *, now: dt.datetime | None = None) -> Path:
    """``dest`` itself, or inside a folder ``wangjian-backup-<local time>.tar.gz``; an existing file is refused."""
    if dest.is_dir():
        stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
        dest = dest / f"wangjian-backup-{stamp}.tar.gz"
    archive.compressed(dest)
    inside = [Path(settings.WANGJIAN_STORAGE)] if files.kind() == "local" else []
    for root in inside + [folder.locate() for folder in parts.folders()]:
        if dest.resolve().is_relative_to(root.resolve()):
            raise WangjianError(
                f"备份不能写在被备份的目录中：{dest}（{root}）",
                f"the backup cannot be written inside a folder it backs up: {dest} ({root})",
                code="backup",
            )
    if dest.exists():
        raise WangjianError(
            f"备份文件已存在，不会覆盖：{dest}",
            f"the backup file exists and is not overwritten: {dest}",
            code="backup",
        )
    if not dest.parent.is_dir():
        raise WangjianError(f"目录不存在：{dest.parent}", f"no such folder: {dest.parent}", code="backup")
    return dest


def backup_create(*, dest: Path, portable: bool = False, now: dt.datetime | None = None) -> BackupResult:
    """Write one archive holding the database (in one snapshot), the store's objects, the keys and a manifest."""
    path = backup_path(dest, now=now)
    work = _temporary()
    writer = archive.ArchiveWriter(path)
    try:
        dump = database.dump(work, portable=portable)
        area = {"database": 1}
        with dump.path.open("rb") as fh:
            writer.add(dump.member, dump.path.stat().st_size, fh, mode=0o600)
        dump.path.unlink()
        for folder in parts.folders():
            area[folder.name] = 0
            for src in files.folder_files(folder.locate()):
                writer.add(f"{folder.name}/{src.name}", src.size, src.open(), mode=0o600)
                area[folder.name] += 1
        secret = config.home() / "secret_key"
        if secret.is_file():
            with secret.open("rb") as fh:
                writer.add(SECRET_KEY_MEMBER, secret.stat().st_size, fh, mode=0o600)
            area["home"] = 1
        area["storage"] = 0
        for src in files.store_objects():
            writer.add(f"storage/{src.name}", src.size, src.open(), mode=src.mode)
            area["storage"] += 1
        after, _ = database.current_state()
        manifest = {
            "format": archive.FORMAT,
            "wangjian_version": wangjian.__version__,
            "created_at": timezone.localtime(now or timezone.now()).isoformat(),
            "database": {
                "engine": dump.engine,
                "format": dump.format,
                "member": dump.member,
                "note": dump.note,
            },
            "migrations": dump.migrations,
            "storage": {"kind": files.kind(), "location": str(settings.WANGJIAN_STORAGE)},
            "counts": dump.counts,
            "count_labels": {c.key: [c.zh, c.en] for c in parts.counts()},
            "areas": area,
            "members": writer.members,
        }
        changed = {k: [v, after[k]] for k, v in dump.counts.items() if after.get(k) != v}
        if changed:
            manifest["changed_during_backup"] = changed
        digest = writer.finish(manifest)
    except BaseException:
        writer.abandon()
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BackupResult(path, digest, manifest, path.stat().st_size)


# ---------------------------------------------------------------- restore


@dataclass
class RestoreResult:
    checked: archive.Checked
    counts: dict[str, int] = field(default_factory=dict)
    written: int = 0  # store objects written
    present: int = 0  # store objects already there, the same bytes
    left: int = 0  # store objects not in the backup, left as they were
    replaced: list[str] = field(default_factory=list)  # forced: objects and keys that differed
    private_files: int = 0
    migrated: int = 0
    differences: list[str] = field(default_factory=list)  # counts not as the manifest says
    outcomes: list[tuple[parts.Check, parts.CheckOutcome]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences and all(outcome.ok for _, outcome in self.outcomes)


@dataclass
class _Plan:
    store: dict[str, str] = field(default_factory=dict)  # member -> name in the store, to write
    private: dict[str, Path] = field(default_factory=dict)  # member -> file on this machine, to write
    keep_aside: set[str] = field(default_factory=set)  # members whose older file is kept beside
    conflicts: list[str] = field(default_factory=list)
    present: int = 0
    left: int = 0


def _plan(checked: archive.Checked, writer: files.StoreWriter, *, force: bool) -> _Plan:
    """What to write where, what is already there, and what differs (refused unless forced)."""
    plan = _Plan()
    folders = {f.name: f for f in parts.folders()}
    targets: set[str] = set()
    for name, member in sorted(checked.members.items()):
        top, _, rest = name.partition("/")
        if top == "database":
            continue
        if top == "storage":
            target = parts.placed(rest, writer.kind)
            targets.add(target)
            found = writer.existing(target)
            if found is None:
                plan.store[name] = target
            elif found == member["sha256"]:
                plan.present += 1
            else:
                plan.conflicts.append(f"{writer.where}/{target}")
                plan.store[name] = target
                plan.keep_aside.add(name)
            continue
        if name == SECRET_KEY_MEMBER:
            # ``wangjian`` makes a secret key when it starts in a new home: the backup's replaces it (the
            # sessions it signed are the backup's too).
            path = config.home() / "secret_key"
            if files.existing_digest(path) != member["sha256"]:
                plan.private[name] = path
            continue
        folder = folders.get(top)
        if folder is None:
            raise WangjianError(
                f"备份中有本版本不认识的文件夹：{top}（由 wangjian {checked.manifest.get('wangjian_version')} 备份）",
                f"the backup holds a folder this version does not know: {top} "
                f"(backed up by wangjian {checked.manifest.get('wangjian_version')})",
                code="backup",
            )
        path = folder.locate() / files.safe_name(rest)
        found = files.existing_digest(path)
        if found == member["sha256"]:
            continue
        plan.private[name] = path
        if found is not None:
            plan.conflicts.append(str(path))
            plan.keep_aside.add(name)
    if not force and plan.conflicts:
        shown = "、".join(plan.conflicts[:5]) + ("…" if len(plan.conflicts) > 5 else "")
        raise WangjianError(
            f"目标中已有与备份不同的文件，未恢复任何内容（确需替换请加 --force，原文件改名保留在旁）：{shown}",
            f"files at the destination differ from the backup; nothing was restored (use --force to replace "
            f"them; each replaced file is kept beside the new one): {shown}",
            code="backup_conflict",
            detail=plan.conflicts,
        )
    plan.left = sum(1 for src in files.store_objects(writer.where) if src.name not in targets)
    return plan


def _apply(checked: archive.Checked, plan: _Plan, writer: files.StoreWriter) -> tuple[int, int]:
    """Write the planned files (each read again and checked as it goes); (store objects, private files)."""
    aside = "before-restore-" + timezone.localtime().strftime("%Y%m%d-%H%M%S")
    written = private = 0
    for name, fh, mode in archive.members(checked, set(plan.store) | set(plan.private)):
        if name in plan.store:
            if name in plan.keep_aside:
                writer.keep_aside(plan.store[name], aside)
            writer.write(plan.store[name], fh, mode=mode)
            written += 1
        else:
            files.write_private(plan.private[name], fh, keep_as=aside if name in plan.keep_aside else "")
            private += 1
    return written, private


def backup_restore(*, src: Path, force: bool = False, manifest_sha256: str = "") -> RestoreResult:
    """Check the whole backup, then restore keys, stored objects and the database, then run the apps' checks."""
    work = _temporary()
    try:
        checked = archive.check(
            src,
            keep=lambda name: work / name.rpartition("/")[2] if name.startswith("database/") else None,
            expected_manifest_sha256=manifest_sha256,
        )
        manifest = checked.manifest
        db = manifest["database"]
        if db.get("member") not in checked.members:
            raise WangjianError(
                f"备份清单中没有数据库：{src}",
                f"the backup's manifest lists no database: {src}",
                code="backup_damaged",
            )
        database.restorable(db["format"], db["engine"])
        newer = database.unknown_migrations(manifest.get("migrations", {}))
        if newer:
            raise WangjianError(
                f"备份由更新的版本（wangjian {manifest.get('wangjian_version')}）做出，本版本不认识其迁移："
                f"{'、'.join(newer[:5])}；请用该版本恢复",
                f"the backup was made by a newer version (wangjian {manifest.get('wangjian_version')}) whose "
                f"migrations this one does not know: {', '.join(newer[:5])}; restore with that version",
                code="backup_version",
            )
        holding = database.tables_with_rows()
        if holding and not force:
            raise WangjianError(
                f"数据库不是空的（{'、'.join(holding[:5])} 等 {len(holding)} 张表有数据），未恢复任何内容；"
                "确需以备份替换现有数据请加 --force",
                f"the database is not empty ({', '.join(holding[:5])} and {len(holding)} tables in all hold "
                "rows); nothing was restored; use --force to replace its data with the backup's",
                code="backup_not_empty",
            )
        writer = files.StoreWriter()
        plan = _plan(checked, writer, force=force)
        result = RestoreResult(checked, present=plan.present, left=plan.left, replaced=plan.conflicts)
        result.written, result.private_files = _apply(checked, plan, writer)
        result.migrated = database.restore(
            db["format"], work / db["member"].rpartition("/")[2], manifest.get("migrations", {})
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result.counts, _ = database.current_state()
    for key, expected in manifest.get("counts", {}).items():
        if result.counts.get(key) != expected:
            result.differences.append(
                f"{key}: 备份 backup {expected}, 恢复后 restored {result.counts.get(key)}"
            )
    for check in parts.checks():
        try:
            outcome = check.run()
        except Exception as exc:  # a check that cannot run is a failed check, reported with the rest
            outcome = parts.CheckOutcome(ok=False, problems=[f"{type(exc).__name__}: {exc}"])
        result.outcomes.append((check, outcome))
    return result


def counts_line(counts: dict[str, int], labels: dict[str, Any] | None = None) -> str:
    """``取证记录 / captures 3；台账条目 / ledger entries 7；…`` in registration order."""
    names = {c.key: (c.zh, c.en) for c in parts.counts()}
    names.update({k: tuple(v) for k, v in (labels or {}).items() if k not in names})
    return "；".join(f"{names.get(k, (k, k))[0]} / {names.get(k, (k, k))[1]} {v}" for k, v in counts.items())
