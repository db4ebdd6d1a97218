"""Fetching pages over HTTP: polite and bounded for sweeps, hop by hop for evidence.

``Fetcher`` (asyncio) reads many pages for a sweep: per-host lanes and a politeness clock,
retries with backoff for what may pass (connect errors, timeouts, 5xx, 429), responses streamed
and cut off at the size cap, conditional requests (ETag, Last-Modified) and a content hash for
pages that did not change. Every fetch ends in a ``FetchOutcome`` — ``ok``, ``unchanged`` or
``failed`` with a code of the shared vocabulary (``outcomes``) and a readable reason; it never
raises for network or HTTP trouble. What a page *says* (its visible text, its links, whether it
needs a browser) is read by the caller's ``parse`` function; pages built by scripts are rendered
by the shared browser pool.

``record_http`` reads one page for an evidence record: redirects followed by hand so that every
hop is an exchange of its own, bytes kept as they came (no compression negotiated).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx

from wangjian.core.charset import decode_body
from wangjian.core.fetching import browser as browsing
from wangjian.core.fetching import outcomes
from wangjian.core.fetching.addresses import AddressPolicy, AddressRefused, current_policy
from wangjian.core.fetching.limits import (
    EVIDENCE,
    EVIDENCE_USER_AGENT,
    SWEEP,
    SWEEP_USER_AGENT,
    FetchLimits,
    url_problem,
)
from wangjian.core.fetching.outcomes import Failure
from wangjian.core.fetching.pinned import PinnedAsyncTransport, PinnedTransport
from wangjian.core.fetching.record import Exchange, Recorded

OK = "ok"
UNCHANGED = "unchanged"
FAILED = "failed"


class Parsed(Protocol):
    """What a caller's ``parse`` reads from an HTML page."""

    @property
    def text(self) -> str: ...

    @property
    def hrefs(self) -> list[str]: ...

    @property
    def has_scripts(self) -> bool: ...


Parse = Callable[..., Parsed]


