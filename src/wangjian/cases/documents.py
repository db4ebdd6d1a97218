"""The case's documents (执法文书): which ones, when each may be drafted, how each is numbered, and its first text.

The layout follows SAMR's 市场监督管理行政处罚文书格式范本 (2021): the issuing authority, the title,
the document number, the party, the body, the evidence relied on, the authority and the date with
its seal. The body is generated from the case and editable by the officers until the document is
issued; issuing numbers it (from the bureau's sequence of its kind, or the decision's own number),
prints it to PDF with Chromium and keeps the PDF by its SHA-256 in the evidence store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from wangjian.cases.choices import CaseState, Proposal
from wangjian.cases.models import Case
from wangjian.core.errors import NotFoundError
from wangjian.platform.numbering import kinds as number_kinds

S = CaseState
AFTER_FILING = (
    S.INVESTIGATING,
    S.INVESTIGATED,
    S.REVIEWING,
    S.LEGAL_REVIEW,
    S.READY,
    S.NOTIFIED,
    S.HEARING,
    S.DISCUSSION,
    S.DECIDED,
    S.SERVED,
    S.EXECUTED,
    S.CLOSED,
    S.TRANSFERRED,
)
AFTER_DECISION = (S.DECIDED, S.SERVED, S.EXECUTED, S.CLOSED)
PROC = "《市场监督管理行政处罚程序规定》"


def _party(case: Case) -> str:
    code = f"（统一社会信用代码：{case.party_uscc}）" if case.party_uscc else ""
    return f"当事人：{case.party_name}{code}"


def _facts(case: Case) -> str:
    return f"{case.facts}" + (f"\n涉嫌违反：{case.provisions}" if case.provisions else "")


def _filing(case: Case) -> str:
    officers = "、".join(
        f"{o.user}（执法证号 {o.certificate}）" for o in case.case_officers.select_related("user")
    )
    return (
        f"案件来源：{case.get_source_kind_display()}{('（线索 ' + case.clue.number + '）') if case.clue_id else ''}\n"
        f"{_party(case)}\n案情摘要：{_facts(case)}\n"
        f"管辖：{case.get_jurisdiction_display() or '见管辖争议'}。{case.jurisdiction_basis}\n"
        f"发现线索/收到材料日期：{case.discovered_on:%Y年%m月%d日}；立案决定期限：{case.filing_due or '—'}\n"
        f"办案机构：{case.department}；办案人员：{officers or '（待指定）'}\n"
        f"经核查，当事人涉嫌违法事实基本清楚，依据{PROC}第二十条，建议立案调查。"
    )


def _not_filed(case: Case) -> str:
    return (
        f"{_party(case)}\n案情摘要：{_facts(case)}\n"
        f"不予立案理由：{case.not_filed_reason}\n依据{PROC}第十九条、第二十条，建议不予立案。"
    )


def _report(case: Case) -> str:
    end = case.events.filter(action="end_investigation").order_by("-at").first()
    return (
        f"{_party(case)}\n案由：{case.title}\n立案日期：{case.opened_on:%Y年%m月%d日}\n"
        f"调查认定的事实：{_facts(case)}\n调查结论及处理意见：{end.comment if end else ''}\n"
        f"依据{PROC}第五十二条，本案调查终结。"
    )


def _penalty_notice(case: Case) -> str:
    fine = f"罚款人民币{case.fine_amount}元" if case.fine_amount else "（拟处罚内容）"
    return (
        f"{case.party_name}：\n本局对你（单位）{case.title}一案进行了调查，查明：{case.facts}\n"
        f"上述行为违反了{case.provisions or '（法律条款）'}的规定。本局拟对你（单位）作出如下行政处罚：{fine}。\n"
        f"根据《中华人民共和国行政处罚法》第四十四条、第四十五条及{PROC}第五十七条的规定，你（单位）可在收到本告知书之日起五个工作日内"
        "向本局提出陈述、申辩；逾期未提出的，视为放弃此权利。"
    )


def _hearing_notice(case: Case) -> str:
    return (
        _penalty_notice(case)
        + "\n根据《中华人民共和国行政处罚法》第六十三条、第六十四条及《市场监督管理行政处罚听证办法》第五条、第七条的规定，"
        "你（单位）有权在收到本告知书之日起五个工作日内要求听证；逾期未提出的，视为放弃此权利。"
    )


def _decision(case: Case) -> str:
    amounts = []
    if case.fine_amount:
        amounts.append(f"罚款人民币{case.fine_amount}元")
    if case.confiscated_amount:
        amounts.append(f"没收违法所得人民币{case.confiscated_amount}元")
    return (
        f"{_party(case)}\n本局于{case.opened_on:%Y年%m月%d日}对当事人{case.title}一案立案调查。\n"
        f"经查明：{case.facts}\n以上事实有本决定书所附证据为证。\n"
        f"当事人的行为违反了{case.provisions or '（法律条款）'}的规定。\n"
        f"本局决定：{case.decision_summary}{('；' + '，'.join(amounts)) if amounts else ''}。\n"
        "当事人应当自收到本决定书之日起十五日内缴纳罚款；到期不缴纳的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额"
        "（《中华人民共和国行政处罚法》第六十七条、第七十二条）。\n"
        "当事人如不服本决定，可以在收到本决定书之日起六十日内申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。"
    )


def _service(case: Case) -> str:
    return (
        f"送达文书：行政处罚决定书 {case.decision_number}\n受送达人：{case.party_name}\n"
        f"送达方式：直接送达／邮寄送达／电子送达（{PROC}第八十二条）\n送达地点：\n"
        "受送达人签名或者盖章：　　　　　　　　　收到日期：　　年　　月　　日\n送达人：\n见证人："
    )


def _closing(case: Case) -> str:
    return (
        f"{_party(case)}\n案由：{case.title}\n处理决定：{case.decision_number} {case.decision_summary or '不予行政处罚'}\n"
        f"执行情况：{case.executed_on or '—'} 执行完毕\n依据{PROC}第七十七条，建议结案。"
    )


def _transfer(case: Case) -> str:
    police = case.transfer_to_police
    basis = (
        "《行政执法机关移送涉嫌犯罪案件的规定》（国务院令第310号）第三条、第六条"
        if police
        else "《中华人民共和国行政处罚法》第二十七条"
    )
    return (
        f"{case.transfer_target}：\n本局在查处{case.party_name}{case.title}一案中，发现{case.facts}\n"
        f"{'涉嫌犯罪' if police else '不属本局管辖'}，依据{basis}，现将该案移送你单位。\n"
        "附件：1. 案件材料清单；2. 证据材料（见下附证据清单）。"
    )


@dataclass(frozen=True)
class DocKind:
    key: str
    label: str
    states: tuple[str, ...]
    body: Callable[[Case], str]
    number_kind: str = ""  # "" : carries the case's number; "decision": the decision's own number
    applies: Callable[[Case], bool] = lambda case: True


KINDS: dict[str, DocKind] = {
    k.key: k
    for k in (
        DocKind(
            "filing_approval",
            "立案审批表",
            (S.PENDING, *AFTER_FILING),
            _filing,
            applies=lambda c: c.proposal == Proposal.FILE,
        ),
        DocKind(
            "not_filed_approval",
            "不予立案审批表",
            (S.PENDING, S.NOT_FILED),
            _not_filed,
            applies=lambda c: c.proposal == Proposal.NOT_FILE,
        ),
        DocKind("investigation_report", "调查终结报告", AFTER_FILING[1:], _report),
        DocKind(
            "penalty_notice",
            "行政处罚告知书",
            (S.READY, S.NOTIFIED, S.HEARING, S.DISCUSSION, *AFTER_DECISION),
            _penalty_notice,
            "penalty_notice",
        ),
        DocKind(
            "hearing_notice",
            "行政处罚听证告知书",
            (S.READY, S.NOTIFIED, S.HEARING, S.DISCUSSION, *AFTER_DECISION),
            _hearing_notice,
            "hearing_notice",
        ),
        DocKind(
            "penalty_decision",
            "行政处罚决定书",
            AFTER_DECISION,
            _decision,
            "decision",
            applies=lambda c: bool(c.penalised),
        ),
        DocKind("service_receipt", "送达回证", AFTER_DECISION, _service, applies=lambda c: bool(c.penalised)),
        DocKind("closing_approval", "结案审批表", (S.DECIDED, S.SERVED, S.EXECUTED, S.CLOSED), _closing),
        DocKind("transfer_letter", "案件移送函", (S.TRANSFERRED,), _transfer, "case_transfer"),
    )
}


def get(key: str) -> DocKind:
    try:
        return KINDS[key]
    except KeyError:
        raise NotFoundError(f"未知的文书：{key}", f"Unknown document: {key}") from None


def available(case: Case) -> list[DocKind]:
    """The documents the case's state and facts allow now."""
    return [k for k in KINDS.values() if case.state in k.states and k.applies(case)]


def register_numbers() -> None:
    """The documents numbered from their own sequence (the office may change the pattern per kind)."""
    for kind in (
        number_kinds.NumberKind(
            "penalty_notice", "行政处罚告知书文号", "{prefix}罚告〔{year}〕{seq}号", "告知书签发时编号"
        ),
        number_kinds.NumberKind(
            "hearing_notice", "听证告知书文号", "{prefix}听告〔{year}〕{seq}号", "听证告知书签发时编号"
        ),
        number_kinds.NumberKind(
            "case_transfer", "案件移送函文号", "{prefix}移〔{year}〕{seq}号", "移送函签发时编号"
        ),
    ):
        number_kinds.register(kind)
