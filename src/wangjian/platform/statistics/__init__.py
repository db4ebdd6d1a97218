"""Statistics from one place (统计指标): a registry every app fills, read by the API, the command and (later)
the dashboards and campaign tables.

``registry`` holds the figures and the scope they are computed for; ``reading`` computes them with
the filters checked, and month by month; ``access`` turns a user's request into a scope they may
read (the permission table's ``stats.read``). Apps register their figures in ``AppConfig.ready``
(``<app>/figures.py``, ``register_all()``); the platform imports none of them.
"""

from wangjian.platform.statistics.reading import (
    FigureValue,
    Period,
    Reading,
    breakdown,
    check_filters,
    month_periods,
    plain,
    series,
    value,
    values,
)
from wangjian.platform.statistics.registry import (
    DEPARTMENT,
    DOMAIN,
    FILTERS,
    PLATFORM,
    STATION,
    UNITS,
    Breakdown,
    Figure,
    Number,
    Scope,
    all,
    choices_for,
    counted_by,
    day_bounds,
    get,
    in_period,
    keys,
    list_url,
    register,
    register_choices,
    unregister,
)

__all__ = [
    "DEPARTMENT",
    "DOMAIN",
    "FILTERS",
    "PLATFORM",
    "STATION",
    "UNITS",
    "Breakdown",
    "Figure",
    "FigureValue",
    "Number",
    "Period",
    "Reading",
    "Scope",
    "all",
    "breakdown",
    "choices_for",
    "check_filters",
    "counted_by",
    "day_bounds",
    "get",
    "in_period",
    "keys",
    "list_url",
    "month_periods",
    "plain",
    "register",
    "register_choices",
    "series",
    "unregister",
    "value",
    "values",
]
