"""Publicity of penalty decisions (市场监督管理行政处罚信息公示规定, 2021).

- What: decisions of the general procedure (art. 2); not a warning alone, nor a decision of the simple
  procedure (当场处罚) — those are not published here.
- When: within 20 working days of the decision (art. 9; the bureau may set a shorter period in 时限规则,
  never a longer one) — a work item of the case's officers, reminded and pressed like any other.
- How long: 3 months for 通报批评 or a 较低数额罚款 only (art. 13; the amount is the province's, set
  by the office in 案件办理设置), 3 years otherwise.
- Withdrawal: within 3 working days once the decision is revoked, found unlawful or void (art. 11).
- The export is the 国家企业信用信息公示系统's 行政处罚信息 layout, a natural person's name masked.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from wangjian.cases.choices import Action, PartyKind, PenaltyKind, Procedure
from wangjian.cases.models import Case, CaseSettings
from wangjian.cases.services.transitions import record, required, transition_check
from wangjian.core.audit import acting, mask_name
from wangjian.core.clocks import add_months
from wangjian.core.errors import ValidationFailed
from wangjian.org.models import Bureau, User
from wangjian.platform.clocks.catalogue import get as clock_get
from wangjian.platform.clocks.services import deadline_for
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.models import WorkItem, WorkItemState
from wangjian.platform.workitems.services import workitem_create, workitem_finish

PUBLISH, WITHDRAW = "publicity.publish", "publicity.withdraw"
SHORT_KINDS = frozenset({PenaltyKind.CRITICISM, PenaltyKind.FINE, PenaltyKind.WARNING})


def settings_for(bureau: Bureau | int) -> CaseSettings:
    bureau_id = bureau.pk if isinstance(bureau, Bureau) else bureau
    found = CaseSettings.objects.filter(bureau_id=bureau_id).first()
    return found or CaseSettings(bureau_id=bureau_id)


def publicity_rule(case: Case) -> tuple[bool, str]:
    """Whether the decision is published, and why (the officer reads the reason)."""
    kinds = set(case.penalty_kinds or [])
    if not case.penalised:
        return False, "不予行政处罚，不公示"
    if case.procedure == Procedure.SIMPLE:
        return False, "适用简易程序作出的行政处罚决定，不公示（公示规定第二条）"
    if kinds and kinds <= {PenaltyKind.WARNING}:
        return False, "仅给予警告的行政处罚决定，不公示"
    return True, "适用普通程序作出的行政处罚决定，应当公示（公示规定第二条）"


def display_months(case: Case) -> tuple[int, str]:
    """3 months for 通报批评 or a lower fine only, 3 years otherwise (公示规定 art. 13)."""
    kinds = set(case.penalty_kinds or [])
    settings = settings_for(case.bureau_id)
    low = settings.low_fine_person if case.party_kind == PartyKind.PERSON else settings.low_fine_organisation
    fine = case.fine_amount or Decimal("0")
    if kinds and kinds <= SHORT_KINDS and (PenaltyKind.FINE not in kinds or fine < low):
        return clock_get(
            "publicity.display_short"
        ).length, f"仅通报批评或较低数额罚款（低于{low}元），公示三个月"
    return clock_get("publicity.display_long").length, "公示三年（公示规定第十三条）"


def publicity_open(case: Case, user: User | None, now: dt.datetime) -> None:
    """On the decision: whether it is published and by when (a work item of the case's officers)."""
    needed, why = publicity_rule(case)
    case.publicity_required, case.publicity_note = needed, why[:300]
    if needed:
        lead = case.case_officers.select_related("user").order_by("-lead", "id").first()
        item = workitem_create(
            bureau=case.bureau,
            kind=PUBLISH,
            title="公示行政处罚信息",
            reference=case.decision_number or case.number,
            department=case.department,
            assignee=lead.user if lead else None,
            clock=PUBLISH,
            start=case.decided_on,
            subject=case,
            domain=case.domain,
            now=now,
            notify_unit=False,
        )
        case.publicity_due = item.due
    case.save()


def case_publish(*, case: Case, user: User, published_on: dt.date, now: dt.datetime | None = None) -> Case:
    """The officer records that the decision was published on the 公示系统 (the day it went up)."""
    now = now or timezone.now()
    transition_check(user=user, case=case, action=Action.PUBLISH)
    if not case.publicity_required:
        raise ValidationFailed(f"该决定不公示：{case.publicity_note}", "This decision is not published")
    if case.published_on:
        raise ValidationFailed(f"已于 {case.published_on} 公示", "Published already")
    if case.decided_on and published_on < case.decided_on:
        raise ValidationFailed("公示日期不能早于决定日期", "Publication cannot precede the decision")
    months, why = display_months(case)
    with transaction.atomic(), acting(user, via="cases"):
        case.published_on = published_on
        case.publicity_until = add_months(published_on, months)
        on_time = case.publicity_due is None or published_on <= case.publicity_due
        case.save()
        for item in workitem_selectors.items_of(case).filter(kind=PUBLISH, state=WorkItemState.OPEN):
            workitem_finish(item=item, user=None, actor=user, result=f"{published_on} 公示", now=now)
        record(
            case,
            Action.PUBLISH,
            user,
            from_state=case.state,
            comment=f"{published_on} 公示，至 {case.publicity_until}（{why}）"
            + ("" if on_time else "；超过公示期限"),
            detail={"on_time": on_time},
            now=now,
        )
    return case


def case_unpublish(
    *,
    case: Case,
    user: User,
    reason: str,
    withdrawn_on: dt.date | None = None,
    revoked_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Case:
    """Take the publicity down: the decision was revoked, found unlawful or void (within 3 working days, art. 11)."""
    now = now or timezone.now()
    transition_check(user=user, case=case, action=Action.UNPUBLISH)
    reason = required(
        reason, "撤下公示须说明理由（决定被撤销、确认违法或者无效）", "Say why the publicity is withdrawn"
    )
    if not case.published_on or case.publicity_withdrawn_on:
        raise ValidationFailed("该决定没有在公示中", "The decision is not on display")
    withdrawn_on = withdrawn_on or timezone.localtime(now).date()
    # the withdrawal a 复议 or court outcome opened (``withdrawal_open``) is the one this step finishes
    owed = workitem_selectors.items_of(case).filter(kind=WITHDRAW, state=WorkItemState.OPEN).first()
    late = ""
    due = deadline_for(bureau=case.bureau_id, clock=WITHDRAW, start=revoked_on).due if revoked_on else None
    due = due or (owed.due if owed is not None else None)
    if due and withdrawn_on > due:
        late = f"；超过撤下期限 {due}（公示规定第十一条）"
    with transaction.atomic(), acting(user, via="cases"):
        case.publicity_withdrawn_on = withdrawn_on
        case.save()
        if owed is not None:
            workitem_finish(item=owed, user=None, actor=user, result=f"{withdrawn_on} 撤下", now=now)
        record(
            case,
            Action.UNPUBLISH,
            user,
            from_state=case.state,
            comment=f"{withdrawn_on} 撤下公示：{reason}{late}",
            now=now,
        )
    return case


def withdrawal_open(case: Case, *, fell_on: dt.date, reason: str, now: dt.datetime) -> WorkItem | None:
    """The decision fell (revoked, found unlawful or void on 复议 or in court, ``fell_on``): its publicity comes
    down within 3 working days — a work item of the case's officers. None when nothing is on display."""
    if not case.published_on or case.publicity_withdrawn_on:
        return None
    running = workitem_selectors.items_of(case).filter(kind=WITHDRAW, state=WorkItemState.OPEN).first()
    if running is not None:
        return running
    lead = case.case_officers.select_related("user").order_by("-lead", "id").first()
    return workitem_create(
        bureau=case.bureau,
        kind=WITHDRAW,
        title="撤下公示信息",
        body=reason,
        reference=case.decision_number or case.number,
        department=case.department,
        assignee=lead.user if lead else None,
        clock=WITHDRAW,
        start=fell_on,
        subject=case,
        domain=case.domain,
        now=now,
        notify_unit=False,
    )


# the API's keys for the columns, in the same order (``EXPORT_COLUMNS`` are the Chinese headers)
EXPORT_KEYS = [
    "decision_number",
    "violation",
    "facts",
    "basis",
    "kinds",
    "content",
    "fine_10k_yuan",
    "confiscated_10k_yuan",
    "decided_on",
    "authority",
    "authority_uscc",
    "party",
    "party_kind",
    "party_uscc",
    "display_until",
    "note",
]
EXPORT_COLUMNS = [
    "行政处罚决定书文号",
    "违法行为类型",
    "违法事实",
    "处罚依据",
    "处罚类别",
    "处罚内容",
    "罚款金额（万元）",
    "没收违法所得、没收非法财物的金额（万元）",
    "处罚决定日期",
    "处罚机关",
    "处罚机关统一社会信用代码",
    "行政相对人名称",
    "行政相对人类别",
    "行政相对人代码_1（统一社会信用代码）",
    "公示截止期",
    "备注",
]


def _wan(amount: Decimal | None) -> str:
    return f"{(amount or Decimal('0')) / Decimal('10000'):.6f}" if amount else ""


def publicity_rows(*, bureau: Bureau, start: dt.date, end: dt.date) -> list[list[str]]:
    """The decisions to publish, decided in ``start``–``end``, in the 公示系统's layout, personal data masked."""
    cases = (
        Case.objects.filter(bureau=bureau, publicity_required=True, decided_on__range=(start, end))
        .filter(publicity_withdrawn_on__isnull=True)
        .order_by("decided_on", "id")
    )
    rows = []
    for case in cases:
        person = case.party_kind == PartyKind.PERSON
        kinds = "、".join(
            str(PenaltyKind(k).label) for k in case.penalty_kinds or [] if k in PenaltyKind.values
        )
        until = case.publicity_until or (
            add_months(case.decided_on, display_months(case)[0]) if case.decided_on else None
        )
        rows.append(
            [
                case.decision_number,
                case.title,
                case.facts,
                case.provisions,
                kinds,
                case.decision_summary,
                _wan(case.fine_amount),
                _wan(case.confiscated_amount),
                f"{case.decided_on:%Y-%m-%d}" if case.decided_on else "",
                case.bureau.name,
                "",
                mask_name(case.party_name) if person else case.party_name,
                "自然人" if person else "法人及非法人组织",
                "" if person else case.party_uscc,
                f"{until:%Y-%m-%d}" if until else "",
                "",
            ]
        )
    return rows


def publicity_export_xlsx(*, bureau: Bureau, start: dt.date, end: dt.date) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "行政处罚信息"
    ws.append(EXPORT_COLUMNS)
    for row in publicity_rows(bureau=bureau, start=start, end=end):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def settings_set(
    *,
    bureau: Bureau,
    user: User,
    low_fine_person: object,
    low_fine_organisation: object,
    basis: str = "",
    hearing_fine_person: object = None,
    hearing_fine_organisation: object = None,
    hearing_basis: str | None = None,
    record_system: str | None = None,
    province_system: str | None = None,
) -> CaseSettings:
    """The office sets its province's amounts — the 较低数额罚款 of publicity (公示规定 art. 13) and the
    hearing thresholds (听证办法 art. 5) — and which system is the case record (README, 案件办理模式).
    A value left out (None) stays as it was."""
    from wangjian.core.errors import PermissionDeniedError
    from wangjian.org.selectors import can_manage

    if not can_manage(user, bureau):
        raise PermissionDeniedError(
            "只有本局办公室管理员可以修改案件办理设置", "Only the bureau's office changes these settings"
        )
    found = CaseSettings.objects.filter(bureau=bureau).first() or CaseSettings(bureau=bureau)
    found.low_fine_person = _positive(low_fine_person)
    found.low_fine_organisation = _positive(low_fine_organisation)
    found.basis = (basis or "").strip()[:300]
    if hearing_fine_person not in (None, ""):
        found.hearing_fine_person = _positive(hearing_fine_person)
    if hearing_fine_organisation not in (None, ""):
        found.hearing_fine_organisation = _positive(hearing_fine_organisation)
    if hearing_basis is not None:
        found.hearing_basis = hearing_basis.strip()[:300]
    if record_system is not None:
        if record_system not in ("wangjian", "province"):
            raise ValidationFailed(
                "案件记录系统只能是本平台或省级办案系统", "The record is wangjian or the province's system"
            )
        found.record_system = record_system
    if province_system is not None:
        found.province_system = province_system.strip()[:100]
    if found.record_system == "province" and not found.province_system:
        raise ValidationFailed(
            "以省级办案系统为记录时，请填写该系统的名称",
            "Name the province's case system that keeps the record",
        )
    found.save()
    return found


def _positive(value: object) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (ArithmeticError, ValueError):
        raise ValidationFailed("金额应为数字（元）", "Amounts must be numbers of yuan") from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationFailed("金额应大于零", "Amounts must be positive")
    return amount
