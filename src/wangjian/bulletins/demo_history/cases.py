"""A year of cases (执法办案) opened from the history's clues: the unit's 立案审批表, the bureau's head approving
(the clue closes as 立案查处, linked), then investigation, 核审, 告知, the decision, service, publicity,
payment and closing — as the cases app records each step — or, for the cases of the last weeks, the
investigation still running on its 90-day clock (程序规定 art. 64), a work item as every case has.

Each case carries what its state requires: its 立案编号 and 立案日期, the filing and decision deadlines
with their bases, two officers holding 行政执法证 (art. 20), the ground of jurisdiction; a closed one its
decision (number, date, penalty) and the dates of each step.
"""

from __future__ import annotations

import calendar as pycal
import datetime as dt

from django.db.models import F

from wangjian.bulletins.demo_history import texts
from wangjian.bulletins.demo_history.clues import Made, events_write
from wangjian.bulletins.demo_history.numbering import numbers_attach, numbers_issue
from wangjian.bulletins.demo_history.rows import rows_update
from wangjian.bulletins.demo_history.shape import Context
from wangjian.cases.choices import Action, CaseState, PartyKind, PenaltyKind, Procedure, Proposal
from wangjian.cases.models import Case, CaseEvent, CaseOfficer
from wangjian.cases.services.clock import decision_clock_open
from wangjian.cases.services.jurisdiction import jurisdiction_check
from wangjian.cases.services.publicity import display_months, publicity_rule
from wangjian.clues.choices import Action as ClueAction
from wangjian.clues.choices import ClueState, Disposal
from wangjian.clues.models import Clue
from wangjian.core.models import bulk_create_audited
from wangjian.org.choices import DepartmentKind, Role
from wangjian.org.models import User

C = CaseState


