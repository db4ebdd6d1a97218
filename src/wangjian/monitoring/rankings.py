"""The monitoring app's rankings (``platform.statistics.rankings``): findings by platform and by market entity.

The findings ranked are the figure ``findings``' (``figures._findings``): first seen within the period,
of the bureau running the task. A finding's platform is its presence's (网店所在平台), its entity the
presence's matched entity (经营主体); a presence on no platform, or with no entity matched, is in
neither ranking — the 口径 says so. A row's records are the figure's, of that platform or entity.
"""

from __future__ import annotations

import datetime as dt

from wangjian.monitoring.figures import _findings
from wangjian.platform.statistics import PLATFORM, Scope
from wangjian.platform.statistics.rankings import (
    ENTITIES,
    PLATFORMS,
    Ranking,
    Row,
    figure_records_url,
    grouped,
    register_ranking,
)

SAME = "首次发现时间（first_seen）在统计期间内的监测发现（与“监测发现”指标同一口径），计入执行监测任务的局"
SAME_EN = "Findings first seen within the period (as the figure 'findings'), for the bureau running the task"


def by_platform(scope: Scope, start: dt.date, end: dt.date, limit: int) -> list[Row]:
    return grouped(_findings(scope, start, end), "presence__platform_id", "presence__platform__name", limit)


def by_entity(scope: Scope, start: dt.date, end: dt.date, limit: int) -> list[Row]:
    return grouped(_findings(scope, start, end), "presence__entity_id", "presence__entity__name", limit)


BY_PLATFORM = Ranking(
    "findings_by_platform",
    "监测发现最多的平台",
    "platforms with the most findings",
    SAME + "，按网店所在平台分列；不在平台上的网店（自建网站等）不计。",
    SAME_EN + ", by the platform of the presence; presences on no platform (own websites …) are left out.",
    "条",
    "monitoring",
    by_platform,
    filters=frozenset({PLATFORM}),
    records_url=lambda s, a, b, pk: figure_records_url("findings", s, a, b, platform=pk),
    subject=PLATFORMS,
)
BY_ENTITY = Ranking(
    "findings_by_entity",
    "监测发现最多的经营主体",
    "market entities with the most findings",
    SAME + "，按网店已匹配的市场主体分列；网店尚未匹配到市场主体的监测发现不计入任何主体。",
    SAME_EN + ", by the market entity matched to the presence; findings on presences with no matched entity "
    "count for no entity.",
    "条",
    "monitoring",
    by_entity,
    filters=frozenset({PLATFORM}),
    records_url=lambda s, a, b, pk: figure_records_url("findings", s, a, b, entity=pk),
    subject=ENTITIES,
)


def register_all() -> None:
    register_ranking(BY_PLATFORM, BY_ENTITY)
