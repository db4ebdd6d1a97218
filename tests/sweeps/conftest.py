"""Local servers on 127.0.0.1 for the sweep tests: the demo market, and a scripted site."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from wangjian.monitoring.demo_market import serve


@pytest.fixture(scope="session")
def market():
    """The bundled demo market, served once for the session."""
    server = serve(0)
    yield server
    server.shutdown()


class Site:
    """A scripted site: ``site.route(path, handler)`` where handler(request) writes the response."""

    def __init__(self):
        self.routes: dict = {}
        self.hits: dict[str, int] = {}
        self.active = 0
        self.max_active = 0
        self.starts: list[float] = []
        self.request_headers: list[dict] = []
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                path = self.path.split("?")[0]
                with site.lock:
                    site.hits[path] = site.hits.get(path, 0) + 1
                    site.active += 1
                    site.max_active = max(site.max_active, site.active)
                    site.starts.append(time.monotonic())
                    site.request_headers.append(dict(self.headers))
                try:
                    handler = site.routes.get(path)
                    if handler is None:
                        self.send_response(404)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                    else:
                        handler(self)
                finally:
                    with site.lock:
                        site.active -= 1

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def route(self, path, handler):
        self.routes[path] = handler

    def page(self, path, body: bytes, *, content_type="text/html; charset=utf-8", status=200, headers=()):
        def handler(req):
            req.send_response(status)
            req.send_header("Content-Type", content_type)
            req.send_header("Content-Length", str(len(body)))
            for k, v in headers:
                req.send_header(k, v)
            req.end_headers()
            req.wfile.write(body)

        self.route(path, handler)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


@pytest.fixture
def closed_port():
    """A port on 127.0.0.1 where nothing listens (connection refused)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port
