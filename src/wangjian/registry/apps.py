from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RegistryConfig(AppConfig):
    name = "wangjian.registry"
    label = "registry"
    verbose_name = _("经济户口")
    nav_items = [
        (pgettext_lazy("menu", "经济户口"), _("市场主体"), "registry:entity_list"),
        (pgettext_lazy("menu", "经济户口"), _("网络经营场所"), "registry:presence_list"),
        (pgettext_lazy("menu", "经济户口"), _("网络交易平台"), "registry:platform_list"),
        (pgettext_lazy("menu", "经济户口"), _("导入（登记主体/平台报送）"), "registry:import_upload"),
        (pgettext_lazy("menu", "经济户口"), _("导入批次"), "registry:importbatch_list"),
        (pgettext_lazy("menu", "经济户口"), _("匹配结果"), "registry:match_list"),
        (pgettext_lazy("menu", "经济户口"), _("待确认匹配"), "registry:review"),
        (pgettext_lazy("menu", "经济户口"), _("数据更正（核实优化）"), "registry:correction_list"),
    ]
