"""One vocabulary for what happened when the server fetched a page (网页获取结果).

Sweeps, licence checks, feeds and evidence captures all record a fetch that did not succeed with
one of these codes, a reason an officer can read in Chinese and English, and whether trying again
could help. A failure is never recorded as a clean page: a page that was not read cannot support
"no violation found", and a capture that failed is stored as failed.

Before this vocabulary the evidence capture wrote ``too_large`` and ``connection`` where the sweeps
wrote ``oversize`` and ``connect_error``; records signed under the old codes keep them (``LEGACY``
says what they mean now), new records use these.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from dataclasses import dataclass

import httpx

from wangjian.core.fetching.addresses import REFUSED as REFUSED_TEXT
from wangjian.core.fetching.addresses import AddressRefused

REFUSED = "refused"
DNS = "dns"
TIMEOUT = "timeout"
TLS = "tls"
CONNECTION_REFUSED = "connection_refused"
CONNECT_ERROR = "connect_error"
PROTOCOL_ERROR = "protocol_error"
REDIRECTS = "redirects"
OVERSIZE = "oversize"
BAD_URL = "bad_url"
HTTP_4XX = "http_4xx"
HTTP_5XX = "http_5xx"
BROWSER = "browser"
RENDER_FAILED = "render_failed"
ERROR = "error"

#: code → (中文, English): the labels of filters, tables and reasons.
LABELS: dict[str, tuple[str, str]] = {
    REFUSED: ("地址不允许访问或无法访问", "address refused or unreachable"),
    DNS: ("域名无法解析", "DNS lookup failed"),
    TIMEOUT: ("超时", "timed out"),
    TLS: ("证书/TLS错误", "certificate or TLS error"),
    CONNECTION_REFUSED: ("连接被拒绝", "connection refused"),
    CONNECT_ERROR: ("连接失败", "could not connect"),
    PROTOCOL_ERROR: ("连接中断或响应不完整", "connection broken or response incomplete"),
    REDIRECTS: ("重定向过多", "too many redirects"),
    OVERSIZE: ("超过大小上限", "larger than the size cap"),
    BAD_URL: ("网址无效", "invalid URL"),
    HTTP_4XX: ("页面不存在或拒绝访问(4xx)", "page missing or refused (4xx)"),
    HTTP_5XX: ("服务器错误(5xx)", "server error (5xx)"),
    BROWSER: ("浏览器错误", "browser error"),
    RENDER_FAILED: ("浏览器渲染失败", "rendering failed"),
    ERROR: ("获取失败", "fetch failed"),
}

#: Codes of records written before the shared vocabulary → the code they mean now.
LEGACY: dict[str, str] = {"too_large": OVERSIZE, "connection": CONNECT_ERROR}

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


@dataclass(frozen=True)
class Failure:
    """Why a fetch did not give a page: a code of the vocabulary, a readable reason, and whether to retry."""

    code: str
    reason: str
    retryable: bool = False

    @property
    def label(self) -> str:
        zh, en = LABELS.get(self.code, LABELS[ERROR])
        return f"{zh} / {en}"


class Oversize(Exception):
    """The response grew past the size cap while it was read."""

    def __init__(self, size: int, limit: int):
        super().__init__(f"{size} > {limit}")
        self.size, self.limit = size, limit


def oversize(size: int, limit: int, what: str = "响应") -> Failure:
    return Failure(
        OVERSIZE,
        f"{what}超过大小上限 {limit} 字节（已读 {size}）/ larger than the {limit}-byte cap ({size} read)",
    )


def http_failure(status: int, url: str = "") -> Failure | None:
    """The failure an HTTP status means (4xx, 5xx), or ``None`` for a page that was served."""
    if status < 400:
        return None
    zh, en = _HTTP_REASONS.get(status, ("HTTP 错误", "HTTP error"))
    where = f": {url}" if url else ""
    return Failure(
        HTTP_5XX if status >= 500 else HTTP_4XX,
        f"HTTP {status} {zh} / {en}{where}",
        retryable=status >= 500 or status == 429,
    )


def _chain(exc: BaseException) -> list[BaseException]:
    chain, seen = [], set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        chain.append(cur)
        cur = cur.__cause__ or cur.__context__
    return chain


_DNS_WORDS = (
    "name or service",
    "nodename",
    "getaddrinfo",
    "name resolution",
    "no address",
    "temporary failure in name",
)


def classify(exc: BaseException, *, timeout: float | None = None) -> Failure:
    """The failure an exception raised while fetching with httpx (or the socket layer) means."""
    if isinstance(exc, Oversize):
        return oversize(exc.size, exc.limit)
    if isinstance(exc, httpx.TimeoutException | asyncio.TimeoutError | TimeoutError):
        after = f"（{timeout:g} 秒）" if timeout else ""
        after_en = f" after {timeout:g} s" if timeout else ""
        return Failure(TIMEOUT, f"超时{after} / timed out{after_en}", retryable=True)
    if isinstance(exc, httpx.TooManyRedirects):
        return Failure(REDIRECTS, f"重定向次数过多 / too many redirects: {exc}")
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return Failure(BAD_URL, f"网址无效 / invalid URL: {exc}")
    chain = _chain(exc)
    if any(isinstance(e, AddressRefused) for e in chain):
        return refused()
    text = " ".join(str(e) for e in chain).lower()
    if any(isinstance(e, socket.gaierror) for e in chain) or any(w in text for w in _DNS_WORDS):
        return Failure(DNS, f"域名解析失败 / DNS lookup failed: {exc}")
    if any(isinstance(e, ssl.SSLError) for e in chain) or "certificate" in text or "[ssl" in text:
        return Failure(TLS, f"证书或 TLS 握手失败 / TLS failed: {exc}")
    if isinstance(exc, httpx.ConnectError):
        if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
            return Failure(CONNECTION_REFUSED, "连接被拒绝 / connection refused", retryable=True)
        return Failure(CONNECT_ERROR, f"无法连接 / could not connect: {exc}", retryable=True)
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError | httpx.NetworkError):
        return Failure(PROTOCOL_ERROR, f"连接中断或响应不完整 / connection broken: {exc}", retryable=True)
    if isinstance(exc, ValueError):
        return Failure(BAD_URL, f"网址无效 / invalid URL: {exc}")
    return Failure(ERROR, f"获取失败 / fetch failed: {type(exc).__name__}: {exc}")


def refused() -> Failure:
    """The one answer for an address the policy refuses or a name that does not resolve to a permitted one.

    The same text whatever the reason, so the server's answers never tell an internal host from a
    missing one or an open port from a closed one.
    """
    return Failure(REFUSED, REFUSED_TEXT)


def classify_browser(message: str) -> Failure:
    """The failure a Chromium network error (``net::ERR_…``) or a Playwright error message means."""
    if "ERR_NAME_NOT_RESOLVED" in message or "ERR_NAME_RESOLUTION_FAILED" in message:
        return Failure(DNS, message)
    if "ERR_CERT" in message or "ERR_SSL" in message:
        return Failure(TLS, message)
    if "Timeout" in message or "ERR_TIMED_OUT" in message:
        return Failure(TIMEOUT, message, retryable=True)
    if "ERR_CONNECTION_REFUSED" in message:
        return Failure(CONNECTION_REFUSED, message, retryable=True)
    if "ERR_TOO_MANY_REDIRECTS" in message:
        return Failure(REDIRECTS, message)
    if "ERR_INVALID_URL" in message or "ERR_UNSAFE_PORT" in message:
        return Failure(BAD_URL, message)
    if "ERR_CONNECTION" in message or "ERR_EMPTY_RESPONSE" in message or "ERR_ADDRESS" in message:
        return Failure(CONNECT_ERROR, message, retryable=True)
    if "ERR_" in message:
        return Failure(PROTOCOL_ERROR, message)
    return Failure(BROWSER, message)
