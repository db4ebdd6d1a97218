from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "wangjian.registry"
    label = "registry"
    verbose_name = _("经济户口")
    nav_items = [
        (_("经济户口"), _("市场主体"), "registry:entity_list"),
        (_("经济户口"), _("网络经营场所"), "registry:presence_list"),
        (_("经济户口"), _("网络交易平台"), "registry:platform_list"),
        (_("经济户口"), _("导入（登记主体/平台报送）"), "registry:import_upload"),
        (_("经济户口"), _("导入批次"), "registry:importbatch_list"),
        (_("经济户口"), _("匹配结果"), "registry:match_list"),
        (_("经济户口"), _("待确认匹配"), "registry:review"),
        (_("经济户口"), _("数据更正（核实优化）"), "registry:correction_list"),
    ]
