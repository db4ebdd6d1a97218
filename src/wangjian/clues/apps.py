from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangjian.platform.navigation import CASEWORKERS, OVERSIGHT, STAFF, NavItem

M = pgettext_lazy("menu", "线索处置")


class CluesConfig(AppConfig):
    name = "wangjian.clues"
    label = "clues"
    verbose_name = _("线索闭环处置")
    nav_items = [
        NavItem(M, _("线索"), "clues:clue_list", STAFF),
        NavItem(M, _("登记线索"), "clues:clue_add", CASEWORKERS),
        NavItem(M, _("办公室总览"), "clues:overview", OVERSIGHT),
    ]

    def ready(self):
        from wangjian.clues import clocks, metrics, receiver, services, workbench  # noqa: F401  (workbench registers itself)
        from wangjian.clues import permissions as clue_permissions
        from wangjian.clues.selectors import clue_evidence_seen_through, clue_holds_evidence
        from wangjian.clues.services import filing
        from wangjian.evidence import access, retention
        from wangjian.org import permissions
        from wangjian.platform import backup, demo
        from wangjian.platform.intake import register_receiver
        from wangjian.platform.workitems import kinds as workitem_kinds

        clocks.register()
        metrics.register()  # /metrics: overdue clues per bureau
        permissions.register(*clue_permissions.ACTIONS)
        # The unit's duties on a clue are the platform's work items: reminders, overdue, 督办 for free.
        for key, label in (
            (clocks.FEEDBACK, services.FEEDBACK_LABEL),
            (clocks.DISPOSAL, services.DISPOSAL_LABEL),
        ):
            workitem_kinds.register(
                workitem_kinds.WorkItemKind(
                    key,
                    label,
                    "线索",
                    clock=key,
                    own_section=True,  # listed in 我的线索, not twice
                    on_overdue=services.duty_overdue,
                    on_escalated=services.duty_escalated,
                    on_answered=services.duty_answered,
                    on_due_changed=services.duty_due_changed,
                )
            )
        # 程序规定 art. 18: the filing decision's clock, the unit's from the day the clue was found
        workitem_kinds.register(
            workitem_kinds.WorkItemKind(
                filing.FILING,
                filing.FILING_LABEL,
                "线索",
                clock=filing.CLOCK,
                own_section=True,
                on_overdue=filing.filing_overdue,
                on_due_changed=filing.filing_due_changed,
            )
        )
        retention.register_hold("clues.Clue", clue_holds_evidence, label="线索")
        # whoever sees a clue sees its evidence, a clue transferred in from another bureau among them
        access.register_link("clues", clue_evidence_seen_through)
        register_receiver(receiver.lead_receive, url_for=receiver.clue_url)
        # evidence packages a partner instance sent with a clue: seen by whoever sees the clue
        from wangjian.clues.selectors import clues_visible
        from wangjian.exchange import selectors as exchange_selectors

        exchange_selectors.register_viewer(
            "clues.clue", lambda user, pk: clues_visible(user).filter(pk=pk).exists()
        )
        demo.register("clues", "wangjian.clues.demo.load", after=("registry", "monitoring", "evidence"))
        # a clue sent with its evidence to the partner instance the exchange's demo sets up (安吉县)
        demo.register("clues_exchange", "wangjian.clues.demo_exchange.load", after=("clues", "exchange"))
        backup.register_count("clues", "线索", "clues", model="clues.Clue")  # wangjian backup / restore
        from wangjian.clues import figures, indicators, rankings

        indicators.register_all()  # its risk indicators, read by the risk grades (platform.indicators)
        figures.register_all()  # its figures (统计指标), read by the statistics (platform.statistics)
        rankings.register_all()  # its rankings (排名), read by the dashboards and the API
