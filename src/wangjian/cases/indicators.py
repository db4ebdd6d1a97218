"""The cases' risk indicator (``platform.indicators``): penalty decisions against an entity in the last 3 years.

A decision to penalise (``penalised``, 给予行政处罚) counts from its decision date for three years — the
display period of a penalty that is not minor (行政处罚信息公示规定 art. 13), the time it stays in the
entity's public record. A case counts for the entity it is linked to, else for the one whose
统一社会信用代码 the party gave.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from wangjian.cases.models import Case
from wangjian.platform.indicators import Indicator, IndicatorValue, register
from wangjian.registry.indicators import counts_by_entity


def _three_years_before(today: dt.date) -> dt.date:
    try:
        return today.replace(year=today.year - 3)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 3, day=28)


def penalties_3y(bureau_id: int, entity_ids: list[int] | None, today: dt.date) -> dict[int, IndicatorValue]:
    cases = Case.objects.filter(
        bureau_id=bureau_id, penalised=True, decided_on__gt=_three_years_before(today), decided_on__lte=today
    )
    linked = cases.filter(entity__isnull=False).values_list("entity_id").annotate(n=Count("id")).order_by()
    if entity_ids is not None:
        linked = linked.filter(entity_id__in=entity_ids)
    by_code = (
        cases.filter(entity__isnull=True)
        .exclude(party_uscc="")
        .values_list("party_uscc")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = counts_by_entity(bureau_id, by_entity=linked, by_uscc=by_code, entity_ids=entity_ids)
    return {k: IndicatorValue(n, f"近3年行政处罚决定{int(n)}件") for k, n in counts.items()}


PENALTIES_3Y = Indicator(
    "cases.penalties_3y", "近3年行政处罚", "penalty decisions in the last 3 years", "cases", penalties_3y
)


def register_all() -> None:
    register(PENALTIES_3Y)
