"""The access log (访问日志): one line per request, kept six months (网络安全法 art. 21; 等保 安全审计).

Who (the account, ``-`` when not logged in), from where (the peer address, and the
``X-Forwarded-For`` a reverse proxy passed on, as received), what (method and path), the answer
(status) and how long it took. Never a request or response body, a cookie or a header's token;
of the query string only the parameter names, with the values of a few harmless ones (page,
ordering …): a search for a person's name or telephone number is personal data
(个人信息保护法 art. 6) and does not belong in a log kept half a year.

Successful probes of ``/healthz`` and ``/readyz`` are not logged: the orchestrator asks every few
seconds and nobody acts; a failed probe is.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import parse_qsl, quote

log = logging.getLogger("wangjian.access")

# Query parameters whose values say nothing about a person: kept; every other value is replaced by "…".
PLAIN_PARAMETERS = frozenset(
    {
        "page",
        "per_page",
        "limit",
        "offset",
        "cursor",
        "sort",
        "ordering",
        "format",
        "export",
        "tab",
        "year",
        "lang",
    }
)
PROBES = frozenset({"/healthz", "/readyz"})


def query_for_log(query: str) -> str:
    """``q=张三&page=2`` → ``q=…&page=2``: the names, and the values of plain parameters only."""
    if not query:
        return ""
    parts = []
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name in PLAIN_PARAMETERS:
            kept = quote(value[:40], safe="_-.,:")
        else:
            kept = "…" if value else ""
        parts.append(f"{quote(name[:40], safe='_-.')}={kept}")
    return "?" + "&".join(parts)


def user_for_log(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return user.get_username() or "-"
    return "-"


class AccessLogMiddleware:
    """The outermost middleware: it times the whole request and logs the answer every other gave."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            return response
        finally:
            if not (request.path in PROBES and status < 400):
                meta = request.META
                log.info(
                    '%s %s %s "%s %s%s" %s %dms',
                    meta.get("REMOTE_ADDR") or "-",
                    (meta.get("HTTP_X_FORWARDED_FOR") or "-").replace(" ", "")[:200],
                    user_for_log(request),
                    request.method,
                    quote(request.path, safe="/:@!$&'()*+,;=-._~%"),
                    query_for_log(meta.get("QUERY_STRING", "")),
                    status,
                    (time.monotonic() - started) * 1000,
                )
