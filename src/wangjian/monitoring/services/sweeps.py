"""Sweeps (监测任务): plan a task's presences into per-host chunks, start a run, finish it, start the runs due.

Each chunk is a Celery task (``wangjian.monitoring.tasks.sweep_chunk_run``) started by name, so any number of
workers share a province's presences; without a broker they run in-process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from wangjian.core.background import in_process_background, send, start_thread
from wangjian.core.errors import ValidationFailed
from wangjian.monitoring.limits import task_limits_check
from wangjian.monitoring.selectors import engine_for

if TYPE_CHECKING:
    from wangjian.monitoring.models import MonitoringTask, SweepRun
    from wangjian.org.models import User
    from wangjian.registry.models import MarketEntity, Platform, Presence

# =========================================================================== sweeps (网络交易监测任务)
#
# A run is planned into per-host chunks (``sweep_plan``); each chunk is one Celery task
# (``tasks.sweep_chunk_run``), so any number of workers share a province's presences, and
# without a broker the same tasks run in-process. Every write a chunk makes is idempotent:
# snapshots and licence checks are keyed by page and run, findings by (presence, rule,
# normalised text) with a database constraint, and a chunk's counters are reset when an
# attempt starts — a redelivered chunk (acks_late) redoes its pages and adds nothing twice.

CHUNK_PRESENCES = 10  # presences per chunk: small enough to spread, large enough to reuse connections
BATCH_PRESENCES = 4  # presences crawled concurrently inside a chunk between two progress updates

# When a rule's library names no domain, the clue's domain follows the rule's category.


@dataclass
class ChunkPlan:
    host: str
    presence_ids: list[int]


def sweep_plan(*, task: MonitoringTask) -> list[ChunkPlan]:
    """Split the task's presences into per-host chunks (one host's politeness stays inside a chunk)."""
    from urllib.parse import urlsplit

    from wangjian.monitoring.selectors import task_presences

    by_host: dict[str, list[int]] = {}
    for pk, url in task_presences(task=task).values_list("pk", "url"):
        by_host.setdefault(urlsplit(url).netloc.lower() or "?", []).append(pk)
    plans = []
    for host in sorted(by_host):
        ids = by_host[host]
        for i in range(0, len(ids), CHUNK_PRESENCES):
            plans.append(ChunkPlan(host, ids[i : i + CHUNK_PRESENCES]))
    return plans


@dataclass
class RunStarted:
    run: object
    chunks: int
    reason: str


SWEEP_CHUNK_TASK = "wangjian.monitoring.tasks.sweep_chunk_run"


def _dispatch_in_thread(chunk_ids: list[int]) -> None:
    def work() -> None:
        for pk in chunk_ids:
            send(SWEEP_CHUNK_TASK, pk)

    start_thread("wangjian-sweep", work)


def monitoring_task_run(
    *,
    task: MonitoringTask,
    actor: User | None = None,
    now: dt.datetime | None = None,
    background: bool = False,
) -> RunStarted:
    """Start a run: plan the chunks and hand each to Celery (in-process when no broker is configured).

    ``background`` (the run button): without a broker the chunks run in a thread of this
    process, so the page can show the progress live instead of waiting for the whole sweep.
    """
    from wangjian.monitoring.choices import RunStatus
    from wangjian.monitoring.models import SweepChunk, SweepRun

    now = now or timezone.now()
    if not task.enabled:
        raise ValidationFailed(f"监测任务“{task}”已停用", f"the monitoring task {task} is disabled")
    plans = sweep_plan(task=task)
    with transaction.atomic():
        run = SweepRun.objects.create(
            task=task,
            bureau_id=task.bureau_id,
            status=RunStatus.RUNNING if plans else RunStatus.DONE,
            started_at=now,
            finished_at=None if plans else now,
            started_by=actor if getattr(actor, "pk", None) else None,
            presences_total=sum(len(p.presence_ids) for p in plans),
            pages_remaining=sum(len(p.presence_ids) for p in plans),
            chunks_total=len(plans),
            message="" if plans else "没有符合条件的网络经营场所 / no presence matches the selection",
        )
        chunks = [SweepChunk.objects.create(run=run, host=p.host, presence_ids=p.presence_ids) for p in plans]
        type(task).objects.filter(pk=task.pk).update(last_run_at=now)
    if background and chunks and in_process_background():
        transaction.on_commit(lambda: _dispatch_in_thread([c.pk for c in chunks]))
        return RunStarted(run, len(chunks), f"{run.presences_total} 个场所，{len(chunks)} 个分片（后台执行）")
    for chunk in chunks:
        # After the commit, so a worker on another machine finds the rows.
        send(SWEEP_CHUNK_TASK, chunk.pk)
    run.refresh_from_db()
    return RunStarted(run, len(chunks), f"{run.presences_total} 个场所，{len(chunks)} 个分片（按主机划分）")


def sweep_run_finish(*, run: SweepRun) -> bool:
    """Close the run once no chunk is pending or running; its totals are the sums of its chunks."""
    from django.db.models import Sum

    from wangjian.monitoring.choices import ChunkStatus, RunStatus
    from wangjian.monitoring.models import SweepRun

    if run.chunks.filter(status__in=[ChunkStatus.PENDING, ChunkStatus.RUNNING]).exists():
        return False
    fields = [
        "pages_done",
        "pages_failed",
        "pages_unchanged",
        "findings_new",
        "findings_seen",
        "regex_timeouts",
    ]
    sums = run.chunks.aggregate(**{f: Sum(f) for f in fields})
    failed = run.chunks.filter(status=ChunkStatus.FAILED).count()
    status = RunStatus.FAILED if failed and failed == run.chunks.count() else RunStatus.DONE
    parts = [f"{failed} 个分片失败 / {failed} chunk(s) failed"] if failed else []
    if sums["regex_timeouts"]:
        notes: list[str] = []
        for chunk_notes in run.chunks.values_list("regex_notes", flat=True):
            notes += [n for n in chunk_notes or () if n not in notes]
        parts.append(
            f"正则表达式超时 {sums['regex_timeouts']} 次，超时的规则已跳过，其余规则照常运行"
            f" / regular expressions ran out of time {sums['regex_timeouts']} time(s): those rules were"
            " skipped, the others ran"
        )
        parts += notes[:10]
    message = "\n".join(parts)
    return bool(
        SweepRun.objects.filter(pk=run.pk)
        .exclude(status__in=[RunStatus.DONE, RunStatus.FAILED])
        .update(
            status=status,
            finished_at=timezone.now(),
            pages_remaining=0,
            message=message,
            **{f: sums[f] or 0 for f in fields},
        )
    )


# Intervals raised for a day by the apps above (a campaign's 重点时段 — 双十一, 618, holidays — sweeps its linked
# tasks more often): each provider answers ``{task id: hours}`` for the tasks it raises on ``day``. Monitoring
# cannot import those apps, so they register here at start-up (``register_interval_provider``).
IntervalProvider = Callable[[dt.date], dict[int, int]]
_INTERVAL_PROVIDERS: list[IntervalProvider] = []


def register_interval_provider(provider: IntervalProvider) -> None:
    if provider not in _INTERVAL_PROVIDERS:
        _INTERVAL_PROVIDERS.append(provider)


def raised_intervals(day: dt.date) -> dict[int, int]:
    """The shortest raised interval of each task on ``day`` among the providers' answers."""
    raised: dict[int, int] = {}
    for provider in _INTERVAL_PROVIDERS:
        for task_id, hours in provider(day).items():
            if hours and hours > 0:
                raised[task_id] = min(hours, raised.get(task_id, hours))
    return raised


