"""Imports started from a page or the API: the upload waits in storage, a worker (or a thread without a broker) runs it, housekeeping clears what was abandoned."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from wangjian.core import uploads as limits
from wangjian.core.background import dispatch
from wangjian.core.errors import ValidationFailed, WangjianError
from wangjian.org.models import Bureau
from wangjian.registry import importing
from wangjian.registry.choices import (
    ImportKind,
    ImportStatus,
)
from wangjian.registry.models import (
    ImportBatch,
    Platform,
)
from wangjian.registry.services.batches import _check_import_rights, _mapping, _new_batch, _refused_batch
from wangjian.registry.services.imports import registry_import
from wangjian.registry.services.permits import permits_import
from wangjian.registry.services.sellers import sellers_import

if TYPE_CHECKING:
    from django.core.files.storage import Storage

# ---------------------------------------------------------------------------------------------
# Imports started from the page: checked at once, run by a worker (or a thread), followed live

UPLOAD_KEEP = dt.timedelta(hours=24)  # an uploaded file not imported within a day is deleted
STALE_AFTER = dt.timedelta(minutes=30)  # a running import silent this long was interrupted


UPLOADS = "registry-uploads"  # the area of WANGJIAN_STORAGE where uploads wait for their import


def uploads() -> Storage:
    """The uploaded files waiting for import: in ``WANGJIAN_STORAGE``, so that a worker on another
    machine reads the file the page received (with S3; a local folder serves one machine)."""
    from wangjian.core import storage

    return storage.area(UPLOADS)


def upload_name(token: str, file_name: str) -> str:
    """The stored name of an upload: its random token (never the user's file name) and the type."""
    if not token.isalnum():
        raise ValidationFailed("上传编号无效", "invalid upload token")
    return f"{token}{'.xlsx' if file_name.lower().endswith('.xlsx') else '.csv'}"


def upload_keep(*, file: Any, file_name: str) -> str:
    """Keep an uploaded file until it is imported; returns its stored name (see ``upload_name``)."""
    import secrets

    name = upload_name(secrets.token_hex(16), file_name)
    return uploads().save(name, file)


def upload_receive(
    *,
    bureau: Bureau,
    kind: str,
    file: Any,
    file_name: str,
    user: Any,
    platform: Platform | None = None,
) -> str:
    """Receive a file for import (the upload page and the API): the right to import, the size cap
    (``WANGJIAN_IMPORT_MAX_BYTES``) and, for an XLSX, what its members declare uncompressed — all
    checked before the file is kept or parsed. Returns the stored name (``upload_keep``).

    A refused file is recorded as a failed batch with the reason, so the list of imports shows
    every file sent and why it was not read; the page and the API answer with the same error.
    """
    _check_import_rights(user, bureau, kind)
    refused = dict(bureau=bureau, kind=kind, file_name=file_name, user=user, platform=platform)
    try:
        limits.check_size(file, kind=limits.IMPORT)
    except WangjianError as exc:
        _refused_batch(**refused, error=exc)  # not hashed: a file over the cap is not read
        raise
    file.seek(0)
    if file.read(4).startswith(b"PK\x03\x04"):
        try:
            limits.zip_check(file, name=file_name)
        except WangjianError as exc:
            _refused_batch(**refused, error=exc, sha256=_sha256_of(file))
            raise
    file.seek(0)
    return upload_keep(file=file, file_name=file_name)


def _sha256_of(file: Any) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1 << 20), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def upload_exists(name: str) -> bool:
    return uploads().exists(name)


def upload_delete(name: str) -> None:
    uploads().delete(name)


@contextlib.contextmanager
def _upload_read(name: str) -> Iterator[Path]:
    """The upload as a file on this machine (downloaded from S3 for the reading)."""
    from wangjian.core import storage

    try:
        with storage.local_copy(uploads(), name) as path:
            yield path
    except FileNotFoundError:
        raise ValidationFailed(
            "上传的文件已不在（已导入，或超过一天未导入被清除），请重新上传",
            "the uploaded file is gone (imported, or removed after a day): upload it again",
        ) from None


def upload_sample(name: str, file_name: str, rows: int = 10) -> tuple[importing.Table, list[dict]]:
    """What the preview page shows: the file as read (encoding, headers) and its first rows."""
    with _upload_read(name) as path:
        table = importing.open_table(path, file_name)
        sample = []
        try:
            for _n, row in table.rows:
                sample.append(row)
                if len(sample) >= rows:
                    break
        finally:
            table.rows.close()  # releases the file
    return table, sample


