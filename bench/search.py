"""Benchmark: entity search latency (p50/p95) at 1,000,000 entities, against a naive LIKE search.

    .venv/bin/python bench/search.py                        # 1,000,000 entities in SQLite
    .venv/bin/python bench/search.py --rows 200000 --backend postgres

Imports a synthetic registry (``bench/import.py``'s file) into a throwaway database, then
times ``registry.selectors.entity_search`` — USCC, full name, name without region prefix
and legal form, traditional characters, a word from the middle of the name (through the
index of the names' 2-grams, ``registry.name_grams``: a rare word, a word one name in eight
holds, two common words no name holds together), legal representative, phone — fetching
the first page as the list view does. The baseline, measured in the same run, is the naive search
an officer's spreadsheet habit suggests: ``name LIKE '%…%'``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


def _import_bench():
    spec = importlib.util.spec_from_file_location("bench_import", Path(__file__).with_name("import.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


WORDS = ["茶叶", "百货", "商贸", "电器", "建材", "服装", "食品", "五金"]  # the trades of import.py's names


def _digitless(core: str) -> str:
    return core.rstrip("0123456789")


def child(path: str, queries_per_kind: int) -> None:
    import django

    django.setup()
    import opencc
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from wangjian.org.models import Bureau
    from wangjian.registry import selectors, services
    from wangjian.registry.models import MarketEntity

    bureau = Bureau.objects.create(name="旌德县市场监督管理局", code="341825", level="county")
    t = time.perf_counter()
    services.registry_import(bureau=bureau, path=path)
    load = time.perf_counter() - t
    total = MarketEntity.objects.count()
    rng = random.Random(3)
    sample = list(
        MarketEntity.objects.filter(pk__in=[rng.randint(1, total) for _ in range(queries_per_kind)]).values(
            "uscc", "name", "name_core", "legal_rep", "phone"
        )
    )
    t2s = opencc.OpenCC("s2t")
    kinds = {
        "uscc": [e["uscc"].lower() for e in sample],
        "full name": [e["name"] for e in sample],
        "name without region/form": [e["name_core"] for e in sample],
        "traditional": [t2s.convert(e["name"]) for e in sample],
        "legal rep": [e["legal_rep"] for e in sample],
        "word from the middle": [e["name_core"][2:] or e["name_core"] for e in sample],
        # A word many names hold (商贸 is in one name of eight): the first page of a long list.
        "common word": [WORDS[i % len(WORDS)] for i in range(len(sample))],
        # The 字号's tail and the trade, no serial number: a few dozen names in a million.
        "word, few names": [_digitless(e["name_core"])[1:] for e in sample],
        # Two common words no name holds together: every candidate of the rarer one is refuted.
        "words never together": [
            WORDS[i % len(WORDS)] + WORDS[(i + 3) % len(WORDS)] for i in range(len(sample))
        ],
        "phone": [f"{e['phone'][:3]}-{e['phone'][3:7]}-{e['phone'][7:]}" for e in sample],
    }
    base_qs = MarketEntity.objects.filter(bureau_id__in=[bureau.pk])
    out = {"vendor": connection.vendor, "rows": total, "load": load, "kinds": {}}
    for kind, queries in kinds.items():
        times, hits = [], 0
        for q in queries:
            t = time.perf_counter()
            page = list(selectors.entity_search(base_qs, q).order_by("-id")[:50])
            times.append(time.perf_counter() - t)
            hits += bool(page)
        out["kinds"][kind] = {"times": times, "hits": hits, "n": len(queries)}
    times = []
    for _ in range(queries_per_kind):
        t = time.perf_counter()
        list(base_qs.order_by("-id")[:50])
        times.append(time.perf_counter() - t)
    out["kinds"]["list page, no query"] = {"times": times, "hits": queries_per_kind, "n": queries_per_kind}
    naive = []
    for e in sample[:20]:
        t = time.perf_counter()
        list(base_qs.filter(name__contains=e["name_core"]).order_by("-id")[:50])
        naive.append(time.perf_counter() - t)
    out["naive"] = naive
    print("RESULT " + json.dumps(out))


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--queries", type=int, default=100, help="queries per kind")
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.queries)
        return
    with tempfile.TemporaryDirectory(prefix="wj-bench-search-") as tmp:
        path = Path(tmp) / "registry.csv"
        _import_bench().write_file(path, args.rows)
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="wangjian.settings", WANGJIAN_HOME=tmp)
        dbname = f"wj_bench_search_{os.getpid()}"
        if args.backend == "postgres":
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {dbname}")
            env["WANGJIAN_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{dbname}"
        try:
            proc = subprocess.run(
                [sys.executable, __file__, "--child", str(path), "--queries", str(args.queries)],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            if args.backend == "postgres":
                import psycopg

                with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")
        line = [x for x in proc.stdout.splitlines() if x.startswith("RESULT ")]
        if not line:
            raise SystemExit(proc.stderr[-3000:])
        r = json.loads(line[0][7:])
    print(f"{r['vendor']}: {r['rows']:,} entities (imported in {r['load']:.0f}s)")
    all_times = []
    for kind, k in r["kinds"].items():
        all_times += k["times"]
        print(
            f"  {kind:26s} p50 {1000 * statistics.median(k['times']):7.1f} ms  p95 {1000 * pct(k['times'], 0.95):7.1f} ms"
            f"  found {k['hits']}/{k['n']}"
        )
    p95 = pct(all_times, 0.95)
    naive = statistics.median(r["naive"])
    print(f"  all queries p95 {1000 * p95:.1f} ms")
    print(
        f"  baseline name LIKE '%…%' median {1000 * naive:.1f} ms → indexed search p95 is {naive / p95:.0f}x faster"
    )


if __name__ == "__main__":
    main()
