"""A year of the clue loop (线索闭环): each lead routed by the duty list, checked and fed back within its clock
(most on time, some late and marked overdue), disposed of and closed — or, for the clues the unit
proposes to file, left fed back for the bureau's head to approve the case (``cases.py`` files them).

Every clue carries what its state requires, computed as the clue services compute it: its number from
the bureau's register, the unit and the duty-list row that decided, the feedback deadline (7 working days
from assignment, the bureau's own basis), the filing decision's deadline (程序规定 art. 18, from discovery)
and the disposal's, capped by it; the check result, the disposal and their times; the history of steps.
Nothing is left open: the loop's running work stays the clue demo's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F

from wangjian.bulletins.demo_history import texts
from wangjian.bulletins.demo_history.numbering import numbers_attach, numbers_issue
from wangjian.bulletins.demo_history.rows import rows_update
from wangjian.bulletins.demo_history.shape import Context, Lead
from wangjian.clues import clocks
from wangjian.clues.choices import Action, CheckResult, ClueState, Disposal
from wangjian.clues.models import Clue, ClueEvent, ClueSource
from wangjian.clues.services.filing import CLOCK as FILING_CLOCK
from wangjian.clues.services.filing import cap_basis
from wangjian.core.models import bulk_create_audited
from wangjian.org.choices import Domain
from wangjian.org.services import responsible_for
from wangjian.platform.intake.choices import SourceKind

S = ClueState
RESULTS = {CheckResult.TRUE: 62, CheckResult.PARTLY: 20, CheckResult.FALSE: 11, CheckResult.UNVERIFIABLE: 7}
DISPOSALS = {
    Disposal.CASE: 26,
    Disposal.RECTIFY: 42,
    Disposal.GUIDANCE: 18,
    Disposal.REFER: 5,
    Disposal.NO_ACTION: 7,
}
CHECKS = {
    CheckResult.TRUE: texts.CHECK_TRUE,
    CheckResult.PARTLY: texts.CHECK_PARTLY,
    CheckResult.FALSE: texts.CHECK_FALSE,
    CheckResult.UNVERIFIABLE: texts.CHECK_UNVERIFIABLE,
}


@dataclass
class Made:
    """A clue of the history and what comes after it: the case its unit proposed (approved in ``cases.py``)."""

    lead: Lead
    clue: Clue
    officer: object  # the unit's officer who checked it
    events: list[tuple] = field(default_factory=list)  # (action, from, to, actor, at, comment, detail)
    drafted_at: dt.datetime | None = None  # the 立案审批表, when the unit proposes a case
    approved_at: dt.datetime | None = None


class Loop:
    """The clue loop of the history: routes, deadlines and the on-time share of each bureau's month."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.routes: dict[tuple, object] = {}
        self.rates: dict[tuple, float] = {}

    def route(self, lead: Lead):
        key = (lead.bureau.pk, lead.domain, lead.party.region)
        if key not in self.routes:
            self.routes[key] = responsible_for(lead.bureau, lead.domain, lead.party.region or None)
        return self.routes[key]

    def on_time_rate(self, lead: Lead, day: dt.date) -> float:
        """Most units feed back within the 7 working days; fewer in the promotions' busy months."""
        key = (lead.bureau.pk, day.year, day.month)
        if key not in self.rates:
            base = 0.86 * (0.88 if day.month in (6, 11, 12) else 1.0)
            self.rates[key] = min(0.98, max(0.62, base + self.ctx.rng.uniform(-0.08, 0.08)))
        return self.rates[key]

    def make(self, lead: Lead) -> Made | None:
        """The clue of ``lead`` through its loop, or None when it could not be closed before today."""
        ctx, rng = self.ctx, self.ctx.rng
        r = self.route(lead)
        t0, d0 = lead.taken_at, lead.taken_at.date()
        room = ctx.working_between(d0, ctx.yesterday)
        if r.gap or r.unit is None or room < 2:
            return None
        bureau = lead.bureau
        fb_due, fb_basis, fb_provisional = ctx.deadline(bureau, clocks.FEEDBACK, d0, lead.source_kind)
        filing_due, filing_basis, filing_provisional = ctx.deadline(bureau, FILING_CLOCK, lead.found_on)
        result = ctx.pick(RESULTS)
        disposal = Disposal.NO_ACTION
        if result in (CheckResult.TRUE, CheckResult.PARTLY):
            disposal = ctx.pick(DISPOSALS)
            if disposal == Disposal.CASE and lead.domain not in texts.CASE:
                disposal = Disposal.RECTIFY
        in_time = ctx.working_between(d0, fb_due)
        if rng.random() < self.on_time_rate(lead, d0):
            k = rng.choice([n for n in (1, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7) if n <= in_time] or [1])
        else:
            k = in_time + rng.choice((1, 1, 2, 3, 4))
        j = 2 if disposal == Disposal.CASE else rng.choice((0, 1, 1, 2, 3, 4, 6))
        if k + max(j, 1) > room:  # a clue of the last days: fed back and closed quickly
            k, j = max(1, min(k, room - 1)), 1
            if disposal == Disposal.CASE and k + 2 > room:
                disposal = Disposal.RECTIFY
        fb_day = ctx.wd(d0, k)
        officer = ctx.unit_user(r.unit)
        accepted = max(t0 + dt.timedelta(minutes=rng.randrange(20, 120)), ctx.at(d0, 9))
        if accepted.hour >= 17:
            accepted = ctx.at(ctx.wd(d0, 1), 9)
        fed_back = max(
            ctx.at(fb_day, rng.choice((9, 10, 11, 14, 15, 16))), accepted + dt.timedelta(minutes=30)
        )
        on_time = fb_day <= fb_due
        dis_due, dis_basis, dis_provisional = ctx.deadline(bureau, clocks.DISPOSAL, fb_day, lead.source_kind)
        clue = Clue(
            bureau=bureau,
            title=(lead.title or f"{lead.party.name}：{Domain(lead.domain).label}")[:200],
            source_kind=lead.source_kind,
            source_ref=lead.source_ref,
            domain=lead.domain,
            entity=lead.party.entity,
            presence=lead.party.presence,
            entity_name=lead.party.name,
            entity_uscc=lead.party.uscc,
            presence_label=lead.party.label[:500],
            region_code=lead.party.region,
            facts=lead.facts,
            finder=lead.finder,
            found_on=lead.found_on,
            state=S.CLOSED,
            department=r.department,
            station=r.station,
            duty_rule=r.rule,
            territory_code=r.territory_code or "",
            routing_reason=r.reason_zh,
            assigned_at=t0,
            feedback_due=fb_due,
            feedback_basis=fb_basis,
            feedback_provisional=fb_provisional,
            feedback_overdue=not on_time,
            filing_due=filing_due,
            filing_basis=filing_basis,
            filing_provisional=filing_provisional,
            check_result=result,
            check_actions=rng.choice(CHECKS[result]),
            fed_back_at=fed_back,
        )
        clue.disposal_due, clue.disposal_basis, clue.disposal_provisional = (
            dis_due,
            dis_basis,
            dis_provisional,
        )
        if dis_due > filing_due:  # the disposal may not pass the filing decision (clues.services.filing)
            clue.disposal_due = filing_due
            clue.disposal_basis = f"{dis_basis}【受限】不得晚于 {filing_due}：{{cap}}"
        made = Made(lead, clue, officer)
        self._history(made, accepted, on_time)
        self._dispose(made, disposal, fb_day, j)
        return made

    def _history(self, made: Made, accepted: dt.datetime, on_time: bool) -> None:
        lead, clue, officer = made.lead, made.clue, made.officer
        ev = made.events
        ev.append((Action.ADD_SOURCE, "", S.PENDING, lead.finder, lead.taken_at, _source_text(lead), {}))
        detail = {
            "unit": str(clue.station or clue.department),
            "rule": clue.duty_rule_id,
            "due": str(clue.feedback_due),
        }
        ev.append((Action.ROUTE, S.PENDING, S.ASSIGNED, None, lead.taken_at, clue.routing_reason, detail))
        ev.append((Action.ACCEPT, S.ASSIGNED, S.CHECKING, officer, accepted, "", {}))
        if not on_time:
            late = self.ctx.at(clue.feedback_due + dt.timedelta(days=1), 0, 5)
            ev.append(
                (
                    Action.OVERDUE,
                    S.CHECKING,
                    S.CHECKING,
                    None,
                    late,
                    f"反馈核查情况期限 {clue.feedback_due} 已过",
                    {},
                )
            )
        detail = {"result": clue.check_result, "on_time": on_time}
        ev.append(
            (Action.FEEDBACK, S.CHECKING, S.FED_BACK, officer, clue.fed_back_at, clue.check_actions, detail)
        )

    def _dispose(self, made: Made, disposal: str, fb_day: dt.date, j: int) -> None:
        ctx, clue, officer = self.ctx, made.clue, made.officer
        limit = min(clue.disposal_due, ctx.yesterday)
        if disposal == Disposal.CASE:
            drafted = ctx.wd(fb_day, 1)
            approved = min(ctx.wd(drafted, ctx.rng.choice((1, 1, 2))), limit)
            made.drafted_at = max(ctx.at(drafted, 9), clue.fed_back_at + dt.timedelta(minutes=30))
            made.approved_at = max(ctx.at(approved, 15), made.drafted_at + dt.timedelta(hours=5))
            clue.disposal, clue.closed_at = Disposal.CASE, made.approved_at  # the case app closes it so
            return
        close_day = min(ctx.wd(fb_day, j) if j else fb_day, limit)
        closed = max(
            ctx.at(close_day, ctx.rng.choice((10, 11, 15, 16))), clue.fed_back_at + dt.timedelta(minutes=40)
        )
        note = _note(ctx, clue, disposal)
        clue.disposal, clue.disposal_note, clue.closed_at = disposal, note, closed
        state = S.FED_BACK
        if disposal != Disposal.NO_ACTION:
            start = clue.fed_back_at + dt.timedelta(minutes=15)
            made.events.append((Action.START_DISPOSAL, S.FED_BACK, S.DISPOSING, officer, start, "", {}))
            state = S.DISPOSING
        detail = {"disposal": disposal, "on_time": closed.date() <= clue.disposal_due}
        made.events.append((Action.CLOSE, state, S.CLOSED, officer, closed, note, detail))


