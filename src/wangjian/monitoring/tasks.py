"""Celery tasks of the sweeps: thin wrappers named like the services they call.

``acks_late``: a chunk's message is acknowledged only after it ran, so a worker that dies
mid-chunk leaves it to another; the chunk service is idempotent, so the redelivery adds
no duplicate finding. Without a broker (``WANGJIAN_BROKER_URL`` unset) they run in-process.
"""

from __future__ import annotations

from celery import shared_task

from wangjian.core.audit import acting
from wangjian.monitoring import services
from wangjian.monitoring.models import FeedScan, MonitoringTask, SweepChunk


# Reads the web: the ``fetch`` queue, consumed by the workers of the internet zone (docs/deployment.md).
@shared_task(name="wangjian.monitoring.tasks.sweep_chunk_run", acks_late=True, reads_the_web=True)
def sweep_chunk_run(chunk_id: int) -> dict:
    chunk = SweepChunk.objects.select_related("run__task__bureau").filter(pk=chunk_id).first()
    if chunk is None:
        return {"skipped": "分片不存在 / no such chunk"}
    with acting(None, via="task"):
        return services.sweep_chunk_run(chunk=chunk)


@shared_task(name="wangjian.monitoring.tasks.finding_evidence_attach", acks_late=True)
def finding_evidence_attach(capture_id: int, finding_id: int) -> bool:
    """Callback of ``evidence.tasks.evidence_capture``: the capture id comes first (Celery ``link``)."""
    return services.finding_evidence_set(finding_id=finding_id, capture_id=capture_id)


@shared_task(name="wangjian.monitoring.tasks.monitoring_task_run", acks_late=True)
def monitoring_task_run(task_id: int) -> int:
    with acting(None, via="task"):
        return services.monitoring_task_run(task=MonitoringTask.objects.get(pk=task_id)).run.pk


@shared_task(name="wangjian.monitoring.tasks.monitoring_tasks_due", acks_late=True)
def monitoring_tasks_due() -> list[int]:
    with acting(None, via="task"):
        return services.monitoring_tasks_due()


# May read the web (a feed given by its URL): the ``fetch`` queue, like the sweeps.
@shared_task(name="wangjian.monitoring.tasks.feed_scan_run", reads_the_web=True)
def feed_scan_run(*, scan_id: int) -> dict:
    """``services.feed_scan_run``: the queued scan a page or the API started (``services.feed_scan_start``)."""
    scan = (
        FeedScan.objects.select_related("task__bureau", "platform", "started_by").filter(pk=scan_id).first()
    )
    if scan is None:
        return {"skipped": "扫描记录不存在 / no such scan"}
    with acting(scan.started_by, via="task"):
        scan = services.feed_scan_run(scan=scan)
    return {"status": scan.status, "findings_new": scan.findings_new, "findings_seen": scan.findings_seen}


@shared_task(name="wangjian.monitoring.tasks.feed_scans_housekeeping")
def feed_scans_housekeeping() -> dict:
    with acting(None, via="task"):
        return services.feed_scans_housekeeping()
