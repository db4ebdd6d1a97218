"""Shared fixtures: the demo county of the seeds and logged-in clients per role."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Callable
from typing import Any

import pytest

DEMO_PASSWORD = "Demo2025pass"

# The test sites listen on 127.0.0.1, which the address policy refuses like every loopback address;
# the suite allows that one address as a deployment would allow its test sites. Tests of the policy
# serve on 127.0.0.2 (still loopback, not allowed) and change the setting where they need to.
os.environ.setdefault("WANGJIAN_FETCH_ALLOW", "127.0.0.1/32")  # for commands run as subprocesses
# The demo's shops and platforms have names under ``.example``, which never resolve: a lookup of one fails either
# way, but a resolver that drops the odd query makes it wait glibc's five seconds before failing (one lookup in
# twenty or thirty on the machine the suite was timed on: 20 s and more of the backup drill's demo). One second, once:
# the same failure, sooner. Set before any lookup of this process, and inherited by the commands the tests start;
# an operator's own setting wins.
os.environ.setdefault("RES_OPTIONS", "timeout:1 attempts:1")


def pytest_configure(config):
    from django.conf import settings

    settings.WANGJIAN_FETCH_ALLOW = os.environ["WANGJIAN_FETCH_ALLOW"]


# Modules with tests of a minute or more each (per-test times of a whole run, ``--junitxml``). They run first, whole
# (a module's fixtures are set up once), so that the two workers of ``make test`` (``--dist worksteal``) end on
# short tests together, instead of one waiting for the other's last long test.
LONG_FIRST = (
    "tests/platform/test_api_fuzz.py",
    "tests/platform/test_deployment_layout.py",
    "tests/platform/test_backup_drill.py",
    "tests/core/test_shell.py",
    "tests/platform/test_numbering.py",
    "tests/platform/test_statistics_records.py",
    "tests/monitoring/sweeps/test_demo.py",
    "tests/exchange/test_two_instances.py",
    "tests/monitoring/sweeps/test_celery_worker.py",
    "tests/monitoring/pages/test_demo_market.py",
)


def pytest_collection_modifyitems(config, items):
    """The long modules first (``LONG_FIRST``); on PostgreSQL, the tests marked ``own_database`` are left out:
    they choose their database themselves (a SQLite file, or a PostgreSQL database of their own), so the run on
    SQLite has run them exactly so."""
    rank = {path: i for i, path in enumerate(LONG_FIRST)}
    # A stable sort: the other modules keep their order.
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))
    if not os.environ.get("WANGJIAN_DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    own = [item for item in items if item.get_closest_marker("own_database")]
    if own:
        config.hook.pytest_deselected(items=own)
        items[:] = [item for item in items if not item.get_closest_marker("own_database")]


@pytest.fixture
def demo(db):
    """The demo organisation (旌德县 under 宣城市, 安徽省, with 绩溪县 beside it)."""
    from wangjian.org import demo as org_demo

    return org_demo.build(password=DEMO_PASSWORD)


@pytest.fixture
def unit_user(demo):
    """``unit_user(clue)`` → an officer of the unit the clue is assigned to (created if the demo has none)."""
    from wangjian.org import services as org_services
    from wangjian.org.models import Station, User

    def _unit_user(clue):
        unit = clue.unit
        field = "station" if isinstance(unit, Station) else "department"
        user = User.objects.filter(**{field: unit}, role__in=["officer", "station_officer"]).first()
        if user is None:
            user, _ = org_services.user_create(
                username=f"u{field}{unit.pk}",
                bureau=clue.bureau,
                role="station_officer" if field == "station" else "officer",
                password="Demo2025pass",
                **{field: unit},
            )
        return user

    return _unit_user


@pytest.fixture
def login(client):
    """``login(user)`` → a Django test client logged in as ``user``."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def api(demo):
    """``api(user)`` → a DRF client authenticated with the user's token."""
    from knox.models import AuthToken
    from rest_framework.test import APIClient

    def _api(user):
        _, token = AuthToken.objects.create(user=user)
        c = APIClient()
        c.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return c

    return _api


class Queries:
    """The one way the tests count SQL: what a call runs, and that a page costs the same with more rows.

    ``queries.flat(fetch, add_rows)`` is the N+1 guard (NetBox's query baselines without numbers
    to keep up to date): ``fetch()`` is measured, ``add_rows()`` adds rows, ``fetch()`` is
    measured again and must cost exactly as much. ``ceiling`` bounds both counts when given.
    A ``fetch`` that returns a response must answer 200.
    """

    def run(self, call: Callable[[], Any]) -> tuple[Any, list[str]]:
        """``call()``'s result and the SQL it ran, in order."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            result = call()
        return result, [q["sql"] for q in ctx.captured_queries]

    def count(self, call: Callable[[], Any]) -> int:
        """How many queries ``call()`` runs (a response must answer 200)."""
        return len(self._checked(call))

    def flat(
        self, fetch: Callable[[], Any], add_rows: Callable[[], Any], *, ceiling: int | None = None
    ) -> int:
        """The count of ``fetch()``, the same before and after ``add_rows()``; returns it."""
        fetch()  # once to warm the per-process caches (content types, settings): they are not rows
        few = self._checked(fetch)
        add_rows()
        many = self._checked(fetch)
        assert len(many) == len(few), (
            f"{len(few)} queries before adding rows, {len(many)} after (a query per row?):\n"
            + "\n".join(q for q in many if q not in few)
        )
        if ceiling is not None:
            assert len(few) <= ceiling, f"{len(few)} queries, more than the ceiling of {ceiling}"
        return len(few)

    def _checked(self, call: Callable[[], Any]) -> list[str]:
        result, sql = self.run(call)
        status = getattr(result, "status_code", None)
        assert status in (None, 200), f"answered {status}"
        return sql


@pytest.fixture
def queries() -> Queries:
    """``queries.flat(fetch, add_rows)``, ``queries.count(call)``, ``queries.run(call)``: see ``Queries``."""
    return Queries()


def log_in(page, live_server, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log ``page`` in through the log-in form, as a person does, and wait for the workbench."""
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("#my-tasks")


