"""Reads of credit: what a user may see, an entity's credit panel, and ``credit_state_of`` for other apps.

``credit_state_of(entity_ids)`` is the interface the risk grades, inspections and the archive page read:
per entity, whether it is in the 经营异常名录 (企业 and 个体工商户 alike), in the 严重违法失信名单, and how many
penalty decisions are on display — display ended early by a granted repair counts as ended.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from wangjian.core.errors import ValidationFailed
from wangjian.credit import penalties
from wangjian.credit.choices import AbnormalState, RepairState, RepairTarget, SeriousState
from wangjian.credit.models import (
    AbnormalListing,
    AnnualReportImport,
    CreditRepair,
    DeclarationMismatch,
    SeriousListing,
)
from wangjian.credit.permissions import CREDIT_READ
from wangjian.org import permissions
from wangjian.org.models import User
from wangjian.org.selectors import scope, visible_bureau_ids
from wangjian.registry.models import MarketEntity


def _visible(qs: QuerySet, user: User) -> QuerySet:
    if not permissions.may(user, CREDIT_READ):
        return qs.none()
    return scope(qs, user)


def listings_visible(user: User) -> QuerySet[AbnormalListing]:
    return _visible(AbnormalListing.objects.select_related("entity", "bureau"), user)


def serious_visible(user: User) -> QuerySet[SeriousListing]:
    return _visible(SeriousListing.objects.select_related("entity", "bureau"), user)


def repairs_visible(user: User) -> QuerySet[CreditRepair]:
    return _visible(CreditRepair.objects.select_related("entity", "bureau"), user)


def mismatches_visible(user: User) -> QuerySet[DeclarationMismatch]:
    return _visible(DeclarationMismatch.objects.select_related("entity", "bureau", "presence"), user)


def imports_visible(user: User) -> QuerySet[AnnualReportImport]:
    return _visible(AnnualReportImport.objects.select_related("bureau", "user"), user)


def repaired_penalties(entity_ids: Iterable[int], day: dt.date) -> set[tuple[str, str]]:
    """The penalty records whose display a granted repair ended on or before ``day``."""
    return set(
        CreditRepair.objects.filter(
            entity_id__in=list(entity_ids),
            target=RepairTarget.PENALTY,
            state=RepairState.GRANTED,
            effect_on__lte=day,
        ).values_list("penalty_source", "penalty_ref")
    )


def penalties_on_display(
    entity_ids: Iterable[int], day: dt.date | None = None
) -> list[penalties.PenaltyRecord]:
    day = day or timezone.localdate()
    ids = list(entity_ids)
    repaired = repaired_penalties(ids, day)
    return [r for r in penalties.penalties_of(ids) if r.on_display(day) and r.key not in repaired]


def credit_state_of(entity_ids: Iterable[int], day: dt.date | None = None) -> dict[int, dict]:
    """``{entity_id: {"abnormal": bool, "serious": bool, "penalties_on_display": int}}`` for every id asked."""
    day = day or timezone.localdate()
    ids = sorted({int(i) for i in entity_ids})
    out = {i: {"abnormal": False, "serious": False, "penalties_on_display": 0} for i in ids}
    if not ids:
        return out
    for i in AbnormalListing.objects.filter(
        entity_id__in=ids, state=AbnormalState.LISTED, listed_on__lte=day
    ).values_list("entity_id", flat=True):
        out[i]["abnormal"] = True
    for i in SeriousListing.objects.filter(
        entity_id__in=ids, state=SeriousState.LISTED, listed_on__lte=day
    ).values_list("entity_id", flat=True):
        out[i]["serious"] = True
    for record in penalties_on_display(ids, day):
        if record.entity_id in out:
            out[record.entity_id]["penalties_on_display"] += 1
    return out


def entity_credit(*, user: User, entity_id: int, day: dt.date | None = None) -> dict:
    """The entity page's credit panel: listings, serious listings, penalties shown, repairs, mismatches."""
    day = day or timezone.localdate()
    records = penalties.penalties_of([entity_id]) if permissions.may(user, CREDIT_READ) else []
    bureau_ids = visible_bureau_ids(user)
    records = [r for r in records if bureau_ids is None or r.bureau_id in bureau_ids]
    repaired = repaired_penalties([entity_id], day)
    return {
        "listings": listings_visible(user).filter(entity_id=entity_id)[:50],
        "serious": serious_visible(user).filter(entity_id=entity_id)[:50],
        "penalties": [
            {
                "record": r,
                "on_display": r.on_display(day) and r.key not in repaired,
                "repaired": r.key in repaired,
            }
            for r in records
        ],
        "repairs": repairs_visible(user).filter(entity_id=entity_id)[:50],
        "mismatches": mismatches_visible(user).filter(entity_id=entity_id)[:50],
        "state": credit_state_of([entity_id], day)[entity_id],
    }


def repair_subject(*, user: User, target: str, reference: str, entity_id: int | None = None) -> dict:
    """The record a repair application names, among those ``user`` may see: a listing's or serious listing's
    id, or a penalty as ``source:ref`` (``cases.case:12``) of the entity ``entity_id``. Returns
    ``repair_apply``'s arguments."""
    reference = (reference or "").strip()
    if target == RepairTarget.PENALTY:
        source, _sep, ref = reference.rpartition(":")
        entity = scope(MarketEntity.objects.all(), user).filter(pk=entity_id or 0).first()
        if entity is None or not permissions.may(user, CREDIT_READ):
            raise ValidationFailed("请选择本局可见的市场主体", "Choose an entity you can see")
        if penalties.penalty_get(source=source, ref=ref, entity_id=entity.pk) is None:
            raise ValidationFailed(
                f"没有找到该主体的行政处罚公示信息：{reference}", f"No published penalty: {reference}"
            )
        return {"entity": entity, "penalty": (source, ref)}
    if target not in (RepairTarget.ABNORMAL, RepairTarget.SERIOUS):
        raise ValidationFailed("请选择修复对象", "Choose what is to be repaired")
    if not reference.isdigit():
        raise ValidationFailed("请填写名录或名单记录的编号（数字）", "Give the record's number")
    qs = listings_visible(user) if target == RepairTarget.ABNORMAL else serious_visible(user)
    obj = qs.filter(pk=int(reference)).first()
    if obj is None:
        raise ValidationFailed(f"没有该记录，或无权查看：{reference}", f"No such record: {reference}")
    key = "abnormal" if target == RepairTarget.ABNORMAL else "serious"
    return {"entity": obj.entity, key: obj}
