from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangjian.org.choices import Role
from wangjian.platform.navigation import CASEWORKERS, DEPARTMENTS, OFFICE, OVERSIGHT, STAFF, NavItem

M = pgettext_lazy("menu", "经济户口")
IMPORTERS = OFFICE | {Role.DEPARTMENT_HEAD, Role.OFFICER}


class RegistryConfig(AppConfig):
    name = "wangjian.registry"
    label = "registry"
    verbose_name = _("经济户口")
    nav_items = [
        NavItem(M, _("市场主体"), "registry:entity_list", STAFF),
        NavItem(M, _("网络经营场所"), "registry:presence_list", STAFF),
        NavItem(M, _("网络交易平台"), "registry:platform_list", DEPARTMENTS | OVERSIGHT),
        NavItem(M, _("导入（登记主体/平台报送）"), "registry:import_upload", IMPORTERS),
        NavItem(M, _("许可证和备案数据"), "registry:permit_list", STAFF),
        NavItem(M, _("导入许可证和备案数据"), "registry:permit_import", IMPORTERS),
        NavItem(M, _("导入批次"), "registry:importbatch_list", IMPORTERS | OVERSIGHT),
        NavItem(M, _("匹配结果"), "registry:match_list", DEPARTMENTS | OVERSIGHT),
        NavItem(M, _("待确认匹配"), "registry:review", DEPARTMENTS),
        NavItem(M, _("数据更正（核实优化）"), "registry:correction_list", CASEWORKERS),
    ]

    def ready(self):
        from wangjian.org import permissions
        from wangjian.platform import backup, demo
        from wangjian.registry import permissions as registry_permissions

        permissions.register(*registry_permissions.ACTIONS)
        from wangjian.platform.personal import register_personal
        from wangjian.registry.models import MarketEntity
        from wangjian.registry.selectors import can_see_personal

        # Legal representatives and phones: unmasked one record at a time, with a reason, for the
        # roles that handle entities in person (inspection, enforcement, registration).
        register_personal(
            MarketEntity,
            fields=("legal_rep", "phone"),
            names=("legal_rep",),
            may=lambda user, entity: can_see_personal(user),
        )
        demo.register("registry", "wangjian.registry.demo.load")
        # wangjian backup / restore print and compare the number of entities
        backup.register_count("entities", "市场主体", "entities", model="registry.MarketEntity")
        from wangjian.registry import figures, indicators

        indicators.register_all()  # its risk indicators, read by the risk grades (platform.indicators)
        figures.register_all()  # its figures (统计指标), read by the statistics (platform.statistics)
