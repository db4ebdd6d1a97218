"""Seller → entity linkage by the Fellegi–Sunter model, with weights learned from the bureau's own data.

Each field of a (seller, entity) pair is compared into a *level* — the code is the same, one
character off with a repairable check character, or different; the names are the same, the same
after removing region, legal form, branch suffix and traditional forms, similar, or different; and so
on. For each level the model holds two probabilities: *m*, how often a true pair shows it, and *u*,
how often two unrelated records show it. A pair's match weight is the sum of ``log2(m/u)`` over its
fields (a missing value adds nothing), and the weight with the prior gives a match probability.

Nothing here is set by hand for one data set (the hand-set scores of ``matching`` fitted one
generator's mix and did not transfer). The estimates come from the bureau's own data, without labels:

- *u* from random pairs: almost every random seller–entity pair is unrelated, so the share of each
  level among them is its u (as splink does);
- *m* and the prior by expectation–maximisation over the blocked candidate pairs, u held fixed; the
  officers' review decisions enter as pairs whose answer is known;
- term frequency: two names agreeing on a 字号 that a hundred entities share (鑫源) say less than
  agreeing on one that only this entity has — the agreement's u is replaced by the value's frequency.

A seller links to at most one entity: with each candidate's odds ``o = p/(1-p)``, the chance that
candidate *i* is the one is ``o_i / (1 + Σ o_j)`` (the 1 is "none of them"), so two equally good
homonyms share the probability instead of each looking certain. Decisions follow from that
probability and thresholds chosen by target precision (``thresholds``); the reasons an officer reads
are the fields that weighed most, for and against, in words.

Identity is kept apart from legal status: the model decides *which* entity a seller is; whether that
entity is 注销, 吊销 or 迁出 is a separate fact, read by ``registry.services.unlicensed``.

Pure functions, no database.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import Levenshtein

from wangjian.core import regions
from wangjian.registry import matching
from wangjian.registry import uscc as uscc_mod

# ---------------------------------------------------------------------------------------------
# Fields and their levels (the first level is the strongest agreement, the last "different")


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    levels: tuple[str, ...]  # level keys
    words: tuple[str, ...]  # each level in an officer's words


FIELDS: tuple[Field, ...] = (
    Field(
        "code",
        "统一社会信用代码",
        ("exact", "one_off", "other_valid", "different"),
        ("代码一致", "代码一位之差（校验位可修正）", "报送了另一个有效代码", "代码不同且无法修正为该主体"),
    ),
    # The claimed name and the shop name are one field: both say what the business is called, and
    # counting them apart would count the same evidence twice. The best agreement of the two is taken.
    Field(
        "name",
        "名称/店铺名称",
        ("exact", "core", "shop_core", "close", "shop_within", "similar", "different"),
        (
            "名称一致",
            "去地域、组织形式、分支后缀或繁体后一致",
            "店铺名称与字号一致",
            "名称高度相近（一两字之差）",
            "店铺名称含字号",
            "名称相近",
            "名称不同",
        ),
    ),
    Field(
        "address",
        "地址",
        ("same", "close", "weak", "different"),
        ("地址一致", "地址相近", "地址部分相同", "地址不同"),
    ),
    Field(
        "phone",
        "电话",
        ("exact", "masked", "different"),
        ("电话一致", "电话与登记库遮蔽号码的可见位一致", "电话不同"),
    ),
    Field(
        "region",
        "区划",
        ("county", "city", "different"),
        ("地址所在县区一致", "地址所在地市一致", "地址所在地区不同"),
    ),
)
FIELD_INDEX = {f.name: i for i, f in enumerate(FIELDS)}
TF_LEVELS = {"exact", "core", "shop_core"}  # name levels whose weight follows the 字号's frequency

Levels = tuple[int | None, ...]  # one level index per field; None: a value is missing

# ---------------------------------------------------------------------------------------------
# Records as the comparisons read them


def _grams(s: str) -> frozenset[str]:
    if not s:
        return frozenset()
    return frozenset(s[i : i + 2] for i in range(len(s) - 1)) if len(s) > 1 else frozenset((s,))


_MASK = re.compile(r"[*＊xX×]+")


def phone_parts(phone: object) -> tuple[str, str, str]:
    """(digits, visible head, visible tail): a masked registry phone such as 138****1234 keeps its
    visible digits apart; a full number has them all in ``digits``."""
    if not phone:
        return "", "", ""
    s = str(phone)
    if s.isascii() and s.isdigit() and not s.startswith("86") and not s.startswith("0086"):
        return s[:20], "", ""  # the common case, as ``matching.phone_key`` would give it
    s = unicodedata.normalize("NFKC", s)
    if "*" not in s and "x" not in s and "X" not in s and "×" not in s:
        return matching.phone_key(s), "", ""
    m = _MASK.search(s)
    if m and re.search(r"\d", s[: m.start()]) and re.search(r"\d", s[m.end() :]):
        head = re.sub(r"\D", "", s[: m.start()])
        tail = re.sub(r"\D", "", s[m.end() :])
        if head.startswith("86") and len(head) > 3:
            head = head[2:]
        return "", head, tail
    return matching.phone_key(s), "", ""


@dataclass(slots=True)
class EntityRec:
    id: int
    uscc: str
    name: str
    key: str
    core: str
    phone: str  # full digits, or "" when masked or absent
    phone_head: str
    phone_tail: str
    address: str
    region: str
    status: str = ""
    _address_key: str | None = None
    _address_grams: frozenset[str] | None = None

    @property
    def address_key(self) -> str:
        if self._address_key is None:
            self._address_key = matching.address_key(self.address)
        return self._address_key

    @property
    def address_grams(self) -> frozenset[str]:
        if self._address_grams is None:
            self._address_grams = _grams(self.address_key)
        return self._address_grams


def entity_rec(
    id: int,
    uscc: str,
    name: str,
    phone: str = "",
    address: str = "",
    region: str = "",
    status: str = "",
    *,
    key: str | None = None,
    core: str | None = None,
) -> EntityRec:
    """``key`` and ``core``: the stored normalised name (``MarketEntity.name_key``/``name_core``), if known."""
    if key is None or core is None:
        parts = matching.name_parts(name)
        key, core = parts.key, parts.core
    digits, head, tail = phone_parts(phone)
    return EntityRec(
        id, uscc_mod.normalize(uscc), name, key, core, digits, head, tail, address, region, status
    )


@dataclass(slots=True)
class SellerRec:
    seller_id: str
    name: matching.NameParts | None
    shop: str
    code: str
    code_valid: bool
    repairs: frozenset[str]
    phone: str
    address: str
    region: str
    accepted: set[int] = field(default_factory=set)
    rejected: set[int] = field(default_factory=set)
    _address_key: str | None = None
    _pairs: list[tuple[int, Levels, float]] | None = None  # compared once per index: estimation and linking
    _pairs_of: object = None
    _address_grams: frozenset[str] | None = None

    @property
    def address_key(self) -> str:
        if self._address_key is None:
            self._address_key = matching.address_key(self.address) if self.address else ""
        return self._address_key

    @property
    def address_grams(self) -> frozenset[str]:
        if self._address_grams is None:
            self._address_grams = _grams(self.address_key)
        return self._address_grams


def seller_rec(seller: matching.Seller) -> SellerRec:
    code, problem = uscc_mod.validate(seller.claimed_uscc) if seller.claimed_uscc else ("", None)
    repairs: frozenset[str] = frozenset()
    if code and problem is not None and len(code) == 18:
        repairs = frozenset(c for c, _ in uscc_mod.one_off_repairs(code))
    return SellerRec(
        seller_id=seller.seller_id,
        name=matching.name_parts(seller.claimed_name) if seller.claimed_name else None,
        shop=matching.shop_key(seller.shop_name) if seller.shop_name else "",
        code=code,
        code_valid=bool(code) and problem is None,
        repairs=repairs,
        phone=matching.phone_key(seller.phone),
        address=seller.address or "",
        region=(regions.region_from_address(seller.address) or "") if seller.address else "",
        accepted=set(seller.accepted),
        rejected=set(seller.rejected),
    )


# ---------------------------------------------------------------------------------------------
# Comparing a pair


def _region_level(a: str, b: str) -> int | None:
    if not a or not b:
        return None
    if a[:6] == b[:6]:
        return 0
    if a[:4] == b[:4]:
        return 1
    return 2


def _name_level(s: SellerRec, e: EntityRec) -> int | None:
    best: int | None = None
    if s.name is not None and s.name.key:
        if s.name.key == e.key:
            return 0
        if s.name.core and s.name.core == e.core:
            return 1
        sim = Levenshtein.normalized_similarity(s.name.core, e.core)
        best = 3 if sim >= 0.75 else 5 if sim >= 0.5 else 6
    if s.shop and e.core:
        if s.shop == e.core:
            return 2
        if len(s.shop) >= 2 and (s.shop in e.core or e.core in s.shop or e.core[:2] == s.shop[:2]):
            shop = 4
        else:
            sim = Levenshtein.normalized_similarity(s.shop, e.core)
            shop = 3 if sim >= 0.75 else 5 if sim >= 0.5 else 6
        best = shop if best is None else min(best, shop)
    return best


def compare(s: SellerRec, e: EntityRec) -> Levels:
    # code
    if not s.code:
        code = None
    elif s.code == e.uscc:
        code = 0
    elif e.uscc in s.repairs:
        code = 1
    else:
        code = 2 if s.code_valid else 3
    # address
    if not s.address or not e.address:
        address = None
    else:
        x, y = s.address_grams, e.address_grams
        a = (len(x & y) / len(x | y)) if x and y else 0.0  # matching.similarity, with the 2-grams kept
        address = 0 if a >= 0.95 else 1 if a >= 0.5 else 2 if a >= 0.2 else 3
    # phone
    if not s.phone or not (e.phone or e.phone_tail):
        phone = None
    elif e.phone:
        phone = 0 if s.phone == e.phone else 2
    else:
        phone = 1 if s.phone.startswith(e.phone_head) and s.phone.endswith(e.phone_tail) else 2
    return (code, _name_level(s, e), address, phone, _region_level(s.region, e.region))


def reasons_of(levels: Levels, weights: Sequence[float | None]) -> list[str]:
    """The fields that weighed, strongest first, in an officer's words (for first, then against)."""
    items = [
        (w, FIELDS[i].words[lv])
        for i, (lv, w) in enumerate(zip(levels, weights, strict=True))
        if lv is not None and w is not None and abs(w) >= 0.5
    ]
    pro = [text for w, text in sorted(items, key=lambda x: -x[0]) if w > 0]
    con = [text for w, text in sorted(items, key=lambda x: x[0]) if w < 0]
    return pro + con


