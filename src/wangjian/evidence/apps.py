from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "wangjian.evidence"
    label = "evidence"
    verbose_name = _("电子数据取证")
    nav_items: list = [
        (_("电子数据取证"), _("取证记录"), "evidence:capture_list"),
        (_("电子数据取证"), _("网页取证"), "evidence:capture_add"),
        (_("电子数据取证"), _("取证台账"), "evidence:ledger"),
    ]
