"""The clocks, work-item kinds and document numbers of credit supervision, registered in ``CreditConfig.ready``.

- ``abnormal.listing``: the listing decision within 10 working days after the period ends or the facts are
  established (企业经营异常名录管理办法 (2025) arts. 6, 7, 9; 个体工商户年度报告办法 (2025) arts. 13–15).
- ``abnormal.removal`` (the catalogue's): 5 working days from receipt of the application (办法 arts. 11, 12:
  annual report filed, ordered information published). ``abnormal.removal_verified``: 5 working days from the
  verification (办法 arts. 13, 14: name change registered, reachable again). ``abnormal.removal_individual``:
  个体工商户 (个体工商户年度报告办法 arts. 16–18: 5 working days).
- ``abnormal.objection_*``: an objection to a listing (办法 art. 15) — filed within 30 days of publication,
  accepted or not within 5 working days, verified within 20 working days, an error corrected within 5 working
  days of the verification. Registered so the periods are on the clock page; no objection workflow uses them
  yet.
- ``serious.statement``: the party's statement after the notice of a proposed 严重违法失信 listing — **the
  bureau's work rule**, not the measures': 总局令第44号 art. 13 has the listing decided together with the
  penalty decision, notice, hearing, service and objection running with the penalty procedure, no separate
  period. ``serious.publication``: published within 20 working days of the decision (art. 14).
- ``credit.repair_decision``: the bureau's own setting (15 working days by default); the period of
  市场监督管理信用修复管理办法 (2021) is not verified; see ``services.repair`` for the NDRC measures of 2026.
"""

from __future__ import annotations

import datetime as dt

from wangjian.core.clocks import Unit
from wangjian.org.choices import DepartmentKind
from wangjian.org.models import Bureau, Department, User
from wangjian.platform.clocks import catalogue
from wangjian.platform.clocks.catalogue import ClockKind, Lock
from wangjian.platform.numbering import kinds as number_kinds
from wangjian.platform.workitems import kinds as workitem_kinds
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.models import WorkItem, WorkItemState
from wangjian.platform.workitems.services import workitem_create, workitem_finish

LISTING, REMOVAL = "abnormal.listing", "abnormal.removal"
REMOVAL_VERIFIED, REMOVAL_INDIVIDUAL = "abnormal.removal_verified", "abnormal.removal_individual"
REMOVALS = (REMOVAL, REMOVAL_VERIFIED, REMOVAL_INDIVIDUAL)
OBJECTION_FILING, OBJECTION_ACCEPTANCE = "abnormal.objection_filing", "abnormal.objection_acceptance"
OBJECTION_VERIFICATION, OBJECTION_CORRECTION = (
    "abnormal.objection_verification",
    "abnormal.objection_correction",
)
STATEMENT, REPAIR, REVOCATION = "serious.statement", "credit.repair_decision", "credit.revocation"
PUBLICATION = "serious.publication"

MEASURES_2025 = "《企业经营异常名录管理办法》（2025）"
INDIVIDUAL_2025 = "《个体工商户年度报告办法》（2025）"
SERIOUS_MEASURES = "《市场监督管理严重违法失信名单管理办法》（总局令第44号）"
LISTING_BASIS = (
    f"{MEASURES_2025}第六条、第七条、第九条（第八条名称变更事由同此计算），{INDIVIDUAL_2025}第十三条至第十五条："
    "期限届满或者查实之日起十个工作日内作出列入决定"
)

CLOCKS = (
    ClockKind(
        LISTING,
        "作出列入经营异常名录决定",
        10,
        Unit.WORKING_DAYS,
        LISTING_BASIS,
        Lock.STATUTORY,
        "期限届满（或查实）",
    ),
    ClockKind(
        REMOVAL_VERIFIED,
        "移出经营异常名录（核实后）",
        5,
        Unit.WORKING_DAYS,
        f"{MEASURES_2025}第十三条、第十四条：已办理企业名称变更登记、通过登记的住所或者经营场所可以重新取得联系的，"
        "自核实之日起五个工作日内作出移出决定",
        Lock.STATUTORY,
        "核实",
    ),
    ClockKind(
        REMOVAL_INDIVIDUAL,
        "移出经营异常名录（个体工商户）",
        5,
        Unit.WORKING_DAYS,
        f"{INDIVIDUAL_2025}第十六条至第十八条：五个工作日内作出移出决定",
        Lock.STATUTORY,
        "收到申请（恢复联系的：核实）",
    ),
    ClockKind(
        OBJECTION_FILING,
        "对列入经营异常名录提出书面异议",
        30,
        Unit.DAYS,
        f"{MEASURES_2025}第十五条：自公示之日起三十日内提出书面异议",
        Lock.STATUTORY,
        "公示",
    ),
    ClockKind(
        OBJECTION_ACCEPTANCE,
        "决定是否受理列入经营异常名录异议",
        5,
        Unit.WORKING_DAYS,
        f"{MEASURES_2025}第十五条：收到异议之日起五个工作日内决定是否受理",
        Lock.STATUTORY,
        "收到异议",
    ),
    ClockKind(
        OBJECTION_VERIFICATION,
        "核实异议并书面答复",
        20,
        Unit.WORKING_DAYS,
        f"{MEASURES_2025}第十五条：受理之日起二十个工作日内核实，并书面答复申请人",
        Lock.STATUTORY,
        "受理异议",
    ),
    ClockKind(
        OBJECTION_CORRECTION,
        "更正错误的列入",
        5,
        Unit.WORKING_DAYS,
        f"{MEASURES_2025}第十五条：经核实列入有误的，自核实之日起五个工作日内更正",
        Lock.STATUTORY,
        "核实",
    ),
    ClockKind(
        STATEMENT,
        "严重违法失信名单：陈述、申辩或者要求听证（本局工作规则）",
        5,
        Unit.WORKING_DAYS,
        "本局工作规则：送达拟列入告知书后{n}个工作日内陈述、申辩或者要求听证。"
        f"{SERIOUS_MEASURES}第十三条规定列入决定与行政处罚决定一并作出，告知、听证、送达、异议等程序随行政处罚程序进行，"
        "该办法未另设期限",
        Lock.WORK_RULE,
        "送达告知书",
    ),
    ClockKind(
        PUBLICATION,
        "公示列入严重违法失信名单信息",
        20,
        Unit.WORKING_DAYS,
        f"{SERIOUS_MEASURES}第十四条：作出列入决定之日起二十个工作日内通过国家企业信用信息公示系统公示",
        Lock.STATUTORY,
        "作出列入决定",
    ),
    ClockKind(
        REPAIR,
        "作出信用修复决定（本局设定）",
        15,
        Unit.WORKING_DAYS,
        "本局设定（工作规则）：收到信用修复申请后{n}个工作日内作出决定。《市场监督管理信用修复管理办法》（2021）"
        "规定的办理期限未经核实；国家发展改革委《信用修复管理办法》（国家发展改革委令第36号，2026年4月1日施行）"
        "对“信用中国”网站信息为三个工作日内受理、七个工作日内决定（可延长十个工作日），行业主管部门可参照，"
        f"本局采用何种期限由办公室确认；严重违法失信名单提前移出，{SERIOUS_MEASURES}第十七条为二个工作日内决定是否受理、"
        "受理之日起十五个工作日内作出决定",
        Lock.WORK_RULE,
        "收到申请",
    ),
)

