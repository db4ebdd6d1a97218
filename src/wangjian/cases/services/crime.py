"""行刑衔接: a suspected crime goes to the police as 国务院令第310号 (行政执法机关移送涉嫌犯罪案件的规定) says.

- art. 5: the officers report in writing; the bureau's head approves the transfer or refuses it within 3 days
  of the report (the clock ``crime.transfer_approval``, a work item the head owes); a refusal is recorded
  with its reason and the case goes on;
- art. 8: once approved the case goes to the police within 24 hours, with its material list (the 移送函);
  a copy to the procuratorate where local rules require it; the police sign a receipt;
- art. 9: the police decide within 3 days of accepting it whether to open a criminal case and say so in
  writing; a bureau that disagrees with a refusal may ask them to reconsider within 3 days;
- art. 11: a case the police decline is handled by the bureau as an administrative case: it goes back to
  调查取证 and its 90-day clock resumes, the time at the police not counted (中止).

The transfer is also the bureau's request to another authority (``outreach.AuthorityRequest``, kind
``police_transfer``, by the case's number): the transfer, the receipt and the decision recorded here are written
there too (``_outreach_sync``), so the list of requests to the police holds every case sent.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from wangjian.cases.choices import Action
from wangjian.cases.models import Case
from wangjian.cases.services.clock import DECISION, decision_clock_open, decision_copy
from wangjian.cases.services.transitions import TRANSITIONS, record, required, transition_check
from wangjian.core.audit import acting
from wangjian.core.errors import ValidationFailed
from wangjian.org.models import User
from wangjian.outreach.services import case_transfer_sync
from wangjian.platform.clocks.catalogue import SuspensionKind
from wangjian.platform.clocks.services import deadline_for
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.models import WorkItemState
from wangjian.platform.workitems.services import clock_resume, clock_stop, workitem_create, workitem_finish

APPROVAL = "crime.transfer_approval"


def _outreach_sync(case: Case) -> None:
    """The case's transfer to the police as an outreach authority request, as the case now stands."""
    if not (case.transfer_to_police and case.transferred_on and case.number):
        return
    outcome = ""
    if case.police_decision:
        outcome = "公安机关立案" if case.police_decision == "accepted" else "公安机关不予立案"
        outcome += f"：{case.police_note}" if case.police_note else ""
    case_transfer_sync(
        bureau=case.bureau,
        case_number=case.number,
        target=case.transfer_target,
        sent_on=case.transferred_on,
        subject=f"移送涉嫌犯罪案件：{case.title}"[:2000],
        materials=case.transfer_materials,
        received_on=case.police_received_on,
        procuratorate_copy=case.procuratorate_copy,
        outcome=outcome,
        outcome_on=case.police_decided_on,
    )


def _approval_end(case: Case, user: User, result: str, now: dt.datetime) -> None:
    for item in workitem_selectors.items_of(case).filter(kind=APPROVAL, state=WorkItemState.OPEN):
        workitem_finish(item=item, user=None, actor=user, result=result, now=now)


def crime_report(*, case: Case, user: User, report: str, now: dt.datetime | None = None) -> Case:
    """The officers report a suspected crime; the head owes the decision within 3 days (art. 5)."""
    now = now or timezone.now()
    transition_check(user=user, case=case, action=Action.CRIME_REPORT)
    report = required(report, "请填写涉嫌犯罪的事实、涉案金额和依据（移送报告）", "Write the report")
    if case.police_reported_on and not case.police_approved_on:
        raise ValidationFailed("已有待审批的移送报告", "A transfer report awaits the head's decision")
    today = timezone.localtime(now).date()
    head = (
        User.objects.filter(bureau_id=case.bureau_id, is_bureau_head=True, is_active=True)
        .order_by("id")
        .first()
    )
    with transaction.atomic(), acting(user, via="cases"):
        case.police_reported_on, case.police_report = today, report
        case.save()
        item = workitem_create(
            bureau=case.bureau,
            kind=APPROVAL,
            title="审批涉嫌犯罪案件移送",
            body=report,
            reference=case.number,
            department=case.department,
            assignee=head,
            clock=APPROVAL,
            start=today,
            subject=case,
            domain=case.domain,
            urgent=True,
            now=now,
        )
        record(
            case,
            Action.CRIME_REPORT,
            user,
            from_state=case.state,
            comment=f"{report}（应于 {item.due} 前审批）",
            now=now,
        )
    return case


def crime_approved(case: Case, user: User, now: dt.datetime) -> str:
    """The head's approval, as the transfer to the police is taken: the report's clock ends, late or not."""
    today = timezone.localtime(now).date()
    note = ""
    if case.police_reported_on:
        due = deadline_for(bureau=case.bureau_id, clock=APPROVAL, start=case.police_reported_on).due
        if due and today > due:
            note = f"；超过审批期限 {due}（国务院令第310号第五条）"
        _approval_end(case, user, f"批准移送{note}", now)
    case.police_approved_on = today
    _outreach_sync(case)
    return note


def crime_refuse(*, case: Case, user: User, reason: str, now: dt.datetime | None = None) -> Case:
    now = now or timezone.now()
    transition_check(user=user, case=case, action=Action.CRIME_REFUSE)
    reason = required(reason, "不批准移送须记录理由（国务院令第310号第五条）", "A refusal needs its reason")
    if not case.police_reported_on or case.police_approved_on:
        raise ValidationFailed("没有待审批的移送报告", "No transfer report awaits a decision")
    with transaction.atomic(), acting(user, via="cases"):
        _approval_end(case, user, f"不批准移送：{reason}", now)
        case.police_reported_on, case.police_report = None, ""
        case.save()
        record(case, Action.CRIME_REFUSE, user, from_state=case.state, comment=reason, now=now)
    return case


