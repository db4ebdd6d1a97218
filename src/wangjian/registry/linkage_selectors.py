"""Reads for seller linkage: the index over a bureau's registry, its sellers as the model reads them,
the estimate in use, and who may tune it (``registry.linkage``; writes in ``services.linkage``)."""

from __future__ import annotations

from typing import Any

from wangjian.org import permissions
from wangjian.org.models import Bureau
from wangjian.registry import linkage, matching
from wangjian.registry.choices import ReviewDecision
from wangjian.registry.linkage_models import LinkageEstimate
from wangjian.registry.models import MarketEntity, MatchDecision, SellerReport
from wangjian.registry.permissions import LINKAGE_TUNE


def can_tune(user: Any, bureau: Bureau | int | None) -> bool:
    """Estimating the weights and setting the thresholds: the office and department heads of that bureau."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    bureau_id = bureau.pk if isinstance(bureau, Bureau) else bureau
    return permissions.may(user, LINKAGE_TUNE) and bureau_id == user.bureau_id


def link_index(*, bureau: Bureau) -> linkage.LinkIndex:
    """The linkage index over the entities of ``bureau`` and the bureaus below it (stored name forms)."""
    rows = (
        MarketEntity.objects.filter(bureau_id__in=bureau.descendant_ids())
        .values_list(
            "id", "uscc", "name", "name_key", "name_core", "phone", "address", "region_code", "status"
        )
        .iterator(chunk_size=20000)
    )
    return linkage.LinkIndex(
        linkage.entity_rec(pk, code, name, phone, address, region, status, key=key, core=core)
        for pk, code, name, key, core, phone, address, region, status in rows
    )


def decisions(
    *, bureau: Bureau | None = None, platform_ids: list[int] | None = None
) -> dict[tuple[int, str], tuple[set[int], set[int]]]:
    """Officers' decisions by (platform, seller id): the entities accepted and those ruled out — of the
    bureau's platforms, or of the platforms named."""
    rows = MatchDecision.objects.all()
    if bureau is not None:
        rows = rows.filter(platform__bureau=bureau)
    if platform_ids is not None:
        rows = rows.filter(platform_id__in=platform_ids)
    out: dict[tuple[int, str], tuple[set[int], set[int]]] = {}
    for platform_id, seller_id, entity_id, decision in rows.values_list(
        "platform_id", "seller_id", "entity_id", "decision"
    ):
        accepted, rejected = out.setdefault((platform_id, seller_id), (set(), set()))
        (accepted if decision == ReviewDecision.ACCEPT else rejected).add(entity_id)
    return out


def seller_recs(*, bureau: Bureau) -> tuple[list[linkage.SellerRec], dict[tuple[str, int], bool]]:
    """The bureau's reported sellers as the model reads them, and the officers' decisions as labels
    keyed by (the record's seller key, entity id). A seller's key is ``platform:seller id``."""
    known = decisions(bureau=bureau)
    sellers: list[matching.Seller] = []
    labels: dict[tuple[str, int], bool] = {}
    rows = (
        SellerReport.objects.filter(bureau=bureau)
        .order_by("id")
        .values_list(
            "platform_id", "seller_id", "claimed_name", "shop_name", "claimed_uscc", "address", "phone"
        )
        .iterator(chunk_size=20000)
    )
    for platform_id, sid, name, shop, code, address, phone in rows:
        accepted, rejected = known.get((platform_id, sid), (set(), set()))
        key = f"{platform_id}:{sid}"
        sellers.append(
            matching.Seller(key, name, shop, code, address, phone, accepted=accepted, rejected=rejected)
        )
        for eid in accepted:
            labels[(key, eid)] = True
        for eid in rejected:
            labels[(key, eid)] = False
    return linkage.seller_recs(sellers), labels


def active_estimate(*, bureau: Bureau) -> LinkageEstimate | None:
    """The estimate seller matching uses: the bureau's own newest active one, else its nearest parent's."""
    current: Bureau | None = bureau
    while current is not None:
        found = (
            LinkageEstimate.objects.filter(bureau=current, active=True).order_by("-created_at", "-id").first()
        )
        if found is not None:
            return found
        current = current.parent
    return None


def estimates(*, bureau: Bureau):
    return LinkageEstimate.objects.filter(bureau=bureau).select_related("created_by")