# ---------------------------------------------------------------------------------------------
# The index (blocking): which entities are worth comparing with a seller


class LinkIndex:
    """Blocking keys over the registry: code, name, 字号 prefixes, phone (masked too), and the 2-grams
    of name cores for names with a mistyped character and no code."""

    MAX_BLOCK = (
        200  # a larger block (a common 字号) is narrowed to the seller's county, if the seller has one
    )
    MAX_HEAD_BLOCK = 50  # entities whose core begins with a shop name's first two characters

    def _take_block(self, ids: Sequence[int], s: SellerRec, take) -> None:
        if len(ids) <= self.MAX_BLOCK:
            take(ids)
        elif s.region:
            county = s.region[:6]
            take((eid for eid in ids if self.by_id[eid].region[:6] == county), self.MAX_BLOCK)

    def __init__(self, rows: Iterable[EntityRec]):
        self.by_id: dict[int, EntityRec] = {}
        self.by_uscc: dict[str, int] = {}
        self.by_key: dict[str, list[int]] = defaultdict(list)
        self.by_core: dict[str, list[int]] = defaultdict(list)
        self.by_head: dict[str, list[int]] = defaultdict(list)  # the first 2 characters of the core
        self.by_phone: dict[str, list[int]] = defaultdict(list)
        self.by_masked: dict[tuple[str, str], list[int]] = defaultdict(list)
        self._grams: dict[str, array] | None = None  # built when a seller first needs it
        self.core_counts: Counter[str] = Counter()
        for e in rows:
            self.by_id[e.id] = e
            if e.uscc:
                self.by_uscc[e.uscc] = e.id
            self.by_key[e.key].append(e.id)
            if e.core:
                self.by_core[e.core].append(e.id)
                self.core_counts[e.core] += 1
                if len(e.core) >= 2:
                    self.by_head[e.core[:2]].append(e.id)
            if e.phone and len(e.phone) >= 7:
                self.by_phone[e.phone].append(e.id)
            elif e.phone_tail:
                self.by_masked[(e.phone_head[:3], e.phone_tail[-4:])].append(e.id)
        self.total = max(1, len(self.by_id))
        # the number of entities sharing an entity's core, averaged over entities
        self.mean_core_count = (
            sum(c * c for c in self.core_counts.values()) / max(sum(self.core_counts.values()), 1)
        ) or 1.0

    def __len__(self) -> int:
        return len(self.by_id)

    def core_frequency(self, core: str) -> float:
        return self.core_counts.get(core, 0) / self.total

    def candidates(self, s: SellerRec, limit: int = 50) -> list[int]:
        found: dict[int, None] = {}

        def take(ids: Iterable[int], cap: int | None = None) -> None:
            for n, eid in enumerate(ids):
                if cap is not None and n >= cap:
                    break
                found.setdefault(eid, None)

        if s.code:
            eid = self.by_uscc.get(s.code)
            if eid is not None:
                found[eid] = None
            for c in s.repairs:
                eid = self.by_uscc.get(c)
                if eid is not None:
                    found[eid] = None
        if s.phone:
            take(self.by_phone.get(s.phone, ()))
            if len(s.phone) == 11:
                take(self.by_masked.get((s.phone[:3], s.phone[-4:]), ()), self.MAX_BLOCK)
        if s.name is not None:
            take(self.by_key.get(s.name.key, ()), self.MAX_BLOCK)
            self._take_block(self.by_core.get(s.name.core, ()), s, take)
        if s.shop:
            self._take_block(self.by_core.get(s.shop, ()), s, take)
            if s.name is None and len(s.shop) >= 2:  # a shop name alone: its 字号 may begin an entity's core
                head = self.by_head.get(s.shop[:2], ())
                if len(head) <= self.MAX_HEAD_BLOCK:
                    take(head)
        if not found:
            core = s.name.core if s.name is not None else s.shop
            take(self._near_cores(core))
        ids = [eid for eid in found if eid not in s.rejected]
        ids.extend(eid for eid in s.accepted if eid in self.by_id and eid not in found)
        return ids[: max(limit, len(s.accepted))]

    @property
    def grams(self) -> dict[str, array]:
        """The entities by each 2-gram of their core, built when a seller first needs it."""
        if self._grams is None:
            grams: dict[str, array] = {}
            for core, ids in self.by_core.items():
                for g in {core[i : i + 2] for i in range(len(core) - 1)}:
                    posting = grams.get(g)
                    if posting is None:
                        posting = grams[g] = array("i")
                    posting.extend(ids)
            self._grams = grams
        return self._grams

    def _near_cores(self, core: str, keep: int = 20) -> list[int]:
        """Entities whose core shares most of the 2-grams of ``core`` (one mistyped character breaks two)."""
        if not core or len(core) < 3:
            return []
        index = self.grams
        grams = sorted({core[i : i + 2] for i in range(len(core) - 1)}, key=lambda g: len(index.get(g, ())))
        need = max(1, len(grams) - 2)
        counts: Counter[int] = Counter()
        for g in grams[:4]:
            posting = index.get(g)
            if posting is not None and len(posting) <= 5 * self.MAX_BLOCK:
                counts.update(posting)
        return [eid for eid, n in counts.most_common(keep) if n >= min(need, 2)]