@dataclass
class FetchOutcome:
    """One fetch of one URL, recorded whatever happened (网页获取记录)."""

    url: str
    final_url: str = ""
    status: str = FAILED  # ok | unchanged | failed
    reason: str = ""  # "超时 / timed out …", readable in Chinese and English
    reason_code: str = (
        ""  # a code of ``outcomes`` (timeout, http_4xx, oversize …) or not_modified / same_hash
    )
    http_status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    text: str = ""  # visible text of an HTML page (``parse``), or the decoded body
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
    extracted: Any = field(default=None, repr=False)  # what ``parse`` read

    @property
    def ok(self) -> bool:
        return self.status == OK

    def failed(self, failure: Failure) -> None:
        self.status, self.reason_code, self.reason = FAILED, failure.code, failure.reason

    def as_record(self) -> dict[str, Any]:
        """A JSON-able record (no document text) for the sweep log."""
        return {
            f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("text", "html", "extracted")
        }


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def same_site(url: str, root: str) -> bool:
    """Within the presence: same host and under the entry page's directory."""
    u, r = urlsplit(url), urlsplit(root)
    if u.scheme not in ("http", "https") or u.netloc.lower() != r.netloc.lower():
        return False
    prefix = r.path if r.path.endswith("/") else r.path.rsplit("/", 1)[0] + "/"
    return (u.path or "/").startswith(prefix)


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
        timeout: float | None = None,
        max_bytes: int | None = None,
        render: str = "never",  # never | auto | always
        parse: Parse | None = None,
        user_agent: str = SWEEP_USER_AGENT,
        verify: bool = True,
        render_wait: float | None = None,
        limits: FetchLimits = SWEEP,
        pool: browsing.BrowserPool | None = None,
        policy: AddressPolicy | None = None,
    ):
        if render not in ("never", "auto", "always"):
            raise ValueError(f"render must be never, auto or always, not {render!r}")
        self.limits = limits.narrowed(timeout=timeout, max_bytes=max_bytes)
        self.render_limits = self.limits.narrowed(timeout=render_wait)
        self.concurrency = concurrency
        self.per_host = per_host
        self.delay = delay
        self.retries = retries
        self.backoff = backoff
        self.render = render
        self.parse = parse
        self.pool = pool or browsing.shared_pool()
        self.policy = policy or current_policy()
        self._sem = asyncio.Semaphore(concurrency)
        self._hosts: dict[str, _Host] = {}
        self._lane_waiters: dict[str, asyncio.Condition] = {}
        self._client_options = {
            "timeout": httpx.Timeout(self.limits.timeout),
            "follow_redirects": True,
            "max_redirects": self.limits.max_redirects,
            "headers": {
                "User-Agent": user_agent,
                "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                "Accept-Encoding": "gzip, deflate",
            },
            "trust_env": False,
        }
        # One TLS context for every lane (building one per client costs a quarter of a second).
        self._verify = httpx.create_ssl_context(verify=verify) if verify else False
        self.max_idle_hosts = 64

    @property
    def timeout(self) -> float:
        return self.limits.timeout

    @property
    def max_bytes(self) -> int:
        return self.limits.max_bytes

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        for host in self._hosts.values():
            for client in host.free:
                await client.aclose()
        self._hosts.clear()

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
        problem = url_problem(url)
        if problem:
            out.failed(Failure(outcomes.BAD_URL, problem))
            return out
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
                if mode == "always" or self._needs_browser(out):
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
            # Each lane connects only where the address policy permits (every redirect hop too).
            transport = PinnedAsyncTransport(
                self.policy,
                verify=self._verify,
                limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
            )
            return httpx.AsyncClient(transport=transport, **self._client_options)

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
        max_bytes = self.limits.max_bytes
        try:
            async with asyncio.timeout(self.limits.timeout * 2):
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
                    failure = outcomes.http_failure(resp.status_code)
                    if failure is not None:
                        out.failed(failure)
                        return failure.retryable
                    declared = resp.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > max_bytes:
                        raise outcomes.Oversize(int(declared), max_bytes)
                    chunks, size = [], 0
                    # Decoded bytes are counted, so a small compressed bomb is cut off too.
                    async for chunk in resp.aiter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise outcomes.Oversize(size, max_bytes)
                        chunks.append(chunk)
                    raw = b"".join(chunks)
        except Exception as exc:  # every failure becomes a recorded outcome, never an exception to the sweep
            failure = outcomes.classify(exc, timeout=self.limits.timeout)
            out.failed(failure)
            return failure.retryable
        out.size = len(raw)
        text, out.encoding, out.encoding_source = decode_body(raw, out.content_type)
        self._fill(out, text)
        out.status, out.reason_code, out.reason = OK, "", ""
        return False

    def _fill(self, out: FetchOutcome, document: str) -> None:
        out.html = document
        out.content_hash = content_hash(document)
        if _is_html(out) and self.parse is not None:
            out.extracted = self.parse(document, base_url=out.final_url)
            out.text = out.extracted.text
        else:
            out.text = document

    def _needs_browser(self, out: FetchOutcome) -> bool:
        """A page a browser would show differently: scripts with (almost) no visible text, or scripts that
        write text into a page that also has static text (``writes_text`` of the caller's ``parse``)."""
        page = out.extracted
        if page is None or not page.has_scripts:
            return False
        return len(page.text.strip()) < 20 or bool(getattr(page, "writes_text", False))

    async def _render(self, out: FetchOutcome) -> None:
        limits, url = self.render_limits, out.final_url
        try:
            html = await self.pool.arun(lambda b: browsing.rendered_html(b, url, limits=limits))
        except Exception as exc:  # the static page is still a page; say rendering failed beside it
            out.reason = f"浏览器渲染失败，使用静态页面 / rendering failed, static page used: {exc}"
            out.reason_code = outcomes.RENDER_FAILED
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


# -------------------------------------------------------------------- one page, every hop recorded


def _raw(headers: httpx.Headers) -> list[tuple[str, str]]:
    """Headers as sent on the wire (original case and order)."""
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers.raw]


