"""What every page needs (a context processor): the menus of the user's role, the domains, the unread count."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from wangjian.org.choices import Domain
from wangjian.org.selectors import can_read_audit
from wangjian.platform import navigation
from wangjian.platform.inbox.selectors import unread_count


def _once(request, key: str, compute):
    """``compute()`` once per request: a template rendered per table cell runs the processors again."""
    cache = request.__dict__.setdefault("_wangjian_shell", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def shell(request):
    """The menus, the domains and the user's unread inbox count.

    Computed lazily and once per request: a table's template columns render with these
    processors for every cell, and most of them never show the count.
    """
    user = getattr(request, "user", None)
    data = {"nav_domains": Domain.choices}
    if user is not None and user.is_authenticated:
        data["nav_menus"] = _once(request, "menus", lambda: navigation.menus_for(user))
        data["unread_notices"] = SimpleLazyObject(
            lambda: _once(request, "unread", lambda: unread_count(user))
        )
        data["can_read_audit"] = _once(request, "audit", lambda: can_read_audit(user))
    return data
