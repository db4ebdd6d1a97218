from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangjian.org.choices import Role
from wangjian.platform.navigation import CASEWORKERS, DEPARTMENTS, LEADERSHIP, OFFICE, OVERSIGHT, NavItem

M = pgettext_lazy("menu", "网络交易监测")


class MonitoringConfig(AppConfig):
    name = "wangjian.monitoring"
    label = "monitoring"
    verbose_name = _("网络交易监测")
    nav_items = [
        NavItem(M, _("监测关键词库"), "monitoring:library_list", DEPARTMENTS | LEADERSHIP),
        NavItem(M, _("监测规则与统计"), "monitoring:rule_list", DEPARTMENTS | OVERSIGHT),
        NavItem(M, _("规则测试台"), "monitoring:bench", DEPARTMENTS),
        NavItem(M, _("导入规则库"), "monitoring:library_import", OFFICE | {Role.DEPARTMENT_HEAD}),
        NavItem(M, _("监测任务"), "monitoring:task_list", OVERSIGHT),
        NavItem(M, _("监测执行记录"), "monitoring:run_list", OVERSIGHT),
        NavItem(M, _("监测发现"), "monitoring:finding_list", DEPARTMENTS | OVERSIGHT),
        NavItem(M, _("商品信息扫描"), "monitoring:feedscan_list", DEPARTMENTS | OVERSIGHT),
        NavItem(M, _("亮照亮证核验表"), "monitoring:licence_list", CASEWORKERS | OVERSIGHT),
        NavItem(M, _("页面快照"), "monitoring:snapshot_list", OVERSIGHT),
    ]

    def ready(self):
        from wangjian.monitoring import metrics, workbench  # noqa: F401  (workbench registers the domain pages' section)
        from wangjian.monitoring import permissions as monitoring_permissions
        from wangjian.org import permissions
        from wangjian.platform import demo

        permissions.register(*monitoring_permissions.ACTIONS)
        metrics.register()  # /metrics: pages read in the last hour, runs going, chunks failed

        demo.register("monitoring", "wangjian.monitoring.demo.load", after=("registry",))
        from wangjian.monitoring import figures, indicators, rankings

        indicators.register_all()  # its risk indicators, read by the risk grades (platform.indicators)
        figures.register_all()  # its figures (统计指标), read by the statistics (platform.statistics)
        rankings.register_all()  # its rankings (排名), read by the dashboards and the API
        from django.db.models.signals import post_delete, post_save

        from wangjian.monitoring import rollup
        from wangjian.monitoring.models import Finding

        # a finding written or deleted on a day whose count is kept makes that day counted again
        post_save.connect(rollup.on_finding_written, sender=Finding, dispatch_uid="findings-rollup-save")
        post_delete.connect(rollup.on_finding_deleted, sender=Finding, dispatch_uid="findings-rollup-delete")
