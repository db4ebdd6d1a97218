"""Bulk writes for the million-row tables: rows in without model instances, COPY on PostgreSQL.

Django's ``bulk_create`` makes a model instance per row and, on PostgreSQL, sends each column as an
array parameter that psycopg escapes value by value; for the registry's imports and the nightly risk
grading (a million rows) that costs more than the work itself. ``insert_rows`` takes plain
``{attname: value}`` dicts and writes them with ``COPY … FROM STDIN`` on PostgreSQL and ``executemany``
elsewhere (SQLite). Missing fields take their defaults; ``auto_now`` and ``auto_now_add`` fields take
one timestamp for the call; JSON fields are serialised as Django's ``JSONField`` would store them.

These writes bypass ``save()``: no signals, no change record. They are for tables whose history is kept
elsewhere (the import batch, ``GradeChange``) or whose callers write the change records themselves.

``gc_paused`` is for the in-memory side of the same work: building hundreds of thousands of small
objects at once (an index of the registry, a linkage's candidate pairs).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import JSONField, Model
from django.utils import timezone


def _json(value: object) -> object:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)


def insert_rows(model: type[Model], rows: list[dict], *, with_pk: bool = False) -> None:
    """Insert ``rows`` (``{attname: value}``) into ``model``'s table in one COPY (PostgreSQL) or one
    ``executemany``. ``with_pk``: the rows carry their primary keys (a rewrite of existing rows)."""
    if not rows:
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    defaults = {f.attname: (f.get_default() if f.has_default() or not f.null else None) for f in fields}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
    json_fields = {f.attname for f in fields if isinstance(f, JSONField)}
    attnames = [f.attname for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)

    def values(row: dict) -> Iterable[object]:
        for a in attnames:
            value = row.get(a, defaults[a])
            yield _json(value) if a in json_fields else value

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(list(values(row)))
            return
        adapted_now = connection.ops.adapt_datetimefield_value(now)

        def adapt(value: object) -> object:
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
            [[adapt(v) for v in values(row)] for row in rows],
        )


def set_column(model: type[Model], column_values: dict[object, list[int]], *, field: str) -> int:
    """``UPDATE … SET field = value WHERE pk IN ids`` for each ``value → ids``, one statement per value.

    On PostgreSQL the ids go as one integer array (``= ANY(%s)``), not as a parameter each.
    """
    done = 0
    if connection.vendor != "postgresql":
        for value, ids in column_values.items():
            done += model._default_manager.filter(pk__in=ids).update(**{field: value})
        return done
    column = connection.ops.quote_name(model._meta.get_field(field).column)
    pk = connection.ops.quote_name(model._meta.pk.column)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        for value, ids in column_values.items():
            if ids:
                cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = ANY(%s)", [value, list(ids)])
                done += cursor.rowcount
    return done


def delete_ids(model: type[Model], ids: list[int]) -> None:
    """Delete rows by primary key without collecting them (no cascade, no signals): for a rewrite."""
    if not ids:
        return
    if connection.vendor != "postgresql":
        model._default_manager.filter(pk__in=ids)._raw_delete(connection.alias)
        return
    pk = connection.ops.quote_name(model._meta.pk.column)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {pk} = ANY(%s)", [list(ids)])


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector paused while a block builds many small objects that hold no cycles.

    Every object allocated counts towards the next collection, and each full collection walks every
    live container: building a linkage index of 50,000 entities spent two thirds of its time there
    (0.21 s against 0.07 s with the collector paused, bench/match.py). Reference counting still frees
    everything the block drops; cycles made meanwhile wait for the collector's next run after the block.
    A pause inside a pause leaves the collector as the outer one found it. Also a decorator
    (``@gc_paused()``), pausing for each call."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
