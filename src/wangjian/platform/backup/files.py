"""The files of a backup: every object of ``WANGJIAN_STORAGE`` (a local folder or a bucket) and the
folders the apps registered (the signing keys), read and written as streams.

Nothing here knows what an object is: evidence blobs, the ledger heads anchored beside them, clue
attachments, notices' attachments and uploads waiting for import are all copied by name. Where
the two kinds of store lay an area out differently, the owning app's placement says where an
object goes (``parts.register_placement``).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from wangjian.core import storage
from wangjian.core.errors import WangjianError

CHUNK = 1 << 20
TEMPORARY = ".incoming-"  # a file being written by the store (evidence.store, a restore)


@dataclass(frozen=True)
class Source:
    """One file to put into the backup: its name there, size, mode, and how to read it."""

    name: str
    size: int
    mode: int
    open: Callable[[], BinaryIO]


def safe_name(name: str) -> str:
    """``name`` if it is a relative path without ``..``, empty parts or control characters; else refused."""
    if (
        not name
        or "\\" in name
        or any(p in ("", ".", "..") for p in name.split("/"))
        or any(ord(c) < 32 for c in name)
    ):
        raise WangjianError(f"不安全的文件名：{name!r}", f"unsafe file name: {name!r}", code="backup")
    return name


def sha256_of(fh: BinaryIO) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := fh.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


# ---------------------------------------------------------------- the store


def kind(where: str | None = None) -> str:
    return "s3" if storage.is_s3(where) else "local"


def _bucket(where: str):
    """The boto3 bucket of an ``s3://`` location, with the endpoint and keys the store uses."""
    return storage.area("backup", where).bucket


def _s3_root(where: str) -> str:
    _, prefix = storage.s3_parts(where)
    return f"{prefix}/" if prefix else ""


def store_objects(where: str | None = None) -> Iterator[Source]:
    """Every object of the store, by its name relative to the store's root, in name order."""
    where = where if where is not None else storage.location()
    if kind(where) == "s3":
        bucket, root = _bucket(where), _s3_root(where)
        for obj in sorted(bucket.objects.filter(Prefix=root), key=lambda o: o.key):
            name = obj.key[len(root) :]
            if not name or name.endswith("/"):
                continue
            yield Source(name, obj.size, 0o644, lambda key=obj.key: bucket.Object(key).get()["Body"])
        return
    root = Path(where)
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for file in sorted(files):
            if file.startswith(TEMPORARY):
                continue
            path = Path(folder) / file
            stat = path.stat()
            yield Source(
                path.relative_to(root).as_posix(),
                stat.st_size,
                stat.st_mode & 0o777,
                lambda p=path: p.open("rb"),
            )


def store_has_objects(where: str | None = None) -> bool:
    return next(iter(store_objects(where)), None) is not None


class StoreWriter:
    """Puts objects into the store (``WANGJIAN_STORAGE``) by name: ``existing`` tells what is there."""

    def __init__(self, where: str | None = None):
        self.where = where if where is not None else storage.location()
        self.kind = kind(self.where)
        if self.kind == "s3":
            self.bucket, self.root = _bucket(self.where), _s3_root(self.where)
        else:
            self.path_root = Path(self.where)

    def existing(self, name: str) -> str | None:
        """The SHA-256 of the object stored under ``name``, or None when there is none."""
        safe_name(name)
        if self.kind == "s3":
            from botocore.exceptions import ClientError

            try:
                body = self.bucket.Object(self.root + name).get()["Body"]
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                    return None
                raise
            return sha256_of(body)[0]
        path = self.path_root / name
        if not path.is_file():
            return None
        with path.open("rb") as fh:
            return sha256_of(fh)[0]

    def keep_aside(self, name: str, suffix: str) -> None:
        """Move the object ``name`` to ``name.<suffix>`` (a forced restore never deletes what it replaces)."""
        safe_name(name)
        if self.kind == "s3":
            key = self.root + name
            self.bucket.Object(f"{key}.{suffix}").copy_from(
                CopySource={"Bucket": self.bucket.name, "Key": key}
            )
            self.bucket.Object(key).delete()
            return
        path = self.path_root / name
        os.replace(path, path.with_name(f"{path.name}.{suffix}"))

    def write(self, name: str, fh: BinaryIO, *, mode: int = 0o644) -> None:
        """Write ``fh``'s bytes under ``name`` (a local file atomically, keeping ``mode``: blobs stay read-only)."""
        safe_name(name)
        if self.kind == "s3":
            self.bucket.Object(self.root + name).upload_fileobj(fh)
            return
        write_file(self.path_root / name, fh, mode=mode & 0o666 or 0o644)


def write_file(target: Path, fh: BinaryIO, *, mode: int) -> None:
    """Write ``target`` atomically (a temporary file beside it, synced, then renamed over)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=TEMPORARY)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := fh.read(CHUNK):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------- folders on this machine (keys, secret key)


def folder_files(root: Path) -> Iterator[Source]:
    """The files of a folder (its sub-folders too), by name relative to it."""
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for file in sorted(files):
            if file.startswith(TEMPORARY):
                continue
            path = Path(folder) / file
            if not path.is_file():
                continue
            yield Source(
                path.relative_to(root).as_posix(), path.stat().st_size, 0o600, lambda p=path: p.open("rb")
            )


def existing_digest(path: Path) -> str | None:
    if not path.is_file():
        return None
    with path.open("rb") as fh:
        return sha256_of(fh)[0]


def write_private(target: Path, fh: BinaryIO, *, keep_as: str = "") -> None:
    """Write a private file (mode 0600, its folder 0700); an older file differing from it is kept as ``keep_as``."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if keep_as and target.exists():
        os.replace(target, target.with_name(f"{target.name}.{keep_as}"))
    write_file(target, fh, mode=0o600)
