"""The credit app's rows of the permission table, registered in ``CreditConfig.ready``.

Every member of staff reads the credit lists (an entity's credit is on its archive page). Acting — proposing
and deciding listings, removals and repairs, importing annual reports, handling mismatches — is for the
office and for department heads and officers; which step each may take is the transition table's
(``services.transitions``): the registration and credit departments' staff, their heads, the office.
"""

from __future__ import annotations

from wangjian.org.choices import Role
from wangjian.org.permissions import EVERY_ROLE, OFFICE, Action

CREDIT_READ = "credit.credit.read"
CREDIT_ACT = "credit.credit.act"
CREDIT_IMPORT = "credit.annual.import"

ACTORS = OFFICE | {Role.DEPARTMENT_HEAD, Role.OFFICER}

ACTIONS = (
    Action(
        CREDIT_READ,
        "查看信用监管信息（经营异常名录、严重违法失信名单、信用修复、年报比对）",
        "read credit supervision records",
        EVERY_ROLE,
        reads=True,
    ),
    Action(
        CREDIT_ACT,
        "办理信用监管事项（列入、移出、严重违法失信名单、信用修复、比对处理，各步按流转表）",
        "take a credit step (list, remove, serious list, repair, mismatch; each as the transition table says)",
        ACTORS,
    ),
    Action(
        CREDIT_IMPORT,
        "导入年度报告申报的网站网店",
        "import the annual reports' declared websites and shops",
        ACTORS,
    ),
)
