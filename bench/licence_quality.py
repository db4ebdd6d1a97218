"""Licence display check (亮照核验) on pages nobody here wrote: verdicts against a blind set, with a baseline.

Usage: .venv/bin/python bench/licence_quality.py [--set bench/blind_licence] [--half dev|test|all] [--errors]

The set (``bench/blind_licence``, see its README) was written by an author that never opened the
checker: HTML pages as a server sends them, the bureau's registry (``registry.tsv``) and, per page, the
entity the shop is linked to and the verdict the law's definitions give (``cases.tsv``). Each page is read
as a sweep reads an entry page it did not render: its bytes decoded as the fetcher decodes them (``core.charset``), ``extract`` then ``licence_verdict`` with the registry as
the lookup and the linked entity as ``expected_uscc``; a licence link whose target is one of the set's
pages is followed, as a sweep fetches the page behind a link; the platforms' operators (``platforms.tsv``)
are passed as a sweep passes a platform shop's platform operator.

The pages are split into a development half, which may be read and fixed against, and a test half that
nobody tunes on: one draw ``random.Random(SPLIT_SEED).random() < 0.5`` per page in ``cases.tsv`` order
(``dev`` when true). ``--errors`` lists the development half's errors only.

Reported in the same run:
- accuracy overall and per expected verdict, and the confusion of expected against decided;
- **false accusations**: pages where the checker said ``missing``, ``invalid_code``, ``mismatch`` or
  ``unregistered`` and the set says otherwise — the error an officer must never act on;
- **missing from an unrendered scripted page**: ``missing`` where the set says ``needs_rendering``;
- a baseline: a naive reader (any 18-character code on the page → ``shown_ok`` when registered, else
  ``unregistered``; nothing → ``missing``), as a keyword check without the law's distinctions would do.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangjian.settings")

SPLIT_SEED = 20261212
ACCUSATIONS = {"missing", "invalid_code", "mismatch", "unregistered"}
_NAIVE_CODE = re.compile(r"(?<![0-9A-Za-z])[0-9A-HJ-NPQRTUWXY]{18}(?![0-9A-Za-z])")


def _rows(path: Path, n: int):
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < n:
            raise SystemExit(f"{path}:{lineno}: expected {n} tab-separated fields, got {len(parts)}")
        yield [p.strip() for p in parts]


def load(directory: Path):
    registry = {
        code.upper(): (name, status) for code, name, status, *_ in _rows(directory / "registry.tsv", 3)
    }
    rng = random.Random(SPLIT_SEED)
    cases = [
        (
            file,
            "" if expected in ("", "-") else expected.upper(),
            verdict,
            rest[0] if rest else "",
            "dev" if rng.random() < 0.5 else "test",
        )
        for file, expected, verdict, *rest in _rows(directory / "cases.tsv", 3)
    ]
    platforms = directory / "platforms.tsv"
    operators = [row[0].upper() for row in _rows(platforms, 2)] if platforms.is_file() else []
    return registry, cases, operators


def naive(html: str, registry: dict) -> str:
    text = re.sub(r"<[^>]+>", " ", html)
    codes = _NAIVE_CODE.findall(text.upper())
    if not codes:
        return "missing"
    return "shown_ok" if any(c in registry for c in codes) else "unregistered"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=ROOT / "bench" / "blind_licence")
    parser.add_argument(
        "--half", choices=("dev", "test", "all"), default="test", help="the confusion table's half"
    )
    parser.add_argument(
        "--errors", action="store_true", help="list the development half's pages decided differently"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from verdict_table import print_confusion

    from wangjian.core.charset import decode_body
    from wangjian.monitoring.extract import extract
    from wangjian.monitoring.licence import licence_links, licence_verdict

    registry, cases, operators = load(args.set)
    pages = args.set / "pages"
    decided, base = [], []
    for file, expected_uscc, want, note, half in cases:
        html = decode_body((pages / file.removeprefix("pages/")).read_bytes())[0]
        page = extract(html, base_url=f"https://shop.example/{file}")
        linked = []
        for href in licence_links(page)[:3]:
            target = pages / href.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
            if target.is_file() and target.name != file.removeprefix("pages/"):
                linked.append(
                    extract(
                        target.read_text(encoding="utf-8"), base_url=f"https://shop.example/{target.name}"
                    )
                )
        check = licence_verdict(
            page=page,
            lookup=lambda code: registry.get(code.upper()),
            expected_uscc=expected_uscc,
            linked_pages=linked,
            rendered=False,
            platform_usccs=operators,
        )
        decided.append((file, want, check.verdict, check.reason, note, half))
        base.append((file, want, naive(html, registry), half))

    def summary(label: str, rows: list[tuple]) -> None:
        right = sum(r[1] == r[2] for r in rows)
        accused = sum(r[2] in ACCUSATIONS and r[2] != r[1] for r in rows)
        unrendered = sum(r[1] == "needs_rendering" and r[2] == "missing" for r in rows)
        print(
            f"{label:10} right {right}/{len(rows)} = {right / len(rows):.3f}; false accusations {accused}; "
            f"'missing' from an unrendered scripted page {unrendered}"
        )

    print(
        f"set: {args.set.relative_to(ROOT) if args.set.is_relative_to(ROOT) else args.set} — {len(cases)} pages, "
        f"{len(registry)} registered entities"
    )
    for half in ("dev", "test", "all"):
        rows = [r for r in decided if half in ("all", r[-1])]
        if not rows:
            continue
        print(f"-- {half}: {len(rows)} pages")
        summary("checker", rows)
        summary("naive", [r for r in base if half in ("all", r[-1])])
    print_confusion([(r[1], r[2]) for r in decided if args.half in ("all", r[-1])], args.half, width=13)
    if args.errors:
        print()
        for file, want, got, reason, note, half in decided:
            if want != got and half == "dev":
                print(f"{file}: expected {want}, decided {got} — {reason} [{note}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
