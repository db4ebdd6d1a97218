"""``wangjian monitor``: check presences from the command line, serve the demo market.

``wangjian monitor check URL [--depth N]`` prints one JSON line per page:
``{"url": …, "status": "ok"|"failed", "reason": …, "licence": {"verdict", "uscc", "name"}, "hits": [...]}``
(``licence`` only on the entry page), the contract of issue 7; the entry page also has ``permits``, a list of
``{"kind", "verdict", "number", "name", "reason", "evidence"}`` (亮证: the permits its goods require). The
licence verdict is decided against the registry in the database and the permits against the imported permit
data (``--registry demo``: the demo market's own registry and permit data).
``wangjian monitor feed FILE|URL`` scans a platform's listing feed (JSONL or CSV) without fetching pages;
with ``--task ID --platform ID`` it records the findings as a feed scan (商品信息扫描, as the page does).
``wangjian monitor market [--port 8800]`` serves the bundled demo online market; with ``--score``
it sweeps every shop once and prints how the licence check and the rules did against the truth.
``wangjian monitor tasks`` lists the monitoring tasks; ``wangjian monitor run TASK_ID [--wait]`` starts
a run (chunks on Celery workers, or in-process without a broker) and prints its progress;
``wangjian monitor findings [--json] [--status new]`` lists findings.
"""

from __future__ import annotations

import asyncio
import json
import time

