"""One shared Chromium for the process, and page loads that wait for readiness, not for the clock.

Starting Chromium costs about a second; sweeps that render script-built shops, evidence captures
and the PDF of a work record all use the one browser this pool keeps running. The pool owns a
thread with its own asyncio loop driving Playwright's async API, so it serves callers of any kind:
``run(job)`` from synchronous code (a request, a command, a Celery task — never blocking their
database connections or their own Playwright session), ``await arun(job)`` from another event
loop (a sweep). Jobs run a few at a time (``pages``), each in a fresh browser context (no
cookies, cache or service workers shared between loads). A browser that crashed is started again
for the next job.

Opening a page in a new context is the slowest step before the page is even asked for (a renderer
process starts); the pool keeps one such page ready — a fresh context that has never loaded
anything — and opens the next while the current one loads, so a capture does not wait for it.

Readiness instead of fixed waits: after ``load`` a page is taken as it stands once no request
has been in flight for ``quiet_ms`` (images and scripts loaded late, XHR that fills in prices),
its web fonts are ready and two animation frames have been painted — bounded by ``settle_max``
so that a page that never goes quiet (polling, streaming) is still read, and the load says so.
"""

from __future__ import annotations

import asyncio
import atexit
import datetime as dt
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from wangjian.core.fetching import outcomes
from wangjian.core.fetching.addresses import AddressPolicy, AddressRefused, current_policy
from wangjian.core.fetching.limits import CHROMIUM_ARGS, CHROMIUM_PATH, EVIDENCE, FetchLimits, url_problem
from wangjian.core.fetching.outcomes import Failure
from wangjian.core.fetching.proxy import REFUSED_HEADER, UNREACHABLE_HEADER, PolicyProxy
from wangjian.core.fetching.record import Exchange, Recorded

T = TypeVar("T")
Job = Callable[["Lease"], Awaitable[T]]

_READY_JS = """() => (document.fonts ? document.fonts.ready : Promise.resolve()).then(
  () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))))"""


