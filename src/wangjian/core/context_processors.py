from collections import OrderedDict

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from wangjian.org.choices import Domain


def _menus():
    menus: OrderedDict = OrderedDict()
    for config in apps.get_app_configs():
        for menu, label, url_name in getattr(config, "nav_items", []):
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            menus.setdefault(str(menu), []).append((label, url))
    return list(menus.items())


def _once(request, key: str, compute):
    """``compute()`` once per request: a template rendered per table cell runs the processors again."""
    cache = request.__dict__.setdefault("_wangjian_shell", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def shell(request):
    """What every page of the workbench needs: the menus, the domains and the user's unread count.

    Computed lazily and once per request: a table's template columns render with these
    processors for every cell, and most of them never show the count.
    """
    from django.utils.functional import SimpleLazyObject

    user = getattr(request, "user", None)
    data = {"nav_domains": Domain.choices}
    if user is not None and user.is_authenticated:
        from wangjian.org.selectors import can_read_audit, unread_notice_count

        data["nav_menus"] = _once(request, "menus", _menus)
        data["unread_notices"] = SimpleLazyObject(
            lambda: _once(request, "unread", lambda: unread_notice_count(user))
        )
        data["can_read_audit"] = _once(request, "audit", lambda: can_read_audit(user))
    return data
