"""The capture engines: what was fetched, byte for byte, with no database access.

Two engines share one result shape (``CaptureResult``): headless Chromium driven by
Playwright (Debian's ``/usr/bin/chromium``, never a downloaded browser) and plain httpx
for pages that need no browser. Both write every HTTP exchange of the page load into a
WARC (request and response records, ``WARC-Target-URI``, ``WARC-Date``, ``WARC-IP-Address``)
so that the record can be replayed and checked by standard web-archive tools.

The 《市场监督管理行政执法电子数据取证暂行规定》 asks that the method, time, source and
integrity of collected electronic data be recorded; the metadata assembled here is that
record. A failure (DNS, timeout, TLS, HTTP 4xx/5xx, too large) is a result with a reason,
never an empty success: the service stores it as a failed capture.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import datetime as dt
import hashlib
import io
import queue
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from wangjian import __version__ as WANGJIAN_VERSION

SHANGHAI = ZoneInfo("Asia/Shanghai")
CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
TOOL_NAME = "wangjian-evidence"
# Headers a WARC must not claim for a payload stored decoded and de-chunked.
_TRANSPORT_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


class FailureCode:
    DNS = "dns"
    TIMEOUT = "timeout"
    TLS = "tls"
    CONNECTION = "connection"
    HTTP_4XX = "http_4xx"
    HTTP_5XX = "http_5xx"
    TOO_LARGE = "too_large"
    BAD_URL = "bad_url"
    BROWSER = "browser"


@dataclass
class Exchange:
    """One HTTP request/response of the page load."""

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
class CaptureResult:
    requested_url: str
    mode: str
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    final_url: str = ""
    status: int | None = None
    resolved_ip: str = ""
    redirects: list[dict[str, Any]] = field(default_factory=list)
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    user_agent: str = ""
    tool: dict[str, str] = field(default_factory=dict)
    title: str = ""
    html: str = ""
    text: str = ""
    screenshot: bytes = b""
    exchanges: list[Exchange] = field(default_factory=list)
    failure_code: str = ""
    failure_detail: str = ""

    @property
    def ok(self) -> bool:
        return not self.failure_code

    def fail(self, code: str, detail: str) -> CaptureResult:
        if not self.failure_code:
            self.failure_code, self.failure_detail = code, detail[:2000]
        return self


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def times(moment: dt.datetime) -> dict[str, str]:
    """A moment in UTC and in Beijing time (the time officers write in the work record)."""
    return {
        "utc": moment.astimezone(dt.UTC).isoformat(),
        "asia_shanghai": moment.astimezone(SHANGHAI).isoformat(),
    }


def check_url(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "只能取证 http(s) 网址 / only http(s) URLs can be captured"
    return None


# ---------------------------------------------------------------- WARC


def build_warc(result: CaptureResult) -> bytes:
    """A gzipped WARC 1.1 of every exchange: warcinfo, then request and response records."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="WARC/1.1")
    info = {
        "software": f"{TOOL_NAME} {WANGJIAN_VERSION} ({result.tool.get('engine', '')})",
        "format": "WARC File Format 1.1",
        "isPartOf": result.requested_url,
        "http-header-user-agent": result.user_agent,
    }
    writer.write_record(writer.create_warcinfo_record("capture.warc.gz", info))
    for ex in result.exchanges:
        date = ex.time.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        parts = urlsplit(ex.url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        req_headers = [(k, v) for k, v in ex.request_headers if not k.startswith(":")]
        if not any(k.lower() == "host" for k, _ in req_headers):
            req_headers.insert(0, ("Host", parts.netloc))
        req_http = StatusAndHeaders(
            f"{ex.method} {path} {ex.http_version}", req_headers, is_http_request=True
        )
        warc_headers = {"WARC-Date": date}
        if ex.ip:
            warc_headers["WARC-IP-Address"] = ex.ip
        if ex.status is None:
            continue
        resp_headers = [(k, v) for k, v in ex.response_headers if k.lower() not in _TRANSPORT_HEADERS]
        resp_headers.append(("Content-Length", str(len(ex.body))))
        resp_http = StatusAndHeaders(
            f"{ex.status} {ex.reason or 'OK'}", resp_headers, protocol=ex.http_version
        )
        response = writer.create_warc_record(
            ex.url,
            "response",
            payload=io.BytesIO(ex.body),
            length=len(ex.body),
            http_headers=resp_http,
            warc_headers_dict=dict(warc_headers),
        )
        request = writer.create_warc_record(
            ex.url,
            "request",
            payload=io.BytesIO(ex.request_body),
            length=len(ex.request_body),
            http_headers=req_http,
            warc_headers_dict={"WARC-Date": date},
        )
        request.rec_headers.add_header(
            "WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID")
        )
        writer.write_record(response)
        writer.write_record(request)
    return out.getvalue()


