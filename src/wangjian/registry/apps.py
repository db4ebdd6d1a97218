from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "wangjian.registry"
    label = "registry"
    verbose_name = _("经济户口")
    nav_items: list = []
