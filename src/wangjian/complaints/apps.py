from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangjian.org.choices import Role
from wangjian.platform.navigation import CASEWORKERS, OFFICE, OVERSIGHT, STAFF, NavItem

M = pgettext_lazy("menu", "投诉举报")


class ComplaintsConfig(AppConfig):
    name = "wangjian.complaints"
    label = "complaints"
    verbose_name = _("投诉举报")
    nav_items = [
        NavItem(M, _("投诉举报"), "complaints:complaint_list", STAFF),
        NavItem(M, _("登记投诉举报"), "complaints:complaint_add", CASEWORKERS),
        NavItem(M, _("七日无理由退货查询"), "complaints:returns", STAFF),
        NavItem(
            M, _("导入12315数据"), "complaints:import_list", OFFICE | {Role.DEPARTMENT_HEAD, Role.OFFICER}
        ),
        NavItem(M, _("投诉举报分析"), "complaints:analysis", OVERSIGHT | {Role.DEPARTMENT_HEAD}),
        NavItem(M, _("消费维权服务站"), "complaints:servicestation_list", STAFF),
        NavItem(M, _("平台在线纠纷解决联系人"), "complaints:odrcontact_list", STAFF),
        NavItem(M, _("投诉举报设置"), "complaints:settings", OFFICE),
    ]

    def ready(self):
        from wangjian.complaints import permissions as complaint_permissions
        from wangjian.complaints import selectors
        from wangjian.complaints.models import Complaint
        from wangjian.complaints.services import clocks, intake, reports
        from wangjian.org import permissions
        from wangjian.platform import demo
        from wangjian.platform.personal import register_personal
        from wangjian.platform.workitems import kinds as workitem_kinds

        permissions.register(*complaint_permissions.ACTIONS)
        demo.register("complaints", "wangjian.complaints.demo.load", after=("cases",))
        intake.register_numbers()
        reports.register_numbers()
        for kind in clocks.WORKITEM_KINDS:
            workitem_kinds.register(kind)
        # the complainant's or reporter's data: shown to who handles this record, logged (个人信息保护法 art. 6)
        register_personal(
            Complaint,
            fields=("person_name", "person_phone", "person_address", "person_id_number"),
            names=("person_name",),
            may=lambda user, complaint: selectors.may_see_person(user=user, complaint=complaint),
        )
        from wangjian.complaints import figures, indicators, rankings

        indicators.register_all()  # its risk indicators, read by the risk grades (platform.indicators)
        figures.register_all()  # its figures (统计指标), read by the statistics (platform.statistics)
        rankings.register_all()  # its rankings (排名), read by the dashboards and the API