def chromium_path() -> str | None:
    return shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """MD5 in tests only: the password policy still applies, the hashing just costs nothing."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser). CI must have it.

    Module scope: the sync API keeps an event loop alive while open, which would break
    later modules that run asyncio themselves.
    """
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium missing in CI: scripts/system_deps.sh should have installed it")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls made by fixtures
    # alongside it are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield b
        b.close()


@pytest.fixture(scope="session")
def s3_endpoint():
    """An S3-compatible endpoint on 127.0.0.1 (moto's server), as a bureau's MinIO would be."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint, settings, monkeypatch):
    """``WANGJIAN_STORAGE`` on a fresh bucket of the loopback endpoint; gives the bucket and a boto3 client."""
    import types
    import uuid

    import boto3

    for name, value in {
        "AWS_ACCESS_KEY_ID": "wangjian-test",
        "AWS_SECRET_ACCESS_KEY": "wangjian-test",
        "AWS_DEFAULT_REGION": "us-east-1",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }.items():
        monkeypatch.setenv(name, value)
    bucket = f"wangjian-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=bucket)
    settings.WANGJIAN_STORAGE = f"s3://{bucket}/jingde"
    settings.WANGJIAN_S3_ENDPOINT_URL = s3_endpoint

    def keys() -> list[str]:
        return sorted(o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", []))

    return types.SimpleNamespace(bucket=bucket, client=client, endpoint=s3_endpoint, keys=keys)


@pytest.fixture
def closed_port():
    """A port on 127.0.0.1 where nothing listens (connection refused)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (log-in failures are counted per address in it)."""
    from django.core.cache import cache

    cache.clear()
    yield


def migrations_digest() -> str:
    """A SHA-256 of the project's migrations: the key of the migrated databases kept between tests and runs."""
    import hashlib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "src" / "wangjian"
    digest = hashlib.sha256()
    for path in sorted(root.glob("*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def migrated_database_cache():
    """Where a freshly migrated SQLite database is kept for second instances (keyed by the migrations)."""
    import tempfile
    from pathlib import Path

    return Path(tempfile.gettempdir()) / f"wangjian-migrated-{migrations_digest()[:16]}.sqlite3"


def ensure_migrated_database_cache():
    """``migrated_database_cache()``, made now when no run on SQLite made it (a run on PostgreSQL alone): built from
    the models with every migration recorded as applied, as the run on SQLite makes it, in a process of its own."""
    import tempfile
    from pathlib import Path

    from tests.journeys import build_from_models
    from wangjian.exchange.instance import backup

    cache = migrated_database_cache()
    if cache.exists():
        return cache
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("WANGJIAN_", "DJANGO_"))}
        env["WANGJIAN_HOME"] = home
        build_from_models(env)
        part = cache.with_suffix(f".{os.getpid()}.part")
        backup(str(Path(home) / "wangjian.sqlite3"), part)
        part.replace(cache)  # atomic: another worker may be writing its own copy
    return cache


@pytest.fixture(scope="session")
def migrated_sqlite(django_db_setup):
    """``migrated_sqlite(path)`` puts a freshly migrated SQLite database at ``path``, for a test whose processes
    use a SQLite file of their own: their ``migrate`` then has nothing left to do (a minute saved each)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the migrated copy is made on the run on SQLite")
    from wangjian.exchange.instance import backup

    def _put(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        return backup(str(migrated_database_cache()), path)

    return _put


_MIGRATION_MODULES: list = []


@pytest.fixture(scope="session")
def django_db_use_migrations():
    """The test database is built from the models, not by replaying every migration.

    Replaying them took about a minute per worker and per run (Django renders the project's model states again
    for each operation), and it tests nothing the suite does not test better elsewhere: the migrations'
    journeys (``tests/journeys.py``) migrate real old states forward, the backup drill restores into a wiped
    database by ``migrate``, and ``test_migrations`` checks that the migrations build exactly the models
    (``makemigrations --check``). pytest-django disables the migration modules to do this; ``django_db_setup``
    below puts them back and records every migration as applied, so that the database reads as migrated.
    """
    from django.conf import settings

    _MIGRATION_MODULES.append(settings.MIGRATION_MODULES)
    return False


def _record_every_migration_applied(connection) -> None:
    from django.conf import settings

    from tests.journeys import record_every_migration_applied

    settings.MIGRATION_MODULES = _MIGRATION_MODULES[0]
    record_every_migration_applied(connection)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database (built from the models, every migration recorded as applied), and — on SQLite, once —
    a copy of it for the tests that start a second instance (``tests/exchange``): migrating a database of its own
    would take that instance a minute or more."""
    from django.db import connection

    with django_db_blocker.unblock():
        _record_every_migration_applied(connection)
    if connection.vendor == "sqlite":
        cache = migrated_database_cache()
        if not cache.exists():
            from wangjian.exchange.instance import backup

            with django_db_blocker.unblock():
                connection.ensure_connection()
                part = cache.with_suffix(f".{os.getpid()}.part")
                backup(connection.connection, part)
                part.replace(cache)  # atomic: another worker may be writing its own copy
    yield
