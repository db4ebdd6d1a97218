"""Benchmark of complaints and reports (12315): the import of the platform's exports, and the analysis at full size.

    .venv/bin/python bench/complaints.py                                     # both parts
    .venv/bin/python bench/complaints.py --part import --rows 2000 --backends sqlite
    .venv/bin/python bench/complaints.py --part analysis --complaints 1000000 --runs 5

**import** — writes a synthetic 12315 export of ``--rows`` rows (XLSX by default, ``--file-format csv`` for a GBK
CSV) under the header spellings of ``complaints.services.imports.COLUMNS`` (登记编号, 类别, 收到日期, the
complainant, the respondent with its USCC and division code or township name, platform, shop, category,
content, demand, amount; 80 % 投诉, 20 % 举报, some reports anonymous; 0.5 % bad rows, half without a number,
half with a date that cannot be read), received within the 60 days before a fixed ``now`` (2026-11-30 10:00
+08:00, passed to the import: nothing depends on today's date). Then, for each of ``--backends``, in a fresh
throwaway database (PostgreSQL ``wj_bench_complaints_<pid>`` at 127.0.0.1:5432, created and dropped here;
SQLite a temporary file) with the migrations and the demo organisation (``org.demo``: 旌德县 with its
stations and duty list): ``complaints_import`` of the file, the same file again (all unchanged), and as the
baseline in the same run ``registry_import`` of a registry file of the same number of rows (the file
``bench/import.py`` writes). It prints rows/s of each, the ratio complaints/registry, and the SQL queries per
row of a ``--sample``-row file of new rows (and of the same file again), with the most frequent queries;
``--profile N`` adds the N costliest functions of a profiled import of ``--profile-rows`` new rows.

**analysis** — on PostgreSQL, a kept database ``wj_complaints`` (built once with ``COPY`` and reused while its
recorded size matches; ``--rebuild`` forces a new one) holding ``--complaints`` complaints and reports of
旌德县 received over the 24 months up to the day it was built, in every state, over 40 categories, 15 platforms,
20,000 respondents with a USCC (a few complained about very often: Zipf-like weights) and the stations'
townships. No ``ComplaintEvent``: the analysis reads the records only (``complaints.services.analysis``). Then,
warm, ``--runs`` runs each (median and p95), as ``office`` of 旌德县 through Django's test client: the page
``/complaints/analysis/`` with its default period (this month) and with the last 12 months of the data, and the
API ``GET /api/complaints/complaints/analysis/`` with both; the baseline in the same run is the plain SQL the
analysis needs, one ``GROUP BY`` per dimension, timed directly. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.util
import json
import math
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))

PG = "postgres://postgres@127.0.0.1:5432/"
BUILD_VERSION = 1  # bump when the generated rows change shape
# the import's "now": receipt dates lie in the 60 days before it, so none is in the future whatever today is
NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))

# the export's columns: our field → the header written (each must be one of COLUMNS' spellings; checked)
HEADERS = {
    "source_number": "登记编号",
    "kind": "类别",
    "received_on": "收到日期",
    "person_name": "投诉人/举报人姓名",
    "person_phone": "联系电话",
    "person_address": "地址",
    "respondent_name": "被投诉人/被举报人名称",
    "respondent_uscc": "统一社会信用代码",
    "respondent_region": "所在地区划",
    "platform_name": "电商平台名称",
    "presence_label": "网店名称/网址",
    "category": "商品/服务类别",
    "summary": "投诉内容",
    "demand": "诉求",
    "amount": "涉及金额",
}

CHARS = "宏达兴隆盛华鑫源泰丰顺安康瑞祥福禄喜金玉宝恒通利民新建国强明光辉晨阳春秋云海天山水林森松柏竹梅兰菊荷"
TRADES = (
    "茶叶 百货 商贸 电器 建材 服装 食品 五金 农产品 电子商务 文化传媒 家具 保健品 化妆品 医疗器械".split()
)
FORMS = ("有限公司", "经营部", "商行", "网店", "专营店")
SURNAMES, GIVEN = "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗汪程", "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"
# the stations' townships (org.demo.COUNTY_STATIONS): code, name, weight
TOWNSHIPS = [
    ("341825100", "旌阳镇", 40),
    ("341825101", "蔡家桥镇", 8),
    ("341825102", "三溪镇", 8),
    ("341825103", "庙首镇", 6),
    ("341825104", "白地镇", 5),
    ("341825105", "孙村镇", 4),
    ("341825106", "版书镇", 5),
    ("341825107", "俞村镇", 4),
    ("341825108", "云乐镇", 4),
    ("341825200", "兴隆镇", 3),
]
PLATFORMS = [
    ("淘宝", 20),
    ("拼多多", 16),
    ("京东", 12),
    ("抖音", 12),
    ("天猫", 8),
    ("快手", 6),
    ("美团", 6),
    ("饿了么", 3),
    ("小红书", 3),
    ("闲鱼", 3),
    ("唯品会", 2),
    ("得物", 2),
    ("携程", 2),
    ("微信小程序", 3),
    ("苏宁易购", 2),
]
CATEGORIES = (
    "茶叶 食品 保健食品 酒类 乳制品 生鲜农产品 家用电器 手机 电脑及配件 数码产品 服装 鞋帽 箱包 化妆品 "
    "母婴用品 玩具 家具 建材 装修服务 汽车 汽车配件 燃气器具 珠宝首饰 钟表眼镜 日用百货 图书音像 "
    "预付卡消费 美容美发 餐饮服务 住宿服务 旅游服务 教育培训 网络游戏 通信服务 快递服务 医疗器械 "
    "药品 宠物用品 二手商品 家政服务"
).split()
PROBLEMS = [
    ("收到后发现质量问题，商家拒绝退货", "退货退款"),
    ("商品与页面描述不符，要求退款被拒", "退款"),
    ("七日无理由退货被商家以已拆封为由拒绝", "退货退款"),
    ("商家虚假宣传，页面标称功效与实际不符", "退一赔三"),
    ("付款后商家迟迟不发货，联系不上客服", "发货或退款"),
    ("预付卡余额无法使用，门店已停业", "退还余额"),
    ("收到的商品已过保质期", "退一赔十"),
    ("维修后仍无法正常使用，商家拒绝再修", "更换新品"),
]
STATES_COMPLAINT = {  # by the age of the record: (state, weight)
    "new": [("received", 50), ("accepted", 30), ("odr", 10), ("refused", 5), ("withdrawn", 5)],
    "recent": [
        ("accepted", 35),
        ("odr", 10),
        ("resolved", 30),
        ("ended", 10),
        ("refused", 8),
        ("withdrawn", 5),
        ("transferred", 2),
    ],
    "old": [
        ("resolved", 55),
        ("ended", 20),
        ("refused", 10),
        ("withdrawn", 10),
        ("transferred", 3),
        ("closed", 2),
    ],
}
STATES_REPORT = {
    "new": [("verifying", 80), ("clue", 15), ("closed", 5)],
    "recent": [("verifying", 40), ("clue", 35), ("closed", 25)],
    "old": [("clue", 40), ("closed", 55), ("transferred", 5)],
}


def _sibling(name: str):  # noqa: ANN202
    """Another script of bench/ as a module (``import.py`` is not an importable name)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE.parent / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def zipf_cum_weights(n: int, s: float) -> list[float]:
    total, out = 0.0, []
    for k in range(1, n + 1):
        total += 1 / k**s
        out.append(total)
    return out


