"""The rules of enforcement cases — the one place they live.

One module per concern: ``transitions`` (the table of who may take which step), ``jurisdiction``
(管辖 on opening), ``opening`` (the 审批表, officers, the head's decision), ``clock`` (the 90-day
decision clock, its stops and extensions), ``procedure`` (the steps after filing and their clocks),
``groups`` (the joint case group: members of any bureau, tasks, journal), ``aftercare`` (payment,
责令改正, 复议 and 诉讼 after the decision; 先行登记保存 and 查封、扣押 before it), ``actions`` (the one entry
point of the page's buttons and the API). Views, the API and commands call these and hold no rules.
"""

from wangjian.cases.services.actions import case_act
from wangjian.cases.services.aftercare import (
    AFTERCARE_ACTIONS,
    aftercare_act,
    aftercare_summary,
    measure_end,
    measure_extend,
    measure_take,
    payment_record,
    rectification_check,
    rectification_open,
    remedy_decide,
    remedy_file,
    remedy_periods,
    surcharge,
)
from wangjian.cases.services.clock import (
    DECISION,
    case_extend,
    case_resume,
    case_stop,
    decision_due_changed,
    decision_item,
    decision_overdue,
    decision_stops,
)
from wangjian.cases.services.evidence import (
    MANUAL_CHECK,
    case_evidence,
    case_evidence_link,
    case_evidence_upload,
    case_holds_evidence,
)
from wangjian.cases.services.groups import (
    GROUP_ACTIONS,
    group_act,
    group_dissolve,
    group_form,
    group_member,
    group_task,
    journal_add,
    task_done,
)
from wangjian.cases.services.jurisdiction import JurisdictionCheck, jurisdiction_check
from wangjian.cases.services.opening import (
    case_approve,
    case_designate,
    case_draft,
    case_send_back,
    draft_initial,
    officers_check,
)
from wangjian.cases.services.procedure import CLOCK_LABELS, case_step, hearing_qualifies
from wangjian.cases.services.transitions import TRANSITIONS, allowed_actions, case_parties, transition_check

__all__ = [
    "AFTERCARE_ACTIONS",
    "aftercare_act",
    "aftercare_summary",
    "measure_end",
    "measure_extend",
    "measure_take",
    "payment_record",
    "rectification_check",
    "rectification_open",
    "remedy_decide",
    "remedy_file",
    "remedy_periods",
    "surcharge",
    "MANUAL_CHECK",
    "case_evidence",
    "case_evidence_link",
    "case_evidence_upload",
    "case_holds_evidence",
    "CLOCK_LABELS",
    "DECISION",
    "GROUP_ACTIONS",
    "TRANSITIONS",
    "JurisdictionCheck",
    "allowed_actions",
    "case_act",
    "case_approve",
    "case_designate",
    "case_draft",
    "case_extend",
    "case_parties",
    "case_resume",
    "case_send_back",
    "case_step",
    "case_stop",
    "decision_due_changed",
    "decision_item",
    "decision_stops",
    "decision_overdue",
    "draft_initial",
    "group_act",
    "group_dissolve",
    "group_form",
    "group_member",
    "group_task",
    "journal_add",
    "task_done",
    "hearing_qualifies",
    "jurisdiction_check",
    "officers_check",
    "transition_check",
]
