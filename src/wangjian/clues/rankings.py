"""The clue loop's ranking (``platform.statistics.rankings``): the market entities with the most clues received.

The clues ranked are the figure ``clues_received``' (``figures.received_ids``): found or received
within the period, counted for the bureau and unit holding them at its end, a transferred clue from
the day the first bureau received it, a merged clue only as the clue it joined. A clue names its
entity (``Clue.entity``) when it was matched to the register; one that is not counts for no entity.
A row's records are the figure's, of that entity.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from wangjian.clues.figures import FILTERS, MOVED, MOVED_EN, _held, _moved_in
from wangjian.platform.statistics import Scope
from wangjian.platform.statistics.rankings import (
    ENTITIES,
    Ranking,
    Row,
    figure_records_url,
    grouped,
    register_ranking,
)


def _received(scope: Scope, start: dt.date, end: dt.date) -> QuerySet:
    """The clues of ``figures.received_ids`` as one queryset (the few received by transfer by id), so that
    they are grouped in the database rather than read out by id."""
    held = _held(scope, start, end)
    return held.filter(Q(transferred_from__isnull=True) | Q(pk__in=_moved_in(held, start, end)))


def by_entity(scope: Scope, start: dt.date, end: dt.date, limit: int) -> list[Row]:
    return grouped(_received(scope, start, end), "entity_id", "entity__name", limit)


BY_ENTITY = Ranking(
    "clues_received_by_entity",
    "受理线索最多的经营主体",
    "market entities with the most clues received",
    "发现/收到日期（found_on）在统计期间内的线索（与“受理线索”指标同一口径），按线索已关联的市场主体分列；"
    "未关联到市场主体的线索不计入任何主体。" + MOVED + "移交来的线索按最初收到该线索的局的收到日期计。",
    "Clues found or received (found_on) within the period (as the figure 'clues received'), by the market "
    "entity the clue is linked to; clues linked to none count for no entity. " + MOVED_EN + " A transferred "
    "clue counts from the day the first bureau received it.",
    "件",
    "clues",
    by_entity,
    filters=FILTERS,
    records_url=lambda s, a, b, pk: figure_records_url("clues_received", s, a, b, entity=pk),
    subject=ENTITIES,
)


def register_all() -> None:
    register_ranking(BY_ENTITY)
