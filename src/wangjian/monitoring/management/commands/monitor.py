"""``wangjian monitor``: check presences from the command line, serve the demo market.

``wangjian monitor check URL [--depth N]`` prints one JSON line per page:
``{"url": …, "status": "ok"|"failed", "reason": …, "licence": {"verdict", "uscc", "name"}, "hits": [...]}``
(``licence`` only on the entry page), the contract of issue 7. The licence verdict is decided
against the registry in the database (``--registry demo``: the demo market's own registry).
``wangjian monitor feed FILE|URL`` scans a platform's listing feed (JSONL or CSV) without fetching pages.
``wangjian monitor market [--port 8800]`` serves the bundled demo online market; with ``--score``
it sweeps every shop once and prints how the licence check and the rules did against the truth.
"""

from __future__ import annotations

import asyncio
import json
import time

from wangjian.core.errors import ValidationFailed
from wangjian.core.management.base import WangjianCommand


def _db_lookup(code: str):
    from wangjian.registry.models import MarketEntity

    return MarketEntity.objects.filter(uscc=code).order_by("id").values_list("name", "status").first()


class Command(WangjianCommand):
    help = (
        "网络交易监测：检查网店页面、启动演示网络市场 / monitoring: check a presence, serve the demo market"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        chk = sub.add_parser("check", help="检查一个网络经营场所 / check one presence")
        chk.add_argument("url")
        chk.add_argument(
            "--depth", type=int, default=0, help="站内抓取深度 / crawl depth within the presence"
        )
        chk.add_argument("--max-pages", type=int, default=50)
        chk.add_argument("--render", choices=["auto", "never", "always"], default="auto")
        chk.add_argument("--library", action="append", help="规则库名称（可重复）/ rule library name")
        chk.add_argument("--registry", choices=["db", "demo"], default="db")
        chk.add_argument(
            "--expected-uscc", default="", help="该场所关联主体的代码 / code of the linked entity"
        )
        chk.add_argument("--timeout", type=float, default=15.0)
        chk.add_argument("--delay", type=float, default=0.25, help="同一主机请求间隔秒数 / per-host delay")
        feed = sub.add_parser(
            "feed", help="扫描平台报送的商品信息（JSONL/CSV），不抓取页面 / scan a listing feed"
        )
        feed.add_argument("source", help="文件路径或网址 / a file path or URL")
        feed.add_argument("--library", action="append", help="规则库名称（可重复）/ rule library name")
        mk = sub.add_parser("market", help="启动演示网络市场 / serve the demo online market")
        mk.add_argument("--port", type=int, default=8800)
        mk.add_argument(
            "--score",
            action="store_true",
            help="扫描全部店铺并与真值比对后退出 / sweep every shop, compare with the truth, and exit",
        )
        mk.add_argument("--library", action="append", help="规则库名称（可重复）/ rule library name")

    def handle(self, *args, **options):
        getattr(self, "do_" + options["action"])(options)

    def do_check(self, options):
        from wangjian.monitoring import selectors
        from wangjian.monitoring.fetching import Fetcher
        from wangjian.monitoring.licence import presence_check

        url = options["url"]
        if not url.startswith(("http://", "https://")):
            raise ValidationFailed(
                f"网址须以 http:// 或 https:// 开头：{url}", f"the URL must start with http(s)://: {url}"
            )
        if options["registry"] == "demo":
            from wangjian.monitoring.demo_market import build_market

            lookup = build_market().lookup
        else:
            lookup = _db_lookup
        engine = selectors.engine_for(names=options.get("library") or None)

        def emit(record):
            self.stdout.write(json.dumps(record, ensure_ascii=False))

        async def run():
            async with Fetcher(
                render=options["render"], timeout=options["timeout"], delay=options["delay"]
            ) as fetcher:
                await presence_check(
                    url=url,
                    lookup=lookup,
                    fetcher=fetcher,
                    engine=engine,
                    depth=options["depth"],
                    max_pages=options["max_pages"],
                    expected_uscc=options["expected_uscc"],
                    on_record=emit,
                )

        asyncio.run(run())

    def do_feed(self, options):
        """One JSON line per listing (``{"listing_id", "shop_id", "url", "hits"}``), and one per rejected row."""
        from pathlib import Path

        from wangjian.monitoring import selectors
        from wangjian.monitoring.extract import read_feed, scan_hits
        from wangjian.monitoring.fetching import fetch_sync

        source = options["source"]
        if source.startswith(("http://", "https://")):
            out = fetch_sync(source, delay=0, extract_text=False)
            if not out.ok:
                raise ValidationFailed(
                    f"无法获取商品信息：{out.reason}", f"could not fetch the feed: {out.reason}"
                )
            data: bytes | str = out.html
            fmt = "jsonl" if "json" in out.content_type else ("csv" if "csv" in out.content_type else "")
        else:
            path = Path(source)
            if not path.is_file():
                raise ValidationFailed(f"文件不存在：{source}", f"no such file: {source}")
            data = path.read_bytes()
            fmt = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}.get(path.suffix.lower(), "")
        engine = selectors.engine_for(names=options.get("library") or None)
        listings, rejected = read_feed(data, fmt=fmt)
        for item in listings:
            record = {
                "listing_id": item.listing_id,
                "shop_id": item.shop_id,
                "url": item.url,
                "row": item.row,
            }
            record["hits"] = scan_hits(engine, item.extracted())
            self.stdout.write(json.dumps(record, ensure_ascii=False))
        for row, reason in rejected:
            self.stdout.write(json.dumps({"row": row, "error": reason}, ensure_ascii=False))

    def do_market(self, options):
        from wangjian.monitoring.demo_market import serve

        server = serve(0 if options["score"] else options["port"])
        if options["score"]:
            from wangjian.monitoring import selectors
            from wangjian.monitoring.demo_market import score

            try:
                engine = selectors.engine_for(names=options.get("library") or None)
                verdicts, found = asyncio.run(score.sweep_market(server.url, server.market, engine=engine))
                score.report(server.market, verdicts, found, self.stdout.write)
            finally:
                server.shutdown()
            return
        self.stdout.write(f"演示网络市场 / demo market: {server.url}  （Ctrl-C 停止 / to stop）")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            server.shutdown()
