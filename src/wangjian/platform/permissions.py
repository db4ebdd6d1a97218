"""The platform's rows of the permission table (``org.permissions``), registered in ``PlatformConfig.ready``.

The platform's settings pages (legal clocks, numbering, follow-up) are the bureau's settings: the
organisation's ``org.manage`` row decides them (``org.selectors.can_manage``).
"""

from __future__ import annotations

from wangjian.org.choices import Role
from wangjian.org.permissions import EVERY_ROLE, OFFICE, STAFF_WHO_ACT, Action

WORKITEMS_CREATE = "platform.workitems.create"
LEADS_SUBMIT = "platform.leads.submit"
# Which bureaus' figures each role reads (its own, or also those below) is ``platform.statistics.access``.
STATS_READ = "stats.read"

ACTIONS = (
    Action(
        WORKITEMS_CREATE,
        "交办待办事项（办公室向各单位，科室负责人向本科室）",
        "hand out a work item (the office to any unit, a department head to their department)",
        OFFICE | {Role.DEPARTMENT_HEAD},
    ),
    Action(
        LEADS_SUBMIT,
        "通过线索来源端口提交线索",
        "submit a lead through the intake port",
        STAFF_WHO_ACT,
    ),
    Action(
        STATS_READ,
        "查看统计数据",
        "read the figures (statistics)",
        EVERY_ROLE,
        reads=True,
    ),
)
