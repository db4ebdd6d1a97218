"""Helpers of the monitoring tests: a scripted site, a quick fetcher (tests only talk to 127.0.0.1), a task."""

from __future__ import annotations

import asyncio
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from wangjian.monitoring.fetching import Fetcher


def fetch(url, **kw):
    """Fetch one URL with a quick, impolite-free fetcher (tests only talk to 127.0.0.1)."""
    fetch_kw = {k: kw.pop(k) for k in ("etag", "last_modified", "previous_hash") if k in kw}
    kw.setdefault("delay", 0)
    kw.setdefault("backoff", 0.01)

    async def run():
        async with Fetcher(**kw) as f:
            return await f.fetch(url, **fetch_kw)

    return asyncio.run(run())


def crawl(url, *, depth, max_pages=200, **kw):
    kw.setdefault("delay", 0)

    async def run():
        async with Fetcher(**kw) as f:
            return await f.crawl(url, depth=depth, max_pages=max_pages)

    return asyncio.run(run())


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


def make_task(bureau, presences, **kw):
    from wangjian.monitoring.models import MonitoringTask

    values = {"name": "测试任务", "depth": 1, "max_pages": 20, "render": "never", "delay": 0.0}
    values.update(kw)
    task = MonitoringTask.objects.create(bureau=bureau, **values)
    task.presences.set(presences)
    return task
