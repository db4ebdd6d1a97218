from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CluesConfig(AppConfig):
    name = "wangjian.clues"
    label = "clues"
    verbose_name = _("线索闭环处置")
    nav_items: list = [
        (pgettext_lazy("menu", "线索处置"), _("线索"), "clues:clue_list"),
        (pgettext_lazy("menu", "线索处置"), _("登记线索"), "clues:clue_add"),
        (pgettext_lazy("menu", "线索处置"), _("办公室总览"), "clues:overview"),
        (pgettext_lazy("menu", "线索处置"), _("我的通知"), "clues:notifications"),
        (pgettext_lazy("menu", "线索处置"), _("推送地址"), "clues:addresses"),
        (pgettext_lazy("menu", "线索处置"), _("时限规则"), "clues:policy_list"),
    ]

    def ready(self):
        from wangjian.clues import workbench  # noqa: F401  (registers the "my clues" section)

        try:
            from wangjian.evidence import retention
        except ImportError:  # the evidence app is optional for the clue loop
            return
        from wangjian.clues.selectors import clue_holds_evidence

        retention.register_hold("clues.Clue", clue_holds_evidence, label="线索")
