"""Permit display check (亮证核验) on pages nobody here wrote: verdicts against a blind set, with a baseline.

Usage: .venv/bin/python bench/permit_quality.py [--set bench/blind_permits] [--half dev|test|all] [--errors]

The set (``bench/blind_permits``, see its README) was written by an author that never opened the
checker: HTML pages as a server sends them, the bureau's imported permit data (``permits.tsv``) and, per page
and obligation (food, drug, drug information, device, platform filing), the verdict the rules give
(``cases.tsv``). Each page is read as a sweep reads an entry page it did not render: its bytes decoded as the
fetcher decodes them, ``extract``, then ``permits.permit_verdicts`` with the permit data as the lookup, the
seller's code as ``expected_uscc`` and the set's checking date; a certificates link whose target is one of the
set's pages is followed, as a sweep fetches the page behind it. A page with no obligation (row ``none``) is
right when the checker demands nothing of it (no permit verdict that accuses).

The pages are split into a development half, which may be read and fixed against, and a test half that
nobody tunes on: one draw ``random.Random(SPLIT_SEED).random() < 0.5`` per page in ``cases.tsv`` order
(``dev`` when true). ``--errors`` lists the development half's errors only.

Reported in the same run: right verdicts per half and per expected verdict; **false accusations** (a verdict
that would become a clue — ``not_shown``, ``invalid_format``, ``not_in_data``, ``lapsed``,
``holder_mismatch`` — where the set says otherwise); and a baseline, a naive reader that calls a permit shown
and good when its name (食品经营许可证, 药品经营许可证 …) appears on the page and not shown otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangjian.settings")

SPLIT_SEED = 20261213
TODAY = dt.date(2026, 12, 1)  # the set's checking date (its README)
ACCUSATIONS = {"not_shown", "invalid_format", "not_in_data", "lapsed", "holder_mismatch"}
NAIVE_WORDS = {
    "food_permit": ("食品经营许可证", "预包装食品", "JY"),
    "drug_permit": ("药品经营许可证",),
    "drug_info": ("互联网药品信息服务资格证书",),
    "device_permit": ("医疗器械经营许可证", "医疗器械经营备案", "械经营"),
    "platform_filing": ("网络食品交易第三方平台备案", "网食备"),
}


def _rows(path: Path, n: int):
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) < n:
            raise SystemExit(f"{path}:{lineno}: expected {n} tab-separated fields, got {len(parts)}")
        yield parts


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text and text != "-" else None


def load(directory: Path):
    from wangjian.registry.permits import PermitFacts

    facts = [
        PermitFacts(
            kind=kind,
            number=number,
            holder_name=name if name != "-" else "",
            holder_uscc=code if code != "-" else "",
            valid_from=_date(start),
            valid_to=_date(end),
            status=status or "valid",
        )
        for kind, number, name, code, start, end, status, *_ in _rows(directory / "permits.tsv", 7)
    ]
    pages: dict[str, list[tuple[str, str, str, str]]] = {}
    for file, obligation, verdict, expected, *rest in _rows(directory / "cases.tsv", 4):
        pages.setdefault(file, []).append(
            (obligation, verdict, "" if expected in ("", "-") else expected.upper(), rest[0] if rest else "")
        )
    rng = random.Random(SPLIT_SEED)
    halves = {file: "dev" if rng.random() < 0.5 else "test" for file in pages}
    return facts, pages, halves


def naive(text: str, obligation: str) -> str:
    return "permit_ok" if any(w in text for w in NAIVE_WORDS.get(obligation, ())) else "not_shown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=ROOT / "bench" / "blind_permits")
    parser.add_argument(
        "--half", choices=("dev", "test", "all"), default="test", help="the confusion table's half"
    )
    parser.add_argument("--errors", action="store_true", help="list the development half's errors")
    args = parser.parse_args()

    import django

    django.setup()
    from verdict_table import print_confusion

    from wangjian.core.charset import decode_body
    from wangjian.monitoring.extract import extract
    from wangjian.monitoring.permit_shown import permit_links
    from wangjian.monitoring.permits import permit_verdicts
    from wangjian.registry.permits import MemoryPermitLookup

    facts, pages, halves = load(args.set)
    lookup = MemoryPermitLookup(facts)
    folder = args.set / "pages"

    def read(name: str):
        path = folder / name.removeprefix("pages/")
        return decode_body(path.read_bytes())[0]

    rows = []  # (file, obligation, expected, decided, naive, reason, note, half)
    for file, wanted in pages.items():
        html = read(file)
        page = extract(html, base_url=f"https://shop.example/{file.removeprefix('pages/')}")
        linked = []
        for href in permit_links(page)[:3]:
            target = folder / href.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
            if target.is_file() and target.name != file.removeprefix("pages/"):
                linked.append(extract(read(target.name), base_url=f"https://shop.example/{target.name}"))
        expected_uscc = next((e for _, _, e, _ in wanted if e), "")
        checks = {
            c.kind: c
            for c in permit_verdicts(
                page=page,
                lookup=lookup,
                today=TODAY,
                expected_uscc=expected_uscc,
                linked_pages=linked,
                rendered=False,
            )
        }
        for obligation, verdict, _, note in wanted:
            if obligation == "none":
                accused = [c for c in checks.values() if c.verdict in ACCUSATIONS]
                got = f"{accused[0].kind}:{accused[0].verdict}" if accused else "none"
                reason = accused[0].reason if accused else ""
                base = "none"
            else:
                check = checks.get(obligation)
                got = check.verdict if check else "(no check)"
                reason = check.reason if check else "the checker raised no such obligation"
                base = naive(html, obligation)
            rows.append((file, obligation, verdict, got, base, reason, note, halves[file]))

    def summary(label: str, picked: list[tuple], col: int) -> None:
        right = sum(r[2] == r[col] for r in picked)
        accused = sum((r[col] in ACCUSATIONS or ":" in r[col]) and r[col] != r[2] for r in picked)
        print(
            f"{label:10} right {right}/{len(picked)} = {right / len(picked):.3f}; false accusations {accused}"
        )

    print(
        f"set: {args.set.name} — {len(pages)} pages, {len(rows)} obligations, {len(facts)} permits in the data"
    )
    for half in ("dev", "test", "all"):
        picked = [r for r in rows if half in ("all", r[-1])]
        if not picked:
            continue
        print(f"-- {half}: {len(picked)} obligations")
        summary("checker", picked, 3)
        summary("naive", picked, 4)
    print_confusion([(r[2], r[3]) for r in rows if args.half in ("all", r[-1])], args.half)
    if args.errors:
        print()
        for file, obligation, want, got, _, reason, note, half in rows:
            if want != got and half == "dev":
                print(f"{file} {obligation}: expected {want}, decided {got} — {reason} [{note}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
