from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangjian.org.choices import Role
from wangjian.platform.navigation import CASEWORKERS, OVERSIGHT, STAFF, NavItem

M = pgettext_lazy("menu", "电子数据取证")


class EvidenceConfig(AppConfig):
    name = "wangjian.evidence"
    label = "evidence"
    verbose_name = _("电子数据取证")
    nav_items = [
        NavItem(M, _("取证记录"), "evidence:capture_list", STAFF),
        NavItem(M, _("网页取证"), "evidence:capture_add", CASEWORKERS),
        NavItem(M, _("上传证据"), "evidence:capture_upload", CASEWORKERS),
        NavItem(M, _("取证台账"), "evidence:ledger", OVERSIGHT | {Role.LEGAL_REVIEWER}),
    ]

    def ready(self):
        from wangjian.evidence import backup as evidence_backup
        from wangjian.evidence import permissions as evidence_permissions
        from wangjian.org import permissions
        from wangjian.platform import demo

        permissions.register(*evidence_permissions.ACTIONS)

        demo.register("evidence", "wangjian.evidence.demo.load", after=("monitoring",))
        # wangjian backup / restore: the counts, the key folder, the blobs' layout, and verify after a restore.
        evidence_backup.register()
        from wangjian.evidence import figures

        figures.register_all()  # its figures (统计指标), read by the statistics (platform.statistics)