# ---------------------------------------------------------------- httpx mode


def _classify_httpx(exc: Exception) -> tuple[str, str]:
    text = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, httpx.TimeoutException):
        return FailureCode.TIMEOUT, text
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            return FailureCode.DNS, text
        if isinstance(cause, ssl.SSLError):
            return FailureCode.TLS, text
        cause = cause.__cause__ or cause.__context__
    lowered = text.lower()
    if (
        "name or service not known" in lowered
        or "nodename nor servname" in lowered
        or "getaddrinfo" in lowered
    ):
        return FailureCode.DNS, text
    if "ssl" in lowered or "certificate" in lowered:
        return FailureCode.TLS, text
    return FailureCode.CONNECTION, text


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


def _status_failure(result: CaptureResult, status: int, url: str) -> None:
    if 400 <= status < 500:
        result.fail(FailureCode.HTTP_4XX, f"HTTP {status}: {url}")
    elif status >= 500:
        result.fail(FailureCode.HTTP_5XX, f"HTTP {status}: {url}")


def decode_html(body: bytes, content_type: str) -> str:
    """Text of an HTML body: the declared charset, else the meta tag, else detection (GBK pages are common)."""
    from charset_normalizer import from_bytes

    charset = ""
    if "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=")[-1].split(";")[0].strip().strip('"')
    if not charset:
        head = body[:2048].decode("ascii", "ignore").lower()
        if "charset=" in head:
            charset = (
                head.split("charset=")[1].split('"')[0].split("'")[0].split(";")[0].split(">")[0].strip()
            )
    if charset in ("gb2312", "gbk"):
        charset = "gb18030"
    if charset:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    best = from_bytes(body).best()
    return str(best) if best is not None else body.decode("utf-8", "replace")


def visible_text(html: str) -> tuple[str, str]:
    """(title, visible text) of an HTML document, without scripts and styles."""
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(html)
    title = tree.css_first("title")
    for node in tree.css("script, style, noscript, template"):
        node.decompose()
    body = tree.body or tree.root
    text = body.text(separator="\n") if body is not None else ""
    lines = [line.strip() for line in text.splitlines()]
    return (title.text().strip() if title else ""), "\n".join(line for line in lines if line)


