"""The credit transition table: every step of a listing, a serious listing, a repair and a mismatch — the
states it starts from, where it leads, who may take it and the rule it applies — in one place.

Who someone is for credit (``credit_parties``): the staff of the bureau's 登记注册 and 信用监管 departments
(``unit``), their heads (``head``), and the bureau's office (``office``); the superuser is all three; the
auditor and other departments take no step. The system itself (``user=None``: a command, the daily check)
takes the steps the table lets ``system`` take.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from wangjian.core.errors import PermissionDeniedError, WangjianError
from wangjian.credit.choices import (
    VERIFIED_REMOVAL,
    AbnormalAction,
    AbnormalState,
    MismatchState,
    RepairState,
    SeriousAction,
    SeriousState,
)
from wangjian.credit.models import AbnormalListing, CreditEvent, SeriousListing
from wangjian.org.choices import DepartmentKind, Role
from wangjian.org.models import User
from wangjian.org.permissions import OFFICE

CREDIT_UNITS = frozenset({DepartmentKind.REGISTRATION, DepartmentKind.CREDIT})
ABNORMAL, SERIOUS, REPAIR, MISMATCH = "abnormal", "serious", "repair", "mismatch"
RECORD_LABELS = {
    ABNORMAL: "经营异常名录",
    SERIOUS: "严重违法失信名单",
    REPAIR: "信用修复申请",
    MISMATCH: "年报比对不一致",
}


class Party:
    UNIT = "unit"  # 登记注册、信用监管部门的人员
    HEAD = "head"  # 登记注册、信用监管部门负责人
    OFFICE = "office"  # 办公室
    SYSTEM = "system"  # 系统（每日检查、命令）

    ORDER = ("unit", "head", "office", "system")
    LABELS = {
        "unit": "登记注册或信用监管部门人员",
        "head": "登记注册或信用监管部门负责人",
        "office": "办公室",
        "system": "系统",
    }


@dataclass(frozen=True)
class Transition:
    record: str
    action: str
    label: str
    sources: tuple[str, ...]
    target: str | None  # None: the state does not change
    parties: frozenset[str]
    basis: str
    offered: Callable[[object], bool] | None = None  # whether the pages offer the step for this record


P = Party
WORKERS = frozenset({P.UNIT, P.HEAD, P.OFFICE})
DECIDERS = frozenset({P.HEAD, P.OFFICE})
CONDITIONS = "《企业信息公示暂行条例》（2024年修订）、《企业经营异常名录管理办法》（2025）"
MEASURES = "《企业经营异常名录管理办法》（2025）"
INDIVIDUAL_RULES = "《个体工商户年度报告办法》（2025）"
REGULATION = "《企业信息公示暂行条例》（2024年修订）"
SERIOUS_RULES = "《市场监督管理严重违法失信名单管理办法》（总局令第44号）"
# the name and year are sure; the order number once given here (总局令第55号) is not verified, so it is left out
REPAIR_RULES = "《市场监督管理信用修复管理办法》（2021）"
INDIVIDUAL = "individual"  # registry.choices.EntityKind.INDIVIDUAL

# the refusals a page, the API and a command give in the same words
FALSE_INFO_REFUSAL = (
    f"公示信息隐瞒真实情况、弄虚作假已不是企业列入经营异常名录的事由：依{REGULATION}第十八条第二款处以罚款，"
    f"情节严重的列入严重违法失信名单（{SERIOUS_RULES}第十三条：与行政处罚决定一并作出）。"
    f"该事由仅适用于个体工商户（{INDIVIDUAL_RULES}第十四条）",
    "False or concealed published information is no longer a ground for listing an enterprise as abnormal: "
    "it is fined and, if serious, put on the serious list with the penalty decision (Interim Regulations on "
    "Enterprise Information Publicity, art. 18 para. 2). The ground applies to individual businesses only.",
)
NAME_CHANGE_REFUSAL = (
    "未办理企业名称变更登记的列入事由只适用于企业（《企业名称登记管理规定》第二十三条）",
    "The ground of an unregistered name change applies to enterprises only",
)


def _kind(obj) -> str:  # noqa: ANN001
    return getattr(obj, "entity_kind", "") or getattr(getattr(obj, "entity", None), "kind", "")


def _awaits_verification(obj) -> bool:  # noqa: ANN001
    return (
        obj.ground in VERIFIED_REMOVAL
        and obj.removal_applied_on is not None
        and obj.removal_verified_on is None
    )


A, S, AA, SA = AbnormalState, SeriousState, AbnormalAction, SeriousAction


def _rows(*rows: Transition) -> dict[tuple[str, str], Transition]:
    return {(r.record, r.action): r for r in rows}


TRANSITIONS: dict[tuple[str, str], Transition] = _rows(
    Transition(
        ABNORMAL,
        AA.LIST,
        AA.LIST.label,
        (A.PROPOSED,),
        A.LISTED,
        WORKERS,
        f"{MEASURES}第六条、第七条、第九条，{INDIVIDUAL_RULES}第十三条至第十五条：期限届满或者查实之日起十个工作日内"
        "作出列入决定，通过国家企业信用信息公示系统公示（企业、个体工商户均列入经营异常名录）",
    ),
    Transition(
        ABNORMAL,
        AA.CANCEL,
        AA.CANCEL.label,
        (A.PROPOSED,),
        A.CANCELLED,
        DECIDERS,
        "列入前已履行义务或者经核实不属于列入情形的，不予列入",
    ),
    Transition(
        ABNORMAL,
        AA.APPLY_REMOVAL,
        AA.APPLY_REMOVAL.label,
        (A.LISTED,),
        None,
        WORKERS,
        f"{CONDITIONS}；{REPAIR_RULES}第五条：当事人履行相应义务后申请移出（补报年报、履行公示义务、办理名称变更登记、"
        "变更住所或者可以重新取得联系；个体工商户更正公示信息）",
    ),
    Transition(
        ABNORMAL,
        AA.REMOVE,
        AA.REMOVE.label,
        (A.LISTED,),
        A.REMOVED,
        DECIDERS,
        f"{MEASURES}第十一条、第十二条：自收到申请之日起五个工作日内作出移出决定；第十三条、第十四条（已办理名称变更登记、"
        f"可以重新取得联系）：自核实之日起五个工作日内；个体工商户：{INDIVIDUAL_RULES}第十六条至第十八条，五个工作日内",
    ),
    Transition(
        ABNORMAL,
        AA.VERIFY_REMOVAL,
        AA.VERIFY_REMOVAL.label,
        (A.LISTED,),
        None,
        WORKERS,
        f"{MEASURES}第十三条、第十四条：核实已办理企业名称变更登记或者可以重新取得联系后，自核实之日起五个工作日内作出移出决定",
        offered=_awaits_verification,
    ),
    Transition(
        ABNORMAL,
        AA.REFUSE_REMOVAL,
        AA.REFUSE_REMOVAL.label,
        (A.LISTED,),
        None,
        DECIDERS,
        "申请不符合移出条件的，作出不予移出决定并说明理由",
    ),
    Transition(
        ABNORMAL,
        AA.FLAG_REVOCATION,
        AA.FLAG_REVOCATION.label,
        (A.LISTED,),
        None,
        WORKERS | {P.SYSTEM},
        f"{REGULATION}第十八条第一款：因连续两年未按规定报送年度报告被列入经营异常名录未改正，且通过登记的住所或者经营场所"
        "无法取得联系的，由县级以上市场监督管理部门吊销营业执照",
        offered=lambda obj: _kind(obj) != INDIVIDUAL,
    ),
    Transition(
        ABNORMAL,
        AA.PROPOSE_SERIOUS,
        AA.PROPOSE_SERIOUS.label,
        (A.LISTED,),
        None,
        DECIDERS,
        f"个体工商户公示信息隐瞒真实情况、弄虚作假，情节严重的，依{SERIOUS_RULES}提请列入严重违法失信名单"
        "（第十三条：列入决定与行政处罚决定一并作出，告知、听证等随行政处罚程序进行）；企业的弄虚作假依"
        f"{REGULATION}第十八条第二款处罚；原“列入经营异常名录满三年列入严重违法失信名单”的规定已不再适用",
        offered=lambda obj: obj.ground == "false_info",
    ),
    Transition(
        SERIOUS,
        SA.NOTIFY,
        SA.NOTIFY.label,
        (S.PROPOSED,),
        S.NOTIFIED,
        WORKERS,
        f"{SERIOUS_RULES}第十三条：列入决定与行政处罚决定一并作出，告知当事人拟列入的事由、依据和陈述、申辩、要求听证的权利，"
        "随行政处罚程序进行；本系统的陈述申辩期限为本局工作规则",
    ),
    Transition(
        SERIOUS,
        SA.STATEMENT,
        SA.STATEMENT.label,
        (S.NOTIFIED,),
        S.HEARD,
        WORKERS,
        f"{SERIOUS_RULES}第十三条：当事人陈述、申辩或者要求听证的，随行政处罚程序记录、复核或者组织听证",
    ),
    Transition(
        SERIOUS,
        SA.DECIDE,
        SA.DECIDE.label,
        (S.NOTIFIED, S.HEARD),
        S.DECIDED,
        DECIDERS,
        f"{SERIOUS_RULES}第十三条：与行政处罚决定一并作出列入决定（本局工作规则：陈述申辩期满或者听证后）；县级、设区的市级部门作出列入决定的，报经上一级市场监督管理部门同意"
        "（2025年修订征求意见稿拟取消该环节，以正式文本为准）",
    ),
    Transition(
        SERIOUS,
        SA.LIST,
        SA.LIST.label,
        (S.DECIDED,),
        S.LISTED,
        WORKERS,
        f"{SERIOUS_RULES}第十四条：作出列入决定之日起二十个工作日内通过国家企业信用信息公示系统公示；第二十一条：列入满三年移出",
    ),
    Transition(
        SERIOUS,
        SA.DROP,
        SA.DROP.label,
        (S.PROPOSED, S.NOTIFIED, S.HEARD),
        S.DROPPED,
        DECIDERS,
        "当事人陈述申辩理由成立或者经复核不属于列入情形的，不予列入",
    ),
    Transition(
        SERIOUS,
        SA.REMOVE,
        SA.REMOVE.label,
        (S.LISTED,),
        S.REMOVED,
        DECIDERS | {P.SYSTEM},
        f"{SERIOUS_RULES}第二十一条：列入满三年移出；第十六条、{REPAIR_RULES}第七条：列入满一年，已履行行政处罚义务、"
        "消除危害后果和不良影响、未再受到较重行政处罚的，可申请提前移出（第十七条：二个工作日内决定是否受理，受理之日起"
        "十五个工作日内作出决定；第十八条：移出后三个工作日内停止公示）；列入所依据的决定被撤销的移出",
    ),
    Transition(
        REPAIR,
        "grant",
        "准予信用修复",
        (RepairState.APPLIED,),
        RepairState.GRANTED,
        DECIDERS,
        f"{REPAIR_RULES}第五条至第七条：符合条件的，准予修复（移出名录、提前停止公示）",
    ),
    Transition(
        REPAIR,
        "refuse",
        "不予信用修复",
        (RepairState.APPLIED,),
        RepairState.REFUSED,
        DECIDERS,
        f"{REPAIR_RULES}：不符合条件的，不予修复并说明理由",
    ),
    Transition(
        MISMATCH,
        "to_clue",
        "转为线索",
        (MismatchState.OPEN, MismatchState.REVIEW),
        MismatchState.CLUE,
        WORKERS,
        "年度报告申报的网站、网店与登记在案的网络经营场所不一致，作为线索核查（旌德机制 9；云南实施意见 三(三)1）",
    ),
    Transition(
        MISMATCH,
        "to_listing",
        "提请列入经营异常名录",
        (MismatchState.OPEN,),
        MismatchState.LISTED,
        WORKERS,
        f"个体工商户年度报告隐瞒真实情况、弄虚作假的，列入经营异常名录（{INDIVIDUAL_RULES}第十四条；旌德机制 9）；"
        "企业不再因此列入，转行政处罚及严重违法失信名单审查",
        offered=lambda obj: _kind(obj) == INDIVIDUAL,
    ),
    Transition(
        MISMATCH,
        "to_review",
        "转行政处罚及严重违法失信名单审查",
        (MismatchState.OPEN,),
        MismatchState.REVIEW,
        WORKERS,
        f"企业年度报告隐瞒真实情况、弄虚作假的，依{REGULATION}第十八条第二款处以罚款，情节严重的列入严重违法失信名单"
        f"（{SERIOUS_RULES}第十三条：与行政处罚决定一并作出）；记录为待审查的发现，可再转为线索",
        offered=lambda obj: _kind(obj) != INDIVIDUAL,
    ),
    Transition(
        MISMATCH,
        "dismiss",
        "核实无问题",
        (MismatchState.OPEN, MismatchState.REVIEW),
        MismatchState.DISMISSED,
        WORKERS,
        "经核实申报信息与实际一致（如店铺已关闭、网址变更），记录核实情况",
    ),
)


def credit_parties(*, user: User | None, bureau_id: int) -> set[str]:
    """What ``user`` is for the credit records of ``bureau_id``; ``None`` is the system."""
    if user is None:
        return {P.SYSTEM}
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return {P.UNIT, P.HEAD, P.OFFICE}
    if user.bureau_id != bureau_id or user.role == Role.AUDITOR:
        return set()
    parties: set[str] = set()
    if user.role in OFFICE:
        parties.add(P.OFFICE)
    department = user.department if user.department_id else None
    if department is not None and department.kind in CREDIT_UNITS and not user.station_id:
        if user.role in (Role.OFFICER, Role.DEPARTMENT_HEAD):
            parties.add(P.UNIT)
        if user.role == Role.DEPARTMENT_HEAD:
            parties.add(P.HEAD)
    return parties


def require_worker(*, user: User | None, bureau_id: int, what_zh: str, what_en: str) -> None:
    """Registering a record (a proposal, an application) is for the credit staff, their heads and the office."""
    if not credit_parties(user=user, bureau_id=bureau_id) & (WORKERS | {P.SYSTEM}):
        who = "、".join(P.LABELS[p] for p in P.ORDER if p in WORKERS)
        raise PermissionDeniedError(
            f"“{what_zh}”只能由本局{who}操作。",
            f"'{what_en}' is for the bureau's registration or credit staff, their heads and the office only.",
            detail={"parties": sorted(WORKERS)},
        )


def transition_check(*, user: User | None, record: str, obj, action: str) -> Transition:  # noqa: ANN001
    """The row of the table for ``action`` on ``obj`` — or the refusal naming the state or who may."""
    row = TRANSITIONS.get((record, action))
    if row is None:
        raise WangjianError(f"未知的操作：{action}", f"Unknown action: {action}", code="unknown_action")
    if obj.state not in row.sources:
        raise WangjianError(
            f"{RECORD_LABELS[record]}处于“{obj.get_state_display()}”状态，不能“{row.label}”。",
            f"A {record} record in state '{obj.state}' cannot take '{action}'.",
            code="invalid_transition",
            detail={"state": obj.state, "action": action, "allowed_from": list(row.sources)},
        )
    if not (row.parties & credit_parties(user=user, bureau_id=obj.bureau_id)):
        who = "、".join(P.LABELS[p] for p in P.ORDER if p in row.parties and p != P.SYSTEM)
        raise PermissionDeniedError(
            f"“{row.label}”只能由{who}操作（{row.basis}）。",
            f"Action '{action}' on a {record} record may be taken only by: "
            f"{', '.join(p for p in P.ORDER if p in row.parties and p != P.SYSTEM)}.",
            detail={"action": action, "parties": sorted(row.parties)},
        )
    return row


def allowed_actions(*, user: User | None, record: str, obj) -> list[str]:  # noqa: ANN001
    parties = credit_parties(user=user, bureau_id=obj.bureau_id)
    return [
        action
        for (rec, action), row in TRANSITIONS.items()
        if rec == record
        and obj.state in row.sources
        and row.parties & parties
        and P.SYSTEM not in parties
        and (row.offered is None or row.offered(obj))
    ]


def record_event(
    obj: AbnormalListing | SeriousListing,
    action: str,
    user: User | None,
    *,
    on: dt.date,
    from_state: str,
    comment: str = "",
    now: dt.datetime | None = None,
) -> CreditEvent:
    field = "abnormal" if isinstance(obj, AbnormalListing) else "serious"
    return CreditEvent.objects.create(
        **{field: obj},
        action=action,
        from_state=from_state,
        to_state=obj.state,
        on=on,
        at=now or timezone.now(),
        actor=user if getattr(user, "pk", None) else None,
        actor_name=(getattr(user, "name", "") or getattr(user, "username", "")) if user else "系统",
        comment=comment,
    )
