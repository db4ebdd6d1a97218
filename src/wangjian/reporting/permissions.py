"""The reporting app's rows of the permission table, registered in ``ReportingConfig.ready``.

Who acts on which report is decided after the cell (``selectors``): a bureau's office submits its own
bureau's reports; the office of the superior bureau defines the templates and reviews (accepts or returns)
the reports made to it — a sibling bureau's office neither. The office, the leading group and the auditor read.
"""

from __future__ import annotations

from wangjian.org.choices import Role
from wangjian.org.permissions import OFFICE, Action

REPORTING_READ = "reporting.read"
REPORTING_SUBMIT = "reporting.submit"
REPORTING_REVIEW = "reporting.review"
REPORTING_TEMPLATE = "reporting.template.manage"

ACTIONS = (
    Action(
        REPORTING_READ,
        "查看向上报送（本局的报送、下级局的报送情况）",
        "read upward reports (one's own bureau's, and those made to it)",
        OFFICE | {Role.LEADING_GROUP, Role.AUDITOR},
        reads=True,
    ),
    Action(
        REPORTING_SUBMIT,
        "填报并向上级局报送本局的报送事项",
        "fill in and submit one's own bureau's reports to the superior bureau",
        OFFICE,
    ),
    Action(
        REPORTING_REVIEW,
        "审核下级局的报送（通过或退回更正）",
        "review the reports of the bureaus below (accept, or return for correction)",
        OFFICE,
    ),
    Action(
        REPORTING_TEMPLATE,
        "制定本局要求下级局报送的事项",
        "define what the bureaus below report to one's bureau",
        OFFICE,
    ),
)
