"""Helpers: fetch and crawl with a quick fetcher (tests only talk to 127.0.0.1, no politeness delay)."""

from __future__ import annotations

import asyncio

from wangjian.monitoring.fetching import Fetcher


def fetch(url, **kw):
    """Fetch one URL with a quick, impolite-free fetcher (tests only talk to 127.0.0.1)."""
    fetch_kw = {k: kw.pop(k) for k in ("etag", "last_modified", "previous_hash") if k in kw}
    kw.setdefault("delay", 0)
    kw.setdefault("backoff", 0.01)

    async def run():
        async with Fetcher(**kw) as f:
            return await f.fetch(url, **fetch_kw)

    return asyncio.run(run())


def crawl(url, *, depth, max_pages=200, **kw):
    kw.setdefault("delay", 0)

    async def run():
        async with Fetcher(**kw) as f:
            return await f.crawl(url, depth=depth, max_pages=max_pages)

    return asyncio.run(run())
