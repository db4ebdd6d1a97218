"""Sections of the workbench and of the domain pages that each app contributes.

An app registers a function ``(user) -> dict | None`` returning
``{"title", "items": [{"label", "url", "due", "overdue"}], "url"}``; the workbench lists
them in registration order. A domain page (``/org/domains/<domain>/``) asks every registered
``(user, domain, bureau) -> dict | None`` for that domain's open items in the bureau.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

_SECTIONS: list[Callable] = []


def register(fn: Callable) -> Callable:
    _SECTIONS.append(fn)
    return fn


def workbench_sections(user) -> list[dict]:
    out = []
    for fn in _SECTIONS:
        section = fn(user)
        if section:
            out.append(section)
    return out


_DOMAIN_SECTIONS: list[Callable] = []


def register_domain_section(fn: Callable) -> Callable:
    """Add a section to the domain page: ``fn(user, domain, bureau) -> {"title", "items", "url"} | None``."""
    _DOMAIN_SECTIONS.append(fn)
    return fn


def domain_sections(user, domain: str, bureau=None) -> list[dict]:
    return [s for s in (fn(user, domain, bureau) for fn in _DOMAIN_SECTIONS) if s]


def my_figures(user, today: dt.date) -> dict | None:
    """The user's own figures for the workbench (``statistics.dashboard.my_figures``): their unit's —
    their bureau's for the office —, this month and this year; None when there are none to show."""
    from wangjian.core.errors import WangjianError
    from wangjian.platform.statistics import dashboard

    try:
        return dashboard.my_figures(user, today)
    except WangjianError:
        return None  # an account without a bureau, or a role the table does not let read figures
