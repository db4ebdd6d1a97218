"""The registry of figures (统计指标): what each app counts, with its 口径 written beside it.

Every app registers its own figures in ``AppConfig.ready`` (``figures.register_all()``, as the risk
indicators do); the platform never imports an app. A figure is a stable key (``<app>_<name>``:
``clues_received``; the monitoring app's findings are plainly ``findings``), its names, its 口径
in Chinese and English — which date counts (received, decided, closed) and where an item that moved
counts (by default the bureau and unit handling it at the end of the period) —, its unit, the app
that owns it and ``compute(scope, start, end)``.

``compute`` answers one number (``int``, ``Decimal`` for money, ``float`` for a rate) for the
bureaus of ``scope`` over ``start`` … ``end``: local dates, both included. It never reads today's
clock: the caller gives the period, so a figure can be recomputed for any past period and the
same call answers the same number. A figure that cannot honour a filter of the scope (a register
of entities has no department) does not list it in ``filters``; the reader refuses such a request
(``reading.check_filters``) rather than answer an unfiltered number under a filtered heading.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.utils import timezone

from wangjian.core.errors import NotFoundError

Number = int | Decimal | float

# The filters a scope may carry besides its bureaus; a figure lists those it honours.
DEPARTMENT, STATION, DOMAIN, PLATFORM = "department", "station", "domain", "platform"
FILTERS = (DEPARTMENT, STATION, DOMAIN, PLATFORM)
FILTER_LABELS = {DEPARTMENT: "科室", STATION: "基层所", DOMAIN: "监管领域", PLATFORM: "平台"}

# 件 (clues, cases, complaints), 户 (entities), 元 (money), 条 (findings), % (rates), 页 (pages read),
# 个 (online presences), 次 (captures).
UNITS = ("件", "户", "元", "条", "%", "页", "个", "次")
KEY = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


@dataclass(frozen=True)
class Scope:
    """Whose figures: bureau ids (``None``: every bureau), and optionally one unit, domain and platform.

    ``bureau_ids`` is already the tree the caller asked for (a bureau and those below it, or the
    bureau alone): figures filter on it and never walk the tree themselves.
    """

    bureau_ids: frozenset[int] | None = None
    department_id: int | None = None
    station_id: int | None = None
    domain: str = ""
    platform_id: int | None = None

    def filters(self) -> set[str]:
        """The filters this scope sets besides the bureaus."""
        given = {
            DEPARTMENT: self.department_id is not None,
            STATION: self.station_id is not None,
            DOMAIN: bool(self.domain),
            PLATFORM: self.platform_id is not None,
        }
        return {name for name, on in given.items() if on}

    def bureaus(self, qs: QuerySet, field_name: str = "bureau") -> QuerySet:
        """``qs`` restricted to the scope's bureaus (all of them when ``bureau_ids`` is None)."""
        if self.bureau_ids is None:
            return qs
        return qs.filter(**{f"{field_name}_id__in": self.bureau_ids})

    def units(
        self,
        qs: QuerySet,
        *,
        department: str = "department",
        station: str = "station",
        domain: str = "domain",
        platform: str = "presence__platform",
    ) -> QuerySet:
        """``qs`` restricted to the scope's bureaus and the filters it sets, by the given field names."""
        qs = self.bureaus(qs)
        if self.department_id is not None:
            qs = qs.filter(**{f"{department}_id": self.department_id})
        if self.station_id is not None:
            qs = qs.filter(**{f"{station}_id": self.station_id})
        if self.domain:
            qs = qs.filter(**{domain: self.domain})
        if self.platform_id is not None:
            qs = qs.filter(**{f"{platform}_id": self.platform_id})
        return qs


Compute = Callable[[Scope, dt.date, dt.date], Number]
ComputeBy = Callable[[Scope, dt.date, dt.date], dict[str, Number]]
# The address of the records a figure counts: the app's list page with the filters that reproduce its rows.
RecordsUrl = Callable[[Scope, dt.date, dt.date], str]
ItemUrl = Callable[[Scope, dt.date, dt.date, str], str]


@dataclass(frozen=True)
class Breakdown:
    """A figure split by one attribute (findings by category, cases by source): ``compute`` answers
    ``{value: number}`` for the values found; ``choices`` names every value (``TextChoices.choices``)."""

    name: str  # "category"
    label_zh: str
    label_en: str
    choices: tuple[tuple[str, str], ...]
    compute: ComputeBy
    records_url: ItemUrl | None = None  # (scope, start, end, value) → the records of one item

    def label(self, value: str) -> str:
        return next((str(label) for v, label in self.choices if v == value), value or "（未填）")


