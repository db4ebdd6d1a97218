"""The registry's risk indicators (``platform.indicators``), and the mapping the apps above share.

- ``registry.unlicensed_trading``: an entity 注销, 吊销 or 迁出 (``LEAD_STATUSES``) that still trades
  online — its presences still active, or platform sellers still linked to it (电子商务法 art. 10;
  网络交易监督管理办法 art. 8; DOMAIN.md: UnlicensedLead).
- ``registry.sellers_unmatched``: sellers a platform reported under the entity's 统一社会信用代码 whose
  link to it was neither made automatically nor confirmed by an officer — the identity the platform
  verified disagrees with the register (网络交易监督管理办法 arts. 24–25).
- ``registry.permits_lapsed``: permits and filings held under the entity's code that are not in force
  (过期, 注销, 吊销, 撤销, or past their date) in the licensing data.

``counts_by_entity`` maps counts keyed by entity id, and counts keyed by a 统一社会信用代码 (rows no
entity is linked to yet: a clue's ``entity_uscc``, a case's ``party_uscc``, a complaint's
``respondent_uscc``), to the bureau's entities, in one query per 5,000 codes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Q

from wangjian.platform.indicators import Indicator, IndicatorValue, register
from wangjian.registry.choices import EntityStatus, MatchOutcome, PermitStatus, PresenceStatus
from wangjian.registry.models import LEAD_STATUSES, MarketEntity, MatchResult, Permit, Presence, SellerReport

CHUNK = 5000


def counts_by_entity(
    bureau_id: int,
    *,
    by_entity: Iterable[tuple[int, float]] = (),
    by_uscc: Iterable[tuple[str, float]] = (),
    entity_ids: list[int] | None = None,
) -> dict[int, float]:
    """Counts per entity of ``bureau_id``: those already keyed by entity, plus those keyed by a code mapped to it."""
    out: dict[int, float] = defaultdict(float)
    for entity_id, n in by_entity:
        if entity_id is not None:
            out[entity_id] += n
    codes: dict[str, float] = defaultdict(float)
    for code, n in by_uscc:
        if code:
            codes[code.strip().upper()] += n
    keys = list(codes)
    for i in range(0, len(keys), CHUNK):
        for entity_id, code in MarketEntity.objects.filter(
            bureau_id=bureau_id, uscc__in=keys[i : i + CHUNK]
        ).values_list("id", "uscc"):
            out[entity_id] += codes[code]
    if entity_ids is not None:
        wanted = set(entity_ids)
        return {k: v for k, v in out.items() if k in wanted}
    return dict(out)


def unlicensed_trading(
    bureau_id: int, entity_ids: list[int] | None, today: dt.date
) -> dict[int, IndicatorValue]:
    presences = Presence.objects.filter(
        bureau_id=bureau_id, status=PresenceStatus.ACTIVE, entity__status__in=LEAD_STATUSES
    )
    sellers = MatchResult.objects.filter(
        Q(outcome=MatchOutcome.AUTO) | Q(decided=True),
        bureau_id=bureau_id,
        entity__status__in=LEAD_STATUSES,
        seller__presence__isnull=True,  # a seller with its presence is counted as the presence
    )
    if entity_ids is not None:
        presences = presences.filter(entity_id__in=entity_ids)
        sellers = sellers.filter(entity_id__in=entity_ids)
    found: dict[int, list] = {}
    for query in (presences, sellers):
        for entity_id, status, n in (
            query.values_list("entity_id", "entity__status").annotate(n=Count("id")).order_by()
        ):
            found.setdefault(entity_id, [status, 0])[1] += n
    return {
        entity_id: IndicatorValue(
            float(n), f"登记状态为{EntityStatus(status).label}仍在网上经营（网络经营场所或平台店铺{n}个）"
        )
        for entity_id, (status, n) in found.items()
    }


def sellers_unmatched(
    bureau_id: int, entity_ids: list[int] | None, today: dt.date
) -> dict[int, IndicatorValue]:
    rows = (
        SellerReport.objects.filter(bureau_id=bureau_id)
        .exclude(claimed_uscc="")
        .exclude(match__outcome=MatchOutcome.AUTO)
        .exclude(match__decided=True)
        .values_list("claimed_uscc")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = counts_by_entity(bureau_id, by_uscc=rows, entity_ids=entity_ids)
    return {
        k: IndicatorValue(n, f"平台报送的经营者{int(n)}个以本主体代码登记但身份未能核实一致")
        for k, n in counts.items()
    }


def permits_lapsed(bureau_id: int, entity_ids: list[int] | None, today: dt.date) -> dict[int, IndicatorValue]:
    rows = (
        Permit.objects.filter(bureau_id=bureau_id)
        .exclude(holder_uscc="")
        .filter(~Q(status=PermitStatus.VALID) | Q(valid_to__lt=today))
        .values_list("holder_uscc")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = counts_by_entity(bureau_id, by_uscc=rows, entity_ids=entity_ids)
    return {
        k: IndicatorValue(n, f"许可证或备案{int(n)}件已过期或失效（许可数据）") for k, n in counts.items()
    }


UNLICENSED_TRADING = Indicator(
    "registry.unlicensed_trading",
    "注销、吊销或迁出后仍在网上经营",
    "cancelled, revoked or moved out and still trading online",
    "registry",
    unlicensed_trading,
)
SELLERS_UNMATCHED = Indicator(
    "registry.sellers_unmatched",
    "平台报送身份未能核实一致",
    "sellers reported under the entity's code whose identity was not confirmed",
    "registry",
    sellers_unmatched,
)
PERMITS_LAPSED = Indicator(
    "registry.permits_lapsed",
    "许可证或备案已过期或失效",
    "permits or filings lapsed",
    "registry",
    permits_lapsed,
)


def register_all() -> None:
    for indicator in (UNLICENSED_TRADING, SELLERS_UNMATCHED, PERMITS_LAPSED):
        register(indicator)
