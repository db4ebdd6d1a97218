from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangjian.platform.navigation import LEADERSHIP, STAFF, NavItem

M = pgettext_lazy("menu", "领导小组")


class LeadershipConfig(AppConfig):
    name = "wangjian.leadership"
    label = "leadership"
    verbose_name = _("领导小组工作")
    nav_items = [
        NavItem(M, _("领导小组年度工作"), "leadership:overview", STAFF),
        NavItem(M, _("会议与纪要"), "leadership:meeting_list", STAFF),
        NavItem(M, _("培训宣传活动"), "leadership:activity_list", STAFF),
        NavItem(M, _("新建年度工作计划"), "leadership:plan_add", LEADERSHIP),
    ]

    def ready(self):
        from wangjian.leadership import permissions as leadership_permissions
        from wangjian.leadership import services
        from wangjian.org import permissions
        from wangjian.platform import demo
        from wangjian.platform.workitems import kinds as workitem_kinds

        permissions.register(*leadership_permissions.ACTIONS)
        services.register_numbers()
        for kind in services.WORKITEM_KINDS:
            workitem_kinds.register(kind)
        demo.register("leadership", "wangjian.leadership.demo.load", after=("clues", "cases", "complaints"))
