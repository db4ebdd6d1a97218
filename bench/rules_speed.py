"""Matching speed: the engine (normalisation included) against two baselines in the same run.

Usage: .venv/bin/python bench/rules_speed.py [--rules 5000] [--mb 100] [--re-mb 2] [--page-kb 16] [--seed 7]

- Rule set: the default libraries plus generated rules up to ``--rules`` (two or three
  terms each, a tenth with exclusions, a twentieth with proximity conditions, a fiftieth
  with anchored regexes), terms built from the characters of the labelled corpus so that
  they occur in the text at a realistic rate.
- Text: ``--mb`` megabytes (UTF-8) of Chinese page text: the labelled corpus lines
  (violations, evasions, tempting lines, some traditional) mixed with generated filler,
  cut into pages of ``--page-kb`` KB as a crawler would hand them over.
- engine: ``Engine.scan(page)`` for every page — NFKC/t2s/case fold, separator
  stripping, Aho–Corasick, pinyin channel, exemptions, offsets back to the original.
- bare AC: a pyahocorasick automaton of the same terms iterated over the raw pages
  (no normalisation, no decisions) — the floor; beside it the engine's own literal matcher
  (``monitoring.matcher``: Hyperscan in literal mode when installed) over the same pages.
- engine + similarity model: the engine with the similarity model's review signals (every sentence of
  the page scored by ``monitoring.similarity``), as sweeps and feed scans run it.
- engine, N% corpus lines: the engine over text of the same size where only ``--quiet-share`` of the
  lines come from the corpus (listing pages as a sweep meets them); the main text is about a quarter
  corpus lines, most of them violations, so its rate is bounded by the decisions on thousands of hits.
  Beside it the same pages with the similarity model, as a sweep scans them.
- re alternation: one Python ``re`` alternation of the same terms over the raw pages;
  it is slow, so it runs on the first ``--re-mb`` megabytes and its rate is reported.

Figures are MB/s of UTF-8 input, by wall clock and by CPU time of this process (the CPU
figure is steadier on a shared machine); ratios compare rates measured in this run.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangjian.settings")


# The labelled lines the text is made of: violations, evasions and tempting lines (the plain listing lines of
# ``plain.tsv`` stay out, so that the text is as dense in hits as when the target was set).
CORPUS_FILES = ("evasive.tsv", "tempting.tsv", "violations.tsv")


def corpus_lines() -> list[str]:
    lines = []
    for path in (ROOT / "bench" / "corpus" / name for name in CORPUS_FILES):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                lines.append(line.split("\t", 2)[2])
    return lines


def build_rules(n: int, chars: list[str], rng: random.Random):
    from wangjian.monitoring.engine import default_libraries
    from wangjian.monitoring.rulefile import Exemption, LibrarySpec, Near, RuleSpec

    libs = default_libraries()
    have = sum(len(lib.rules) for lib in libs)
    cats = [
        "absolute_terms",
        "medical_claim",
        "efficacy_guarantee",
        "counterfeit",
        "mlm",
        "price_fraud",
        "fake_reviews",
        "finance_promise",
        "education_guarantee",
    ]
    rules = []
    for i in range(max(0, n - have)):
        terms = [
            "".join(rng.choice(chars) for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(2, 3))
        ]
        spec = RuleSpec(code=f"GEN-{i:05d}", name=f"生成规则{i}", category=rng.choice(cats), terms=terms)
        if i % 10 == 0:
            spec.exclusions = [Exemption(terms[0] + rng.choice(chars), "生成的豁免")]
            spec.context = [Exemption("re:谨防|警惕", "生成的语境豁免", 8, 0)]
        if i % 20 == 0:
            spec.near = Near(["".join(rng.choice(chars) for _ in range(2)) for _ in range(3)], 10)
        if i % 50 == 0:
            a = rng.choice(chars) + rng.choice(chars)
            spec.regexes = [re.escape(a) + r"\d{2,}"]
            spec.anchors = [a]
        rules.append(spec)
    libs.append(LibrarySpec(name="generated", rules=rules))
    return libs


def build_text(mb: float, lines: list[str], chars: list[str], rng: random.Random) -> str:
    import opencc

    t2s_inverse = opencc.OpenCC("s2t")
    trad = [t2s_inverse.convert(x) for x in lines[: len(lines) // 5]]
    punct = "，。、！？；：　 "
    filler = []
    for _ in range(3000):
        filler.append(
            "".join(
                rng.choice(chars) if rng.random() > 0.08 else rng.choice(punct)
                for _ in range(rng.randint(12, 60))
            )
        )
    pool = lines * 3 + trad + filler * 2
    target = int(mb * 1_000_000)
    out, size = [], 0
    while size < target:
        chunk = rng.sample(pool, 200)
        block = "\n".join(chunk) + "\n"
        out.append(block)
        size += len(block.encode("utf-8"))
    return "".join(out)


def build_quiet_text(mb: float, lines: list[str], chars: list[str], rng: random.Random, share: float) -> str:
    """Text where only ``share`` of the lines come from the labelled corpus, the rest filler: listing
    pages as a sweep meets them, where most text is plain description."""
    punct = "，。、！？；：　 "
    out, size, target = [], 0, int(mb * 1_000_000)
    while size < target:
        if rng.random() < share:
            line = rng.choice(lines)
        else:
            line = "".join(
                rng.choice(chars) if rng.random() > 0.08 else rng.choice(punct)
                for _ in range(rng.randint(12, 60))
            )
        out.append(line + "\n")
        size += len(line.encode("utf-8")) + 1
    return "".join(out)


def pages_of(text: str, page_kb: int) -> list[str]:
    pages, step, i = [], page_kb * 1000 // 3, 0  # ~3 bytes per CJK character
    while i < len(text):
        j = text.find("\n", i + step)
        j = len(text) if j == -1 else j + 1
        pages.append(text[i:j])
        i = j
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=5000)
    parser.add_argument("--mb", type=float, default=100.0)
    parser.add_argument("--re-mb", type=float, default=2.0)
    parser.add_argument("--page-kb", type=int, default=16)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--quiet-share",
        type=float,
        default=0.02,
        help="share of corpus lines in the second text (listing-like pages); 0 skips that row",
    )
    args = parser.parse_args()

    import django

    django.setup()
    import ahocorasick

    from wangjian.core import textnorm
    from wangjian.monitoring.engine import Engine

    rng = random.Random(args.seed)
    lines = corpus_lines()
    chars = sorted({c for line in lines for c in line if textnorm.has_cjk(c)})

    t = time.perf_counter()
    libs = build_rules(args.rules, chars, rng)
    engine = Engine(libs)
    compile_s = time.perf_counter() - t
    from wangjian.monitoring import lexicons

    # The same words for the baselines: lexicon references expanded, a claim's verbs and objects included.
    terms = sorted(
        {
            term
            for lib in libs
            for r in lib.rules
            for term in lexicons.expand(r.terms + (r.claim.verbs + r.claim.objects if r.claim else []))
        }
    )

    t = time.perf_counter()
    text = build_text(args.mb, lines, chars, rng)
    pages = pages_of(text, args.page_kb)
    del text
    total_mb = sum(len(p.encode("utf-8")) for p in pages) / 1e6
    gen_s = time.perf_counter() - t
    print(f"rules: {engine.size} ({len(terms)} distinct terms), engine compiled in {compile_s:.1f} s")
    print(f"text: {total_mb:.1f} MB in {len(pages)} pages of ~{args.page_kb} KB (generated in {gen_s:.1f} s)")

    # bare pyahocorasick over the raw text
    bare = ahocorasick.Automaton()
    for term in terms:
        bare.add_word(term, len(term))
    bare.make_automaton()
    t, c = time.perf_counter(), time.process_time()
    bare_hits = 0
    for p in pages:
        for _ in bare.iter(p):
            bare_hits += 1
    bare_s, bare_cpu = time.perf_counter() - t, time.process_time() - c

    # the literal matcher the engine uses (Hyperscan when installed) over the raw pages, same terms
    from wangjian.monitoring.matcher import LiteralMatcher

    lit = LiteralMatcher()
    for k, term in enumerate(terms):
        lit.add(term, k)
    lit.build()
    t, c = time.perf_counter(), time.process_time()
    lit_hits = sum(len(lit.find(p)) for p in pages)
    lit_s, lit_cpu = time.perf_counter() - t, time.process_time() - c
    lit_label = "bare " + ("hyperscan" if lit.accelerated else "matcher (no hyperscan)") + " (raw text)"

    # the engine, end to end
    t, c = time.perf_counter(), time.process_time()
    hits = suppressed = 0
    for p in pages:
        r = engine.scan(p)
        hits += len(r.hits)
        suppressed += len(r.suppressed)
    engine_s, engine_cpu = time.perf_counter() - t, time.process_time() - c
    engine_rate = total_mb / engine_s

    # the engine with the similarity model's review signals (monitoring.similarity), as sweeps run it
    from wangjian.monitoring import similarity

    model_row = None
    with_model = None
    model = similarity.default_model()
    if model is not None:
        with_model = Engine(libs, similarity=model)
        t, c = time.perf_counter(), time.process_time()
        signals = sum(len(with_model.scan(p).suggestions) for p in pages)
        model_row = (
            "engine + similarity model",
            total_mb,
            time.perf_counter() - t,
            time.process_time() - c,
            f"{signals} review signals",
        )

    # the engine on listing-like pages: the same size, most lines plain description
    quiet_row = quiet_model_row = None
    if args.quiet_share > 0:
        quiet = pages_of(build_quiet_text(args.mb, lines, chars, rng, args.quiet_share), args.page_kb)
        quiet_mb = sum(len(p.encode("utf-8")) for p in quiet) / 1e6
        t, c = time.perf_counter(), time.process_time()
        q_hits = sum(len(engine.scan(p).hits) for p in quiet)
        quiet_row = (
            f"engine, {args.quiet_share:.0%} corpus lines",
            quiet_mb,
            time.perf_counter() - t,
            time.process_time() - c,
            f"{q_hits} hits",
        )
        if with_model is not None:  # as a sweep meets them: listing pages, the model's signals included
            t, c = time.perf_counter(), time.process_time()
            q_signals = sum(len(with_model.scan(p).suggestions) for p in quiet)
            quiet_model_row = (
                f"  + similarity model, {args.quiet_share:.0%}",
                quiet_mb,
                time.perf_counter() - t,
                time.process_time() - c,
                f"{q_signals} review signals",
            )
        del quiet
    del with_model

    # normalisation alone (part of the engine figure), on the same pages
    t, c = time.perf_counter(), time.process_time()
    for p in pages:
        textnorm.normalize(p)
    norm_s, norm_cpu = time.perf_counter() - t, time.process_time() - c

    # Python re alternation on a prefix
    alternation = re.compile("|".join(re.escape(x) for x in sorted(terms, key=len, reverse=True)))
    prefix, size = [], 0
    for p in pages:
        prefix.append(p)
        size += len(p.encode("utf-8"))
        if size >= args.re_mb * 1e6:
            break
    re_mb = size / 1e6
    t, c = time.perf_counter(), time.process_time()
    re_hits = 0
    for p in prefix:
        re_hits += sum(1 for _ in alternation.finditer(p))
    re_s, re_cpu = time.perf_counter() - t, time.process_time() - c
    re_rate = re_mb / re_s

    print(f"{'method':32} {'MB':>6} {'wall s':>8} {'MB/s':>7} {'CPU s':>8} {'MB/s':>7}  matches")
    rows = [
        ("re alternation (raw text)", re_mb, re_s, re_cpu, f"{re_hits}"),
        ("bare pyahocorasick (raw text)", total_mb, bare_s, bare_cpu, f"{bare_hits}"),
        (lit_label, total_mb, lit_s, lit_cpu, f"{lit_hits}"),
        ("engine end to end", total_mb, engine_s, engine_cpu, f"{hits} hits, {suppressed} exempted"),
        ("  of which normalisation", total_mb, norm_s, norm_cpu, ""),
    ]
    if model_row:
        rows.append(model_row)
    if quiet_row:
        rows.append(quiet_row)
    if quiet_model_row:
        rows.append(quiet_model_row)
    for label, mb, wall, cpu, note in rows:
        print(f"{label:32} {mb:6.1f} {wall:8.2f} {mb / wall:7.2f} {cpu:8.2f} {mb / cpu:7.2f}  {note}")
    re_cpu_rate, engine_cpu_rate = re_mb / re_cpu, total_mb / engine_cpu
    print(
        f"engine vs re alternation: {engine_rate / re_rate:.1f}x faster by wall clock, "
        f"{engine_cpu_rate / re_cpu_rate:.1f}x by CPU time (aim >= 10x)"
    )
    print(
        f"engine vs bare scan: {engine_s / bare_s:.2f}x the wall time, {engine_cpu / bare_cpu:.2f}x the CPU time"
        " (aim <= 2x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