class BrowserPool:
    """A running Chromium shared by the process, a few pages at a time."""

    def __init__(
        self,
        *,
        pages: int = 2,
        executable: str = CHROMIUM_PATH,
        spare: bool = True,
        policy: Callable[[], AddressPolicy] = current_policy,
    ):
        self.pages = pages
        self.proxy = PolicyProxy(policy)  # Chromium reaches the web only through it
        self.spare = spare
        self.executable = executable
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._pw: Any = None
        self._browser: Any = None
        self._sem: asyncio.Semaphore | None = None
        self._launch: asyncio.Lock | None = None
        self.launches = 0  # how many times Chromium was started (a restart after a crash counts)
        self._spares: dict[str, asyncio.Future] = {}  # context options → a page opening or opened

    # ---------------------------------------------------------------- the thread and its loop

    def _start_thread(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._ready.clear()
                self._thread = threading.Thread(target=self._serve, name="wangjian-browser", daemon=True)
                self._thread.start()
                self._ready.wait()
            assert self._loop is not None
            return self._loop

    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        self._sem = asyncio.Semaphore(self.pages)
        self._launch = asyncio.Lock()
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self._shutdown())
            loop.close()

    async def _browser_now(self) -> Any:
        assert self._launch is not None
        async with self._launch:
            if self._browser is None or not self._browser.is_connected():
                if self._pw is None:
                    from playwright.async_api import async_playwright

                    self._pw = await async_playwright().start()
                if self.proxy.port is None:
                    await self.proxy.start()
                self._browser = await self._pw.chromium.launch(
                    executable_path=self.executable,
                    args=[
                        *CHROMIUM_ARGS,
                        f"--proxy-server={self.proxy.url}",
                        "--proxy-bypass-list=<-loopback>",  # loopback goes through the proxy too
                    ],
                )
                self.launches += 1
            return self._browser

    async def _run(self, job: Job[T]) -> T:
        assert self._sem is not None
        async with self._sem:
            browser = await self._browser_now()
            try:
                return await job(Lease(self, browser))
            except BaseException:
                if not browser.is_connected():  # the next job gets a new browser
                    self._browser = None
                    self._drop_spares()
                raise

    def _drop_spares(self) -> None:
        for spare in self._spares.values():
            spare.cancel()
        self._spares.clear()

    async def fresh_page(self, browser: Any, options: dict[str, Any]) -> tuple[Any, Any]:
        """A page in a new context with ``options`` (never used before), and the next one opening."""
        key = repr(sorted(options.items()))
        spare = self._spares.pop(key, None)
        opened = None
        if spare is not None:
            try:
                opened = await spare
            except Exception:  # the browser went away under it: open one now
                opened = None
            if opened is not None and (opened[1].is_closed() or not browser.is_connected()):
                opened = None
        if opened is None:
            opened = await _open(browser, options)
        if self.spare and len(self._spares) < 4:
            spare = asyncio.ensure_future(_open(browser, options))
            # A spare that failed (the browser went away) is noticed when it is taken, not logged as lost.
            spare.add_done_callback(lambda f: f.cancelled() or f.exception())
            self._spares[key] = spare
        return opened

    async def _shutdown(self) -> None:
        self._drop_spares()
        try:
            if self._browser is not None:
                await self._browser.close()
            if self._pw is not None:
                await self._pw.stop()
            await self.proxy.close()
        finally:
            self._browser = self._pw = None
            self.proxy.port = None

    # ---------------------------------------------------------------- callers

    def run(self, job: Job[T]) -> T:
        """Run ``await job(lease)`` on the pool from synchronous code and return its result."""
        loop = self._start_thread()
        return asyncio.run_coroutine_threadsafe(self._run(job), loop).result()

    async def arun(self, job: Job[T]) -> T:
        """Run ``await job(lease)`` on the pool from another event loop."""
        loop = self._start_thread()
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(self._run(job), loop))

    def stop(self) -> None:
        """Close Chromium and the pool's thread (the next job starts them again)."""
        with self._lock:
            loop, thread = self._loop, self._thread
            if loop is not None and thread is not None and thread.is_alive():
                loop.call_soon_threadsafe(loop.stop)
                thread.join(timeout=30)
            self._thread = self._loop = None


async def _open(browser: Any, options: dict[str, Any]) -> tuple[Any, Any]:
    context = await browser.new_context(**options)
    try:
        return context, await context.new_page()
    except BaseException:
        await context.close()
        raise


class Lease:
    """What a job is given: the running browser, and fresh pages from the pool."""

    def __init__(self, pool: BrowserPool, browser: Any):
        self.pool, self.browser = pool, browser

    async def page(self, **context_options: Any) -> tuple[Any, Any]:
        """(context, page): a new context that has never loaded anything; close the context when done."""
        return await self.pool.fresh_page(self.browser, context_options)


_pool = BrowserPool()
atexit.register(_pool.stop)


def shared_pool() -> BrowserPool:
    return _pool


def run_fresh(job: Job[T], *, executable: str = CHROMIUM_PATH) -> T:
    """Run ``job`` in a Chromium started for it alone and closed after it (no shared state at all)."""
    pool = BrowserPool(pages=1, executable=executable, spare=False)
    try:
        return pool.run(job)
    finally:
        pool.stop()


# -------------------------------------------------------------------- readiness


class InFlight:
    """Requests of a page that have started and not yet finished or failed."""

    def __init__(self, page: Any):
        self.open: set[Any] = set()
        self.first: Any = None  # the page's first request (its headers name the user agent)
        self.changed = time.monotonic()
        page.on("request", self._start)
        page.on("requestfinished", self._end)
        page.on("requestfailed", self._end)

    def _start(self, request: Any) -> None:
        if self.first is None:
            self.first = request
        self.open.add(request)
        self.changed = time.monotonic()

    def _end(self, request: Any) -> None:
        self.open.discard(request)
        self.changed = time.monotonic()

    async def quiet(self, *, quiet_ms: int, settle_max: float) -> bool:
        """Wait until nothing has been in flight for ``quiet_ms``; ``False`` when ``settle_max`` ran out first."""
        deadline = time.monotonic() + settle_max
        quiet = quiet_ms / 1000
        while True:
            now = time.monotonic()
            if not self.open and now - self.changed >= quiet:
                return True
            if now >= deadline:
                return False
            wait = quiet - (now - self.changed) if not self.open else 0.02
            await asyncio.sleep(min(max(wait, 0.005), deadline - now))


