"""Import batches (导入批次): the machinery every import shares — mapping columns, chunked writes through the change log, rejected rows kept with reasons, progress, statistics."""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from wangjian.core import uploads
from wangjian.core.audit import acting, current_actor, mask
from wangjian.core.bulk import insert_rows
from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.core.exports import csv_writer
from wangjian.core.models import ChangeRecord, bulk_update_audited
from wangjian.org.models import Bureau
from wangjian.registry import importing, selectors
from wangjian.registry.choices import (
    ImportStatus,
)
from wangjian.registry.models import (
    ImportBatch,
    Platform,
    RejectedRow,
)

Progress = Callable[[int, int], None]
T = TypeVar("T")
CHUNK = 5000  # sellers matched per database round trip
IMPORT_CHUNK = 20000  # rows per transaction of an import (fewer commits; measured faster on SQLite)


def _as(user: Any) -> contextlib.AbstractContextManager[None]:
    """Attribute changes to ``user`` unless the caller (web middleware, a command) already set the actor."""
    actor = current_actor()
    if getattr(actor.acting_user, "pk", None) or not getattr(user, "pk", None):
        return contextlib.nullcontext()
    return acting(user, via=actor.via, reason=actor.reason)


def _attributed(func: Callable[..., T]) -> Callable[..., T]:
    @functools.wraps(func)
    def wrapper(**kwargs: Any) -> T:
        with _as(kwargs.get("user")):
            return func(**kwargs)

    return wrapper


# ---------------------------------------------------------------------------------------------
# Bulk writes that keep the change log


def _bulk_update_audited(objs: list[Model], fields: list[str]) -> None:
    """``bulk_update`` plus one change record per object whose audited snapshot changed (the kernel's)."""
    bulk_update_audited(objs, fields)


def _insert_rows(model: type[Model], rows: list[dict]) -> None:
    """Insert new rows given as ``{attname: value}`` (the kernel's ``insert_rows``: COPY on PostgreSQL)."""
    insert_rows(model, rows)


# ---------------------------------------------------------------------------------------------
# Imports


@dataclass
class _Rejects:
    batch: ImportBatch
    pending: list[RejectedRow] = field(default_factory=list)
    count: int = 0

    def add(self, row_number: int, column: str, value: str, reason: str, raw: list[str]) -> None:
        self.pending.append(
            RejectedRow(
                batch=self.batch,
                row_number=row_number,
                column=importing.FIELD_LABELS.get(column, column),
                value=str(value)[:500],
                reason=reason[:500],
                raw=raw,
            )
        )
        self.count += 1

    def flush(self) -> None:
        RejectedRow.objects.bulk_create(self.pending, batch_size=1000)
        self.pending = []


def _mapping(table: importing.Table, columns: dict, required: tuple[str, ...], mapping: dict | None) -> dict:
    if mapping:
        resolved = {}
        for name, col in mapping.items():
            if col in (None, "", -1):
                continue
            if isinstance(col, str) and not col.lstrip("-").isdigit():
                if col not in table.headers:
                    raise ValidationFailed(
                        f"文件中没有列“{col}”", f"the file has no column {col!r}", code="mapping"
                    )
                col = table.headers.index(col)
            resolved[name] = int(col)
    else:
        resolved = importing.auto_mapping(table.headers, columns)
    missing = [importing.FIELD_LABELS.get(r, r) for r in required if r not in resolved]
    if missing:
        raise ValidationFailed(
            f"缺少必需的列：{'、'.join(missing)}（表头为：{'、'.join(table.headers)}）",
            f"required columns missing: {', '.join(r for r in required if r not in resolved)}",
            code="mapping",
            detail={"headers": table.headers, "missing": missing},
        )
    return resolved


def _check_import_rights(user: Any, bureau: Bureau, kind: str | None = None) -> None:
    """The right to import ``kind`` (the registry and seller lists, or the permit data) into ``bureau``."""
    if user is not None and not selectors.can_import(user, bureau, kind=kind):
        raise PermissionDeniedError(
            "只有本局的业务人员、科室负责人或办公室管理员可以导入",
            "only the bureau's officers, department heads or office administrators may import",
        )


