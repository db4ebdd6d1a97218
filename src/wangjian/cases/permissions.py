"""The case app's rows of the permission table (``org.permissions``), registered in ``CasesConfig.ready``.

Which step of a case someone may take is the transition table's (``services.transitions``: the
designated officers, the 办案机构 and its head, the bureau's head, the legal department); these rows
say who takes part in case work at all, and who reads the bureau's cases and figures.
"""

from __future__ import annotations

from wangjian.org.choices import Role
from wangjian.org.permissions import EVERY_ROLE, OFFICE, STAFF_WHO_ACT, Action

CASE_READ = "cases.case.read"
CASE_DRAFT = "cases.case.draft"
CASE_ACT = "cases.case.act"
CASE_FIGURES = "cases.figures.read"
PROVINCE_EXCHANGE = "cases.province.exchange"

CASEWORK = STAFF_WHO_ACT - {Role.LEADING_GROUP}

ACTIONS = (
    Action(CASE_READ, "查看本局案件", "read the bureau's cases", EVERY_ROLE, reads=True),
    Action(
        CASE_DRAFT,
        "填写立案（不予立案）审批表",
        "draft a filing form (立案 or 不予立案)",
        CASEWORK,
    ),
    Action(
        CASE_ACT,
        "办理案件（指定办案人员、审批、调查终结、核审、告知、决定、送达、结案等，各步按流转表）",
        "take a step of a case (designate, approve, end the investigation, review, notify, decide, serve, close …; each step as the transition table says)",
        STAFF_WHO_ACT,
    ),
    Action(
        CASE_FIGURES,
        "查看和导出涉网案件月度统计",
        "read and export the monthly case figures",
        OFFICE | {Role.LEADING_GROUP, Role.AUDITOR, Role.DEPARTMENT_HEAD},
        reads=True,
    ),
    # The exchange with the province's case-handling system carries a natural person's name in full
    # (the record system needs it; each such case's view is logged): the office, the bureau's head
    # and the legal department, who oversee every case of the bureau — not the auditor.
    Action(
        PROVINCE_EXCHANGE,
        "导出案件数据至省级办案系统、核对两系统差异（含自然人当事人姓名，记录查看）",
        "export the case data to the province's case-handling system and compare the two (a person's name in full, logged)",
        OFFICE | {Role.LEADING_GROUP, Role.LEGAL_REVIEWER},
        reads=True,
    ),
)