async def page_ready(page: Any, inflight: InFlight, limits: FetchLimits) -> bool:
    """The page is quiet, its fonts are loaded and it has painted; ``False`` if it never went quiet.

    Quiet on the network is not enough on a busy machine: a script whose first answer has arrived may not yet have
    run far enough to send its next request (a price filled in by two requests in a row). So the page is asked to
    paint (which runs the tasks queued before it), and if a request started or ended meanwhile, the wait for quiet
    begins again, all within ``settle_max``.
    """
    deadline = time.monotonic() + limits.settle_max
    while True:
        quiet = await inflight.quiet(
            quiet_ms=limits.quiet_ms, settle_max=max(0.0, deadline - time.monotonic())
        )
        seen = inflight.changed
        try:
            await asyncio.wait_for(page.evaluate(_READY_JS), timeout=max(limits.settle_max, 1.0))
        except Exception:  # fonts that never load: the page is read as it stands
            return False
        if not quiet:
            return False
        if not inflight.open and inflight.changed == seen:
            return True
        if time.monotonic() >= deadline:
            return False


# -------------------------------------------------------------------- recorded loads


def _first_line(exc: BaseException) -> str:
    text = str(exc)
    return text.splitlines()[0] if text else type(exc).__name__


async def _exchange(response: Any, when: dt.datetime) -> Exchange:
    request = response.request
    redirect = 300 <= response.status < 400

    async def body() -> bytes:
        if redirect:
            return b""
        try:
            return await response.body()
        except Exception:  # bodies of aborted or evicted responses are not available
            return b""

    async def request_headers() -> list[tuple[str, str]]:
        try:
            return [(h["name"], h["value"]) for h in await request.headers_array()]
        except Exception:
            return list(request.headers.items())

    async def response_headers() -> list[dict[str, str]]:
        try:
            return await response.headers_array()
        except Exception:  # the page was closed under it (a load stopped at its byte budget)
            return [{"name": k, "value": v} for k, v in response.headers.items()]

    async def server_addr() -> dict[str, Any] | None:
        try:
            return await response.server_addr()
        except Exception:
            return None

    data, req_headers, resp_headers, addr = await asyncio.gather(
        body(), request_headers(), response_headers(), server_addr()
    )
    addr = addr or {}
    return Exchange(
        url=response.url,
        method=request.method,
        request_headers=req_headers,
        status=response.status,
        reason=response.status_text,
        response_headers=[(h["name"], h["value"]) for h in resp_headers],
        body=data,
        ip=addr.get("ipAddress", ""),
        port=addr.get("port"),
        time=when,
        request_body=request.post_data_buffer or b"",
    )


