"""Benchmark: importing registry rows (``registry_import``) into SQLite and PostgreSQL.

    .venv/bin/python bench/import.py                       # 1,000,000 rows, both databases
    .venv/bin/python bench/import.py --rows 100000 --backends sqlite

Writes a GBK CSV of synthetic registry rows (valid codes, a few rejected rows), then for
each database: a fresh throwaway database (PostgreSQL: ``postgres://postgres@127.0.0.1:5432/
wj_bench_import_<pid>``, created and dropped here), the first import, the same file again
(idempotent: all rows unchanged), and as the baseline measured in the same run, saving
rows one by one through the ORM (a sample), printing rows/s and the ratio.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


def write_file(path: Path, rows: int, seed: int = 1) -> None:
    from wangjian.registry.uscc import ALPHABET, complete

    rng = random.Random(seed)
    chars = (
        "宏达兴隆盛华鑫源泰丰顺安康瑞祥福禄喜金玉宝恒通利民新建国强明光辉晨阳春秋云海天山水林森松柏竹梅兰菊荷"
    )
    trades = ["茶叶", "百货", "商贸", "电器", "建材", "服装", "食品", "五金"]
    forms = ["有限公司", "有限责任公司", "经营部", "门市部", "商行"]
    with open(path, "w", encoding="gbk", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["统一社会信用代码", "名称", "法定代表人", "住所", "联系电话", "区划代码", "登记状态", "成立日期"]
        )
        for i in range(rows):
            body = "".join(rng.choice(ALPHABET) for _ in range(5)) + f"{i:07d}"[-4:]
            code = complete(f"9{rng.choice('12')}341825{body}")
            if i % 1000 == 999:
                code = code[:17] + ("0" if code[17] != "0" else "1")  # a wrong check character: rejected
            zihao = "".join(rng.choice(chars) for _ in range(3))
            w.writerow(
                [
                    code,
                    f"旌德县{zihao}{rng.choice(trades)}{rng.choice(forms)}{i}",
                    rng.choice("王李张刘陈杨") + rng.choice("伟芳娜敏静丽强"),
                    f"旌德县旌阳镇文化路{i % 500}号",
                    f"138{i:08d}",
                    "341825",
                    "存续",
                    "2020-01-01",
                ]
            )


def child(path: str, rows: int, baseline_rows: int) -> None:
    """Runs inside a process whose settings point at the throwaway database."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from wangjian.org.models import Bureau
    from wangjian.registry import services
    from wangjian.registry.models import MarketEntity

    bureau = Bureau.objects.create(name="旌德县市场监督管理局", code="341825", level="county")
    out = {"vendor": connection.vendor}
    t = time.perf_counter()
    batch = services.registry_import(bureau=bureau, path=path)
    out["first"] = time.perf_counter() - t
    out["created"] = batch.created_count
    out["rejected"] = batch.rejected_count
    t = time.perf_counter()
    again = services.registry_import(bureau=bureau, path=path)
    out["again"] = time.perf_counter() - t
    out["again_unchanged"] = again.unchanged_count
    out["again_created"] = again.created_count + again.updated_count
    # baseline: the same kind of rows saved one at a time through the audited model
    other = Bureau.objects.create(name="基准局", code="341899", level="county")
    sample = list(
        MarketEntity.objects.values("uscc", "name", "legal_rep", "address", "phone")[:baseline_rows]
    )
    t = time.perf_counter()
    for row in sample:
        MarketEntity.objects.create(bureau=other, **row)
    out["baseline"] = time.perf_counter() - t
    out["baseline_rows"] = len(sample)
    print("RESULT " + json.dumps(out))


def run(backend: str, path: Path, rows: int, baseline_rows: int, home: Path) -> dict:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="wangjian.settings", WANGJIAN_HOME=str(home / backend))
    dbname = f"wj_bench_import_{os.getpid()}"
    if backend == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {dbname}")
            conn.execute(f"CREATE DATABASE {dbname}")
        env["WANGJIAN_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{dbname}"
    try:
        proc = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                str(path),
                "--rows",
                str(rows),
                "--baseline-rows",
                str(baseline_rows),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        line = [x for x in proc.stdout.splitlines() if x.startswith("RESULT ")]
        if not line:
            raise SystemExit(f"{backend} run failed:\n{proc.stderr[-3000:]}")
        return json.loads(line[0][7:])
    finally:
        if backend == "postgres":
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--baseline-rows", type=int, default=3000)
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.rows, args.baseline_rows)
        return
    with tempfile.TemporaryDirectory(prefix="wj-bench-import-") as tmp:
        home = Path(tmp)
        path = home / "registry.csv"
        t = time.perf_counter()
        write_file(path, args.rows)
        print(
            f"{args.rows:,} rows written (GBK CSV, {path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.0f}s"
        )
        for backend in args.backends.split(","):
            r = run(backend, path, args.rows, args.baseline_rows, home)
            first = args.rows / r["first"]
            base = r["baseline_rows"] / r["baseline"]
            print(
                f"\n{r['vendor']}: first import {r['first']:.1f}s = {first:,.0f} rows/s "
                f"(created {r['created']:,}, rejected {r['rejected']:,})"
            )
            print(
                f"  same file again {r['again']:.1f}s = {args.rows / r['again']:,.0f} rows/s "
                f"(unchanged {r['again_unchanged']:,}, changed {r['again_created']})"
            )
            print(
                f"  baseline, one audited ORM save per row: {base:,.0f} rows/s → import is {first / base:.0f}x faster"
            )


if __name__ == "__main__":
    main()