from wangjian.core.errors import ValidationFailed
from wangjian.core.fetching.addresses import REFUSED_EN, REFUSED_ZH, current_policy
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
        chk.add_argument(
            "--own-site",
            action="store_true",
            help="该场所是自建网站（须标注互联网药品信息服务资格证书）/ a site of its own, not a platform shop",
        )
        chk.add_argument(
            "--ebiz-mark",
            action="store_true",
            help="核验电子营业执照/网络经营主体标识（亮标）/ check the electronic business mark",
        )
        chk.add_argument("--timeout", type=float, default=15.0)
        chk.add_argument("--delay", type=float, default=0.25, help="同一主机请求间隔秒数 / per-host delay")
        feed = sub.add_parser(
            "feed", help="扫描平台报送的商品信息（JSONL/CSV），不抓取页面 / scan a listing feed"
        )
        feed.add_argument("source", help="文件路径或网址 / a file path or URL")
        feed.add_argument("--library", action="append", help="规则库名称（可重复）/ rule library name")
        feed.add_argument(
            "--task",
            type=int,
            help="记入该监测任务的发现（须同时给出 --platform）/ record findings for this task",
        )
        feed.add_argument("--platform", type=int, help="平台ID：按店铺ID对应网络经营场所 / platform id")
        mk = sub.add_parser("market", help="启动演示网络市场 / serve the demo online market")
        mk.add_argument("--port", type=int, default=8800)
        mk.add_argument(
            "--score",
            action="store_true",
            help="扫描全部店铺并与真值比对后退出 / sweep every shop, compare with the truth, and exit",
        )
        mk.add_argument("--library", action="append", help="规则库名称（可重复）/ rule library name")

        sub.add_parser("tasks", help="列出监测任务 / list monitoring tasks")
        run = sub.add_parser("run", help="执行监测任务 / run a monitoring task")
        run.add_argument("task_id", type=int)
        run.add_argument("--wait", action="store_true", help="等待完成并显示进度 / wait and print progress")
        fnd = sub.add_parser("findings", help="列出监测发现 / list findings")
        fnd.add_argument("--json", action="store_true", help="每行一个 JSON / one JSON object a line")
        fnd.add_argument("--status", choices=["new", "confirmed", "dismissed"])
        fnd.add_argument("--task", type=int)
        fnd.add_argument("--limit", type=int, default=1000)

    def handle(self, *args, **options):
        getattr(self, "do_" + options["action"])(options)

    def do_check(self, options):
        from django.utils import timezone

        from wangjian.monitoring import selectors
        from wangjian.monitoring.fetching import Fetcher
        from wangjian.monitoring.licence import presence_check
        from wangjian.monitoring.permits import permit_entry_checks
        from wangjian.monitoring.services.permits import ebiz_mark_required

        url = options["url"]
        if not url.startswith(("http://", "https://")):
            raise ValidationFailed(
                f"网址须以 http:// 或 https:// 开头：{url}", f"the URL must start with http(s)://: {url}"
            )
        if current_policy().url_refused(url):
            raise ValidationFailed(REFUSED_ZH, REFUSED_EN)  # nothing is fetched from it
        today = timezone.localdate()
        if options["registry"] == "demo":
            from wangjian.monitoring.demo_market import build_market

            market = build_market()
            lookup, permit_data = market.lookup, market.permit_lookup(today)
        else:
            from wangjian.registry.selectors import permit_lookup

            lookup, permit_data = _db_lookup, permit_lookup()
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
                    entry_checks=permit_entry_checks(
                        fetcher=fetcher,
                        lookup=permit_data,
                        today=today,
                        expected_uscc=options["expected_uscc"],
                        website=True if options["own_site"] else None,
                        ebiz_mark=options["ebiz_mark"] or ebiz_mark_required(),
                    ),
                )

        asyncio.run(run())

    def do_feed(self, options):
        """One JSON line per listing (``{"listing_id", "shop_id", "url", "hits"}``), and one per rejected row."""
        from pathlib import Path

        from wangjian.monitoring import selectors
        from wangjian.monitoring.extract import read_feed, scan_hits
        from wangjian.monitoring.fetching import fetch_sync

        source = options["source"]
        if options.get("task") or options.get("platform"):
            self._feed_record(options)  # a recorded scan: the page's and the API's path
            return
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
                permits: dict = {}
                verdicts, found = asyncio.run(
                    score.sweep_market(server.url, server.market, engine=engine, permits=permits)
                )
                score.report(server.market, verdicts, found, self.stdout.write, permits=permits)
            finally:
                server.shutdown()
            return
        self.stdout.write(f"演示网络市场 / demo market: {server.url}  （Ctrl-C 停止 / to stop）")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            server.shutdown()

    def do_tasks(self, options):
        from wangjian.monitoring.models import MonitoringTask
        from wangjian.monitoring.selectors import task_presences

        for task in MonitoringTask.objects.select_related("bureau").order_by("pk"):
            self.stdout.write(
                f"{task.pk}\t{task.name}\t{task.bureau}\t{task_presences(task=task).count()} 个场所\t"
                f"{'启用' if task.enabled else '停用'}\t最近执行 {task.last_run_at or '—'}"
            )

    def do_run(self, options):
        from wangjian.core.errors import NotFoundError
        from wangjian.monitoring import selectors, services
        from wangjian.monitoring.models import MonitoringTask, SweepRun

        task = MonitoringTask.objects.filter(pk=options["task_id"]).first()
        if task is None:
            raise NotFoundError(
                f"没有编号为 {options['task_id']} 的监测任务", f"no monitoring task {options['task_id']}"
            )
        started = services.monitoring_task_run(task=task)
        run = started.run
        self.stdout.write(f"监测执行 #{run.pk} 已开始 / run started: {started.reason}")
        last = None
        while True:
            run = SweepRun.objects.get(pk=run.pk)
            p = selectors.run_progress(run=run)
            line = (
                f"[{run.get_status_display()}] 场所 {p['presences_done']}/{run.presences_total} · "
                f"页面 已获取 {p['pages_done']} 未变化 {p['pages_unchanged']} 失败 {p['pages_failed']} "
                f"待监测 {p['pages_remaining']} · 发现 新 {p['findings_new']} 再次 {p['findings_seen']}"
            )
            if line != last:
                self.stdout.write(line)
                last = line
            if run.finished or not options["wait"]:
                break
            time.sleep(2)

    def do_findings(self, options):
        from wangjian.monitoring.models import Finding

        qs = Finding.objects.select_related("presence").order_by("-last_seen", "-id")
        if options.get("status"):
            qs = qs.filter(status=options["status"])
        if options.get("task"):
            qs = qs.filter(task_id=options["task"])
        for f in qs[: options["limit"]]:
            record = {
                "id": f.pk,
                "presence": f.presence_id,
                "presence_name": str(f.presence),
                "url": f.page_url,
                "rule": f.rule_code,
                "category": f.category,
                "severity": f.severity,
                "matched": f.matched,
                "legal_basis": f.legal_basis,
                "first_seen": f.first_seen.isoformat(),
                "last_seen": f.last_seen.isoformat(),
                "seen_count": f.seen_count,
                "status": f.status,
                "evidence": f.evidence_id,
                "clue": f.clue_number or None,
            }
            if options["json"]:
                self.stdout.write(json.dumps(record, ensure_ascii=False))
            else:
                self.stdout.write(
                    f"{f.pk}\t{f.get_status_display()}\t{f.rule_code}\t“{f.matched}”\t{f.presence}\t"
                    f"×{f.seen_count}\t{f.page_url}"
                )

    def _feed_record(self, options):
        """Scan the feed into findings of the task (deduplicated like a sweep's) as a recorded scan
        (商品信息扫描, the same service as the page and the API) and print a summary."""
        from pathlib import Path

        from django.core.files import File

        from wangjian.core.errors import NotFoundError
        from wangjian.monitoring import services
        from wangjian.monitoring.models import MonitoringTask
        from wangjian.registry.models import Platform

        task = MonitoringTask.objects.filter(pk=options.get("task") or 0).first()
        platform = Platform.objects.filter(pk=options.get("platform") or 0).first()
        if task is None or platform is None:
            raise NotFoundError(
                "须同时给出存在的 --task 与 --platform", "both an existing --task and --platform are required"
            )
        source = options["source"]
        common = dict(task=task, platform=platform, user=None, background=False)
        if source.startswith(("http://", "https://")):
            scan = services.feed_scan_start(url=source, **common)
        else:
            path = Path(source)
            if not path.is_file():
                raise ValidationFailed(f"文件不存在：{source}", f"no such file: {source}")
            with path.open("rb") as fh:
                scan = services.feed_scan_start(file=File(fh, name=path.name), file_name=path.name, **common)
        if scan.status == "failed":
            raise ValidationFailed(
                f"商品信息扫描 #{scan.pk} 失败：{scan.error}", f"feed scan #{scan.pk} failed"
            )
        self.stdout.write(
            json.dumps(
                {
                    "scan": scan.pk,
                    "listings": scan.listings_total,
                    "findings_new": scan.findings_new,
                    "findings_seen": scan.findings_seen,
                    "unknown_shops": [row["shop_id"] for row in scan.unknown_shops],
                    "rejected": [{"row": r["row"], "error": r["reason"]} for r in scan.rejected_rows],
                },
                ensure_ascii=False,
            )
        )