async def record_page(
    lease: Lease,
    url: str,
    *,
    limits: FetchLimits = EVIDENCE,
    viewport: dict[str, int] | None = None,
    screenshot: bool = True,
) -> Recorded:
    """Load ``url`` in a fresh context of the leased browser and record everything the record needs.

    Every response of the page load becomes an ``Exchange``; the main document's status,
    address, headers and redirect chain, the rendered HTML, visible text, title and a full-page
    screenshot are taken once the page is ready. A failure of the main document is recorded as
    such; a page load over ``limits.max_bytes`` is a failure too, with what was read kept.
    """
    result = Recorded(requested_url=url, engine=f"Chromium {lease.browser.version} via Playwright")
    problem = url_problem(url)
    if problem:
        result.finished_at = dt.datetime.now(dt.UTC)
        return result.fail(Failure(outcomes.BAD_URL, problem))
    clock = time.perf_counter()
    context, page = await lease.page(
        viewport=viewport or {"width": 1280, "height": 900},
        ignore_https_errors=False,
        service_workers="block",
    )
    responses: list[tuple[Any, dt.datetime]] = []
    proxy = lease.pool.proxy
    try:
        inflight = InFlight(page)
        budget = _Budget(page, limits.max_bytes, result)
        page.on("response", lambda r: responses.append((r, dt.datetime.now(dt.UTC))))
        page.on("requestfailed", lambda r: _note_refused(r, proxy, result))
        try:
            main = await page.goto(url, wait_until="load", timeout=limits.timeout * 1000)
        except Exception as exc:  # Playwright raises its own Error / TimeoutError types
            message = _first_line(exc)
            if "Timeout" in type(exc).__name__:
                message = (
                    f"Timeout: 页面在 {limits.timeout:g} 秒内未加载完成 / page not loaded within "
                    f"{limits.timeout:g} s ({message})"
                )
            refused = "ERR_TUNNEL_CONNECTION_FAILED" in message and (
                proxy.was_refused(_host(url)) or bool(result.refused)
            )
            result.fail(outcomes.refused() if refused else outcomes.classify_browser(message))
            main = None
        if budget.over:
            main = None  # stopped at the byte budget: not read as a page
        if main is not None and _refused(main):
            result.fail(outcomes.refused())  # the page (or a redirect hop) was an address not permitted
            main = None
        elif main is not None and _unreachable(main):
            result.fail(Failure(outcomes.CONNECT_ERROR, "无法连接 / could not connect", retryable=True))
            main = None
        result.timings["load"] = time.perf_counter() - clock
        if main is not None:
            quiet = await page_ready(page, inflight, limits)
            result.timings["settle"] = time.perf_counter() - clock - result.timings["load"]
            result.ready = {
                "after": "load",
                "quiet": quiet,  # False: the settle time ran out with requests still coming
                "quiet_ms": limits.quiet_ms,
                "settle_max_seconds": limits.settle_max,
                "settle_seconds": round(result.timings["settle"], 3),
                "fonts_and_paint": "document.fonts.ready + 2 requestAnimationFrame",
            }
            await _read_main(page, main, result)
            failure = outcomes.http_failure(main.status, page.url)
            if failure is not None:
                result.fail(failure)
            if screenshot:
                result.screenshot = await page.screenshot(
                    full_page=True, type="png", timeout=limits.timeout * 1000
                )
        # Nothing of a refused address is kept: the proxy's refusal is listed, not recorded as an exchange.
        result.refused += [r.url for r, _ in responses if _refused(r)]
        kept = [(r, when) for r, when in responses if not _refused(r) and not _unreachable(r)]
        result.exchanges = list(await asyncio.gather(*(_exchange(r, when) for r, when in kept)))
        result.user_agent = inflight.first.headers.get("user-agent", "") if inflight.first is not None else ""
        total = sum(len(e.body) for e in result.exchanges)
        if total > limits.max_bytes:
            result.fail(outcomes.oversize(total, limits.max_bytes, "页面资源合计"))
    finally:
        await context.close()
    result.timings["total"] = time.perf_counter() - clock
    result.finished_at = dt.datetime.now(dt.UTC)
    return result


