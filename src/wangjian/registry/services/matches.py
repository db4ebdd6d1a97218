"""Matching sellers to registered entities, and the officers' review of the matches (待确认匹配)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.core.exports import csv_writer
from wangjian.org.models import Bureau
from wangjian.registry import linkage, linkage_selectors, matching, selectors
from wangjian.registry.choices import (
    LinkMethod,
    MatchOutcome,
    ReviewDecision,
)
from wangjian.registry.models import (
    MarketEntity,
    MatchDecision,
    MatchResult,
    Platform,
    Presence,
    SellerReport,
)
from wangjian.registry.services.batches import CHUNK, Progress, _as, _bulk_update_audited
from wangjian.registry.services.linkage import linkage_model

if TYPE_CHECKING:
    from django.db.models import QuerySet

# ---------------------------------------------------------------------------------------------
# Matching


@dataclass
class MatchSummary:
    total: int = 0
    auto: int = 0
    review: int = 0
    none: int = 0
    decided: int = 0
    linked_presences: int = 0
    unlinked_presences: int = 0


def sellers_match(
    *,
    bureau: Bureau,
    platform: Platform | None = None,
    index: matching.EntityIndex | None = None,
    progress: Progress | None = None,
) -> MatchSummary:
    """Match the bureau's reported sellers to its registry; link presences the matcher is sure of.

    Officers' earlier decisions win: an accepted entity is linked again, a rejected one is
    never suggested again for that seller (the decision is remembered on re-import).
    Presences linked by hand or from a licence found on the page are left alone.
    """
    estimate = linkage_selectors.active_estimate(bureau=bureau)
    if estimate is not None:
        # Weights the bureau's own data gave: decisions from probability (registry.linkage).
        model, thresholds = linkage_model(estimate)
        link_index = linkage_selectors.link_index(bureau=bureau)
        table = linkage.WeightTable(model)
        names = link_index.by_id
    else:
        index = index or selectors.entity_index(bureau=bureau)
        names = index.by_id
    sellers = SellerReport.objects.filter(bureau=bureau)
    if platform is not None:
        sellers = sellers.filter(platform=platform)
    platform_ids = list(sellers.values_list("platform_id", flat=True).distinct())
    decisions = linkage_selectors.decisions(platform_ids=platform_ids)
    summary = MatchSummary()
    total = sellers.count()
    last_id = 0
    while True:
        chunk = list(
            sellers.filter(id__gt=last_id)
            .order_by("id")
            .values_list(
                "id",
                "platform_id",
                "seller_id",
                "claimed_name",
                "shop_name",
                "claimed_uscc",
                "address",
                "phone",
                "presence_id",
            )[:CHUNK]
        )
        if not chunk:
            break
        last_id = chunk[-1][0]
        results: list[MatchResult] = []
        links: dict[int, matching.Match] = {}
        for pk, platform_id, sid, claimed_name, shop_name, code, address, phone, presence_id in chunk:
            accepted, rejected = decisions.get((platform_id, sid), (set(), set()))
            seller = matching.Seller(
                seller_id=sid,
                claimed_name=claimed_name,
                shop_name=shop_name,
                claimed_uscc=code,
                address=address,
                phone=phone,
                accepted=accepted,
                rejected=rejected,
            )
            if estimate is not None:
                m = linkage.link_seller(model, link_index, linkage.seller_rec(seller), thresholds, table)
            else:
                m = matching.match_seller(index, seller)
            summary.total += 1
            setattr(summary, m.outcome, getattr(summary, m.outcome) + 1)
            summary.decided += int(m.decided)
            results.append(
                MatchResult(
                    bureau=bureau,
                    seller_id=pk,
                    entity_id=m.entity_id,
                    confidence=m.confidence,
                    outcome=m.outcome,
                    reasons=m.reason_text[:500],
                    decided=m.decided,
                    candidates=[
                        {
                            "entity": c.entity_id,
                            "uscc": names[c.entity_id].uscc,
                            "name": names[c.entity_id].name,
                            "score": round(c.score, 4),
                            "reasons": "；".join(c.reasons),
                        }
                        for c in m.candidates
                    ],
                )
            )
            if presence_id:
                links[presence_id] = m
        with transaction.atomic():
            MatchResult.objects.filter(seller_id__in=[r.seller_id for r in results]).delete()
            MatchResult.objects.bulk_create(results, batch_size=500)
            linked, unlinked = _link_presences(links)
        summary.linked_presences += linked
        summary.unlinked_presences += unlinked
        if progress:
            progress(summary.total, total)
    return summary


def _link_presences(links: dict[int, matching.Match]) -> tuple[int, int]:
    """Set the entity of presences whose seller was linked; undo earlier automatic links no longer sure."""
    changed = []
    linked = unlinked = 0
    for p in Presence.objects.filter(pk__in=list(links)):
        m = links[p.pk]
        if p.link_method in (LinkMethod.LICENCE, LinkMethod.MANUAL) and not m.decided:
            continue
        if m.outcome == MatchOutcome.AUTO and m.entity_id:
            method = LinkMethod.MANUAL if m.decided else (LinkMethod.CODE if m.by_code else LinkMethod.MATCH)
            if (p.entity_id, p.link_method, p.link_confidence) != (m.entity_id, method, m.confidence):
                p.entity_id, p.link_method, p.link_confidence = m.entity_id, method, m.confidence
                changed.append(p)
                linked += 1
        elif p.entity_id and p.link_method in (LinkMethod.CODE, LinkMethod.MATCH):
            p.entity_id, p.link_method, p.link_confidence = None, "", None
            changed.append(p)
            unlinked += 1
    _bulk_update_audited(changed, ["entity", "link_method", "link_confidence"])
    return linked, unlinked


def match_review(
    *,
    result: MatchResult,
    decision: str,
    user: Any,
    entity: MarketEntity | None = None,
    note: str = "",
) -> MatchResult:
    """An officer accepts or rejects a suggested entity for a seller; remembered for every later import.

    Accepting links the seller's presence (method 人工确认). Rejecting rules the entity out
    for this seller and offers the next candidate, if any, for review.
    """
    if not selectors.can_review(user, result.bureau_id):
        raise PermissionDeniedError("无权确认该匹配结果", "not allowed to review this match")
    if decision not in ReviewDecision.values:
        raise ValidationFailed("决定应为确认或否定", "decision must be accept or reject")
    entity = entity or result.entity
    if entity is None:
        raise ValidationFailed("没有可确认的主体", "there is no suggested entity to decide on")
    if entity.bureau_id not in (selectors.visible_ids(user) or {entity.bureau_id}):
        raise PermissionDeniedError("无权查看该主体", "not allowed to see that entity")
    seller = result.seller
    with transaction.atomic(), _as(user):
        obj, _ = MatchDecision.objects.get_or_create(
            platform_id=seller.platform_id,
            seller_id=seller.seller_id,
            entity=entity,
            defaults={"bureau_id": result.bureau_id, "decision": decision, "decided_by": user, "note": note},
        )
        if obj.decision != decision or obj.note != note:
            obj.decision, obj.decided_by, obj.note = decision, user, note
            obj.save()
        stamp = f"{user.name or user.username} {timezone.localdate():%Y-%m-%d}"
        if decision == ReviewDecision.ACCEPT:
            for other in MatchDecision.objects.filter(
                platform_id=seller.platform_id, seller_id=seller.seller_id, decision=ReviewDecision.ACCEPT
            ).exclude(entity=entity):
                other.decision, other.decided_by = ReviewDecision.REJECT, user
                other.save()
            result.entity = entity
            result.outcome = MatchOutcome.AUTO
            result.confidence = 1.0
            result.decided = True
            result.reasons = f"人工已确认（{stamp}）；{result.reasons}"[:500]
            if seller.presence_id:
                p = seller.presence
                p.entity, p.link_method, p.link_confidence = entity, LinkMethod.MANUAL, 1.0
                p.save()
        else:
            rest = [c for c in result.candidates if c.get("entity") != entity.pk]
            result.candidates = rest
            estimate = linkage_selectors.active_estimate(bureau=result.bureau)
            floor = estimate.review_threshold if estimate is not None else matching.REVIEW_THRESHOLD
            nxt = rest[0] if rest and rest[0].get("score", 0) >= floor else None
            result.entity_id = nxt["entity"] if nxt else None
            result.outcome = MatchOutcome.REVIEW if nxt else MatchOutcome.NONE
            result.confidence = nxt["score"] if nxt else 0.0
            result.decided = nxt is None
            result.reasons = (
                f"人工否定{entity.name}（{stamp}）；"
                + (nxt["reasons"] if nxt else "未找到其他相符的登记主体")
            )[:500]
            if seller.presence_id and seller.presence.entity_id == entity.pk:
                p = seller.presence
                p.entity, p.link_method, p.link_confidence = None, "", None
                p.save()
        result.save()
    return result


def match_results_csv(*, results: QuerySet[MatchResult]) -> str:
    """``seller_id, uscc, confidence, decision, reasons`` — the columns officers and other systems read."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["seller_id", "uscc", "confidence", "decision", "reasons", "platform", "name"])
    for r in results.select_related("seller__platform", "entity").iterator(chunk_size=5000):
        writer.writerow(
            [
                r.seller.seller_id,
                r.entity.uscc if r.entity else "",
                f"{r.confidence:.3f}",
                r.outcome,
                r.reasons,
                r.seller.platform.name,
                r.entity.name if r.entity else "",
            ]
        )
    return out.getvalue()