def import_start(
    *,
    bureau: Bureau,
    kind: str,
    upload: str,
    file_name: str,
    user: Any,
    mapping: dict | None = None,
    platform: Platform | None = None,
) -> ImportBatch:
    """Check the kept upload (``upload_keep``) and the column mapping now, record a queued
    batch, and hand the import on.

    What the officer can correct (an unreadable file, a required column not mapped, a
    platform of another bureau) is raised here, on the preview page, and the upload stays
    for another try; the rows are read by a worker — with no broker, by a thread of the web
    process — while the batch page shows the progress. The upload is deleted once imported.
    """
    _check_import_rights(user, bureau, kind)
    if kind == ImportKind.SELLERS:
        if platform is None or platform.bureau_id != bureau.pk:
            raise ValidationFailed("请选择本局的平台", "choose a platform of this bureau")
    columns, required = importing.columns_for(kind)
    with _upload_read(upload) as path:
        table = importing.open_table(path, file_name)
        try:
            resolved = _mapping(table, columns, required, mapping)
        finally:
            table.rows.close()
        if kind != ImportKind.SELLERS:
            platform = None
        batch = _new_batch(bureau, kind, path, file_name, table, user, platform, ImportStatus.QUEUED)
    dispatch(
        "wangjian.registry.tasks.import_run",
        thread_name=f"wangjian-import-{batch.pk}",
        batch_id=batch.pk,
        upload=upload,
        mapping=resolved,
    )
    return batch


def import_run(*, batch: ImportBatch, upload: str, mapping: dict | None) -> None:
    """Run a queued import (the worker's side of ``import_start``).

    Whatever stops it — a bad file, an error of ours — the batch ends failed with the
    reason, never left "running"; the upload is deleted once the rows are in.
    """
    if batch.status != ImportStatus.QUEUED:
        return  # delivered twice (a worker restarted): the first delivery has it
    try:
        with _upload_read(upload) as path:
            kwargs = dict(
                bureau=batch.bureau, path=path, file_name=batch.file_name, user=batch.user, mapping=mapping
            )
            if batch.kind == ImportKind.REGISTRY:
                registry_import(batch=batch, **kwargs)
            elif batch.kind == ImportKind.PERMITS:
                permits_import(batch=batch, **kwargs)
            else:
                sellers_import(batch=batch, platform=batch.platform, **kwargs)
    except WangjianError as exc:
        # Recorded on the batch by the import once it started; before that (the file went
        # away, the officer lost the right to import) it is recorded here.
        batch.update_if(
            Q(status=ImportStatus.QUEUED),
            status=ImportStatus.FAILED,
            finished_at=timezone.now(),
            message=str(exc)[:2000],
        )
    except Exception as exc:
        batch.update_if(
            None,
            status=ImportStatus.FAILED,
            finished_at=timezone.now(),
            message=f"导入因内部错误中止，已导入的行保留；请联系管理员 / internal error: {exc!r}"[:2000],
        )
        raise
    finally:
        upload_delete(upload)


def imports_housekeeping(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Mark interrupted imports failed (the process ran them stopped) and delete abandoned uploads.

    A running import writes a heartbeat every chunk; one silent for ``STALE_AFTER`` died
    with its process (a restart of the server, a killed worker). The rows it wrote stay
    and re-importing the file completes it (the import is an idempotent upsert).
    """
    now = now or timezone.now()
    stale = ImportBatch.objects.filter(
        Q(status__in=[ImportStatus.RUNNING, ImportStatus.MATCHING], heartbeat_at__lt=now - STALE_AFTER)
        | Q(status=ImportStatus.QUEUED, started_at__lt=now - UPLOAD_KEEP)
    )
    interrupted = 0
    for batch in stale:
        batch.status = ImportStatus.FAILED
        batch.finished_at = now
        batch.message = "导入中断（服务重启或进程退出），已导入的行保留，请重新导入该文件 / interrupted: import the file again"
        batch.save(update_fields=["status", "finished_at", "message"])
        interrupted += 1
    removed = 0
    store = uploads()
    try:
        _folders, names = store.listdir("")
    except FileNotFoundError:
        names = []  # nothing uploaded yet
    for name in names:
        if store.get_modified_time(name) < now - UPLOAD_KEEP:
            store.delete(name)
            removed += 1
    return {"interrupted": interrupted, "uploads_removed": removed}
