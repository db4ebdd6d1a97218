"""Counting failed Celery tasks (``wangjian_task_failures_total``), from Celery's ``task_failure`` signal.

Celery sends the signal where a failure is the task's result: on a worker. Without a broker a task
runs in its caller, whose error it becomes (``CELERY_TASK_EAGER_PROPAGATES``), and is not counted here.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from wangjian.platform.metrics.models import TaskFailureCount

log = logging.getLogger(__name__)


def task_failed(sender=None, exception=None, **kwargs) -> None:
    """Count one failure of the task ``sender`` (connected to ``celery.signals.task_failure``)."""
    name = str(getattr(sender, "name", sender) or "?")[:200]
    error = type(exception).__name__ if exception is not None else ""
    now = timezone.now()
    try:
        with transaction.atomic():
            updated = TaskFailureCount.objects.filter(task=name).update(
                failures=F("failures") + 1, last_failed_at=now, last_error=error
            )
            if not updated:
                _, created = TaskFailureCount.objects.get_or_create(
                    task=name, defaults={"failures": 1, "last_failed_at": now, "last_error": error}
                )
                if not created:  # another worker made the row in between
                    TaskFailureCount.objects.filter(task=name).update(
                        failures=F("failures") + 1, last_failed_at=now, last_error=error
                    )
    except DatabaseError:  # the database may be why the task failed; the worker's log has it
        log.warning("could not count the failure of task %s", name, exc_info=True)


def failure_counts() -> list[tuple[dict[str, str], int]]:
    return [({"task": task}, n) for task, n in TaskFailureCount.objects.values_list("task", "failures")]