# ---------------------------------------------------------------------------------------------
# The model


PRIOR_FLOOR = 1e-6
_SMOOTH = 0.5  # added to each level's count when estimating u (a level random pairs never show)


@dataclass
class Model:
    """m and u per field and level, the prior, and where they came from."""

    m: list[list[float]]
    u: list[list[float]]
    prior: float  # share of blocked candidate pairs that are the same entity
    iterations: int = 0
    converged: bool = False
    pairs: int = 0
    labelled: int = 0
    random_pairs: int = 0

    @classmethod
    def starting(cls) -> Model:
        """A neutral start for EM: agreement likelier among true pairs, disagreement among others."""
        m, u = [], []
        for f in FIELDS:
            k = len(f.levels)
            middle = [0.35 / (k - 2)] * (k - 2) if k > 2 else []
            m.append([0.6 if k > 2 else 0.95, *middle, 0.05])
            u.append([0.1 / (k - 1)] * (k - 1) + [0.9])
        return cls(m=m, u=u, prior=0.1)

    def weights(self, levels: Levels) -> list[float | None]:
        return [
            None if lv is None else math.log2(self.m[i][lv] / self.u[i][lv]) for i, lv in enumerate(levels)
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "fields": [f.name for f in FIELDS],
            "m": self.m,
            "u": self.u,
            "prior": self.prior,
            "iterations": self.iterations,
            "converged": self.converged,
            "pairs": self.pairs,
            "labelled": self.labelled,
            "random_pairs": self.random_pairs,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Model:
        if d.get("fields") != [f.name for f in FIELDS]:
            raise ValueError("the stored estimates were made for other fields")
        return cls(
            m=d["m"],
            u=d["u"],
            prior=d["prior"],
            iterations=d.get("iterations", 0),
            converged=d.get("converged", False),
            pairs=d.get("pairs", 0),
            labelled=d.get("labelled", 0),
            random_pairs=d.get("random_pairs", 0),
        )

    def table(self) -> list[dict[str, Any]]:
        """Per field and level: m, u and the weight ``log2(m/u)`` — what the estimates page draws."""
        out = []
        for i, f in enumerate(FIELDS):
            out.append(
                {
                    "field": f.name,
                    "label": f.label,
                    "levels": [
                        {
                            "level": key,
                            "words": f.words[j],
                            "m": self.m[i][j],
                            "u": self.u[i][j],
                            "weight": math.log2(self.m[i][j] / self.u[i][j]),
                        }
                        for j, key in enumerate(f.levels)
                    ],
                }
            )
        return out


def estimate_u(
    index: LinkIndex, sellers: Sequence[SellerRec], *, samples: int = 50_000, seed: int = 1
) -> tuple[list[list[float]], int]:
    """u from random seller–entity pairs (nearly all unrelated)."""
    rng = random.Random(seed)
    ids = list(index.by_id)
    counts = [[0.0] * len(f.levels) for f in FIELDS]
    n = 0
    if ids and sellers:
        for _ in range(samples):
            lv = compare(rng.choice(sellers), index.by_id[rng.choice(ids)])
            for i, level in enumerate(lv):
                if level is not None:
                    counts[i][level] += 1
            n += 1
    u = []
    for row in counts:
        total = sum(row) + _SMOOTH * len(row)
        u.append([(c + _SMOOTH) / total for c in row])
    return u, n


# EM runs once per blocking rule over the pairs that rule brings together, with the rule's own fields
# left out: inside a block of equal names every pair agrees on the name, so the block says nothing of
# how often true pairs do; the other fields are estimated there (splink's training sessions).
SESSIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("code", ("code",)),
    ("name", ("name",)),
    ("phone", ("phone",)),
)


