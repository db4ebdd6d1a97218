"""Sweep throughput: wangjian's fetcher + extraction + keyword scan against Scrapy, same site, same run.

A generated site of ``--pages`` pages (default 10,000; Chinese listing pages with links,
images, JSON-LD) is served on 127.0.0.1 by a small keep-alive asyncio server in its own
process. Each crawler runs in its own process, starting from the index page and following
links until it has every page:

- **wangjian**: ``monitoring.fetching.Fetcher.crawl`` (httpx, charset detection, content
  hash, ``monitoring.extract`` of visible text, img alt/title, meta and JSON-LD), and the rule
  engine with every default library (``engine.default_engine``) on every page's extracted text;
- **Scrapy** (the baseline): a spider that follows every link, at the same concurrency,
  no download delay, no retries, robots.txt off — crawling only, no scanning.

Printed: pages, wall seconds, pages/s, peak RSS of each crawler's process, and the ratio.
Run: ``.venv/bin/python bench/sweep.py [--pages 10000] [--concurrency 16]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import socket
import subprocess
import sys
import time
from multiprocessing import Process

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "src"))

WORDS = (
    "旌德 灵芝 孢子粉 天山 真香茶 板栗 笋干 土蜂蜜 宣砚 毛笔 徽墨 产地 直发 包邮 礼盒 规格 克 新鲜 手工 农家 "
    "山核桃 绿茶 黄山 毛峰 村民 合作社 电商 店铺 优选 品质 售后 发货 保障 正品 传统 工艺 特产 年货 送礼 自用"
).split()
TERMS = [
    "全网最低价",
    "国家级",
    "销量第一",
    "史上最强",
    "最正宗",
    "治疗高血压",
    "降血糖",
    "包治百病",
    "根治失眠",
    "百分百有效",
    "无效退款",
    "无任何副作用",
    "高仿",
    "超A货",
    "一比一复刻",
    "原单尾货",
    "天天最后一天",
    "倒计时永不结束",
    "好评返现",
    "晒图返现",
    "保本保息",
    "稳赚不赔",
    "保本高收益",
    "保过",
    "不过退费",
    "包拿证",
    "拉人头",
    "发展下线",
    "三级分销",
    "无需处方",
]


# --------------------------------------------------------------------------- the site


def make_page(i: int, n: int) -> bytes:
    rng = random.Random(i)
    children = [c for c in range(10 * i + 1, 10 * i + 11) if c < n]
    others = [rng.randrange(n) for _ in range(3)] + [max(0, (i - 1) // 10)]
    links = "".join(f'<li><a href="/p/{c}.html">商品 {c}</a></li>' for c in children + others)
    paras = []
    for _ in range(12):
        sentence = "".join(rng.choice(WORDS) for _ in range(rng.randint(20, 40)))
        if rng.random() < 0.05:
            sentence += rng.choice(TERMS)
        paras.append(f"<p>{sentence}。</p>")
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "Product",
            "name": f"旌德特产 {i}",
            "description": "".join(rng.choice(WORDS) for _ in range(20)),
            "offers": {"@type": "Offer", "price": f"{rng.randint(9, 999)}.00", "priceCurrency": "CNY"},
        },
        ensure_ascii=False,
    )
    html = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>旌德特产 {i}</title>'
        f'<meta name="description" content="旌德县本地特产第{i}号商品">'
        f'<script type="application/ld+json">{ld}</script></head><body>'
        f'<h1>旌德特产 {i}</h1><img src="/img/{i}.jpg" alt="商品实拍 {i}">'
        f'<div class="desc">{"".join(paras)}</div><ul>{links}</ul></body></html>'
    )
    return html.encode("utf-8")


class _Http(asyncio.Protocol):
    pages: dict[bytes, bytes] = {}

    def connection_made(self, transport):
        self.t = transport
        self.buf = b""

    def data_received(self, data):
        self.buf += data
        while b"\r\n\r\n" in self.buf:
            head, self.buf = self.buf.split(b"\r\n\r\n", 1)
            path = head.split(b" ", 2)[1]
            body = self.pages.get(path)
            if body is None:
                self.t.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            else:
                self.t.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
                    + str(len(body)).encode()
                    + b"\r\n\r\n"
                    + body
                )


def serve_site(port: int, n: int) -> None:
    _Http.pages = {f"/p/{i}.html".encode(): make_page(i, n) for i in range(n)}

    async def main():
        server = await asyncio.get_running_loop().create_server(_Http, "127.0.0.1", port, backlog=1024)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- the crawlers


def run_wangjian(url: str, pages: int, concurrency: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangjian.settings")
    import django

    django.setup()
    from wangjian.monitoring.engine import default_engine
    from wangjian.monitoring.fetching import Fetcher

    engine = default_engine()  # the rule engine a sweep uses, with every default library
    counts = {"pages": 0, "failed": 0, "hits": 0, "chars": 0, "rules": engine.size}

    def on_page(out):
        if out.status != "ok":
            counts["failed"] += 1
            return
        counts["pages"] += 1
        text = out.extracted.combined
        counts["chars"] += len(text)
        counts["hits"] += len(engine.scan(text).hits)

    async def main():
        async with Fetcher(
            concurrency=concurrency, per_host=concurrency, delay=0, retries=0, render="never"
        ) as f:
            await f.crawl(
                url, depth=10_000, max_pages=pages, on_page=on_page, workers=concurrency, keep_documents=False
            )

    t0, c0 = time.perf_counter(), time.process_time()
    asyncio.run(main())
    counts["seconds"] = time.perf_counter() - t0
    counts["cpu"] = time.process_time() - c0
    return counts


def run_scrapy(url: str, pages: int, concurrency: int) -> dict:
    import scrapy
    from scrapy.crawler import CrawlerProcess

    counts = {"pages": 0}

    class SiteSpider(scrapy.Spider):
        name = "site"
        start_urls = [url]

        def parse(self, response):
            counts["pages"] += 1
            yield from response.follow_all(css="a::attr(href)", callback=self.parse)

    process = CrawlerProcess(
        settings={
            "CONCURRENT_REQUESTS": concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
            "DOWNLOAD_DELAY": 0,
            "ROBOTSTXT_OBEY": False,
            "COOKIES_ENABLED": False,
            "RETRY_ENABLED": False,
            "TELNETCONSOLE_ENABLED": False,
            "AUTOTHROTTLE_ENABLED": False,
            "CLOSESPIDER_PAGECOUNT": pages,
            "LOG_LEVEL": "ERROR",
        }
    )
    process.crawl(SiteSpider)
    t0, c0 = time.perf_counter(), time.process_time()
    process.start()
    counts["seconds"] = time.perf_counter() - t0
    counts["cpu"] = time.process_time() - c0
    return counts


def child(which: str, url: str, pages: int, concurrency: int) -> None:
    if which == "wangjian":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangjian.settings")
        os.environ.setdefault("WANGJIAN_FETCH_ALLOW", "127.0.0.1/32")  # the bench site is on loopback
        import django

        django.setup()
        result = run_wangjian(url, pages, concurrency)
    else:
        result = run_scrapy(url, pages, concurrency)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result))


def measure(which: str, url: str, pages: int, concurrency: int) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--child",
        which,
        "--url",
        url,
        "--pages",
        str(pages),
        "--concurrency",
        str(concurrency),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise SystemExit(f"{which} failed:\n{proc.stdout}\n{proc.stderr}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument(
        "--rounds", type=int, default=2, help="alternating rounds; the best of each crawler counts"
    )
    ap.add_argument("--child", choices=["wangjian", "scrapy"])
    ap.add_argument("--url")
    args = ap.parse_args()
    if args.child:
        child(args.child, args.url, args.pages, args.concurrency)
        return

    port = free_port()
    server = Process(target=serve_site, args=(port, args.pages), daemon=True)
    server.start()
    url = f"http://127.0.0.1:{port}/p/0.html"
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    try:
        import scrapy

        scrapy_version = scrapy.__version__
    except ImportError:
        raise SystemExit("Scrapy is the baseline: .venv/bin/pip install scrapy") from None
    print(
        f"site: {args.pages} pages on 127.0.0.1:{port}; concurrency {args.concurrency}; Scrapy {scrapy_version}; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    # The two crawlers take turns (the machine may be shared); each one's best round counts.
    runs: dict[str, list[dict]] = {"wangjian": [], "scrapy": []}
    try:
        for r in range(args.rounds):
            for which in ("wangjian", "scrapy"):
                res = measure(which, url, args.pages, args.concurrency)
                runs[which].append(res)
                print(f"  round {r + 1} {which}: {res['pages'] / res['seconds']:.0f} pages/s")
    finally:
        server.terminate()
        server.join()
    ours = max(runs["wangjian"], key=lambda x: x["pages"] / x["seconds"])
    base = max(runs["scrapy"], key=lambda x: x["pages"] / x["seconds"])
    rate_ours = ours["pages"] / ours["seconds"]
    rate_base = base["pages"] / base["seconds"]
    print(f"{'crawler':<38}{'pages':>8}{'seconds':>10}{'pages/s':>10}{'CPU ms/page':>13}{'peak MB':>10}")
    print(
        f"{'wangjian fetch+extract+scan':<38}{ours['pages']:>8}{ours['seconds']:>10.1f}"
        f"{rate_ours:>10.0f}{ours['cpu'] / ours['pages'] * 1000:>13.2f}{ours['peak_rss_mb']:>10.0f}"
    )
    print(
        f"{'Scrapy crawl (baseline)':<38}{base['pages']:>8}{base['seconds']:>10.1f}"
        f"{rate_base:>10.0f}{base['cpu'] / base['pages'] * 1000:>13.2f}{base['peak_rss_mb']:>10.0f}"
    )
    print(
        f"wangjian scanned {ours['chars'] / 1e6:.1f} M characters, {ours['hits']} keyword hits, {ours['failed']} failed"
    )
    cpu_ratio = (base["cpu"] / base["pages"]) / (ours["cpu"] / ours["pages"])
    print(
        f"ratio wangjian/Scrapy: pages/s {rate_ours / rate_base:.2f}x; Scrapy uses {cpu_ratio:.2f}x the CPU per page; "
        f"peak memory {ours['peak_rss_mb'] / base['peak_rss_mb']:.2f}x"
    )


if __name__ == "__main__":
    main()
