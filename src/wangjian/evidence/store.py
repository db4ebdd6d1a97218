"""The content-addressed, write-once evidence store.

A file is stored under its SHA-256 and never rewritten: writing the same bytes again is a
no-op, and nothing in wangjian opens a stored blob for writing. ``settings.WANGJIAN_STORAGE``
names the place: a local folder (blobs under ``evidence/sha256/ab/cd/<hash>``, read-only
on disk) or an ``s3://bucket/prefix`` URL of an S3-compatible object store (through
django-storages; endpoint and credentials from ``WANGJIAN_S3_ENDPOINT_URL``,
``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

from django.conf import settings

from wangjian.core.errors import WangjianError


class BlobStore(Protocol):
    def put(self, data: bytes) -> str: ...

    def get(self, sha256: str) -> bytes: ...

    def exists(self, sha256: str) -> bool: ...

    def remove(self, sha256: str) -> None: ...

    def describe(self, sha256: str) -> str: ...


class BlobMissing(WangjianError):
    code = "evidence_blob_missing"
    http_status = 404


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


def get_store(location: str | None = None) -> BlobStore:
    location = location or settings.WANGJIAN_STORAGE
    if str(location).startswith("s3://"):
        return S3BlobStore(str(location))
    return LocalBlobStore(location)
