"""Whole listing pages, measured blind: false alarms on lawful pages, and the one violation of a page found in its place.

Usage: .venv/bin/python bench/page_alarms.py [--set plain_pages_dev|plain_pages_test|violation_pages_dev|violation_pages_test ...] [--show-errors]

A sweep reads whole pages, not the single lines ``rules_quality.py`` scores: a title, selling points,
specification rows, ingredients, shipping and after-sales notes, licence numbers, a FAQ. Every sentence is one
more chance of a false alarm, and the model scores every sentence, so a page's rate of false alarms is not a
line's. The pages (bench/blind/*_pages_*.jsonl, one JSON object per line) were written by authors who never saw
the rules or the engine (bench/blind/README.md); the ``_dev`` halves may be read, the ``_test`` halves are never
tuned on (``--show-errors`` prints the findings of development halves only).

- ``plain_pages_*``: every page lawful (id, kind, source, text). Reported: pages with any finding, by the rules
  (clear findings apart from review signals) and with the similarity model's signals.
- ``violation_pages_*``: lawful pages but for exactly one line, a violation of one category (id, kind, category,
  violation: that line, source, text). Reported: the violation found in its place (a finding of its category on
  its line), by the rules and with the model, per category; the line reached by a finding of any category; and the
  pages with a finding anywhere else (a false alarm beside the right one).

Each page is scanned twice by the default libraries (with the similarity model): once with the page's product kind
given, as a feed scan that knows the platform's category does, and once with the kind inferred from the page, as a
sweep does. The baseline in the same run is the naive public list (bench/baseline/naive_public_terms.tsv): the
pages it would flag, and the violations whose line holds one of its terms of the violation's category.
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

SETS = ("plain_pages_dev", "plain_pages_test", "violation_pages_dev", "violation_pages_test")
WAYS = ("kind given", "kind inferred")


def load_pages(path: Path, *, violating: bool) -> list[dict]:
    """The pages of one half; a line that is not a page (or a violation not one line of its page) is an error
    naming the line."""
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
        if violating and (not page.get("category") or page.get("violation") not in page["text"].splitlines()):
            raise SystemExit(
                f"{path}:{lineno}: expected a category and a violation that is one line of the text"
            )
        pages.append(page)
    return pages


def kind_of(page: dict, way: str) -> str | None:
    kind = page.get("kind")
    return kind if way == "kind given" and kind not in (None, "", "-") else None


def lawful_pages(name: str, pages: list[dict], engine, naive, show: bool) -> dict:
    row = {"set": name, "pages": len(pages)}
    row["naive"] = sum(1 for p in pages if any(term in p["text"] for term, _ in naive))
    for way in WAYS:
        flagged = Counter()
        counts: Counter = Counter()
        per_category: Counter = Counter()
        for page in pages:
            kind = kind_of(page, way)
            r = engine.scan(page["text"], product_kind=kind)
            clear = [h for h in r.hits if h.severity != "review"]
            review = [h for h in r.hits if h.severity == "review"]
            counts.update(clear=len(clear), review=len(review), model=len(r.suggestions))
            per_category.update(h.category for h in (*r.hits, *r.suggestions))
            flagged.update(
                clear=int(bool(clear)),
                review=int(bool(review)),
                model=int(bool(r.suggestions)),
                rules=int(bool(r.hits)),
                any=int(bool(r.hits or r.suggestions)),
            )
            if show and (r.hits or r.suggestions):
                print(f"  {page.get('id', '?')} [{kind or r.product_kind.kind}]")
                for h in (*r.hits, *r.suggestions):
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
                "               by category: " + ", ".join(f"{c} {k}" for c, k in per_category.most_common())
            )
        row[way] = f"{flagged['rules']:>2}, {flagged['any']:>2} flagged"
    print(f"naive list     pages flagged: {row['naive']}/{len(pages)}")
    return row


def violation_pages(name: str, pages: list[dict], engine, naive, show: bool) -> dict:
    row = {"set": name, "pages": len(pages)}
    row["naive"] = sum(
        1 for p in pages if any(term in p["violation"] and cat == p["category"] for term, cat in naive)
    )
    for way in WAYS:
        found = Counter()  # rules / model: the category found on the violating line
        per_category: dict[str, Counter] = {}
        for page in pages:
            text, cat = page["text"], page["category"]
            start = text.index(page["violation"])
            end = start + len(page["violation"])
            kind = kind_of(page, way)
            r = engine.scan(text, product_kind=kind)

            def on_line(h, start=start, end=end) -> bool:
                return h.start < end and start < h.end

            by_rules = any(h.category == cat and on_line(h) for h in r.hits)
            by_model = by_rules or any(h.category == cat and on_line(h) for h in r.suggestions)
            reached = any(on_line(h) for h in (*r.hits, *r.suggestions))
            elsewhere = any(not on_line(h) for h in (*r.hits, *r.suggestions))
            found.update(
                rules=int(by_rules), model=int(by_model), reached=int(reached), elsewhere=int(elsewhere)
            )
            c = per_category.setdefault(cat, Counter())
            c.update(pages=1, rules=int(by_rules), model=int(by_model))
            if show and (not by_model or elsewhere):
                print(
                    f"  {page.get('id', '?')} [{kind or r.product_kind.kind}] {cat}: {page['violation'][:60]}"
                )
                for h in (*r.hits, *r.suggestions):
                    where = "line" if on_line(h) else "else"
                    print(f"    {where} {h.rule:18} {h.category:20} {h.severity:7} {h.matched[:50]}")
        n = len(pages)
        print(
            f"{way:14} violation found in its place: by the rules {found['rules']}/{n}, with the model "
            f"{found['model']}/{n}; its line reached by a finding of any category {found['reached']}/{n}; "
            f"pages with a finding elsewhere {found['elsewhere']}/{n}"
        )
        print(
            "               by category (rules, +model / pages): "
            + ", ".join(
                f"{c} {k['rules']},{k['model']}/{k['pages']}" for c, k in sorted(per_category.items())
            )
        )
        row[way] = f"{found['rules']:>2}, {found['model']:>2} found"
    print(f"naive list     violation's line holds a term of its category: {row['naive']}/{len(pages)}")
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blind", default=str(ROOT / "bench" / "blind"), help="where the pages are")
    parser.add_argument("--set", action="append", choices=SETS, help="default: every half")
    parser.add_argument(
        "--show-errors", action="store_true", help="the findings on each page (development halves only)"
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
        violating = name.startswith("violation")
        pages = load_pages(path, violating=violating)
        lines = sum(len([x for x in p["text"].splitlines() if x.strip()]) for p in pages)
        size = sum(len(p["text"]) for p in pages)
        what = "pages with one violation" if violating else "lawful pages"
        print(f"\n== {name}: {len(pages)} {what}, {lines} lines, {size:,} characters ==")
        show = args.show_errors and not name.endswith(
            "_test"
        )  # the held-out halves are never read page by page
        report = violation_pages if violating else lawful_pages
        summary.append(report(name, pages, engine, naive, show))

    print(f"\n{'set':22} {'pages':>5}  {'kind given: rules, +model':>26}  {'kind inferred':>20}  naive")
    for row in summary:
        print(
            f"{row['set']:22} {row['pages']:5}  {row.get('kind given', ''):>26}  "
            f"{row.get('kind inferred', ''):>20}  {row['naive']:>5}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
