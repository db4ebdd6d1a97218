"""The clue loop's risk indicator (``platform.indicators``): clues about an entity in the last 12 months.

A clue is a suspected violation someone reported or found (旌德 mechanism 二(四)); many of them about one
entity within a year is a signal whatever each one's outcome. Not counted: clues merged into another
(a duplicate, counted once as the clue it joined) and clues the unit found untrue (核查结论 不属实).
A clue counts for the entity it is linked to, directly or through its presence, else for the entity
whose 统一社会信用代码 it names.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.db.models.functions import Coalesce

from wangjian.clues.choices import CheckResult, ClueState
from wangjian.clues.models import Clue
from wangjian.platform.indicators import Indicator, IndicatorValue, register
from wangjian.registry.indicators import counts_by_entity

DAYS = 365


def clues_12m(bureau_id: int, entity_ids: list[int] | None, today: dt.date) -> dict[int, IndicatorValue]:
    clues = (
        Clue.objects.filter(
            bureau_id=bureau_id, found_on__gt=today - dt.timedelta(days=DAYS), found_on__lte=today
        )
        .exclude(state=ClueState.MERGED)
        .exclude(check_result=CheckResult.FALSE)
    )
    linked = (
        clues.annotate(linked=Coalesce("entity_id", "presence__entity_id"))
        .filter(linked__isnull=False)
        .values_list("linked")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_code = (
        clues.filter(entity__isnull=True, presence__entity__isnull=True)
        .exclude(entity_uscc="")
        .values_list("entity_uscc")
        .annotate(n=Count("id"))
        .order_by()
    )
    if entity_ids is not None:
        linked = linked.filter(linked__in=entity_ids)
    counts = counts_by_entity(bureau_id, by_entity=linked, by_uscc=by_code, entity_ids=entity_ids)
    return {k: IndicatorValue(n, f"近12个月线索{int(n)}条") for k, n in counts.items()}


CLUES_12M = Indicator("clues.clues_12m", "近12个月线索", "clues in the last 12 months", "clues", clues_12m)


def register_all() -> None:
    register(CLUES_12M)