def _blocked_by(levels: Levels, rule: str) -> bool:
    lv = levels[FIELD_INDEX[rule]]
    return lv is not None and lv <= _BLOCKING_LEVEL[rule]


_BLOCKING_LEVEL = {"code": 1, "name": 2, "phone": 1}  # the levels a blocking key brings together


def _em(
    patterns: list[tuple[Levels, float]],
    known: list[tuple[Levels, float]],
    m: list[list[float]],
    u: list[list[float]],
    prior: float,
    max_iterations: int,
    tolerance: float,
) -> tuple[list[list[float]], list[float], float, int, bool]:
    """EM for m and the prior with u fixed; returns m, the expected matches per field, prior, iterations, converged."""
    n = sum(c for _, c in patterns) + len(known)
    model = Model(m=[list(r) for r in m], u=u, prior=prior)
    seen = [0.0] * len(FIELDS)
    for it in range(1, max_iterations + 1):
        m_counts = [[0.0] * len(f.levels) for f in FIELDS]
        total_p = 0.0
        log_prior = math.log(max(model.prior, PRIOR_FLOOR)) - math.log(max(1 - model.prior, PRIOR_FLOOR))
        rows = [(lv, c, _posterior(model, lv, log_prior)) for lv, c in patterns]
        rows += [(lv, 1, p) for lv, p in known]
        for lv, count, p in rows:
            total_p += p * count
            for i, level in enumerate(lv):
                if level is not None:
                    m_counts[i][level] += p * count
        new_m = []
        for i, row in enumerate(m_counts):
            seen[i] = sum(row)
            if seen[i] <= 0:
                new_m.append(model.m[i])  # no pair had a value: the field keeps its estimate
                continue
            total = seen[i] + 1e-3 * len(row)
            new_m.append([(c + 1e-3) / total for c in row])
        new_prior = min(max(total_p / max(n, 1), PRIOR_FLOOR), 1 - PRIOR_FLOOR)
        change = max(
            abs(new_prior - model.prior),
            max(
                abs(x - y) for r1, r2 in zip(new_m, model.m, strict=True) for x, y in zip(r1, r2, strict=True)
            ),
        )
        model.m, model.prior = new_m, new_prior
        if change < tolerance:
            return model.m, seen, model.prior, it, True
    return model.m, seen, model.prior, max_iterations, False


