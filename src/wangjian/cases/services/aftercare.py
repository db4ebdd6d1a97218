"""After the decision, and the coercive measures during the investigation.

- 缴纳罚款 (行政处罚法 arts. 67, 72): within 15 days of service (the ``fine.payment`` work item opened on
  service); after that 3 % of the fine a day, never more than the fine, not counted while a 复议 or a suit
  runs (art. 73 para. 3). A full payment finishes the item; the officers then record 执行完毕.
- 责令改正 (行政处罚法 art. 28): a follow-up check (复查) owed by the lead officer on the day set.
- 复议 (行政复议法 art. 20: 60 days) and 诉讼 (行政诉讼法 art. 46: 6 months; art. 45: 15 days after a 复议
  decision) from service; filing does not suspend execution (行政处罚法 art. 73). An outcome after which the
  decision falls takes its publicity down within 3 working days (公示规定).
- 先行登记保存 (程序规定 arts. 33–35: decided within 7 working days) and 查封、扣押 (arts. 36–40: 30 days, once
  30 more by the head): approved by the bureau's head, each a work item until it is ended — after a transfer,
  a withdrawal or the closing too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.cases.choices import Action
from wangjian.cases.models import (
    DECISION_FALLS,
    Case,
    CaseMeasure,
    CaseRemedy,
    RemedyKind,
    RemedyOutcome,
)
from wangjian.cases.services.clock import case_clock_end
from wangjian.cases.services.inputs import CENT
from wangjian.cases.services.inputs import day as _day
from wangjian.cases.services.inputs import lead as _lead
from wangjian.cases.services.inputs import money as _money
from wangjian.cases.services.inputs import not_future as _not_future
from wangjian.cases.services.inputs import own as _own
from wangjian.cases.services.measures import (
    PRESERVATION,
    SEIZURE,
    measure_due_changed,
    measure_end,
    measure_extend,
    measure_take,
)
from wangjian.cases.services.publicity import WITHDRAW, withdrawal_open
from wangjian.cases.services.transitions import record, required, transition_check
from wangjian.core.audit import acting
from wangjian.core.clocks import Deadline
from wangjian.core.errors import ValidationFailed
from wangjian.org.models import User
from wangjian.platform.clocks.catalogue import get as clock_kind
from wangjian.platform.clocks.services import deadline_for
from wangjian.platform.workitems.kinds import WorkItemKind
from wangjian.platform.workitems.models import WorkItem
from wangjian.platform.workitems.services import workitem_create

PAYMENT = "fine.payment"  # opened on service (``procedure``), finished here by a full payment
RECTIFICATION = "case.rectification_check"
RECONSIDERATION, LITIGATION = "remedy.reconsideration", "remedy.litigation"
LITIGATION_AFTER_REVIEW = "remedy.litigation_after_review"

AFTERCARE_ACTIONS = frozenset(
    {
        Action.PAYMENT,
        Action.RECTIFY_CHECK,
        Action.REMEDY,
        Action.REMEDY_OUTCOME,
        Action.MEASURE,
        Action.MEASURE_EXTEND,
        Action.MEASURE_END,
    }
)

SURCHARGE_RATE = Decimal("0.03")
PAYMENT_BASIS = "行政处罚法第六十七条第三款：自收到行政处罚决定书之日起十五日内缴纳罚款"
SURCHARGE_BASIS = "行政处罚法第七十二条第一款第一项：到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不得超出罚款的数额"
INSTALMENTS = "确有经济困难需要延期或者分期缴纳的，经当事人申请和行政机关批准（行政处罚法第六十六条第二款）"
NOT_SUSPENDED = {
    RemedyKind.RECONSIDERATION: "行政处罚不停止执行（行政处罚法第七十三条第一款；行政复议法第四十二条）",
    RemedyKind.LITIGATION: "行政处罚不停止执行（行政处罚法第七十三条第一款；行政诉讼法第五十六条）",
}
PAUSED = "复议、诉讼期间加处罚款不予计算（行政处罚法第七十三条第三款）"
NOT_RECTIFIED = (
    "当事人未改正：法律、法规对逾期不改正或者拒不改正另行规定法律责任的，"
    "应当作为新的违法线索依法核查处理（行政处罚法第二十八条第一款）"
)
# outcomes after which nothing of the decision is left to execute (确认违法 leaves the decision standing)
NOTHING_TO_EXECUTE = frozenset({RemedyOutcome.REVOKED, RemedyOutcome.VOID, RemedyOutcome.REDO})


# ---------------------------------------------------------------- 缴纳罚款 and 加处罚款


def late_days(
    payment_due: dt.date, paid_on: dt.date, paused: Iterable[tuple[dt.date, dt.date | None]] = ()
) -> int:
    """Days after ``payment_due`` up to ``paid_on`` (both days counted), less the days a 复议 or a suit ran."""
    paused = list(paused)
    days, day = 0, payment_due
    while day < paid_on:
        day += dt.timedelta(days=1)
        if not any(start <= day and (end is None or day <= end) for start, end in paused):
            days += 1
    return days


def surcharge(
    fine: Decimal,
    payment_due: dt.date,
    paid_on: dt.date,
    paused: Iterable[tuple[dt.date, dt.date | None]] = (),
) -> Decimal:
    """加处罚款 (行政处罚法 art. 72 para. 1 (1)): from the day after ``payment_due``, 3 % of the fine a day,
    never more than the fine; the days of a 复议 or a suit (``paused``) do not count (art. 73 para. 3)."""
    fine = Decimal(fine)
    days = late_days(payment_due, paid_on, paused)
    return min((fine * SURCHARGE_RATE * days).quantize(CENT, rounding=ROUND_HALF_UP), fine)


def remedy_pauses(case: Case) -> list[tuple[dt.date, dt.date | None]]:
    """The time a 复议 or a suit ran: the surcharge does not grow in it (行政处罚法 art. 73 para. 3)."""
    return [(r.filed_on, r.decided_on) for r in case.remedies.all()]


def _payment_due(case: Case) -> dt.date:
    if case.payment_due:
        return case.payment_due
    if case.served_on is None:
        raise ValidationFailed("决定书尚未送达，不能登记缴款", "The decision has not been served")
    return deadline_for(bureau=case.bureau_id, clock=PAYMENT, start=case.served_on).due


def owed(case: Case, on: dt.date) -> tuple[Decimal, Decimal]:
    """(the surcharge as of ``on``, what is still owed: fine + surcharge − paid); the surcharge stops at full payment."""
    fine = case.fine_amount or Decimal("0")
    paid = case.paid_amount or Decimal("0")
    if not fine or case.served_on is None:
        return Decimal("0"), Decimal("0")
    due = _payment_due(case)
    extra = case.surcharge_amount or Decimal("0")
    if paid < fine + extra:  # still owing: the surcharge runs on to ``on``
        extra = surcharge(fine, due, max(on, case.paid_on or on), remedy_pauses(case))
    return extra, max(Decimal("0"), fine + extra - paid)


def payment_record(
    *, case: Case, user: User, paid_on: Any, amount: Any, note: str = "", now: dt.datetime | None = None
) -> Case:
    """The party paid (all or part): the surcharge as of the payment, what is still owed; paid in full, the
    ``fine.payment`` item is done and the officers record 执行完毕."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    transition_check(user=user, case=case, action=Action.PAYMENT)
    fine = case.fine_amount
    if not fine:
        raise ValidationFailed("该决定没有罚款，无需登记缴款", "The decision imposes no fine")
    paid_on = _day(paid_on, "请填写缴款日期", "Give the date of payment")
    _not_future(paid_on, today, "缴款日期")
    if case.served_on and paid_on < case.served_on:
        raise ValidationFailed(
            f"缴款日期不能早于决定书送达日期 {case.served_on}", "A payment cannot precede the service"
        )
    amount = _money(amount)
    due = _payment_due(case)
    last = max(paid_on, case.paid_on) if case.paid_on else paid_on
    extra = surcharge(fine, due, last, remedy_pauses(case))
    total = (case.paid_amount or Decimal("0")) + amount
    if total > fine + extra:
        raise ValidationFailed(
            f"累计缴款 {total} 元超过应缴的罚款及加处罚款 {fine + extra} 元",
            f"Payments of {total} exceed the fine and surcharge of {fine + extra}",
        )
    left = fine + extra - total
    late = late_days(due, last, remedy_pauses(case))
    parts = [f"{paid_on} 缴纳 {amount} 元（累计 {total} 元）；缴款期限 {due}（{PAYMENT_BASIS}）"]
    if late:
        parts.append(f"逾期 {late} 日，加处罚款 {extra} 元（{SURCHARGE_BASIS}）")
    if left:
        parts.append(
            f"截至 {last} 尚欠 {left} 元（罚款 {fine} 元、加处罚款 {extra} 元）；{INSTALMENTS}，方可分期缴纳"
        )
    else:
        parts.append("罚款" + ("及加处罚款" if extra else "") + "已缴清，可登记执行完毕")
    if (note or "").strip():
        parts.append(note.strip())
    with transaction.atomic(), acting(user, via="cases"):
        case.paid_on, case.paid_amount, case.surcharge_amount = last, total, extra
        case.save()
        if not left:
            case_clock_end(case, PAYMENT, user, f"{last} 缴清罚款 {total} 元", now)
        record(
            case,
            Action.PAYMENT,
            user,
            from_state=case.state,
            comment="；".join(parts),
            detail={"amount": str(amount), "surcharge": str(extra), "owed": str(left), "late_days": late},
            now=now,
        )
    return case