def _server_addr(response: httpx.Response) -> tuple[str, int | None]:
    stream = response.extensions.get("network_stream")
    if stream is None:
        return "", None
    addr = stream.get_extra_info("server_addr")
    if not addr:
        return "", None
    return str(addr[0]), int(addr[1])


def record_http(
    url: str,
    *,
    limits: FetchLimits = EVIDENCE,
    user_agent: str = EVIDENCE_USER_AGENT,
    policy: AddressPolicy | None = None,
) -> Recorded:
    """Read ``url`` with httpx, following redirects by hand so that every hop is an exchange of its own.

    Every hop connects only where the address policy permits; a refused hop ends the record as
    refused, with nothing of the refused address read.
    """
    result = Recorded(requested_url=url, engine=f"httpx {httpx.__version__}", user_agent=user_agent)
    problem = url_problem(url)
    if problem:
        result.finished_at = dt.datetime.now(dt.UTC)
        return result.fail(Failure(outcomes.BAD_URL, problem))
    headers = {"User-Agent": user_agent, "Accept-Encoding": "identity", "Accept": "*/*"}
    current = url
    deadline = time.monotonic() + limits.timeout
    clock = time.perf_counter()
    try:
        with httpx.Client(
            timeout=limits.timeout,
            headers=headers,
            follow_redirects=False,
            trust_env=False,
            transport=PinnedTransport(policy or current_policy()),
        ) as client:
            for _hop in range(limits.max_redirects + 1):
                ex_time = dt.datetime.now(dt.UTC)
                request = client.build_request("GET", current)
                response = client.send(request, stream=True)
                try:
                    ip, port = _server_addr(response)
                    body = bytearray()
                    for chunk in response.iter_raw():
                        body.extend(chunk)
                        if len(body) > limits.max_bytes:
                            result.fail(outcomes.oversize(len(body), limits.max_bytes))
                            break
                        if time.monotonic() > deadline:
                            result.fail(
                                Failure(
                                    outcomes.TIMEOUT,
                                    f"超过 {limits.timeout:g} 秒 / over {limits.timeout:g} s: {current}",
                                )
                            )
                            break
                    ex = Exchange(
                        url=current,
                        method="GET",
                        request_headers=_raw(request.headers),
                        status=response.status_code,
                        reason=response.reason_phrase,
                        response_headers=_raw(response.headers),
                        body=bytes(body),
                        ip=ip,
                        port=port,
                        http_version=response.http_version,
                        time=ex_time,
                    )
                    result.exchanges.append(ex)
                finally:
                    response.close()
                if not result.ok:
                    break
                if response.is_redirect and response.headers.get("location"):
                    target = str(response.url.join(response.headers["location"]))
                    result.redirects.append({"from": current, "to": target, "status": response.status_code})
                    problem = url_problem(target)
                    if problem:
                        result.fail(Failure(outcomes.BAD_URL, f"{problem}: {target}"))
                        break
                    current = target
                    continue
                result.final_url = current
                result.status = response.status_code
                result.resolved_ip = ip
                result.response_headers = ex.response_headers
                failure = outcomes.http_failure(response.status_code, current)
                if failure is not None:
                    result.fail(failure)
                html, _, _ = decode_body(ex.body, response.headers.get("content-type", ""))
                result.html = html
                result.title, result.text = visible_text(html)
                break
            else:
                result.fail(Failure(outcomes.REDIRECTS, f"重定向过多 / too many redirects: {url}"))
    except (httpx.HTTPError, AddressRefused) as exc:
        result.fail(outcomes.classify(exc, timeout=limits.timeout))
    result.timings["total"] = time.perf_counter() - clock
    result.finished_at = dt.datetime.now(dt.UTC)
    return result


def visible_text(html: str) -> tuple[str, str]:
    """(title, visible text) of an HTML document, without scripts and styles."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    title = tree.css_first("title")
    for node in tree.css("script, style, noscript, template"):
        node.decompose()
    body = tree.body or tree.root
    text = body.text(separator="\n") if body is not None else ""
    lines = [line.strip() for line in text.splitlines()]
    return (title.text().strip() if title else ""), "\n".join(line for line in lines if line)
