"""The capture engines: what was fetched, byte for byte, with no database access.

The page is read by the shared fetch stack (``wangjian.core.fetching``): headless Chromium from
the process's browser pool (Debian's ``/usr/bin/chromium``, never a downloaded browser), or plain
httpx for pages that need no browser, each recording every HTTP exchange of the load. This module
turns a recorded load into a ``CaptureResult`` and writes the exchanges into a WARC (request and
response records, ``WARC-Target-URI``, ``WARC-Date``, ``WARC-IP-Address``) so that the record can
be replayed and checked by standard web-archive tools.

The 《市场监督管理行政执法电子数据取证暂行规定》 asks that the method, time, source and
integrity of collected electronic data be recorded; the metadata assembled here is that
record. A failure (DNS, timeout, TLS, HTTP 4xx/5xx, too large) is a result with a reason,
never an empty success: the service stores it as a failed capture.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from wangjian import __version__ as WANGJIAN_VERSION
from wangjian.core.fetching import browser as browsing
from wangjian.core.fetching import limits as fetch_limits
from wangjian.core.fetching.http import record_http
from wangjian.core.fetching.record import Exchange, Recorded

SHANGHAI = ZoneInfo("Asia/Shanghai")
TOOL_NAME = "wangjian-evidence"
# Headers a WARC must not claim for a payload stored decoded and de-chunked.
_TRANSPORT_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


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
    page_ready: dict[str, Any] | None = None  # browser mode: when the page was taken as ready
    refused: list[str] = field(default_factory=list)  # requests the address policy refused (nothing kept)

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


# ---------------------------------------------------------------- capturing


def _result(recorded: Recorded, mode: str) -> CaptureResult:
    result = CaptureResult(
        requested_url=recorded.requested_url,
        mode=mode,
        started_at=recorded.started_at,
        finished_at=recorded.finished_at,
        final_url=recorded.final_url,
        status=recorded.status,
        resolved_ip=recorded.resolved_ip,
        redirects=recorded.redirects,
        response_headers=recorded.response_headers,
        user_agent=recorded.user_agent,
        tool={"name": TOOL_NAME, "version": WANGJIAN_VERSION, "engine": recorded.engine},
        title=recorded.title,
        html=recorded.html,
        text=recorded.text,
        screenshot=recorded.screenshot,
        exchanges=recorded.exchanges,
        page_ready=recorded.ready,
        refused=recorded.refused,
    )
    if recorded.failure is not None:
        result.fail(recorded.failure.code, recorded.failure.reason)
    return result


def _limits(timeout: float | None, max_bytes: int | None, **more) -> fetch_limits.FetchLimits:
    from wangjian.evidence import conf

    settle_max = conf.get("WANGJIAN_EVIDENCE_SETTLE_MAX", None)
    return fetch_limits.EVIDENCE.narrowed(
        timeout=timeout,
        max_bytes=max_bytes,
        settle_max=float(settle_max) if settle_max is not None else None,
        **more,
    )


def capture_http(
    url: str, *, timeout: float = 30.0, max_bytes: int = 20 * 1024 * 1024, max_redirects: int = 10
) -> CaptureResult:
    """Fetch ``url`` with httpx, every redirect hop an exchange of its own."""
    limits = _limits(timeout, max_bytes, max_redirects=max_redirects)
    return _result(record_http(url, limits=limits, user_agent=fetch_limits.EVIDENCE_USER_AGENT), "http")


def _shared_browser() -> bool:
    from wangjian.evidence import conf

    return conf.get_bool("WANGJIAN_EVIDENCE_SHARED_BROWSER", True)


def capture_browser(
    url: str,
    *,
    shared: bool | None = None,
    timeout: float = 30.0,
    max_bytes: int = 50 * 1024 * 1024,
    viewport: dict[str, int] | None = None,
) -> CaptureResult:
    """Load ``url`` in headless Chromium (a fresh context of the shared browser) and record it."""
    limits = _limits(timeout, max_bytes)
    shared = _shared_browser() if shared is None else shared
    recorded = browsing.pool_for(shared)(
        lambda b: browsing.record_page(b, url, limits=limits, viewport=viewport)
    )
    return _result(recorded, "browser")


def render_pdf(html: str) -> bytes:
    """Print an HTML document to A4 PDF with Chromium (the work record, 取证工作记录)."""
    return browsing.shared_pool().run(lambda b: browsing.print_pdf(b, html))
