"""Health checks for the load balancer and the orchestrator: ``/healthz`` and ``/readyz``.

* ``/healthz`` (liveness): the process answers. Nothing else is asked — a database outage must
  not make the orchestrator restart every web process, which would not bring the database back.
* ``/readyz`` (readiness): this process can serve: the database answers, every migration is
  applied, the storage (``WANGJIAN_STORAGE``) takes a file, and the broker answers when
  ``WANGJIAN_BROKER_URL`` is set. 200 when all pass, 503 naming the ones that failed.

No log-in, and nothing a stranger may not read: each check says ok or the kind of error (its
class name), never a host name, a user, a path or a message that could carry them.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from wangjian.core import storage
from wangjian.core.background import broker_configured
from wangjian.platform import broker

STORAGE_CHECK_EVERY = 60  # seconds: a probe every few seconds must not write an object to S3 each time


class NotReady(Exception):
    """A check that failed for a reason it states (e.g. migrations not applied)."""


@dataclass
class Result:
    ok: bool
    error: str = ""
    ms: int = 0
    skipped: bool = False

    def as_dict(self) -> dict:
        out: dict = {"ok": self.ok, "ms": self.ms}
        if self.skipped:
            out["skipped"] = True
        if self.error:
            out["error"] = self.error
        return out


def check_database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")


_lock = threading.Lock()
_migrations_applied = False  # once all are applied they stay so for this process's code
_storage_ok_at = float("-inf")


def check_migrations() -> None:
    global _migrations_applied
    if _migrations_applied:
        return
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        raise NotReady(f"{len(pending)} migrations not applied (wangjian migrate)")
    _migrations_applied = True


def check_storage() -> None:
    """Write and delete a small file in the storage's ``health`` area (at most once a minute when it works)."""
    global _storage_ok_at
    if time.monotonic() - _storage_ok_at < STORAGE_CHECK_EVERY:
        return
    with _lock:
        area = storage.area("health")
        name = area.save(f"ready-{uuid.uuid4().hex}.txt", ContentFile(b"ok\n"))
        area.delete(name)
        _storage_ok_at = time.monotonic()


def check_broker() -> None:
    broker.broker_ping()


def readiness_checks() -> dict[str, Callable[[], None] | None]:
    """The checks ``/readyz`` runs, in order; ``None``: not applicable here (no broker configured)."""
    return {
        "database": check_database,
        "migrations": check_migrations,
        "storage": check_storage,
        "broker": check_broker if broker_configured() else None,
    }


def run_checks() -> dict[str, Result]:
    results: dict[str, Result] = {}
    for name, check in readiness_checks().items():
        if check is None:
            results[name] = Result(ok=True, skipped=True)
            continue
        if name == "migrations" and not results["database"].ok:
            results[name] = Result(ok=False, error="database unreachable")
            continue
        started = time.monotonic()
        try:
            check()
        except NotReady as exc:
            results[name] = Result(ok=False, error=str(exc))
        except Exception as exc:  # any failure is "not ready"; its class name says which kind
            results[name] = Result(ok=False, error=type(exc).__name__)
        else:
            results[name] = Result(ok=True)
        results[name].ms = round((time.monotonic() - started) * 1000)
    return results


@never_cache
@require_http_methods(["GET", "HEAD"])
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_http_methods(["GET", "HEAD"])
def readyz(request):
    results = run_checks()
    ready = all(r.ok for r in results.values())
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": {k: r.as_dict() for k, r in results.items()}},
        status=200 if ready else 503,
    )