# ---------------------------------------------------------------- 责令改正 and its follow-up check


def rectification_open(case: Case, user: User | None, now: dt.datetime) -> WorkItem | None:
    """The follow-up check of a 责令限期改正 (行政处罚法 art. 28), owed by the lead officer on ``rectify_by``."""
    if not case.rectify_by:
        return None
    case_clock_end(case, RECTIFICATION, user, "另定复查日期", now, cancelled=True)
    return workitem_create(
        bureau=case.bureau,
        kind=RECTIFICATION,
        title="责令改正复查",
        body=f"{case.rectification_order}\n改正期限 {case.rectify_by}，期满复查（行政处罚法第二十八条第一款）",
        reference=case.decision_number or case.number,
        department=case.department,
        assignee=_lead(case),
        due=case.rectify_by,
        subject=case,
        domain=case.domain,
        now=now,
        notify_unit=False,
    )


def rectification_check(
    *,
    case: Case,
    user: User,
    checked_on: Any,
    rectified: bool | None,
    note: str,
    next_check: Any = None,
    now: dt.datetime | None = None,
) -> Case:
    """The officers' 复查: rectified or not, what they found; not rectified, they may set another check."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    transition_check(user=user, case=case, action=Action.RECTIFY_CHECK)
    if not case.rectification_order:
        raise ValidationFailed("该决定没有责令改正事项", "The decision orders nothing to be rectified")
    checked_on = _day(checked_on, "请填写复查日期", "Give the date of the check")
    _not_future(checked_on, today, "复查日期")
    if case.decided_on and checked_on < case.decided_on:
        raise ValidationFailed("复查日期不能早于决定日期", "A check cannot precede the decision")
    if rectified is None:
        raise ValidationFailed("请选择当事人是否已改正", "Say whether the party has rectified")
    note = required(note, "请填写复查情况", "Describe what the check found")
    if next_check:
        next_check = _day(next_check, "再次复查日期应为日期", "The next check must be a date")
        if rectified:
            raise ValidationFailed("已改正的无需再次复查", "A rectified order needs no further check")
        if next_check <= checked_on or next_check < today:
            raise ValidationFailed(
                "再次复查日期应晚于本次复查日期且不早于今天", "The next check must be after this one"
            )
    comment = f"{checked_on} 复查：" + ("已改正" if rectified else "未改正") + f"。{note}"
    if not rectified:
        comment += f"。{NOT_RECTIFIED}"
    with transaction.atomic(), acting(user, via="cases"):
        before = case.rectify_by
        case.rectification_checked_on, case.rectified, case.rectification_note = checked_on, rectified, note
        case_clock_end(case, RECTIFICATION, user, comment, now)
        if next_check:
            case.rectify_by = next_check
            comment += f"；另定 {next_check} 再次复查（原改正期限 {before or '—'}）"
        case.save()
        if next_check:
            rectification_open(case, user, now)
        record(case, Action.RECTIFY_CHECK, user, from_state=case.state, comment=comment, now=now)
    return case


# ---------------------------------------------------------------- 复议 and 诉讼


@dataclass(frozen=True)
class RemedyPeriod:
    """The party's period to challenge the decision, as the officer reads it."""

    kind: str
    label: str
    until: dt.date | None
    basis: str
    provisional: bool = False


