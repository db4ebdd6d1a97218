"""Fetching online presences for sweeps (网络交易监测): polite, bounded, and honest about failures.

A finding is only as good as the page it came from, so every fetch ends in a recorded
``FetchOutcome`` — ``ok``, ``unchanged`` (the server said 304, or the content hash is the
one seen last time), or ``failed`` with a reason an officer can read (超时, 404, 500, 超过
大小上限, 连接被拒绝, 域名解析失败 …). A failure is never reported as ``ok``: a page that was
not read cannot support "no violation found".

Politeness: a sweep visits the sites of sellers in the jurisdiction, not an adversary, so
requests to one host are limited (``per_host`` at a time, ``delay`` seconds between starts)
and transient errors (connect errors, timeouts, 5xx) are retried with exponential backoff.
Responses are streamed and cut off at ``max_bytes``.

Chinese sites still serve GBK/GB18030, often without declaring it; the charset is taken
from the byte-order mark, the HTTP header, the ``<meta charset>``, and only then detected
(charset-normalizer), and GBK/GB2312 labels are decoded as GB18030 (their superset).

Pages that show their text only after JavaScript runs are rendered in Debian's Chromium
through Playwright (``render="always"``, or ``"auto"``: when the static page has scripts
and almost no visible text).
"""

from __future__ import annotations

import asyncio
import hashlib
import socket
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import Any
from urllib.parse import urlsplit

import httpx

from wangjian.core.charset import decode_body
from wangjian.monitoring import extract

try:
    import sniffio  # noqa: F401
except ImportError:
    # httpcore tries ``import sniffio`` on every request and falls back to asyncio when it is
    # missing; a failed import searches all of sys.path each time (a third of a sweep's CPU).
    # Recording the absence makes the failure immediate and changes nothing else.
    import sys

    sys.modules.setdefault("sniffio", None)

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
USER_AGENT = "wangjian-monitor/0.1 (market regulation sweep; +https://github.com/wangjian)"

OK = "ok"
UNCHANGED = "unchanged"
FAILED = "failed"


@dataclass
class FetchOutcome:
    """One fetch of one URL, recorded whatever happened (网页获取记录)."""

    url: str
    final_url: str = ""
    status: str = FAILED  # ok | unchanged | failed
    reason: str = ""  # "超时 / timeout …", readable in Chinese and English
    reason_code: str = ""  # timeout, http_404, http_500, oversize, connection_refused, dns, …
    http_status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    text: str = ""  # visible text (extract.Extracted.text) of an HTML page, or the decoded body
    html: str = ""  # the decoded document (the rendered DOM when ``rendered``)
    content_hash: str = ""  # SHA-256 of the decoded document: change detection between sweeps
    elapsed: float = 0.0
    encoding: str = ""
    encoding_source: str = ""  # bom | header | meta | detected | default
    depth: int = 0
    attempts: int = 0
    rendered: bool = False
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    size: int = 0
    extracted: extract.Extracted | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.status == OK

    def as_record(self) -> dict[str, Any]:
        """A JSON-able record (no document text) for the sweep log."""
        return {
            f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("text", "html", "extracted")
        }


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- failures


class _Oversize(Exception):
    def __init__(self, size: int):
        self.size = size


def _causes(exc: BaseException) -> list[BaseException]:
    chain, seen = [], set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    return chain


def _failure(exc: BaseException, *, max_bytes: int, timeout: float) -> tuple[str, str, bool]:
    """(reason_code, readable reason, retryable) for an exception raised while fetching."""
    if isinstance(exc, _Oversize):
        return (
            "oversize",
            f"响应超过大小上限 {max_bytes} 字节 / response larger than the {max_bytes}-byte cap",
            False,
        )
    if isinstance(exc, httpx.TimeoutException | asyncio.TimeoutError | TimeoutError):
        return "timeout", f"超时（{timeout:g} 秒）/ timed out after {timeout:g} s", True
    if isinstance(exc, httpx.ConnectError):
        chain = _causes(exc)
        msg = " ".join(str(e) for e in chain).lower()
        if any(isinstance(e, socket.gaierror) for e in chain) or any(
            s in msg for s in ("name or service", "nodename", "getaddrinfo", "name resolution", "no address")
        ):
            return "dns", f"域名解析失败 / DNS lookup failed: {exc}", False
        if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in msg:
            return "connection_refused", "连接被拒绝 / connection refused", True
        return "connect_error", f"无法连接 / could not connect: {exc}", True
    if isinstance(exc, httpx.TooManyRedirects):
        return "redirects", "重定向次数过多 / too many redirects", False
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return "protocol_error", f"连接中断或响应不完整 / connection broken: {exc}", True
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL | ValueError):
        return "bad_url", f"网址无效 / invalid URL: {exc}", False
    return "error", f"获取失败 / fetch failed: {type(exc).__name__}: {exc}", False


