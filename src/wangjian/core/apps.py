from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CoreConfig(AppConfig):
    name = "wangjian.core"
    label = "core"
    verbose_name = _("基础")
    nav_items = [
        (pgettext_lazy("menu", "工作日历"), _("工作日历"), "core:calendar"),
    ]

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from wangjian.core.middleware import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="wangjian-idle-clock")