def monitoring_tasks_due(*, now: dt.datetime | None = None) -> list[int]:
    """Start every enabled task whose interval has passed and that has no run in progress.

    The interval is the task's own, or a shorter one raised for today (``raised_intervals``); a task
    without an interval of its own (manual only) runs on the raised one while it lasts."""
    from django.db.models import Q

    from wangjian.monitoring.choices import RunStatus
    from wangjian.monitoring.models import MonitoringTask

    now = now or timezone.now()
    raised = raised_intervals(timezone.localdate(now))
    started = []
    for task in MonitoringTask.objects.filter(Q(interval_hours__gt=0) | Q(pk__in=list(raised)), enabled=True):
        hours = min(h for h in (task.interval_hours, raised.get(task.pk)) if h)
        if task.runs.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists():
            continue
        if task.last_run_at and task.last_run_at > now - dt.timedelta(hours=hours):
            continue
        started.append(monitoring_task_run(task=task, now=now).run.pk)
    return started


def monitoring_task_save(
    *,
    task: MonitoringTask,
    platforms: Collection[Platform] | None = None,
    entities: Collection[MarketEntity] | None = None,
    presences: Collection[Presence] | None = None,
) -> MonitoringTask:
    """Save a monitoring task after the rules a page and the API share: its depth, pages and rate are
    within the limits (``monitoring.limits``), the rule libraries it names exist, and the station,
    platforms, entities and presences it selects belong to its bureau.

    ``platforms`` / ``entities`` / ``presences``: the selection to set (None: leave as it is).
    """
    task_limits_check(task)
    if task.libraries:
        engine_for(names=task.libraries, bureau=task.bureau)  # refuses, naming the libraries there are
    foreign = []
    if task.station_id and task.station.bureau_id != task.bureau_id:
        foreign.append(str(task.station))
    for label, rows in (("平台", platforms), ("市场主体", entities), ("网络经营场所", presences)):
        for row in rows or ():
            if row.bureau_id != task.bureau_id:
                foreign.append(f"{label} {row}")
    if foreign:
        raise ValidationFailed(
            f"监测任务只能选择本局的对象：{'、'.join(foreign[:5])}",
            "A monitoring task selects only its own bureau's station, platforms, entities and presences",
            detail={"foreign": foreign},
        )
    with transaction.atomic():
        task.save()
        for name, rows in (("platforms", platforms), ("entities", entities), ("presences", presences)):
            if rows is not None:
                getattr(task, name).set(rows)
    return task