_HTTP_REASONS = {
    401: ("需要登录", "login required"),
    403: ("禁止访问", "forbidden"),
    404: ("页面不存在", "not found"),
    410: ("页面已删除", "gone"),
    429: ("请求过于频繁被拒绝", "too many requests"),
    500: ("服务器内部错误", "internal server error"),
    502: ("网关错误", "bad gateway"),
    503: ("服务不可用", "service unavailable"),
    504: ("网关超时", "gateway timeout"),
}


def _http_reason(status: int) -> str:
    zh, en = _HTTP_REASONS.get(status, ("HTTP 错误", "HTTP error"))
    return f"HTTP {status} {zh} / {en}"


# --------------------------------------------------------------------------- the fetcher


class _Host:
    """Per-host state: up to ``per_host`` lanes (one keep-alive connection each) and the politeness clock.

    Each lane is its own single-connection httpx client: the lanes of a host *are* its
    concurrency limit, and no request waits on a pool shared by the whole sweep (httpcore's
    pool bookkeeping grows with its size and was a third of the CPU of a crawl).
    """

    __slots__ = ("free", "created", "lock", "next_start", "busy")

    def __init__(self):
        self.free: list[httpx.AsyncClient] = []
        self.created = 0
        self.lock = asyncio.Lock()
        self.next_start = 0.0
        self.busy = 0


def same_site(url: str, root: str) -> bool:
    """Within the presence: same scheme-less host and under the entry page's directory."""
    u, r = urlsplit(url), urlsplit(root)
    if u.scheme not in ("http", "https") or u.netloc.lower() != r.netloc.lower():
        return False
    prefix = r.path if r.path.endswith("/") else r.path.rsplit("/", 1)[0] + "/"
    return (u.path or "/").startswith(prefix)


