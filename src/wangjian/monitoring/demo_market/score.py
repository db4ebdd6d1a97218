"""How a sweep of the demo market did against its ground truth (licence and permit verdicts, listing categories).

Used by ``wangjian monitor market --score`` and by whoever tunes the rule libraries: a
category's recall says which evasions get through, its precision which lawful wording
(最佳赏味期, 一级能效, 第一次 …) is still flagged.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable

from wangjian.monitoring.demo_market.market import Market


def score_listings(market: Market, found: dict[str, set[str]]) -> dict[str, dict]:
    """Per category: true/false positives, misses, precision and recall; ``found`` maps listing id → categories."""
    table: dict[str, dict] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0, "missed": [], "false": []})
    for item in market.listings:
        truth, got = set(item.categories), found.get(item.listing_id, set())
        for c in truth & got:
            table[c]["tp"] += 1
        for c in got - truth:
            table[c]["fp"] += 1
            table[c]["false"].append(item.listing_id)
        for c in truth - got:
            table[c]["fn"] += 1
            table[c]["missed"].append(f"{item.listing_id} {item.phrases[0]} ({item.evasion or item.where})")
    for row in table.values():
        row["precision"] = row["tp"] / (row["tp"] + row["fp"]) if row["tp"] + row["fp"] else 1.0
        row["recall"] = row["tp"] / (row["tp"] + row["fn"]) if row["tp"] + row["fn"] else 1.0
    return dict(sorted(table.items()))


def score_permits(market: Market, decided: dict[str, dict[str, str]]) -> dict:
    """How many reachable shops got exactly the permit verdicts of the truth (亮证: every kind, none extra)."""
    shops = [s for s in market.shops if s.http_status == 200]
    wrong = [
        f"{s.shop_id}: {decided.get(s.shop_id, {})} ≠ {s.permits}"
        for s in shops
        if decided.get(s.shop_id, {}) != s.permits
    ]
    return {"total": len(shops), "correct": len(shops) - len(wrong), "wrong": wrong}


def score_licences(market: Market, decided: dict[str, str]) -> dict:
    """How many reachable shops got the licence verdict of the truth, and which did not."""
    shops = [s for s in market.shops if s.licence_verdict]
    wrong = [
        f"{s.shop_id}: {decided.get(s.shop_id, '-')} ≠ {s.licence_verdict}"
        for s in shops
        if decided.get(s.shop_id) != s.licence_verdict
    ]
    return {"total": len(shops), "correct": len(shops) - len(wrong), "wrong": wrong}


async def sweep_market(
    base_url: str, market: Market, *, engine, render: str = "auto", permits: dict | None = None
) -> tuple[dict, dict]:
    """Crawl every shop of the served market (depth 1); licence verdicts by shop, categories by listing.

    ``permits``, when given, receives the permit verdicts by shop (check kind → verdict), decided
    against the market's own permit data.
    """
    import datetime as dt

    from wangjian.monitoring.fetching import Fetcher
    from wangjian.monitoring.licence import presence_check
    from wangjian.monitoring.permits import permit_entry_checks

    by_path = {item.path: item.listing_id for item in market.listings}
    verdicts: dict[str, str] = {}
    found: dict[str, set[str]] = {}
    base = base_url.rstrip("/")
    async with Fetcher(delay=0, per_host=8, retries=0, render=render) as fetcher:
        today = dt.date.today()
        checks = permit_entry_checks(fetcher=fetcher, lookup=market.permit_lookup(today), today=today)

        async def one(shop):
            records = await presence_check(
                url=base + shop.path,
                lookup=market.lookup,
                fetcher=fetcher,
                engine=engine,
                depth=1,
                entry_checks=checks,
            )
            for r in records:
                if r.get("licence"):
                    verdicts[shop.shop_id] = r["licence"]["verdict"]
                if "permits" in r and permits is not None:
                    permits[shop.shop_id] = {p["kind"]: p["verdict"] for p in r["permits"]}
                lid = by_path.get(r["url"][len(base) :])
                if lid is not None:
                    found[lid] = {h["category"] for h in r["hits"]}

        await asyncio.gather(*(one(s) for s in market.shops))
    return verdicts, found


def report(
    market: Market, verdicts: dict, found: dict, write: Callable[[str], None], permits: dict | None = None
) -> None:
    lic = score_licences(market, verdicts)
    write(f"亮照核验 / licence verdicts: {lic['correct']}/{lic['total']} 与真值一致 / match the truth")
    for line in lic["wrong"]:
        write(f"  ✗ {line}")
    if permits is not None:
        per = score_permits(market, permits)
        write(
            f"亮证核验 / permit verdicts: {per['correct']}/{per['total']} 家与真值一致 / shops match the truth"
        )
        for line in per["wrong"]:
            write(f"  ✗ {line}")
    write(f"{'category':<24}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}")
    for category, row in score_listings(market, found).items():
        write(
            f"{category:<24}{row['tp']:>5}{row['fp']:>5}{row['fn']:>5}{row['precision']:>11.2f}{row['recall']:>8.2f}"
        )
        for miss in row["missed"][:5]:
            write(f"    漏报 / missed: {miss}")
        for fp in row["false"][:5]:
            write(f"    误报 / false alarm: {fp}")
