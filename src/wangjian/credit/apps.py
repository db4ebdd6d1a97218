from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangjian.credit.permissions import ACTORS
from wangjian.platform.navigation import STAFF, NavItem

M = pgettext_lazy("menu", "信用监管")


class CreditConfig(AppConfig):
    name = "wangjian.credit"
    label = "credit"
    verbose_name = _("信用监管")
    nav_items = [
        NavItem(M, _("经营异常名录"), "credit:abnormal_list", STAFF),
        NavItem(M, _("严重违法失信名单"), "credit:serious_list", STAFF),
        NavItem(M, _("信用修复"), "credit:repair_list", STAFF),
        NavItem(M, _("年报申报比对"), "credit:mismatch_list", STAFF),
        NavItem(M, _("导入年度报告"), "credit:import_list", ACTORS),
    ]

    def ready(self):
        from wangjian.credit import clocks
        from wangjian.credit import permissions as credit_permissions
        from wangjian.org import permissions
        from wangjian.platform import demo

        permissions.register(*credit_permissions.ACTIONS)
        clocks.register()
        demo.register("credit", "wangjian.credit.demo.load", after=("registry", "cases"))
