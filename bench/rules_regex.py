"""Regex rules at scale: Python ``re`` against Hyperscan and the engine's anchored approach.

The rule engine compiles terms into one Aho–Corasick automaton and tries a rule's
regular expressions only within a short window around the rule's literal anchors
(``monitoring/engine.py``, ``REGEX_REACH``). This measures whether that stays fast as
regex rules grow, against Hyperscan (one multi-regex database) and two plain ``re``
baselines, on the same generated Chinese text.

    .venv/bin/python bench/rules_regex.py [--mb 20] [--rules 50,500]

Hyperscan comes from ``make bench-deps`` (PyPI ``hyperscan``); without it that row is skipped.
"""

from __future__ import annotations

import argparse
import random
import re
import time

import ahocorasick

FILLER = (
    "本店商品支持七天无理由退货，质量可靠，欢迎选购。产地直发，新鲜采摘，顺丰包邮。"
    "客服在线时间为每天九点至二十一点，节假日正常发货。规格参数请以实物为准。"
)
ANCHORS = ["保本", "收益", "年化", "稳赚", "保过", "退费", "原价", "倒计时", "返现", "高仿", "复刻", "名额"]


def make_rules(n: int, rng: random.Random) -> list[tuple[str, str]]:
    """(anchor, regex) pairs shaped like the finance, price and education promises of the libraries."""
    shapes = [
        "{a}.{{0,6}}保息",
        "{a}.{{0,8}}\\d{{1,2}}(?:\\.\\d+)?%",
        "{a}[^，。]{{0,10}}(?:不过|未通过)[^，。]{{0,4}}全额",
        "{a}.{{0,4}}\\d{{2,5}}元.{{0,6}}(?:现价|仅需)",
        "{a}[^。]{{0,12}}(?:最后|仅剩)\\d+",
    ]
    rules = []
    for i in range(n):
        anchor = ANCHORS[i % len(ANCHORS)] + ("" if i < len(ANCHORS) else chr(0x4E00 + rng.randrange(20000)))
        rules.append((anchor, shapes[i % len(shapes)].format(a=re.escape(anchor))))
    return rules


def make_text(mb: float, rules: list[tuple[str, str]], rng: random.Random) -> str:
    parts, size, target = [], 0, int(mb * 1024 * 1024)
    samples = [f"{a}理财，承诺保息" for a, _ in rules[:50]] + [
        "年化收益12.5%",
        "保过班不过全额退费",
        "原价999元现价99",
    ]
    while size < target:
        chunk = FILLER if rng.random() > 0.05 else FILLER + rng.choice(samples)
        parts.append(chunk)
        size += len(chunk.encode())
    return "".join(parts)


def timed(fn) -> tuple[float, int]:
    t0 = time.process_time()
    n = fn()
    return time.process_time() - t0, n


def bench(rules: list[tuple[str, str]], text: str, reach: int = 60) -> list[tuple[str, float, int]]:
    mb = len(text.encode()) / 1024 / 1024
    compiled = [re.compile(rx) for _, rx in rules]
    rows = []

    def each_re():
        return sum(1 for rx in compiled for _ in rx.finditer(text))

    def alternation():
        big = re.compile("|".join(f"(?:{rx})" for _, rx in rules))
        return sum(1 for _ in big.finditer(text))

    def anchored():
        auto = ahocorasick.Automaton()
        by_anchor: dict[str, list[int]] = {}
        for i, (a, _) in enumerate(rules):
            by_anchor.setdefault(a, []).append(i)
        for a, ids in by_anchor.items():
            auto.add_word(a, ids)
        auto.make_automaton()
        n = 0
        for end, ids in auto.iter(text):
            w0, w1 = max(0, end - reach), min(len(text), end + reach)
            for i in ids:
                n += sum(1 for _ in compiled[i].finditer(text, w0, w1))
        return n

    for name, fn in (("re, one pattern at a time", each_re), ("re, one alternation", alternation)):
        if len(rules) > 500 and name.startswith("re, one pattern"):
            sample = text[: len(text) // 20]
            secs, n = timed(lambda s=sample: sum(1 for rx in compiled for _ in rx.finditer(s)))
            rows.append((name + " (5% sample)", mb / 20 / secs if secs else 0.0, n))
            continue
        secs, n = timed(fn)
        rows.append((name, mb / secs if secs else 0.0, n))
    secs, n = timed(anchored)
    rows.append(("anchored (engine's approach)", mb / secs if secs else 0.0, n))
    try:
        import hyperscan
    except ImportError:
        rows.append(("hyperscan (not installed)", 0.0, 0))
        return rows
    db = hyperscan.Database()
    t0 = time.process_time()
    db.compile(
        expressions=[rx.encode() for _, rx in rules],
        ids=list(range(len(rules))),
        elements=len(rules),
        flags=[hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP | hyperscan.HS_FLAG_SOM_LEFTMOST] * len(rules),
    )
    compile_secs = time.process_time() - t0
    data = text.encode()
    count = [0]

    def on_match(id_, start, end, flags, context):
        count[0] += 1

    secs, _ = timed(lambda: db.scan(data, match_event_handler=on_match))
    rows.append((f"hyperscan (compile {compile_secs:.2f} s)", mb / secs if secs else 0.0, count[0]))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=20)
    ap.add_argument("--rules", default="50,500")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    for n in (int(x) for x in args.rules.split(",")):
        rules = make_rules(n, rng)
        text = make_text(args.mb, rules, rng)
        rows = bench(rules, text)
        base = next(r[1] for r in rows if r[0].startswith("re, one alternation"))
        print(f"\n{n} regex rules over {len(text.encode()) / 1024 / 1024:.1f} MB (CPU-time MB/s)")
        for name, speed, hits in rows:
            ratio = f"{speed / base:7.1f}x" if base and speed else "      —"
            print(f"  {name:38s} {speed:9.2f} MB/s {ratio} vs alternation   matches {hits}")


if __name__ == "__main__":
    main()
