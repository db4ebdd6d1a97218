"""The backup file: one tar archive (gzip-compressed when its name ends in ``.tar.gz`` or ``.tgz``).

::

    database/wangjian.sqlite3 | wangjian.pgdump | wangjian.json    the database (``database``)
    keys/…                                                         the folders the apps registered
    home/secret_key                                                the instance's secret key
    storage/…                                                      every object of WANGJIAN_STORAGE
    manifest.json                                                  every member above: name, SHA-256, size
    manifest.json.sha256                                           the manifest's SHA-256 (``sha256sum`` format)

The archive is written under ``<name>.partial`` (mode 0600: it holds the private keys) and renamed
when complete, so a backup that failed half-way never looks like one that succeeded. Reading it
checks every member against the manifest and the manifest against its hash before anything is
restored, and names each member that is missing, damaged or not listed.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO

from wangjian.core.errors import WangjianError
from wangjian.platform.backup.files import CHUNK, safe_name

FORMAT = "wangjian-backup/1"
MANIFEST = "manifest.json"
MANIFEST_HASH = "manifest.json.sha256"
SUFFIXES = {".tar": False, ".tar.gz": True, ".tgz": True}


def compressed(path: Path) -> bool:
    """Whether ``path`` names a gzip-compressed archive; a name with another ending is refused."""
    name = path.name.lower()
    for suffix, gz in SUFFIXES.items():
        if name.endswith(suffix):
            return gz
    raise WangjianError(
        f"备份文件名须以 .tar.gz、.tgz 或 .tar 结尾：{path}",
        f"the backup file's name must end in .tar.gz, .tgz or .tar: {path}",
        code="backup",
    )


class _Hashing(io.RawIOBase):
    """Reads through to ``fh`` while hashing and counting what passed."""

    def __init__(self, fh: IO[bytes]):
        self.fh = fh
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


class ArchiveWriter:
    """Adds members, each hashed as it is written; ``finish`` adds the manifest and renames into place."""

    def __init__(self, path: Path):
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        fd = os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self.fh = os.fdopen(fd, "wb")
        mode = "w:gz" if compressed(path) else "w"
        kwargs = {"compresslevel": 6} if mode == "w:gz" else {}
        self.tar = tarfile.open(fileobj=self.fh, mode=mode, format=tarfile.PAX_FORMAT, **kwargs)
        self.members: list[dict[str, Any]] = []
        self.mtime = int(time.time())

    def add(self, name: str, size: int, fh: IO[bytes], *, mode: int = 0o644) -> dict[str, Any]:
        info = tarfile.TarInfo(safe_name(name))
        info.size, info.mode, info.mtime = size, mode, self.mtime
        reader = _Hashing(fh)
        try:
            self.tar.addfile(info, reader)
        except OSError as exc:  # the file shrank while it was read
            raise WangjianError(
                f"备份时读取失败：{name}（{exc}）",
                f"reading {name} failed during the backup ({exc})",
                code="backup",
            ) from exc
        finally:
            close = getattr(fh, "close", None)
            if close:
                close()
        member = {"name": name, "sha256": reader.digest.hexdigest(), "size": reader.size}
        self.members.append(member)
        return member

    def add_bytes(self, name: str, data: bytes, *, mode: int = 0o644) -> None:
        info = tarfile.TarInfo(safe_name(name))
        info.size, info.mode, info.mtime = len(data), mode, self.mtime
        self.tar.addfile(info, io.BytesIO(data))

    def finish(self, manifest: dict[str, Any]) -> str:
        """Write the manifest and its hash, close, sync and rename; the manifest's SHA-256."""
        data = (json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
        digest = hashlib.sha256(data).hexdigest()
        self.add_bytes(MANIFEST, data)
        self.add_bytes(MANIFEST_HASH, f"{digest}  {MANIFEST}\n".encode())
        self.tar.close()
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        os.replace(self.partial, self.path)
        return digest

    def abandon(self) -> None:
        try:
            self.tar.close()
        except Exception:  # noqa: BLE001  (the partial file goes whatever state the tar is in)
            pass
        self.fh.close()
        self.partial.unlink(missing_ok=True)


@dataclass
class Checked:
    """A backup whose members all match its manifest."""

    path: Path
    manifest: dict[str, Any]
    manifest_sha256: str
    members: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def files(self) -> int:
        return len(self.members)

    @property
    def bytes(self) -> int:
        return sum(m["size"] for m in self.members.values())


def _damaged(path: Path, problems: list[str]) -> WangjianError:
    shown = "；".join(problems[:5]) + ("…" if len(problems) > 5 else "")
    return WangjianError(
        f"备份已损坏，未恢复任何内容：{path}：{shown}",
        f"the backup is damaged; nothing was restored: {path}: {shown}",
        code="backup_damaged",
        detail=problems,
    )


def _members(tar: tarfile.TarFile) -> Iterator[tuple[tarfile.TarInfo, IO[bytes] | None]]:
    for info in tar:
        yield info, (tar.extractfile(info) if info.isfile() else None)


def check(
    path: Path, *, keep: Callable[[str], Path | None] | None = None, expected_manifest_sha256: str = ""
) -> Checked:
    """Read the whole archive, hashing each member, and compare with the manifest; refuse naming what differs.

    ``keep(name)`` names a file to copy a member into while it is checked (the database dump), or None.
    """
    if not path.is_file():
        raise WangjianError(f"没有这个备份文件：{path}", f"no such backup file: {path}", code="backup")
    seen: dict[str, tuple[str, int]] = {}
    problems: list[str] = []
    manifest_bytes = manifest_hash = None
    current = ""
    try:
        with tarfile.open(path, "r:*") as tar:
            for info, fh in _members(tar):
                current = info.name
                try:
                    safe_name(info.name)
                except WangjianError:
                    problems.append(f"{info.name}: 不安全的成员名 / unsafe member name")
                    continue
                if fh is None:
                    if not info.isdir():
                        problems.append(f"{info.name}: 不是普通文件 / not a regular file")
                    continue
                if info.name in seen:
                    problems.append(f"{info.name}: 重复的成员 / member appears twice")
                if info.name in (MANIFEST, MANIFEST_HASH):
                    data = fh.read(16 * 1024 * 1024 + 1)
                    if info.name == MANIFEST:
                        manifest_bytes = data
                    else:
                        manifest_hash = data
                    continue
                seen[info.name] = _hash_member(fh, keep(info.name) if keep else None)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        where = f"（读到 {current}）" if current else ""
        where_en = f" (while reading {current})" if current else ""
        raise _damaged(
            path, [f"归档无法读完{where} / the archive cannot be read to its end{where_en}: {exc}"]
        ) from exc
    manifest = _manifest(path, manifest_bytes, manifest_hash, expected_manifest_sha256, problems)
    listed = {m["name"]: m for m in manifest.get("members", [])}
    for name, member in listed.items():
        if name not in seen:
            problems.append(f"{name}: 缺失 / missing")
        elif seen[name] != (member["sha256"], member["size"]):
            problems.append(
                f"{name}: SHA-256 或大小与清单不符 / SHA-256 or size differs from the manifest "
                f"({seen[name][1]} bytes, {seen[name][0][:16]}…; manifest {member['size']} bytes, "
                f"{member['sha256'][:16]}…)"
            )
    for name in sorted(set(seen) - set(listed)):
        problems.append(f"{name}: 不在清单中 / not in the manifest")
    if problems:
        raise _damaged(path, problems)
    return Checked(path, manifest, hashlib.sha256(manifest_bytes).hexdigest(), listed)


def _hash_member(fh: IO[bytes], copy_to: Path | None) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    out = copy_to.open("wb") if copy_to else None
    try:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if out:
                out.write(chunk)
    finally:
        if out:
            out.close()
    return digest.hexdigest(), size


def _manifest(
    path: Path, data: bytes | None, hash_line: bytes | None, expected: str, problems: list[str]
) -> dict[str, Any]:
    if data is None:
        raise _damaged(path, problems + [f"{MANIFEST}: 缺失 / missing"])
    digest = hashlib.sha256(data).hexdigest()
    recorded = (hash_line or b"").decode("ascii", "replace").split()[:1]
    if not recorded:
        raise _damaged(path, problems + [f"{MANIFEST_HASH}: 缺失 / missing"])
    if recorded[0] != digest:
        raise _damaged(
            path, problems + [f"{MANIFEST}: SHA-256 与 {MANIFEST_HASH} 不符 / differs from {MANIFEST_HASH}"]
        )
    if expected and expected.lower() != digest:
        raise _damaged(
            path,
            problems
            + [
                f"{MANIFEST}: SHA-256 {digest} 不是备份时记录的 {expected} / is not the one recorded at backup time"
            ],
        )
    try:
        manifest = json.loads(data)
    except ValueError as exc:
        raise _damaged(path, problems + [f"{MANIFEST}: 无法解析 / unreadable ({exc})"]) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _damaged(path, problems + [f"{MANIFEST}: 不是 {FORMAT} 格式 / not {FORMAT}"])
    return manifest


class _Verifying(io.RawIOBase):
    """A member read again after ``check``: at its end it must still hash as the manifest says."""

    def __init__(self, fh: IO[bytes], member: dict[str, Any]):
        self.fh, self.member = fh, member
        self.digest, self.size = hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(n)
        self.digest.update(data)
        self.size += len(data)
        if not data and (self.digest.hexdigest(), self.size) != (self.member["sha256"], self.member["size"]):
            name = self.member["name"]
            raise WangjianError(
                f"备份文件在恢复过程中被改动：{name}",
                f"the backup changed while it was restored: {name}",
                code="backup_damaged",
            )
        return data


def members(checked: Checked, names: set[str]) -> Iterator[tuple[str, BinaryIO, int]]:
    """The members named (in archive order): name, stream (checked again against the manifest as it is
    read) and mode."""
    with tarfile.open(checked.path, "r:*") as tar:
        for info in tar:
            if info.isfile() and info.name in names:
                fh = tar.extractfile(info)
                if fh is not None:
                    yield info.name, _Verifying(fh, checked.members[info.name]), info.mode