def _remedy_deadline(case: Case, kind: str) -> Deadline | None:
    """The party's deadline for ``kind``; None before the decision is served."""
    if kind == RemedyKind.LITIGATION:
        reviewed = (
            case.remedies.filter(kind=RemedyKind.RECONSIDERATION, decided_on__isnull=False)
            .exclude(outcome__in=[RemedyOutcome.PENDING, RemedyOutcome.WITHDRAWN])
            .order_by("-decided_on")
            .first()
        )
        if reviewed is not None:  # 复议 first: 15 days from its decision (the receipt is not recorded)
            return deadline_for(
                bureau=case.bureau_id, clock=LITIGATION_AFTER_REVIEW, start=reviewed.decided_on
            )
    if case.served_on is None:
        return None
    clock = RECONSIDERATION if kind == RemedyKind.RECONSIDERATION else LITIGATION
    return deadline_for(bureau=case.bureau_id, clock=clock, start=case.served_on)


def remedy_periods(case: Case) -> list[RemedyPeriod]:
    """复议 until …, 诉讼 until …: the party's periods once the decision is served."""
    if case.served_on is None or not case.decided_on:
        return []
    periods = []
    for kind, label in RemedyKind.choices:
        deadline = _remedy_deadline(case, kind)
        if deadline is not None:
            periods.append(
                RemedyPeriod(kind, str(label), deadline.due, deadline.basis_text(), deadline.provisional)
            )
    return periods


