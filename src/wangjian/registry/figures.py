"""The registry's figures (``platform.statistics``): entities, presences and presences matched to an entity.

Figures of a register are its state at the end of the period (the last day), not counts of events
within it. A row counts from the day it was entered (``created``); an entity stops counting from
the date of its 注销, 吊销 or 迁出 (``status_date``; without a date, as its status stands). A
presence's status and its link to an entity carry no date: they count as they stand now.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from wangjian.platform.statistics import PLATFORM, Figure, Scope, day_bounds, list_url, register
from wangjian.registry.choices import EntityStatus
from wangjian.registry.models import MarketEntity, Presence

GONE = (EntityStatus.CANCELLED, EntityStatus.REVOKED, EntityStatus.MOVED_OUT)


def entities(scope: Scope, start: dt.date, end: dt.date) -> int:
    _lo, after = day_bounds(end, end)
    gone = Q(status__in=GONE) & (Q(status_date__isnull=True) | Q(status_date__lte=end))
    return scope.bureaus(MarketEntity.objects.filter(created__lt=after)).exclude(gone).count()


def _presences(scope: Scope, end: dt.date):
    _lo, after = day_bounds(end, end)
    qs = scope.bureaus(Presence.objects.filter(created__lt=after))
    if scope.platform_id is not None:
        qs = qs.filter(platform_id=scope.platform_id)
    return qs


def presences(scope: Scope, start: dt.date, end: dt.date) -> int:
    return _presences(scope, end).count()


def presences_matched(scope: Scope, start: dt.date, end: dt.date) -> int:
    return _presences(scope, end).filter(entity__isnull=False).count()


# ---------------------------------------------------------------- the lists that show these rows


def on_register(qs, end: dt.date):
    """``qs`` narrowed to the entities on the register at the end of ``end``, as ``entities`` counts them:
    the entity list's 某日日终在册 filter (``on_register``), kept beside the rule it repeats (by the local day of
    ``created``: any date a list is given has one, not always a next midnight)."""
    gone = Q(status__in=GONE) & (Q(status_date__isnull=True) | Q(status_date__lte=end))
    return qs.filter(created__date__lte=end).exclude(gone)


def _entity_list(scope: Scope, start: dt.date, end: dt.date) -> str:
    return list_url(
        "registry:entity_list",
        scope,
        department=None,
        station=None,
        domain=None,
        platform=None,
        on_register=end,
    )


def _presence_list(scope: Scope, start: dt.date, end: dt.date, **more) -> str:
    """The presence list of those entered by the period's last day (``created_before``), on the scope's platform."""
    return list_url(
        "registry:presence_list",
        scope,
        department=None,
        station=None,
        domain=None,
        created_before=end,
        **more,
    )


ENTITIES = Figure(
    "registry_entities",
    "在册市场主体",
    "entities on the register",
    "统计期间最后一日日终本局台账中的市场主体：录入时间（created）不晚于该日，且不含该日前已注销、吊销、迁出的"
    "（按状态日期；无状态日期的按现状态）；期末时点数。",
    "Market entities on the bureau's register at the end of the period's last day: entered by then, less those "
    "cancelled, revoked or moved out by then (by status date; without one, as the status stands); a state at "
    "the end.",
    "户",
    "registry",
    entities,
    at_end=True,
    records_url=_entity_list,
)
PRESENCES = Figure(
    "registry_presences",
    "网络经营场所",
    "online presences",
    "统计期间最后一日日终本局台账中的网络经营场所（录入时间不晚于该日，含已关停的）；期末时点数。",
    "Online presences on the bureau's register at the end of the period's last day (entered by then, closed "
    "ones included); a state at the end.",
    "个",
    "registry",
    presences,
    filters=frozenset({PLATFORM}),
    at_end=True,
    records_url=_presence_list,
)
MATCHED = Figure(
    "registry_presences_matched",
    "已关联主体的网络经营场所",
    "presences matched to an entity",
    "上述网络经营场所中已关联登记主体的（关联状态按现状，系统不保存关联日期）；期末时点数。",
    "Of those presences, the ones linked to a registered entity (the link as it stands now: its date is not "
    "kept); a state at the end.",
    "个",
    "registry",
    presences_matched,
    filters=frozenset({PLATFORM}),
    at_end=True,
    records_url=lambda s, a, b: _presence_list(s, a, b, linked="true"),
)


def register_all() -> None:
    register(ENTITIES, PRESENCES, MATCHED)
