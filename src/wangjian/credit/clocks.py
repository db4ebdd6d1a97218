"""The clocks, work-item kinds and document numbers of credit supervision, registered in ``CreditConfig.ready``.

- ``abnormal.listing``: the listing decision within 10 working days after the period ends
  (企业信息公示暂行条例 (2024) art. 8 for the annual-report period; 企业经营异常名录管理办法 (2025) art. 6 —
  the article numbers as the project's DOMAIN.md gives them, to be verified against the official text).
- ``abnormal.removal`` (the catalogue's): the removal decision within 5 working days of a valid application.
- ``serious.statement``: the party's statement after the notice of a proposed 严重违法失信 listing. 总局令第44号
  gives the party notice and the right to state its case and ask for a hearing; the length here is a work
  rule defaulting to 5 working days, as 程序规定 art. 57 gives for penalties — **the measures' own period and
  article must be verified**.
- ``credit.repair_decision``: the bureau's period to decide a repair application — a work rule (15 working
  days by default); **the period 信用修复管理办法 sets must be verified**.
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
STATEMENT, REPAIR, REVOCATION = "serious.statement", "credit.repair_decision", "credit.revocation"

LISTING_BASIS = (
    "《企业信息公示暂行条例》（2024年修订）第八条、《企业经营异常名录管理办法》（2025）第六条："
    "期限届满之日起十个工作日内作出列入决定（条文序号须与正式文本核对）"
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
        STATEMENT,
        "严重违法失信名单：陈述、申辩或者要求听证",
        5,
        Unit.WORKING_DAYS,
        "《市场监督管理严重违法失信名单管理办法》（总局令第44号）：列入前告知当事人拟列入的事由、依据和陈述、申辩、"
        "听证的权利；本局工作规则默认{n}个工作日（参照《市场监督管理行政处罚程序规定》第五十七条；该办法规定的期限须核实）",
        Lock.WORK_RULE,
        "送达告知书",
    ),
    ClockKind(
        REPAIR,
        "作出信用修复决定",
        15,
        Unit.WORKING_DAYS,
        "本局工作规则：收到信用修复申请后{n}个工作日内作出决定（《市场监督管理信用修复管理办法》规定的办理期限须核实）",
        Lock.WORK_RULE,
        "收到申请",
    ),
)

LABELS = {
    LISTING: "作出列入经营异常名录决定",
    REMOVAL: "作出移出经营异常名录决定",
    STATEMENT: "等待陈述申辩/听证（严重违法失信名单）",
    REPAIR: "作出信用修复决定",
    REVOCATION: "依法吊销营业执照（经营异常名录满两年）",
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
