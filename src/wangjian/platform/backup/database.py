"""The database in a backup: a dump taken in one snapshot, and its restore.

Three formats, the database's own tool first (faster, and it keeps everything — sequences,
indexes, every column exactly):

* ``sqlite``: SQLite's online backup API (``sqlite3.Connection.backup``), a page-by-page copy
  read in one transaction — a consistent file while the server keeps writing;
* ``pg_dump``: PostgreSQL's custom format, taken in the snapshot the counts were read in
  (``pg_export_snapshot``), restored with ``pg_restore``;
* ``json``: Django's ``dumpdata`` (natural keys for content types and users' permissions, every
  primary key kept), when PostgreSQL has no ``pg_dump`` on this machine or when asked, since it
  is the one format that moves between SQLite and PostgreSQL.

The counts the apps registered and the applied migrations are read in the dump's snapshot, so
the manifest says what the dump holds.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from wangjian.core.errors import WangjianError
from wangjian.platform.backup import exactjson, parts

SQLITE, PG_DUMP, JSON = "sqlite", "pg_dump", "json"
MEMBER = {
    SQLITE: "database/wangjian.sqlite3",
    PG_DUMP: "database/wangjian.pgdump",
    JSON: "database/wangjian.json",
}
FORMAT_NAMES = {
    SQLITE: ("SQLite 在线备份", "SQLite online backup"),
    PG_DUMP: ("pg_dump 自定义格式", "pg_dump custom format"),
    JSON: ("Django dumpdata（JSON，可在 SQLite 与 PostgreSQL 之间迁移）", "Django dumpdata (JSON, portable)"),
}
# Rows Django's ``migrate`` writes by itself: a database holding only these is empty.
BOOKKEEPING = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "django_session",
    "sqlite_sequence",
}
# dumpdata leaves out what ``migrate`` makes again (content types and permissions, referred to by natural
# keys) and the log-in sessions.
JSON_EXCLUDE = ["contenttypes", "auth.permission", "sessions"]


@dataclass
class Dump:
    format: str
    path: Path
    engine: str
    counts: dict[str, int] = field(default_factory=dict)
    migrations: dict[str, list[str]] = field(default_factory=dict)
    note: str = ""

    @property
    def member(self) -> str:
        return MEMBER[self.format]


def engine() -> str:
    """``sqlite`` or ``postgresql`` (Django's vendor name)."""
    return connection.vendor


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _read_state(cursor) -> tuple[dict[str, int], dict[str, list[str]]]:
    """The registered counts and the applied migrations, read through ``cursor`` (a DB-API cursor)."""
    counts = {}
    for count in parts.counts():
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(count.table())}")
        counts[count.key] = int(cursor.fetchone()[0])
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    migrations: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        migrations.setdefault(app, []).append(name)
    return counts, migrations


def current_state() -> tuple[dict[str, int], dict[str, list[str]]]:
    """The registered counts and applied migrations of the configured database, now."""
    with connection.cursor() as cursor:
        return _read_state(cursor)


def dump(into: Path, *, portable: bool = False) -> Dump:
    """Write the database into the folder ``into``; ``portable``: Django's JSON whatever the engine."""
    vendor = engine()
    if portable:
        return _dump_json(into, vendor)
    if vendor == "sqlite":
        return _dump_sqlite(into)
    if vendor == "postgresql":
        if shutil.which("pg_dump"):
            return _dump_pg(into)
        result = _dump_json(into, vendor)
        result.note = "本机没有 pg_dump，已改用 dumpdata / no pg_dump on this machine: dumpdata used instead"
        return result
    return _dump_json(into, vendor)


def _dump_sqlite(into: Path) -> Dump:
    path = into / "wangjian.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)  # one read transaction: a consistent copy
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        counts, migrations = _read_state(target.cursor())
    finally:
        target.close()
    return Dump(SQLITE, path, "sqlite", counts, migrations)


