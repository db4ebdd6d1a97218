from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangjian.platform.navigation import OFFICE, STAFF, NavItem

M = pgettext_lazy("menu", "通报")


class BulletinsConfig(AppConfig):
    name = "wangjian.bulletins"
    label = "bulletins"
    verbose_name = _("通报")
    nav_items = [
        NavItem(M, _("网络市场监管工作通报"), "bulletins:list", STAFF),
        NavItem(M, _("起草通报"), "bulletins:add", OFFICE),
    ]

    def ready(self):
        from wangjian.bulletins import permissions as bulletin_permissions
        from wangjian.bulletins.services import bulletins
        from wangjian.org import permissions
        from wangjian.platform import demo

        permissions.register(*bulletin_permissions.ACTIONS)
        bulletins.register_numbers()
        # its figures come from every app's; the typical case from the cases' demo
        demo.register(
            "bulletins",
            "wangjian.bulletins.demo.load",
            after=(
                "registry",
                "monitoring",
                "evidence",
                "clues",
                "cases",
                "complaints",
                "inspections",
                "risk",
                "credit",
                "platform",
                "campaigns",
            ),
        )
