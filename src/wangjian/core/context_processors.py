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


def shell(request):
    """What every page of the workbench needs: the menus, the domains and the user's unread count."""
    user = getattr(request, "user", None)
    data = {"nav_domains": Domain.choices}
    if user is not None and user.is_authenticated:
        from wangjian.org.selectors import can_read_audit, unread_notice_count

        data["nav_menus"] = _menus()
        data["unread_notices"] = unread_notice_count(user)
        data["can_read_audit"] = can_read_audit(user)
    return data
