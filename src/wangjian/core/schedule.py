"""Periodic jobs: Celery beat when a broker is configured, an in-process scheduler otherwise.

Each app may have a ``schedule.py`` with ``SCHEDULE = {"name": {"task": "wangjian.app.tasks.fn",
"every": seconds}}``. ``wangjian beat`` hands them to Celery beat; without a broker,
``wangjian serve`` runs them in a background thread of the web process, so the
embedded default needs no server.
"""

from __future__ import annotations

import logging
import threading
import time
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps

log = logging.getLogger(__name__)


def collect() -> dict[str, dict]:
    jobs: dict[str, dict] = {}
    for config in apps.get_app_configs():
        if config.name.startswith("wangjian.") and find_spec(f"{config.name}.schedule"):
            jobs.update(getattr(import_module(f"{config.name}.schedule"), "SCHEDULE", {}))
    return jobs


def beat_schedule() -> dict[str, dict]:
    return {name: {"task": job["task"], "schedule": float(job["every"])} for name, job in collect().items()}


def _resolve(dotted: str):
    module, _, name = dotted.rpartition(".")
    return getattr(import_module(module), name)


class InProcessScheduler(threading.Thread):
    """Runs every collected job at its interval in this process (no broker configured)."""

    def __init__(self, tick: float = 5.0):
        super().__init__(name="wangjian-scheduler", daemon=True)
        self.tick = tick
        self.stopped = threading.Event()
        self.last_run: dict[str, float] = {}

    def run_due(self, now: float | None = None) -> list[str]:
        now = time.monotonic() if now is None else now
        ran = []
        for name, job in collect().items():
            if now - self.last_run.get(name, float("-inf")) < float(job["every"]):
                continue
            self.last_run[name] = now
            try:
                task = _resolve(job["task"])
                (getattr(task, "run", None) or task)()
                ran.append(name)
            except Exception:  # a failing job must not stop the others; it is logged
                log.exception("scheduled job %s failed", name)
        return ran

    def run(self) -> None:
        from django.db import close_old_connections

        while not self.stopped.wait(self.tick):
            close_old_connections()  # this thread's connections, between rounds
            try:
                self.run_due()
            finally:
                close_old_connections()