def police_receipt(
    *,
    case: Case,
    user: User,
    received_on: dt.date,
    procuratorate_copy: bool = False,
    now: dt.datetime | None = None,
) -> Case:
    now = now or timezone.now()
    transition_check(user=user, case=case, action=Action.POLICE_RECEIPT)
    if not case.transfer_to_police:
        raise ValidationFailed("该案件不是移送公安机关的案件", "This case was not sent to the police")
    if case.transferred_on and received_on < case.transferred_on:
        raise ValidationFailed("回执日期不能早于移送日期", "The receipt cannot precede the transfer")
    late = ""
    if case.police_approved_on and (received_on - case.police_approved_on).days > 1:
        late = "；批准后超过二十四小时才移送（国务院令第310号第八条）"
    with transaction.atomic(), acting(user, via="cases"):
        case.police_received_on, case.procuratorate_copy = received_on, bool(procuratorate_copy)
        case.save()
        copy = "，已抄送检察院" if procuratorate_copy else ""
        record(
            case,
            Action.POLICE_RECEIPT,
            user,
            from_state=case.state,
            comment=f"公安机关 {received_on} 签收{copy}{late}",
            now=now,
        )
        _outreach_sync(case)
    return case


def transfer_receipt(
    *, case: Case, user: User, received_on: dt.date, outcome: str = "", now: dt.datetime | None = None
) -> Case:
    """The receipt of a case sent to another authority (not the police), and what that authority did."""
    now = now or timezone.now()
    transition_check(user=user, case=case, action=Action.TRANSFER_RECEIPT)
    if case.transfer_to_police:
        raise ValidationFailed(
            "移送公安机关的案件请登记“公安机关回执”", "A transfer to the police records the police's receipt"
        )
    if case.transferred_on and received_on < case.transferred_on:
        raise ValidationFailed("回执日期不能早于移送日期", "The receipt cannot precede the transfer")
    if received_on > timezone.localtime(now).date():
        raise ValidationFailed("签收日期不能晚于今天", "The receipt date cannot be in the future")
    with transaction.atomic(), acting(user, via="cases"):
        case.transfer_received_on = received_on
        if outcome:
            case.transfer_outcome = outcome
        case.save()
        record(
            case,
            Action.TRANSFER_RECEIPT,
            user,
            from_state=case.state,
            comment=f"{case.transfer_target} {received_on} 签收"
            + (f"；处理结果：{outcome}" if outcome else ""),
            now=now,
        )
    return case


def police_decision(
    *,
    case: Case,
    user: User,
    accepted: bool,
    decided_on: dt.date,
    note: str = "",
    now: dt.datetime | None = None,
) -> Case:
    now = now or timezone.now()
    transition_check(user=user, case=case, action=Action.POLICE_DECISION)
    if case.police_received_on is None:
        raise ValidationFailed("请先登记公安机关的回执", "Record the police's receipt first")
    if decided_on < case.police_received_on:
        raise ValidationFailed("决定日期不能早于签收日期", "The decision cannot precede the receipt")
    if not accepted:
        note = required(note, "公安机关不予立案的，请记录其理由", "Record the police's reason")
    late = ""
    if (decided_on - case.police_received_on).days > 3:
        late = "；公安机关超过三日作出决定（国务院令第310号第九条）"
    with transaction.atomic(), acting(user, via="cases"):
        case.police_decision = "accepted" if accepted else "declined"
        case.police_decided_on, case.police_note = decided_on, (note or "").strip()
        case.save()
        what = (
            "公安机关立案"
            if accepted
            else "公安机关不予立案：可自收到通知之日起三日内提请复议（第九条）；或继续行政处理"
        )
        record(
            case,
            Action.POLICE_DECISION,
            user,
            from_state=case.state,
            comment=f"{decided_on} {what}。{case.police_note}{late}",
            now=now,
        )
        _outreach_sync(case)
    return case


def resume_admin(*, case: Case, user: User, reason: str, now: dt.datetime | None = None) -> Case:
    """The police declined: the bureau handles it (art. 11); the 90-day clock resumes, the transfer not counted."""
    now = now or timezone.now()
    transition_check(user=user, case=case, action=Action.RESUME_ADMIN)
    reason = required(reason, "请说明继续行政处理的理由", "Give the reason")
    if case.police_decision != "declined":
        raise ValidationFailed(
            "只有公安机关不予立案的案件可以继续行政处理", "Only a case the police declined comes back"
        )
    today = timezone.localtime(now).date()
    with transaction.atomic(), acting(user, via="cases"):
        from_state = case.state
        case.state = TRANSITIONS[Action.RESUME_ADMIN].target
        item = decision_clock_open(case, now)
        stop_from = case.transferred_on or case.police_approved_on or today
        if stop_from > case.opened_on:
            clock_stop(
                item=item,
                kind=SuspensionKind.SUSPENSION,
                start=stop_from,
                note="移送公安机关期间（国务院令第310号）",
                user=user,
            )
            clock_resume(item=item, end=max(stop_from, case.police_decided_on or today), user=user)
        item.refresh_from_db()
        decision_copy(case, item)
        case.save()
        record(
            case,
            Action.RESUME_ADMIN,
            user,
            from_state=from_state,
            comment=f"{reason}；决定期限为 {case.decision_due}（移送期间不计入）",
            detail={"clock": DECISION},
            now=now,
        )
    return case
