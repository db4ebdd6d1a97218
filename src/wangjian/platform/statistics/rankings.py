"""The registry of rankings (排名): the platforms and the market entities with the most findings, clues,
complaints — each ranking written beside its 口径, as the figures are (``registry``).

An app registers its rankings in ``AppConfig.ready`` (``<app>/rankings.py``, ``register_all()``, next
to its figures); the platform never imports an app. A ranking is a stable key
(``findings_by_platform``), its names, its 口径 in Chinese and English — the figure it splits and
what it leaves out (a finding whose shop has no matched entity is no entity's) —, its unit, the app
that owns it, what it ranks (``PLATFORMS`` or ``ENTITIES``) and:

- ``compute(scope, start, end, limit)``: the top ``limit`` rows ``(id, label, number)`` for the
  bureaus of ``scope`` over ``start`` … ``end`` (local dates, both included), by the same period and
  bureau rules as the figure it splits; the number descending, then the label, then the id, so ties
  come out in the same order every time. One grouped query bounded by ``limit`` (``grouped``), never
  a query per row; a platform or entity with nothing in the period is no row.
- ``records_url(scope, start, end, id)``: the app's list page of one row's records — the records of the
  figure it splits, narrowed to the row (``figure_records_url``).

Like a figure, a ranking that cannot honour a filter of the scope does not list it in ``filters``:
``read`` refuses such a request, and a dashboard says so, rather than rank unfiltered numbers under
a filtered heading.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import NamedTuple
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Expression, F, QuerySet

from wangjian.core.errors import NotFoundError, ValidationFailed
from wangjian.platform.statistics.reading import check_period
from wangjian.platform.statistics.registry import FILTER_LABELS, FILTERS, KEY, UNITS, Number, Scope, get

# What a ranking ranks: the e-commerce platforms (registry.Platform) or the market entities
# (registry.MarketEntity, 经营主体). A dashboard draws one chart of each.
PLATFORMS, ENTITIES = "platform", "entity"
SUBJECTS = {PLATFORMS: "平台", ENTITIES: "经营主体"}
SUBJECTS_EN = {PLATFORMS: "platforms", ENTITIES: "market entities"}

LIMIT_DEFAULT, LIMIT_MAX = 10, 100


class Row(NamedTuple):
    """One ranked platform or entity: its id, its name and its number in the period."""

    id: int
    label: str
    number: Number


Compute = Callable[[Scope, dt.date, dt.date, int], list[Row]]
RowUrl = Callable[[Scope, dt.date, dt.date, int], str]


@dataclass(frozen=True)
class Ranking:
    """One ranking: key, names, 口径, unit, owner, ``compute``, the filters it honours and its rows' records."""

    key: str
    label_zh: str
    label_en: str
    basis_zh: str  # 口径
    basis_en: str
    unit: str
    source_app: str
    compute: Compute
    filters: frozenset[str] = field(default_factory=frozenset)
    records_url: RowUrl | None = None
    subject: str = ENTITIES

    def __post_init__(self):
        if not KEY.match(self.key):
            raise ImproperlyConfigured(f"ranking key {self.key!r}: lower-case words joined by _")
        if self.unit not in UNITS:
            raise ImproperlyConfigured(f"ranking {self.key}: unit {self.unit!r} is not one of {UNITS}")
        unknown = set(self.filters) - set(FILTERS)
        if unknown:
            raise ImproperlyConfigured(f"ranking {self.key}: unknown filters {sorted(unknown)}")
        if not self.basis_zh.strip():
            raise ImproperlyConfigured(f"ranking {self.key}: its 口径 (basis_zh) is written beside it")
        if self.subject not in SUBJECTS:
            raise ImproperlyConfigured(f"ranking {self.key}: it ranks one of {sorted(SUBJECTS)}")

    def row_url(self, scope: Scope, start: dt.date, end: dt.date, pk: int) -> str:
        return self.records_url(scope, start, end, pk) if self.records_url is not None else ""


_REGISTRY: dict[str, Ranking] = {}


def register_ranking(*rankings: Ranking) -> None:
    """Add rankings (an app's, at start-up). The same one twice is harmless; another under its key is not."""
    for ranking in rankings:
        known = _REGISTRY.get(ranking.key)
        if known is not None and known != ranking:
            raise ImproperlyConfigured(f"ranking {ranking.key} is registered twice, differently")
        _REGISTRY[ranking.key] = ranking


