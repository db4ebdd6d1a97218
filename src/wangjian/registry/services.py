"""Writes of the registry: imports, matching sellers to entities, review decisions and data corrections.

Each function returns what it decided; rejected rows are kept with their reasons, never
dropped; every change of an entity, presence or decision is in the change log.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Model, Q
from django.utils import timezone

from wangjian.core.audit import acting, current_actor
from wangjian.core.background import dispatch
from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.core.models import ChangeRecord
from wangjian.org.models import Bureau
from wangjian.platform.intake import Lead, LeadReceipt, lead_submit
from wangjian.platform.intake.choices import SourceKind
from wangjian.registry import importing, matching, selectors
from wangjian.registry import uscc as uscc_mod
from wangjian.registry.choices import (
    CorrectionStatus,
    EntityStatus,
    ImportKind,
    ImportStatus,
    LinkMethod,
    MatchOutcome,
    PresenceKind,
    PresenceStatus,
    ReviewDecision,
)
from wangjian.registry.models import (
    CorrectionRequest,
    ImportBatch,
    MarketEntity,
    MatchDecision,
    MatchResult,
    Platform,
    Presence,
    RejectedRow,
    SellerReport,
)

Progress = Callable[[int, int], None]
CHUNK = 5000  # sellers matched per database round trip
IMPORT_CHUNK = 20000  # rows per transaction of an import (fewer commits; measured faster on SQLite)


def _as(user: Any):
    """Attribute changes to ``user`` unless the caller (web middleware, a command) already set the actor."""
    actor = current_actor()
    if getattr(actor.acting_user, "pk", None) or not getattr(user, "pk", None):
        return contextlib.nullcontext()
    return acting(user, via=actor.via, reason=actor.reason)


def _attributed(func):
    @functools.wraps(func)
    def wrapper(**kwargs):
        with _as(kwargs.get("user")):
            return func(**kwargs)

    return wrapper


# ---------------------------------------------------------------------------------------------
# Bulk writes that keep the change log


def _bulk_update_audited(objs: list[Model], fields: list[str]) -> None:
    """``bulk_update`` plus one change record per object whose audited snapshot changed."""
    if not objs:
        return
    now = timezone.now()
    records = []
    actor = current_actor()
    user = actor.acting_user if getattr(actor.acting_user, "pk", None) else None
    ct = ContentType.objects.get_for_model(objs[0].__class__)
    for obj in objs:
        obj.last_updated = now
        before = getattr(obj, "_audit_before", None)
        after = obj.audit_snapshot()
        if before != after:
            records.append(
                ChangeRecord(
                    user=user,
                    user_name=getattr(user, "username", "") or actor.via,
                    via=actor.via,
                    reason=actor.reason[:300],
                    action=ChangeRecord.Action.UPDATE,
                    content_type=ct,
                    object_id=str(obj.pk),
                    object_repr=str(obj)[:300],
                    bureau_id=obj.audit_bureau_id(),
                    before=before,
                    after=after,
                )
            )
        obj._audit_before = after
    objs[0].__class__.objects.bulk_update(objs, [*fields, "last_updated"], batch_size=1000)
    ChangeRecord.objects.bulk_create(records, batch_size=1000)


def _insert_rows(model: type[Model], rows: list[dict]) -> None:
    """Insert new rows given as ``{attname: value}``: COPY on PostgreSQL, ``executemany`` elsewhere.

    The fast path for a million-row registry: no model instances, no per-field ORM
    preparation; missing fields take their defaults, timestamps are the same for the chunk.
    """
    if not rows:
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: (f.get_default() if f.has_default() or not f.null else None) for f in fields}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
    attnames = [f.attname for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row.get(a, defaults[a]) for a in attnames])
            return
        adapted_now = connection.ops.adapt_datetimefield_value(now)

        def adapt(value):
            if value is now:
                return adapted_now
            if isinstance(value, dt.datetime):
                return connection.ops.adapt_datetimefield_value(value)
            if isinstance(value, dt.date):
                return value.isoformat()
            return value

        placeholders = ", ".join(["%s"] * len(fields))
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",
            [[adapt(row.get(a, defaults[a])) for a in attnames] for row in rows],
        )


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


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


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


def _check_import_rights(user: Any, bureau: Bureau) -> None:
    if user is not None and not selectors.can_import(user, bureau):
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
    """Open the file and record the run: a new batch (the command line), or the queued one (the page)."""
    table = importing.open_table(path, file_name)
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
        sha256=_sha256(path),
        encoding=table.encoding,
        total_rows=table.total_rows,
        user=user if getattr(user, "pk", None) else None,
        status=status,
        heartbeat_at=timezone.now(),
    )


def _advance(batch: ImportBatch, processed: int) -> None:
    """Progress for the batch page (polled) and the heartbeat by which an interrupted run is found."""
    ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=processed, heartbeat_at=timezone.now())


ANALYZE_AFTER = 10_000  # rows written by one import after which the planner's statistics are renewed


def _renew_statistics(*models: type[Model]) -> None:
    """After a bulk load, tell the query planner what the tables now hold.

    Without it PostgreSQL plans the next searches on the statistics of the empty table
    (a million-row list page measured at 0.8 s instead of milliseconds) until autovacuum
    gets round to it; SQLite has no statistics at all until asked.
    """
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


def _chunks(table: importing.Table, size: int):
    chunk: list[tuple[int, list[str]]] = []
    for item in table.rows:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


ENTITY_UPDATABLE = (
    "name",
    "kind",
    "legal_rep",
    "phone",
    "address",
    "region_code",
    "registration_authority",
    "status",
    "reg_date",
    "approved_date",
    "business_scope",
)


def _entity_values(clean: dict) -> dict:
    values = dict(clean)
    parts = matching.name_parts(values["name"])
    values["name_key"] = parts.key[:200]
    values["name_core"] = parts.core[:200]
    if "phone" in values:
        values["phone_key"] = matching.phone_key(values["phone"])
    return values


@_attributed
def registry_import(
    *,
    bureau: Bureau,
    path: str | Path,
    file_name: str | None = None,
    user: Any = None,
    mapping: dict | None = None,
    source: str = "登记系统导入",
    progress: Progress | None = None,
    chunk_size: int = IMPORT_CHUNK,
    batch: ImportBatch | None = None,
) -> ImportBatch:
    """Import the registry export: an idempotent upsert by USCC into ``bureau``'s entities.

    Re-importing the same file changes nothing (rows equal to what is stored are counted
    as unchanged and not written); a row whose USCC fails GB 32100-2015, whose name is
    empty, whose date or status cannot be read, or whose code repeats an earlier row of
    the file, is rejected with its row number, column and reason.
    """
    _check_import_rights(user, bureau)
    path = Path(path)
    batch, table = _start_batch(
        bureau=bureau,
        kind=ImportKind.REGISTRY,
        path=path,
        file_name=file_name or path.name,
        user=user,
        batch=batch,
    )
    rejects = _Rejects(batch)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "processed": 0}
    error: WangjianError | None = None
    seen: dict[str, int] = {}
    try:
        cols = _mapping(table, importing.REGISTRY_COLUMNS, importing.REGISTRY_REQUIRED, mapping)
        present = set(cols)
        for chunk in _chunks(table, chunk_size):
            good: list[dict] = []
            for row_number, cells in chunk:
                values = {f: (cells[i] if i < len(cells) else "") for f, i in cols.items()}
                clean, problems = importing.clean_registry_row(values)
                if not problems and clean["uscc"] in seen:
                    problems.append(
                        importing.Problem(
                            "uscc",
                            clean["uscc"],
                            f"与第{seen[clean['uscc']]}行代码重复",
                            f"the same code as row {seen[clean['uscc']]}",
                        )
                    )
                if problems:
                    for p in problems:
                        rejects.add(row_number, p.field, p.value, p.reason, cells)
                    continue
                seen[clean["uscc"]] = row_number
                good.append(_entity_values(clean))
            with transaction.atomic():
                _upsert_entities(bureau, batch, good, present, source, counts)
                rejects.flush()
            counts["processed"] += len(chunk)
            _advance(batch, counts["processed"])
            if progress:
                progress(counts["processed"], max(table.total_rows, counts["processed"]))
    except WangjianError as exc:
        error = exc
    _finish(batch, rejects, counts, error)
    if counts["created"] + counts["updated"] >= ANALYZE_AFTER:
        _renew_statistics(MarketEntity)
    if error is not None:
        raise error
    return batch


# ---------------------------------------------------------------------------------------------
# Imports started from the page: checked at once, run by a worker (or a thread), followed live

UPLOAD_KEEP = dt.timedelta(hours=24)  # an uploaded file not imported within a day is deleted
STALE_AFTER = dt.timedelta(minutes=30)  # a running import silent this long was interrupted


UPLOADS = "registry-uploads"  # the area of WANGJIAN_STORAGE where uploads wait for their import


def uploads():
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
    _check_import_rights(user, bureau)
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
            else:
                sellers_import(batch=batch, platform=batch.platform, **kwargs)
    except WangjianError as exc:
        # Recorded on the batch by the import once it started; before that (the file went
        # away, the officer lost the right to import) it is recorded here.
        ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.QUEUED).update(
            status=ImportStatus.FAILED, finished_at=timezone.now(), message=str(exc)[:2000]
        )
    except Exception as exc:
        ImportBatch.objects.filter(pk=batch.pk).update(
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


def _upsert_entities(
    bureau: Bureau, batch: ImportBatch, rows: list[dict], present: set[str], source: str, counts: dict
) -> None:
    if not rows:
        return
    # Only the columns the file has are compared and written: a file without phone numbers
    # does not blank the phones already stored.
    fields = ["name", "name_key", "name_core", "kind", "region_code"]
    fields += [f for f in ENTITY_UPDATABLE if f in present and f not in fields]
    if "phone" in present:
        fields.append("phone_key")
    existing = {
        row[0]: row[1:]
        for row in MarketEntity.objects.filter(bureau=bureau, uscc__in=[r["uscc"] for r in rows]).values_list(
            "uscc", "id", *fields
        )
    }
    new: list[dict] = []
    changed: dict[int, dict] = {}
    for r in rows:
        current = existing.get(r["uscc"])
        if current is None:
            new.append({**r, "bureau_id": bureau.pk, "import_batch_id": batch.pk, "source": source})
            continue
        pk, stored = current[0], current[1:]
        wanted = tuple(r.get(f, stored[i]) for i, f in enumerate(fields))
        if wanted != tuple(stored):
            changed[pk] = {f: r[f] for f in fields if f in r}
        else:
            counts["unchanged"] += 1
    _insert_rows(MarketEntity, new)
    counts["created"] += len(new)
    if changed:
        objs = list(MarketEntity.objects.filter(pk__in=list(changed)))
        for obj in objs:
            for f, v in changed[obj.pk].items():
                setattr(obj, f, v)
            obj.import_batch = batch
        _bulk_update_audited(objs, [*fields, "import_batch"])
        counts["updated"] += len(objs)


def platform_get_or_create(*, bureau: Bureau, name: str) -> tuple[Platform, bool]:
    name = name.strip()
    if not name:
        raise ValidationFailed("平台名称为空", "the platform name is empty")
    platform = Platform.objects.filter(bureau=bureau, name=name).first()
    if platform:
        return platform, False
    return Platform.objects.create(bureau=bureau, name=name), True


SELLER_FIELDS = ("shop_name", "claimed_name", "claimed_uscc", "address", "phone", "url")


@_attributed
def sellers_import(
    *,
    bureau: Bureau,
    platform: Platform,
    path: str | Path,
    file_name: str | None = None,
    user: Any = None,
    mapping: dict | None = None,
    progress: Progress | None = None,
    match: bool = True,
    chunk_size: int = IMPORT_CHUNK,
    batch: ImportBatch | None = None,
) -> ImportBatch:
    """Import a platform's seller list (平台报送, 电子商务法 art. 28), upserting by seller ID; then match it.

    Each seller becomes (or updates) a platform-shop presence. The claimed code is kept as
    reported even when it fails the check: the matcher repairs a one-character slip when
    the name agrees.
    """
    _check_import_rights(user, bureau)
    if platform.bureau_id != bureau.pk:
        raise ValidationFailed("平台不属于该局", "the platform belongs to another bureau")
    path = Path(path)
    batch, table = _start_batch(
        bureau=bureau,
        kind=ImportKind.SELLERS,
        path=path,
        file_name=file_name or path.name,
        user=user,
        platform=platform,
        batch=batch,
    )
    rejects = _Rejects(batch)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "processed": 0}
    error: WangjianError | None = None
    seen: dict[str, int] = {}
    try:
        cols = _mapping(table, importing.SELLER_COLUMNS, importing.SELLER_REQUIRED, mapping)
        for chunk in _chunks(table, chunk_size):
            good = []
            for row_number, cells in chunk:
                values = {f: (cells[i] if i < len(cells) else "") for f, i in cols.items()}
                clean, problems = importing.clean_seller_row(values)
                sid = clean.get("seller_id", "")
                if not problems and sid in seen:
                    problems.append(
                        importing.Problem(
                            "seller_id",
                            sid,
                            f"与第{seen[sid]}行店铺ID重复",
                            f"the same shop ID as row {seen[sid]}",
                        )
                    )
                if problems:
                    for p in problems:
                        rejects.add(row_number, p.field, p.value, p.reason, cells)
                    continue
                seen[sid] = row_number
                clean["row_number"] = row_number
                good.append(clean)
            with transaction.atomic():
                _upsert_sellers(bureau, platform, batch, good, set(cols), counts)
                rejects.flush()
            counts["processed"] += len(chunk)
            _advance(batch, counts["processed"])
            if progress:
                progress(counts["processed"], max(table.total_rows, counts["processed"]))
    except WangjianError as exc:
        error = exc
    if counts["created"] + counts["updated"] >= ANALYZE_AFTER:
        _renew_statistics(SellerReport, Presence)
    if error is None and match:
        # The batch is finished only when its sellers are matched: the page shows this stage too.
        batch.status = ImportStatus.MATCHING
        batch.processed_rows = counts["processed"]
        batch.save(update_fields=["status", "processed_rows"])

        def matched(done: int, total: int) -> None:
            ImportBatch.objects.filter(pk=batch.pk).update(
                matched_rows=done, match_total=total, heartbeat_at=timezone.now()
            )

        try:
            sellers_match(bureau=bureau, platform=platform, progress=matched)
        except WangjianError as exc:
            error = exc
    _finish(batch, rejects, counts, error)
    if error is not None:
        raise error
    return batch


def _upsert_sellers(
    bureau: Bureau, platform: Platform, batch: ImportBatch, rows: list[dict], present: set[str], counts: dict
) -> None:
    if not rows:
        return
    fields = [f for f in SELLER_FIELDS if f in present]
    ids = [r["seller_id"] for r in rows]
    existing = {
        row[0]: row[1:]
        for row in SellerReport.objects.filter(platform=platform, seller_id__in=ids).values_list(
            "seller_id", "id", *fields
        )
    }
    presences = {p.account_id: p for p in Presence.objects.filter(platform=platform, account_id__in=ids)}
    today = timezone.localdate()
    new_presences: list[dict] = []
    changed_presences: list[Presence] = []
    for r in rows:
        p = presences.get(r["seller_id"])
        shop_name, url = r.get("shop_name", ""), r.get("url", "")
        if p is None:
            new_presences.append(
                {
                    "bureau_id": bureau.pk,
                    "kind": PresenceKind.PLATFORM_SHOP.value,
                    "platform_id": platform.pk,
                    "account_id": r["seller_id"],
                    "shop_name": shop_name,
                    "shop_name_key": matching.shop_key(shop_name)[:200] if shop_name else "",
                    "url": url,
                    "status": PresenceStatus.ACTIVE.value,
                    "first_seen": today,
                    "last_seen": today,
                    "import_batch_id": batch.pk,
                }
            )
        elif ("shop_name" in present and p.shop_name != shop_name) or ("url" in present and p.url != url):
            if "shop_name" in present:
                p.shop_name = shop_name
                p.shop_name_key = matching.shop_key(shop_name)[:200] if shop_name else ""
            if "url" in present:
                p.url = url
            changed_presences.append(p)
    _insert_rows(Presence, new_presences)
    presence_ids = dict(
        Presence.objects.filter(platform=platform, account_id__in=ids).values_list("account_id", "id")
    )
    _bulk_update_audited(changed_presences, ["shop_name", "shop_name_key", "url"])
    Presence.objects.filter(platform=platform, account_id__in=ids, last_seen__lt=today).update(
        last_seen=today
    )

    new: list[dict] = []
    changed: list[SellerReport] = []
    for r in rows:
        current = existing.get(r["seller_id"])
        values = {f: r.get(f, "") for f in fields}
        if current is None:
            new.append(
                {
                    "bureau_id": bureau.pk,
                    "platform_id": platform.pk,
                    "batch_id": batch.pk,
                    "row_number": r["row_number"],
                    "seller_id": r["seller_id"],
                    "presence_id": presence_ids.get(r["seller_id"]),
                    **values,
                }
            )
        elif tuple(values[f] for f in fields) != tuple(current[1:]):
            changed.append(SellerReport(id=current[0], batch=batch, row_number=r["row_number"], **values))
        else:
            counts["unchanged"] += 1
    _insert_rows(SellerReport, new)
    if changed:
        SellerReport.objects.bulk_update(changed, [*fields, "batch", "row_number"], batch_size=500)
    counts["created"] += len(new)
    counts["updated"] += len(changed)


# ---------------------------------------------------------------------------------------------
# Matching


@dataclass
class MatchSummary:
    total: int = 0
    auto: int = 0
    review: int = 0
    none: int = 0
    decided: int = 0
    linked_presences: int = 0
    unlinked_presences: int = 0


def _decisions(platform_ids: list[int]) -> dict[tuple[int, str], tuple[set[int], set[int]]]:
    out: dict[tuple[int, str], tuple[set[int], set[int]]] = {}
    for platform_id, seller_id, entity_id, decision in MatchDecision.objects.filter(
        platform_id__in=platform_ids
    ).values_list("platform_id", "seller_id", "entity_id", "decision"):
        accepted, rejected = out.setdefault((platform_id, seller_id), (set(), set()))
        (accepted if decision == ReviewDecision.ACCEPT else rejected).add(entity_id)
    return out


def sellers_match(
    *,
    bureau: Bureau,
    platform: Platform | None = None,
    index: matching.EntityIndex | None = None,
    progress: Progress | None = None,
) -> MatchSummary:
    """Match the bureau's reported sellers to its registry; link presences the matcher is sure of.

    Officers' earlier decisions win: an accepted entity is linked again, a rejected one is
    never suggested again for that seller (the decision is remembered on re-import).
    Presences linked by hand or from a licence found on the page are left alone.
    """
    index = index or selectors.entity_index(bureau=bureau)
    sellers = SellerReport.objects.filter(bureau=bureau)
    if platform is not None:
        sellers = sellers.filter(platform=platform)
    platform_ids = list(sellers.values_list("platform_id", flat=True).distinct())
    decisions = _decisions(platform_ids)
    summary = MatchSummary()
    total = sellers.count()
    last_id = 0
    while True:
        chunk = list(
            sellers.filter(id__gt=last_id)
            .order_by("id")
            .values_list(
                "id",
                "platform_id",
                "seller_id",
                "claimed_name",
                "shop_name",
                "claimed_uscc",
                "address",
                "phone",
                "presence_id",
            )[:CHUNK]
        )
        if not chunk:
            break
        last_id = chunk[-1][0]
        results: list[MatchResult] = []
        links: dict[int, matching.Match] = {}
        for pk, platform_id, sid, claimed_name, shop_name, code, address, phone, presence_id in chunk:
            accepted, rejected = decisions.get((platform_id, sid), (set(), set()))
            m = matching.match_seller(
                index,
                matching.Seller(
                    seller_id=sid,
                    claimed_name=claimed_name,
                    shop_name=shop_name,
                    claimed_uscc=code,
                    address=address,
                    phone=phone,
                    accepted=accepted,
                    rejected=rejected,
                ),
            )
            summary.total += 1
            setattr(summary, m.outcome, getattr(summary, m.outcome) + 1)
            summary.decided += int(m.decided)
            results.append(
                MatchResult(
                    bureau=bureau,
                    seller_id=pk,
                    entity_id=m.entity_id,
                    confidence=m.confidence,
                    outcome=m.outcome,
                    reasons=m.reason_text[:500],
                    decided=m.decided,
                    candidates=[
                        {
                            "entity": c.entity_id,
                            "uscc": index.by_id[c.entity_id].uscc,
                            "name": index.by_id[c.entity_id].name,
                            "score": c.score,
                            "reasons": "；".join(c.reasons),
                        }
                        for c in m.candidates
                    ],
                )
            )
            if presence_id:
                links[presence_id] = m
        with transaction.atomic():
            MatchResult.objects.filter(seller_id__in=[r.seller_id for r in results]).delete()
            MatchResult.objects.bulk_create(results, batch_size=500)
            linked, unlinked = _link_presences(links)
        summary.linked_presences += linked
        summary.unlinked_presences += unlinked
        if progress:
            progress(summary.total, total)
    return summary


def _link_presences(links: dict[int, matching.Match]) -> tuple[int, int]:
    """Set the entity of presences whose seller was linked; undo earlier automatic links no longer sure."""
    changed = []
    linked = unlinked = 0
    for p in Presence.objects.filter(pk__in=list(links)):
        m = links[p.pk]
        if p.link_method in (LinkMethod.LICENCE, LinkMethod.MANUAL) and not m.decided:
            continue
        if m.outcome == MatchOutcome.AUTO and m.entity_id:
            method = LinkMethod.MANUAL if m.decided else (LinkMethod.CODE if m.by_code else LinkMethod.MATCH)
            if (p.entity_id, p.link_method, p.link_confidence) != (m.entity_id, method, m.confidence):
                p.entity_id, p.link_method, p.link_confidence = m.entity_id, method, m.confidence
                changed.append(p)
                linked += 1
        elif p.entity_id and p.link_method in (LinkMethod.CODE, LinkMethod.MATCH):
            p.entity_id, p.link_method, p.link_confidence = None, "", None
            changed.append(p)
            unlinked += 1
    _bulk_update_audited(changed, ["entity", "link_method", "link_confidence"])
    return linked, unlinked


def match_review(
    *,
    result: MatchResult,
    decision: str,
    user: Any,
    entity: MarketEntity | None = None,
    note: str = "",
) -> MatchResult:
    """An officer accepts or rejects a suggested entity for a seller; remembered for every later import.

    Accepting links the seller's presence (method 人工确认). Rejecting rules the entity out
    for this seller and offers the next candidate, if any, for review.
    """
    if not selectors.can_review(user, result.bureau_id):
        raise PermissionDeniedError("无权确认该匹配结果", "not allowed to review this match")
    if decision not in ReviewDecision.values:
        raise ValidationFailed("决定应为确认或否定", "decision must be accept or reject")
    entity = entity or result.entity
    if entity is None:
        raise ValidationFailed("没有可确认的主体", "there is no suggested entity to decide on")
    if entity.bureau_id not in (selectors.visible_ids(user) or {entity.bureau_id}):
        raise PermissionDeniedError("无权查看该主体", "not allowed to see that entity")
    seller = result.seller
    with transaction.atomic(), _as(user):
        obj, _ = MatchDecision.objects.get_or_create(
            platform_id=seller.platform_id,
            seller_id=seller.seller_id,
            entity=entity,
            defaults={"bureau_id": result.bureau_id, "decision": decision, "decided_by": user, "note": note},
        )
        if obj.decision != decision or obj.note != note:
            obj.decision, obj.decided_by, obj.note = decision, user, note
            obj.save()
        stamp = f"{user.name or user.username} {timezone.localdate():%Y-%m-%d}"
        if decision == ReviewDecision.ACCEPT:
            for other in MatchDecision.objects.filter(
                platform_id=seller.platform_id, seller_id=seller.seller_id, decision=ReviewDecision.ACCEPT
            ).exclude(entity=entity):
                other.decision, other.decided_by = ReviewDecision.REJECT, user
                other.save()
            result.entity = entity
            result.outcome = MatchOutcome.AUTO
            result.confidence = 1.0
            result.decided = True
            result.reasons = f"人工已确认（{stamp}）；{result.reasons}"[:500]
            if seller.presence_id:
                p = seller.presence
                p.entity, p.link_method, p.link_confidence = entity, LinkMethod.MANUAL, 1.0
                p.save()
        else:
            rest = [c for c in result.candidates if c.get("entity") != entity.pk]
            result.candidates = rest
            nxt = rest[0] if rest and rest[0].get("score", 0) >= matching.REVIEW_THRESHOLD else None
            result.entity_id = nxt["entity"] if nxt else None
            result.outcome = MatchOutcome.REVIEW if nxt else MatchOutcome.NONE
            result.confidence = nxt["score"] if nxt else 0.0
            result.decided = nxt is None
            result.reasons = (
                f"人工否定{entity.name}（{stamp}）；"
                + (nxt["reasons"] if nxt else "未找到其他相符的登记主体")
            )[:500]
            if seller.presence_id and seller.presence.entity_id == entity.pk:
                p = seller.presence
                p.entity, p.link_method, p.link_confidence = None, "", None
                p.save()
        result.save()
    return result


# ---------------------------------------------------------------------------------------------
# Sellers with no registered entity → clues of suspected unlicensed trading (无照经营线索)


def seller_to_clue(
    *, result: MatchResult, user: Any, now: dt.datetime | None = None
) -> tuple[LeadReceipt, str]:
    """Hand a reported seller with no registered entity to the clue loop, once per seller.

    Trading online without registering is what 电子商务法 art. 10 forbids, unless an exemption
    applies (selling one's own farm produce, household handicrafts, small occasional sales):
    the clue goes to the unit the duty list names for 无照经营, which checks exactly that.
    """
    if not selectors.can_review(user, result.bureau_id):
        raise PermissionDeniedError(
            "无权将匹配结果转为线索", "not allowed to turn a match result into a clue"
        )
    if result.outcome != MatchOutcome.NONE:
        raise ValidationFailed(
            "只有“未找到登记主体”的报送经营者可转为无照经营线索",
            "only a seller with no registered entity becomes a clue of unlicensed trading",
        )
    if result.clue_number:
        raise ValidationFailed(f"已转为线索 {result.clue_number}", f"already clue {result.clue_number}")
    seller = result.seller
    who = seller.claimed_name or seller.shop_name
    details = "，".join(
        part
        for part in (
            f"店铺ID {seller.seller_id}",
            f"店铺“{seller.shop_name}”" if seller.shop_name else "",
            f"网址 {seller.url}" if seller.url else "",
            f"自报统一社会信用代码 {seller.claimed_uscc}" if seller.claimed_uscc else "",
            f"地址 {seller.address}" if seller.address else "",
        )
        if part
    )
    facts = (
        f"平台“{seller.platform}”报送的经营者“{who}”（{details}）在本局登记库中未找到相符的登记主体"
        f"（比对：{result.reasons}），涉嫌未依法办理市场主体登记从事网络经营（电子商务法第十条），"
        "请核查是否属于无需登记的情形。"
    )
    receipt = lead_submit(
        Lead(
            bureau=result.bureau.code,
            source_kind=SourceKind.MONITORING,
            source_ref=f"registry.seller:{seller.pk}",
            domain="unlicensed",
            facts=facts,
            entity_name=seller.claimed_name,
            entity_uscc=seller.claimed_uscc,
            region=importing.registry_region("", seller.address, ""),
            finder=user.username if user else "",
            **(seller.presence.lead_keys() if seller.presence_id else {}),
        ),
        now=now,
    )
    MatchResult.objects.filter(pk=result.pk).update(clue_number=receipt.number)
    result.clue_number = receipt.number
    return receipt, f"线索 {receipt.number}：{receipt.reason_zh}"


MAX_CLUES_AT_ONCE = 500  # one request routes them all; beyond this, narrow the list by platform first


def sellers_to_clues(*, results: Any, user: Any, now: dt.datetime | None = None) -> list[str]:
    """``seller_to_clue`` for every seller of ``results`` with no registered entity and no clue yet;
    the numbers of the clues made."""
    waiting = results.filter(outcome=MatchOutcome.NONE, clue_number="").select_related(
        "seller__platform", "bureau"
    )
    count = waiting.count()
    if count > MAX_CLUES_AT_ONCE:
        raise ValidationFailed(
            f"一次最多转 {MAX_CLUES_AT_ONCE} 条，本次筛选有 {count} 条：请按平台缩小范围",
            f"at most {MAX_CLUES_AT_ONCE} at once, this list has {count}: narrow it by platform",
        )
    return [seller_to_clue(result=result, user=user, now=now)[0].number for result in waiting]


def match_results_csv(*, results) -> str:
    """``seller_id, uscc, confidence, decision, reasons`` — the columns officers and other systems read."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["seller_id", "uscc", "confidence", "decision", "reasons", "platform", "name"])
    for r in results.select_related("seller__platform", "entity").iterator(chunk_size=5000):
        writer.writerow(
            [
                r.seller.seller_id,
                r.entity.uscc if r.entity else "",
                f"{r.confidence:.3f}",
                r.outcome,
                r.reasons,
                r.seller.platform.name,
                r.entity.name if r.entity else "",
            ]
        )
    return out.getvalue()


def rejected_rows_csv(*, batch: ImportBatch) -> str:
    """The rejected rows of a batch: row number, column, value, reason, then the original cells."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["行号", "列", "值", "原因", "原始行"])
    for r in batch.rejected_rows.order_by("row_number", "id").iterator(chunk_size=5000):
        writer.writerow([r.row_number, r.column, r.value, r.reason, *r.raw])
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Data correction (核实优化数据)

ENTITY_CORRECTABLE = {
    "name": "名称",
    "address": "住所/经营场所",
    "phone": "联系电话",
    "legal_rep": "法定代表人/经营者",
    "status": "登记状态",
    "business_scope": "经营范围",
}
PRESENCE_CORRECTABLE = {
    "status": "状态",
    "shop_name": "店铺名称",
    "url": "网址",
    "entity": "关联主体（统一社会信用代码）",
}


def _presence_entity(presence: Presence, value: str) -> MarketEntity | None:
    if not value:
        return None
    code, problem = uscc_mod.validate(value)
    if problem:
        raise ValidationFailed(f"统一社会信用代码有误：{problem.zh}", f"invalid USCC: {problem.en}")
    entity = MarketEntity.objects.filter(bureau_id__in=presence.bureau.descendant_ids(), uscc=code).first()
    if entity is None:
        entity = MarketEntity.objects.filter(uscc=code).first()
    if entity is None:
        raise ValidationFailed("登记库中没有该代码的主体", "no entity with that USCC in the registry")
    return entity


def correction_request(
    *,
    user: Any,
    field: str,
    proposed_value: str,
    evidence_note: str,
    entity: MarketEntity | None = None,
    presence: Presence | None = None,
) -> CorrectionRequest:
    """An officer reports that the data differ from reality (closed shop, wrong address, shop changed hands)."""
    target = entity or presence
    if target is None or (entity and presence):
        raise ValidationFailed("请指定一个主体或一个网络经营场所", "name one entity or one presence")
    if not selectors.can_request_correction(user, target.bureau_id):
        raise PermissionDeniedError("无权对该数据提出更正", "not allowed to request a correction here")
    allowed = ENTITY_CORRECTABLE if entity else PRESENCE_CORRECTABLE
    if field not in allowed:
        raise ValidationFailed(
            f"该字段不能通过更正申请修改：{field}", f"field cannot be corrected this way: {field}"
        )
    if not evidence_note.strip():
        raise ValidationFailed("请写明核实情况及证据", "describe what was checked and the evidence")
    proposed_value = proposed_value.strip()
    if field == "status":
        choices = EntityStatus if entity else PresenceStatus
        labels = {c.label: c.value for c in choices}
        proposed_value = labels.get(proposed_value, proposed_value)
        if proposed_value not in choices.values:
            raise ValidationFailed(
                f"状态应为：{'、'.join(c.label for c in choices)}", f"status must be one of {choices.values}"
            )
    if presence is not None and field == "entity":
        _presence_entity(presence, proposed_value)
        proposed_value = uscc_mod.normalize(proposed_value)
    current = getattr(target, field)
    if field == "entity":
        current = target.entity.uscc if target.entity else ""
    with _as(user):
        return CorrectionRequest.objects.create(
            bureau_id=target.bureau_id,
            entity=entity,
            presence=presence,
            field=field,
            current_value=str(current or "")[:500],
            proposed_value=proposed_value[:500],
            evidence_note=evidence_note.strip(),
            requested_by=user,
        )


def correction_decide(
    *, correction: CorrectionRequest, user: Any, approve: bool, note: str = ""
) -> CorrectionRequest:
    """The department head approves (and the change is applied, audited with the request's number) or rejects."""
    if correction.status != CorrectionStatus.PENDING:
        raise ValidationFailed("该申请已处理", "this request has already been decided")
    if not selectors.can_approve_correction(user, correction):
        raise PermissionDeniedError(
            "只有本局科室负责人可以审批更正申请（申请人本人不能审批）",
            "only a department head of the bureau may approve, and not the requester",
        )
    via = current_actor().via
    with transaction.atomic(), acting(user, via=via, reason=f"核实优化数据 #{correction.pk}"):
        if approve:
            target = correction.entity or correction.presence
            value: Any = correction.proposed_value
            if correction.presence_id and correction.field == "entity":
                entity = _presence_entity(correction.presence, value)
                target.entity, target.link_method, target.link_confidence = entity, LinkMethod.MANUAL, 1.0
            else:
                setattr(target, correction.field, value)
                if correction.entity_id:
                    if correction.field == "name":
                        parts = matching.name_parts(value)
                        target.name_key, target.name_core = parts.key[:200], parts.core[:200]
                    if correction.field == "phone":
                        target.phone_key = matching.phone_key(value)
                elif correction.field == "shop_name":
                    target.shop_name_key = matching.shop_key(value)[:200]
            if correction.presence_id:
                target.last_checked = timezone.now()
            target.save()
            correction.status = CorrectionStatus.APPLIED
        else:
            correction.status = CorrectionStatus.REJECTED
        correction.decided_by = user
        correction.decided_at = timezone.now()
        correction.decision_note = note[:300]
        correction.save()
    return correction


def entity_view_personal(*, entity: MarketEntity, user: Any) -> None:
    """Log that someone saw an entity's personal data unmasked (查看敏感信息)."""
    ChangeRecord.log_view(entity, user=user, bureau_id=entity.bureau_id)