def remedy_file(
    *,
    case: Case,
    user: User,
    kind: str,
    body: str,
    filed_on: Any,
    note: str = "",
    now: dt.datetime | None = None,
) -> CaseRemedy:
    """The party applied for 复议 or sued: whether in time, and that the decision is still executed."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    transition_check(user=user, case=case, action=Action.REMEDY)
    if kind not in RemedyKind.values:
        raise ValidationFailed("请选择行政复议或行政诉讼", "Choose reconsideration or litigation")
    body = required(body, "请填写复议机关或人民法院", "Name the reviewing body or the court")[:200]
    filed_on = _day(filed_on, "请填写申请或起诉日期", "Give the date of filing")
    _not_future(filed_on, today, "申请或起诉日期")
    if case.decided_on and filed_on < case.decided_on:
        raise ValidationFailed("申请或起诉日期不能早于决定日期", "A remedy cannot precede the decision")
    label = RemedyKind(kind).label
    if case.remedies.filter(kind=kind, outcome=RemedyOutcome.PENDING).exists():
        raise ValidationFailed(f"已登记审理中的{label}，请先登记其结果", f"A {kind} is pending already")
    deadline = _remedy_deadline(case, kind)
    in_time = deadline is None or deadline.in_time(filed_on)
    if deadline is None:
        timing = "决定书尚未送达，期限自送达之日起算"
    elif in_time:
        timing = f"在法定期限内（至 {deadline.due}；{deadline.period.basis}）"
    else:
        timing = f"已超过法定期限 {deadline.due}（{deadline.period.basis}），是否受理由{body}依法决定"
    comment = f"当事人 {filed_on} 向{body}" + (
        "申请行政复议" if kind == RemedyKind.RECONSIDERATION else "提起行政诉讼"
    )
    comment += f"，{timing}；{NOT_SUSPENDED[kind]}"
    if case.fine_amount and (case.paid_amount or 0) < case.fine_amount:
        comment += f"；{PAUSED}"
    if (note or "").strip():
        comment += f"；{note.strip()}"
    with transaction.atomic(), acting(user, via="cases"):
        remedy = CaseRemedy.objects.create(
            case=case,
            kind=kind,
            body=body,
            filed_on=filed_on,
            in_time=in_time,
            note=(note or "").strip(),
            recorded_by=user,
            recorded_at=now,
        )
        record(
            case,
            Action.REMEDY,
            user,
            from_state=case.state,
            comment=comment,
            detail={"remedy": remedy.pk, "in_time": in_time, "due": str(deadline.due) if deadline else ""},
            now=now,
        )
    return remedy


def remedy_decide(
    *,
    case: Case,
    user: User,
    remedy: Any,
    outcome: str,
    decided_on: Any,
    note: str = "",
    now: dt.datetime | None = None,
) -> CaseRemedy:
    """The 复议 decision or the judgment: recorded; a decision that fell comes down from publicity."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    transition_check(user=user, case=case, action=Action.REMEDY_OUTCOME)
    remedy = _own(CaseRemedy, case, remedy, "复议或诉讼")
    if remedy.outcome != RemedyOutcome.PENDING:
        raise ValidationFailed(
            f"该{remedy.get_kind_display()}已登记结果：{remedy.get_outcome_display()}",
            "This remedy has its outcome already",
        )
    if outcome not in RemedyOutcome.values or outcome == RemedyOutcome.PENDING:
        raise ValidationFailed("请选择复议决定或裁判结果", "Choose the outcome")
    decided_on = _day(decided_on, "请填写决定或裁判日期", "Give the date of the outcome")
    _not_future(decided_on, today, "决定或裁判日期")
    if decided_on < remedy.filed_on:
        raise ValidationFailed("决定或裁判日期不能早于申请或起诉日期", "An outcome cannot precede the filing")
    note = (note or "").strip()
    comment = f"{remedy.get_kind_display()}结果：{RemedyOutcome(outcome).label}（{remedy.body} {decided_on}）"
    if note:
        comment += f"：{note}"
    with transaction.atomic(), acting(user, via="cases"):
        remedy.outcome, remedy.decided_on, remedy.note = outcome, decided_on, note or remedy.note
        remedy.save()
        if outcome in NOTHING_TO_EXECUTE:
            case_clock_end(
                case, PAYMENT, user, f"原决定{RemedyOutcome(outcome).label}，不再执行", now, cancelled=True
            )
            comment += "；原处罚决定不再执行"
        if outcome in DECISION_FALLS:
            item = withdrawal_open(
                case,
                fell_on=decided_on,
                reason=f"行政处罚决定经{remedy.get_kind_display()}{RemedyOutcome(outcome).label}（{remedy.body} {decided_on}）",
                now=now,
            )
            if item is not None:
                comment += f"；应于 {item.due} 前撤下公示信息（{clock_kind(WITHDRAW).basis}）"
        elif outcome == RemedyOutcome.CHANGED:
            comment += "；按变更后的决定执行"
        record(
            case,
            Action.REMEDY_OUTCOME,
            user,
            from_state=case.state,
            comment=comment,
            detail={"remedy": remedy.pk, "outcome": outcome},
            now=now,
        )
    return remedy