def respondents(n: int, rng: random.Random) -> list[dict]:
    """``n`` businesses of 旌德县: name, valid USCC, township, platform (a quarter sell offline) and shop."""
    from wangjian.registry.uscc import ALPHABET, complete

    towns = [(c, name) for c, name, _w in TOWNSHIPS]
    town_w = [w for _c, _n, w in TOWNSHIPS]
    plats, plat_w = zip(*PLATFORMS, strict=True)
    out = []
    for i in range(n):
        zihao = "".join(rng.choice(CHARS) for _ in range(rng.choice((2, 3, 3, 4))))
        trade = rng.choice(TRADES)
        body = "".join(rng.choice(ALPHABET) for _ in range(4)) + f"{i:05d}"
        code, town = rng.choices(towns, town_w)[0]
        platform = rng.choices(plats, plat_w)[0] if rng.random() < 0.75 else ""
        out.append(
            {
                "name": f"旌德县{zihao}{trade}{rng.choice(FORMS)}",
                "uscc": complete(f"9{rng.choice('12')}341825{body}"),
                "region": code,
                "town": town,
                "platform": platform,
                "shop": f"{zihao}{trade}{platform}店" if platform else "",
                "kind": "seller" if platform else "offline",
            }
        )
    return out


# ---------------------------------------------------------------------------------------------------
# Part 1: the import
# ---------------------------------------------------------------------------------------------------


