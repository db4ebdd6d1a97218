"""Precision and recall per category of the default rule libraries on a labelled corpus.

Usage: .venv/bin/python bench/rules_quality.py [--corpus DIR] [--show-errors] [--library NAME ...]

The corpus (bench/corpus/*.tsv) has one line per input: expected categories (comma
separated, "-" for none), product kind ("-" when not given, so the engine infers it), text.
``violations.tsv`` holds plain violations, ``evasive.tsv`` violations written to evade
(spaces, symbols, emoji, zero-width characters, traditional characters, pinyin,
homophones), ``tempting.tsv`` lawful lines that a naive keyword list would flag (the
2023 guideline's exemptions, warnings, negations, other senses of the same words).

A line counts for a category as a true positive when the category is expected and hit,
a false positive when hit but not expected, a false negative when expected but missed.
As a baseline in the same run, the same terms are matched naively (plain substring search
of every rule term in the raw text, no normalisation, no exemptions).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangjian.settings")


def load_corpus(directory: Path) -> list[tuple[str, set[str], str | None, str]]:
    rows = []
    for path in sorted(directory.glob("*.tsv")):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t", 2)
            if len(parts) != 3:
                raise SystemExit(f"{path.name}:{lineno}: expected 3 tab-separated fields")
            cats, kind, text = parts
            expected = set() if cats.strip() == "-" else {c.strip() for c in cats.split(",")}
            rows.append(
                (f"{path.stem}:{lineno}", expected, None if kind.strip() == "-" else kind.strip(), text)
            )
    return rows


def score(rows, predict) -> tuple[dict[str, Counter], list]:
    per: dict[str, Counter] = {}
    errors = []
    for ident, expected, kind, text in rows:
        got = predict(text, kind)
        for cat in expected | got:
            c = per.setdefault(cat, Counter())
            if cat in expected and cat in got:
                c["tp"] += 1
            elif cat in got:
                c["fp"] += 1
                errors.append(("FP", cat, ident, text))
            else:
                c["fn"] += 1
                errors.append(("FN", cat, ident, text))
    return per, errors


def pr(c: Counter) -> tuple[float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    return p, r


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT / "bench" / "corpus"))
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--library", action="append")
    args = parser.parse_args()

    import django

    django.setup()
    from wangjian.monitoring.choices import Category
    from wangjian.monitoring.engine import Engine, default_libraries

    libs = [lib for lib in default_libraries() if not args.library or lib.name in args.library]
    engine = Engine(libs)
    rows = load_corpus(Path(args.corpus))
    by_file = Counter(ident.split(":")[0] for ident, *_ in rows)

    t0 = time.perf_counter()
    per, errors = score(rows, lambda text, kind: engine.scan(text, product_kind=kind).categories)
    elapsed = time.perf_counter() - t0

    naive_terms = [(t, r.category) for lib in libs for r in lib.rules for t in r.terms]
    naive_per, _ = score(rows, lambda text, kind: {cat for term, cat in naive_terms if term in text})

    print(f"corpus: {len(rows)} lines ({', '.join(f'{k} {v}' for k, v in sorted(by_file.items()))})")
    print(f"engine: {engine.size} rules; scanned in {elapsed * 1000:.0f} ms")
    print(f"{'category':24} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7}   naive P / R")
    totals, naive_totals = Counter(), Counter()
    worst = (1.0, 1.0)
    for cat in Category.values:
        c = per.get(cat, Counter())
        n = naive_per.get(cat, Counter())
        totals.update(c)
        naive_totals.update(n)
        p, r = pr(c)
        np_, nr = pr(n)
        worst = (min(worst[0], p), min(worst[1], r))
        print(f"{cat:24} {c['tp']:4} {c['fp']:4} {c['fn']:4} {p:9.3f} {r:7.3f}   {np_:.3f} / {nr:.3f}")
    p, r = pr(totals)
    np_, nr = pr(naive_totals)
    print(
        f"{'ALL (micro)':24} {totals['tp']:4} {totals['fp']:4} {totals['fn']:4} {p:9.3f} {r:7.3f}   {np_:.3f} / {nr:.3f}"
    )
    evasive = [r for r in rows if r[0].startswith("evasive")]
    caught = sum(
        1 for _, exp, kind, text in evasive if exp <= engine.scan(text, product_kind=kind).categories
    )
    tempting = [r for r in rows if r[0].startswith("tempting")]
    flagged = sum(1 for _, exp, kind, text in tempting if engine.scan(text, product_kind=kind).hits)
    naive_flagged = sum(1 for _, _, _, text in tempting if any(term in text for term, _ in naive_terms))
    print(f"evasive lines fully caught: {caught}/{len(evasive)}")
    print(f"tempting lawful lines flagged: {flagged}/{len(tempting)} (naive term list: {naive_flagged})")
    print(f"lowest per-category precision {worst[0]:.3f}, recall {worst[1]:.3f} (aim ≥ 0.95 / ≥ 0.95)")
    if args.show_errors:
        for kind, cat, ident, text in errors:
            print(f"  {kind} {cat:22} {ident:16} {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
