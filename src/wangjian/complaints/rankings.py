"""The complaints app's rankings (``platform.statistics.rankings``): the businesses and the platforms most
complained about or reported.

The records ranked are the figure ``complaints_received``' (``figures._received``): received within
the period, not transferred to another authority by its end, for the handling bureau and unit. The
business is the record's matched market entity (``Complaint.entity``); the platform, as the figure's
platform filter takes it, that of the record's online presence, or, where no presence is linked,
the registered platform bearing the name recorded from 12315. A row's records are the figure's, of
that business or platform.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, F, OuterRef, Subquery, When

from wangjian.complaints.figures import FILTERS, MOVED, MOVED_EN, _received
from wangjian.platform.statistics import Scope
from wangjian.platform.statistics.rankings import (
    ENTITIES,
    PLATFORMS,
    Ranking,
    Row,
    figure_records_url,
    grouped,
    register_ranking,
)
from wangjian.registry.models import Platform

SAME = "收到日期（received_on）在统计期间内的投诉和举报（与“收到投诉举报”指标同一口径）"
SAME_EN = (
    "Complaints and reports received (received_on) within the period (as the figure 'complaints received')"
)


def by_entity(scope: Scope, start: dt.date, end: dt.date, limit: int) -> list[Row]:
    return grouped(_received(scope, start, end), "entity_id", "entity__name", limit)


# A record with a presence is on the presence's platform (or on none); one without, on the platform
# registered under the name 12315 recorded — the first registered of that name, so it counts once.
_NAMED = Platform.objects.filter(name=OuterRef("platform_name")).exclude(name="").order_by("pk")
PLATFORM_OF = Case(
    When(presence__isnull=False, then=F("presence__platform_id")),
    default=Subquery(_NAMED.values("pk")[:1]),
)
PLATFORM_NAME = Case(
    When(presence__isnull=False, then=F("presence__platform__name")),
    default=F("platform_name"),
)


def by_platform(scope: Scope, start: dt.date, end: dt.date, limit: int) -> list[Row]:
    return grouped(_received(scope, start, end), PLATFORM_OF, PLATFORM_NAME, limit)


BY_ENTITY = Ranking(
    "complaints_received_by_entity",
    "被投诉举报最多的经营主体",
    "market entities most complained about or reported",
    SAME + "，按被投诉人/被举报人已匹配的市场主体分列；未匹配到市场主体的不计入任何主体。" + MOVED,
    SAME_EN + ", by the market entity matched to the business complained about; records matched to none "
    "count for no entity. " + MOVED_EN,
    "件",
    "complaints",
    by_entity,
    filters=FILTERS,
    records_url=lambda s, a, b, pk: figure_records_url("complaints_received", s, a, b, entity=pk),
    subject=ENTITIES,
)
BY_PLATFORM = Ranking(
    "complaints_received_by_platform",
    "被投诉举报最多的平台",
    "platforms most complained about or reported",
    SAME + "，按平台分列：关联了网店的按网店所在平台；未关联网店的按12315记录的平台名称对应已登记的平台"
    "（同名的按最先登记的计）；平台名称未登记或不在平台上的不计。" + MOVED,
    SAME_EN + ", by platform: the platform of the linked presence, or, with none linked, the registered "
    "platform of the name recorded from 12315 (the first registered of that name); records on no registered "
    "platform are left out. " + MOVED_EN,
    "件",
    "complaints",
    by_platform,
    filters=FILTERS,
    records_url=lambda s, a, b, pk: figure_records_url("complaints_received", s, a, b, platform=pk),
    subject=PLATFORMS,
)


def register_all() -> None:
    register_ranking(BY_ENTITY, BY_PLATFORM)
