"""The leading group's rows of the permission table, registered in ``LeadershipConfig.ready``.

Everyone reads the year (the plan, the meetings and their decisions, the summaries, the assessment); the
office and the leading group run it (plan, meetings, 纪要, criteria and scores); the member units report:
their yearly summary and the completion of their own tasks and decisions (常州: 各成员单位按要求抓好落实).
"""

from __future__ import annotations

from wangjian.org.choices import Role
from wangjian.org.permissions import EVERY_ROLE, OFFICE, Action

LEADERSHIP_READ = "leadership.read"
LEADERSHIP_MANAGE = "leadership.manage"
LEADERSHIP_REPORT = "leadership.report"

ACTIONS = (
    Action(
        LEADERSHIP_READ,
        "查看领导小组工作（年度计划、会议纪要、议定事项、年度总结、考核）",
        "read the leading group's year (plan, meetings and 纪要, decisions, summaries, assessment)",
        EVERY_ROLE,
        reads=True,
    ),
    Action(
        LEADERSHIP_MANAGE,
        "管理领导小组工作（年度计划、会议和纪要、考核评分、培训宣传）",
        "run the leading group's year (plan, meetings and 纪要, assessment scores, training and publicity)",
        OFFICE | {Role.LEADING_GROUP},
    ),
    Action(
        LEADERSHIP_REPORT,
        "成员单位报送年度工作总结、办结本单位任务和议定事项",
        "a member unit submits its yearly summary and completes its tasks and decisions",
        OFFICE | {Role.DEPARTMENT_HEAD, Role.OFFICER, Role.STATION_OFFICER},
    ),
)