def estimate(
    index: LinkIndex,
    sellers: Sequence[SellerRec],
    *,
    labels: dict[tuple[str, int], bool] | None = None,
    max_iterations: int = 60,
    tolerance: float = 1e-5,
    u_samples: int = 30_000,
    seed: int = 1,
    start: Model | None = None,
) -> Model:
    """m by EM over the blocked pairs, one session per blocking rule; u from random pairs; the prior.

    Pairs are grouped by their pattern of levels (a few hundred patterns for any number of pairs), so
    each iteration costs little. ``labels`` maps (seller id, entity id) to an officer's decision: those
    pairs enter with their answer known instead of the model's posterior. The prior is the chance
    that a random seller–entity pair is the same business: the share of sellers that have an entity
    here, over the number of entities (the share is re-estimated from the links twice).
    """
    labels = labels or {}
    u, n_random = estimate_u(index, sellers, samples=u_samples, seed=seed)
    pairs: list[tuple[Levels, float | None]] = []
    for s in sellers:
        for eid, lv, _ in pairs_of(index, s):
            answer = labels.get((s.seller_id, eid))
            pairs.append((lv, None if answer is None else float(answer)))
    base = start or Model.starting()
    sums = [[0.0] * len(f.levels) for f in FIELDS]
    weight = [0.0] * len(FIELDS)
    iterations, converged = 0, True
    for rule, left_out in SESSIONS:
        out = {FIELD_INDEX[f] for f in left_out}
        patterns: Counter[Levels] = Counter()
        known: list[tuple[Levels, float]] = []
        for lv, answer in pairs:
            if answer is None and not _blocked_by(lv, rule):
                continue  # a pair an officer decided is a known answer in every session
            masked = tuple(None if i in out else level for i, level in enumerate(lv))
            if answer is None:
                patterns[masked] += 1
            else:
                known.append((masked, answer))
        if not patterns and not known:
            continue
        m, seen, _prior, its, ok = _em(
            list(patterns.items()), known, base.m, u, 0.5, max_iterations, tolerance
        )
        iterations, converged = max(iterations, its), converged and ok
        for i in range(len(FIELDS)):
            if i in out or seen[i] <= 0:
                continue
            for j, value in enumerate(m[i]):
                sums[i][j] += value * seen[i]
            weight[i] += seen[i]
    m = [
        _floored([v / weight[i] for v in sums[i]]) if weight[i] > 0 else list(base.m[i])
        for i in range(len(FIELDS))
    ]
    model = Model(m=m, u=u, prior=0.8 / index.total)
    model.iterations, model.converged = iterations, converged
    model.pairs, model.labelled, model.random_pairs = (
        len(pairs),
        sum(1 for _, a in pairs if a is not None),
        n_random,
    )
    _refine_u_and_prior(model, index, sellers, u, labels)
    return model


