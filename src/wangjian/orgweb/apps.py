from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangjian.org.choices import Role
from wangjian.platform.navigation import LEADERSHIP, OFFICE, OVERSIGHT, NavItem

ORG = pgettext_lazy("menu", "组织机构")
DUTY = pgettext_lazy("menu", "职责清单")
ATTENDANCE_ROLES = OVERSIGHT | {Role.DEPARTMENT_HEAD}


class OrgWebConfig(AppConfig):
    """The organisation's pages and API (bureaus, units, users, leading group, duty list, domains).

    The organisation's data and rules are ``org``, below the platform; its pages are built on the
    platform's generic views like any registry, so they sit above it. Mounted at ``/org/``.
    """

    name = "wangjian.orgweb"
    label = "orgweb"
    verbose_name = _("组织机构页面")
    url_prefix = "org"
    nav_items = [
        NavItem(ORG, _("市场监管局"), "org:bureau_list", OVERSIGHT),
        NavItem(ORG, _("科室"), "org:department_list", OVERSIGHT),
        NavItem(ORG, _("基层所"), "org:station_list", OVERSIGHT),
        NavItem(ORG, _("用户"), "org:user_list", OFFICE),
        NavItem(ORG, _("登录情况"), "org:attendance", ATTENDANCE_ROLES),
        NavItem(DUTY, _("职责清单"), "org:dutyrule_list", ATTENDANCE_ROLES),
        NavItem(DUTY, _("空白与交叉"), "org:duty_gaps", LEADERSHIP | {Role.AUDITOR}),
        NavItem(DUTY, _("导入 Excel"), "org:duty_import", OFFICE),
        NavItem(pgettext_lazy("menu", "消息"), _("通知通报"), "org:notice_list"),
    ]