def item_overdue(item: WorkItem) -> None:
    """A measure's or a 复查's deadline passed: the case's record says so, as for the decision clock."""
    case = Case.objects.filter(pk=item.subject_id).first()
    if case is None:
        return
    record(
        case,
        Action.OVERDUE,
        None,
        from_state=case.state,
        comment=f"{item.title}的期限 {item.due} 已过（{item.due_basis}）",
        now=item.overdue_at,
    )


WORKITEM_KINDS: tuple[WorkItemKind, ...] = (
    WorkItemKind(RECTIFICATION, "责令改正复查", "案件", on_overdue=item_overdue),
    WorkItemKind(
        PRESERVATION,
        "先行登记保存的处理决定",
        "案件",
        clock=PRESERVATION,
        on_overdue=item_overdue,
        on_due_changed=measure_due_changed,
    ),
    WorkItemKind(
        SEIZURE,
        "查封、扣押",
        "案件",
        clock=SEIZURE,
        on_overdue=item_overdue,
        on_due_changed=measure_due_changed,
    ),
    # 公示规定: a decision that fell comes down within 3 working days (opened by ``publicity.withdrawal_open``)
    WorkItemKind(WITHDRAW, "撤下公示信息", "案件", clock=WITHDRAW),
)


# ---------------------------------------------------------------- what the case page shows


@dataclass(frozen=True)
class MeasureRow:
    measure: CaseMeasure
    overdue: bool


