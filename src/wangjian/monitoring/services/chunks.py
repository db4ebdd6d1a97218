"""One chunk of a sweep: crawl its presences, record what was fetched, keep the chunk's counters.

Safe to run again (a redelivered Celery message): the chunk's counters restart from zero and every
row it writes is keyed, so a second attempt updates instead of adding.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.db.models import F
from django.utils import timezone

from wangjian.monitoring.choices import ChunkStatus
from wangjian.monitoring.models import PageSnapshot, SweepChunk
from wangjian.monitoring.services.crawl import ChunkCrawler
from wangjian.monitoring.services.record import _presence_pages
from wangjian.monitoring.services.state import _Chunk
from wangjian.monitoring.services.sweeps import BATCH_PRESENCES, sweep_run_finish
from wangjian.registry.models import Presence

if TYPE_CHECKING:
    from wangjian.monitoring.models import SweepRun

log = logging.getLogger(__name__)


def _known_pages(batch: list, run: SweepRun) -> dict[tuple[int, str], dict]:
    """Pages of earlier runs (not of this run: a retried attempt fetches afresh and counts as the first did)."""
    known = {}
    snaps = PageSnapshot.objects.filter(presence__in=batch).exclude(outcome="failed")
    for snap in snaps.exclude(last_run=run):
        known[(snap.presence_id, snap.url)] = {
            "etag": snap.etag,
            "last_modified": snap.last_modified,
            "content_hash": snap.content_hash,
            "links": snap.links,
        }
    return known


def _chunk_start(chunk: SweepChunk, now: dt.datetime) -> None:
    SweepChunk.objects.filter(pk=chunk.pk).update(
        status=ChunkStatus.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        presences_done=0,
        pages_done=0,
        pages_failed=0,
        pages_unchanged=0,
        findings_new=0,
        findings_seen=0,
        regex_timeouts=0,
        regex_notes=[],
        error="",
    )
    chunk.refresh_from_db()


def sweep_chunk_run(*, chunk: SweepChunk, now: dt.datetime | None = None) -> dict:
    """Sweep one chunk's presences: fetch (conditional), skip unchanged pages, check licences, record findings."""
    if chunk.status == ChunkStatus.DONE:
        return {"skipped": "已完成 / already done"}
    now = now or timezone.now()
    _chunk_start(chunk, now)
    state = _Chunk(chunk, now)
    presences = list(
        Presence.objects.filter(pk__in=chunk.presence_ids).select_related("entity").order_by("pk")
    )
    crawler = ChunkCrawler(state.task)
    try:
        for i in range(0, len(presences), BATCH_PRESENCES):
            batch = presences[i : i + BATCH_PRESENCES]
            results = crawler.crawl(batch, _known_pages(batch, chunk.run))
            for presence, outcomes in zip(batch, results, strict=True):
                _presence_pages(
                    state,
                    presence,
                    outcomes,
                    crawler.fetch_linked,
                    render=None if state.task.render == "never" else crawler.render,
                )
            SweepChunk.objects.filter(pk=chunk.pk).update(presences_done=i + len(batch), **state.progress())
        status, error = ChunkStatus.DONE, ""
    except Exception as exc:  # the run must end even when a chunk breaks; the reason is kept on the chunk
        log.exception("sweep chunk %s failed", chunk.pk)
        status, error = ChunkStatus.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
    finally:
        crawler.close()
    SweepChunk.objects.filter(pk=chunk.pk).update(
        status=status, error=error, finished_at=timezone.now(), **state.progress()
    )
    sweep_run_finish(run=chunk.run)
    return {"status": status, **state.counts}
