from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "wangjian.monitoring"
    label = "monitoring"
    verbose_name = _("网络交易监测")
    nav_items: list = []