def _sqlite_big_cache() -> None:
    """A larger page cache for this connection: a million-row import keeps its indexes in memory."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size=-262144")


def _start_batch(
    *,
    bureau: Bureau,
    kind: str,
    path: Path,
    file_name: str,
    user: Any,
    platform: Platform | None = None,
    batch: ImportBatch | None = None,
) -> tuple[ImportBatch, importing.Table]:
    """Open the file and record the run: a new batch (the command line), or the queued one (the page).

    A file refused before a row is read (too large, a zip bomb, unreadable) still leaves its batch,
    failed with the reason: a queued one is failed by ``import_run``, a new one is recorded here.
    """
    try:
        table = importing.open_table(path, file_name)
    except WangjianError as exc:
        if batch is None:
            _refused_batch(
                bureau=bureau,
                kind=kind,
                file_name=file_name,
                user=user,
                platform=platform,
                error=exc,
                sha256=uploads.file_sha256(path) if path.is_file() else "",
            )
        raise
    _sqlite_big_cache()
    if batch is not None:
        batch.status = ImportStatus.RUNNING
        batch.total_rows = table.total_rows
        batch.encoding = table.encoding
        batch.heartbeat_at = timezone.now()
        batch.save(update_fields=["status", "total_rows", "encoding", "heartbeat_at"])
        return batch, table
    return _new_batch(bureau, kind, path, file_name, table, user, platform, ImportStatus.RUNNING), table


def _new_batch(
    bureau: Bureau,
    kind: str,
    path: Path,
    file_name: str,
    table: importing.Table,
    user: Any,
    platform: Platform | None,
    status: str,
) -> ImportBatch:
    return ImportBatch.objects.create(
        bureau=bureau,
        kind=kind,
        platform=platform,
        file_name=file_name[:255],
        sha256=uploads.file_sha256(path),
        encoding=table.encoding,
        total_rows=table.total_rows,
        user=user if getattr(user, "pk", None) else None,
        status=status,
        heartbeat_at=timezone.now(),
    )


def _refused_batch(
    *,
    bureau: Bureau,
    kind: str,
    file_name: str,
    user: Any,
    platform: Platform | None,
    error: WangjianError,
    sha256: str = "",
) -> ImportBatch:
    """A file refused before any row was read, recorded as a failed batch with the reason: the list of
    import batches shows every file sent for import, the refused ones too, and why."""
    now = timezone.now()
    return ImportBatch.objects.create(
        bureau=bureau,
        kind=kind,
        platform=platform,
        file_name=file_name[:255],
        sha256=sha256,
        user=user if getattr(user, "pk", None) else None,
        status=ImportStatus.FAILED,
        heartbeat_at=now,
        finished_at=now,
        message=str(error)[:2000],
    )


def _advance(batch: ImportBatch, processed: int) -> None:
    """Progress for the batch page (polled) and the heartbeat by which an interrupted run is found."""
    ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=processed, heartbeat_at=timezone.now())


ANALYZE_AFTER = 10_000  # rows written by one import after which the planner's statistics are renewed


def _renew_statistics(counts: dict, *models: type[Model]) -> None:
    """After a bulk load (``ANALYZE_AFTER`` rows or more), tell the query planner what the tables now hold.

    Without it PostgreSQL plans the next searches on the statistics of the empty table
    (a million-row list page measured at 0.8 s instead of milliseconds) until autovacuum
    gets round to it; SQLite has no statistics at all until asked.
    """
    if counts["created"] + counts["updated"] < ANALYZE_AFTER:
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _finish(
    batch: ImportBatch, rejects: _Rejects, counts: dict[str, int], error: WangjianError | None
) -> None:
    batch.created_count = counts["created"]
    batch.updated_count = counts["updated"]
    batch.unchanged_count = counts["unchanged"]
    batch.rejected_count = rejects.count
    batch.processed_rows = counts["processed"]
    batch.total_rows = max(batch.total_rows, counts["processed"])
    batch.finished_at = timezone.now()
    if error is None:
        batch.status = ImportStatus.DONE
    else:
        batch.status = ImportStatus.FAILED
        batch.message = str(error)[:2000]
    # Only what the run decides: the progress columns are written by ``_advance`` and the matcher.
    # The outcome and its change record land together: nobody reads "done" without its record.
    with transaction.atomic():
        batch.save(
            update_fields=[
                "created_count",
                "updated_count",
                "unchanged_count",
                "rejected_count",
                "processed_rows",
                "total_rows",
                "finished_at",
                "status",
                "message",
            ]
        )


def _chunks(table: importing.Table, size: int) -> Iterator[list[tuple[int, list[str]]]]:
    chunk: list[tuple[int, list[str]]] = []
    for item in table.rows:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_PERSONAL_COLUMN_WORDS = (
    "法定代表",
    "负责人",
    "经营者",
    "联系人",
    "电话",
    "手机",
    "身份证",
    "phone",
    "legal",
    "rep",
)


def rejected_value(column: str, value: str, *, personal: bool) -> str:
    """A rejected cell as this reader may see it: a personal column's value masked unless ``personal``."""
    if personal or not any(w in (column or "").lower() for w in _PERSONAL_COLUMN_WORDS):
        return value
    return mask(value)


def rejected_rows_csv(*, batch: ImportBatch, user: Any = None) -> str:
    """The rejected rows of a batch: row number, column, value, reason, then the original cells.

    The original cells carry whatever the file held (names, phones, ID numbers): they are given
    only to a reader who may see personal data, and that read is logged; everyone else gets the
    row number, the column, the value (masked if the column is personal) and the reason, which is
    what correcting the file needs. ``user=None`` is the server's operator (the command line).
    """
    personal = user is None or selectors.can_see_personal(user)
    if user is not None and personal:
        ChangeRecord.log_view(batch, user=user, bureau_id=batch.bureau_id, reason="下载拒收行（含原始行）")
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["行号", "列", "值", "原因", *(["原始行"] if personal else [])])
    for r in batch.rejected_rows.order_by("row_number", "id").iterator(chunk_size=5000):
        value = rejected_value(r.column, r.value, personal=personal)
        writer.writerow([r.row_number, r.column, value, r.reason, *(r.raw if personal else [])])
    return out.getvalue()
