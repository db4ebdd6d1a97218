"""The navigation bar, shaped by role: apps register their menu entries with the roles that use them.

An app lists ``nav_items = [NavItem(menu, label, url_name, roles=...)]`` on its ``AppConfig``;
the bar shows a user the entries of their role. The office (办公室管理员) and the superuser see
everything: the office runs the platform. A station officer sees the workbench, clues, the
registry of its territory and evidence — not every registry and the organisation's settings.

``roles=None`` means every member of staff. Role names are ``org.choices.Role`` values.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from wangjian.org import permissions
from wangjian.org.choices import Role

# Role groups the apps name when they register entries.
OFFICE = permissions.OFFICE  # a bureau's office administrator, and the province office
LEADERSHIP = OFFICE | {Role.LEADING_GROUP}
OVERSIGHT = OFFICE | {Role.LEADING_GROUP, Role.AUDITOR}
DEPARTMENTS = OFFICE | {Role.DEPARTMENT_HEAD, Role.OFFICER, Role.LEGAL_REVIEWER}
CASEWORKERS = OFFICE | {Role.DEPARTMENT_HEAD, Role.OFFICER, Role.STATION_OFFICER, Role.LEGAL_REVIEWER}
STAFF = None  # everyone


@dataclass(frozen=True)
class NavItem:
    menu: Any
    label: Any
    url_name: str
    roles: frozenset[str] | None = STAFF

    def visible_to(self, user: Any) -> bool:
        if self.roles is None or user.is_superuser:
            return True
        role = getattr(user, "role", None)
        return role in OFFICE or role in self.roles


def items() -> list[NavItem]:
    """Every registered entry, in the order of ``INSTALLED_APPS``."""
    out: list[NavItem] = []
    for config in apps.get_app_configs():
        for item in getattr(config, "nav_items", ()):
            out.append(item if isinstance(item, NavItem) else NavItem(*item))
    return out


def menus_for(user: Any) -> list[tuple[str, list[tuple[Any, str]]]]:
    """``[(menu, [(label, url), …]), …]`` of the entries ``user`` uses."""
    menus: OrderedDict = OrderedDict()
    for item in items():
        if not item.visible_to(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        menus.setdefault(str(item.menu), []).append((item.label, url))
    return list(menus.items())
