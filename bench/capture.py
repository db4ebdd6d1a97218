"""Evidence captures against plain Playwright / plain httpx on the same pages, interleaved.

    .venv/bin/python bench/capture.py [--n 10] [--path /shop.html]

Baselines (same run, same pages, same machine; the methods take turns capture by capture, so
a busy moment of the machine falls on all of them alike):
  * plain Playwright, one running browser: new page, goto, full-page screenshot, page.content()
    — compared with the evidence capture on the shared browser pool (the default);
  * plain Playwright, a fresh browser per page — compared with the evidence capture with
    ``WANGJIAN_EVIDENCE_SHARED_BROWSER = False``;
  * plain httpx: one GET — compared with the httpx-only capture mode.
The evidence figures include everything the record needs: the WARC of every exchange, the
full-page screenshot, rendered HTML and text, metadata, hashes, the content-addressed store,
the database rows and the ledger entry. Overhead = median time of ours / median time of the
baseline (and the ratio of totals beside it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10, help="captures per method")
    parser.add_argument("--path", default="/shop.html", help="page of the local test site")
    parser.add_argument("--no-fresh", action="store_true", help="skip the fresh-browser pair (slow)")
    opts = parser.parse_args()

    home = tempfile.mkdtemp(prefix="wj-bench-capture-")
    os.environ["WANGJIAN_HOME"] = home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangjian.settings")
    os.environ.setdefault("WANGJIAN_FETCH_ALLOW", "127.0.0.1/32")  # the bench site is on loopback
    # Playwright's sync API keeps an event loop on this thread; the captures interleaved with it are
    # plain synchronous Django, which that loop does not touch.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import httpx
    from playwright.sync_api import sync_playwright

    from tests.evidence.site import Site
    from wangjian.core.fetching.limits import CHROMIUM_ARGS, CHROMIUM_PATH
    from wangjian.evidence import services
    from wangjian.org.models import Bureau

    bureau = Bureau.objects.create(name="旌德县市场监督管理局", code="341825", level="county")
    times: dict[str, list[float]] = defaultdict(list)

    def timed(name, fn):
        start = time.perf_counter()
        fn()
        times[name].append(time.perf_counter() - start)

    with Site() as site, sync_playwright() as p, httpx.Client() as client:
        url = site.url(opts.path)

        def launch():
            return p.chromium.launch(executable_path=CHROMIUM_PATH, args=list(CHROMIUM_ARGS))

        def plain(browser) -> None:
            page = browser.new_page()
            page.goto(url, wait_until="load")
            page.screenshot(full_page=True)
            page.content()
            page.close()

        def plain_fresh() -> None:
            browser = launch()
            plain(browser)
            browser.close()

        def evidence(mode="browser", shared=True):
            settings.WANGJIAN_EVIDENCE_SHARED_BROWSER = shared
            c = services.evidence_capture(
                url=url, operators=["甲", "乙"], purpose="bench", bureau=bureau, mode=mode
            )
            assert c.capture.ok, c.capture.failure_detail

        browser = launch()
        # One warm-up of each, not counted: the first page of a browser and the first capture pay start-up.
        plain(browser)
        evidence()
        for _ in range(opts.n):
            timed("plain playwright, one browser", lambda: plain(browser))
            timed("evidence browser, shared", evidence)
            if not opts.no_fresh:
                timed("plain playwright, fresh browser", plain_fresh)
                timed("evidence browser, fresh", lambda: evidence(shared=False))
            timed("plain httpx (baseline)", lambda: client.get(url).raise_for_status())
            timed("evidence http mode", lambda: evidence(mode="http"))
        browser.close()

    print(f"{opts.n} captures each of {opts.path} on 127.0.0.1 (methods interleaved; median, mean)")
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"  {name:<32} {60 / median:8.1f} captures/min   median {median * 1000:7.1f} ms"
            f"   mean {statistics.mean(values) * 1000:7.1f} ms"
        )
    pairs = [
        ("evidence browser, shared", "plain playwright, one browser"),
        ("evidence browser, fresh", "plain playwright, fresh browser"),
        ("evidence http mode", "plain httpx (baseline)"),
    ]
    for ours, base in pairs:
        if ours in times:
            by_median = statistics.median(times[ours]) / statistics.median(times[base])
            by_total = sum(times[ours]) / sum(times[base])
            print(f"  overhead {ours:<26} {by_median:5.2f}× (totals {by_total:4.2f}×) the time of {base}")
    from wangjian.evidence import selectors

    start = time.perf_counter()
    report = selectors.evidence_verify()
    print(
        f"  verify --all of {report.captures} captures / {report.files} files: {time.perf_counter() - start:.2f} s"
    )


if __name__ == "__main__":
    main()