class Fetcher:
    """An asyncio httpx fetcher with per-host politeness, retries, a size cap and charset detection.

    Use as ``async with Fetcher(...) as f: outcome = await f.fetch(url)``.
    """

    def __init__(
        self,
        *,
        concurrency: int = 16,
        per_host: int = 2,
        delay: float = 0.25,
        retries: int = 2,
        backoff: float = 0.5,
        timeout: float = 15.0,
        max_bytes: int = 5_000_000,
        render: str = "never",  # never | auto | always
        extract_text: bool = True,
        user_agent: str = USER_AGENT,
        verify: bool = True,
        render_wait: float = 10.0,
    ):
        if render not in ("never", "auto", "always"):
            raise ValueError(f"render must be never, auto or always, not {render!r}")
        self.concurrency = concurrency
        self.per_host = per_host
        self.delay = delay
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.render = render
        self.extract_text = extract_text
        self.render_wait = render_wait
        self._sem = asyncio.Semaphore(concurrency)
        self._hosts: dict[str, _Host] = {}
        self._lane_waiters: dict[str, asyncio.Condition] = {}
        self._client_options = {
            "timeout": httpx.Timeout(timeout),
            "follow_redirects": True,
            "max_redirects": 5,
            "headers": {
                "User-Agent": user_agent,
                "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                "Accept-Encoding": "gzip, deflate",
            },
            "limits": httpx.Limits(max_connections=1, max_keepalive_connections=1),
            # One TLS context for every lane (building one per client costs a quarter of a second).
            "verify": httpx.create_ssl_context(verify=verify) if verify else False,
            "trust_env": False,
        }
        self.max_idle_hosts = 64
        self._renderer: _Renderer | None = None

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        for host in self._hosts.values():
            for client in host.free:
                await client.aclose()
        self._hosts.clear()
        if self._renderer is not None:
            await self._renderer.close()

    # ------------------------------------------------------------------ one URL

    async def fetch(
        self,
        url: str,
        *,
        etag: str = "",
        last_modified: str = "",
        previous_hash: str = "",
        depth: int = 0,
        render: str | None = None,
    ) -> FetchOutcome:
        """Fetch ``url`` once (with retries); never raises for network or HTTP trouble."""
        started = time.perf_counter()
        out = FetchOutcome(url=url, final_url=url, depth=depth)
        host_key = urlsplit(url).netloc.lower()
        host = self._hosts.get(host_key)
        if host is None:
            host = self._hosts[host_key] = _Host()
        host.busy += 1  # before any await, so the host is never forgotten while this request needs it
        if len(self._hosts) > self.max_idle_hosts:
            await self._forget_idle_hosts()
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        # The host's lane first, then a global slot: requests queued behind a busy host hold no slot.
        client = await self._lane(host_key, host)
        try:
            async with self._sem:
                for attempt in range(self.retries + 1):
                    out.attempts = attempt + 1
                    if self.delay > 0:
                        async with host.lock:
                            wait = host.next_start - time.monotonic()
                            if wait > 0:
                                await asyncio.sleep(wait)
                            host.next_start = time.monotonic() + self.delay
                    retry = await self._attempt(client, url, headers, out)
                    if not retry or attempt == self.retries:
                        break
                    await asyncio.sleep(self.backoff * (2**attempt))
        finally:
            await self._release(host_key, host, client)
        if out.status == OK:
            if previous_hash and out.content_hash == previous_hash:
                out.status = UNCHANGED
                out.reason = "内容未变化（哈希一致）/ unchanged (same content hash)"
                out.reason_code = "same_hash"
            mode = render or self.render
            if out.status == OK and _is_html(out) and mode != "never":
                if mode == "always" or _needs_browser(out):
                    await self._render(out)
        out.elapsed = time.perf_counter() - started
        return out

    async def _lane(self, key: str, host: _Host) -> httpx.AsyncClient:
        """A free lane of ``host``, a new one while fewer than ``per_host`` exist, else wait for one."""
        cond = self._lane_waiters.setdefault(key, asyncio.Condition())
        async with cond:
            while not host.free and host.created >= self.per_host:
                await cond.wait()
            if host.free:
                return host.free.pop()
            host.created += 1
            return httpx.AsyncClient(**self._client_options)

    async def _release(self, key: str, host: _Host, client: httpx.AsyncClient) -> None:
        cond = self._lane_waiters[key]
        async with cond:
            host.busy -= 1
            host.free.append(client)
            cond.notify()

    async def _forget_idle_hosts(self) -> None:
        """Close the connections of hosts no request is using once more than ``max_idle_hosts`` are open."""
        for key in [k for k, h in self._hosts.items() if h.busy == 0]:
            if len(self._hosts) <= self.max_idle_hosts:
                break
            host = self._hosts.pop(key)
            self._lane_waiters.pop(key, None)
            for client in host.free:
                await client.aclose()

    async def _attempt(self, client: httpx.AsyncClient, url: str, headers: dict, out: FetchOutcome) -> bool:
        """One request into ``out``; returns whether it is worth retrying."""
        try:
            async with asyncio.timeout(self.timeout * 2):
                async with client.stream("GET", url, headers=headers) as resp:
                    out.http_status = resp.status_code
                    out.final_url = str(resp.url)
                    out.headers = dict(resp.headers)
                    out.content_type = resp.headers.get("content-type", "")
                    out.etag = resp.headers.get("etag", "")
                    out.last_modified = resp.headers.get("last-modified", "")
                    if resp.status_code == 304:
                        out.status, out.reason_code = UNCHANGED, "not_modified"
                        out.reason = "服务器答复未修改（304）/ not modified (304)"
                        return False
                    if resp.status_code >= 400:
                        out.status, out.reason_code = FAILED, f"http_{resp.status_code}"
                        out.reason = _http_reason(resp.status_code)
                        return resp.status_code >= 500 or resp.status_code == 429
                    declared = resp.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > self.max_bytes:
                        raise _Oversize(int(declared))
                    chunks, size = [], 0
                    # Decoded bytes are counted, so a small compressed bomb is cut off too.
                    async for chunk in resp.aiter_bytes():
                        size += len(chunk)
                        if size > self.max_bytes:
                            raise _Oversize(size)
                        chunks.append(chunk)
                    raw = b"".join(chunks)
        except Exception as exc:  # every failure becomes a recorded outcome, never an exception to the sweep
            out.status = FAILED
            out.reason_code, out.reason, retry = _failure(exc, max_bytes=self.max_bytes, timeout=self.timeout)
            return retry
        out.size = len(raw)
        text, out.encoding, out.encoding_source = decode_body(raw, out.content_type)
        self._fill(out, text)
        out.status, out.reason_code, out.reason = OK, "", ""
        return False

    def _fill(self, out: FetchOutcome, document: str) -> None:
        out.html = document
        out.content_hash = content_hash(document)
        if _is_html(out):
            if self.extract_text:
                out.extracted = extract.extract(document, base_url=out.final_url)
                out.text = out.extracted.text
        else:
            out.text = document

    async def _render(self, out: FetchOutcome) -> None:
        if self._renderer is None:
            self._renderer = _Renderer(wait=self.render_wait)
        try:
            html = await self._renderer.render(out.final_url)
        except Exception as exc:  # the static page is still a page; say rendering failed beside it
            out.reason = f"浏览器渲染失败，使用静态页面 / rendering failed, static page used: {exc}"
            out.reason_code = "render_failed"
            return
        self._fill(out, html)
        out.rendered = True

    # ------------------------------------------------------------------ many URLs

    async def fetch_many(self, urls: Iterable[str], **kw) -> list[FetchOutcome]:
        return list(await asyncio.gather(*(self.fetch(u, **kw) for u in urls)))

    async def crawl(
        self,
        start_url: str,
        *,
        depth: int = 1,
        max_pages: int = 200,
        known: dict[str, dict] | None = None,
        on_page: Callable[[FetchOutcome], Awaitable[None] | None] | None = None,
        workers: int | None = None,
        keep_documents: bool = True,
    ) -> list[FetchOutcome]:
        """Breadth-first crawl of one presence: links under the entry page's host and directory.

        ``depth`` 0 fetches only the entry page; ``max_pages`` caps the pages fetched.
        ``known`` maps URL → {"etag", "last_modified", "content_hash", "links"} from the previous
        sweep: unchanged pages come back ``unchanged``, and the links the previous sweep saw on a
        page the server answered 304 for are followed again (a listing may change while its shop's
        home page does not). ``keep_documents=False`` drops each page's text and markup once
        ``on_page`` has seen it, so a large sweep holds only the outcome records.
        """
        known = known or {}
        root = start_url
        r = urlsplit(root)
        # Fast path for the common case (the same spelling of scheme and host as the entry page).
        prefix = f"{r.scheme}://{r.netloc}" + (
            r.path if r.path.endswith("/") else r.path.rsplit("/", 1)[0] + "/"
        )
        seen = {start_url}
        queue: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
        queue.put_nowait((start_url, 0))
        results: list[FetchOutcome] = []
        budget = [max_pages]

        async def worker():
            while True:
                url, d = await queue.get()
                try:
                    prev = known.get(url, {})
                    out = await self.fetch(
                        url,
                        depth=d,
                        etag=prev.get("etag", ""),
                        last_modified=prev.get("last_modified", ""),
                        previous_hash=prev.get("content_hash", ""),
                    )
                    results.append(out)
                    if on_page is not None:
                        r = on_page(out)
                        if asyncio.iscoroutine(r):
                            await r
                    if out.extracted is not None:
                        hrefs = out.extracted.hrefs
                    else:  # 304: the links are those the previous sweep saw on this page
                        hrefs = prev.get("links", []) if out.status == UNCHANGED else []
                    if d < depth:
                        for href in hrefs:
                            if budget[0] <= 0:
                                break
                            if href not in seen and (href.startswith(prefix) or same_site(href, root)):
                                seen.add(href)
                                budget[0] -= 1
                                queue.put_nowait((href, d + 1))
                    if not keep_documents:
                        out.html = out.text = ""
                        out.extracted = None
                finally:
                    queue.task_done()

        budget[0] -= 1
        n = workers or max(1, min(self.concurrency, self.per_host * 2))
        tasks = [asyncio.create_task(worker()) for _ in range(n)]
        try:
            await queue.join()
        finally:
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        return results


