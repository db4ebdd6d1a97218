"""The simple procedure (简易程序, 当场处罚): a warning, or a fine up to ¥200 for a person and ¥3,000 for an
organisation, decided on the spot (行政处罚法 art. 51; 程序规定 art. 66).

The officers — two or more, each holding a valid enforcement certificate (行政处罚法 art. 42) — show
their certificates, fill the pre-printed, numbered 当场行政处罚决定书 and hand it to the party there
(art. 52); the decision is filed with the bureau (备案, art. 52 第三款): here that record *is* the case.
A fine is paid within 15 days like any other (art. 67) unless collected on the spot (art. 68). Such
decisions are not published (公示规定 art. 2), and there is no 90-day clock: nothing is left to decide.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.cases.choices import Action, CaseState, Jurisdiction, PartyKind, PenaltyKind, Procedure
from wangjian.cases.models import Case, CaseOfficer
from wangjian.cases.permissions import CASE_DRAFT
from wangjian.cases.services.clock import case_clock_open
from wangjian.cases.services.opening import officers_check
from wangjian.cases.services.publicity import publicity_rule
from wangjian.cases.services.transitions import record, required
from wangjian.core.audit import acting
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.org import permissions
from wangjian.org.models import Bureau, Department, User

# 行政处罚法 art. 51: the most a fine on the spot may be
SPOT_LIMIT = {PartyKind.PERSON: Decimal("200"), PartyKind.ORGANISATION: Decimal("3000")}
SPOT_KINDS = frozenset({PenaltyKind.WARNING, PenaltyKind.FINE})
# 行政处罚法 art. 68: collected on the spot — up to ¥100, or where paying later would be hard
COLLECT_LIMIT = Decimal("100")


def spot_check(*, party_kind: str, kinds: list[str], fine: Decimal | None) -> None:
    """A penalty the simple procedure may impose, or the reason it may not (the general procedure applies)."""
    if not kinds:
        raise ValidationFailed("请选择处罚种类（警告或罚款）", "Choose the penalty: a warning or a fine")
    if set(kinds) - SPOT_KINDS:
        raise ValidationFailed(
            "当场处罚只能给予警告或者罚款（行政处罚法第五十一条），其他处罚应当适用普通程序",
            "On the spot only a warning or a fine (行政处罚法 art. 51); other penalties take the general procedure",
        )
    if PenaltyKind.FINE in kinds:
        limit = SPOT_LIMIT[PartyKind(party_kind)]
        if fine is None or fine <= 0:
            raise ValidationFailed("处罚种类含罚款，请填写罚款金额", "A fine needs its amount")
        if fine > limit:
            who = "自然人" if party_kind == PartyKind.PERSON else "法人或者其他组织"
            raise ValidationFailed(
                f"对{who}当场罚款不得超过 {limit} 元（行政处罚法第五十一条），应当适用普通程序立案调查",
                f"A fine on the spot is at most {limit} yuan for this party; open a general-procedure case",
            )
    elif fine:
        raise ValidationFailed("未选择罚款却填写了罚款金额", "A fine amount was given without the fine")


def case_on_the_spot(
    *, user: User, bureau: Bureau | None = None, values: dict[str, Any], now: dt.datetime | None = None
) -> Case:
    """Record a penalty decided on the spot: the case, its officers, the numbered decision, its service."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    permissions.require(user, CASE_DRAFT)
    bureau = bureau or user.bureau
    if bureau is None or (not user.is_superuser and user.bureau_id != bureau.pk):
        raise PermissionDeniedError("只能登记本局的当场处罚", "Only your own bureau's decisions are recorded")
    decided_on = values.get("decided_on") or today
    if decided_on > today:
        raise ValidationFailed("决定日期不能晚于今天", "The decision date cannot be in the future")
    party_kind = values.get("party_kind") or PartyKind.ORGANISATION
    kinds = [k for k in values.get("penalty_kinds") or [] if k in PenaltyKind.values]
    fine = values.get("fine_amount")
    fine = Decimal(str(fine)).quantize(Decimal("0.01")) if fine not in (None, "") else None
    spot_check(party_kind=party_kind, kinds=kinds, fine=fine)
    number = required(
        values.get("decision_number") or "",
        "请填写预定格式、编有号码的当场行政处罚决定书编号（行政处罚法第五十二条）",
        "Give the number of the pre-printed on-the-spot decision form (art. 52)",
    )[:60]
    if Case.objects.filter(bureau=bureau, decision_number=number).exists():
        raise ValidationFailed(f"决定书编号 {number} 已登记", f"Decision form {number} is already recorded")
    department: Department | None = values.get("department") or user.department
    if department is None or department.bureau_id != bureau.pk:
        raise ValidationFailed("请选择本局的办案机构", "Choose a unit of the bureau")
    officers = list(dict.fromkeys([user, *(values.get("officers") or [])]))
    collected = bool(values.get("collected_on_spot"))
    if collected and fine and fine > COLLECT_LIMIT and not (values.get("collect_reason") or "").strip():
        raise ValidationFailed(
            "一百元以上的罚款当场收缴须说明不当场收缴事后难以执行的情形（行政处罚法第六十八条）",
            "Collecting more than 100 yuan on the spot needs the reason (art. 68)",
        )
    case = Case(
        bureau=bureau,
        procedure=Procedure.SIMPLE,
        title=required(values.get("title") or "", "请填写案由", "Give the matter"),
        domain=values.get("domain") or "",
        source_kind=values.get("source_kind") or "inspection",
        party_name=required(values.get("party_name") or "", "请填写当事人", "Name the party"),
        party_uscc=(values.get("party_uscc") or "").strip().upper(),
        party_kind=party_kind,
        party_region=values.get("party_region") or "",
        presence_label=values.get("presence_label") or "",
        facts=required(values.get("facts") or "", "请填写违法事实", "State the facts"),
        provisions=required(values.get("provisions") or "", "请填写处罚依据", "Give the legal basis"),
        discovered_on=decided_on,
        department=department,
        drafted_by=user,
        drafted_at=now,
        approved_by=user,
        approved_at=now,
        opened_on=decided_on,
        decided_on=decided_on,
        served_on=decided_on,
        number=number,
        decision_number=number,
        penalised=True,
        penalty_kinds=kinds,
        fine_amount=fine,
        decision_summary=required(values.get("summary") or "", "请填写处罚决定内容", "State the decision"),
    )
    officers_check(case=case, officers=officers, on=decided_on)
    case.jurisdiction = Jurisdiction.OFFENCE_PLACE
    case.jurisdiction_basis = (
        "当场查处：违法行为发生地市场监督管理部门管辖（《市场监督管理行政处罚程序规定》第六条）"
    )
    case.publicity_required, case.publicity_note = publicity_rule(case)
    with transaction.atomic(), acting(user, via="cases"):
        case.state = CaseState.SERVED if fine and not collected else CaseState.EXECUTED
        if collected:
            case.paid_on, case.paid_amount, case.executed_on = decided_on, fine, decided_on
        case.save()
        for officer in officers:
            CaseOfficer.objects.create(
                case=case,
                user=officer,
                lead=officer == user,
                certificate=officer.enforcement_certificate,
                designated_by=user,
                designated_at=now,
            )
        penalty = "、".join(str(PenaltyKind(k).label) for k in kinds) + (f" {fine} 元" if fine else "")
        record(
            case,
            Action.DECIDE,
            user,
            comment=f"当场处罚（简易程序）：{penalty}；决定书 {number} 当场交付当事人，并报本局备案（行政处罚法第五十二条）",
            detail={"procedure": "simple", "officers": [o.pk for o in officers]},
            now=now,
        )
        if collected:
            record(
                case, Action.EXECUTE, user, from_state=case.state, comment=f"罚款 {fine} 元当场收缴", now=now
            )
        elif fine:
            item = case_clock_open(case, "fine.payment", "当事人缴纳罚款", decided_on, now)
            case.payment_due = item.due
            case.save(update_fields=["payment_due"])
    return case
