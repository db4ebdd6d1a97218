"""The shared browser: one Chromium per process, fresh pages, readiness instead of waits, and it survives a crash."""

from __future__ import annotations

import asyncio
import http.server
import os
import threading
import time

import pytest

from tests.conftest import chromium_path
from wangjian.core.fetching import browser as browsing
from wangjian.core.fetching.limits import EVIDENCE

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _chromium():
    if chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium missing in CI")
        pytest.skip("Debian's chromium is not installed")


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        cookie = self.headers.get("Cookie", "")
        body = f"<html><head><title>t</title></head><body><p>cookie=[{cookie}]</p></body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Set-Cookie", "visited=yes; Path=/")
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def pool():
    p = browsing.BrowserPool(pages=2)
    yield p
    p.stop()


def test_each_load_gets_a_fresh_context_even_from_the_warm_spare(pool, site):
    """A cookie the shop set on one capture is never sent on the next: no state passes between loads."""
    first = pool.run(lambda lease: browsing.record_page(lease, site, limits=EVIDENCE, screenshot=False))
    second = pool.run(lambda lease: browsing.record_page(lease, site, limits=EVIDENCE, screenshot=False))
    assert first.ok and second.ok
    assert "cookie=[]" in first.text and "cookie=[]" in second.text
    assert pool.launches == 1  # one Chromium served both


def test_synchronous_callers_and_an_event_loop_share_the_one_browser(pool, site):
    def sync_call():
        return pool.run(lambda lease: browsing.rendered_html(lease, site, limits=EVIDENCE))

    async def async_calls():
        return await asyncio.gather(
            *(pool.arun(lambda lease: browsing.rendered_html(lease, site, limits=EVIDENCE)) for _ in range(3))
        )

    results: list[str] = []
    thread = threading.Thread(target=lambda: results.append(sync_call()))
    thread.start()
    results.extend(asyncio.run(async_calls()))
    thread.join()
    assert len(results) == 4 and all("cookie=[]" in html for html in results)
    assert pool.launches == 1


def test_a_browser_that_crashed_is_started_again_for_the_next_job(pool, site):
    async def crash(lease):
        await lease.browser.close()  # as if Chromium died mid-job
        raise RuntimeError("browser gone")

    pool.run(lambda lease: browsing.rendered_html(lease, site, limits=EVIDENCE))
    with pytest.raises(RuntimeError):
        pool.run(crash)
    html = pool.run(lambda lease: browsing.rendered_html(lease, site, limits=EVIDENCE))
    assert "cookie=[]" in html and pool.launches == 2


def test_an_address_that_is_not_the_web_is_refused_before_the_browser_is_asked(pool):
    result = pool.run(lambda lease: browsing.record_page(lease, "file:///etc/passwd", limits=EVIDENCE))
    assert result.failure is not None and result.failure.code == "bad_url"
    assert result.exchanges == []


class _BigHandler(http.server.BaseHTTPRequestHandler):
    """A shop page whose one image declares 50 MB and sends it slowly; counts what it managed to send."""

    sent = 0

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/":
            body = b"<html><body><p>shop</p><img src='/big.png'></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        total = 50 * 1024 * 1024
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(total))
        self.end_headers()
        chunk = b"\0" * 65536
        try:
            for _ in range(total // len(chunk)):
                self.wfile.write(chunk)
                type(self).sent += len(chunk)
                time.sleep(0.002)
        except (BrokenPipeError, ConnectionResetError):
            pass


def test_a_load_past_its_byte_budget_is_stopped_not_read_to_the_end():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _BigHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        limits = EVIDENCE.narrowed(max_bytes=1_000_000, timeout=60)
        url = f"http://127.0.0.1:{server.server_port}/"
        result = browsing.run_fresh(lambda lease: browsing.record_page(lease, url, limits=limits))
    finally:
        server.shutdown()
        server.server_close()
    assert result.failure.code == "oversize"
    assert _BigHandler.sent < 25 * 1024 * 1024  # stopped at the declared size, far from the 50 MB
