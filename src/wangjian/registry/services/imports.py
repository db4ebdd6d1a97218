"""Importing the registry of market entities (经济户口): new entities inserted, changed ones updated through the change log, nothing silently dropped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import DatabaseError, connection, transaction

from wangjian.core.errors import WangjianError
from wangjian.org.models import Bureau
from wangjian.registry import importing, matching, name_grams
from wangjian.registry.choices import (
    ImportKind,
)
from wangjian.registry.models import (
    EntityNameGram,
    ImportBatch,
    MarketEntity,
)
from wangjian.registry.services.batches import (
    ANALYZE_AFTER,
    IMPORT_CHUNK,
    Progress,
    _advance,
    _attributed,
    _bulk_update_audited,
    _check_import_rights,
    _chunks,
    _finish,
    _insert_rows,
    _mapping,
    _Rejects,
    _renew_statistics,
    _start_batch,
)

ENTITY_UPDATABLE = (
    "name",
    "kind",
    "legal_rep",
    "phone",
    "address",
    "region_code",
    "registration_authority",
    "status",
    "status_date",
    "moved_to",
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
    _renew_statistics(counts, MarketEntity)
    _settle_name_grams(counts["created"] + counts["updated"])
    if error is not None:
        raise error
    return batch


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
    if new:
        # The inserted rows' ids, by the (bureau, code) index, for their names' grams.
        keys = {r["uscc"]: r["name_key"] for r in new}
        inserted = MarketEntity.objects.filter(bureau=bureau, uscc__in=list(keys)).values_list("pk", "uscc")
        _write_name_grams([(pk, keys[code]) for pk, code in inserted])
    if changed:
        objs = list(MarketEntity.objects.filter(pk__in=list(changed)))
        renamed = []
        for obj in objs:
            if obj.name_key != changed[obj.pk]["name_key"]:
                renamed.append(obj.pk)
            for f, v in changed[obj.pk].items():
                setattr(obj, f, v)
            obj.import_batch = batch
        _bulk_update_audited(objs, [*fields, "import_batch"])
        counts["updated"] += len(objs)
        if renamed:
            EntityNameGram.objects.filter(entity_id__in=renamed).delete()
            _write_name_grams([(pk, changed[pk]["name_key"]) for pk in renamed])


def _settle_name_grams(written: int) -> None:
    """After a bulk load (``ANALYZE_AFTER`` entities or more) on PostgreSQL: VACUUM (ANALYZE) the gram table.

    A search reads the gram index only (index-only scans), but rows not yet known visible to all
    cost a visit to the table each: measured 56 ms instead of 12 ms for a word at 200,000 entities
    until autovacuum came round. VACUUM cannot run inside a transaction: a caller holding one
    (a test, a web request) leaves it to autovacuum. SQLite has nothing of the kind.
    """
    if written < ANALYZE_AFTER or connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(EntityNameGram._meta.db_table)}")
    except DatabaseError:
        pass  # the rows are in; autovacuum will come round


def _write_name_grams(pairs: list[tuple[int, str]]) -> None:
    """Insert the grams of ``(entity id, name_key)`` pairs whose grams are not stored (new or cleared).

    Some twenty rows per entity, so not through ``_insert_rows``'s per-value adaptation: plain
    tuples, COPY on PostgreSQL, ``executemany`` elsewhere, in order of entity (measured faster
    on SQLite than in the gram index's order: the table and the entity index are then appended to).
    """
    rows = [(g, pk) for pk, key in sorted(pairs) for g in name_grams.grams(key or "")]
    if not rows:
        return
    table = connection.ops.quote_name(EntityNameGram._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} (gram, entity_id) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} (gram, entity_id) VALUES (%s, %s)", rows)


@_attributed
def name_grams_rebuild(*, bureau: Bureau | None = None, user: Any = None, chunk_size: int = 20000) -> int:
    """Rebuild the name-gram index (``registry.name_grams``) from the entities' names; returns the entities indexed.

    For repair: after rows were written to the database by hand or restored without their grams.
    ``bureau`` limits it to that bureau's own entities.
    """
    entities = MarketEntity.objects.all()
    if bureau is not None:
        entities = entities.filter(bureau=bureau)
    done, last = 0, 0
    while True:
        with transaction.atomic():
            rows = list(
                entities.filter(pk__gt=last).order_by("pk").values_list("pk", "name_key")[:chunk_size]
            )
            if not rows:
                break
            last = rows[-1][0]
            EntityNameGram.objects.filter(entity_id__in=[pk for pk, _ in rows]).delete()
            _write_name_grams(rows)
        done += len(rows)
        if len(rows) < chunk_size:
            break
    _settle_name_grams(done)
    return done
