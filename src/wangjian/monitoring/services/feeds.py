"""Platforms' listing feeds (平台报送商品信息) scanned without fetching pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from wangjian.monitoring.services.findings import finding_upsert
from wangjian.monitoring.services.state import _Chunk, new_counts

if TYPE_CHECKING:
    from wangjian.monitoring.models import MonitoringTask
    from wangjian.registry.models import Platform

# --------------------------------------------------------------------------- listing feeds and schedule


@dataclass
class FeedScan:
    listings: int = 0
    findings_new: int = 0
    findings_seen: int = 0
    unknown_shops: list[str] | None = None
    rejected: list[tuple[int, str]] | None = None


def feed_scan(
    *,
    task: MonitoringTask,
    platform: Platform,
    data: bytes | str,
    fmt: str = "",
    now: dt.datetime | None = None,
) -> FeedScan:
    """Scan a platform's listing feed (平台报送商品信息) without fetching pages; findings go to the shops.

    A listing whose shop is not a registered presence of the platform is reported, not dropped.
    """
    from wangjian.monitoring.extract import read_feed
    from wangjian.monitoring.models import SweepRun
    from wangjian.registry.models import Presence

    now = now or timezone.now()
    listings, rejected = read_feed(data, fmt=fmt)
    shops = {p.account_id: p for p in Presence.objects.filter(platform=platform).exclude(account_id="")}
    run = SweepRun.objects.create(
        task=task,
        bureau_id=task.bureau_id,
        status="running",
        started_at=now,
        message=f"平台商品信息：{platform}",
    )

    class _State(_Chunk):
        def __init__(self):
            from wangjian.monitoring.selectors import engine_for

            self.run, self.task, self.now = run, task, now
            self.engine = engine_for(names=task.libraries or None, bureau=task.bureau)
            self.rules, self.counted = {}, set()
            self.counts = new_counts()
            self.regex_notes = []

    state = _State()
    report = FeedScan(listings=len(listings), unknown_shops=[], rejected=rejected)
    for item in listings:
        presence = shops.get(item.shop_id)
        if presence is None:
            report.unknown_shops.append(item.shop_id)
            continue
        page = item.extracted()
        text = page.combined
        result = state.engine.scan(text)
        state.regex_report(result.regex_problems)
        for hit in result.hits:
            where = page.source_at(hit.start)
            finding_upsert(
                state=state,
                presence=presence,
                page_url=item.url or f"feed:{item.listing_id}",
                text=text,
                hit=hit,
                source=where[0].source if where else "",
            )
        state.counts["pages_done"] += 1
    message = f"平台商品信息：{platform}" + "".join(f"；{note}" for note in state.regex_notes)
    SweepRun.objects.filter(pk=run.pk).update(
        status="done", finished_at=timezone.now(), message=message, **state.counts
    )
    report.findings_new, report.findings_seen = state.counts["findings_new"], state.counts["findings_seen"]
    return report
