"""The platform's own metrics: the broker and its queues, failed tasks, overdue work items."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone
from kombu.exceptions import KombuError

from wangjian.core.background import broker_configured
from wangjian.platform import broker
from wangjian.platform.metrics import register_metric
from wangjian.platform.metrics.failures import failure_counts


def broker_up() -> int:
    """1: the broker answers (or none is configured and tasks run in-process); 0: it does not."""
    if not broker_configured():
        return 1
    try:
        broker.broker_ping()
    except Exception:
        return 0
    return 1


def queue_lengths() -> list[tuple[dict[str, str], int]]:
    """Messages waiting per Celery queue (0 without a broker); an unreachable broker: no samples, broker_up 0."""
    try:
        lengths = broker.queue_lengths()
    except (OSError, KombuError):
        return []
    return [({"queue": name}, n) for name, n in lengths.items()]


def workitems_overdue(today: dt.date | None = None) -> list[tuple[dict[str, str], int]]:
    """Open work items past their deadline, by kind and bureau (a provisional deadline is never overdue)."""
    from wangjian.platform.workitems.models import WorkItem, WorkItemState

    today = today or timezone.localdate()
    rows = (
        WorkItem.objects.filter(state=WorkItemState.OPEN)
        .filter(Q(overdue=True) | Q(due__lt=today, due_provisional=False))
        .values("kind", "bureau__code")
        .annotate(n=Count("id"))
        .order_by("kind", "bureau__code")
    )
    return [({"kind": r["kind"], "bureau": r["bureau__code"]}, r["n"]) for r in rows]


def register() -> None:
    register_metric(
        "wangjian_broker_up", "1 when the Celery broker answers (or none is configured)", broker_up
    )
    register_metric(
        "wangjian_queue_length",
        "messages waiting in each Celery queue (0 without a broker)",
        queue_lengths,
        labels=("queue",),
    )
    register_metric(
        "wangjian_task_failures_total",
        "tasks that failed on a Celery worker since the installation began, per task",
        failure_counts,
        labels=("task",),
        kind="counter",
    )
    register_metric(
        "wangjian_workitems_overdue",
        "open work items (待办事项) past their deadline, per kind and bureau",
        workitems_overdue,
        labels=("kind", "bureau"),
    )