def unregister_ranking(key: str) -> None:
    """Take a ranking out (a test's fake one); unknown keys are ignored."""
    _REGISTRY.pop(key, None)


def rankings(subject: str | None = None) -> list[Ranking]:
    """Every registered ranking (of ``subject``), in the order of registration."""
    return [r for r in _REGISTRY.values() if subject is None or r.subject == subject]


def get_ranking(key: str) -> Ranking:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise NotFoundError(f"未知的排名：{key}", f"Unknown ranking: {key}") from None


# ---------------------------------------------------------------- reading, with the filters checked


def unsupported(ranking: Ranking, scope: Scope) -> list[str]:
    """The filters of ``scope`` that ``ranking`` cannot honour."""
    return sorted(scope.filters() - set(ranking.filters))


def check_filters(ranking: Ranking, scope: Scope) -> None:
    """Refuse a scope whose filters the ranking cannot honour (naming them and what it can)."""
    missing = unsupported(ranking, scope)
    if missing:
        zh_missing = "、".join(FILTER_LABELS[f] for f in missing)
        zh_can = "、".join(FILTER_LABELS[f] for f in sorted(ranking.filters)) or "无（只能按局统计）"
        raise ValidationFailed(
            f"排名“{ranking.label_zh}”（{ranking.key}）不能按{zh_missing}筛选；可用的筛选：{zh_can}",
            f"The ranking '{ranking.label_en}' ({ranking.key}) cannot be filtered by {', '.join(missing)}; "
            f"it can be filtered by: {', '.join(sorted(ranking.filters)) or 'nothing but the bureau'}",
            detail={"ranking": ranking.key, "unsupported": missing, "supported": sorted(ranking.filters)},
        )


def check_limit(limit: object) -> int:
    """``limit`` as the number of rows asked for: a whole number from 1 to ``LIMIT_MAX``, else refused."""
    text = str(limit).strip() if limit is not None else ""
    if not (text.isdigit() and len(text) <= 3 and 1 <= int(text) <= LIMIT_MAX):
        raise ValidationFailed(
            f"limit 应为1至{LIMIT_MAX}之间的整数：{limit}",
            f"limit must be a whole number from 1 to {LIMIT_MAX}: {limit}",
            detail={"limit": str(limit), "min": 1, "max": LIMIT_MAX},
        )
    return int(text)


def read(key: str, scope: Scope, start: dt.date, end: dt.date, limit: int = LIMIT_DEFAULT) -> list[Row]:
    """The top ``limit`` rows of ranking ``key``; refuses a bad period or limit and filters it cannot honour."""
    ranking = get_ranking(key)
    check_period(start, end)
    limit = check_limit(limit)
    check_filters(ranking, scope)
    return list(ranking.compute(scope, start, end, limit))


# ---------------------------------------------------------------- the apps' helper


def grouped(qs: QuerySet, row_id: str | Expression, label: str | Expression, limit: int) -> list[Row]:
    """The records of ``qs`` counted by ``row_id`` (a field path or an expression; records without one left
    out), named by ``label``: the top ``limit`` by count, then label, then id — one grouped query."""
    as_expr = [F(x) if isinstance(x, str) else x for x in (row_id, label)]
    rows = (
        qs.annotate(rank_id=as_expr[0], rank_label=as_expr[1])
        .filter(rank_id__isnull=False)
        .values_list("rank_id", "rank_label")
        .annotate(n=Count("pk"))
        .order_by("-n", "rank_label", "rank_id")[: max(int(limit), 0)]
    )
    return [Row(pk, label or "", n) for pk, label, n in rows]


def figure_records_url(figure_key: str, scope: Scope, start: dt.date, end: dt.date, **row: int) -> str:
    """The records of one row: those of figure ``figure_key`` (its ``records_url``, the list page with the
    filters that reproduce its rows) narrowed to the row — ``platform=<id>`` as the scope's platform (the
    list's own name for it), any other (``entity=<id>``) added to the query. ``""`` when the figure names
    no list."""
    platform = row.pop("platform", None)
    if platform is not None:
        scope = replace(scope, platform_id=platform)
    figure = get(figure_key)
    if figure.records_url is None:
        return ""
    parts = urlsplit(figure.records_url(scope, start, end))
    query = "&".join(filter(None, [parts.query, urlencode(row)]))
    return urlunsplit(parts._replace(query=query))
