"""False alarms on whole lawful listing pages: the rules, the rules with the similarity model, and a naive list.

Usage: .venv/bin/python bench/page_alarms.py [--set plain_pages_dev|plain_pages_test ...] [--show-errors]

A sweep reads whole pages, not the single lines ``rules_quality.py`` scores: a title, selling points,
specification rows, ingredients, shipping and after-sales notes, licence numbers, a FAQ. Every sentence is one
more chance of a false alarm, and the model scores every sentence, so a page's rate of false alarms is not a
line's. The pages here (bench/blind/plain_pages_*.jsonl, one JSON object per line: id, kind, source, text) were
written by an author who never saw the rules or the engine (bench/blind/README.md), every one of them lawful;
``plain_pages_dev`` may be read, ``plain_pages_test`` is never tuned on (``--show-errors`` prints the findings of
the development half only).

Each page is scanned twice by the default libraries (with the similarity model): once with the page's product kind
given, as a feed scan that knows the platform's category does, and once with the kind inferred from the page, as a
sweep does. Reported, per set and per way: pages with any finding, clear findings (rules of severity other than
``review``) apart from review signals (the rules' ``review`` hits, the claims to verify, the model's ``SIM-``
signals), findings per category, and — as the baseline in the same run — the pages the naive public list
(bench/baseline/naive_public_terms.tsv) would flag.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangjian.settings")

SETS = ("plain_pages_dev", "plain_pages_test")
HELD_OUT = {"plain_pages_test"}


def load_pages(path: Path) -> list[dict]:
    """The pages of one half; a line that is not a page is an error naming the line."""
    pages = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            page = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SystemExit(f"{path}:{lineno}: not JSON ({exc})") from exc
        if not isinstance(page, dict) or not isinstance(page.get("text"), str):
            raise SystemExit(f"{path}:{lineno}: expected an object with a text")
        pages.append(page)
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blind", default=str(ROOT / "bench" / "blind"), help="where the pages are")
    parser.add_argument("--set", action="append", choices=SETS, help="default: both halves")
    parser.add_argument(
        "--show-errors", action="store_true", help="the findings on each page (development half only)"
    )
    args = parser.parse_args()

    import django

    django.setup()
    import rules_quality as rq

    from wangjian.monitoring import similarity
    from wangjian.monitoring.engine import Engine, default_libraries

    engine = Engine(default_libraries(), similarity=similarity.default_model())
    naive = rq.naive_list()
    print(f"engine: {engine.size} rules; similarity model {getattr(engine.similarity, 'version', 'none')}")
    summary = []
    for name in args.set or SETS:
        path = Path(args.blind) / f"{name}.jsonl"
        if not path.exists():
            print(f"\n== {name}: {path} not found ==")
            continue
        pages = load_pages(path)
        lines = sum(len([x for x in p["text"].splitlines() if x.strip()]) for p in pages)
        size = sum(len(p["text"]) for p in pages)
        print(f"\n== {name}: {len(pages)} lawful pages, {lines} lines, {size:,} characters ==")
        naive_flagged = sum(1 for p in pages if any(term in p["text"] for term, _ in naive))
        show = args.show_errors and name not in HELD_OUT
        row = {"set": name, "pages": len(pages), "naive": naive_flagged}
        for way in ("kind given", "kind inferred"):
            flagged = {"clear": 0, "review": 0, "model": 0, "any": 0, "rules": 0}
            counts: Counter = Counter()
            per_category: Counter = Counter()
            for page in pages:
                kind = (
                    page.get("kind")
                    if way == "kind given" and page.get("kind") not in (None, "", "-")
                    else None
                )
                r = engine.scan(page["text"], product_kind=kind)
                clear = [h for h in r.hits if h.severity != "review"]
                review = [h for h in r.hits if h.severity == "review"]
                model = list(r.suggestions)
                counts.update(clear=len(clear), review=len(review), model=len(model))
                per_category.update(h.category for h in (*r.hits, *model))
                flagged["clear"] += bool(clear)
                flagged["review"] += bool(review)
                flagged["model"] += bool(model)
                flagged["rules"] += bool(r.hits)
                flagged["any"] += bool(r.hits or model)
                if show and (r.hits or model):
                    print(f"  {page.get('id', '?')} [{kind or r.product_kind.kind}]")
                    for h in (*r.hits, *model):
                        print(f"    {h.rule:18} {h.category:20} {h.severity:7} {h.matched[:60]}")
            n = len(pages)
            print(
                f"{way:14} pages flagged: by the rules {flagged['rules']}/{n} (clear findings {flagged['clear']}, "
                f"review signals {flagged['review']}), with the model {flagged['any']}/{n} (model signals on "
                f"{flagged['model']}); findings: {counts['clear']} clear, {counts['review']} review, "
                f"{counts['model']} model"
            )
            if per_category:
                print(
                    "               by category: "
                    + ", ".join(f"{c} {k}" for c, k in per_category.most_common())
                )
            row[way] = (flagged["rules"], flagged["any"])
        print(f"naive list     pages flagged: {naive_flagged}/{len(pages)}")
        summary.append(row)

    print(
        f"\n{'set':18} {'pages':>5}  {'kind given: rules, +model':>26}  {'kind inferred: rules, +model':>29}  naive"
    )
    for row in summary:
        g, i = row.get("kind given", (0, 0)), row.get("kind inferred", (0, 0))
        print(
            f"{row['set']:18} {row['pages']:5}  {g[0]:>17}, {g[1]:>6}  {i[0]:>20}, {i[1]:>6}  {row['naive']:>5}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