class _Budget:
    """The bytes a page load may take, counted as responses arrive; past it the load is stopped.

    A declared ``Content-Length`` counts when the response starts (a 2 GB video is stopped before
    it is read, not measured after), other bodies when they finish. Over the budget the page's
    context is closed, cutting every connection; the capture fails as ``oversize``.
    """

    def __init__(self, page: Any, limit: int, result: Recorded):
        self.page, self.limit, self.result = page, limit, result
        self.used = 0
        self.over = False
        self._counted: set[Any] = set()
        self._tasks: set[asyncio.Future] = set()
        page.on("response", self._response)
        page.on("requestfinished", self._finished)

    def _response(self, response: Any) -> None:
        declared = response.headers.get("content-length", "")
        if declared.isdigit():
            self._counted.add(response.request)
            self._add(int(declared))

    def _finished(self, request: Any) -> None:
        if request not in self._counted and not self.over:
            self._spawn(self._measure(request))

    async def _measure(self, request: Any) -> None:
        try:
            sizes = await request.sizes()
        except Exception:  # the page went away
            return
        self._add(int(sizes.get("responseBodySize") or 0))

    def _add(self, size: int) -> None:
        self.used += size
        if self.used > self.limit and not self.over:
            self.over = True
            self.result.fail(outcomes.oversize(self.used, self.limit, "页面资源合计"))
            self._spawn(self._stop())

    async def _stop(self) -> None:
        # Closing the context cuts every connection (a page's stop() leaves media downloads running).
        try:
            await self.page.context.close()
        except Exception:  # closing already
            pass

    def _spawn(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def _refused(response: Any) -> bool:
    return REFUSED_HEADER.lower() in response.headers


def _unreachable(response: Any) -> bool:
    return UNREACHABLE_HEADER.lower() in response.headers


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def _note_refused(request: Any, proxy: PolicyProxy, result: Recorded) -> None:
    """An HTTPS request whose tunnel the proxy refused fails without a response: list it as refused."""
    failure = request.failure or ""
    if "ERR_TUNNEL_CONNECTION_FAILED" in failure and proxy.was_refused(_host(request.url)):
        result.refused.append(request.url)


async def _read_main(page: Any, main: Any, result: Recorded) -> None:
    """The main document's answer and what the page shows now."""
    result.final_url = page.url
    result.status = main.status
    chain = []
    req = main.request.redirected_from
    while req is not None:
        chain.append(req)
        req = req.redirected_from

    async def hop(req: Any) -> dict[str, Any]:
        resp = await req.response()
        target = req.redirected_to.url if req.redirected_to else ""
        return {"from": req.url, "to": target, "status": resp.status if resp else None}

    async def text() -> str:
        return await page.inner_text("body") if await page.query_selector("body") else ""

    addr, headers, hops, result.title, result.html, result.text = await asyncio.gather(
        main.server_addr(),
        main.headers_array(),
        asyncio.gather(*(hop(r) for r in reversed(chain))),
        page.title(),
        page.content(),
        text(),
    )
    result.resolved_ip = (addr or {}).get("ipAddress", "")
    result.response_headers = [(h["name"], h["value"]) for h in headers]
    result.redirects = list(hops)


async def rendered_html(lease: Lease, url: str, *, limits: FetchLimits) -> str:
    """The DOM of ``url`` once it is ready (what a sweep reads from a page built by scripts)."""
    problem = url_problem(url)
    if problem:
        raise ValueError(problem)
    context, page = await lease.page(service_workers="block")
    try:
        inflight = InFlight(page)
        main = await page.goto(url, wait_until="load", timeout=limits.timeout * 1000)
        if main is not None and _refused(main):
            raise AddressRefused(_host(main.url))
        await page_ready(page, inflight, limits)
        return await page.content()
    finally:
        await context.close()


async def print_pdf(lease: Lease, html: str) -> bytes:
    """Print an HTML document to A4 PDF; the document may load nothing from outside."""
    context, page = await lease.page()
    try:
        await page.route("**/*", lambda route: route.abort())
        await page.set_content(html, wait_until="load")
        return await page.pdf(format="A4", print_background=True, margin={"top": "18mm", "bottom": "18mm"})
    finally:
        await context.close()


def pool_for(shared: bool) -> Callable[[Job[T]], T]:
    """``shared_pool().run`` or ``run_fresh``: how a synchronous caller runs a browser job."""
    return _pool.run if shared else run_fresh


__all__ = [
    "BrowserPool",
    "InFlight",
    "Lease",
    "page_ready",
    "print_pdf",
    "record_page",
    "rendered_html",
    "run_fresh",
    "shared_pool",
    "pool_for",
]
