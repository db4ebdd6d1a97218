"""The model: m and u per field and level, estimated without labels (``registry.linkage``)."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from wangjian.core.bulk import gc_paused
from wangjian.registry.linkage.blocking import LinkIndex, pairs_of
from wangjian.registry.linkage.fields import FIELD_INDEX, FIELDS, SIDES, TF_LEVELS, Levels, SellerRec, compare

# ---------------------------------------------------------------------------------------------
# The model


PRIOR_FLOOR = 1e-12  # a pair's prior is the share linked over the entities: 1e-7 for a province's ten million
_SMOOTH = 0.5  # added to each level's count when estimating u (a level random pairs never show)


@dataclass
class Model:
    """m and u per field and level, the prior, and where they came from."""

    m: list[list[float]]
    u: list[list[float]]
    prior: float  # the chance that a random seller–entity pair is the same business (share linked / entities)
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

    def none_weight(self, entities: int) -> float:
        """The prior chance that a seller has no entity here, beside each candidate's prior odds.

        A seller is one of the ``entities`` or none of them: with a share π of the sellers linked, each
        entity's prior is π/N (``prior``) and "none" has 1 − π. Weighing "none" as 1 instead would
        hold every seller's probability down by a factor 1/(1 − π) in the odds — ten times when nine
        sellers in ten are registered here."""
        share = min(max(self.prior * max(entities, 1), 0.01), 0.999)
        return 1.0 - share

    def weight(self, i: int, lv: int) -> float:
        """``log2(m/u)`` of field ``i`` at level ``lv``, held to its side: an agreement never counts
        against a match, a disagreement never for one (with little data an unseen level's m and u
        are both guesses, and their ratio may point either way)."""
        w = math.log2(self.m[i][lv] / self.u[i][lv])
        side = SIDES[i][lv]
        return max(w, 0.0) if side > 0 else min(w, 0.0) if side < 0 else w

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
                            "weight": self.weight(i, j),
                        }
                        for j, key in enumerate(f.levels)
                    ],
                }
            )
        return out


POOL = 4000  # entities and sellers in the pools random pairs are drawn from


def estimate_u(
    index: LinkIndex, sellers: Sequence[SellerRec], *, samples: int = 50_000, seed: int = 1
) -> tuple[list[list[float]], int]:
    """u from random seller–entity pairs (nearly all unrelated).

    The pairs are drawn between a random pool of entities and one of sellers (a few thousand each):
    the same expectation as drawing from everything, and each record's normalised address is then
    computed once for many pairs instead of once per pair."""
    rng = random.Random(seed)
    ids = list(index.by_id)
    pool_e = rng.sample(ids, min(len(ids), POOL)) if ids else []
    pool_s = rng.sample(list(sellers), min(len(sellers), POOL)) if sellers else []
    counts = [[0.0] * len(f.levels) for f in FIELDS]
    n = 0
    if pool_e and pool_s:
        for _ in range(samples):
            lv = compare(rng.choice(pool_s), index.by_id[rng.choice(pool_e)])
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


@gc_paused()  # the candidate pairs of every seller, built at once
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
        none = model.none_weight(index.total)
        for s in sellers:
            scored = [(eid, lv, table.weight(lv, tf)) for eid, lv, tf in pairs_of(index, s)]
            odds = [2.0 ** min(w, 60) for _, _, w in scored]
            total = none + sum(odds)
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


class WeightTable:
    """``log2(m/u)`` per field and level, and the prior's, computed once per model state."""

    def __init__(self, model: Model):
        self.w = [[model.weight(i, j) for j in range(len(f.levels))] for i, f in enumerate(FIELDS)]
        self.name = FIELD_INDEX["name"]
        self.tf_levels = {j for j, key in enumerate(FIELDS[self.name].levels) if key in TF_LEVELS}
        self.prior = math.log2(max(model.prior, PRIOR_FLOOR) / max(1 - model.prior, PRIOR_FLOOR))
        self._by_levels: dict[Levels, float] = {}

    def field_weights(self, levels: Levels, tf_share: float) -> list[float | None]:
        out: list[float | None] = [None if lv is None else self.w[i][lv] for i, lv in enumerate(levels)]
        lv = levels[self.name]
        if lv in self.tf_levels:
            # A 字号 many entities share says less than one only this entity has: the level's u, scaled
            # by how many entities bear this core against how many an average one is shared by.
            out[self.name] -= math.log2(tf_share)
        return out

    def weight(self, levels: Levels, tf_share: float) -> float:
        total = self._by_levels.get(levels)
        if total is None:  # a few hundred patterns of levels for any number of pairs: each summed once
            total = self.prior
            for i, lv in enumerate(levels):
                if lv is not None:
                    total += self.w[i][lv]
            self._by_levels[levels] = total
        if levels[self.name] in self.tf_levels and tf_share != 1.0:
            total -= math.log2(tf_share)
        return total
