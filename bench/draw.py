"""Benchmark of the 双随机 draw: 10,000 objects and their inspectors from a pool of 1,000,000.

    .venv/bin/python bench/draw.py                       # 1,000,000 → 10,000, in memory
    .venv/bin/python bench/draw.py --pool 200000 --runs 5

A synthetic pool in memory (entity ids 1…N, USCC-like codes, four strata of credit class: A 40 %, B 40 %,
C 15 %, D 5 % of the pool, drawn at 0.5 %, 1 %, 2 % and 2 % — exactly 10,000 objects of a million), 200
inspectors of two departments (a joint inspection: one of each department, k = 2) and 2,000 declared
relations. Timed, per run, as the service does it: the pool listing and its SHA-256, the canonical inputs
and the seed (``algorithm.seed_of``), the objects (``algorithm.draw_objects``: one HMAC-SHA256 per pool
member) and their inspectors (``algorithm.draw_inspectors``). The baseline in the same run is Python's
``random.sample`` of the same number of objects and, per object, ``random.sample`` of two inspectors —
fast, and neither published, reproducible nor stratified. Prints the median seconds of each and the ratio.
The database is not involved (a draw on PostgreSQL adds reading the pool and writing the rows; not measured
here).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from wangjian.inspections import algorithm  # noqa: E402  (no Django needed: the algorithm is pure)

STRATA = [("A|-", 0.40, "0.005"), ("B|-", 0.40, "0.01"), ("C|-", 0.15, "0.02"), ("D|-", 0.05, "0.02")]


def synthetic_pool(n: int) -> list[tuple[int, str, str]]:
    rows, start = [], 1
    for key, share, _ratio in STRATA:
        size = round(n * share)
        rows += [(eid, f"91341825MA{eid:08d}", key) for eid in range(start, start + size)]
        start += size
    return rows


def wangjian_draw(rows, inspectors, excluded) -> tuple[int, int]:
    listing = algorithm.pool_listing(rows)
    inputs = {
        "algorithm": algorithm.ALGORITHM,
        "version": algorithm.VERSION,
        "pool_sha256": algorithm.sha256_hex(listing),
        "strata": [{"key": k, "ratio": r} for k, _s, r in STRATA],
        "source": {"name": "中国福利彩票双色球第2026140期开奖号码", "date": "2026-12-08"},
    }
    seed = algorithm.seed_of(algorithm.canonical_json(inputs), "红球 03 08 15 21 27 33 蓝球 09")
    ratios = {k: Fraction(r) for k, _s, r in STRATA}
    picked = algorithm.draw_objects(seed, [(eid, s) for eid, _u, s in rows], ratios)
    assigned = algorithm.draw_inspectors(seed, [p.entity_id for p in picked], inspectors, excluded, 2, [1, 2])
    return len(picked), sum(len(v) for v in assigned.values())


def baseline(n_pool: int, n_objects: int, inspectors) -> tuple[int, int]:
    rng = random.Random(20261208)
    picked = rng.sample(range(1, n_pool + 1), n_objects)
    ids = [i.user_id for i in inspectors]
    assigned = {eid: rng.sample(ids, 2) for eid in picked}
    return len(picked), sum(len(v) for v in assigned.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = synthetic_pool(args.pool)
    inspectors = [algorithm.Inspector(uid, 1 if uid <= 100 else 2) for uid in range(1, 201)]
    rng = random.Random(1)
    excluded: dict[int, set[int]] = {}
    for _ in range(2000):
        excluded.setdefault(rng.randrange(1, args.pool + 1), set()).add(rng.randrange(1, 201))
    ours, base, counts = [], [], None
    for _ in range(args.runs):
        t = time.perf_counter()
        counts = wangjian_draw(rows, inspectors, excluded)
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        baseline(args.pool, counts[0], inspectors)
        base.append(time.perf_counter() - t)
    a, b = statistics.median(ours), statistics.median(base)
    print(
        f"pool {len(rows):,}; drawn {counts[0]:,} objects, {counts[1]:,} inspector assignments; runs {args.runs}"
    )
    print(f"wangjian draw (hash, seed, HMAC ranking, inspectors): {a:.2f} s (median)")
    print(f"baseline random.sample (same counts):                 {b:.3f} s (median)")
    print(f"ratio wangjian/baseline: {a / b:.0f}×")


if __name__ == "__main__":
    main()