def export_rows(rows: int, *, seed: int, prefix: str, xlsx: bool):  # noqa: ANN201
    """The export's rows (lists in ``HEADERS`` order), 0.5 % of them bad."""
    rng = random.Random(seed)
    pool = respondents(max(50, min(20_000, rows // 5)), rng)
    cum = zipf_cum_weights(len(pool), 0.9)
    today = NOW.date()
    for i in range(rows):
        report = rng.random() < 0.2
        r = pool[rng.choices(range(len(pool)), cum_weights=cum)[0]]
        day = today - dt.timedelta(days=rng.randrange(0, 60))
        at = dt.datetime.combine(day, dt.time(rng.randrange(8, 18), rng.randrange(60), rng.randrange(60)))
        if xlsx and rng.random() < 0.7:
            received: object = at  # a date cell, as the platform's workbook writes it
        else:
            received = rng.choice(
                (day.isoformat(), f"{day.year}/{day.month}/{day.day} {at:%H:%M:%S}", f"{day:%Y年%m月%d日}")
            )
        number = f"{prefix}{i:08d}"
        if i % 400 == 199:
            number = ""  # a row without its 12315 number
        elif i % 400 == 399:
            received = f"{day.year}-13-{day.day:02d}"  # a date that cannot be read
        anonymous = report and rng.random() < 0.4
        name = "" if anonymous else rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(("", *GIVEN))
        phone = "" if anonymous else f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"
        problem, demand = rng.choice(PROBLEMS)
        category = rng.choice(CATEGORIES)
        place = r["region"] if rng.random() < 0.7 else f"安徽省宣城市旌德县{r['town']}"
        amount = rng.choice((39, 68, 128, 268, 399, 599, 1280, 2999)) + rng.choice((0, 0, 0.5))
        yield [
            number,
            "举报" if report else "投诉",
            received,
            name,
            phone,
            "" if anonymous else f"安徽省宣城市旌德县{rng.choice(TOWNSHIPS)[1]}文化路{i % 300}号",
            r["name"],
            r["uscc"],
            place,
            r["platform"],
            r["shop"],
            category,
            f"在{r['platform'] or '门店'}购买{category}，{problem}（基准测试数据 {i}）",
            "" if report else demand,
            amount if xlsx else (f"{amount:,.2f}" if amount >= 1000 else str(amount)),
        ]


def write_export(path: Path, rows: int, *, seed: int = 1, prefix: str = "2026") -> None:
    xlsx = path.suffix == ".xlsx"
    it = export_rows(rows, seed=seed, prefix=prefix, xlsx=xlsx)
    if xlsx:
        import openpyxl

        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("投诉举报")
        ws.append(list(HEADERS.values()))
        for row in it:
            ws.append(row)
        wb.save(path)
    else:
        with open(path, "w", encoding="gbk", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(list(HEADERS.values()))
            w.writerows(it)


class QueryCount:
    """Every SQL statement run while installed (``execute_wrapper``: unlike ``CaptureQueriesContext``, whose log
    keeps the last 9,000, it counts them all), by its shape: literals and numbers taken out."""

    def __init__(self) -> None:
        self.n = 0
        self.seconds = 0.0
        self.shapes: Counter[str] = Counter()

    def __call__(self, execute, sql, params, many, context):  # noqa: ANN001, ANN204
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - t
            self.n += 1
            shape = re.sub(r"\s+", " ", sql)
            shape = re.sub(r"IN \([^)]*\)", "IN (…)", shape)
            shape = re.sub(r"'[^']*'|\b\d+\b", "?", shape)
            self.shapes[shape[:110]] += 1


def child(opts: argparse.Namespace) -> None:
    """Runs in a process whose settings point at the throwaway database."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from wangjian.complaints.models import Complaint
    from wangjian.complaints.services.imports import COLUMNS, complaints_import
    from wangjian.org import demo
    from wangjian.registry import importing, services

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out: dict = {"vendor": connection.vendor}
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    org = demo.build(password="Bench2025pass")
    out["setup"] = time.perf_counter() - t
    county = org.county
    mapped = importing.auto_mapping(list(HEADERS.values()), COLUMNS)
    assert mapped == {f: i for i, f in enumerate(HEADERS)}, ("headers not all recognised", mapped)

    path, registry_path = Path(opts.child), Path(opts.registry_file)

    def complaints(p: Path):  # noqa: ANN202
        return complaints_import(user=None, bureau=county, path_or_bytes=p, file_name=p.name, now=NOW)

    def counts(batch) -> dict:  # noqa: ANN001
        return {k: getattr(batch, f"{k}_count") for k in ("created", "updated", "unchanged", "rejected")} | {
            "total": batch.total_rows
        }

    for label, fn, p in (
        ("complaints", complaints, path),
        ("registry", lambda p: services.registry_import(bureau=county, path=p), registry_path),
    ):
        for run in ("first", "again"):
            t = time.perf_counter()
            batch = fn(p)
            out[f"{label}_{run}"] = time.perf_counter() - t
            out[f"{label}_{run}_counts"] = counts(batch)
            print(f"  {label} {run}: {out[f'{label}_{run}']:.1f}s {out[f'{label}_{run}_counts']}", flush=True)
    out["complaints_in_db"] = Complaint.objects.count()

    # queries per row: a small file of new rows, then the same again, into the database already holding the above
    for label, fn, p in (
        ("complaints", complaints, Path(opts.sample_file)),
        ("registry", lambda p: services.registry_import(bureau=county, path=p), Path(opts.registry_sample)),
    ):
        for run in ("first", "again"):
            qc = QueryCount()
            t = time.perf_counter()
            with connection.execute_wrapper(qc):
                batch = fn(p)
            seconds = time.perf_counter() - t
            out[f"sample_{label}_{run}"] = {
                "rows": batch.total_rows,
                "counts": counts(batch),
                "queries": qc.n,
                "sql_seconds": qc.seconds,
                "seconds": seconds,
                "shapes": qc.shapes.most_common(8),
            }
    if opts.profile:  # where the time of new rows, then of unchanged ones, goes (a file of its own: new rows)
        import cProfile
        import io
        import pstats

        p = Path(opts.profile_file)
        for run in ("first", "again"):
            prof = cProfile.Profile()
            prof.enable()
            complaints(p)
            prof.disable()
            text = io.StringIO()
            pstats.Stats(prof, stream=text).strip_dirs().sort_stats("tottime").print_stats(opts.profile)
            out[f"profile_{run}"] = text.getvalue()
            text = io.StringIO()  # the project's own functions by cumulative time: which step costs what
            pstats.Stats(prof, stream=text).sort_stats("cumulative").print_stats(
                "src/wangjian/", opts.profile
            )
            out[f"profile_{run}_cumulative"] = text.getvalue().replace(str(ROOT / "src") + "/", "")
    print("RESULT " + json.dumps(out, ensure_ascii=False))


def run_backend(backend: str, files: dict[str, Path], opts: argparse.Namespace, home: Path) -> dict:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="wangjian.settings", WANGJIAN_HOME=str(home / backend))
    env.pop("WANGJIAN_BROKER_URL", None)
    env.pop("WANGJIAN_DEBUG", None)
    env.pop("WANGJIAN_DATABASE_URL", None)
    biggest = max(p.stat().st_size for p in files.values() if p.exists())
    if biggest > 45 * 1024 * 1024:  # the import cap (50 MB by default) must not refuse the benchmark's file
        env["WANGJIAN_IMPORT_MAX_BYTES"] = str(2 * biggest)
    dbname = f"wj_bench_complaints_{os.getpid()}"
    if backend == "postgres":
        import psycopg

        with psycopg.connect(PG + "postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {dbname}")
            conn.execute(f"CREATE DATABASE {dbname}")
        env["WANGJIAN_DATABASE_URL"] = PG + dbname
    elif backend != "sqlite":
        raise SystemExit(f"unknown backend {backend!r} (sqlite, postgres)")
    try:
        proc = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--child",
                str(files["complaints"]),
                "--registry-file",
                str(files["registry"]),
                "--sample-file",
                str(files["sample"]),
                "--registry-sample",
                str(files["registry_sample"]),
                "--profile",
                str(opts.profile),
                "--profile-file",
                str(files["profile"]),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        result = None
        for line in proc.stdout:
            if line.startswith("RESULT "):
                result = json.loads(line[7:])
            else:
                print(line, end="", flush=True)
        stderr = proc.stderr.read()
        proc.wait()
        if result is None:
            raise SystemExit(f"{backend} run failed:\n{stderr[-4000:]}")
        return result
    finally:
        if backend == "postgres":
            import psycopg

            with psycopg.connect(PG + "postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")


def part_import(opts: argparse.Namespace) -> None:
    registry_writer = _sibling("import").write_file  # the very file bench/import.py measures
    with tempfile.TemporaryDirectory(prefix="wj-bench-complaints-") as tmp:
        home = Path(tmp)
        ext = opts.file_format
        files = {
            "complaints": home / f"12315导出.{ext}",
            "sample": home / f"12315导出_样本.{ext}",
            "registry": home / "registry.csv",
            "registry_sample": home / "registry_sample.csv",
            "profile": home / f"12315导出_剖析.{ext}",
        }
        t = time.perf_counter()
        write_export(files["complaints"], opts.rows)
        write_export(files["sample"], opts.sample, seed=7, prefix="2099")
        if opts.profile:
            write_export(files["profile"], opts.profile_rows, seed=8, prefix="2098")
        took = time.perf_counter() - t
        registry_writer(files["registry"], opts.rows)
        registry_writer(files["registry_sample"], opts.sample, seed=7)
        print(
            f"{opts.rows:,} rows of 12315 export written ({ext.upper()}"
            f"{', GBK' if ext == 'csv' else ''}, {files['complaints'].stat().st_size / 1e6:.1f} MB) in {took:.0f}s; "
            f"registry file {files['registry'].stat().st_size / 1e6:.1f} MB; now = {NOW.isoformat()}",
            flush=True,
        )
        for backend in opts.backends.split(","):
            print(f"\n{backend}: migrating, loading the demo organisation, importing …", flush=True)
            load = os.getloadavg()[0]
            r = run_backend(backend, files, opts, home)
            load = max(load, os.getloadavg()[0])
            report_import(r, opts, load)


def report_import(r: dict, opts: argparse.Namespace, load: float) -> None:
    n = opts.rows
    c1, c2 = r["complaints_first_counts"], r["complaints_again_counts"]
    g1, g2 = r["registry_first_counts"], r["registry_again_counts"]
    rate = {k: n / r[k] for k in ("complaints_first", "complaints_again", "registry_first", "registry_again")}
    print(
        f"\n{r['vendor']} ({os.cpu_count()} CPUs, load average up to {load:.1f}; setup {r['setup']:.0f}s): "
        f"{n:,} rows, {opts.file_format}"
    )
    print(f"{'import':34s} {'seconds':>9s} {'rows/s':>9s}  counts")
    for label, key, cnt in (
        ("complaints_import, first", "complaints_first", c1),
        ("complaints_import, same file again", "complaints_again", c2),
        ("registry_import, first (baseline)", "registry_first", g1),
        ("registry_import, same file again", "registry_again", g2),
    ):
        shown = ", ".join(f"{k} {v:,}" for k, v in cnt.items() if k != "total" and v)
        print(f"{label:34s} {r[key]:9.1f} {rate[key]:9,.0f}  {shown}")
    print(
        f"ratio complaints/registry rows/s: first {rate['complaints_first'] / rate['registry_first']:.3f} "
        f"(registry {rate['registry_first'] / rate['complaints_first']:,.0f}× faster), "
        f"again {rate['complaints_again'] / rate['registry_again']:.3f}"
    )
    print(f"queries per row ({opts.sample} new rows into the database above, then the same file again):")
    for label in ("complaints", "registry"):
        for run in ("first", "again"):
            s = r[f"sample_{label}_{run}"]
            print(
                f"  {label:10s} {run:5s} {s['queries'] / s['rows']:7.2f} queries/row "
                f"({s['queries']:,} in {s['seconds']:.2f}s, SQL {s['sql_seconds']:.2f}s; "
                f"{', '.join(f'{k} {v}' for k, v in s['counts'].items() if v and k != 'total')})"
            )
    s = r["sample_complaints_first"]
    print("  most frequent statements of the complaints sample (per row):")
    for shape, count in s["shapes"]:
        print(f"    {count:5d} ({count / s['rows']:.2f})  {shape}")
    for run in ("first", "again"):
        for key, how in (("", "own time"), ("_cumulative", "cumulative time, the project's functions")):
            if r.get(f"profile_{run}{key}"):
                print(f"\ncProfile of complaints_import, {opts.profile_rows:,} new rows, {run} (by {how}):")
                lines = r[f"profile_{run}{key}"].splitlines()
                start = next((i for i, x in enumerate(lines) if x.lstrip().startswith("ncalls")), 0)
                print("\n".join(x for x in lines[start:] if x.strip()))


# ---------------------------------------------------------------------------------------------------
# Part 2: the analysis at full size
# ---------------------------------------------------------------------------------------------------


def existing_build(db: str) -> dict | None:
    """The build recorded on ``db`` (its comment), if the database exists and was built to the end."""
    import psycopg

    with psycopg.connect(PG + "postgres", autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [db]
        ).fetchone()
    if not row or not row[0] or not row[0].startswith("{"):
        return None
    return json.loads(row[0])


def count_complaints(db: str) -> int:
    import psycopg

    with psycopg.connect(PG + db, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM complaints_complaint").fetchone()[0]


def recreate(db: str) -> None:
    import psycopg

    with psycopg.connect(PG + "postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db}"')


def copy_rows(model, rows) -> int:  # noqa: ANN001
    """Write ``rows`` (dicts by attribute name; the rest take the field's default) with COPY."""
    from django.db import connection, models
    from django.utils import timezone

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    now = timezone.now()
    for name in ("created", "last_updated"):
        if name in defaults:
            defaults[name] = now
    names = [f.attname for f in fields]
    as_json = {f.attname for f in fields if isinstance(f, models.JSONField)}
    columns = ", ".join(f'"{f.column}"' for f in fields)
    n = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                values = defaults | row
                copy.write_row(
                    [
                        json.dumps(values[name], ensure_ascii=False) if name in as_json else values[name]
                        for name in names
                    ]
                )
                n += 1
    return n


def complaint_rows(n: int, end: dt.date, county, seed: int = 5):  # noqa: ANN001, ANN201
    """``n`` complaint rows for COPY, received over the 730 days up to ``end``.

    The stations and departments are read here, before the generator is returned: nothing may query the
    connection while its COPY runs."""
    from wangjian.org.choices import DepartmentKind
    from wangjian.org.models import Department, Station

    stations = [(s.pk, [str(c) for c in s.territory or []]) for s in Station.objects.filter(bureau=county)]
    station_of = {code: pk for pk, codes in stations for code in codes}
    consumer = Department.objects.get(bureau=county, kind=DepartmentKind.CONSUMER).pk
    online = Department.objects.get(bureau=county, kind=DepartmentKind.ONLINE_TRADE).pk
    return _complaint_rows(n, end, county.pk, station_of, consumer, online, seed)


def _complaint_rows(n, end, bureau_id, station_of, consumer, online, seed):  # noqa: ANN001, ANN202
    rng = random.Random(seed)
    pool = respondents(20_000, rng)
    cum = zipf_cum_weights(len(pool), 0.9)
    cat_w = [1 / (k + 3) for k in range(len(CATEGORIES))]
    seq: dict[int, int] = {}
    picks = rng.choices(range(len(pool)), cum_weights=cum, k=n)
    for i in range(n):
        r = pool[picks[i]]
        report = rng.random() < 0.2
        age = rng.randrange(0, 730)
        received = end - dt.timedelta(days=age)
        band = "new" if age < 10 else "recent" if age < 60 else "old"
        state = weighted(rng, (STATES_REPORT if report else STATES_COMPLAINT)[band])
        seq[received.year] = seq.get(received.year, 0) + 1
        category = rng.choices(CATEGORIES, cat_w)[0]
        problem, demand = rng.choice(PROBLEMS)
        amount = Decimal(rng.choice((39, 68, 128, 268, 399, 599, 1280, 2999)))
        anonymous = report and rng.random() < 0.4
        accept_due = received + dt.timedelta(days=9) if not report else None
        accepted_on = mediation_due = ended_on = recovered = None
        if not report and state not in ("received", "refused", "transferred"):
            accepted_on = received + dt.timedelta(days=rng.randrange(1, 8) if rng.random() < 0.93 else 12)
            mediation_due = accepted_on + dt.timedelta(days=63)
        if state in ("resolved", "ended", "withdrawn", "refused", "closed", "clue", "transferred"):
            ended_on = min(end, received + dt.timedelta(days=rng.randrange(5, 60)))
        if state == "resolved":
            recovered = amount * rng.choice((Decimal("0.5"), Decimal("1"), Decimal("1"), Decimal("3")))
        station_id = station_of.get(r["region"]) if not report else None
        yield {
            "bureau_id": bureau_id,
            "number": f"旌市监诉〔{received.year}〕{seq[received.year]}号",
            "kind": "report" if report else "complaint",
            "channel": "12315",
            "source_number": f"{received:%Y%m}{i:09d}",
            "state": state,
            "received_on": received,
            "person_name": "" if anonymous else rng.choice(SURNAMES) + rng.choice(GIVEN),
            "person_phone": "" if anonymous else f"139{i:08d}",
            "person_address": "" if anonymous else f"安徽省宣城市旌德县{r['town']}文化路{i % 300}号",
            "anonymous": anonymous,
            "respondent_name": r["name"],
            "respondent_uscc": r["uscc"],
            "respondent_kind": r["kind"],
            "respondent_region": r["region"],
            "platform_name": r["platform"],
            "presence_label": r["shop"],
            "category": category,
            "summary": f"在{r['platform'] or '门店'}购买{category}，{problem}",
            "demand": "" if report else demand,
            "amount": amount,
            "station_id": station_id,
            "department_id": None if station_id else (online if report else consumer),
            "jurisdiction": "actual_place",
            "jurisdiction_basis": "被投诉人实际经营地在本县",
            "routing_basis": "按辖区分流",
            "accept_due": accept_due,
            "accept_basis": "七个工作日（暂行办法第十四条）" if accept_due else "",
            "accepted_on": accepted_on,
            "mediation_due": mediation_due,
            "ended_on": ended_on,
            "recovered": recovered,
        }


def weighted(rng: random.Random, pairs):  # noqa: ANN001, ANN201
    items, weights = zip(*pairs, strict=True)
    return rng.choices(items, weights)[0]


def build(opts: argparse.Namespace, org, end: dt.date) -> dict:  # noqa: ANN001
    from django.db import connection

    from wangjian.complaints.models import Complaint

    took = {}
    t = time.perf_counter()
    n = copy_rows(Complaint, complaint_rows(opts.complaints, end, org.county))
    took["complaints"] = time.perf_counter() - t
    print(f"  {n:,} complaints in {took['complaints']:.0f}s", flush=True)
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE complaints_complaint")
    took["vacuum analyze"] = time.perf_counter() - t
    return took


def timed(fn, runs: int, warm: int = 1) -> tuple[list[float], object]:  # noqa: ANN001
    result = None
    for _ in range(warm):
        result = fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return times, result


def p95(times: list[float]) -> float:
    """Nearest rank: with 5 runs, the slowest."""
    ordered = sorted(times)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def baseline_queries(
    bureau_id: int, start: dt.date, end: dt.date, top: int = 10
) -> list[tuple[str, str, list]]:
    """The analysis's figures as plain SQL, one statement per dimension (the same filters and limits)."""
    where = "bureau_id = %s AND received_on BETWEEN %s AND %s"
    p = [bureau_id, start, end]
    since = end - dt.timedelta(days=90)  # the default repeat window (ComplaintSettings.repeat_days)
    return [
        (
            "totals",
            "SELECT count(*), count(*) FILTER (WHERE kind = 'complaint'), count(*) FILTER (WHERE kind = 'report'),"
            " count(*) FILTER (WHERE accepted_on IS NOT NULL), count(*) FILTER (WHERE state = 'resolved'),"
            " count(*) FILTER (WHERE accepted_on > accept_due), coalesce(sum(recovered), 0)"
            f" FROM complaints_complaint WHERE {where}",
            p,
        ),
        (
            "by month",
            "SELECT date_trunc('month', received_on), count(*) FILTER (WHERE kind = 'complaint'),"
            f" count(*) FILTER (WHERE kind = 'report') FROM complaints_complaint WHERE {where} GROUP BY 1 ORDER BY 1",
            p,
        ),
        (
            "by category",
            f"SELECT category, count(*) FROM complaints_complaint WHERE {where} AND category <> ''"
            f" GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT {top}",
            p,
        ),
        (
            "by platform",
            f"SELECT platform_name, count(*) FROM complaints_complaint WHERE {where} AND platform_name <> ''"
            f" GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT {top}",
            p,
        ),
        (
            "by region",
            f"SELECT substr(respondent_region, 1, 9), count(*) FROM complaints_complaint WHERE {where}"
            f" GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT {top}",
            p,
        ),
        (
            "by state",
            f"SELECT state, count(*) FROM complaints_complaint WHERE {where} GROUP BY 1 ORDER BY 2 DESC, 1",
            p,
        ),
        (
            "top respondents",
            f"SELECT respondent_name, respondent_uscc, count(*) FROM complaints_complaint WHERE {where}"
            f" GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT {top}",
            p,
        ),
        (
            "repeated (90 days, ≥3)",
            "SELECT respondent_name, respondent_uscc, count(*) FROM complaints_complaint"
            " WHERE bureau_id = %s AND kind = 'complaint' AND received_on BETWEEN %s AND %s"
            " GROUP BY 1, 2 HAVING count(*) >= 3 ORDER BY 3 DESC, 1",
            [bureau_id, since, end],
        ),
    ]


def part_analysis(opts: argparse.Namespace) -> None:
    spec = {"version": BUILD_VERSION, "complaints": opts.complaints}
    built = None if opts.rebuild else existing_build(opts.db)
    reuse = (
        bool(built)
        and {k: built.get(k) for k in spec} == spec
        and count_complaints(opts.db) == opts.complaints
    )
    if not reuse:
        recreate(opts.db)
    os.environ.update(
        WANGJIAN_HOME=tempfile.mkdtemp(prefix="wj-bench-complaints-"),
        WANGJIAN_DATABASE_URL=PG + opts.db,
        DJANGO_SETTINGS_MODULE="wangjian.settings",
    )
    os.environ.pop("WANGJIAN_BROKER_URL", None)
    os.environ.pop("WANGJIAN_DEBUG", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from wangjian.org import demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    org = demo.build(password="Bench2025pass")
    if not reuse:
        end = timezone.localdate()
        print(f"building {opts.db}: {spec}, received up to {end}", flush=True)
        took = build(opts, org, end)
        total = time.perf_counter() - t
        built = dict(
            spec, end=end.isoformat(), build_seconds=round(total), took={k: round(v) for k, v in took.items()}
        )
        built["built"] = dt.datetime.now().isoformat(timespec="seconds")
        with connection.cursor() as cursor:
            comment = json.dumps(built, ensure_ascii=False).replace("'", "''")
            cursor.execute(f"COMMENT ON DATABASE \"{opts.db}\" IS '{comment}'")
        print(f"built in {total:.0f}s ({', '.join(f'{k} {v:.0f}s' for k, v in took.items())})", flush=True)
    end = dt.date.fromisoformat(built["end"])
    county, office = org.county, org.users["office"]
    today = timezone.localdate()
    periods = [
        ("default (this month)", today.replace(day=1), today, ""),
        (
            "12 months",
            end - dt.timedelta(days=364),
            end,
            f"?start={end - dt.timedelta(days=364)}&end={end}",
        ),
    ]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(office)
    load_before = os.getloadavg()[0]
    results = []
    per_query = {}
    for period, start, stop, query in periods:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM complaints_complaint WHERE bureau_id = %s AND received_on BETWEEN %s AND %s",
                [county.pk, start, stop],
            )
            in_period = cursor.fetchone()[0]
        statements = baseline_queries(county.pk, start, stop)

        def baseline(statements=statements):
            rows = []
            with connection.cursor() as cursor:
                for _label, sql, params in statements:
                    cursor.execute(sql, params)
                    rows.append(cursor.fetchall())
            return rows

        base_times, base_rows = timed(baseline, opts.runs)
        repeated_n = len(base_rows[-1])
        for label, sql, params in statements:

            def one(sql=sql, params=params):
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    return cursor.fetchall()

            times, _ = timed(one, opts.runs)
            per_query[(period, label)] = statistics.median(times)
        for what, url in (
            ("page /complaints/analysis/", "/complaints/analysis/" + query),
            ("API …/complaints/analysis/", "/api/complaints/complaints/analysis/" + query),
        ):

            def get(url=url):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code, response.content[:300])
                return response

            times, response = timed(get, opts.runs)
            with CaptureQueriesContext(connection) as ctx:
                get()
            sql_ms = sum(float(q["time"]) for q in ctx.captured_queries)
            results.append(
                {
                    "measure": f"{what} {period}",
                    "median": statistics.median(times),
                    "p95": p95(times),
                    "queries": len(ctx.captured_queries),
                    "sql": sql_ms,
                    "bytes": len(response.content),
                    "base_median": statistics.median(base_times),
                    "base_p95": p95(base_times),
                    "in_period": in_period,
                    "repeated": repeated_n,
                    "period": f"{start}…{stop}",
                }
            )
    load = max(load_before, os.getloadavg()[0])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), min(received_on), max(received_on), count(DISTINCT respondent_uscc),"
            " count(DISTINCT category), count(DISTINCT platform_name) FROM complaints_complaint"
        )
        total, first, last, n_resp, n_cat, n_plat = cursor.fetchone()
    print(
        f"\nPostgreSQL {connection.pg_version // 10000}, database {opts.db} "
        f"({'reused' if reuse else 'built now'}; build took {built['build_seconds']}s): {total:,} complaints and "
        f"reports of {county.name} received {first}…{last}, {n_resp:,} respondents, {n_cat} categories, "
        f"{n_plat - 1} platforms; {os.cpu_count()} CPUs, load average up to {load:.1f}"
    )
    print(f"user `office`; {opts.runs} warm runs each (median, p95 by nearest rank)\n")
    print(
        f"{'measure':44s} {'records':>9s} {'median':>9s} {'p95':>9s} {'baseline':>9s} {'ratio':>7s} "
        f"{'queries':>7s} {'SQL':>8s} {'KB':>6s}"
    )
    for r in results:
        print(
            f"{r['measure']:44s} {r['in_period']:9,d} {1000 * r['median']:7.0f}ms {1000 * r['p95']:7.0f}ms "
            f"{1000 * r['base_median']:7.0f}ms {r['median'] / r['base_median']:6.2f}× {r['queries']:7d} "
            f"{1000 * r['sql']:6.0f}ms {r['bytes'] / 1024:6.0f}"
        )
    print(
        "(baseline: the plain SQL of the analysis, one GROUP BY per dimension, run in a row, median; ratio: median "
        "/ baseline median; SQL: the request's SQL time by Django's cursor wrapper; repeated businesses listed: "
        + ", ".join(f"{r['period']} {r['repeated']:,}" for r in results[::2])
        + ")\n"
    )
    print("baseline statements, median ms:")
    labels = [label for label, _s, _p in baseline_queries(county.pk, end, end)]
    print(f"  {'dimension':26s} " + " ".join(f"{p:>22s}" for p, _s, _e, _q in periods))
    for label in labels:
        print(
            f"  {label:26s} " + " ".join(f"{1000 * per_query[(p, label)]:22.1f}" for p, _s, _e, _q in periods)
        )
    if opts.show_sql:
        for _period, _start, _stop, query in periods:
            with CaptureQueriesContext(connection) as ctx:
                client.get("/complaints/analysis/" + query)
            print(f"\n-- /complaints/analysis/{query}")
            for q in ctx.captured_queries:
                print(f"{q['time']:>7s}s  {q['sql'][:300]}")
    client.logout()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--part", default="import,analysis", help="import, analysis or both (comma-separated)"
    )
    # import
    parser.add_argument(
        "--rows", type=int, default=100_000, help="rows of the 12315 export (and the registry file)"
    )
    parser.add_argument("--file-format", choices=("xlsx", "csv"), default="xlsx")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--sample", type=int, default=200, help="rows whose queries are counted")
    parser.add_argument(
        "--profile", type=int, default=0, help="print the N functions of most own time of a profiled import"
    )
    parser.add_argument("--profile-rows", type=int, default=2000, help="rows of the profiled import")
    # analysis
    parser.add_argument("--db", default="wj_complaints", help="PostgreSQL database kept for the analysis")
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="build the database again even if it fits")
    parser.add_argument("--show-sql", action="store_true", help="print the analysis page's queries")
    # the child process of the import part
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--registry-file", help=argparse.SUPPRESS)
    parser.add_argument("--sample-file", help=argparse.SUPPRESS)
    parser.add_argument("--registry-sample", help=argparse.SUPPRESS)
    parser.add_argument("--profile-file", help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.child:
        child(opts)
        return
    parts = [p.strip() for p in opts.part.split(",") if p.strip()]
    unknown = set(parts) - {"import", "analysis"}
    if unknown:
        parser.error(f"unknown part: {', '.join(sorted(unknown))}")
    if "import" in parts:
        part_import(opts)
    if "analysis" in parts:
        if "import" in parts:
            print()
        part_analysis(opts)


if __name__ == "__main__":
    main()
