"""The asynchronous crawl of a chunk's presences (polite per host, conditional requests), apart from
deciding and writing: it returns what was fetched and nothing else."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from wangjian.monitoring.fetching import Fetcher, FetchOutcome
from wangjian.monitoring.limits import bounded

if TYPE_CHECKING:
    from wangjian.monitoring.models import MonitoringTask


class ChunkCrawler:
    """One event loop and one ``Fetcher`` for one attempt at a chunk; closed at the end."""

    def __init__(self, task: MonitoringTask):
        self.task = task
        self.limits = bounded(task)
        self.loop = asyncio.new_event_loop()
        self.fetcher = Fetcher(
            render=task.render, delay=self.limits.delay, per_host=2, retries=1, backoff=0.2, timeout=15
        )

    def crawl(
        self, presences: list, known: dict[tuple[int, str], dict[str, Any]]
    ) -> list[list[FetchOutcome]]:
        """Every presence's pages to the task's depth; ``known`` (presence id, url) → etag, hash and links."""

        async def go() -> list[list[FetchOutcome]]:
            return await asyncio.gather(
                *(
                    self.fetcher.crawl(
                        p.url,
                        depth=self.limits.depth,
                        max_pages=self.limits.max_pages,
                        known={u: v for (pid, u), v in known.items() if pid == p.pk},
                    )
                    for p in presences
                )
            )

        return self.loop.run_until_complete(go())

    def fetch_linked(self, urls: Iterable[str]) -> list:
        """The extracted pages a licence display links to (a licence's own page, a registry search)."""

        async def go() -> list[FetchOutcome]:
            return await asyncio.gather(*(self.fetcher.fetch(u, depth=1) for u in urls))

        return [o.extracted for o in self.loop.run_until_complete(go()) if o.ok and o.extracted is not None]

    def render(self, url: str) -> FetchOutcome:
        """``url`` opened in the browser (an entry page whose scripts could write its licence display)."""
        return self.loop.run_until_complete(self.fetcher.fetch(url, depth=0, render="always"))

    def close(self) -> None:
        try:
            self.loop.run_until_complete(self.fetcher.aclose())
        finally:
            self.loop.close()
