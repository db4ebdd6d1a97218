"""The campaigns app's rows of the permission table, registered in ``CampaignsConfig.ready``.

Who acts on which record is decided after the cell: a unit fills and submits its own table only (its
staff, or the office of the bureau below that reports as a unit); the office of the campaign's bureau
plans, links, picks typical cases, scores and exports.
"""

from __future__ import annotations

from wangjian.org.choices import Role
from wangjian.org.permissions import EVERY_ROLE, OFFICE, Action

CAMPAIGN_READ = "campaigns.campaign.read"
CAMPAIGN_MANAGE = "campaigns.campaign.manage"
CAMPAIGN_REPORT = "campaigns.report.submit"

REPORTERS = OFFICE | {Role.DEPARTMENT_HEAD, Role.OFFICER, Role.STATION_OFFICER}

ACTIONS = (
    Action(CAMPAIGN_READ, "查看专项行动", "read campaigns", EVERY_ROLE, reads=True),
    Action(
        CAMPAIGN_MANAGE,
        "制定和管理专项行动（阶段、任务、关联事项、典型案例、督查、重点时段）",
        "plan and run campaigns (phases, tasks, links, typical cases, inspections, key periods)",
        OFFICE,
    ),
    Action(
        CAMPAIGN_REPORT,
        "填报和报送本单位专项行动统计表",
        "fill in and submit one's own unit's campaign table",
        REPORTERS,
    ),
)
