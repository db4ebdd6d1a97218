from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CluesConfig(AppConfig):
    name = "wangjian.clues"
    label = "clues"
    verbose_name = _("线索闭环处置")
    nav_items: list = []
