from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangjian.org.permissions import OFFICE
from wangjian.platform.navigation import STAFF, NavItem

M = pgettext_lazy("menu", "平台与外部门")


class OutreachConfig(AppConfig):
    name = "wangjian.outreach"
    label = "outreach"
    verbose_name = _("平台与外部门")
    nav_items = [
        NavItem(M, _("平台责任落实"), "outreach:platform_list", STAFF),
        NavItem(M, _("平台行政指导（约谈）"), "outreach:guidance_list", STAFF),
        NavItem(M, _("对平台的请求"), "outreach:request_list", STAFF),
        NavItem(M, _("外部门协作请求"), "outreach:authority_request_list", STAFF),
        NavItem(M, _("协作部门"), "outreach:authority_list", STAFF),
        NavItem(M, _("协作工作时限"), "outreach:settings", OFFICE),
    ]

    def ready(self):
        from wangjian.org import permissions
        from wangjian.outreach import clocks, figures
        from wangjian.outreach import permissions as outreach_permissions
        from wangjian.platform import demo

        permissions.register(*outreach_permissions.ACTIONS)
        clocks.register()
        figures.register_all()  # its figures (统计指标), read by the statistics (platform.statistics)
        demo.register("outreach", "wangjian.outreach.demo.load", after=("registry", "cases"))
