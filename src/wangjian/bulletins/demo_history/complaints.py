"""A year of complaints and reports (投诉举报) of each bureau: received (mostly from 12315), registered by the
office, routed as ``complaints.services.intake`` routes them (a complaint to the station of the business's
place, a report to the unit of its field), and ended as the 暂行办法 ends them — mediated, withdrawn,
refused, transferred, mediation ended and both sides told — or, for a report, verified and closed or
turned into a clue (the clue loop's from there, ``clues.py``).

Each record carries what its state requires: its 登记编号, its receipt date and handling unit, the
jurisdiction's ground, the acceptance and mediation deadlines with their bases, the dates and the
outcome; the mediation held; the history of steps. None is left open: the running ones are the
complaints demo's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from wangjian.bulletins.demo_history import texts
from wangjian.bulletins.demo_history.clues import Made
from wangjian.bulletins.demo_history.numbering import numbers_attach, numbers_issue
from wangjian.bulletins.demo_history.rows import rows_update
from wangjian.bulletins.demo_history.shape import Context, Lead, Month, Party
from wangjian.complaints.choices import (
    ENDED_STATES,
    Action,
    Channel,
    Kind,
    MediationEnd,
    MediationMethod,
    RefusalGround,
    RespondentKind,
    State,
)
from wangjian.complaints.models import Complaint, ComplaintEvent, Mediation
from wangjian.complaints.services.clocks import ACCEPTANCE, END_NOTICE, MEDIATION
from wangjian.complaints.services.intake import jurisdiction_set, route
from wangjian.core.models import bulk_create_audited
from wangjian.org.models import Bureau
from wangjian.platform.intake.choices import SourceKind

BASE = {"341825": (26, 6), "341824": (13, 4)}  # (complaints, reports) in an ordinary month, by bureau code
EXTRA = {3: 1.15, 11: 1.1, 12: 1.15}  # 3·15, and the disputes after 双十一
CHANNELS = {Channel.PLATFORM_12315: 80, Channel.PHONE: 14, Channel.OTHER: 6}
OUTCOMES = {"resolved": 52, "odr": 5, "withdrawn": 13, "refused": 10, "ended": 12, "transferred": 3}


@dataclass
class Record:
    complaint: Complaint
    party: Party
    registered: dt.datetime
    steps: list[tuple] = field(default_factory=list)  # (action, from, to, actor, at, comment)
    mediation: tuple | None = None  # (held_on, method, entrusted_to, record, by)
    to_clue: dt.datetime | None = None


class Desk:
    """Each bureau's 12315 desk of the history: places and routes worked out once per business's place."""

    def __init__(self, ctx: Context, bureau: Bureau, parties: list[Party]):
        self.ctx, self.bureau, self.parties = ctx, bureau, parties
        self.registrar = ctx.registrar(bureau)
        self.places: dict[tuple, tuple] = {}
        self.serial = 0

    def new(self, kind: str, month: Month) -> Record | None:
        ctx, rng = self.ctx, self.ctx.rng
        received = rng.choice(ctx.days(month))
        day = ctx.workday_from(received)
        if ctx.working_between(day, ctx.yesterday) < 3:
            return None  # received in the last days: still open, as the complaints demo's are
        party = rng.choice(self.parties)
        person, phone, address = ctx.person(self.bureau)
        channel = ctx.pick(CHANNELS)
        self.serial += 1
        c = Complaint(
            bureau=self.bureau,
            kind=kind,
            channel=channel,
            source_number=f"{self.bureau.code}{received:%y%m}{self.serial:05d}"
            if channel == Channel.PLATFORM_12315
            else "",
            received_on=received,
            respondent_name=party.name,
            respondent_uscc=party.uscc,
            respondent_region=party.region,
            platform_name=party.platform,
            presence_label=party.label[:500],
            entity=party.entity,
            presence=party.presence,
        )
        if party.presence_kind == "website":
            c.respondent_kind = RespondentKind.WEBSITE
        if kind == Kind.COMPLAINT:
            category, summary, demand, (low, high), domain = rng.choice(texts.COMPLAINTS)
            c.person_name, c.person_phone, c.person_address = person, phone, address
            c.demand, c.amount = demand, ctx.money(low, high, 10)
        else:
            category, summary, domain = rng.choice(texts.REPORTS)
            c.state, c.anonymous = State.VERIFYING, True
        c.category, c.summary, c.domain = category, summary, domain
        self._place(c)
        return Record(c, party, ctx.at(day, rng.choice((9, 10, 11))))

    def _place(self, c: Complaint) -> None:
        """Jurisdiction and routing (``jurisdiction_set``, ``route``), once per kind, place and field."""
        key = (c.kind, c.respondent_kind, c.respondent_region, c.platform_region, c.domain)
        if key not in self.places:
            jurisdiction_set(c)
            basis = route(c)
            self.places[key] = (c.jurisdiction, c.jurisdiction_basis, c.station, c.department, basis)
        c.jurisdiction, c.jurisdiction_basis, c.station, c.department, c.routing_basis = self.places[key]

    # ------------------------------------------------------------ from receipt to the end

    def later(self, day: dt.date, n: int) -> dt.date:
        """``n`` working days after ``day``, but never today or later (the history ends yesterday)."""
        return self.ctx.wd(day, min(n, self.ctx.working_between(day, self.ctx.yesterday)))

    def step(
        self, r: Record, action: str, before: str, after: str, actor, day: dt.date, comment: str
    ) -> None:
        last = r.steps[-1][4] if r.steps else r.registered
        at = max(
            self.ctx.at(day, self.ctx.rng.choice((9, 10, 11, 14, 15, 16))), last + dt.timedelta(minutes=10)
        )
        r.steps.append((action, before, after, actor, at, comment))
        if after != before and after in ENDED_STATES:
            r.complaint.ended_on = at.date()
        r.complaint.state = after

    def play(self, r: Record) -> None:
        c = r.complaint
        first = State.VERIFYING if c.kind == Kind.REPORT else State.RECEIVED
        basis = f"登记（{Channel(c.channel).label}）；{c.routing_basis}"
        r.steps.append((Action.REGISTER, "", first, self.registrar, r.registered, basis))
        if c.kind == Kind.REPORT:
            self._report(r)
        else:
            self._complaint(r)

    def _report(self, r: Record) -> None:
        ctx, c = self.ctx, r.complaint
        reg = r.registered.date()
        c.handler = ctx.unit_user(c.station or c.department)
        if ctx.rng.random() < 0.45 and ctx.working_between(reg, ctx.yesterday) >= 6:
            day = self.later(reg, ctx.rng.randrange(1, 4))
            r.to_clue = max(ctx.at(day, ctx.rng.choice((10, 11, 15))), r.registered + dt.timedelta(hours=1))
            c.state, c.ended_on = State.CLUE, day  # the step is written with the clue's number (``link``)
            return
        day = self.later(reg, ctx.rng.randrange(2, 11))
        self.step(
            r,
            Action.CLOSE,
            State.VERIFYING,
            State.CLOSED,
            c.handler,
            day,
            ctx.rng.choice(texts.REPORT_CLOSED),
        )

    def _complaint(self, r: Record) -> None:
        ctx, rng, c = self.ctx, self.ctx.rng, r.complaint
        reg = r.registered.date()
        c.accept_due, c.accept_basis, _p = ctx.deadline(self.bureau, ACCEPTANCE, c.received_on)
        outcome = ctx.pick(OUTCOMES)
        if outcome == "refused":
            ground, note = rng.choice(texts.REFUSED)
            c.refusal_ground, c.refusal_note = ground, note
            text = f"不予受理：{RefusalGround(ground).label}。{note}"
            self.step(
                r,
                Action.REFUSE,
                State.RECEIVED,
                State.REFUSED,
                self.registrar,
                self.later(reg, rng.randrange(1, 4)),
                text,
            )
            return
        if outcome == "transferred":
            c.transfer_target, reason = texts.TRANSFER
            day = self.later(reg, rng.randrange(1, 3))
            self.step(
                r,
                Action.TRANSFER,
                State.RECEIVED,
                State.TRANSFERRED,
                self.registrar,
                day,
                f"移送{c.transfer_target}：{reason}",
            )
            return
        handler = c.handler = ctx.unit_user(c.station or c.department)
        accepted = c.accepted_on = self.later(
            reg, min(rng.choice((0, 1, 1, 2, 3)), max(0, ctx.working_between(reg, ctx.yesterday) - 2))
        )
        c.mediation_due, c.mediation_basis, _p = ctx.deadline(self.bureau, MEDIATION, accepted)
        self.step(
            r,
            Action.ACCEPT,
            State.RECEIVED,
            State.ACCEPTED,
            handler,
            accepted,
            f"受理，调解期限 {c.mediation_due}",
        )
        if outcome == "withdrawn":
            day = self.later(accepted, rng.randrange(1, 11))
            self.step(
                r, Action.WITHDRAW, State.ACCEPTED, State.WITHDRAWN, handler, day, rng.choice(texts.WITHDRAWN)
            )
        elif outcome == "odr":
            c.odr_platform, c.odr_outcome = c.platform_name or texts.ODR[0], texts.ODR[1]
            odr = self.later(accepted, rng.choice((0, 1)))
            self.step(
                r,
                Action.ODR,
                State.ACCEPTED,
                State.ODR,
                handler,
                odr,
                f"经投诉人同意，交{c.odr_platform}在线纠纷解决机制处理",
            )
            c.agreement, c.recovered = c.odr_outcome, c.amount
            day = self.later(odr, rng.randrange(2, 9))
            self.step(
                r,
                Action.ODR_RESULT,
                State.ODR,
                State.RESOLVED,
                handler,
                day,
                f"平台处理解决：{c.odr_outcome}",
            )
        elif outcome == "ended":
            held = self._mediate(r, accepted, texts.MEDIATION_FAILED)
            c.end_ground = rng.choice((MediationEnd.NO_AGREEMENT, MediationEnd.ABSENT))
            ended = self.later(held, rng.randrange(1, 9))
            c.notify_due = ctx.deadline(self.bureau, END_NOTICE, ended)[0]
            text = f"终止调解：{MediationEnd(c.end_ground).label}；{c.notify_due} 前告知投诉人和被投诉人"
            self.step(r, Action.END, State.ACCEPTED, State.ENDED, handler, ended, text)
            c.notified_on = min(self.later(ended, rng.randrange(1, 4)), c.notify_due)
            self.step(
                r,
                Action.NOTIFY,
                State.ENDED,
                State.ENDED,
                handler,
                c.notified_on,
                f"{c.notified_on} 告知：电话告知双方",
            )
        else:
            held = self._mediate(r, accepted, "")
            times = rng.choice((1, 1, 1, 2, 4))  # 退一赔三 where the law gives it (消费者权益保护法 art. 55)
            c.recovered = c.amount * times
            c.agreement = rng.choice(texts.AGREEMENT).format(extra=f"{c.amount * max(times - 1, 1):.0f}")
            if c.platform_name and rng.random() < 0.1:
                c.advance_compensation, c.undertaking_note = True, f"{c.platform_name}平台先行赔付"
            day = self.later(held, rng.randrange(0, 5))
            self.step(
                r,
                Action.RESOLVE,
                State.ACCEPTED,
                State.RESOLVED,
                handler,
                day,
                f"达成调解协议：{c.agreement}",
            )

    def _mediate(self, r: Record, accepted: dt.date, failed: str) -> dt.date:
        method, entrusted, record = self.ctx.rng.choice(texts.MEDIATION)
        held = self.later(accepted, self.ctx.rng.randrange(1, 9))
        text = f"{record}。{failed}" if failed else record
        r.mediation = (held, method, entrusted, text, r.complaint.handler)
        label = MediationMethod(method).label
        self.step(
            r,
            Action.MEDIATE,
            State.ACCEPTED,
            State.ACCEPTED,
            r.complaint.handler,
            held,
            f"{held} {label}：{text}",
        )
        return held


def build(ctx: Context, bureau: Bureau, parties: list[Party]) -> tuple[list[Record], list[Lead]]:
    """The bureau's complaints and reports of the year, numbered on registration and written in bulk;
    returns them and the clues its reports became."""
    desk = Desk(ctx, bureau, parties)
    complaints, reports = BASE.get(bureau.code, (10, 3))
    records = []
    for month in ctx.months:
        extra = EXTRA.get(month.start.month, 1.0)
        for kind, base in ((Kind.COMPLAINT, complaints * extra), (Kind.REPORT, reports)):
            for _n in range(ctx.count(base, month)):
                r = desk.new(kind, month)
                if r is not None:
                    desk.play(r)
                    records.append(r)
    records.sort(key=lambda r: r.registered)
    issued = numbers_issue(
        "complaint", [(bureau, r.registered, r.complaint) for r in records], lambda b: desk.registrar
    )
    for number, complaint in issued:
        complaint.number = number.number
    items = bulk_create_audited([r.complaint for r in records])
    for r in records:
        r.complaint.created = r.registered
    rows_update(items, ["created"])
    numbers_attach(issued)
    Mediation.objects.bulk_create(
        [
            Mediation(
                complaint=r.complaint,
                held_on=held,
                method=method,
                entrusted_to=entrusted,
                record=text,
                recorded_by=by,
                recorded_at=ctx.at(held, 16),
            )
            for r in records
            if r.mediation
            for held, method, entrusted, text, by in [r.mediation]
        ],
        batch_size=1000,
    )
    _events_write(records)
    leads = [
        Lead(
            bureau=bureau,
            source_kind=SourceKind.COMPLAINT,
            source_ref=r.complaint.number,
            domain=r.complaint.domain,
            facts=r.complaint.summary,
            party=r.party,
            found_on=r.complaint.received_on,
            taken_at=r.to_clue,
            finder=r.complaint.handler,
            title=f"举报：{r.complaint.respondent_name}"[:100],
            report=r,
        )
        for r in records
        if r.to_clue is not None
    ]
    return records, leads


def link(made: list[Made], leads: list[Lead]) -> None:
    """A report turned into a clue names it (``complaint.clue``) and says so in its history; one whose clue
    could not be made before today was closed on its verification instead."""
    clues = {id(m.lead): m.clue for m in made}
    changed = []
    for lead in leads:
        r, clue = lead.report, clues.get(id(lead))
        c = r.complaint
        r.steps = []
        if clue is None:
            c.state = State.CLOSED
            r.steps.append(
                (Action.CLOSE, State.VERIFYING, State.CLOSED, c.handler, r.to_clue, texts.REPORT_CLOSED[2])
            )
        else:
            c.clue = clue
            text = f"转为线索 {clue.number}（{clue.routing_reason}）"
            r.steps.append((Action.TO_CLUE, State.VERIFYING, State.CLUE, c.handler, r.to_clue, text))
        changed.append(c)
    rows_update(changed, ["clue", "state"])
    _events_write([lead.report for lead in leads])


def _events_write(records: list[Record]) -> None:
    """Each record's steps (``ComplaintEvent``), as ``complaints.services.transitions.record`` writes them."""
    ComplaintEvent.objects.bulk_create(
        [
            ComplaintEvent(
                complaint=r.complaint,
                action=action,
                from_state=before,
                to_state=after,
                actor=actor,
                actor_name=(actor.name or actor.username) if actor else "系统",
                at=at,
                comment=comment,
            )
            for r in records
            for action, before, after, actor, at, comment in r.steps
        ],
        batch_size=1000,
    )
