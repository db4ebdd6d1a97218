from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangjian.platform.navigation import OFFICE, STAFF, NavItem

M = pgettext_lazy("menu", "风险分级")


class RiskConfig(AppConfig):
    name = "wangjian.risk"
    label = "risk"
    verbose_name = _("风险分级")
    nav_items = [
        NavItem(M, _("主体风险等级"), "risk:grade_list", STAFF),
        NavItem(M, _("风险分级设置"), "risk:settings", OFFICE),
        NavItem(M, _("导入信用风险分类"), "risk:import_list", OFFICE),
    ]

    def ready(self):
        from wangjian.org import permissions
        from wangjian.platform import demo
        from wangjian.platform.workitems import kinds as workitem_kinds
        from wangjian.risk import permissions as risk_permissions
        from wangjian.risk.services.store import KEY_CHECK

        permissions.register(*risk_permissions.ACTIONS)
        workitem_kinds.register(KEY_CHECK)
        demo.register("risk", "wangjian.risk.demo.load", after=("complaints", "cases"))
