from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangjian.platform.navigation import OVERSIGHT, STAFF, NavItem


class PlatformConfig(AppConfig):
    """The layer every workflow shares, above the organisation and below the domain apps: generic
    pages and API base, navigation, workbench, the commands, and the shared pieces of the workflows."""

    name = "wangjian.platform"
    label = "platform"
    verbose_name = _("平台")
    url_prefix = ""  # the workbench is the site's front page
    nav_items = [
        NavItem(pgettext_lazy("menu", "消息"), _("我的消息"), "platform:inbox", STAFF),
        NavItem(pgettext_lazy("menu", "消息"), _("待办事项"), "platform:workitem_list", STAFF),
        NavItem(pgettext_lazy("menu", "消息"), _("推送地址"), "platform:push_addresses", STAFF),
        NavItem(pgettext_lazy("menu", "工作日历"), _("工作日历"), "platform:calendar", STAFF),
        NavItem(pgettext_lazy("menu", "工作日历"), _("时限规则"), "platform:clock_list", OVERSIGHT),
        NavItem(pgettext_lazy("menu", "工作日历"), _("文号管理"), "platform:number_kinds", OVERSIGHT),
    ]

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from wangjian.platform import demo, sections  # noqa: F401  (sections register the workbench's)
        from wangjian.platform.middleware import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="wangjian-idle-clock")
        demo.register("platform", "wangjian.platform.demo_load.load", after=("clues",))
