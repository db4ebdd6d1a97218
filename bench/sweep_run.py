"""Benchmark of a monitoring run (sweep orchestration) over the demo market on 127.0.0.1.

    .venv/bin/python bench/sweep_run.py [--runs 2]

Baseline, measured in the same run on the same market: the same crawl (same fetcher
settings, same batches of presences) with extraction and the rule scan, writing nothing.
The sweep adds what makes it a legal record: a snapshot per page, the licence verdict per
presence, findings upserted with dedup, progress counters. A second run shows the
unchanged-page path (conditional requests and content hashes; nothing rescanned).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = next(p for p in HERE.parents if (p / "src" / "wangjian").is_dir())
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2, help="runs after the first (unchanged pages)")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="wj-bench-sweep-")
    os.environ.update(WANGJIAN_HOME=home, DJANGO_SETTINGS_MODULE="wangjian.settings")
    os.environ.setdefault("WANGJIAN_FETCH_ALLOW", "127.0.0.1/32")  # the bench site is on loopback
    os.environ.pop("WANGJIAN_BROKER_URL", None)
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from wangjian.monitoring import services
    from wangjian.monitoring.demo import demo_task, market_presences
    from wangjian.monitoring.demo_market import build_market, serve
    from wangjian.monitoring.fetching import Fetcher
    from wangjian.monitoring.selectors import engine_for
    from wangjian.org import demo as org_demo

    org = org_demo.build(password="Bench2025pass")
    services.libraries_load_defaults(bureau=org.county)
    server = serve(0, market=build_market())
    presences = market_presences(bureau=org.county, server=server)
    task = demo_task(bureau=org.county, presences=presences, render="never", evidence_threshold="none")
    engine = engine_for(bureau=org.county)

    async def baseline() -> int:
        pages = 0
        fetcher = Fetcher(render="never", delay=0, per_host=2, retries=1, backoff=0.2, timeout=15)
        try:
            for i in range(0, len(presences), services.BATCH_PRESENCES):
                batch = presences[i : i + services.BATCH_PRESENCES]
                results = await asyncio.gather(*(fetcher.crawl(p.url, depth=1, max_pages=20) for p in batch))
                for outcomes in results:
                    for out in outcomes:
                        pages += 1
                        if out.extracted is not None:
                            engine.scan(out.extracted.combined)
        finally:
            await fetcher.aclose()
        return pages

    t = time.perf_counter()
    base_pages = asyncio.run(baseline())
    base_s = time.perf_counter() - t
    base_rate = base_pages / base_s

    def sweep():
        t = time.perf_counter()
        run = services.monitoring_task_run(task=task).run
        run.refresh_from_db()
        return run, time.perf_counter() - t

    first, first_s = sweep()
    again = [sweep() for _ in range(max(1, args.runs - 1))]
    second = again[-1][0]
    second_s = sum(x[1] for x in again) / len(again)
    pages1 = first.pages_done + first.pages_failed + first.pages_unchanged
    pages2 = second.pages_done + second.pages_failed + second.pages_unchanged
    print(f"market: {len(presences)} presences, {base_pages} pages (depth 1, no browser)")
    print(f"baseline crawl+extract+scan, no records: {base_s:.2f} s, {base_rate:.0f} pages/s")
    print(
        f"sweep run 1 (all pages new): {first_s:.2f} s, {pages1 / first_s:.0f} pages/s, "
        f"{first.findings_new} findings — {pages1 / first_s / base_rate:.2f}× baseline"
    )
    print(
        f"sweep run 2 (unchanged, skipped): {second_s:.2f} s, {pages2 / second_s:.0f} pages/s, "
        f"{second.pages_unchanged} unchanged, {second.findings_seen} findings seen again — "
        f"{pages2 / second_s / base_rate:.2f}× baseline"
    )
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    server.shutdown()


if __name__ == "__main__":
    main()
