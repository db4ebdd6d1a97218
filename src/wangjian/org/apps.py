from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrgConfig(AppConfig):
    name = "wangjian.org"
    label = "org"
    verbose_name = _("组织机构")
    # (menu, label, url name) for the navigation bar
    nav_items = [
        (pgettext_lazy("menu", "组织机构"), _("市场监管局"), "org:bureau_list"),
        (pgettext_lazy("menu", "组织机构"), _("科室"), "org:department_list"),
        (pgettext_lazy("menu", "组织机构"), _("基层所"), "org:station_list"),
        (pgettext_lazy("menu", "组织机构"), _("用户"), "org:user_list"),
        (pgettext_lazy("menu", "组织机构"), _("登录情况"), "org:attendance"),
        (pgettext_lazy("menu", "职责清单"), _("职责清单"), "org:dutyrule_list"),
        (pgettext_lazy("menu", "职责清单"), _("空白与交叉"), "org:duty_gaps"),
        (pgettext_lazy("menu", "职责清单"), _("导入 Excel"), "org:duty_import"),
        (pgettext_lazy("menu", "通知通报"), _("通知通报"), "org:notice_list"),
    ]
