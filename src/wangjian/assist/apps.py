from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangjian.platform.navigation import CASEWORKERS, OFFICE, STAFF, NavItem

M = pgettext_lazy("menu", "协查协作")


class AssistConfig(AppConfig):
    name = "wangjian.assist"
    label = "assist"
    verbose_name = _("协查与内部协作")
    nav_items = [
        NavItem(M, _("协查请求"), "assist:request_list", STAFF),
        NavItem(M, _("提出协查"), "assist:request_add", CASEWORKERS),
        NavItem(M, _("内部协作请求"), "assist:internal_list", STAFF),
        NavItem(M, _("请网监核查取证"), "assist:internal_add", CASEWORKERS),
        NavItem(M, _("协查协作设置"), "assist:settings", OFFICE),
    ]

    def ready(self):
        from wangjian.assist import clocks, figures, services
        from wangjian.assist import permissions as assist_permissions
        from wangjian.assist.selectors import (
            assistance_evidence_seen_through,
            assistance_holds_evidence,
            internal_holds_evidence,
        )
        from wangjian.evidence import access, retention
        from wangjian.org import permissions
        from wangjian.platform import demo
        from wangjian.platform.workitems import kinds as workitem_kinds

        permissions.register(*assist_permissions.ACTIONS)
        clocks.register()
        from wangjian.assist import crossing

        crossing.register()  # letters and answers to partner instances as signed messages of the exchange
        # the receiving bureau's answer and the network unit's request are platform work items:
        # reminders, overdue marking and 督办 for free; the hooks keep the requests' records in step
        workitem_kinds.register(
            workitem_kinds.WorkItemKind(
                clocks.REPLY,
                "完成协查并答复",
                "协查",
                clock=clocks.REPLY,
                on_overdue=services.reply_overdue,
                on_escalated=services.reply_escalated,
                on_answered=services.reply_answered,
                on_due_changed=services.reply_due_changed,
            )
        )
        workitem_kinds.register(
            workitem_kinds.WorkItemKind(
                clocks.INTERNAL,
                "办结内部协作请求",
                "内部协作",
                clock=clocks.INTERNAL,
                on_overdue=services.internal_overdue,
                on_escalated=services.internal_escalated,
                on_answered=services.internal_answered,
                on_due_changed=services.internal_due_changed,
            )
        )
        # whoever sees a request (both bureaus) sees the captures its answer links
        access.register_link("assist", assistance_evidence_seen_through)
        retention.register_hold("assist.AssistanceRequest", assistance_holds_evidence, label="协查")
        retention.register_hold("assist.InternalRequest", internal_holds_evidence, label="内部协作")
        demo.register("assist", "wangjian.assist.demo.load", after=("clues", "cases", "evidence"))
        # a 协助调查函 to the partner instance the exchange's demo sets up (安吉县), over HTTP
        demo.register("assist_exchange", "wangjian.assist.demo_exchange.load", after=("assist", "exchange"))
        figures.register_all()  # 协查 sent, received, answered on time, overdue (platform.statistics)