# The agreement levels every pair of which some blocking key brings together: their u is counted over
# the blocked pairs (the expected non-matches among them, over all pairs), not sampled — random pairs
# almost never agree on a whole name, so sampling can only say "below one in the sample's size".
COUNTED_LEVELS = {"code": (0, 1), "name": (0, 1, 2), "phone": (0, 1)}


def _refine_u_and_prior(
    model: Model,
    index: LinkIndex,
    sellers: Sequence[SellerRec],
    u_random: list[list[float]],
    labels: dict[tuple[str, int], bool],
    rounds: int = 3,
) -> None:
    all_pairs = max(len(sellers), 1) * index.total
    for _ in range(rounds):
        nonmatch = {f: [0.0] * len(FIELDS[FIELD_INDEX[f]].levels) for f in COUNTED_LEVELS}
        linked = 0.0
        table = WeightTable(model)
        for s in sellers:
            scored = [(eid, lv, table.weight(lv, tf)) for eid, lv, tf in pairs_of(index, s)]
            odds = [2.0 ** min(w, 60) for _, _, w in scored]
            total = 1 + sum(odds)
            for (eid, lvs, _), o in zip(scored, odds, strict=True):
                answer = labels.get((s.seller_id, eid))
                p = o / total if answer is None else float(answer)
                linked += p
                for f, levels in COUNTED_LEVELS.items():
                    lv = lvs[FIELD_INDEX[f]]
                    if lv is not None and lv in levels:
                        nonmatch[f][lv] += 1 - p
        u = [list(r) for r in u_random]
        for f, levels in COUNTED_LEVELS.items():
            i = FIELD_INDEX[f]
            counted = {lv: max(nonmatch[f][lv], 0.5) / all_pairs for lv in levels}
            rest = [j for j in range(len(u[i])) if j not in counted]
            scale = (1 - sum(counted.values())) / max(sum(u[i][j] for j in rest), 1e-12)
            u[i] = [counted[j] if j in counted else u[i][j] * scale for j in range(len(u[i]))]
        model.u = u
        share = linked / max(len(sellers), 1)
        model.prior = min(max(share, 0.01), 0.999) / index.total


