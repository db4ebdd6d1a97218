from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wangjian.core"
    label = "core"
    verbose_name = _("基础")
    nav_items = [
        (_("工作日历"), _("工作日历"), "core:calendar"),
    ]
