"""The work rules, work-item kinds and document numbers of outreach, registered in ``OutreachConfig.ready``.

None of these periods is set by law: the answer a platform owes to a takedown or data request, the follow-up
of a 约谈's items and of a letter to another authority are **the bureau's work rules** (``Lock.WORK_RULE``),
labelled so on every deadline and set by the office on ``/outreach/settings/`` (or the clocks page).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from wangjian.core.clocks import Unit
from wangjian.org.models import Bureau, Department, User
from wangjian.platform.clocks import catalogue
from wangjian.platform.clocks.catalogue import ClockKind, Lock
from wangjian.platform.numbering import kinds as number_kinds
from wangjian.platform.workitems import kinds as workitem_kinds
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.models import WorkItem, WorkItemState
from wangjian.platform.workitems.services import workitem_create, workitem_finish

TAKEDOWN, DATA, BLOCK = "outreach.takedown", "outreach.data", "outreach.block"
RECTIFICATION = "outreach.rectification"
RECEIPT, OUTCOME = "outreach.receipt", "outreach.outcome"
REQUEST_CLOCKS = {"takedown": TAKEDOWN, "data": DATA, "block": BLOCK}

RULE = "本局工作规则"
EC_LAW = "《中华人民共和国电子商务法》"
MEASURES = "《网络交易监督管理办法》（总局令第37号）"

CLOCKS = (
    ClockKind(
        TAKEDOWN,
        "平台答复下架/删除链接请求（本局工作规则）",
        3,
        Unit.WORKING_DAYS,
        f"{RULE}：平台自收到函件之日起{{n}}个工作日内下架或者删除并书面答复（{EC_LAW}第二十九条、"
        f"{MEASURES}第二十九条规定平台发现违法情形应当依法采取必要的处置措施，期限须核实）",
        Lock.WORK_RULE,
        "发函",
    ),
    ClockKind(
        DATA,
        "平台答复调取数据请求（本局工作规则）",
        10,
        Unit.WORKING_DAYS,
        f"{RULE}：平台自收到函件之日起{{n}}个工作日内提供数据（{EC_LAW}第二十五条：依法要求提供有关电子商务数据信息的，"
        "电子商务经营者应当提供；期限须核实）",
        Lock.WORK_RULE,
        "发函",
    ),
    ClockKind(
        BLOCK,
        "平台答复停止提供服务请求（本局工作规则）",
        3,
        Unit.WORKING_DAYS,
        f"{RULE}：平台自收到函件之日起{{n}}个工作日内对平台内经营者采取措施并书面答复（须核实）",
        Lock.WORK_RULE,
        "发函",
    ),
    ClockKind(
        RECTIFICATION,
        "行政指导整改事项（本局工作规则）",
        15,
        Unit.WORKING_DAYS,
        f"{RULE}：约谈、提示、告诫、建议指出的问题，平台在{{n}}个工作日内整改并报送整改情况（逐项另定期限的从其规定）",
        Lock.WORK_RULE,
        "约谈/发出文书",
    ),
    ClockKind(
        RECEIPT,
        "跟进外部门回执（本局工作规则）",
        5,
        Unit.WORKING_DAYS,
        f"{RULE}：函件发出后{{n}}个工作日内取得接收部门回执",
        Lock.WORK_RULE,
        "发出函件",
    ),
    ClockKind(
        OUTCOME,
        "跟进外部门处理结果（本局工作规则）",
        30,
        Unit.DAYS,
        f"{RULE}：取得回执后{{n}}日内跟进接收部门的处理结果",
        Lock.WORK_RULE,
        "回执",
    ),
)

LABELS = {
    TAKEDOWN: "督促平台下架/删除链接并答复",
    DATA: "督促平台提供数据",
    BLOCK: "督促平台停止提供服务并答复",
    RECTIFICATION: "跟进行政指导整改事项",
    RECEIPT: "跟进外部门回执",
    OUTCOME: "跟进外部门处理结果",
}
WORKITEM_KINDS = tuple(
    workitem_kinds.WorkItemKind(key, label, "协同", clock=key) for key, label in LABELS.items()
)

NUMBER_KINDS = (
    number_kinds.NumberKind(
        "outreach_guidance",
        "平台行政指导文书编号",
        "{prefix}网指〔{year}〕{seq}号",
        "登记约谈、提示、告诫、建议时编号",
    ),
    number_kinds.NumberKind(
        "outreach_platform_request",
        "致平台函号",
        "{prefix}网函〔{year}〕{seq}号",
        "发出下架、调取数据、停止服务函时编号",
    ),
    number_kinds.NumberKind(
        "outreach_authority_request",
        "外部门协作函号",
        "{prefix}协作〔{year}〕{seq}号",
        "向公安、通信管理局等发函时编号",
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
    """The network unit (网络交易监管科室), else the bureau's office: who follows the platforms and letters up."""
    from wangjian.org.choices import DepartmentKind

    dept = Department.objects.filter(bureau=bureau, kind=DepartmentKind.ONLINE_TRADE, is_active=True).first()
    return dept or bureau.office()


def item_open(
    subject: Any,
    clock: str,
    *,
    bureau: Bureau,
    start: dt.date,
    now: dt.datetime,
    title: str = "",
    reference: str = "",
    body: str = "",
    due: dt.date | None = None,
) -> WorkItem:
    """The follow-up work item of ``subject``: on the clock from ``start``, or to a given day ``due``."""
    timing: dict[str, Any] = {"due": due} if due else {"clock": clock, "start": start}
    return workitem_create(
        bureau=bureau,
        kind=clock,
        title=title or LABELS[clock],
        body=body,
        reference=reference,
        department=unit_of(bureau),
        subject=subject,
        domain="outreach",
        now=now,
        **timing,
    )


def item_end(subject: Any, clock: str, user: User | None, result: str, now: dt.datetime) -> None:
    for item in workitem_selectors.items_of(subject).filter(kind=clock, state=WorkItemState.OPEN):
        workitem_finish(item=item, user=None, actor=user, result=result, now=now)