def _source_text(lead: Lead) -> str:
    return f"{SourceKind(lead.source_kind).label}：{lead.source_ref}"


def _note(ctx: Context, clue: Clue, disposal: str) -> str:
    if disposal == Disposal.NO_ACTION:
        if clue.check_result == CheckResult.FALSE:
            return texts.NO_ACTION_FALSE
        if clue.check_result == CheckResult.UNVERIFIABLE:
            return texts.NO_ACTION_UNVERIFIABLE
        return texts.NO_ACTION_MINOR
    if disposal == Disposal.REFER:
        police = [r for r in texts.REFER if r[0] == "police"]
        kind, target, note = police[0] if clue.domain == "trademark_ip" else ctx.rng.choice(texts.REFER[:2])
        clue.refer_kind, clue.refer_target = kind, target
        return note
    return ctx.rng.choice(texts.RECTIFY if disposal == Disposal.RECTIFY else texts.GUIDANCE)


def build(ctx: Context, leads: list[Lead]) -> list[Made]:
    """The clues of ``leads`` through the loop, numbered in the order they came in and written in bulk."""
    loop = Loop(ctx)
    made = sorted(filter(None, (loop.make(lead) for lead in leads)), key=lambda m: m.lead.taken_at)
    issued = _number(ctx, made)
    clues = bulk_create_audited([m.clue for m in made])
    Clue.objects.filter(pk__in=[c.pk for c in clues]).update(created=F("assigned_at"))
    numbers_attach(issued)
    ClueSource.objects.bulk_create(
        [
            ClueSource(
                clue=m.clue,
                kind=m.lead.source_kind,
                ref=m.lead.source_ref,
                facts=m.lead.facts,
                finder=m.lead.finder,
                received_at=m.lead.taken_at,
            )
            for m in made
        ],
        batch_size=1000,
    )
    events_write(made)
    findings = [m.lead.finding for m in made if m.lead.finding is not None]
    for m in made:
        if m.lead.finding is not None:
            m.lead.finding.clue_number = m.clue.number
    rows_update(findings, ["clue_number"])
    return made


def _number(ctx: Context, made: list[Made]) -> list[tuple]:
    """Numbers from each bureau's register, as the clues came in (``clue_intake`` numbers on intake)."""
    issued = numbers_issue("clue", [(m.clue.bureau, m.lead.taken_at, m.clue) for m in made], ctx.registrar)
    for number, clue in issued:
        clue.number, clue.year, clue.seq = number.number, number.year, number.seq
        clue.disposal_basis = clue.disposal_basis.replace("{cap}", cap_basis(clue))
    return issued


def events_write(made: list[Made]) -> None:
    """Each clue's steps (``ClueEvent``), as ``clues.services.transitions._record`` writes them."""
    rows = []
    for m in made:
        for action, before, after, actor, at, comment, detail in m.events:
            rows.append(
                ClueEvent(
                    clue=m.clue,
                    action=action,
                    from_state=before,
                    to_state=after,
                    actor=actor,
                    actor_name=(actor.name or actor.username) if actor else "系统",
                    at=at,
                    comment=comment,
                    detail=detail,
                )
            )
        m.events = []
    ClueEvent.objects.bulk_create(rows, batch_size=1000)
