"""The steps of a complaint or report after registration, each checked by the transition table.

- 受理 / 不予受理 within 7 working days of receipt (art. 14; the grounds of art. 15 with their words), the
  complainant told; acceptance starts the 45 working days of mediation (art. 21 (5)).
- 调解 records (in person, by phone, online, entrusted to the 消协 or a 消费维权服务站); ODR: handed to the
  platform's own dispute handling and its outcome tracked; 首问负责 and 赔偿先付 recorded where undertaken.
- 调解协议 or 终止调解 on the grounds of art. 21, both sides told within 7 working days of the decision.
- A 举报 is verified and becomes a clue through the intake port (its own receipt date kept; the reporter's
  identity not passed on), or is closed as unfounded; a record that is both is split.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.complaints.choices import Action, Kind, MediationEnd, MediationMethod, RefusalGround, State
from wangjian.complaints.models import Complaint, ComplaintEvent, Mediation
from wangjian.complaints.permissions import COMPLAINT_ACT
from wangjian.complaints.services.clocks import ACCEPTANCE, END_NOTICE, MEDIATION, clock_end, clock_open
from wangjian.complaints.services.transitions import TRANSITIONS, record, transition_check
from wangjian.core.audit import acting
from wangjian.core.errors import ValidationFailed
from wangjian.org import permissions
from wangjian.org.models import User
from wangjian.platform.intake.port import Lead, LeadReceipt, Reporter, lead_submit

ACTIONS = frozenset(TRANSITIONS)


def _text(values: dict[str, Any], name: str) -> str:
    value = values.get(name) or ""
    return value.strip() if isinstance(value, str) else str(value)


def _need(text: str, zh: str, en: str) -> str:
    if not text:
        raise ValidationFailed(zh, en)
    return text


def _day(values: dict[str, Any], name: str, today: dt.date) -> dt.date:
    day = values.get(name) or today
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day)
        except ValueError:
            raise ValidationFailed(f"日期格式有误：{day}", f"Not a date: {day}") from None
    if day > today:
        raise ValidationFailed("日期不能晚于今天", "The date cannot be in the future")
    return day


def _move(
    c: Complaint,
    action: str,
    user: User,
    comment: str,
    now: dt.datetime,
    target: str | None = None,
    **detail: Any,
) -> ComplaintEvent:
    from_state = c.state
    c.state = target or TRANSITIONS[action].target or c.state
    c.save()
    return record(c, action, user, from_state=from_state, comment=comment, detail=detail, now=now)


def complaint_act(
    *, complaint: Complaint, user: User, action: str, values: dict[str, Any], now: dt.datetime | None = None
) -> str:
    """Take ``action`` with the step's checked ``values``; returns what happened, in Chinese."""
    permissions.require(user, COMPLAINT_ACT)
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    transition_check(user=user, complaint=complaint, action=action)
    c = complaint
    with transaction.atomic(), acting(user, via="complaints"):
        if action == Action.ACCEPT:
            c.accepted_on = _day(values, "accepted_on", today)
            if c.accepted_on < c.received_on:
                raise ValidationFailed("受理日期不能早于收到日期", "Acceptance cannot precede receipt")
            late = c.accept_due and c.accepted_on > c.accept_due
            clock_end(c, ACCEPTANCE, user, "受理", now)
            c.handler = c.handler or user
            item = clock_open(c, MEDIATION, c.accepted_on, now)
            c.mediation_due, c.mediation_basis = item.due, item.due_basis
            _move(c, action, user, f"受理，调解期限 {item.due}" + ("（超过受理期限）" if late else ""), now)
            return f"已受理，{item.due} 前调解终结"
        if action == Action.REFUSE:
            ground = values.get("ground") or ""
            if ground not in RefusalGround.values:
                raise ValidationFailed(
                    "请选择不予受理的情形（第十五条）", "Choose the ground of refusal (art. 15)"
                )
            c.refusal_ground, c.refusal_note = ground, _text(values, "note")
            c.ended_on = today
            clock_end(c, ACCEPTANCE, user, "不予受理", now)
            _move(c, action, user, f"不予受理：{RefusalGround(ground).label}。{c.refusal_note}", now)
            return "已决定不予受理，请告知投诉人并说明理由"
        if action == Action.TRANSFER:
            c.transfer_target = _need(_text(values, "target"), "请填写接收机关", "Name the receiving bureau")[
                :200
            ]
            reason = _need(_text(values, "reason"), "请说明移送理由", "Give the reason")
            c.ended_on = today
            clock_end(c, ACCEPTANCE, user, "移送", now, cancelled=True)
            _move(c, action, user, f"移送{c.transfer_target}：{reason}", now)
            return f"已移送{c.transfer_target}，请告知投诉人/举报人"
        if action == Action.MEDIATE:
            method = values.get("method") or ""
            if method not in MediationMethod.values:
                raise ValidationFailed("请选择调解方式", "Choose how the mediation was held")
            entrusted = _text(values, "entrusted_to")
            if method in (MediationMethod.ENTRUSTED, MediationMethod.STATION) and not entrusted:
                raise ValidationFailed("委托调解须写明受委托的组织", "Name the organisation entrusted")
            held_on = _day(values, "held_on", today)
            Mediation.objects.create(
                complaint=c,
                held_on=held_on,
                method=method,
                entrusted_to=entrusted[:200],
                record=_need(_text(values, "record"), "请填写调解情况", "Record what happened"),
                recorded_by=user,
                recorded_at=now,
            )
            _undertakings(c, values)
            c.handler = c.handler or user
            _move(
                c, action, user, f"{held_on} {MediationMethod(method).label}：{_text(values, 'record')}", now
            )
            return "已记录调解"
        if action == Action.ODR:
            c.odr_platform = _need(_text(values, "platform"), "请填写平台名称", "Name the platform")[:100]
            _move(c, action, user, f"经投诉人同意，交{c.odr_platform}在线纠纷解决机制处理", now)
            return f"已交{c.odr_platform}处理，请跟踪结果"
        if action == Action.ODR_RESULT:
            c.odr_outcome = _need(
                _text(values, "outcome"), "请填写平台处理结果", "Record the platform's outcome"
            )
            solved = values.get("solved") in (True, "true", "1", "on", "yes")
            _undertakings(c, values)
            if solved:
                c.agreement, c.ended_on = c.odr_outcome, today
                c.recovered = _amount(values.get("recovered"))
                clock_end(c, MEDIATION, user, "平台处理解决", now)
                _move(c, action, user, f"平台处理解决：{c.odr_outcome}", now, target=State.RESOLVED)
                return "平台已解决，投诉办结"
            _move(c, action, user, f"平台未能解决：{c.odr_outcome}；继续调解", now, target=State.ACCEPTED)
            return "平台未能解决，继续调解"
        if action == Action.RESOLVE:
            c.agreement = _need(_text(values, "agreement"), "请填写调解协议内容", "Record the agreement")
            c.recovered = _amount(values.get("recovered"))
            c.ended_on = today
            _undertakings(c, values)
            clock_end(c, MEDIATION, user, "达成调解协议", now)
            _move(c, action, user, f"达成调解协议：{c.agreement}", now)
            return "已达成调解协议"
        if action == Action.END:
            ground = values.get("ground") or ""
            if ground not in MediationEnd.values:
                raise ValidationFailed(
                    "请选择终止调解的情形（第二十一条）", "Choose the ground of ending (art. 21)"
                )
            if ground == MediationEnd.TIMEOUT and c.mediation_due and today <= c.mediation_due:
                raise ValidationFailed(
                    f"四十五个工作日的调解期限至 {c.mediation_due} 届满，尚未超过",
                    f"The 45 working days run until {c.mediation_due}",
                )
            c.end_ground, c.ended_on = ground, today
            clock_end(c, MEDIATION, user, f"终止调解：{MediationEnd(ground).label}", now)
            item = clock_open(c, END_NOTICE, today, now)
            c.notify_due = item.due
            _move(
                c,
                action,
                user,
                f"终止调解：{MediationEnd(ground).label}；{item.due} 前告知投诉人和被投诉人",
                now,
            )
            return f"已终止调解，{item.due} 前告知双方"
        if action == Action.WITHDRAW:
            c.ended_on = today
            for clock in (ACCEPTANCE, MEDIATION):
                clock_end(c, clock, user, "投诉人撤回", now, cancelled=True)
            _move(c, action, user, _text(values, "note") or "投诉人撤回投诉", now)
            return "投诉人已撤回"
        if action == Action.NOTIFY:
            c.notified_on = _day(values, "notified_on", today)
            clock_end(c, END_NOTICE, user, f"{c.notified_on} 告知", now)
            late = c.notify_due and c.notified_on > c.notify_due
            _move(
                c,
                action,
                user,
                f"{c.notified_on} 告知：{_text(values, 'how') or '已告知'}"
                + ("（超过告知期限）" if late else ""),
                now,
            )
            return "已登记告知"
        if action == Action.TO_CLUE:
            receipt = _to_clue(c, user, now)
            c.ended_on = today  # handed on: the clue loop's from here (personal data kept while it is open)
            _move(
                c, action, user, f"转为线索 {receipt.number}（{receipt.reason_zh}）", now, clue=receipt.number
            )
            return f"已转为线索 {receipt.number}"
        if action == Action.CLOSE:
            c.ended_on = today
            _move(c, action, user, _need(_text(values, "note"), "请填写核查结论", "Record the finding"), now)
            return "已办结" + ("，请告知举报人" if not c.anonymous else "")
        if action == Action.SPLIT:
            other = _split(c, user, now)
            record(
                c,
                action,
                user,
                from_state=c.state,
                comment=f"拆分出{other.get_kind_display()} {other.number}",
                now=now,
            )
            return f"已拆分出{other.get_kind_display()} {other.number}"
    raise ValidationFailed(f"“{Action(action).label}”不在此办理", f"'{action}' is not taken here")


