"""Migration journeys: a test that migrates from an old state runs in a process of its own, on a database of its own.

Moving the suite's shared database back to an old migration and forward again took minutes per test:
every app after that migration had to be unapplied and applied again. A journey starts from nothing
instead and migrates only as far as it needs, on a SQLite file in its home — or, when the run uses
PostgreSQL, on a fresh database of its own on the run's server.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def migrate(targets):
    """Migrate this process's database to ``targets``; the historical apps of that state."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def leaves(app: str | None = None) -> list[tuple[str, str]]:
    """The latest migration of every app (or of ``app`` and what it needs)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    nodes = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return [n for n in nodes if app is None or n[0] == app]


def postgres_admin(url: str):
    """A connection to the server of ``url`` for creating and dropping databases, and the server's URL prefix."""
    psycopg = pytest.importorskip("psycopg")
    import dj_database_url

    db = dj_database_url.parse(url)
    conninfo = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"] or "postgres",
    }
    if db.get("PASSWORD"):
        conninfo["password"] = db["PASSWORD"]
    admin = psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=5, **conninfo)
    auth = conninfo["user"] + (f":{conninfo['password']}" if "password" in conninfo else "")
    return admin, f"postgres://{auth}@{conninfo['host']}:{conninfo['port']}"


# The schema built from the models and every migration recorded as applied: what the suite's own test database
# is (``django_db_setup`` in tests/conftest.py), for a process of its own. Run with the target database configured.
BUILD_FROM_MODELS = """
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from tests.journeys import record_every_migration_applied


class NoMigrations:
    def __contains__(self, app):
        return True

    def __getitem__(self, app):
        return None


modules, settings.MIGRATION_MODULES = settings.MIGRATION_MODULES, NoMigrations()
call_command("migrate", run_syncdb=True, interactive=False, verbosity=0)
settings.MIGRATION_MODULES = modules
record_every_migration_applied(connection)
"""


def record_every_migration_applied(connection) -> None:
    """Record every migration of the project as applied on ``connection``'s database (built from the models), so
    that it reads as migrated; the migration modules must be the project's again."""
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    loader = MigrationLoader(None, ignore_no_migrations=True)
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    applied = recorder.applied_migrations()
    recorder.migration_qs.bulk_create(
        recorder.Migration(app=app, name=name)
        for app, name in sorted(loader.graph.nodes)
        if (app, name) not in applied
    )


def build_from_models(env: dict) -> None:
    """Build the database ``env`` configures (``WANGJIAN_HOME``'s SQLite file, or ``WANGJIAN_DATABASE_URL``) from
    the models, every migration recorded as applied: a database ``migrate`` finds nothing left to do in, in
    seconds instead of the minute or more that replaying the migrations takes."""
    env = {**env, "DJANGO_SETTINGS_MODULE": "wangjian.settings"}
    done = subprocess.run(
        [sys.executable, "-c", BUILD_FROM_MODELS],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr[-4000:]


def create_migrated_postgres(admin, server: str, name: str) -> None:
    """``CREATE DATABASE name`` as a copy of a migrated template on ``server`` (``admin``'s): the template is made
    once per server and set of migrations (``build_from_models``), under an advisory lock, so that two workers —
    or the run on SQLite and the run on PostgreSQL — racing for it make it once and never copy it half made."""
    from tests.conftest import migrations_digest

    digest = migrations_digest()
    template = f"wangjian_migrated_{digest[:16]}"
    lock = int(digest[:15], 16)  # fits a bigint
    admin.execute("SELECT pg_advisory_lock(%s)", [lock])
    try:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone() is None:
            part = f"{template}_part"
            admin.execute(f"DROP DATABASE IF EXISTS {part} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {part}")
            env = {k: v for k, v in os.environ.items() if not k.startswith(("WANGJIAN_", "DJANGO_"))}
            env.update(
                PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
                WANGJIAN_DATABASE_URL=f"{server}/{part}",
            )
            with tempfile.TemporaryDirectory() as home:
                env["WANGJIAN_HOME"] = home
                build_from_models(env)
            admin.execute(f"ALTER DATABASE {part} RENAME TO {template}")  # whole, or not there
            admin.execute(f"ALTER DATABASE {template} IS_TEMPLATE true")
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    finally:
        admin.execute("SELECT pg_advisory_unlock(%s)", [lock])


@contextmanager
def own_database(tmp_path: Path):
    """The journey's database URL: None (a SQLite file in its home) or a fresh PostgreSQL database."""
    url = os.environ.get("WANGJIAN_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield None
        return
    admin, server = postgres_admin(url)
    name = f"wangjian_journey_{os.getpid()}"
    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{server}/{name}"
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def run(module: str, journey: str, tmp_path: Path) -> None:
    """Run ``module.journey()`` in a new process with its own home and database; its assertion errors fail here."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WANGJIAN_", "DJANGO_"))}
    env.update(
        WANGJIAN_HOME=str(tmp_path),
        DJANGO_SETTINGS_MODULE="wangjian.settings",
        PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    )
    with own_database(tmp_path) as database:
        if database:
            env["WANGJIAN_DATABASE_URL"] = database
        script = f"import django; django.setup(); from {module} import {journey}; {journey}()"
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=600, cwd=REPO
        )
    assert done.returncode == 0, done.stderr[-4000:]
