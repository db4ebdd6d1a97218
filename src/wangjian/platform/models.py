"""The platform's models, each in the module of its piece (clocks, work items …)."""

from wangjian.platform.clocks.models import DeadlinePolicy
from wangjian.platform.followup.models import FollowUpSettings
from wangjian.platform.inbox.models import Delivery, Message, PushAddress
from wangjian.platform.metrics.models import TaskFailureCount
from wangjian.platform.numbering.models import IssuedNumber, NumberFormat, Sequence
from wangjian.platform.workitems.models import Escalation, WorkItem

__all__ = [
    "DeadlinePolicy",
    "Delivery",
    "Escalation",
    "FollowUpSettings",
    "IssuedNumber",
    "Message",
    "NumberFormat",
    "PushAddress",
    "Sequence",
    "TaskFailureCount",
    "WorkItem",
]