def _is_html(out: FetchOutcome) -> bool:
    ct = out.content_type.lower()
    if "html" in ct or "xml" in ct:
        return True
    return not ct and out.html.lstrip()[:100].lower().startswith(("<!doctype html", "<html"))


def _needs_browser(out: FetchOutcome) -> bool:
    """A static page with scripts and (almost) no visible text is one a browser would fill in."""
    if out.extracted is None:
        return False
    return out.extracted.has_scripts and len(out.extracted.text.strip()) < 20


class _Renderer:
    """One Chromium (Debian's, never a downloaded one) shared by a fetcher, a few pages at a time."""

    def __init__(self, *, wait: float = 10.0, pages: int = 2):
        self.wait = wait
        self._sem = asyncio.Semaphore(pages)
        self._lock = asyncio.Lock()
        self._pw = None
        self._browser = None

    async def _start(self):
        async with self._lock:
            if self._browser is None:
                from playwright.async_api import async_playwright

                self._pw = await async_playwright().start()
                self._browser = await self._pw.chromium.launch(
                    executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS
                )
        return self._browser

    async def render(self, url: str) -> str:
        browser = await self._start()
        async with self._sem:
            page = await browser.new_page()
            try:
                await page.goto(url, wait_until="networkidle", timeout=self.wait * 1000)
                return await page.content()
            finally:
                await page.close()

    async def close(self) -> None:
        if self._browser is not None:
            await self._browser.close()
        if self._pw is not None:
            await self._pw.stop()
        self._browser = self._pw = None


# --------------------------------------------------------------------------- synchronous helpers


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
