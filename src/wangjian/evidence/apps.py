from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EvidenceConfig(AppConfig):
    name = "wangjian.evidence"
    label = "evidence"
    verbose_name = _("电子数据取证")
    nav_items: list = [
        (pgettext_lazy("menu", "电子数据取证"), _("取证记录"), "evidence:capture_list"),
        (pgettext_lazy("menu", "电子数据取证"), _("网页取证"), "evidence:capture_add"),
        (pgettext_lazy("menu", "电子数据取证"), _("取证台账"), "evidence:ledger"),
    ]