@dataclass(frozen=True)
class Figure:
    """One figure: key, names, 口径, unit, owner, ``compute`` and what it can be filtered and split by.

    ``at_end``: the figure is a state at the end of the period (entities on the register, clues
    overdue), not a count of events within it; a series of it is the state at each month's end
    and its months do not add up to the year. ``monthly``: an optional grouped query answering
    ``{"YYYY-MM": number}`` over ``start`` … ``end`` at once (else a series computes month by month).
    ``records_url``: the address of the records counted for ``(scope, start, end)`` — the app's list
    page with the filters that reproduce the figure's rows; the dashboards link every card and chart
    to it (to the figure's own page, its 口径 and months, when the app gives none).
    """

    key: str
    label_zh: str
    label_en: str
    basis_zh: str  # 口径
    basis_en: str
    unit: str
    source_app: str
    compute: Compute
    filters: frozenset[str] = field(default_factory=frozenset)
    breakdown: Breakdown | None = None
    at_end: bool = False
    monthly: Callable[[Scope, dt.date, dt.date], dict[str, Number]] | None = None
    records_url: RecordsUrl | None = None

    def __post_init__(self):
        if not KEY.match(self.key):
            raise ImproperlyConfigured(f"figure key {self.key!r}: lower-case words joined by _")
        if self.unit not in UNITS:
            raise ImproperlyConfigured(f"figure {self.key}: unit {self.unit!r} is not one of {UNITS}")
        unknown = set(self.filters) - set(FILTERS)
        if unknown:
            raise ImproperlyConfigured(f"figure {self.key}: unknown filters {sorted(unknown)}")
        if not self.basis_zh.strip():
            raise ImproperlyConfigured(f"figure {self.key}: its 口径 (basis_zh) is written beside it")


_REGISTRY: dict[str, Figure] = {}


def register(*figures: Figure) -> None:
    """Add figures (an app's, at start-up). The same one twice is harmless; another under its key is not."""
    for figure in figures:
        known = _REGISTRY.get(figure.key)
        if known is not None and known != figure:
            raise ImproperlyConfigured(f"figure {figure.key} is registered twice, differently")
        _REGISTRY[figure.key] = figure


def unregister(key: str) -> None:
    """Take a figure out (a test's fake one); unknown keys are ignored."""
    _REGISTRY.pop(key, None)


def all() -> list[Figure]:  # noqa: A001 (the registry's own name for "every figure")
    """Every registered figure, in the order of registration (the apps' order in INSTALLED_APPS)."""
    return list(_REGISTRY.values())


def get(key: str) -> Figure:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise NotFoundError(f"未知的统计指标：{key}", f"Unknown figure: {key}") from None


def keys() -> list[str]:
    return list(_REGISTRY)


def list_url(
    url_name: str,
    scope: Scope,
    *,
    department: str | None = "department",
    station: str | None = "station",
    domain: str | None = "domain",
    platform: str | None = "platform",
    **params,
) -> str:
    """The address of an app's list page showing a figure's records: ``url_name`` reversed, with the
    scope's unit, domain and platform under the list's own query parameter names (``None``: the list
    has none) and ``params`` (dates written ``YYYY-MM-DD``; empty values left out). For a figure's
    ``records_url``: ``lambda s, a, b: list_url("cases:case_list", s, opened_after=a, opened_before=b)``.
    The list shows the bureaus its reader may see; the scope's bureaus are not in the address."""
    from urllib.parse import urlencode

    from django.urls import reverse

    query = {}
    for name, value in (
        (department, scope.department_id),
        (station, scope.station_id),
        (domain, scope.domain),
        (platform, scope.platform_id),
    ):
        if name and value not in (None, ""):
            query[name] = value
    for name, value in params.items():
        if value in (None, ""):
            continue
        query[name] = value.isoformat() if isinstance(value, dt.date) else value
    url = reverse(url_name)
    return f"{url}?{urlencode(query)}" if query else url


# The choices a filter offers on the dashboards (the platforms of the bureaus asked for): the app that owns
# them registers ``fn(bureau_ids) -> [(id, label), …]`` (``bureau_ids`` None: every bureau). The platform
# imports no app, so without one the dashboard asks for the id.
_CHOICES: dict[str, Callable[[frozenset[int] | None], list[tuple[int, str]]]] = {}


def register_choices(name: str, fn: Callable[[frozenset[int] | None], list[tuple[int, str]]]) -> None:
    if name not in FILTERS:
        raise ImproperlyConfigured(f"unknown filter {name!r}")
    _CHOICES[name] = fn


def choices_for(name: str, bureau_ids: frozenset[int] | None) -> list[tuple[int, str]] | None:
    """The registered choices of filter ``name`` for the bureaus, or None when no app offers them."""
    fn = _CHOICES.get(name)
    return None if fn is None else list(fn(bureau_ids))


# ---------------------------------------------------------------- helpers for the apps' computations


def day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """``[start 00:00, the day after end 00:00)`` in the site's time zone: the period over a timestamp.

    Filter ``field__gte=lo, field__lt=hi``: a record of 23:59 on the last day counts, one of 00:00
    the day after does not, whatever the database's own time zone.
    """
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return lo, hi


def in_period(field_name: str, start: dt.date, end: dt.date, *, timestamp: bool = False) -> dict:
    """The lookup of ``field_name`` within the period: a date field by its range, a timestamp by ``day_bounds``."""
    if timestamp:
        lo, hi = day_bounds(start, end)
        return {f"{field_name}__gte": lo, f"{field_name}__lt": hi}
    return {f"{field_name}__range": (start, end)}


def counted_by(qs: QuerySet, field_name: str) -> dict[str, int]:
    """``{value: count}`` of ``qs`` grouped by ``field_name`` (one query)."""
    from django.db.models import Count

    return {str(v): n for v, n in qs.values_list(field_name).annotate(n=Count("id")).order_by()}