def pg_env() -> dict[str, str]:
    """libpq's environment for the configured database (pg_dump, pg_restore)."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = str(db["NAME"])
    options = db.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return env


def _run(args: list[str], what: tuple[str, str]) -> None:
    done = subprocess.run(args, env=pg_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise WangjianError(
            f"{what[0]}失败：{done.stderr.strip()[-2000:]}",
            f"{what[1]} failed: {done.stderr.strip()[-2000:]}",
            code="backup_database",
        )


def _dump_pg(into: Path) -> Dump:
    path = into / "wangjian.pgdump"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts, migrations = _read_state(cursor)
        # The dump reads the snapshot this transaction holds open: the counts are the dump's.
        _run(
            [
                shutil.which("pg_dump") or "pg_dump",
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={path}",
            ],
            ("pg_dump 导出数据库", "pg_dump"),
        )
    return Dump(PG_DUMP, path, "postgresql", counts, migrations)


def _dump_json(into: Path, vendor: str) -> Dump:
    path = into / "wangjian.json"
    if pending_migrations():
        # dumpdata reads every model of this version: a table not made yet cannot be read.
        raise WangjianError(
            "数据库还缺本版本的迁移，JSON 格式无法导出：请先运行 wangjian migrate，或用默认格式备份",
            "the database lacks migrations of this version, so the JSON format cannot be written: run "
            "`wangjian migrate` first, or back up in the native format",
            code="backup_database",
        )
    with transaction.atomic(), connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        counts, migrations = _read_state(cursor)
        serializers.register_serializer(exactjson.NAME, exactjson.__name__)
        call_command(
            "dumpdata",
            format=exactjson.NAME,
            natural_foreign=True,
            use_base_manager=True,
            exclude=JSON_EXCLUDE,
            output=str(path),
            verbosity=0,
        )
    return Dump(JSON, path, vendor, counts, migrations)


# ---------------------------------------------------------------- restore


def tables_with_rows() -> list[str]:
    """The tables of the configured database holding rows of their own (empty: a database to restore into)."""
    holding = []
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in BOOKKEEPING:
                continue
            cursor.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1")
            if cursor.fetchone():
                holding.append(table)
    return holding


def known_migrations() -> set[tuple[str, str]]:
    """Every migration this version of wangjian (and of Django) knows."""
    return set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def unknown_migrations(migrations: dict[str, list[str]]) -> list[str]:
    """The backup's applied migrations this version does not know (a backup made by a newer version)."""
    known = known_migrations()
    return [
        f"{app}.{name}"
        for app, names in sorted(migrations.items())
        for name in names
        if (app, name) not in known
    ]


def restorable(fmt: str, made_on: str) -> None:
    """Refuse a dump this database cannot take (a SQLite file into PostgreSQL, or the other way)."""
    here = engine()
    if fmt == JSON or (fmt == SQLITE and here == "sqlite") or (fmt == PG_DUMP and here == "postgresql"):
        if fmt == PG_DUMP and not shutil.which("pg_restore"):
            raise WangjianError(
                "本机没有 pg_restore，无法恢复 pg_dump 格式的数据库（apt-get install postgresql-client）",
                "pg_restore is not on this machine; it restores pg_dump's format (apt-get install postgresql-client)",
                code="backup_database",
            )
        return
    raise WangjianError(
        f"备份中的数据库来自 {made_on}（{FORMAT_NAMES[fmt][0]}），不能恢复到 {here}："
        "请恢复到同一种数据库，或在原实例上用 wangjian backup --format json 备份后再迁移",
        f"the backup's database comes from {made_on} ({FORMAT_NAMES[fmt][1]}) and cannot be restored into "
        f"{here}: restore into the same kind of database, or back up with `wangjian backup --format json` to move",
        code="backup_database",
    )


def restore(fmt: str, path: Path, migrations: dict[str, list[str]]) -> int:
    """Put the dump into the configured database, then apply this version's newer migrations (how many)."""
    if fmt == SQLITE:
        _restore_sqlite(path)
    elif fmt == PG_DUMP:
        _drop_tables()  # a forced restore: no table of a newer schema left for ``migrate`` to trip over
        connections.close_all()
        _run(
            [
                shutil.which("pg_restore") or "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={settings.DATABASES['default']['NAME']}",
                str(path),
            ],
            ("pg_restore 恢复数据库", "pg_restore"),
        )
    else:
        _restore_json(path, migrations)
    connections.close_all()
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    return _migrate_forward()


def _drop_tables() -> None:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if tables:
            cursor.execute("DROP TABLE IF EXISTS " + ", ".join(_quote(t) for t in tables) + " CASCADE")


def _restore_sqlite(path: Path) -> None:
    connections.close_all()
    name = str(settings.DATABASES["default"]["NAME"])
    Path(name).parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(path)
    target = sqlite3.connect(name, timeout=30)
    try:
        # Out of WAL first: a copy into a WAL database cannot change its page size.
        target.execute("PRAGMA journal_mode=DELETE")
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        target.close()
        source.close()


def _leaves(migrations: dict[str, list[str]]) -> Iterable[tuple[str, str]]:
    """The newest applied migration(s) of each app of the backup."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    applied = {(app, name) for app, names in migrations.items() for name in names}
    for key in sorted(applied):
        children = graph.node_map[key].children if key in graph.node_map else set()
        if not any(child in applied and child[0] == key[0] for child in children):
            yield key


def _restore_json(path: Path, migrations: dict[str, list[str]]) -> None:
    # The schema as it was when the backup was made, then its rows, then this version's migrations.
    for app, name in _leaves(migrations):
        call_command("migrate", app, name, interactive=False, verbosity=0)
    if tables_with_rows():
        call_command("flush", interactive=False, verbosity=0)
    call_command("loaddata", str(path), verbosity=0)


def pending_migrations() -> int:
    """How many migrations of this version the database lacks."""
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _migrate_forward() -> int:
    pending = pending_migrations()
    if pending:
        call_command("migrate", interactive=False, verbosity=0)
    return pending
