"""The platform's models, each in the module of its piece (clocks, work items …)."""

from wangjian.platform.clocks.models import DeadlinePolicy
from wangjian.platform.numbering.models import IssuedNumber, NumberFormat, Sequence
from wangjian.platform.workitems.models import FollowUpSettings

__all__ = ["DeadlinePolicy", "FollowUpSettings", "IssuedNumber", "NumberFormat", "Sequence"]