def capture_http(
    url: str, *, timeout: float = 30.0, max_bytes: int = 20 * 1024 * 1024, max_redirects: int = 10
) -> CaptureResult:
    """Fetch ``url`` with httpx, following redirects by hand so that every hop is in the WARC."""
    result = CaptureResult(requested_url=url, mode="http", started_at=dt.datetime.now(dt.UTC))
    user_agent = f"Mozilla/5.0 (compatible; {TOOL_NAME}/{WANGJIAN_VERSION}; +market-regulation evidence)"
    result.user_agent = user_agent
    result.tool = {"name": TOOL_NAME, "version": WANGJIAN_VERSION, "engine": f"httpx {httpx.__version__}"}
    problem = check_url(url)
    if problem:
        result.finished_at = dt.datetime.now(dt.UTC)
        return result.fail(FailureCode.BAD_URL, problem)
    headers = {"User-Agent": user_agent, "Accept-Encoding": "identity", "Accept": "*/*"}
    current = url
    deadline = time.monotonic() + timeout
    try:
        with httpx.Client(timeout=timeout, headers=headers, follow_redirects=False) as client:
            for _hop in range(max_redirects + 1):
                ex_time = dt.datetime.now(dt.UTC)
                request = client.build_request("GET", current)
                response = client.send(request, stream=True)
                try:
                    ip, port = _server_addr(response)
                    body = bytearray()
                    for chunk in response.iter_raw():
                        body.extend(chunk)
                        if len(body) > max_bytes:
                            result.fail(
                                FailureCode.TOO_LARGE,
                                f"响应超过 {max_bytes} 字节 / response larger than {max_bytes} bytes: {current}",
                            )
                            break
                        if time.monotonic() > deadline:
                            result.fail(
                                FailureCode.TIMEOUT, f"超过 {timeout} 秒 / over {timeout} s: {current}"
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
                    current = target
                    continue
                result.final_url = current
                result.status = response.status_code
                result.resolved_ip = ip
                result.response_headers = ex.response_headers
                _status_failure(result, response.status_code, current)
                html = decode_html(ex.body, response.headers.get("content-type", ""))
                result.html = html
                result.title, result.text = visible_text(html)
                break
            else:
                result.fail(FailureCode.CONNECTION, f"重定向过多 / too many redirects: {url}")
    except httpx.HTTPError as exc:
        result.fail(*_classify_httpx(exc))
    result.finished_at = dt.datetime.now(dt.UTC)
    return result


# ---------------------------------------------------------------- browser mode


def _classify_browser(message: str) -> str:
    if "ERR_NAME_NOT_RESOLVED" in message or "ERR_NAME_RESOLUTION_FAILED" in message:
        return FailureCode.DNS
    if "ERR_CERT" in message or "ERR_SSL" in message:
        return FailureCode.TLS
    if "Timeout" in message or "ERR_TIMED_OUT" in message:
        return FailureCode.TIMEOUT
    if "ERR_" in message:
        return FailureCode.CONNECTION
    return FailureCode.BROWSER


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)


def _record_browser(
    browser,
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    settle_ms: int,
    viewport: dict[str, int],
) -> CaptureResult:
    result = CaptureResult(requested_url=url, mode="browser", started_at=dt.datetime.now(dt.UTC))
    result.tool = {
        "name": TOOL_NAME,
        "version": WANGJIAN_VERSION,
        "engine": f"Chromium {browser.version} via Playwright",
    }
    problem = check_url(url)
    if problem:
        result.finished_at = dt.datetime.now(dt.UTC)
        return result.fail(FailureCode.BAD_URL, problem)
    context = browser.new_context(viewport=viewport, ignore_https_errors=False, service_workers="block")
    responses: list[Any] = []
    total = {"bytes": 0}
    try:
        page = context.new_page()
        result.user_agent = page.evaluate("navigator.userAgent")
        page.on("response", lambda r: responses.append((r, dt.datetime.now(dt.UTC))))
        try:
            main = page.goto(url, wait_until="load", timeout=timeout * 1000)
        except Exception as exc:  # Playwright raises its own Error/TimeoutError types
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            if "Timeout" in type(exc).__name__:
                message = f"Timeout: 页面在 {timeout} 秒内未加载完成 / page not loaded within {timeout} s ({message})"
            result.fail(_classify_browser(message), message)
            main = None
        if main is not None:
            try:
                page.wait_for_load_state("networkidle", timeout=max(settle_ms * 4, 2000))
            except Exception:  # a page that never goes idle is still captured as it stands
                pass
            page.wait_for_timeout(settle_ms)
            result.final_url = page.url
            result.status = main.status
            addr = main.server_addr() or {}
            result.resolved_ip = addr.get("ipAddress", "")
            result.response_headers = [(h["name"], h["value"]) for h in main.headers_array()]
            chain = []
            req = main.request.redirected_from
            while req is not None:
                chain.append(req)
                req = req.redirected_from
            for req in reversed(chain):
                resp = req.response()
                target = req.redirected_to.url if req.redirected_to else ""
                result.redirects.append(
                    {"from": req.url, "to": target, "status": resp.status if resp else None}
                )
            _status_failure(result, main.status, page.url)
            result.title = page.title()
            result.html = page.content()
            result.text = page.inner_text("body") if page.query_selector("body") else ""
            result.screenshot = page.screenshot(full_page=True, type="png", timeout=timeout * 1000)
        for response, when in responses:
            request = response.request
            try:
                body = b"" if 300 <= response.status < 400 else response.body()
            except Exception:  # bodies of aborted or evicted responses are not available
                body = b""
            total["bytes"] += len(body)
            addr = response.server_addr() or {}
            try:
                req_headers = [(h["name"], h["value"]) for h in request.headers_array()]
            except Exception:
                req_headers = list(request.headers.items())
            result.exchanges.append(
                Exchange(
                    url=response.url,
                    method=request.method,
                    request_headers=req_headers,
                    status=response.status,
                    reason=response.status_text,
                    response_headers=[(h["name"], h["value"]) for h in response.headers_array()],
                    body=body,
                    ip=addr.get("ipAddress", ""),
                    port=addr.get("port"),
                    time=when,
                    request_body=request.post_data_buffer or b"",
                )
            )
        if total["bytes"] > max_bytes:
            result.fail(
                FailureCode.TOO_LARGE,
                f"页面资源共 {total['bytes']} 字节，超过上限 {max_bytes} / page load of {total['bytes']} bytes "
                f"exceeds the limit of {max_bytes}",
            )
    finally:
        context.close()
    result.finished_at = dt.datetime.now(dt.UTC)
    return result


