"""The content-addressed, write-once evidence store.

A file is stored under its SHA-256 and never rewritten: writing the same bytes again is a
no-op, and nothing in wangjian opens a stored blob for writing. ``settings.WANGJIAN_STORAGE``
names the place: a local folder (blobs under ``evidence/sha256/ab/cd/<hash>``, read-only
on disk) or an ``s3://bucket/prefix`` URL of an S3-compatible object store (through
django-storages; endpoint and credentials from ``WANGJIAN_S3_ENDPOINT_URL``,
``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``).

Beside the blobs the same place keeps a few named records (``RecordStore``, under
``evidence/ledger-heads/``): the ledger's checkpoint heads anchored outside the database
(``wangjian.evidence.anchors``). A record is created once and never rewritten, except the one
"latest" record per bureau, which is replaced as a whole.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings

from wangjian.core.errors import WangjianError

CHUNK = 1024 * 1024


class BlobStore(Protocol):
    def put(self, data: bytes) -> str: ...

    def put_file(self, fileobj: Any) -> tuple[str, int]: ...

    def get(self, sha256: str) -> bytes: ...

    def exists(self, sha256: str) -> bool: ...

    def remove(self, sha256: str) -> None: ...

    def describe(self, sha256: str) -> str: ...


class BlobMissing(WangjianError):
    code = "evidence_blob_missing"
    http_status = 404


def _chunks(fileobj: Any):
    if hasattr(fileobj, "chunks"):  # a Django upload
        yield from fileobj.chunks(CHUNK)
        return
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)
    while chunk := fileobj.read(CHUNK):
        yield chunk


def _check_hash(sha256: str) -> str:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise WangjianError("无效的SHA-256值", "invalid SHA-256 value", detail=sha256)
    return sha256


class LocalBlobStore:
    """Blobs in a local folder, written atomically and made read-only."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root) / "evidence" / "sha256"

    def path(self, sha256: str) -> Path:
        _check_hash(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o444)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def put_file(self, fileobj: Any) -> tuple[str, int]:
        """Store an uploaded file read in chunks (a video need not fit in memory): its SHA-256 and size."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        digest, size = hashlib.sha256(), 0
        try:
            with os.fdopen(fd, "wb") as fh:
                for chunk in _chunks(fileobj):
                    digest.update(chunk)
                    size += len(chunk)
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
            target = self.path(digest.hexdigest())
            if target.exists():
                Path(tmp).unlink(missing_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.chmod(tmp, 0o444)
                os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest.hexdigest(), size

    def get(self, sha256: str) -> bytes:
        target = self.path(sha256)
        try:
            return target.read_bytes()
        except FileNotFoundError:
            raise BlobMissing(
                f"证据文件缺失：{sha256}", f"evidence blob missing: {sha256}", detail=str(target)
            ) from None

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    def remove(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)

    def describe(self, sha256: str) -> str:
        return str(self.path(sha256))


class S3BlobStore:
    """Blobs in an S3-compatible bucket (object lock / versioning are the bucket owner's to enable)."""

    def __init__(self, url: str):
        from wangjian.core import storage

        self.bucket, prefix = storage.s3_parts(url)
        self.area = f"{prefix}/evidence/sha256" if prefix else "evidence/sha256"
        self.storage = storage.area("evidence/sha256", url)

    def key(self, sha256: str) -> str:
        """The object's name inside the store's area (``ab/<hash>``)."""
        _check_hash(sha256)
        return f"{sha256[:2]}/{sha256}"

    def put(self, data: bytes) -> str:
        from django.core.files.base import ContentFile

        digest = hashlib.sha256(data).hexdigest()
        if not self.storage.exists(self.key(digest)):
            self.storage.save(self.key(digest), ContentFile(data))
        return digest

    def put_file(self, fileobj: Any) -> tuple[str, int]:
        """Hash the upload in chunks, then store it under its hash (streamed by the storage backend)."""
        from django.core.files import File

        digest, size = hashlib.sha256(), 0
        for chunk in _chunks(fileobj):
            digest.update(chunk)
            size += len(chunk)
        fileobj.seek(0)
        key = self.key(digest.hexdigest())
        if not self.storage.exists(key):
            self.storage.save(key, File(fileobj))
        return digest.hexdigest(), size

    def get(self, sha256: str) -> bytes:
        try:
            with self.storage.open(self.key(sha256), "rb") as fh:
                return fh.read()
        except FileNotFoundError:
            raise BlobMissing(f"证据文件缺失：{sha256}", f"evidence blob missing: {sha256}") from None

    def exists(self, sha256: str) -> bool:
        return self.storage.exists(self.key(sha256))

    def remove(self, sha256: str) -> None:
        self.storage.delete(self.key(sha256))

    def describe(self, sha256: str) -> str:
        return f"s3://{self.bucket}/{self.area}/{self.key(sha256)}"


class RecordStore(Protocol):
    def create(self, name: str, data: bytes) -> bool: ...

    def replace(self, name: str, data: bytes) -> None: ...

    def read(self, name: str) -> bytes | None: ...

    def names(self, folder: str) -> list[str]: ...

    def folders(self) -> list[str]: ...

    def describe(self, name: str) -> str: ...


RECORDS_AREA = "evidence/ledger-heads"


def _check_name(name: str) -> str:
    parts = name.split("/")
    if not parts or any(
        not p or p in (".", "..") or not all(c.isalnum() or c in "-_." for c in p) for p in parts
    ):
        raise WangjianError("无效的记录名", "invalid record name", detail=name)
    return name


class LocalRecordStore:
    """Records in a local folder: created with a hard link (never over an existing name), made read-only."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root) / RECORDS_AREA

    def path(self, name: str) -> Path:
        return self.root / _check_name(name)

    def _staged(self, target: Path, data: bytes) -> str:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o444)
        return tmp

    def create(self, name: str, data: bytes) -> bool:
        """Write ``name`` once; True when it now holds ``data``, False when it already held other bytes."""
        target = self.path(name)
        tmp = self._staged(target, data)
        try:
            os.link(tmp, target)  # atomic, and refuses an existing name
        except FileExistsError:
            return target.read_bytes() == data
        except OSError:  # a file system without hard links: an exclusive create refuses an existing name too
            try:
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
            except FileExistsError:
                return target.read_bytes() == data
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        finally:
            Path(tmp).unlink(missing_ok=True)
        return True

    def replace(self, name: str, data: bytes) -> None:
        target = self.path(name)
        tmp = self._staged(target, data)
        try:
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def read(self, name: str) -> bytes | None:
        try:
            return self.path(name).read_bytes()
        except FileNotFoundError:
            return None

    def names(self, folder: str) -> list[str]:
        try:
            return sorted(n for n in os.listdir(self.path(folder)) if not n.startswith("."))
        except (FileNotFoundError, NotADirectoryError):
            return []

    def folders(self) -> list[str]:
        try:
            return sorted(
                n for n in os.listdir(self.root) if not n.startswith(".") and (self.root / n).is_dir()
            )
        except FileNotFoundError:
            return []

    def describe(self, name: str) -> str:
        return str(self.path(name))


class S3RecordStore:
    """Records in an S3-compatible bucket (a write-once bucket policy or object lock is the owner's to set)."""

    def __init__(self, url: str):
        from wangjian.core import storage

        self.bucket, prefix = storage.s3_parts(url)
        self.area = f"{prefix}/{RECORDS_AREA}" if prefix else RECORDS_AREA
        self.storage = storage.area(RECORDS_AREA, url)

    def create(self, name: str, data: bytes) -> bool:
        from django.core.files.base import ContentFile

        _check_name(name)
        existing = self.read(name)
        if existing is not None:
            return existing == data
        self.storage.save(name, ContentFile(data))
        return True

    def replace(self, name: str, data: bytes) -> None:
        _check_name(name)
        self.storage.bucket.Object(f"{self.area}/{name}").put(Body=data)

    def read(self, name: str) -> bytes | None:
        _check_name(name)
        try:
            with self.storage.open(name, "rb") as fh:
                return fh.read()
        except FileNotFoundError:
            return None

    def names(self, folder: str) -> list[str]:
        _check_name(folder)
        return sorted(self.storage.listdir(folder)[1])

    def folders(self) -> list[str]:
        return sorted(self.storage.listdir("")[0])

    def describe(self, name: str) -> str:
        return f"s3://{self.bucket}/{self.area}/{name}"


def get_records(location: str | None = None) -> RecordStore:
    """The named records kept beside the blobs, in the same place (``WANGJIAN_STORAGE``)."""
    location = location or settings.WANGJIAN_STORAGE
    if str(location).startswith("s3://"):
        return S3RecordStore(str(location))
    return LocalRecordStore(location)


def get_store(location: str | None = None) -> BlobStore:
    location = location or settings.WANGJIAN_STORAGE
    if str(location).startswith("s3://"):
        return S3BlobStore(str(location))
    return LocalBlobStore(location)
