from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangjian.exchange.permissions import READERS
from wangjian.org.permissions import OFFICE
from wangjian.platform.navigation import NavItem

M = pgettext_lazy("menu", "跨实例协同")


class ExchangeConfig(AppConfig):
    name = "wangjian.exchange"
    label = "exchange"
    verbose_name = _("跨实例协同")
    nav_items = [
        NavItem(M, _("协作报文"), "exchange:message_list", READERS),
        NavItem(M, _("协作单位与协议"), "exchange:partner_list", READERS | OFFICE),
        NavItem(M, _("文件交换"), "exchange:file_exchange", OFFICE),
    ]

    def ready(self):
        from wangjian.exchange import leads
        from wangjian.exchange import permissions as exchange_permissions
        from wangjian.org import permissions
        from wangjian.platform import demo

        permissions.register(*exchange_permissions.ACTIONS)
        leads.register()
        # the demo's second instance (安吉县): prepared after migrating, set up after the clues
        demo.register_prepare("exchange", "wangjian.exchange.demo.prepare")
        demo.register("exchange", "wangjian.exchange.demo.load", after=("clues", "evidence"))
