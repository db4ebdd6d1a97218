"""Precision and recall per category of the default rule libraries: our own corpus and a blind one, beside a naive list.

Usage: .venv/bin/python bench/rules_quality.py [--set own|dev|dev2|…|dev23|test|test2|…|test22|dev-pooled|test-pooled ...] [--show-errors] [--library NAME ...]

Fifty-four sets are scored in one run, each beside the same baseline:

- ``own`` (bench/corpus/*.tsv): lines written by the people who wrote the rules — it proves the code
  works, not how well it works. One line per input: expected categories (comma separated, "-" for
  none), product kind ("-" when not given, so the engine infers it), text. ``violations.tsv`` plain
  violations, ``evasive.tsv`` violations written to evade, ``tempting.tsv`` lawful lines a keyword list
  would flag, ``plain.tsv`` ordinary listing text (titles, specifications, shipping, after-sales).
- ``dev`` to ``dev23`` and ``test`` to ``test22`` (bench/blind/*.tsv): the blind corpus, written by authors
  who had not seen the rules or the engine, from published enforcement releases (the regulator's quoted
  wording and its classification, with the source URL) and clean-but-tempting listing lines; five
  fields: categories, product kind, origin (``enforcement`` | ``listing``), source, text. Twenty-three batches,
  each split by source page into a development half that may be read to find gaps (dev to dev23) and
  a held-out half that is never tuned on (test for the first two batches, test2 for the third, test3
  for the fourth, test4 for the fifth, test5 for the sixth, test6 for the seventh, test7 for the eighth,
  test8 for the ninth, test9 for the tenth, test10 for the eleventh, test11 for the twelfth, test12 for the thirteenth, test13 for the fourteenth, test14 for the fifteenth, test15 for the sixteenth, test16 for the seventeenth, test17 for the eighteenth, test18 for the nineteenth, test19 for the twentieth, test20 for the twenty-first, test21 for the twenty-second, test22 for the twenty-third), so
  ``--show-errors`` never prints the held-out lines. Each batch's first score, before anything was
  changed for it, is kept in bench/blind/README.md. ``--set test-pooled`` reads every held-out half as one
  set (``dev-pooled`` every development half): the figure the targets are read on.
- ``plain_dev``/``plain_test``, ``plain_dev2``/``plain_test2``, ``plain_dev3``/``plain_test3`` and ``plain_dev4``/``plain_test4``: four blind batches of lawful ordinary listing
  text (titles, specifications, after-sales policies, lawful promotions, clinic and bank pages), split the
  same way; they measure the false alarms a sweep meets most.

A line counts for a category as a true positive when the category is expected and hit, a false
positive when hit but not expected, a false negative when expected but missed. Hits of rules whose
severity is ``review`` (待核实信号: text alone cannot prove the violation, e.g. an original-price
claim) count like the others and are also reported apart: how many true positives came only from
review signals, and how many false positives they made. Categories that no text rule covers (e.g.
``false_advertising`` in general: a false origin or sales figure is proved by investigation, not by its
wording — the claims library flags what must be verified) are reported but kept out of the overall
figure, which says so; a second line adds them back. Rules on the absence of a required statement (保健食品
without "本品不能代替药物") judge a whole page, so they are not scored on the blind corpus's quoted lines.

Per set, a line-level reading beside the categories: the share of violating lines that get a finding of any
category (what reaches an officer's queue; the category decides only the routing) and the clean lines flagged,
with and without the similarity model. It tells a wording no rule reads apart from one read under another
category than the release gave it.

Baseline in the same run: a naive public 极限词/违禁词 list (bench/baseline/naive_public_terms.tsv),
matched as plain substrings of the raw text, no normalisation, no exemptions.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangjian.settings")

NAIVE_LIST = ROOT / "bench" / "baseline" / "naive_public_terms.tsv"
# 虚假或引人误解的宣传 in general: a false origin, a made-up history or a sales figure is proved false by
# investigation, not by its wording; the claims library flags what must be verified (review signals),
# scored apart from the categories a text can decide.
NEEDS_FACTS = {"false_advertising"}


@dataclass
class Line:
    ident: str
    expected: set[str]
    kind: str | None
    text: str
    origin: str = "own"


def _fields(path: Path, n: int):
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t", n - 1)
        if len(parts) != n:
            raise SystemExit(f"{path}:{lineno}: expected {n} tab-separated fields")
        yield lineno, [p.strip() if i < n - 1 else p for i, p in enumerate(parts)]


def _cats(field: str) -> set[str]:
    return set() if field == "-" else {c.strip() for c in field.split(",") if c.strip()}


def load_corpus(directory: Path) -> list[Line]:
    """Our own corpus: three fields per line."""
    rows = []
    for path in sorted(directory.glob("*.tsv")):
        for lineno, (cats, kind, text) in _fields(path, 3):
            rows.append(Line(f"{path.stem}:{lineno}", _cats(cats), None if kind == "-" else kind, text))
    return rows


def load_blind(path: Path) -> list[Line]:
    """A half of the blind corpus: five fields per line."""
    rows = []
    for lineno, (cats, kind, origin, _source, text) in _fields(path, 5):
        rows.append(Line(f"{path.stem}:{lineno}", _cats(cats), None if kind == "-" else kind, text, origin))
    return rows


def score(rows: list[Line], predict) -> tuple[dict[str, Counter], list]:
    """Per category tp/fp/fn; ``predict`` returns (all categories hit, categories hit only by review signals)."""
    per: dict[str, Counter] = {}
    errors = []
    for row in rows:
        got, review_only = predict(row.text, row.kind)
        for cat in row.expected | got:
            c = per.setdefault(cat, Counter())
            if cat in row.expected and cat in got:
                c["tp"] += 1
                c["tp_review"] += cat in review_only
            elif cat in got:
                c["fp"] += 1
                c["fp_review"] += cat in review_only
                errors.append(("FP", cat, row))
            else:
                c["fn"] += 1
                errors.append(("FN", cat, row))
    return per, errors


def pr(c: Counter) -> tuple[float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    return p, r


def naive_list() -> list[tuple[str, str]]:
    return [(term, cat) for _, (cat, term) in _fields(NAIVE_LIST, 2)]


def report(name: str, rows: list[Line], engine, naive, covered: set[str], *, show_errors: bool) -> dict:
    scanned: dict = {}  # each line is scanned once; the figures with and without the model read the same result

    def predict(text, kind, *, suggested=False):
        result = scanned.get((text, kind))
        if result is None:
            result = scanned[(text, kind)] = engine.scan(text, product_kind=kind)
        hits = result.hits + (result.suggestions if suggested else [])
        if name != "own":
            # A quoted line is not a page: rules on the absence of a required statement (保健食品 must carry
            # "本品不能代替药物") judge whole pages and are scored on our own page-like lines only.
            hits = [h for h in hits if h.channel != "absent"]
        every = {h.category for h in hits}
        clear = {h.category for h in hits if h.severity != "review"}
        return every, every - clear

    t0 = time.perf_counter()
    per, errors = score(rows, predict)
    elapsed = time.perf_counter() - t0
    naive_per, _ = score(rows, lambda text, kind: ({c for t, c in naive if t in text}, set()))
    origins = Counter(r.origin for r in rows)
    print(
        f"\n== {name}: {len(rows)} lines ({', '.join(f'{k} {v}' for k, v in sorted(origins.items()))}), "
        f"scanned in {elapsed * 1000:.0f} ms =="
    )
    print(
        f"{'category':24} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7}  "
        f"{'review tp/fp':>12}   naive P / R"
    )
    totals, naive_totals, every = Counter(), Counter(), Counter()
    worst = (1.0, 1.0, "", "")
    for cat in sorted(set(per) | set(naive_per), key=lambda c: (c not in covered, c)):
        c, n = per.get(cat, Counter()), naive_per.get(cat, Counter())
        if not (c["tp"] + c["fn"] + c["fp"]):
            continue
        p, r = pr(c)
        np_, nr = pr(n)
        mark = "" if cat in covered else "  (no text rule: not in ALL)"
        if cat in NEEDS_FACTS:
            mark = "  (claims to verify: not in ALL)"
            every.update(c)
        elif cat in covered:
            totals.update(c)
            naive_totals.update(n)
            if c["tp"] + c["fn"]:
                worst = min(worst[0], p), min(worst[1], r), *(worst[2:])
        print(
            f"{cat:24} {c['tp']:4} {c['fp']:4} {c['fn']:4} {p:9.3f} {r:7.3f}  "
            f"{c['tp_review']:5}/{c['fp_review']:<6}   {np_:.3f} / {nr:.3f}{mark}"
        )
    p, r = pr(totals)
    np_, nr = pr(naive_totals)
    print(
        f"{'ALL (micro)':24} {totals['tp']:4} {totals['fp']:4} {totals['fn']:4} {p:9.3f} {r:7.3f}  "
        f"{totals['tp_review']:5}/{totals['fp_review']:<6}   {np_:.3f} / {nr:.3f}"
    )
    every.update(totals)
    ep, er = pr(every)
    print(
        f"{'ALL + claims to verify':24} {every['tp']:4} {every['fp']:4} {every['fn']:4} {ep:9.3f} {er:7.3f}"
    )
    clear = Counter(
        tp=totals["tp"] - totals["tp_review"],
        fp=totals["fp"] - totals["fp_review"],
        fn=totals["fn"] + totals["tp_review"],
    )
    cp, cr = pr(clear)
    print(f"{'ALL, clear hits only':24} {clear['tp']:4} {clear['fp']:4} {clear['fn']:4} {cp:9.3f} {cr:7.3f}")
    decidable = covered - NEEDS_FACTS
    enforcement = [r for r in rows if r.origin == "enforcement" and r.expected & decidable]
    if enforcement:
        caught = sum(1 for r in enforcement if (r.expected & decidable) <= predict(r.text, r.kind)[0])
        naive_caught = sum(
            1 for r in enforcement if (r.expected & decidable) <= {c for t, c in naive if t in r.text}
        )
        print(
            f"enforcement wordings with every covered category caught: {caught}/{len(enforcement)} "
            f"= {caught / len(enforcement):.3f} (naive list {naive_caught / len(enforcement):.3f})"
        )
    with_model = None
    if getattr(engine, "similarity", None) is not None:
        # The similarity model's review signals added (``monitoring.similarity``): trained on our own corpus
        # and the development halves, so its figures on those sets are not blind; on the held-out halves they are.
        per_m, _ = score(rows, lambda text, kind: predict(text, kind, suggested=True))
        tot_m = Counter()
        low = 1.0
        for cat, c in per_m.items():
            if cat in covered and cat not in NEEDS_FACTS:
                tot_m.update(c)
                if c["tp"] + c["fn"]:
                    low = min(low, pr(c)[1])
        mp, mr = pr(tot_m)
        line = f"{'ALL, + similarity model':24} {tot_m['tp']:4} {tot_m['fp']:4} {tot_m['fn']:4} {mp:9.3f} {mr:7.3f}"
        print(
            f"{line}  (review signals {tot_m['tp_review']}/{tot_m['fp_review']}; lowest category recall {low:.3f})"
        )
        if enforcement:
            caught = sum(
                1
                for r in enforcement
                if (r.expected & decidable) <= predict(r.text, r.kind, suggested=True)[0]
            )
            print(
                f"enforcement wordings fully caught with the model: {caught}/{len(enforcement)} = {caught / len(enforcement):.3f}"
            )
        with_model = (mp, mr)
    evasive = [r for r in rows if r.ident.startswith("evasive")]
    if evasive:
        caught = sum(1 for r in evasive if r.expected <= predict(r.text, r.kind)[0])
        print(f"evasive lines fully caught: {caught}/{len(evasive)}")
    clean = [r for r in rows if not r.expected]
    flagged_m = 0
    if clean:
        flagged = sum(1 for r in clean if predict(r.text, r.kind)[0])
        flagged_m = sum(1 for r in clean if predict(r.text, r.kind, suggested=True)[0])
        naive_flagged = sum(1 for r in clean if any(t in r.text for t, _ in naive))
        print(
            f"clean lines flagged: {flagged}/{len(clean)}, with the model {flagged_m}/{len(clean)} "
            f"(naive list {naive_flagged})"
        )
    # The officer's queue reads lines (pages), not categories: a violating line with a finding of any category
    # reaches an officer even when the category differs from the label (治愈率 as a medical claim where the
    # release called it an efficacy guarantee); the category decides the routing, the line decides the check.
    violating = [r for r in rows if r.expected & decidable]
    # (share of violating lines reached with the model, or None for a set of lawful lines only; clean flagged)
    queue = (None, flagged_m, len(clean)) if clean else None
    if violating:
        reached = sum(1 for r in violating if predict(r.text, r.kind)[0])
        reached_m = sum(1 for r in violating if predict(r.text, r.kind, suggested=True)[0])
        naive_reached = sum(1 for r in violating if any(t in r.text for t, _ in naive))
        queue = (reached_m / len(violating), flagged_m, len(clean))
        print(
            f"violating lines with a finding of any category (the officer's queue): {reached}/{len(violating)} "
            f"= {reached / len(violating):.3f}, with the model {reached_m}/{len(violating)} "
            f"= {reached_m / len(violating):.3f} (naive list {naive_reached / len(violating):.3f}); "
            f"clean lines flagged with the model: {flagged_m}/{len(clean)}"
        )
    print(f"lowest per-category precision {worst[0]:.3f}, recall {worst[1]:.3f}")
    if show_errors:
        for kind, cat, row in errors:
            print(f"  {kind} {cat:22} {row.ident:16} [{row.kind or '-'}] {row.text}")
    return {"precision": p, "recall": r, "naive": (np_, nr), "model": with_model, "queue": queue}


SETS = (
    "own",
    "dev",
    "dev2",
    "dev3",
    "dev4",
    "dev5",
    "dev6",
    "dev7",
    "dev8",
    "dev9",
    "dev10",
    "dev11",
    "dev12",
    "dev13",
    "dev14",
    "dev15",
    "dev16",
    "dev17",
    "dev18",
    "dev19",
    "dev20",
    "dev21",
    "dev22",
    "dev23",
    "test",
    "test2",
    "test3",
    "test4",
    "test5",
    "test6",
    "test7",
    "test8",
    "test9",
    "test10",
    "test11",
    "test12",
    "test13",
    "test14",
    "test15",
    "test16",
    "test17",
    "test18",
    "test19",
    "test20",
    "test21",
    "test22",
    "plain_dev",
    "plain_test",
    "plain_dev2",
    "plain_test2",
    "plain_dev3",
    "plain_test3",
    "plain_dev4",
    "plain_test4",
)
HELD_OUT = {name for name in SETS if name.startswith(("test", "plain_test"))}  # the halves nobody tunes on
# Pooled readings: every development half of the violation batches in one set, and every held-out half in one
# (the plain-listing halves, lawful lines only, stay apart).
POOLED = {
    "dev-pooled": [name for name in SETS if name.startswith("dev")],
    "test-pooled": [name for name in SETS if name.startswith("test")],
}
HELD_OUT.add("test-pooled")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT / "bench" / "corpus"), help="our own corpus")
    parser.add_argument(
        "--blind",
        default=str(ROOT / "bench" / "blind"),
        help="the blind corpus (dev.tsv … dev23.tsv, test.tsv … test22.tsv)",
    )
    parser.add_argument(
        "--set",
        action="append",
        choices=[*SETS, *POOLED],
        help="default: all fifty-four; dev-pooled and test-pooled read every development or held-out half as one set",
    )
    parser.add_argument(
        "--show-errors", action="store_true", help="misses and false alarms (own and dev only)"
    )
    parser.add_argument("--library", action="append")
    parser.add_argument(
        "--no-similarity",
        action="store_true",
        help="the rules alone, without the similarity model's review signals",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from wangjian.monitoring import similarity
    from wangjian.monitoring.choices import Category
    from wangjian.monitoring.engine import Engine, default_libraries

    libs = [lib for lib in default_libraries() if not args.library or lib.name in args.library]
    model = None if args.no_similarity else similarity.default_model()
    engine = Engine(libs, similarity=model)
    covered = {r.category for lib in libs for r in lib.rules} & set(Category.values)
    naive = naive_list()
    print(
        f"engine: {engine.size} rules in {len(libs)} libraries; baseline: naive public list of {len(naive)} terms"
    )
    summary = {}
    for name in args.set or list(SETS):
        if name == "own":
            rows = load_corpus(Path(args.corpus))
        elif name in POOLED:
            rows = [row for part in POOLED[name] for row in load_blind(Path(args.blind) / f"{part}.tsv")]
        else:
            path = Path(args.blind) / f"{name}.tsv"
            if not path.exists():
                print(f"\n== {name}: {path} not found ==")
                continue
            rows = load_blind(path)
        show = args.show_errors and name not in HELD_OUT  # the test halves are never looked at line by line
        summary[name] = report(name, rows, engine, naive, covered, show_errors=show)
    # The sets the model learnt from, by its own record of the files it was trained on.
    files = model.trained_on.get("files", []) if model is not None else []
    trained_on = {Path(f).stem for f in files if f.startswith("bench/blind/")}
    if any(part in trained_on for part in POOLED["dev-pooled"]):  # some of its lines
        trained_on.add("dev-pooled")
    if any(f.startswith("bench/corpus/") for f in files):
        trained_on.add("own")
    if summary:
        print(
            "\nset         rules P / R      + model P / R    naive P / R    lines reached, clean flagged (+ model)"
        )
        for name, s in summary.items():
            m = s["model"]
            with_model = f"{m[0]:7.3f} / {m[1]:.3f}" if m else " " * 15
            trained = "  (the model was trained on it)" if m and name in trained_on else ""
            q = s["queue"]
            lines = f"{'  -  ' if q[0] is None else f'{q[0]:.3f}'}, {q[1]:>3}/{q[2]:<3}" if q else " " * 14
            print(
                f"{name:10} {s['precision']:7.3f} / {s['recall']:.3f}  {with_model}  "
                f"{s['naive'][0]:.3f} / {s['naive'][1]:.3f}    {lines}{trained}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
