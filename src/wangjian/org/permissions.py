"""The permission table: every role × every action of the pages and the API, in one place.

A row is an action (``Action``): its key, what it is in words an officer reads, and the roles
the table lets take it; the superuser takes every action. The organisation's rows are below;
the apps above register theirs in ``AppConfig.ready`` (``permissions.register(*ACTIONS)``), so
this layer imports none of them. Pages, the API, commands and services read the cell
(``may``, ``require``); what a rule needs besides the role — the row's bureau, the unit a clue
is assigned to, the clue's transition table, the rank of an account being managed — the
service decides after the cell says yes.

The table keeps two rules itself: the auditor (只读审计) is in no row that writes (``register``
refuses one), and a row names only roles that exist. ``tests/platform/test_permission_matrix.py``
walks every cell on the page and through the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from wangjian.core.errors import PermissionDeniedError
from wangjian.org.choices import Role


@dataclass(frozen=True)
class Action:
    """One row of the table: an action of the pages and the API, and the roles that may take it."""

    key: str  # "<app>.<thing>.<verb>": clues.clue.create
    zh: str  # what the officer reads: 登记线索
    en: str
    roles: frozenset[str]
    reads: bool = False  # only reads: the auditor may be among the roles

    def refusal(self) -> tuple[str, str]:
        """The sentence a refused user reads, naming who may and the row of the table."""
        zh_roles = "、".join(["超级管理员", *(str(Role(r).label) for r in _ordered(self.roles))])
        en_roles = ", ".join(["the superuser", *_ordered(self.roles)])
        return (
            f"“{self.zh}”只能由{zh_roles}操作（权限表：{self.key}）",
            f"'{self.en}' is for {en_roles} only (permission table: {self.key})",
        )


def _ordered(roles: frozenset[str]) -> list[str]:
    return [r for r in Role.values if r in roles]


# Role groups the rows name.
EVERY_ROLE = frozenset(Role.values)
OFFICE = frozenset({Role.OFFICE_ADMIN, Role.PROVINCE_OFFICE})  # a bureau's office (province's included)
STAFF_WHO_ACT = EVERY_ROLE - {Role.AUDITOR}  # everyone but the read-only auditor

_TABLE: dict[str, Action] = {}


def register(*actions: Action) -> None:
    """Add rows to the table (an app's, at start-up). The same row twice is harmless; a different one is not."""
    for action in actions:
        unknown = set(action.roles) - EVERY_ROLE
        if unknown:
            raise ImproperlyConfigured(f"permission {action.key} names unknown roles: {sorted(unknown)}")
        if not action.reads and Role.AUDITOR in action.roles:
            raise ImproperlyConfigured(
                f"permission {action.key} writes, and the auditor is read-only (只读审计): take it out"
            )
        known = _TABLE.get(action.key)
        if known is not None and known != action:
            raise ImproperlyConfigured(f"permission {action.key} is registered twice, differently")
        _TABLE[action.key] = action


def get(key: str) -> Action:
    try:
        return _TABLE[key]
    except KeyError:
        raise ImproperlyConfigured(
            f"permission {key} is not in the table: its app registers it in AppConfig.ready"
        ) from None


def actions() -> list[Action]:
    """Every row, ordered by key."""
    return sorted(_TABLE.values(), key=lambda a: a.key)


def role_may(role: str, key: str) -> bool:
    """The table's cell: may staff of ``role`` take action ``key``?"""
    return role in get(key).roles


def may(user: Any, key: str) -> bool:
    """May ``user`` take action ``key``? ``None`` is the system itself (a command, a task)."""
    action = get(key)
    if user is None:
        return True
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if user.is_superuser:
        return True
    return getattr(user, "role", None) in action.roles


def require(user: Any, key: str) -> None:
    """Raise ``PermissionDeniedError`` naming the row unless ``user`` may take action ``key``."""
    if not may(user, key):
        zh, en = get(key).refusal()
        raise PermissionDeniedError(zh, en, detail={"permission": key})


def matrix() -> list[tuple[Action, dict[str, bool]]]:
    """The table as rows of cells: ``[(action, {role: allowed})]`` (the README's table, a test's cases)."""
    return [(a, {role: role in a.roles for role in Role.values}) for a in actions()]


# ---------------------------------------------------------------- rank: who may manage whose account

# A user manages only accounts of a lower rank than their own, and grants only lower roles;
# the superuser's account and accounts of equal or higher rank are the superuser's to manage.
# The leading group and the auditor rank with the office: the office neither takes over the
# leaders' accounts nor the account of the one who audits it.
ROLE_RANK: dict[str, int] = {
    Role.PROVINCE_OFFICE: 4,
    Role.OFFICE_ADMIN: 3,
    Role.LEADING_GROUP: 3,
    Role.AUDITOR: 3,
    Role.DEPARTMENT_HEAD: 2,
    Role.OFFICER: 1,
    Role.STATION_OFFICER: 1,
    Role.LEGAL_REVIEWER: 1,
}


def rank(role: str) -> int:
    return ROLE_RANK.get(role, max(ROLE_RANK.values()) + 1)  # an unknown role ranks above everyone


# ---------------------------------------------------------------- the organisation's rows

ORG_READ = "org.read"
ORG_MANAGE = "org.manage"
USERS_MANAGE = "org.users.manage"
NOTICES_DRAFT = "org.notices.draft"
ATTENDANCE_READ = "org.attendance.read"
CHANGELOG_READ = "audit.changelog.read"
CALENDAR_EDIT = "calendar.edit"  # the kernel's name (core.permissions.CALENDAR_EDIT)

register(
    Action(
        ORG_READ,
        "查看本局及下级局的组织机构、台账和记录",
        "read the records of one's bureau and the bureaus below",
        EVERY_ROLE,
        reads=True,
    ),
    Action(
        ORG_MANAGE,
        "管理本局的组织机构、台账和设置（新增、修改、删除）",
        "add, change and delete the bureau's organisation, registers and settings",
        OFFICE,
    ),
    Action(
        USERS_MANAGE,
        "管理本局人员账号（新增、修改、停用、锁定、重置密码、删除）",
        "manage the bureau's staff accounts (add, edit, deactivate, lock, reset the password, delete)",
        OFFICE,
    ),
    Action(
        NOTICES_DRAFT,
        "起草和发布通知通报",
        "draft and publish notices",
        OFFICE | {Role.LEADING_GROUP, Role.DEPARTMENT_HEAD},
    ),
    Action(
        ATTENDANCE_READ,
        "查看人员登录情况",
        "check who has not logged in",
        OFFICE | {Role.LEADING_GROUP, Role.DEPARTMENT_HEAD, Role.AUDITOR},
        reads=True,
    ),
    Action(
        CHANGELOG_READ,
        "查看变更记录",
        "read the change log",
        OFFICE | {Role.LEADING_GROUP, Role.AUDITOR},
        reads=True,
    ),
    Action(
        CALENDAR_EDIT,
        "修改全国工作日历（节假日安排）",
        "edit the national working-day calendar (holiday arrangements)",
        frozenset({Role.PROVINCE_OFFICE}),
    ),
)
