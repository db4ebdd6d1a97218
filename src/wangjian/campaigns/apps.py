from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangjian.platform.navigation import STAFF, NavItem

M = pgettext_lazy("menu", "专项行动")


class CampaignsConfig(AppConfig):
    name = "wangjian.campaigns"
    label = "campaigns"
    verbose_name = _("专项行动与通报")
    nav_items: list = [
        NavItem(M, _("专项行动"), "campaigns:campaign_list", STAFF),
    ]

    def ready(self):
        from wangjian.campaigns import permissions as campaign_permissions
        from wangjian.campaigns.services.plan import TASK_KIND
        from wangjian.org import permissions
        from wangjian.platform import demo
        from wangjian.platform.workitems import kinds as workitem_kinds

        permissions.register(*campaign_permissions.ACTIONS)
        from wangjian.campaigns.services import supervision
        from wangjian.monitoring.services.sweeps import register_interval_provider

        register_interval_provider(
            supervision.raised_intervals
        )  # 重点时段 sweep their linked tasks more often
        workitem_kinds.register(workitem_kinds.WorkItemKind(TASK_KIND, "专项行动任务", "专项行动"))
        demo.register(
            "campaigns",
            "wangjian.campaigns.demo.load",
            after=("cases", "complaints", "clues", "monitoring", "inspections", "platform"),
        )
