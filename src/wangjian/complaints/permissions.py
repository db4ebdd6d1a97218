"""The complaints app's rows of the permission table, registered in ``ComplaintsConfig.ready``.

Which step of a complaint someone may take is the transition table's (``services.transitions``): the
handling unit (its staff and head) and the office (the 12315 centre's work sits with it in a county).
"""

from __future__ import annotations

from wangjian.org.choices import Role
from wangjian.org.permissions import EVERY_ROLE, OFFICE, STAFF_WHO_ACT, Action

COMPLAINT_READ = "complaints.complaint.read"
COMPLAINT_CREATE = "complaints.complaint.create"
COMPLAINT_ACT = "complaints.complaint.act"
COMPLAINT_IMPORT = "complaints.import.run"
COMPLAINT_ANALYSIS = "complaints.analysis.read"
COMPLAINT_RESULTS = "complaints.results.export"
COMPLAINT_REPORT = "complaints.report.issue"

HANDLERS = STAFF_WHO_ACT - {Role.LEADING_GROUP}

ACTIONS = (
    Action(COMPLAINT_READ, "查看投诉举报", "read complaints and reports", EVERY_ROLE, reads=True),
    Action(COMPLAINT_CREATE, "登记投诉举报", "register a complaint or a report", HANDLERS),
    Action(
        COMPLAINT_ACT,
        "办理投诉举报（受理、不予受理、移送、调解、终止、转线索等，各步按流转表）",
        "take a step of a complaint or report (accept, refuse, transfer, mediate, end, to a clue …; each as the transition table says)",
        HANDLERS,
    ),
    Action(
        COMPLAINT_ANALYSIS,
        "查看和导出投诉举报分析",
        "read and export the analysis of complaints and reports",
        OFFICE | {Role.LEADING_GROUP, Role.DEPARTMENT_HEAD, Role.AUDITOR},
        reads=True,
    ),
    Action(
        COMPLAINT_IMPORT,
        "导入全国12315平台导出数据",
        "import an export of the national 12315 platform",
        OFFICE | {Role.DEPARTMENT_HEAD, Role.OFFICER},
    ),
    Action(
        COMPLAINT_RESULTS,
        "导出办理结果（供录入全国12315平台）",
        "export the handling results for entry into the national 12315 platform",
        OFFICE | {Role.DEPARTMENT_HEAD, Role.OFFICER},
        reads=True,
    ),
    Action(
        COMPLAINT_REPORT,
        "起草和报送投诉举报分析报告（本局）",
        "draft and send the analysis report of complaints and reports (own bureau)",
        OFFICE | {Role.DEPARTMENT_HEAD},
    ),
)
