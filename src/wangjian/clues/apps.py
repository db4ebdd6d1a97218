from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangjian.platform.navigation import CASEWORKERS, OVERSIGHT, STAFF, NavItem

M = pgettext_lazy("menu", "线索处置")


class CluesConfig(AppConfig):
    name = "wangjian.clues"
    label = "clues"
    verbose_name = _("线索闭环处置")
    nav_items = [
        NavItem(M, _("线索"), "clues:clue_list", STAFF),
        NavItem(M, _("登记线索"), "clues:clue_add", CASEWORKERS),
        NavItem(M, _("办公室总览"), "clues:overview", OVERSIGHT),
        NavItem(M, _("我的通知"), "clues:notifications", STAFF),
        NavItem(M, _("推送地址"), "clues:addresses", STAFF),
    ]

    def ready(self):
        from wangjian.platform import demo

        demo.register("clues", "wangjian.clues.demo.load", after=("registry", "monitoring", "evidence"))

        from wangjian.clues import clocks, intake, workbench  # noqa: F401  (workbench registers "my clues")
        from wangjian.clues.selectors import clue_holds_evidence
        from wangjian.evidence import retention
        from wangjian.platform.intake import register_receiver

        clocks.register()
        retention.register_hold("clues.Clue", clue_holds_evidence, label="线索")
        register_receiver(intake.lead_receive, url_for=intake.clue_url)
