"""The outreach rows of the permission table, registered in ``OutreachConfig.ready``.

Every member of staff reads a platform's duties and the requests to platforms and other authorities.
Acting — recording reports, 约谈 and other guidance, sending requests and recording the answers — is for
the office, department heads and officers; an officer acts only from the network unit (网络交易监管科室),
which the service checks after the cell (``services.common.may_act``). The deadlines of the bureau's work
rules are the office's to set.
"""

from __future__ import annotations

from wangjian.org.choices import Role
from wangjian.org.permissions import EVERY_ROLE, OFFICE, Action

OUTREACH_READ = "outreach.outreach.read"
OUTREACH_ACT = "outreach.outreach.act"
OUTREACH_SETTINGS = "outreach.settings.edit"

ACTORS = OFFICE | {Role.DEPARTMENT_HEAD, Role.OFFICER}

ACTIONS = (
    Action(
        OUTREACH_READ,
        "查看平台责任落实情况和外部门协作请求",
        "read the platforms' duties and the requests to other authorities",
        EVERY_ROLE,
        reads=True,
    ),
    Action(
        OUTREACH_ACT,
        "办理平台责任事项和外部门协作请求（业务人员限网络交易监管科室）",
        "record platform reports, guidance and requests, and requests to other authorities "
        "(officers of the network unit only)",
        ACTORS,
    ),
    Action(
        OUTREACH_SETTINGS,
        "设置平台和外部门协作的工作时限",
        "set the work-rule deadlines of platform and authority requests",
        OFFICE,
    ),
)
