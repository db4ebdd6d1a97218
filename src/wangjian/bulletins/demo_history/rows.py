"""Columns set on rows already written, one statement for all (``executemany``): Django's ``bulk_update``
builds a CASE expression per row and field, slower than the history's whole insert. Plain values only
(no JSON); the history's own records, inside its transaction, with no signals and no change records —
what it sets (numbers, links, backdated creation times) the change log shows on the created records."""

from __future__ import annotations

from django.db import connection
from django.db.models import Model


def rows_update(objs: list[Model], fields: list[str]) -> None:
    """``UPDATE … SET field = value … WHERE pk = …`` for each of ``objs``, with the values they hold."""
    if not objs:
        return
    meta = objs[0]._meta
    columns = [meta.get_field(name) for name in fields]
    sets = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in columns)
    table, pk = connection.ops.quote_name(meta.db_table), connection.ops.quote_name(meta.pk.column)
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns] + [obj.pk] for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {sets} WHERE {pk} = %s", params)
