"""Who is acting, for the change log.

Every change of organisation, duty list, calendar, users and — as later apps add them —
registry and clue data is written to ``ChangeRecord`` by ``AuditedModel``. The acting
user comes from this context: the web middleware sets it per request, commands and
tasks wrap their work in ``with acting(user, via="cli")``.
"""

from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    user: Any = None
    via: str = "system"  # web, api, cli, task, system
    reason: str = ""
    # The web request, read when a change is logged: REST token authentication happens
    # inside the view, after the middleware set the actor, and then sets ``request.user``.
    request: Any = None

    @property
    def acting_user(self) -> Any:
        if self.user is not None:
            return self.user
        user = getattr(self.request, "user", None)
        return user if getattr(user, "is_authenticated", False) else None


_current: contextvars.ContextVar[Actor] = contextvars.ContextVar("wangjian_actor", default=Actor())  # noqa: B039 (Actor is frozen)


def current_actor() -> Actor:
    return _current.get()


@contextlib.contextmanager
def acting(user: Any = None, *, via: str = "system", reason: str = ""):
    token = _current.set(Actor(user=user, via=via, reason=reason))
    try:
        yield
    finally:
        _current.reset(token)


def set_actor(
    user: Any = None, *, via: str = "web", reason: str = "", request: Any = None
) -> contextvars.Token:
    return _current.set(Actor(user=user, via=via, reason=reason, request=request))


def reset_actor(token: contextvars.Token) -> None:
    _current.reset(token)


def mask(value: Any) -> str:
    """Mask personal data (phone, ID numbers) for lists, exports and the change log display."""
    if value in (None, ""):
        return ""
    text = str(value)
    if len(text) <= 4:
        return "*" * len(text)
    keep = 3 if len(text) >= 11 else 1
    return text[:keep] + "*" * (len(text) - keep - 4) + text[-4:]


def mask_name(value: Any) -> str:
    """A person's name for lists and titles: the family name and asterisks (张**)."""
    if not value:
        return ""
    text = str(value)
    return text[0] + "*" * max(1, len(text) - 1)