class BrowserWorker:
    """One thread that keeps Chromium running and does browser jobs one after another.

    Starting Chromium costs about a second; a sweep capturing every finding should not pay it
    each time. Each job still gets a fresh browser context (no cookies or cache shared between
    captures). A crashed browser is started again for the next job.
    """

    def __init__(self):
        self.jobs: queue.Queue = queue.Queue()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def run(self, job: Callable[[Any], Any]) -> Any:
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(
                    target=self._loop, name="wangjian-evidence-browser", daemon=True
                )
                self.thread.start()
        future: concurrent.futures.Future = concurrent.futures.Future()
        self.jobs.put((job, future))
        return future.result()

    def stop(self) -> None:
        if self.thread is not None and self.thread.is_alive():
            self.jobs.put(None)
            self.thread.join(timeout=30)

    def _loop(self) -> None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = None
            while True:
                item = self.jobs.get()
                if item is None:
                    break
                job, future = item
                try:
                    if browser is None or not browser.is_connected():
                        browser = launch_browser(p)
                    future.set_result(job(browser))
                except BaseException as exc:  # the caller gets the error; the next job gets a new browser
                    future.set_exception(exc)
                    try:
                        if browser is not None:
                            browser.close()
                    except Exception:
                        pass
                    browser = None
            if browser is not None:
                browser.close()


_worker = BrowserWorker()
atexit.register(_worker.stop)


def _shared_browser() -> bool:
    from wangjian.evidence import conf

    return conf.get_bool("WANGJIAN_EVIDENCE_SHARED_BROWSER", True)


def run_in_browser(job: Callable[[Any], Any], *, shared: bool | None = None) -> Any:
    """Run ``job(browser)`` in a thread of its own (never the caller's, which may hold a Playwright
    session or database connections): the shared browser worker, or a fresh Chromium."""
    if shared if shared is not None else _shared_browser():
        return _worker.run(job)

    def fresh() -> Any:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            b = launch_browser(p)
            try:
                return job(b)
            finally:
                b.close()

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fresh).result()


def capture_browser(
    url: str,
    *,
    browser=None,
    shared: bool | None = None,
    timeout: float = 30.0,
    max_bytes: int = 50 * 1024 * 1024,
    settle_ms: int = 300,
    viewport: dict[str, int] | None = None,
) -> CaptureResult:
    """Load ``url`` in headless Chromium and record it (in a fresh browser context)."""
    viewport = viewport or {"width": 1280, "height": 900}
    kwargs = {"timeout": timeout, "max_bytes": max_bytes, "settle_ms": settle_ms, "viewport": viewport}
    if browser is not None:
        return _record_browser(browser, url, **kwargs)
    return run_in_browser(lambda b: _record_browser(b, url, **kwargs), shared=shared)


def render_pdf(html: str) -> bytes:
    """Print an HTML document to A4 PDF with Chromium (the work record, 取证工作记录)."""

    def job(browser) -> bytes:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.route("**/*", lambda route: route.abort())  # the record needs nothing from outside
            page.set_content(html, wait_until="load")
            return page.pdf(format="A4", print_background=True, margin={"top": "18mm", "bottom": "18mm"})
        finally:
            context.close()

    return run_in_browser(job)