M_FLOOR = 0.002  # no level is impossible for a true pair: a renamed business, a moved shop, a typo


def _floored(row: list[float]) -> list[float]:
    row = [max(v, M_FLOOR) for v in row]
    total = sum(row)
    return [v / total for v in row]


def _posterior(model: Model, levels: Levels, log_prior: float) -> float:
    w = log_prior
    for i, lv in enumerate(levels):
        if lv is not None:
            w += math.log(model.m[i][lv]) - math.log(model.u[i][lv])
    return 1 / (1 + math.exp(-w)) if w > -700 else 0.0


# ---------------------------------------------------------------------------------------------
# Scoring and deciding


@dataclass
class Scored:
    entity_id: int
    levels: Levels
    weight: float  # log2 odds of the pair, prior included, term frequency applied
    reasons: list[str]
    probability: float = 0.0  # that this is the seller's entity, the other candidates considered

    @property
    def score(self) -> float:  # what a stored candidate shows (``MatchResult.candidates``)
        return self.probability


def pairs_of(index: LinkIndex, s: SellerRec) -> list[tuple[int, Levels, float]]:
    """The seller's candidates with their comparison levels and the 字号's term-frequency share,
    computed once per index (estimation and linking read the same)."""
    if s._pairs is None or s._pairs_of is not index:
        out = []
        for eid in index.candidates(s):
            e = index.by_id[eid]
            out.append((eid, compare(s, e), index.core_counts.get(e.core, 1) / index.mean_core_count))
        s._pairs, s._pairs_of = out, index
    return s._pairs


class WeightTable:
    """``log2(m/u)`` per field and level, and the prior's, computed once per model state."""

    def __init__(self, model: Model):
        self.w = [
            [math.log2(m / u) for m, u in zip(mr, ur, strict=True)]
            for mr, ur in zip(model.m, model.u, strict=True)
        ]
        self.name = FIELD_INDEX["name"]
        self.tf_levels = {j for j, key in enumerate(FIELDS[self.name].levels) if key in TF_LEVELS}
        self.prior = math.log2(max(model.prior, PRIOR_FLOOR) / max(1 - model.prior, PRIOR_FLOOR))

    def field_weights(self, levels: Levels, tf_share: float) -> list[float | None]:
        out: list[float | None] = [None if lv is None else self.w[i][lv] for i, lv in enumerate(levels)]
        lv = levels[self.name]
        if lv in self.tf_levels:
            # A 字号 many entities share says less than one only this entity has: the level's u, scaled
            # by how many entities bear this core against how many an average one is shared by.
            out[self.name] -= math.log2(tf_share)
        return out

    def weight(self, levels: Levels, tf_share: float) -> float:
        total = self.prior
        for i, lv in enumerate(levels):
            if lv is not None:
                total += self.w[i][lv]
        if levels[self.name] in self.tf_levels:
            total -= math.log2(tf_share)
        return total


def score_pair(model: Model, index: LinkIndex, s: SellerRec, e: EntityRec) -> Scored:
    levels = compare(s, e)
    table = WeightTable(model)
    tf = index.core_counts.get(e.core, 1) / index.mean_core_count
    return Scored(e.id, levels, table.weight(levels, tf), reasons_of(levels, table.field_weights(levels, tf)))


@dataclass
class Thresholds:
    auto: float = 0.95
    review: float = 0.5


@dataclass
class Link:
    seller_id: str
    entity_id: int | None
    probability: float
    outcome: str  # auto / review / none
    reasons: list[str]
    candidates: list[Scored]
    by_code: bool = False
    decided: bool = False

    @property
    def confidence(self) -> float:  # the stored match's confidence: the probability
        return self.probability

    @property
    def reason_text(self) -> str:
        return "；".join(self.reasons)