def _amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except ArithmeticError:
        raise ValidationFailed("金额应为数字（元）", "An amount must be a number of yuan") from None
    if amount < 0:
        raise ValidationFailed("金额不能为负", "An amount cannot be negative")
    return amount


def _undertakings(c: Complaint, values: dict[str, Any]) -> None:
    """首问负责 and 赔偿先付 where a business or platform undertook them (the seeds: 旌德, 天津)."""
    yes = (True, "true", "1", "on", "yes")
    if values.get("first_responsibility") in yes:
        c.first_responsibility = True
    if values.get("advance_compensation") in yes:
        c.advance_compensation = True
    note = _text(values, "undertaking_note")
    if note:
        c.undertaking_note = note[:200]


def _to_clue(c: Complaint, user: User, now: dt.datetime) -> LeadReceipt:
    """The report as a lead: its own receipt date; a named reporter as the source's reporter (never in the facts)."""
    lead = Lead(
        bureau=c.bureau.code,
        source_kind="complaint",
        source_ref=c.number,
        domain=c.domain or "consumer_rights",
        facts=c.summary,
        received=c.received_on,
        title=f"举报：{c.respondent_name}"[:100],
        entity_uscc=c.respondent_uscc,
        entity_name=c.respondent_name,
        presence_label=c.presence_label,
        platform=c.platform_name,
        region=c.respondent_region,
        finder=getattr(user, "username", ""),
        found_on=c.received_on,
        # a named reporter is told the filing decision within 5 working days (art. 31): the clue loop owes it,
        # keeping the name and contact as personal data of its source (masked, every view logged)
        reporter=None if c.anonymous or not c.person_name else Reporter(c.person_name, c.person_phone),
    )
    receipt = lead_submit(lead, now=now)
    from wangjian.clues.models import Clue

    c.clue = Clue.objects.filter(bureau=c.bureau, number=receipt.number).first()
    return receipt


def _split(c: Complaint, user: User, now: dt.datetime) -> Complaint:
    """A record that is both a dispute and a report: the other kind as its own record, same receipt date."""
    from wangjian.complaints.services.intake import complaint_register

    other_kind = Kind.REPORT if c.kind == Kind.COMPLAINT else Kind.COMPLAINT
    values = {
        f.name: getattr(c, f.name)
        for f in Complaint._meta.concrete_fields
        if f.name
        in (
            "channel",
            "received_on",
            "person_name",
            "person_phone",
            "person_address",
            "person_id_number",
            "respondent_name",
            "respondent_uscc",
            "respondent_kind",
            "respondent_region",
            "platform_name",
            "platform_region",
            "presence_label",
            "domain",
            "category",
            "summary",
            "demand",
            "amount",
        )
    }
    values["kind"] = other_kind
    other = complaint_register(user=user, bureau=c.bureau, values=values, now=now, check_permission=False)
    other.split_from = c
    other.save(update_fields=["split_from"])
    return other
