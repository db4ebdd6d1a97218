"""The rules of the clue closed loop (涉网问题线索闭环处置) — the one place they live.

The seed (旌德县局线上线下一体化监管工作机制，旌市场办〔2022〕116号) sets the loop:
the leading group's office distributes clues; "各办案机构收到核查任务后7个工作日内反馈核查情况；
处置完成后报送处置结果" (二(四)); the office tracks, reminds and escalates (督办); every month it
reports how many clues were handled, by whom, with what result (二(一)).

Every function here returns what it decided and why; views, the API, Celery tasks and
commands call them and hold no rules. ``TRANSITIONS`` is the single table of who may move
a clue from which state to which.

The rules live in one module per concern: transitions, deadlines, duties, routing, intake, steps, escalation, merging, actions, attachments. The names are re-exported here, so
callers write ``from wangjian.clues import services`` and ``services.clue_route`` as before.
"""

from wangjian.clues.services.actions import clue_act
from wangjian.clues.services.attachments import (
    attachment_add,
    attachment_check,
    attachment_open,
    reporter_reveal,
)
from wangjian.clues.services.deadlines import Deadline, deadline_disposal, deadline_feedback
from wangjian.clues.services.duties import (
    DISPOSAL_LABEL,
    DUTY_KINDS,
    FEEDBACK_LABEL,
    REPORT_OUTCOME,
    duty_answered,
    duty_due_changed,
    duty_escalated,
    duty_overdue,
    leading_group_users,
    notify,
    office_users,
    unit_users,
)
from wangjian.clues.services.escalation import (
    RemindReport,
    clue_escalate,
    clues_remind,
    escalation_answer,
    escalations_of,
)
from wangjian.clues.services.external import clue_body, clue_transfer_external
from wangjian.clues.services.filing import (
    FILING,
    clue_filing_decided,
    filing_backfill,
    filing_extend,
    filing_item,
    filing_resume,
    filing_stop,
    filing_stops,
    may_draft_filing,
)
from wangjian.clues.services.intake import IntakeResult, clue_find_duplicate, clue_intake
from wangjian.clues.services.merging import clue_merge, clue_share, clue_split
from wangjian.clues.services.routing import Routing, clue_assign, clue_override, clue_route
from wangjian.clues.services.steps import (
    clue_accept,
    clue_close,
    clue_feedback,
    clue_return,
    clue_start_disposal,
    clue_transfer,
)
from wangjian.clues.services.transitions import (
    RUNNING,
    TRANSITIONS,
    Transition,
    allowed_actions,
    clue_parties,
    transition_check,
)
from wangjian.core.errors import NotFoundError, PermissionDeniedError, ValidationFailed, WangjianError

__all__ = [
    "clue_body",
    "clue_transfer_external",
    "filing_backfill",
    "filing_stops",
    "may_draft_filing",
    "FILING",
    "clue_filing_decided",
    "filing_extend",
    "filing_item",
    "filing_resume",
    "filing_stop",
    "DISPOSAL_LABEL",
    "DUTY_KINDS",
    "Deadline",
    "FEEDBACK_LABEL",
    "IntakeResult",
    "NotFoundError",
    "PermissionDeniedError",
    "REPORT_OUTCOME",
    "RUNNING",
    "RemindReport",
    "Routing",
    "TRANSITIONS",
    "Transition",
    "ValidationFailed",
    "WangjianError",
    "allowed_actions",
    "attachment_add",
    "attachment_check",
    "attachment_open",
    "clue_accept",
    "clue_act",
    "clue_assign",
    "clue_close",
    "clue_escalate",
    "clue_feedback",
    "clue_find_duplicate",
    "clue_intake",
    "clue_merge",
    "clue_override",
    "clue_parties",
    "clue_return",
    "clue_route",
    "clue_share",
    "clue_split",
    "clue_start_disposal",
    "clue_transfer",
    "clues_remind",
    "deadline_disposal",
    "deadline_feedback",
    "duty_answered",
    "duty_due_changed",
    "duty_escalated",
    "duty_overdue",
    "escalation_answer",
    "escalations_of",
    "leading_group_users",
    "notify",
    "office_users",
    "reporter_reveal",
    "transition_check",
    "unit_users",
]