def link_seller(
    model: Model, index: LinkIndex, s: SellerRec, thresholds: Thresholds, table: WeightTable | None = None
) -> Link:
    table = table or WeightTable(model)
    scored = []
    for eid, levels, tf in pairs_of(index, s):
        scored.append(Scored(eid, levels, table.weight(levels, tf), []))
    odds = [2.0 ** min(sc.weight, 60) for sc in scored]
    none_odds = 1.0
    total = none_odds + sum(odds)
    for sc, o in zip(scored, odds, strict=True):
        sc.probability = o / total
    scored.sort(key=lambda c: (-c.probability, c.entity_id))
    top = scored[:5]
    tf_of = {eid: tf for eid, _, tf in pairs_of(index, s)}
    for c in top[:3]:  # reasons only for the candidates an officer reads
        c.reasons = reasons_of(c.levels, table.field_weights(c.levels, tf_of[c.entity_id]))
    accepted = next((c for c in scored if c.entity_id in s.accepted), None)
    if accepted is not None and not accepted.reasons:
        accepted.reasons = reasons_of(
            accepted.levels, table.field_weights(accepted.levels, tf_of[accepted.entity_id])
        )
    if accepted is not None:
        return Link(
            s.seller_id,
            accepted.entity_id,
            1.0,
            "auto",
            ["人工已确认", *accepted.reasons],
            top,
            by_code=accepted.levels[0] in (0, 1),
            decided=True,
        )
    if not top or top[0].probability < thresholds.review:
        reasons = ["未找到相符的登记主体（可能为无照经营线索）"]
        if top:
            reasons.append(f"最相近：{index.by_id[top[0].entity_id].name}（{top[0].probability:.0%}）")
        return Link(s.seller_id, None, top[0].probability if top else 0.0, "none", reasons, top)
    best = top[0]
    reasons = list(best.reasons)
    if len(top) > 1 and top[1].probability >= 0.05:
        reasons.append(f"另有{sum(1 for c in top[1:] if c.probability >= 0.05)}家候选主体，概率已按此分摊")
    outcome = "auto" if best.probability >= thresholds.auto else "review"
    status = index.by_id[best.entity_id].status
    if status in matching.STATUS_NOTES:  # a fact about the entity, not about who the seller is
        reasons.append(f"该主体登记状态为{matching.STATUS_NOTES[status]}")
    return Link(
        s.seller_id, best.entity_id, best.probability, outcome, reasons, top, by_code=best.levels[0] in (0, 1)
    )


def choose_thresholds(
    probabilities: Sequence[float], *, target_precision: float = 0.995, review_precision: float = 0.80
) -> tuple[Thresholds, dict[str, float]]:
    """Thresholds from the best candidates' probabilities (calibrated: their mean is the expected
    precision). Auto-link: the lowest threshold whose links are expected to be at least
    ``target_precision`` right. Review: below it, down to where the band's expected precision would
    fall under ``review_precision``. Returns the thresholds and what to expect of them."""
    ps = sorted((p for p in probabilities if p > 0), reverse=True)
    # Links are made for every probability at or above a threshold: ties go together.
    groups: list[tuple[float, int]] = []
    for p in ps:
        if groups and groups[-1][0] == p:
            groups[-1] = (p, groups[-1][1] + 1)
        else:
            groups.append((p, 1))
    auto, n_auto, cum, n = 1.0, 0, 0.0, 0
    for p, count in groups:
        cum += p * count
        n += count
        if cum / n >= target_precision and p >= 0.5:
            auto, n_auto = p, n
    review, band_cum, n_review = auto, 0.0, 0
    for p, count in groups:
        if p >= auto and n_auto:
            continue
        if (band_cum + p * count) / (n_review + count) < review_precision:
            break
        band_cum += p * count
        n_review += count
        review = p
    expected = {
        "auto_links": n_auto,
        "auto_precision": (sum(ps[:n_auto]) / n_auto) if n_auto else 1.0,
        "review": n_review,
        "review_precision": (band_cum / n_review) if n_review else 1.0,
        "sellers": len(probabilities),
        "expected_true_links": sum(ps),
    }
    return Thresholds(auto=auto, review=min(review, auto)), expected