@dataclass
class Aftercare:
    """The card of the case page: payment, 责令改正, the party's periods and remedies, the measures."""

    case: Case
    today: dt.date
    surcharge: Decimal = Decimal("0")
    owed: Decimal = Decimal("0")
    payment_late: bool = False
    rectification_overdue: bool = False
    periods: list[RemedyPeriod] = field(default_factory=list)
    remedies: list[CaseRemedy] = field(default_factory=list)
    measures: list[MeasureRow] = field(default_factory=list)

    @property
    def payment(self) -> bool:
        return bool(self.case.fine_amount and self.case.served_on)

    @property
    def shown(self) -> bool:
        return bool(
            self.payment or self.case.rectification_order or self.periods or self.remedies or self.measures
        )


def aftercare_summary(case: Case, today: dt.date | None = None) -> Aftercare:
    """What ``cases/_aftercare.html`` shows; amounts owed and the surcharge as of ``today``."""
    today = today or timezone.localdate()
    out = Aftercare(case=case, today=today)
    out.remedies = list(case.remedies.all())
    out.measures = [MeasureRow(m, bool(m.running and m.due and m.due < today)) for m in case.measures.all()]
    out.periods = remedy_periods(case)
    if out.payment:
        out.surcharge, out.owed = owed(case, today)
        out.payment_late = bool(out.owed and case.payment_due and today > case.payment_due)
    out.rectification_overdue = bool(
        case.rectify_by
        and today > case.rectify_by
        and not case.rectified
        and (case.rectification_checked_on is None or case.rectification_checked_on < case.rectify_by)
    )
    return out


# ---------------------------------------------------------------- the one entry point of these steps

# each step's service and the names of its input (the form's fields)
_STEPS = {
    Action.PAYMENT: (payment_record, ("paid_on", "amount", "note")),
    Action.RECTIFY_CHECK: (rectification_check, ("checked_on", "rectified", "note", "next_check")),
    Action.REMEDY: (remedy_file, ("kind", "body", "filed_on", "note")),
    Action.REMEDY_OUTCOME: (remedy_decide, ("remedy", "outcome", "decided_on", "note")),
    Action.MEASURE: (measure_take, ("kind", "items", "started_on", "approved_by", "urgent", "note")),
    Action.MEASURE_EXTEND: (measure_extend, ("measure", "days", "reason")),
    Action.MEASURE_END: (measure_end, ("measure", "ended_on", "outcome")),
}


def aftercare_act(
    *, case: Case, user: User, action: str, values: Mapping[str, Any], now: dt.datetime | None = None
) -> str:
    """Take one of the after-decision or measure steps with its checked ``values``; what happened, in Chinese."""
    if action not in _STEPS:
        raise ValidationFailed(f"“{Action(action).label}”不在此办理", f"'{action}' is not taken here")
    service, names = _STEPS[action]
    given = {n: v.strip() if isinstance(v := values.get(n), str) else v for n in names}
    done = service(case=case, user=user, now=now, **given)
    if action == Action.PAYMENT:
        _, left = owed(case, case.paid_on)
        extra = f"（含加处罚款 {case.surcharge_amount} 元）" if case.surcharge_amount else ""
        return f"已登记缴款{extra}，" + (f"尚欠 {left} 元" if left else "已缴清，可登记执行完毕")
    if action == Action.RECTIFY_CHECK:
        again = f"，{case.rectify_by} 再次复查" if given.get("next_check") else ""
        return "已登记复查：" + ("已改正" if case.rectified else f"未改正{again}")
    if action == Action.REMEDY:
        timing = "在法定期限内" if done.in_time else "已超过法定期限"
        return f"已登记{done.get_kind_display()}（{timing}），行政处罚不停止执行"
    if action == Action.REMEDY_OUTCOME:
        message = f"已登记{done.get_kind_display()}结果：{done.get_outcome_display()}"
        pulled = done.outcome in DECISION_FALLS and case.published_on and not case.publicity_withdrawn_on
        return message + ("，请在三个工作日内撤下公示信息" if pulled else "")
    if action == Action.MEASURE:
        return f"已采取{done.get_kind_display()}，期限 {done.due}"
    if action == Action.MEASURE_EXTEND:
        return f"已延长查封、扣押期限至 {done.due}"
    return f"已登记{done.get_kind_display()}的处理：{done.outcome}"
