"""Scoring pairs and deciding: one-to-one probabilities, thresholds by target precision (``registry.linkage``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wangjian.core.bulk import gc_paused
from wangjian.registry import matching
from wangjian.registry.linkage.blocking import LinkIndex, pairs_of
from wangjian.registry.linkage.fields import EntityRec, Levels, SellerRec, compare, reasons_of
from wangjian.registry.linkage.model import Model, WeightTable

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


def score_pair(model: Model, index: LinkIndex, s: SellerRec, e: EntityRec) -> Scored:
    levels = compare(s, e)
    table = WeightTable(model)
    tf = index.tf_share(e.core)
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
    none_odds = model.none_weight(index.total)
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


@gc_paused()
def link_all(
    model: Model,
    index: LinkIndex,
    sellers: Sequence[SellerRec],
    thresholds: Thresholds,
    table: WeightTable | None = None,
) -> list[Link]:
    """``link_seller`` for every seller of a list, the weights summed once."""
    table = table or WeightTable(model)
    return [link_seller(model, index, s, thresholds, table) for s in sellers]


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
