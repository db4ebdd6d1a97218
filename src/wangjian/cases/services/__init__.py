"""The rules of enforcement cases — the one place they live.

One module per concern: ``transitions`` (the table of who may take which step), ``jurisdiction``
(管辖 on opening), ``opening`` (the 审批表, officers, the head's decision), ``clock`` (the 90-day
decision clock, its stops and extensions), ``procedure`` (the steps after filing and their clocks),
``actions`` (the one entry point of the page's buttons and the API). Views, the API and commands call
these and hold no rules.
"""

from wangjian.cases.services.actions import case_act
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
    "MANUAL_CHECK",
    "case_evidence",
    "case_evidence_link",
    "case_evidence_upload",
    "case_holds_evidence",
    "CLOCK_LABELS",
    "DECISION",
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
    "hearing_qualifies",
    "jurisdiction_check",
    "officers_check",
    "transition_check",
]
