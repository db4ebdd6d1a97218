"""Importing the registry of market entities (经济户口): new entities inserted, changed ones updated through the change log, nothing silently dropped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from wangjian.core.errors import WangjianError
from wangjian.org.models import Bureau
from wangjian.registry import importing, matching
from wangjian.registry.choices import (
    ImportKind,
)
from wangjian.registry.models import (
    ImportBatch,
    MarketEntity,
)
from wangjian.registry.services.batches import (
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
    if changed:
        objs = list(MarketEntity.objects.filter(pk__in=list(changed)))
        for obj in objs:
            for f, v in changed[obj.pk].items():
                setattr(obj, f, v)
            obj.import_batch = batch
        _bulk_update_audited(objs, [*fields, "import_batch"])
        counts["updated"] += len(objs)
