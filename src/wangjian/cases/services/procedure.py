"""The general procedure after filing, step by step, each with its clock (DOMAIN.md lists them with articles).

调查终结 (art. 52) → 核审 by the review body within 10 working days (art. 55) → 法制审核 for major
decisions (行政处罚法 art. 58) → 告知 (art. 57: 陈述、申辩 or a hearing request within 5 working days
of service) → 听证 (notice 7 working days before; 听证办法 arts. 5, 20) → 集体讨论 for major cases
(art. 60) → 决定 (the 90-day clock stops) → 送达 within 7 working days (art. 81) → 执行 (a fine within
15 days of receipt, 行政处罚法 art. 67) → 结案 within 15 working days (art. 77).

Each clock is a platform work item owed by the case's officers (or the review body), so reminders,
overdue marking and 督办 work as everywhere else; the case keeps the dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.cases.choices import Action, CaseState, PartyKind, PenaltyKind
from wangjian.cases.models import Case, CaseEvent, DiscretionBenchmark
from wangjian.cases.services.aftercare import rectification_open
from wangjian.cases.services.clock import case_clock_end, case_clock_open, decision_clock_end, decision_item
from wangjian.cases.services.crime import crime_approved
from wangjian.cases.services.publicity import publicity_open, settings_for
from wangjian.cases.services.transitions import TRANSITIONS, record, required, transition_check
from wangjian.core.audit import acting
from wangjian.core.errors import ValidationFailed
from wangjian.org.models import User
from wangjian.platform.clocks.catalogue import SuspensionKind
from wangjian.platform.clocks.services import deadline_for
from wangjian.platform.numbering.services import number_attach, number_issue
from wangjian.platform.workitems.models import ClockStop, WorkItem, WorkItemState
from wangjian.platform.workitems.services import clock_resume, clock_stop

# the procedure's clocks (catalogue key → what the officer owes)
CLOCK_LABELS = {
    "case.review": "完成案件核审",
    "case.statement": "陈述、申辩或者要求听证期满",
    "case.service": "送达行政处罚决定书",
    "fine.payment": "当事人缴纳罚款",
    "case.closing": "结案",
}

# 听证办法 art. 5 (1), (2): the penalties that always offer a hearing, whatever the amount
HEARING_KINDS = frozenset(
    {
        PenaltyKind.SUSPEND_BUSINESS,
        PenaltyKind.CLOSE,
        PenaltyKind.BAR,
        PenaltyKind.LOWER_QUALIFICATION,
        PenaltyKind.REVOKE_LICENCE,
    }
)


def _clock_open(case: Case, clock: str, start: dt.date, now: dt.datetime, *, legal: bool = False) -> WorkItem:
    return case_clock_open(case, clock, CLOCK_LABELS[clock], start, now, legal=legal)


def _clock_end(
    case: Case, clock: str, user: User | None, result: str, now: dt.datetime, cancelled: bool = False
) -> None:
    case_clock_end(case, clock, user, result, now, cancelled=cancelled)


def _move(
    case: Case,
    action: str,
    user: User,
    comment: str,
    now: dt.datetime,
    target: str | None = None,
    **detail: Any,
) -> CaseEvent:
    from_state = case.state
    case.state = target or TRANSITIONS[action].target
    case.save()
    return record(case, action, user, from_state=from_state, comment=comment, detail=detail, now=now)


def _date(value: Any, zh: str, en: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise ValidationFailed(zh, en) from None


def _amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed("金额应为数字（元）", "An amount must be a number of yuan") from None
    if amount < 0:
        raise ValidationFailed("金额不能为负", "An amount cannot be negative")
    return amount


def hearing_threshold(case: Case) -> tuple[Decimal, str]:
    """The fine from which a hearing is offered to this party, and whose amount it is (听证办法 art. 5 (3))."""
    settings = settings_for(case.bureau_id)
    if case.party_kind == PartyKind.PERSON:
        amount = settings.hearing_fine_person
    else:
        amount = settings.hearing_fine_organisation
    basis = settings.hearing_basis or "《市场监督管理行政处罚听证办法》第五条"
    return Decimal(amount), basis


def hearing_qualifies(
    case: Case, fine: Decimal | None, confiscated: Decimal | None = None, kinds: Iterable[str] = ()
) -> bool:
    """听证办法 art. 5: 停产停业、关闭、限制从业、降低资质、吊销 always; a fine, or the value confiscated, at or
    above the amount for the party's kind (¥10,000 a person, ¥100,000 an organisation, unless the
    province set others in 案件办理设置)."""
    if HEARING_KINDS & set(kinds):
        return True
    threshold, _basis = hearing_threshold(case)
    return any(amount is not None and amount >= threshold for amount in (fine, confiscated))


def _resume_hearing(case: Case, user: User, today: dt.date) -> None:
    """A hearing's stop of the decision clock ends the day before the next step."""
    item = decision_item(case)
    if item is None:
        return
    stop = ClockStop.objects.filter(item=item, end__isnull=True).first()
    if stop is not None and stop.kind == SuspensionKind.HEARING:
        clock_resume(item=item, end=max(stop.start, today - dt.timedelta(days=1)), user=user)