LABELS = {
    LISTING: "作出列入经营异常名录决定",
    REMOVAL: "作出移出经营异常名录决定",
    REMOVAL_VERIFIED: "作出移出经营异常名录决定（核实后）",
    REMOVAL_INDIVIDUAL: "作出移出经营异常名录决定（个体工商户）",
    STATEMENT: "等待陈述申辩/听证（严重违法失信名单，本局工作规则）",
    PUBLICATION: "公示列入严重违法失信名单信息",
    REPAIR: "作出信用修复决定",
    REVOCATION: "依法吊销营业执照（连续两年未报年报被列入且住所无法联系）",
}
WORKITEM_KINDS = tuple(
    workitem_kinds.WorkItemKind(key, label, "信用", clock="" if key == REVOCATION else key)
    for key, label in LABELS.items()
)

NUMBER_KINDS = (
    number_kinds.NumberKind(
        "abnormal_listing",
        "列入经营异常名录决定书文号",
        "{prefix}异列〔{year}〕{seq}号",
        "作出列入决定时编号",
    ),
    number_kinds.NumberKind(
        "abnormal_removal",
        "移出经营异常名录决定书文号",
        "{prefix}异移〔{year}〕{seq}号",
        "作出移出决定时编号",
    ),
    number_kinds.NumberKind(
        "serious_listing",
        "列入严重违法失信名单决定书文号",
        "{prefix}严列〔{year}〕{seq}号",
        "作出列入决定时编号",
    ),
    number_kinds.NumberKind(
        "credit_repair", "信用修复决定书文号", "{prefix}信修〔{year}〕{seq}号", "作出修复决定时编号"
    ),
)


def register() -> None:
    for kind in CLOCKS:
        catalogue.register(kind)
    for kind in WORKITEM_KINDS:
        workitem_kinds.register(kind)
    for kind in NUMBER_KINDS:
        number_kinds.register(kind)


def unit_of(bureau: Bureau) -> Department | None:
    """The unit credit work items go to: the bureau's credit department, else its registration department."""
    for kind in (DepartmentKind.CREDIT, DepartmentKind.REGISTRATION):
        dept = Department.objects.filter(bureau=bureau, kind=kind).order_by("id").first()
        if dept is not None:
            return dept
    return None


REVOCATION_TASK_DAYS = 10  # a task of the registration side, not a legal clock: the bureau's own follow-up


def clock_open(
    subject,
    clock: str,
    start: dt.date,
    now: dt.datetime,
    *,
    title: str = "",
    reference: str = "",
    body: str = "",  # noqa: ANN001
) -> WorkItem:
    """The work item of ``clock`` for a credit record (its unit: the credit, else registration, department)."""
    timing = (
        {"working_days": REVOCATION_TASK_DAYS} if clock == REVOCATION else {"clock": clock, "start": start}
    )
    return workitem_create(
        bureau=subject.bureau,
        kind=clock,
        title=title or LABELS[clock],
        body=body,
        reference=reference or str(subject.entity),
        department=unit_of(subject.bureau) or subject.bureau.office(),
        subject=subject,
        domain="credit",
        now=now,
        **timing,
    )


def clock_end(
    subject, clock: str, user: User | None, result: str, now: dt.datetime, *, cancelled: bool = False
) -> None:  # noqa: ANN001
    for item in workitem_selectors.items_of(subject).filter(kind=clock, state=WorkItemState.OPEN):
        state = WorkItemState.CANCELLED if cancelled else WorkItemState.DONE
        workitem_finish(item=item, user=None, actor=user, result=result, state=state, now=now)
