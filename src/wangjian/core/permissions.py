"""Who may do what, for the few rules the kernel enforces but cannot judge.

The kernel knows no roles, bureaus or duty list. Where one of its own writes needs a
permission (entering the State Council's holiday arrangement into the national
calendar), it names the permission here and the organisation registers the predicate
at start-up (``org.apps``: the row of the permission table ``org.permissions`` of the
same name — the province office, of a province-level bureau). Until one is registered
only a superuser, or the system itself (a command, a task: ``user=None``), passes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wangjian.core.errors import PermissionDeniedError

_PREDICATES: dict[str, Callable[[Any], bool]] = {}

# Permissions the kernel asks about, with the sentence an officer reads when refused.
CALENDAR_EDIT = "calendar.edit"


def register(name: str, predicate: Callable[[Any], bool]) -> None:
    """Let ``predicate(user)`` decide ``name`` (a later registration replaces an earlier one)."""
    _PREDICATES[name] = predicate


def allowed(name: str, user: Any) -> bool:
    if user is None:
        return True  # the system itself: a command or a scheduled task
    if getattr(user, "is_superuser", False):
        return True
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return False
    predicate = _PREDICATES.get(name)
    return bool(predicate and predicate(user))


def require(name: str, user: Any, zh: str, en: str) -> None:
    """Raise ``PermissionDeniedError(zh, en)`` unless ``user`` may ``name``."""
    if not allowed(name, user):
        raise PermissionDeniedError(zh, en, detail={"permission": name})
