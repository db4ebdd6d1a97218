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
        NavItem(pgettext_lazy("menu", "统计分析"), _("统计分析"), "platform:stats_dashboard", STAFF),
        NavItem(pgettext_lazy("menu", "消息"), _("待办事项"), "platform:workitem_list", STAFF),
        NavItem(pgettext_lazy("menu", "消息"), _("推送地址"), "platform:push_addresses", STAFF),
        NavItem(pgettext_lazy("menu", "工作日历"), _("工作日历"), "platform:calendar", STAFF),
        NavItem(pgettext_lazy("menu", "工作日历"), _("时限规则"), "platform:clock_list", OVERSIGHT),
        NavItem(pgettext_lazy("menu", "工作日历"), _("文号管理"), "platform:number_kinds", OVERSIGHT),
    ]

    def ready(self):
        from celery.signals import task_failure
        from django.contrib.auth.signals import user_logged_in

        from wangjian.core import services as core_services
        from wangjian.org import permissions
        from wangjian.platform import demo, sections  # noqa: F401  (sections register the workbench's)
        from wangjian.platform import permissions as platform_permissions
        from wangjian.platform.metrics import failures, gauges
        from wangjian.platform.middleware import start_idle_clock
        from wangjian.platform.workitems import services as workitem_services

        user_logged_in.connect(start_idle_clock, dispatch_uid="wangjian-idle-clock")
        # /metrics: the broker's queues, failed tasks (counted from Celery's signal), overdue work items.
        task_failure.connect(failures.task_failed, weak=False, dispatch_uid="wangjian-task-failures")
        gauges.register()
        permissions.register(*platform_permissions.ACTIONS)
        # A change of the national calendar moves the open work items' deadlines (clues' duties among them).
        core_services.register_deadline_follower(workitem_services.deadlines_follow_calendar)
        demo.register("platform", "wangjian.platform.demo_load.load", after=("clues",))
