"""Where wangjian keeps files: ``WANGJIAN_STORAGE``, a local folder or ``s3://bucket/prefix``.

Each use has its own area (a sub-folder, or a key prefix in the bucket): ``evidence`` (the
content-addressed store, see ``wangjian.evidence.store``), ``clues`` (attachments) and
``registry-uploads`` (files between their upload and their import). With S3-compatible
storage every web process and every Celery worker, on any machine, sees the same files;
a local folder serves one machine (or a folder the machines share).

The setting is read at each use, not at start-up, so a process configured later (and each
test) finds the place it is given.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.utils.deconstruct import deconstructible


def location() -> str:
    return str(settings.WANGJIAN_STORAGE)


def is_s3(where: str | None = None) -> bool:
    return (where if where is not None else location()).startswith("s3://")


def s3_endpoint() -> str | None:
    """The S3-compatible endpoint (MinIO, a cloud's object store); None for AWS itself."""
    value = getattr(settings, "WANGJIAN_S3_ENDPOINT_URL", None) or os.environ.get("WANGJIAN_S3_ENDPOINT_URL")
    return value or None


def s3_parts(url: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix`` → (``bucket``, ``some/prefix``)."""
    bucket, _, prefix = url[len("s3://") :].partition("/")
    return bucket, prefix.strip("/")


def area(name: str, where: str | None = None) -> Storage:
    """The Django storage of one area of ``WANGJIAN_STORAGE`` (or of ``where``)."""
    where = where if where is not None else location()
    if is_s3(where):
        from storages.backends.s3 import S3Storage

        bucket, prefix = s3_parts(where)
        return S3Storage(
            bucket_name=bucket,
            location=f"{prefix}/{name}" if prefix else name,
            endpoint_url=s3_endpoint(),
            file_overwrite=False,
            default_acl=None,
        )
    return FileSystemStorage(location=os.path.abspath(os.path.join(where, name)))


@contextlib.contextmanager
def local_copy(store: Storage, name: str) -> Iterator[Path]:
    """A path on this machine holding the stored file, for readers that need one (openpyxl, csv).

    A local folder's file is read in place; an object is downloaded to a temporary file that
    is removed afterwards. ``FileNotFoundError`` when the file is not stored.
    """
    if not store.exists(name):
        raise FileNotFoundError(name)
    try:
        in_place = Path(store.path(name))
    except NotImplementedError:
        in_place = None  # no local path: an object store
    if in_place is not None:
        yield in_place
        return
    suffix = Path(name).suffix
    fd, temp = tempfile.mkstemp(prefix="wangjian-", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as out, store.open(name, "rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)
        yield Path(temp)
    finally:
        Path(temp).unlink(missing_ok=True)


@deconstructible(path="wangjian.core.storage.AreaStorage")
class AreaStorage(Storage):
    """A storage for a model's FileField that resolves its area at each call.

    Django builds a field's storage once, when the models load; this one asks
    ``WANGJIAN_STORAGE`` every time, so it follows the configuration (and test settings).
    """

    def __init__(self, name: str):
        self.name = name

    def _target(self) -> Storage:
        return area(self.name)

    def _open(self, name, mode="rb"):
        return self._target().open(name, mode)

    def _save(self, name, content):
        return self._target().save(name, content)

    def get_available_name(self, name, max_length=None):
        return self._target().get_available_name(name, max_length=max_length)

    def delete(self, name):
        self._target().delete(name)

    def exists(self, name):
        return self._target().exists(name)

    def listdir(self, path):
        return self._target().listdir(path)

    def size(self, name):
        return self._target().size(name)

    def url(self, name):
        return self._target().url(name)

    def path(self, name):
        return self._target().path(name)

    def get_modified_time(self, name):
        return self._target().get_modified_time(name)
