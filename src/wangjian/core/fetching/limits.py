"""Where the server may go and how much it may take: one place for every fetch (sweeps and evidence).

``FetchLimits`` holds the timeouts, size caps and redirect limit; each caller starts from the
defaults of its kind of work (a sweep reads many small pages politely, an evidence capture reads
one page with everything it loads) and the bureau's settings may narrow them.

``url_problem`` is the gate every fetch passes before a connection is opened, by httpx or by the
browser; the address policy (which hosts the server may reach at all) belongs here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from wangjian import __version__

#: Debian's Chromium: never a browser downloaded at run time.
CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-dev-shm-usage",
)
SWEEP_USER_AGENT = f"wangjian-monitor/{__version__} (market regulation sweep)"
EVIDENCE_USER_AGENT = (
    f"Mozilla/5.0 (compatible; wangjian-evidence/{__version__}; +market-regulation evidence)"
)


@dataclass(frozen=True)
class FetchLimits:
    """How long, how much and how far one fetch may go."""

    timeout: float = 15.0  # seconds for one request (connect, each read)
    max_bytes: int = 5_000_000  # decoded bytes of one response; a browser page load counts every response
    max_redirects: int = 5
    settle_max: float = 3.0  # seconds a browser waits after ``load`` for the page to become quiet
    quiet_ms: int = 100  # how long no request may be in flight for the page to count as quiet

    def narrowed(self, **changes) -> FetchLimits:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


SWEEP = FetchLimits()
EVIDENCE = FetchLimits(timeout=30.0, max_bytes=50 * 1024 * 1024, max_redirects=10, settle_max=5.0)


def url_problem(url: str) -> str | None:
    """Why the server may not fetch ``url`` (in Chinese and English), or ``None`` when it may."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 (a malformed port raises here)
    except ValueError as exc:
        return f"网址无效 / invalid URL: {exc}"
    if parts.scheme not in ("http", "https"):
        return "只能获取 http(s) 网址 / only http(s) URLs can be fetched"
    if not host:
        return "网址缺少主机名 / the URL has no host"
    return None
