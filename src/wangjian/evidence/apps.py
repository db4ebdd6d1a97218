from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "wangjian.evidence"
    label = "evidence"
    verbose_name = _("电子数据取证")
    nav_items: list = []
