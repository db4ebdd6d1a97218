from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangjian.platform.navigation import OFFICE, STAFF, NavItem

M = pgettext_lazy("menu", "双随机抽查")


class InspectionsConfig(AppConfig):
    name = "wangjian.inspections"
    label = "inspections"
    verbose_name = _("双随机一公开")
    nav_items = [
        NavItem(M, _("抽查计划"), "inspections:plan_list", STAFF),
        NavItem(M, _("抽取"), "inspections:draw_list", STAFF),
        NavItem(M, _("抽中主体"), "inspections:drawn_list", STAFF),
        NavItem(M, _("抽查检查结果"), "inspections:result_list", STAFF),
        NavItem(M, _("抽查事项清单"), "inspections:item_list", STAFF),
        NavItem(M, _("检查人员回避关系"), "inspections:relation_list", STAFF),
        NavItem(M, _("双随机抽查设置"), "inspections:settings", OFFICE),
    ]

    def ready(self):
        from wangjian.inspections import permissions as inspection_permissions
        from wangjian.inspections.services import checks, objections
        from wangjian.org import permissions
        from wangjian.platform import demo
        from wangjian.platform.workitems import kinds as workitem_kinds

        permissions.register(*inspection_permissions.ACTIONS)
        from wangjian.inspections import figures

        figures.register_all()  # its figures (统计指标), read by the statistics (platform.statistics)
        demo.register("inspections", "wangjian.inspections.demo.load", after=("risk", "monitoring"))
        for kind in (*checks.WORKITEM_KINDS, *objections.WORKITEM_KINDS):
            workitem_kinds.register(kind)
