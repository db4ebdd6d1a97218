"""The draw algorithm, in the manner of RFC 3797 (Publicly Verifiable Nominations Committee Random Selection).

Pure functions, no database: ``bench/draw.py``, the re-run and anyone holding the published inputs run
the same code. Algorithm ``wangjian-draw/hmac-sha256``, version 1:

1. The **canonical inputs** are the published JSON (keys sorted, no spaces, UTF-8) — it names the pool's
   SHA-256, the strata and their ratios, the inspectors, the recusals, the algorithm and the future
   source. The **pool listing** is one line per member, ``n<TAB>entity id<TAB>USCC<TAB>stratum<LF>``,
   numbered from 1 in ascending entity id; its SHA-256 is the pool hash.
2. The source's **value** is normalised (NFKC, whitespace runs to one space, trimmed) and the
   **seed** is ``SHA-256(canonical inputs || LF || value)`` (RFC 3797 §4: the key is formed only from
   what was fixed before the value was known, plus the value).
3. **Objects**: per stratum (in key order), each member's key is ``HMAC-SHA256(seed,
   "object|<stratum>|<entity id>")``; members are ranked by key (ties by entity id) and the first
   ``ceil(ratio × n)`` are drawn (a ratio is an exact decimal, so the count has no rounding doubt).
4. **Inspectors**: for each drawn object, the eligible inspectors (the published list less the
   published recusals of that entity) are ranked by ``HMAC-SHA256(seed, "inspector|<entity id>|<user
   id>")``; in a joint inspection the best-ranked inspector of each participating department is taken
   first, so every department is on the one visit; the rest are filled in rank order to ``k``.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

ALGORITHM = "wangjian-draw/hmac-sha256"
VERSION = 1


def canonical_json(data: Any) -> str:
    """The one serialisation that is hashed: sorted keys, no spaces, non-ASCII kept (UTF-8)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text: str | bytes) -> str:
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()


def pool_listing(pool: Iterable[Sequence[Any]]) -> str:
    """``(entity id, USCC, stratum)`` rows as the numbered listing whose SHA-256 is the pool hash."""
    return "".join(f"{n}\t{eid}\t{uscc}\t{stratum}\n" for n, (eid, uscc, stratum) in enumerate(pool, 1))


def parse_pool_listing(text: str) -> list[tuple[int, str, str]]:
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        number, eid, uscc, stratum = line.split("\t")
        if int(number) != n:
            raise ValueError(f"pool listing line {n} is numbered {number}")
        rows.append((int(eid), uscc, stratum))
    return rows


def normalise_value(value: str) -> str:
    """The source's value as hashed: NFKC (full-width digits fold), whitespace runs to one space."""
    return " ".join(unicodedata.normalize("NFKC", value or "").split())


def seed_of(canonical: str, value: str) -> bytes:
    return hashlib.sha256(canonical.encode("utf-8") + b"\n" + normalise_value(value).encode("utf-8")).digest()


def ratio(text: str | int | float) -> Fraction:
    """A ratio as an exact fraction from its decimal text ("0.05"); refused outside 0…1."""
    value = Fraction(str(text))
    if not 0 <= value <= 1:
        raise ValueError(f"ratio {text} is not between 0 and 1")
    return value


def quota(r: Fraction, n: int) -> int:
    """ceil(r × n), exactly."""
    product = r * n
    return -(-product.numerator // product.denominator)


def _key(seed: bytes, message: str) -> bytes:
    return hmac.digest(seed, message.encode("utf-8"), "sha256")


@dataclass(frozen=True)
class Picked:
    entity_id: int
    stratum: str
    rank: int


def draw_objects(seed: bytes, pool: Sequence[tuple[int, str]], ratios: dict[str, Fraction]) -> list[Picked]:
    """Per stratum, the first ``quota(ratio, n)`` members by HMAC key; ``pool`` is (entity id, stratum)."""
    by_stratum: dict[str, list[int]] = {}
    for eid, stratum in pool:
        by_stratum.setdefault(stratum, []).append(eid)
    picked: list[Picked] = []
    for stratum in sorted(by_stratum):
        members = by_stratum[stratum]
        m = quota(ratios.get(stratum, Fraction(0)), len(members))
        if not m:
            continue
        prefix = f"object|{stratum}|"
        keyed = ((_key(seed, f"{prefix}{eid}"), eid) for eid in members)
        for rank, (_k, eid) in enumerate(heapq.nsmallest(m, keyed), 1):
            picked.append(Picked(eid, stratum, rank))
    return picked


@dataclass(frozen=True)
class Inspector:
    user_id: int
    department_id: int | None  # None: a station's officer


def draw_inspectors(
    seed: bytes,
    entity_ids: Iterable[int],
    inspectors: Sequence[Inspector],
    excluded: dict[int, set[int]],
    k: int,
    required_departments: Sequence[int] = (),
) -> dict[int, list[int]]:
    """entity id → its inspectors' user ids in drawn order (see the module's step 4)."""
    out: dict[int, list[int]] = {}
    target = max(k, len(required_departments))
    for eid in entity_ids:
        barred = excluded.get(eid, ())
        ranked = sorted(
            (_key(seed, f"inspector|{eid}|{i.user_id}"), i.user_id, i.department_id)
            for i in inspectors
            if i.user_id not in barred
        )
        chosen: list[int] = []
        for dept in required_departments:
            for _k, uid, udept in ranked:
                if udept == dept and uid not in chosen:
                    chosen.append(uid)
                    break
        for _k, uid, _d in ranked:
            if len(chosen) >= target:
                break
            if uid not in chosen:
                chosen.append(uid)
        out[eid] = chosen
    return out


def shortfalls(
    entity_ids: Iterable[int],
    inspectors: Sequence[Inspector],
    excluded: dict[int, set[int]],
    k: int,
    required_departments: Sequence[int] = (),
) -> list[tuple[int, str]]:
    """Pool members that could not be given ``k`` inspectors (or one of each joint department): (id, why)."""
    problems = []
    total = len(inspectors)
    by_dept: dict[int | None, set[int]] = {}
    for i in inspectors:
        by_dept.setdefault(i.department_id, set()).add(i.user_id)
    everyone = {i.user_id for i in inspectors}
    target = max(k, len(required_departments))
    if total < target:
        return [(eid, f"可抽取的检查人员少于{target}名") for eid in entity_ids]
    missing = [d for d in required_departments if not by_dept.get(d)]
    if missing:
        return [(eid, f"联合检查科室{missing[0]}没有持证检查人员") for eid in entity_ids]
    for eid in entity_ids:
        barred = excluded.get(eid)
        if not barred:
            continue
        if total - len(barred & everyone) < target:
            problems.append((eid, f"可抽取的检查人员少于{target}名"))
            continue
        for dept in required_departments:
            if not by_dept.get(dept, set()) - barred:
                problems.append((eid, f"联合检查科室{dept}没有可抽取的检查人员"))
                break
    return problems
