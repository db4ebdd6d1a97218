"""Fetching online presences for sweeps (网络交易监测): the shared fetch stack, reading pages as a sweep does.

The fetching itself — politeness, retries, size caps, charset, the outcome vocabulary, the
shared browser — is ``wangjian.core.fetching``; a sweep adds how it reads a page
(``extract.extract``: visible text with where each piece came from, links, whether scripts
build the page). A failure is never reported as ``ok``: a page that was not read cannot support
"no violation found".
"""

from __future__ import annotations

import asyncio

from wangjian.core.charset import decode_body
from wangjian.core.fetching import http
from wangjian.core.fetching.http import FAILED, OK, UNCHANGED, FetchOutcome, content_hash, same_site
from wangjian.core.fetching.limits import CHROMIUM_PATH
from wangjian.monitoring import extract

__all__ = [
    "CHROMIUM_PATH",
    "FAILED",
    "OK",
    "UNCHANGED",
    "FetchOutcome",
    "Fetcher",
    "content_hash",
    "crawl_sync",
    "decode_body",
    "fetch_sync",
    "same_site",
]


class Fetcher(http.Fetcher):
    """The shared fetcher reading HTML pages with ``extract`` (``extract_text=False`` keeps the raw body)."""

    def __init__(self, *, extract_text: bool = True, **kw):
        if extract_text:
            kw.setdefault("parse", extract.extract)
        super().__init__(**kw)


def fetch_sync(url: str, **kw) -> FetchOutcome:
    """``fetch`` for callers without an event loop (commands, Celery tasks)."""
    fetch_kw = {k: kw.pop(k) for k in ("etag", "last_modified", "previous_hash", "depth") if k in kw}

    async def run():
        async with Fetcher(**kw) as f:
            return await f.fetch(url, **fetch_kw)

    return asyncio.run(run())


def crawl_sync(url: str, *, depth: int = 1, max_pages: int = 200, known: dict | None = None, **kw):
    async def run():
        async with Fetcher(**kw) as f:
            return await f.crawl(url, depth=depth, max_pages=max_pages, known=known)

    return asyncio.run(run())
