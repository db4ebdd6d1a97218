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
candidate *i* is the one is ``o_i / (1 − π + Σ o_j)``, where π is the share of sellers that have an
entity here and 1 − π the prior of "none of them" (Bayes' rule over the entities and none), so two
equally good homonyms share the probability instead of each looking certain. Decisions follow from that
probability and thresholds chosen by target precision (``thresholds``); the reasons an officer reads
are the fields that weighed most, for and against, in words.

Identity is kept apart from legal status: the model decides *which* entity a seller is; whether that
entity is 注销, 吊销 or 迁出 is a separate fact, read by ``registry.services.unlicensed``.

Pure functions, no database.
"""

from wangjian.registry.linkage.blocking import LinkIndex, pairs_of
from wangjian.registry.linkage.decide import (
    Link,
    Scored,
    Thresholds,
    choose_thresholds,
    link_all,
    link_seller,
    score_pair,
)
from wangjian.registry.linkage.fields import (
    FIELD_INDEX,
    FIELDS,
    SIDES,
    TF_LEVELS,
    EntityRec,
    Field,
    Levels,
    SellerRec,
    compare,
    entity_rec,
    phone_parts,
    reasons_of,
    seller_rec,
    seller_recs,
)
from wangjian.registry.linkage.model import (
    COUNTED_LEVELS,
    M_FLOOR,
    POOL,
    PRIOR_FLOOR,
    SESSIONS,
    Model,
    WeightTable,
    _em,
    estimate,
    estimate_u,
)

__all__ = [
    "COUNTED_LEVELS",
    "FIELDS",
    "FIELD_INDEX",
    "M_FLOOR",
    "POOL",
    "PRIOR_FLOOR",
    "SESSIONS",
    "SIDES",
    "TF_LEVELS",
    "EntityRec",
    "Field",
    "Levels",
    "Link",
    "LinkIndex",
    "Model",
    "Scored",
    "SellerRec",
    "Thresholds",
    "WeightTable",
    "_em",
    "choose_thresholds",
    "compare",
    "entity_rec",
    "estimate",
    "estimate_u",
    "link_all",
    "link_seller",
    "pairs_of",
    "phone_parts",
    "reasons_of",
    "score_pair",
    "seller_rec",
    "seller_recs",
]
