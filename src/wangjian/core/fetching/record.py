"""A recorded page load: every HTTP exchange byte for byte, with what was read from the page.

Both recorders (plain HTTP, following redirects hop by hop, and the browser, with every request
the page made) return a ``Recorded``: what an evidence record is built from. Nothing here touches
the database or knows what the record is for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from wangjian.core.fetching.outcomes import Failure


@dataclass
class Exchange:
    """One HTTP request and its response, as they went over the wire."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    status: int | None
    reason: str
    response_headers: list[tuple[str, str]]
    body: bytes
    ip: str = ""
    port: int | None = None
    http_version: str = "HTTP/1.1"
    time: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    request_body: bytes = b""


@dataclass
class Recorded:
    """A page load: the exchanges, the main document's answer, and what the page showed."""

    requested_url: str
    engine: str = ""  # "httpx 0.28.1", "Chromium 131.0 via Playwright"
    user_agent: str = ""
    started_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    finished_at: dt.datetime | None = None
    final_url: str = ""
    status: int | None = None
    resolved_ip: str = ""
    redirects: list[dict[str, Any]] = field(default_factory=list)
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    title: str = ""
    html: str = ""
    text: str = ""
    screenshot: bytes = b""
    exchanges: list[Exchange] = field(default_factory=list)
    failure: Failure | None = None
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step, for the record and benches
    ready: dict[str, Any] | None = None  # how a browser decided the page was ready to be read
    refused: list[str] = field(default_factory=list)  # requests of the page the address policy refused

    @property
    def ok(self) -> bool:
        return self.failure is None

    def fail(self, failure: Failure) -> Recorded:
        """Keep the first failure: it is the cause, later ones are consequences."""
        if self.failure is None:
            self.failure = failure
        return self