def case_step(
    *, case: Case, user: User, action: str, values: dict[str, Any], now: dt.datetime | None = None
) -> str:
    """One step of the general procedure after filing; returns what happened, in Chinese."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    transition_check(user=user, case=case, action=action)

    def text(name: str) -> str:
        value = values.get(name) or ""
        return value.strip() if isinstance(value, str) else str(value)

    with transaction.atomic(), acting(user, via="cases"):
        if action == Action.END_INVESTIGATION:
            report = required(
                text("report"), "请填写调查终结报告的结论", "Summarise the investigation report"
            )
            _move(case, action, user, report, now)
            return "调查终结"
        if action == Action.SUBMIT_REVIEW:
            _move(case, action, user, text("comment"), now)
            item = _clock_open(case, "case.review", today, now, legal=True)
            return f"已提交核审，核审期限 {item.due}"
        if action == Action.REVIEWED:
            opinion = required(text("opinion"), "请填写核审意见", "The review needs its opinion")
            case.review_opinion = opinion
            _clock_end(case, "case.review", user, opinion, now)
            target = CaseState.LEGAL_REVIEW if case.major else CaseState.READY
            _move(case, action, user, opinion, now, target=target)
            return "核审完毕" + ("，重大案件转法制审核" if case.major else "")
        if action == Action.LEGAL_REVIEWED:
            opinion = required(text("opinion"), "请填写法制审核意见", "The legal review needs its opinion")
            case.legal_opinion = opinion
            _move(case, action, user, opinion, now)
            return "法制审核完毕"
        if action == Action.NOTIFY:
            served = _date(values.get("served_on") or today, "请填写告知书送达日期", "Give the service date")
            if served > today:
                raise ValidationFailed("送达日期不能晚于今天", "The service date cannot be in the future")
            fine = _amount(values.get("fine_amount"))
            confiscated = _amount(values.get("confiscated_amount"))
            proposed = [k for k in (values.get("penalty_kinds") or []) if k in PenaltyKind.values]
            case.notified_on, case.fine_amount = served, fine
            case.confiscated_amount = confiscated
            deadline = deadline_for(bureau=case.bureau_id, clock="case.statement", start=served)
            case.statement_due = deadline.due
            hearing = hearing_qualifies(case, fine, confiscated, proposed)
            _move(
                case,
                action,
                user,
                f"告知书 {served} 送达；陈述、申辩"
                + ("或要求听证" if hearing else "")
                + f"期限 {deadline.due}",
                now,
                hearing=hearing,
            )
            _clock_open(case, "case.statement", served, now)
            return f"已告知，陈述申辩期限 {deadline.due}" + (
                "（拟罚款达到听证标准，已告知听证权利）" if hearing else ""
            )
        if action == Action.HEARING:
            hearing_on = _date(values.get("hearing_on"), "请填写听证日期", "Give the hearing date")
            notice_by = deadline_for(bureau=case.bureau_id, clock="case.hearing_notice", start=hearing_on).due
            if notice_by is not None and today > notice_by:
                raise ValidationFailed(
                    f"听证应于举行七个工作日前通知当事人（听证办法第二十条）：{hearing_on} 的听证最迟应于 {notice_by} 通知",
                    f"A hearing on {hearing_on} must be notified by {notice_by}",
                )
            case.hearing_on = hearing_on
            _clock_end(case, "case.statement", user, "当事人要求听证", now)
            item = decision_item(case)
            if item is not None and not ClockStop.objects.filter(item=item, end__isnull=True).exists():
                clock_stop(
                    item=item,
                    kind=SuspensionKind.HEARING,
                    start=today,
                    note=f"听证（{hearing_on}）",
                    user=user,
                )
            case.refresh_from_db()
            case.hearing_on = hearing_on
            _move(case, action, user, f"当事人要求听证，{hearing_on} 举行；听证期间不计入办案期限", now)
            return f"听证定于 {hearing_on}"
        if action == Action.HEARING_REPORT:
            held = _date(values.get("held_on"), "请填写听证举行日期", "Give the day the hearing was held")
            if held > today or (case.hearing_on and held < case.hearing_on):
                raise ValidationFailed(
                    f"听证举行日期应在 {case.hearing_on} 至今天之间",
                    "The hearing day is between its date and today",
                )
            case.hearing_held_on = held
            case.hearing_report = required(
                text("report"), "请填写听证报告（主持人的意见建议）", "Give the hearing officer's report"
            )
            item = decision_item(case)
            stop = ClockStop.objects.filter(item=item, end__isnull=True).first() if item else None
            if (
                stop is not None and stop.kind == SuspensionKind.HEARING
            ):  # the hearing's time ends the day it is held
                clock_resume(item=item, end=max(stop.start, held), user=user)
                case.refresh_from_db()
                case.hearing_held_on, case.hearing_report = held, text("report")
            _move(case, action, user, f"{held} 举行听证；{case.hearing_report}", now, target=case.state)
            return f"已登记听证报告，决定期限 {case.decision_due}"
        if action == Action.DISCUSS:
            minutes = required(text("minutes"), "请填写集体讨论意见", "Record the discussion's opinion")
            _resume_hearing(case, user, today)
            case.refresh_from_db()
            case.discussion_minutes = minutes
            _move(case, action, user, minutes, now)
            return "已集体讨论"
        if action == Action.DECIDE:
            return _decide(case, user, values, now, today)
        if action == Action.SERVE:
            served = _date(values.get("served_on") or today, "请填写送达日期", "Give the service date")
            case.served_on = served
            _clock_end(case, "case.service", user, f"{served} 送达", now)
            _move(case, action, user, f"决定书 {served} 送达", now)
            if case.fine_amount:
                payment = _clock_open(case, "fine.payment", served, now)
                case.payment_due = payment.due
                case.save(update_fields=["payment_due"])
            return f"已送达（{served}）"
        if action == Action.EXECUTE:
            done = _date(values.get("executed_on") or today, "请填写执行完毕日期", "Give the execution date")
            case.executed_on = done
            _clock_end(case, "fine.payment", user, f"{done} 执行完毕", now)
            _move(case, action, user, text("comment") or f"{done} 执行完毕", now)
            _clock_open(case, "case.closing", done, now)
            return "执行完毕"
        if action == Action.TYPICAL:
            case.typical = values.get("typical") in (True, "true", "1", "on", "yes")
            case.save()
            record(
                case,
                action,
                user,
                from_state=case.state,
                comment=text("note") or ("标记为典型案例" if case.typical else "取消典型案例"),
                now=now,
            )
            return "已标记为典型案例" if case.typical else "已取消典型案例"
        if action == Action.CLOSE:
            case.lessons = required(
                text("lessons"),
                "结案须填写举一反三：案件暴露的监管漏洞和采取的措施",
                "Closing needs the lessons: the gap the case revealed and the measures taken",
            )
            if case.state != CaseState.EXECUTED and case.penalised:
                raise ValidationFailed(
                    "给予行政处罚的案件执行完毕后方可结案（程序规定第七十七条）",
                    "A penalty case closes after execution (art. 77)",
                )
            case.closed_on = today
            _clock_end(case, "case.closing", user, "结案", now)
            _clock_end(case, "case.service", user, "结案", now, cancelled=True)
            _move(case, action, user, text("comment") or "结案", now)
            return "已结案"
        if action in (Action.TRANSFER, Action.WITHDRAW):
            reason = required(text("reason"), "请说明理由", "Give the reason")
            if action == Action.TRANSFER:
                case.transfer_target = required(
                    text("target"), "请填写接收机关", "Name the receiving authority"
                )[:200]
                case.transfer_to_police = bool(values.get("police"))
                case.transferred_on = today
                case.transfer_materials = "\n".join(
                    line.strip() for line in text("materials").splitlines() if line.strip()
                )
                if case.transfer_to_police and not case.transfer_materials:
                    raise ValidationFailed(
                        "移送涉嫌犯罪案件须附材料清单（国务院令第310号第六条）",
                        "A transfer to the police lists its materials (国务院令第310号 art. 6)",
                    )
                if case.transfer_to_police:
                    reason += crime_approved(case, user, now)
            decision_clock_end(case, user=user, result=reason, state=WorkItemState.CANCELLED, now=now)
            for clock in (*CLOCK_LABELS, "case.manual_check"):  # nothing else is owed on a case that left
                _clock_end(case, clock, user, reason, now, cancelled=True)
            _move(case, action, user, reason, now)
            return "已移送" if action == Action.TRANSFER else "已撤销立案"
    raise ValidationFailed(f"“{Action(action).label}”不在此办理", f"'{action}' is not taken here")


def _decide(case: Case, user: User, values: dict[str, Any], now: dt.datetime, today: dt.date) -> str:
    penalised = values.get("penalised") in (True, "true", "1", "on", "yes")
    summary = required(str(values.get("summary") or ""), "请填写处理决定", "State the decision")
    fine = _amount(values.get("fine_amount"))
    confiscated = _amount(values.get("confiscated_amount"))
    if penalised:
        if case.notified_on is None:
            raise ValidationFailed(
                "作出行政处罚决定前须告知拟处罚内容及陈述、申辩、听证权利（行政处罚法第四十四条）",
                "The party must be notified before a penalty (行政处罚法 art. 44)",
            )
        waived = values.get("waived") in (True, "true", "1", "on", "yes")
        if case.statement_due and today <= case.statement_due and not waived:
            raise ValidationFailed(
                f"陈述、申辩期限 {case.statement_due} 未届满（程序规定第五十七条）；当事人明确放弃的请勾选“当事人放弃”",
                f"The party's period to state its case runs until {case.statement_due}",
            )
        if case.major and case.state != CaseState.DISCUSSION:
            raise ValidationFailed(
                "重大案件须经负责人集体讨论决定（行政处罚法第五十七条第二款）",
                "A major case is decided by collective discussion",
            )
    kinds = [k for k in (values.get("penalty_kinds") or []) if k in PenaltyKind.values]
    if penalised and not kinds:  # what the amounts say, when the form names no kind
        kinds = [
            k
            for k, amount in ((PenaltyKind.FINE, fine), (PenaltyKind.CONFISCATE_GAINS, confiscated))
            if amount
        ]
    if penalised and not kinds:
        raise ValidationFailed("请选择处罚种类（行政处罚法第九条）", "Choose the kind of penalty")
    if penalised and PenaltyKind.FINE in kinds and not fine:
        raise ValidationFailed("处罚种类含罚款，请填写罚款金额", "A fine needs its amount")
    benchmarks, reason = _discretion(case, values, penalised, fine)
    order = str(values.get("rectification_order") or "").strip()
    rectify_by = values.get("rectify_by") or None
    if rectify_by is not None:
        rectify_by = _date(rectify_by, "改正期限应为日期", "The rectification date must be a date")
        if not order:
            raise ValidationFailed(
                "限期改正须写明责令改正的内容", "A rectification deadline needs what is ordered"
            )
        if rectify_by < today:
            raise ValidationFailed("改正期限不能早于今天", "The rectification deadline cannot be in the past")
    _resume_hearing(case, user, today)
    case.refresh_from_db()
    case.discretion_reason = reason
    case.rectification_order, case.rectify_by = order, rectify_by
    case.penalty_kinds = kinds if penalised else []
    case.penalised = penalised
    case.decision_summary = summary
    case.fine_amount = fine if penalised else None
    case.confiscated_amount = confiscated if penalised else None
    case.decided_on = today
    if penalised:
        issued = number_issue(bureau=case.bureau, kind="penalty_decision", user=user, now=now)
        case.decision_number = issued.number
    on_time = case.decision_due is None or today <= case.decision_due
    decision_clock_end(case, user=user, result=summary, state=WorkItemState.DONE, now=now)
    _clock_end(case, "case.statement", user, "已作出决定", now)
    _move(
        case,
        Action.DECIDE,
        user,
        f"{'行政处罚决定 ' + case.decision_number if penalised else '不予行政处罚'}：{summary}",
        now,
        on_time=on_time,
    )
    case.discretion.set(benchmarks)
    if rectify_by is not None:
        rectification_open(case, user, now)
    if penalised:
        number_attach(issued=issued, subject=case)
        _clock_open(case, "case.service", today, now)
    publicity_open(case, user, now)
    return f"已作出决定{('，文号 ' + case.decision_number) if penalised else '（不予行政处罚）'}"


def _discretion(
    case: Case, values: dict[str, Any], penalised: bool, fine: Decimal | None
) -> tuple[list[DiscretionBenchmark], str]:
    """The 裁量基准 the decision applies, checked: the bureau's own and in force; a fine outside their range,
    or a penalty without any where the bureau has them, needs the reason written down."""
    reason = str(values.get("discretion_reason") or "").strip()
    chosen = [b if isinstance(b, DiscretionBenchmark) else int(b) for b in values.get("discretion") or []]
    ids = [b.pk if isinstance(b, DiscretionBenchmark) else b for b in chosen]
    benchmarks = list(
        DiscretionBenchmark.objects.filter(pk__in=ids, bureau_id=case.bureau_id, is_active=True)
    )
    if len(benchmarks) != len(set(ids)):
        raise ValidationFailed(
            "所选裁量基准不属于本局或已失效",
            "A chosen benchmark is not this bureau's or is no longer in force",
        )
    if not penalised:
        return benchmarks, reason
    if not benchmarks and not reason:
        if DiscretionBenchmark.objects.filter(bureau_id=case.bureau_id, is_active=True).exists():
            raise ValidationFailed(
                "请选择适用的裁量基准，或在裁量说明中写明不适用的理由",
                "Choose the discretion benchmark applied, or say why none applies",
            )
    if fine is not None and benchmarks and not reason:
        lows = [b.fine_min for b in benchmarks if b.fine_min is not None]
        highs = [b.fine_max for b in benchmarks if b.fine_max is not None]
        if (lows and fine < min(lows)) or (highs and fine > max(highs)):
            raise ValidationFailed(
                f"罚款 {fine} 元超出所选裁量基准的幅度，须在裁量说明中写明理由",
                f"A fine of {fine} is outside the chosen benchmarks' range: give the reason",
            )
    return benchmarks, reason
