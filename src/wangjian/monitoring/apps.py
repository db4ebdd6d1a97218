from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MonitoringConfig(AppConfig):
    name = "wangjian.monitoring"
    label = "monitoring"
    verbose_name = _("网络交易监测")
    nav_items = [
        (pgettext_lazy("menu", "网络交易监测"), _("监测关键词库"), "monitoring:library_list"),
        (pgettext_lazy("menu", "网络交易监测"), _("监测规则与统计"), "monitoring:rule_list"),
        (pgettext_lazy("menu", "网络交易监测"), _("规则测试台"), "monitoring:bench"),
        (pgettext_lazy("menu", "网络交易监测"), _("导入规则库"), "monitoring:library_import"),
        (pgettext_lazy("menu", "网络交易监测"), _("监测任务"), "monitoring:task_list"),
        (pgettext_lazy("menu", "网络交易监测"), _("监测执行记录"), "monitoring:run_list"),
        (pgettext_lazy("menu", "网络交易监测"), _("监测发现"), "monitoring:finding_list"),
        (pgettext_lazy("menu", "网络交易监测"), _("亮照核验表"), "monitoring:licence_list"),
        (pgettext_lazy("menu", "网络交易监测"), _("页面快照"), "monitoring:snapshot_list"),
    ]
