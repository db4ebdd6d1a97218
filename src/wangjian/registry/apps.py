from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangjian.org.choices import Role
from wangjian.platform.navigation import CASEWORKERS, DEPARTMENTS, OVERSIGHT, STAFF, NavItem

M = pgettext_lazy("menu", "经济户口")
IMPORTERS = frozenset({Role.OFFICE_ADMIN, Role.DEPARTMENT_HEAD, Role.OFFICER})


class RegistryConfig(AppConfig):
    name = "wangjian.registry"
    label = "registry"
    verbose_name = _("经济户口")
    nav_items = [
        NavItem(M, _("市场主体"), "registry:entity_list", STAFF),
        NavItem(M, _("网络经营场所"), "registry:presence_list", STAFF),
        NavItem(M, _("网络交易平台"), "registry:platform_list", DEPARTMENTS | OVERSIGHT),
        NavItem(M, _("导入（登记主体/平台报送）"), "registry:import_upload", IMPORTERS),
        NavItem(M, _("导入批次"), "registry:importbatch_list", IMPORTERS | OVERSIGHT),
        NavItem(M, _("匹配结果"), "registry:match_list", DEPARTMENTS | OVERSIGHT),
        NavItem(M, _("待确认匹配"), "registry:review", DEPARTMENTS),
        NavItem(M, _("数据更正（核实优化）"), "registry:correction_list", CASEWORKERS),
    ]

    def ready(self):
        from wangjian.platform import demo

        demo.register("registry", "wangjian.registry.demo.load")
