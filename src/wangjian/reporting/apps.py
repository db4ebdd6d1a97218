from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangjian.platform.navigation import LEADERSHIP, OFFICE, NavItem

M = pgettext_lazy("menu", "向上报送")


class ReportingConfig(AppConfig):
    name = "wangjian.reporting"
    label = "reporting"
    verbose_name = _("向上报送")
    nav_items = [
        NavItem(M, _("本局报送"), "reporting:report_list", LEADERSHIP),
        NavItem(M, _("下级局报送情况"), "reporting:overview", LEADERSHIP),
        NavItem(M, _("报送事项"), "reporting:template_list", OFFICE),
    ]

    def ready(self):
        from wangjian.org import permissions
        from wangjian.platform import demo
        from wangjian.reporting import clocks, figures, workbench  # noqa: F401  (workbench registers itself)
        from wangjian.reporting import permissions as reporting_permissions

        permissions.register(*reporting_permissions.ACTIONS)
        clocks.register()
        from wangjian.reporting import crossing

        crossing.register()  # templates, revisions and reviews with bureaus on other instances (exchange)
        figures.register_all()
        demo.register(
            "reporting",
            "wangjian.reporting.demo.load",
            after=("clues", "cases", "complaints", "inspections", "platform"),
        )
