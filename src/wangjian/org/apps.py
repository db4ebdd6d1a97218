from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "wangjian.org"
    label = "org"
    verbose_name = _("组织机构")

    def ready(self):
        from wangjian.core import permissions
        from wangjian.org.selectors import may_edit_calendar

        permissions.register(permissions.CALENDAR_EDIT, may_edit_calendar)
