from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangjian.org.choices import Role
from wangjian.org.permissions import OFFICE
from wangjian.platform.navigation import CASEWORKERS, OVERSIGHT, STAFF, NavItem

M = pgettext_lazy("menu", "案件办理")


class CasesConfig(AppConfig):
    name = "wangjian.cases"
    label = "cases"
    verbose_name = _("案件办理")
    nav_items = [
        NavItem(M, _("案件"), "cases:case_list", STAFF),
        NavItem(M, _("填写立案审批表"), "cases:case_add", CASEWORKERS),
        NavItem(M, _("登记当场处罚"), "cases:case_spot", CASEWORKERS),
        NavItem(M, _("涉网案件统计"), "cases:figures", OVERSIGHT | {Role.DEPARTMENT_HEAD}),
        NavItem(M, _("裁量基准"), "cases:benchmark_list", STAFF),
        NavItem(
            M, _("省级办案系统对接"), "cases:province", OFFICE | {Role.LEADING_GROUP, Role.LEGAL_REVIEWER}
        ),
        NavItem(M, _("案件办理设置"), "cases:settings", OFFICE),
    ]

    def ready(self):
        from wangjian.cases import credit as case_credit
        from wangjian.cases import documents, services
        from wangjian.cases import permissions as case_permissions
        from wangjian.cases.selectors import case_evidence_seen_through
        from wangjian.cases.services import evidence, procedure
        from wangjian.evidence import access, retention
        from wangjian.org import permissions
        from wangjian.platform import backup, demo
        from wangjian.platform.workitems import kinds as workitem_kinds

        permissions.register(*case_permissions.ACTIONS)
        documents.register_numbers()
        # The 90-day decision clock (art. 64) is a platform work item: reminders, overdue, 督办 for free.
        workitem_kinds.register(
            workitem_kinds.WorkItemKind(
                services.DECISION,
                "作出处理决定",
                "案件",
                clock=services.DECISION,
                on_overdue=services.decision_overdue,
                on_due_changed=services.decision_due_changed,
            )
        )
        workitem_kinds.register(
            workitem_kinds.WorkItemKind(
                "publicity.publish", "公示行政处罚信息", "案件", clock="publicity.publish"
            )
        )
        workitem_kinds.register(
            workitem_kinds.WorkItemKind(
                "crime.transfer_approval", "审批涉嫌犯罪案件移送", "案件", clock="crime.transfer_approval"
            )
        )
        for key, label in procedure.CLOCK_LABELS.items():
            workitem_kinds.register(workitem_kinds.WorkItemKind(key, label, "案件", clock=key))
        workitem_kinds.register(
            workitem_kinds.WorkItemKind(evidence.MANUAL_CHECK, "人工检查并上传证据", "案件")
        )
        # the group's tasks and the after-decision checks (责令改正复查, measures, payment) register their own
        from wangjian.cases.services import aftercare, groups

        for kind in (*groups.WORKITEM_KINDS, *aftercare.WORKITEM_KINDS):
            workitem_kinds.register(kind)
        retention.register_hold("cases.Case", evidence.case_holds_evidence, label="案件")
        # whoever sees a case (its joint group's members of other bureaus among them) sees its evidence
        access.register_link("cases", case_evidence_seen_through)
        demo.register("cases", "wangjian.cases.demo.load", after=("clues",))
        backup.register_count("cases", "案件", "cases", model="cases.Case")
        case_credit.register()  # its published penalty decisions, read by credit (credit.penalties)
        from wangjian.cases import figures, indicators

        indicators.register_all()  # its risk indicators, read by the risk grades (platform.indicators)
        figures.register_all()  # its figures (统计指标), read by the statistics (platform.statistics)
