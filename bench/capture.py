"""Captures per minute on the local test site: evidence machinery against plain Playwright / plain httpx.

    .venv/bin/python bench/capture.py [--n 10] [--path /shop.html]

Baselines (same run, same pages, same machine):
  * plain Playwright, one running browser: new page, goto, full-page screenshot, page.content()
    — compared with the evidence capture on its shared browser worker (the default);
  * plain Playwright, a fresh browser per page — compared with the evidence capture with
    ``WANGJIAN_EVIDENCE_SHARED_BROWSER = False``;
  * plain httpx: one GET — compared with the httpx-only capture mode.
The evidence figures include the WARC, metadata, hashing, the content-addressed store, the
database rows and the ledger entry. Overhead = baseline rate / evidence rate.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rate(n: int, seconds: float) -> float:
    return n / seconds * 60 if seconds else float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10, help="captures per method")
    parser.add_argument("--path", default="/shop.html", help="page of the local test site")
    opts = parser.parse_args()

    home = tempfile.mkdtemp(prefix="wj-bench-capture-")
    os.environ["WANGJIAN_HOME"] = home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangjian.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import httpx
    from playwright.sync_api import sync_playwright

    from tests.evidence.site import Site
    from wangjian.evidence import engine, services
    from wangjian.org.models import Bureau

    bureau = Bureau.objects.create(name="旌德县市场监督管理局", code="341825", level="county")
    results: dict[str, float] = {}
    with Site() as site:
        url = site.url(opts.path)

        def plain(browser) -> None:
            page = browser.new_page()
            page.goto(url, wait_until="load")
            page.screenshot(full_page=True)
            page.content()
            page.close()

        with sync_playwright() as p:
            start = time.perf_counter()
            browser = engine.launch_browser(p)
            for _ in range(opts.n):
                plain(browser)
            browser.close()
            results["plain playwright, one browser"] = time.perf_counter() - start
            start = time.perf_counter()
            for _ in range(opts.n):
                browser = engine.launch_browser(p)
                plain(browser)
                browser.close()
            results["plain playwright, fresh browser"] = time.perf_counter() - start

        for shared, name in ((True, "evidence browser, shared"), (False, "evidence browser, fresh")):
            settings.WANGJIAN_EVIDENCE_SHARED_BROWSER = shared
            start = time.perf_counter()
            for _ in range(opts.n):
                c = services.evidence_capture(
                    url=url, operators=["甲", "乙"], purpose="bench", bureau=bureau
                ).capture
                assert c.ok, c.failure_detail
            results[name] = time.perf_counter() - start

        start = time.perf_counter()
        with httpx.Client() as client:
            for _ in range(opts.n):
                client.get(url).raise_for_status()
        results["plain httpx (baseline)"] = time.perf_counter() - start

        start = time.perf_counter()
        for _ in range(opts.n):
            c = services.evidence_capture(
                url=url, operators=["甲", "乙"], purpose="bench", bureau=bureau, mode="http"
            ).capture
            assert c.ok, c.failure_detail
        results["evidence http mode"] = time.perf_counter() - start

    print(f"{opts.n} captures each of {opts.path} on 127.0.0.1")
    for name, seconds in results.items():
        print(
            f"  {name:<30} {rate(opts.n, seconds):8.1f} captures/min  ({seconds / opts.n * 1000:7.1f} ms each)"
        )
    pairs = [
        ("evidence browser, shared", "plain playwright, one browser"),
        ("evidence browser, fresh", "plain playwright, fresh browser"),
        ("evidence http mode", "plain httpx (baseline)"),
    ]
    for ours, base in pairs:
        print(f"  overhead {ours:<26} {results[ours] / results[base]:5.2f}× the time of {base}")
    from wangjian.evidence import selectors

    start = time.perf_counter()
    report = selectors.evidence_verify()
    print(
        f"  verify --all of {report.captures} captures / {report.files} files: {time.perf_counter() - start:.2f} s"
    )


if __name__ == "__main__":
    main()
