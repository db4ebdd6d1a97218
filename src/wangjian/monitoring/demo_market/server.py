"""A small threaded WSGI server for the demo market on 127.0.0.1 (no internet needed)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from wangjian.monitoring.demo_market import pages
from wangjian.monitoring.demo_market.market import Market, build_market

LAST_MODIFIED = "Mon, 02 Sep 2024 08:00:00 GMT"
# A 1×1 transparent GIF for every product photo and licence image.
PIXEL = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)
_ITEM = re.compile(r"item/(L\d{4})\.html$")


def _content_type(encoding: str) -> tuple[str, str]:
    """(Content-Type header, Python codec) for a shop's encoding variant."""
    if encoding == "gbk_header":
        return "text/html; charset=GBK", "gbk"
    if encoding in ("gbk_meta", "gbk_bare"):
        return "text/html", "gbk"
    return "text/html; charset=utf-8", "utf-8"


class MarketApp:
    """The WSGI application: routes paths to the platform, shops, listings and the feeds."""

    def __init__(self, market: Market):
        self.market = market

    def route(self, path: str, base_url: str) -> tuple[int, str, bytes]:
        m = self.market
        if path in ("/", "/platform/", "/platform"):
            return 200, "text/html; charset=utf-8", pages.platform_home(m).encode("utf-8")
        if path == "/platform/feed.jsonl":
            body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in m.feed_rows(base_url))
            return 200, "application/x-ndjson; charset=utf-8", body.encode("utf-8")
        if path == "/platform/feed.csv":
            buf = io.StringIO()
            rows = m.feed_rows(base_url)
            writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["listing_id"])
            writer.writeheader()
            writer.writerows(rows)
            return 200, "text/csv; charset=utf-8", buf.getvalue().encode("utf-8-sig")
        if path == "/truth.json":
            return 200, "application/json", json.dumps(m.truth(), ensure_ascii=False).encode("utf-8")
        if path.startswith("/static/"):
            return 200, "image/gif", PIXEL
        shop = m.shop_of_path(path)
        if shop is None:
            return 404, "text/html; charset=utf-8", "<h1>404 页面不存在</h1>".encode()
        if shop.http_status == 404:
            return 404, "text/html; charset=utf-8", "<h1>店铺已关闭</h1>".encode()
        if shop.http_status >= 500:
            return shop.http_status, "text/html; charset=utf-8", "<h1>服务器错误</h1>".encode()
        rest = path[len(shop.path) :]
        if rest in ("", "index.html"):
            html = pages.shop_home(m, shop)
        elif rest == "about.html":
            html = pages.shop_about(shop)
        elif rest == "licence.html" and shop.licence_display == "link":
            html = pages.licence_page(shop)
        elif (mi := _ITEM.match(rest)) and mi.group(1) in shop.listing_ids:
            html = pages.listing_page(shop, m.listing(mi.group(1)))
        else:
            return 404, "text/html; charset=utf-8", "<h1>404 页面不存在</h1>".encode()
        ctype, codec = _content_type(shop.encoding)
        return 200, ctype, html.encode(codec, "xmlcharrefreplace")

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO") or "/"
        base = f"http://{environ.get('HTTP_HOST') or environ['SERVER_NAME'] + ':' + environ['SERVER_PORT']}"
        status, ctype, body = self.route(path, base)
        etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        headers = [("Content-Type", ctype), ("ETag", etag), ("Last-Modified", LAST_MODIFIED)]
        if status == 200 and (
            environ.get("HTTP_IF_NONE_MATCH") == etag
            or environ.get("HTTP_IF_MODIFIED_SINCE") == LAST_MODIFIED
        ):
            start_response("304 Not Modified", headers[1:])
            return [b""]
        reason = {200: "OK", 404: "Not Found", 500: "Internal Server Error"}.get(status, "Error")
        start_response(f"{status} {reason}", headers + [("Content-Length", str(len(body)))])
        return [body]


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 — the stdlib's signature
        pass


class MarketServer:
    """A running demo market: ``.url`` (ends with "/"), ``.market``, ``.shutdown()``."""

    def __init__(self, httpd, market: Market):
        self._httpd = httpd
        self.market = market
        host, port = httpd.server_address[:2]
        self.port = port
        self.url = f"http://{host}:{port}/"
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="demo-market", daemon=True
        )
        self._thread.start()

    def url_for(self, path: str) -> str:
        return self.url.rstrip("/") + path

    def shop_url(self, shop_id: str) -> str:
        return self.url_for(self.market.shop(shop_id).path)

    def shutdown(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> MarketServer:
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()


def serve(port: int = 0, *, host: str = "127.0.0.1", market: Market | None = None) -> MarketServer:
    """Start the demo market in a background thread (port 0: any free port)."""
    market = market or build_market()
    httpd = make_server(
        host, port, MarketApp(market), server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    return MarketServer(httpd, market)
