"""Handing long work to Celery so that a page never waits for it.

With a broker configured the task goes to a worker (on this machine or another). The
embedded default has no broker and Celery runs tasks eagerly in the calling process; a
page that starts a sweep or a million-row import must still answer at once and show the
progress, so the task then runs in a thread of the web process. That is only possible
when other threads can see the rows the request has written: never inside an open
transaction (a test, or a service called from another write) and never on an in-memory
SQLite database — there the task runs on this thread, as before.

Services start work by the task's registered name (``wangjian.<app>.tasks.<function>``), never
by importing their app's ``tasks`` module: tasks call services, services name tasks, and the
two never import each other.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from celery import Signature, current_app
from django.db import close_old_connections, connection, transaction


def broker_configured() -> bool:
    return not current_app.conf.task_always_eager


def task(name: str) -> Any:
    """The Celery task registered under ``name``; a misspelt name fails loudly, naming it.

    A worker imports every app's ``tasks`` module when it starts; a web process or a command
    does it here the first time it names a task it has not imported (Celery's autodiscovery).
    """
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    try:
        return current_app.tasks[name]
    except KeyError:
        raise LookupError(f"no Celery task is registered as {name!r}") from None


def signature(name: str, *args: Any, **kwargs: Any) -> Signature:
    """A call of the task ``name`` to start later, e.g. as the ``link`` of another task."""
    return current_app.signature(name, args=args, kwargs=kwargs)


def send(name: str, *args: Any, link: Signature | None = None, **kwargs: Any) -> Any:
    """Start the task ``name`` now: on a worker with a broker, in this process without one."""
    return task(name).apply_async(args=args, kwargs=kwargs, link=link)


def in_process_background() -> bool:
    """No broker, and a database other threads can share: the work may run in a thread of this process."""
    if broker_configured():
        return False
    if connection.in_atomic_block:
        return False  # another thread could not see this transaction's rows; run here
    return not (connection.vendor == "sqlite" and connection.is_in_memory_db())


def start_thread(name: str, work: Callable[[], Any]) -> threading.Thread:
    """Run ``work`` in a daemon thread with its own database connection, closed at the end."""

    def run() -> None:
        try:
            work()
        finally:
            close_old_connections()
            connection.close()

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread


def dispatch(name: str, *, thread_name: str, **kwargs: Any) -> Any:
    """Start the task ``name`` without making the caller wait for it where that is possible.

    - broker: sent to a worker once the caller's transaction commits (so the worker finds
      the rows it was told about);
    - no broker, shareable database: run in a thread of this process after the commit;
    - otherwise: run now, on this thread (the result is returned).
    """
    if broker_configured():
        if connection.in_atomic_block:
            transaction.on_commit(lambda: send(name, **kwargs))
            return None
        return send(name, **kwargs)
    if in_process_background():
        start_thread(thread_name, lambda: send(name, **kwargs))
        return None
    return send(name, **kwargs)