def _months_later(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    return dt.date(year, month + 1, min(day.day, pycal.monthrange(year, month + 1)[1]))


class Docket:
    """The cases of the history, with the officers, deadlines and steps of each."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.events: dict[int, list[tuple]] = {}  # id(case) → (action, from, to, actor, at, comment, detail)
        self.officers: dict[int, list] = {}
        self.running: list[Case] = []
        self.grounds: dict[tuple, object] = {}

    def officers_for(self, made: Made) -> list[User]:
        """The unit's officer leading, and a second holder of a 行政执法证 of the bureau (art. 20)."""
        ctx, clue = self.ctx, made.clue
        lead = ctx.certified(made.officer)
        others = (
            User.objects.filter(bureau_id=clue.bureau_id, is_active=True)
            .exclude(enforcement_certificate="")
            .exclude(role__in=(Role.AUDITOR, Role.LEGAL_REVIEWER))
            .exclude(pk=lead.pk)
            .order_by("id")
        )
        second = others.filter(department_id=clue.department_id).first() or others.first()
        if second is None:  # 绩溪县: its enforcement brigade's officer
            brigade = clue.bureau.departments.get(kind=DepartmentKind.ENFORCEMENT)
            second = ctx.certified(ctx.unit_user(brigade))
        return [lead, second]

    def ground(self, clue: Clue):
        key = (clue.bureau_id, clue.domain, clue.region_code, getattr(clue.presence, "kind", ""))
        if key not in self.grounds:
            kind = getattr(clue.presence, "kind", "") or "platform_shop"
            self.grounds[key] = jurisdiction_check(
                bureau=clue.bureau,
                domain=clue.domain,
                presence_kind=kind,
                party_region=clue.region_code,
                source_kind=clue.source_kind,
            )
        return self.grounds[key]

    def open(self, made: Made) -> Case:
        """The 立案审批表, designated and approved: the case as ``case_approve`` leaves it."""
        ctx, clue = self.ctx, made.clue
        officers = self.officers_for(made)
        head = ctx.head(clue.bureau)
        title, provisions = texts.CASE[clue.domain]
        ground = self.ground(clue)
        opened = made.approved_at.date()
        due, basis, provisional = ctx.deadline(clue.bureau, "case.decision", opened)
        designated = made.drafted_at + dt.timedelta(hours=ctx.rng.choice((2, 3, 5)))
        designated = min(designated, made.approved_at - dt.timedelta(minutes=30))
        case = Case(
            bureau=clue.bureau,
            title=f"{clue.entity_name}{title}"[:200],
            domain=clue.domain,
            procedure=Procedure.GENERAL,
            state=C.INVESTIGATING,
            proposal=Proposal.FILE,
            clue=clue,
            source_kind=clue.source_kind,
            entity=clue.entity,
            presence=clue.presence,
            party_name=clue.entity_name or clue.presence_label,
            party_uscc=clue.entity_uscc,
            party_kind=PartyKind.PERSON if clue.entity_uscc.startswith("92") else PartyKind.ORGANISATION,
            party_region=clue.region_code,
            presence_label=clue.presence_label,
            facts=clue.facts,
            provisions=provisions,
            discovered_on=clue.found_on,
            filing_due=clue.filing_due,
            filing_basis=clue.filing_basis,
            filing_provisional=clue.filing_provisional,
            jurisdiction=ground.ground,  # the parties are the bureau's own: a ground always holds
            jurisdiction_basis=ground.reason_zh,
            department=clue.department,
            drafted_by=officers[0],
            drafted_at=made.drafted_at,
            submitted_by=officers[1] if officers[1].role == Role.DEPARTMENT_HEAD else officers[0],
            submitted_at=designated,
            approved_by=head,
            approved_at=made.approved_at,
            approval_opinion="同意立案",
            opened_on=opened,
            decision_due=due,
            decision_basis=basis,
            decision_provisional=provisional,
        )
        self.officers[id(case)] = officers
        names = "、".join(f"{o}（{o.enforcement_certificate}）" for o in officers)
        self.events[id(case)] = [
            (
                Action.DRAFT,
                "",
                C.DRAFT,
                officers[0],
                made.drafted_at,
                f"立案审批表：{case.title}（来源线索 {clue.number}）",
                {},
            ),
            (Action.DESIGNATE, C.DRAFT, C.PENDING, case.submitted_by, designated, f"办案人员：{names}", {}),
        ]
        return case

    def run(self, case: Case, made: Made) -> None:
        """From 立案 to 结案 when it fits before today; else the investigation runs on (its clock opened later)."""
        ctx, rng = self.ctx, self.ctx.rng
        lead, second = self.officers[id(case)]
        head = case.approved_by
        ev = self.events[id(case)]
        ev.append(
            (
                Action.APPROVE,
                C.PENDING,
                C.INVESTIGATING,
                head,
                made.approved_at,
                "批准立案，立案编号 {number}。审批意见：同意立案",
                {"late": False, "filing_due": str(case.filing_due)},
            )
        )
        ended = ctx.wd(case.opened_on, rng.randrange(8, 17))
        reviewed = ctx.wd(ended, rng.choice((1, 2)))
        notified = ctx.wd(reviewed, rng.choice((1, 2)))
        statement_due = ctx.deadline(case.bureau, "case.statement", notified)[0]
        decided = ctx.wd(statement_due, rng.choice((1, 2, 3)))
        served = ctx.wd(decided, rng.choice((1, 2)))
        payment_due = ctx.deadline(case.bureau, "fine.payment", served)[0]
        fined = rng.random() < 0.88  # else a warning, executed when served
        paid = min(served + dt.timedelta(days=rng.randrange(3, 13)), payment_due) if fined else served
        closed = ctx.wd(paid, rng.randrange(2, 7))
        if closed > ctx.yesterday:
            self.running.append(case)
            return
        case.penalised = True
        case.penalty_kinds = [PenaltyKind.FINE] if fined else [PenaltyKind.WARNING]
        if fined:
            case.fine_amount = ctx.money(*texts.FINE[case.domain])
            case.decision_summary = f"责令改正，罚款{case.fine_amount:.0f}元"
        else:
            case.decision_summary = "警告，责令改正（初次违法且危害后果轻微）"
        reviewer = (
            User.objects.filter(bureau_id=case.bureau_id, role=Role.LEGAL_REVIEWER, is_active=True).first()
            or head
        )
        case.review_opinion = texts.CASE_REVIEW
        case.notified_on, case.statement_due = notified, statement_due
        case.decided_on, case.served_on, case.closed_on = decided, served, closed
        publish, why = publicity_rule(case)
        case.publicity_required, case.publicity_note = publish, why[:300]
        steps = [
            (Action.END_INVESTIGATION, C.INVESTIGATING, C.INVESTIGATED, lead, ended, texts.CASE_END, {}),
            (Action.SUBMIT_REVIEW, C.INVESTIGATED, C.REVIEWING, lead, ended, "", {}),
            (Action.REVIEWED, C.REVIEWING, C.READY, reviewer, reviewed, texts.CASE_REVIEW, {}),
            (
                Action.NOTIFY,
                C.READY,
                C.NOTIFIED,
                lead,
                notified,
                f"告知书 {notified} 送达；陈述、申辩期限 {statement_due}",
                {"hearing": False},
            ),
            (
                Action.DECIDE,
                C.NOTIFIED,
                C.DECIDED,
                head,
                decided,
                "行政处罚决定 {decision}：" + case.decision_summary,
                {"on_time": decided <= case.decision_due},
            ),
            (Action.SERVE, C.DECIDED, C.SERVED, lead, served, f"决定书 {served} 送达", {}),
        ]
        if publish:
            case.publicity_due = ctx.deadline(case.bureau, "publicity.publish", decided)[0]
            case.published_on = max(
                served, min(ctx.wd(decided, rng.randrange(3, 9)), case.publicity_due, paid)
            )
            months, note = display_months(case)
            case.publicity_until = _months_later(case.published_on, months)
            text = f"{case.published_on} 公示，至 {case.publicity_until}（{note}）"
            steps.append(
                (Action.PUBLISH, C.SERVED, C.SERVED, lead, case.published_on, text, {"on_time": True})
            )
        if fined:
            case.payment_due, case.paid_on, case.paid_amount = payment_due, paid, case.fine_amount
        case.executed_on = paid
        executed = "罚款已缴纳" if fined else "警告决定已送达，执行完毕"
        steps.append((Action.EXECUTE, C.SERVED, C.EXECUTED, lead, paid, executed, {}))
        steps.append((Action.CLOSE, C.EXECUTED, C.CLOSED, case.submitted_by, closed, "执行完毕，结案", {}))
        hours = iter(rng.choice((9, 10, 11, 14, 15, 16)) for _ in steps)
        ev.extend((a, f, t, u, ctx.at(day, next(hours)), c, d) for a, f, t, u, day, c, d in steps)
        case.state = C.CLOSED


def build(ctx: Context, made: list[Made]) -> list[Case]:
    """The cases the history's clues proposed, numbered on approval and decision, written in bulk."""
    docket = Docket(ctx)
    proposed = [m for m in made if m.clue.disposal == Disposal.CASE]
    cases = [docket.open(m) for m in proposed]
    for case, m in zip(cases, proposed, strict=True):
        docket.run(case, m)
    in_order = sorted(cases, key=lambda c: c.approved_at)
    filed = numbers_issue("case_filing", [(c.bureau, c.approved_at, c) for c in in_order], ctx.head)
    for number, case in filed:
        case.number = number.number
    decided = [c for c in cases if c.decided_on]
    decisions = numbers_issue(
        "penalty_decision",
        [(c.bureau, ctx.at(c.decided_on, 9, 0), c) for c in sorted(decided, key=lambda c: c.decided_on)],
        ctx.head,
    )
    for number, case in decisions:
        case.decision_number = number.number
    for case in cases:
        case.running_due = case.decision_due if case.state == C.INVESTIGATING else None
    bulk_create_audited(cases)
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(created=F("drafted_at"))
    numbers_attach(filed + decisions)
    _officers_write(docket, cases)
    _events_write(docket, cases)
    _clues_close(ctx, cases, proposed)
    for case in docket.running:  # the 90-day clock of an investigation still running (``case_approve``)
        decision_clock_open(case, case.approved_at)
    return cases


def _officers_write(docket: Docket, cases: list[Case]) -> None:
    CaseOfficer.objects.bulk_create(
        [
            CaseOfficer(
                case=case,
                user=officer,
                lead=n == 0,
                certificate=officer.enforcement_certificate,
                designated_by=case.submitted_by,
                designated_at=case.submitted_at,
            )
            for case in cases
            for n, officer in enumerate(docket.officers[id(case)])
        ],
        batch_size=1000,
    )


def _events_write(docket: Docket, cases: list[Case]) -> None:
    """Each case's steps (``CaseEvent``) in order, as ``cases.services.transitions.record`` writes them."""
    rows = []
    for case in cases:
        previous = None
        for action, before, after, actor, at, comment, detail in docket.events[id(case)]:
            at = at if previous is None else max(at, previous + dt.timedelta(minutes=10))
            previous = at
            comment = comment.replace("{number}", case.number).replace("{decision}", case.decision_number)
            rows.append(
                CaseEvent(
                    case=case,
                    action=action,
                    from_state=before,
                    to_state=after,
                    actor=actor,
                    actor_name=actor.name or actor.username,
                    at=at,
                    comment=comment,
                    detail=detail,
                )
            )
    CaseEvent.objects.bulk_create(rows, batch_size=1000)


def _clues_close(ctx: Context, cases: list[Case], proposed: list[Made]) -> None:
    """The approval closes each clue as 立案查处 with its case's number and page (``clue_filing_decided``)."""
    for case, m in zip(cases, proposed, strict=True):
        clue = m.clue
        clue.case_number, clue.case_url = case.number, case.get_absolute_url()[:200]
        on_time = case.approved_at.date() <= clue.filing_due
        detail = {"disposal": Disposal.CASE, "on_time": on_time, "filing_due": str(clue.filing_due)}
        m.events = [
            (
                ClueAction.FILE_CASE,
                ClueState.FED_BACK,
                ClueState.CLOSED,
                case.approved_by,
                case.approved_at,
                f"立案：{case.number}",
                detail,
            )
        ]
    rows_update([m.clue for m in proposed], ["case_number", "case_url"])
    events_write(proposed)
