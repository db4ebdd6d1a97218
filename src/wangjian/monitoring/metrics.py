"""The sweeps' metrics (``/metrics``, platform.metrics): pages read in the last hour, runs going, chunks failed.

Pages are counted from their snapshots (``PageSnapshot``, one per page, its last check): a
page read twice in the hour counts once, under the outcome of its last read. A rising share
of ``failed`` says a site blocks the sweeps or the internet zone lost its way out.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from wangjian.monitoring.choices import ChunkStatus, PageOutcome, RunStatus
from wangjian.monitoring.models import PageSnapshot, SweepChunk, SweepRun
from wangjian.platform.metrics import register_metric

HOUR = dt.timedelta(hours=1)


def pages_last_hour() -> list[tuple[dict[str, str], int]]:
    since = timezone.now() - HOUR
    counts = dict(
        PageSnapshot.objects.filter(checked_at__gte=since)
        .values("outcome")
        .annotate(n=Count("id"))
        .values_list("outcome", "n")
    )
    return [({"outcome": outcome}, counts.get(outcome, 0)) for outcome in PageOutcome.values]


def runs_running() -> int:
    return SweepRun.objects.filter(status=RunStatus.RUNNING).count()


def chunks_failed_last_hour() -> int:
    return SweepChunk.objects.filter(
        status=ChunkStatus.FAILED, finished_at__gte=timezone.now() - HOUR
    ).count()


def register() -> None:
    register_metric(
        "wangjian_sweep_pages_last_hour",
        "pages the sweeps read in the last hour, by outcome (ok, unchanged, failed)",
        pages_last_hour,
        labels=("outcome",),
    )
    register_metric("wangjian_sweep_runs_running", "sweep runs in progress", runs_running)
    register_metric(
        "wangjian_sweep_chunks_failed_last_hour",
        "sweep chunks that failed in the last hour",
        chunks_failed_last_hour,
    )
