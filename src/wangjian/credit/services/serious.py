"""严重违法失信名单 (市场监督管理严重违法失信名单管理办法, 总局令第44号, 2021, in force): 告知 → 陈述申辩/听证 → 决定
→ 列入 → 移出.

- Art. 13: the listing is decided together with the penalty decision; notice (告知), hearing, service and
  objection run with the penalty procedure — the measures set no period of their own. The statement period
  here (``serious.statement``, 5 working days by default) is **the bureau's work rule**, not the measures'.
- A county or city bureau's decision needs the consent of the bureau one level up (as the provinces'
  implementing rules quote 44号令; a 2025 draft revision proposes to drop this — the official text decides).
- Art. 14: published through the 公示系统 within 20 working days of the decision (``serious.publication``).
- Art. 21: removed after three years listed. Art. 16: removed early after at least one year when the penalty
  is fulfilled, the harm removed and no further heavier (较重) penalty followed — through credit repair
  (``services.repair``; art. 17: accepted or not within 2 working days, decided within 15 working days of
  acceptance; art. 18: display stopped within 3 working days). Removed when the decision it rests on falls.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.core.audit import acting
from wangjian.core.clocks import add_months
from wangjian.core.errors import ValidationFailed
from wangjian.credit import clocks
from wangjian.credit.choices import SeriousAction, SeriousRemoval, SeriousState
from wangjian.credit.models import SeriousListing
from wangjian.credit.services import common
from wangjian.credit.services.transitions import (
    SERIOUS,
    TRANSITIONS,
    record_event,
    require_worker,
    transition_check,
)
from wangjian.org.choices import BureauLevel
from wangjian.org.models import Bureau, User
from wangjian.platform.numbering.services import number_issue
from wangjian.registry.models import MarketEntity

S, SA = SeriousState, SeriousAction
LISTED_MONTHS = 36  # 44号令 art. 21: 列入满三年移出
REPAIR_AFTER_MONTHS = 12  # 44号令 art. 16, 信用修复管理办法 art. 7: 列入满一年


def serious_propose(
    *,
    bureau: Bureau,
    entity: MarketEntity,
    ground: str,
    user: User | None,
    penalty_number: str = "",
    proposed_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> SeriousListing:
    """Propose a listing from a heavier penalty decision (the falsification path is ``abnormal_act``)."""
    common.may_act(user)
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if entity.bureau_id != bureau.pk:
        raise ValidationFailed("该市场主体不属于本局", "The entity does not belong to this bureau")
    ground = common.need((ground or "").strip(), "请写明拟列入的事由和依据", "Give the facts and the grounds")
    require_worker(
        user=user,
        bureau_id=bureau.pk,
        what_zh="提请列入严重违法失信名单",
        what_en="propose a serious listing",
    )
    with transaction.atomic(), acting(user, via="credit"):
        serious = SeriousListing.objects.create(
            bureau=bureau,
            entity=entity,
            ground=ground,
            penalty_number=(penalty_number or "")[:60],
            proposed_on=common.day({"d": proposed_on}, "d", today),
        )
        record_event(serious, "propose", user, on=serious.proposed_on, from_state="", now=now, comment=ground)
    return serious


def _move(
    serious: SeriousListing, action: str, user: User | None, on: dt.date, comment: str, now: dt.datetime
) -> None:
    from_state = serious.state
    serious.state = TRANSITIONS[(SERIOUS, action)].target or serious.state
    serious.save()
    record_event(serious, action, user, on=on, from_state=from_state, comment=comment, now=now)


def consent_needed(bureau: Bureau) -> bool:
    """县级、设区的市级 bureaus report the decision to the bureau one level up for consent (44号令)."""
    return bureau.level in (BureauLevel.COUNTY, BureauLevel.CITY)


def serious_act(
    *,
    serious: SeriousListing,
    user: User | None,
    action: str,
    values: dict[str, Any],
    now: dt.datetime | None = None,
) -> str:
    """Take ``action`` on ``serious`` with the step's values; returns what happened, in Chinese."""
    common.may_act(user)
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    transition_check(user=user, record=SERIOUS, obj=serious, action=action)
    with transaction.atomic(), acting(user, via="credit"):
        if action == SA.NOTIFY:
            notified = common.day(values, "notified_on", today)
            common.not_before(
                notified,
                serious.proposed_on,
                "告知日期不能早于提请日期",
                "Notice cannot precede the proposal",
            )
            item = clocks.clock_open(serious, clocks.STATEMENT, notified, now, reference=serious.entity.uscc)
            serious.notified_on, serious.statement_due, serious.statement_basis = (
                notified,
                item.due,
                item.due_basis,
            )
            _move(
                serious,
                action,
                user,
                notified,
                f"告知书送达，{serious.statement_due} 前可陈述、申辩或者要求听证",
                now,
            )
            return f"已告知，陈述申辩期限至 {serious.statement_due}"
        if action == SA.STATEMENT:
            stated = common.day(values, "statement_on", today)
            common.not_before(
                stated,
                serious.notified_on,
                "陈述申辩日期不能早于告知日期",
                "The statement cannot precede the notice",
            )
            serious.statement_on, serious.statement = stated, common.text(values, "statement")
            serious.hearing_requested = common.flag(values, "hearing_requested")
            if values.get("hearing_on"):
                serious.hearing_on = common.day(values, "hearing_on", today)
            serious.hearing_report = common.text(values, "hearing_report")
            if not (serious.statement or serious.hearing_report):
                raise ValidationFailed("请记录陈述申辩意见或听证情况", "Record the statement or the hearing")
            if serious.hearing_requested and not serious.hearing_on:
                raise ValidationFailed(
                    "当事人要求听证的，请填写听证日期并记录听证情况", "Give the day of the hearing"
                )
            clocks.clock_end(
                serious, clocks.STATEMENT, user, "已陈述申辩" + ("并听证" if serious.hearing_on else ""), now
            )
            _move(
                serious,
                action,
                user,
                stated,
                "陈述申辩/听证：" + (serious.statement or serious.hearing_report)[:200],
                now,
            )
            return "已记录陈述申辩/听证"
        if action == SA.DECIDE:
            decided = common.day(values, "decided_on", today)
            if serious.state == S.NOTIFIED and serious.statement_due and decided <= serious.statement_due:
                raise ValidationFailed(
                    f"陈述申辩期限（{serious.statement_due}）届满前，当事人未放弃陈述申辩的，不得作出列入决定",
                    f"The decision waits until the statement period ends ({serious.statement_due})",
                )
            if consent_needed(serious.bureau):
                consent = values.get("superior_consent_on")
                if not consent:
                    raise ValidationFailed(
                        "县级、设区的市级市场监督管理部门作出列入决定，须报经上一级市场监督管理部门同意：请填写同意日期",
                        "A county or city bureau needs the consent of the bureau above: give its date",
                    )
                serious.superior_consent_on = common.day(values, "superior_consent_on", today)
                common.not_before(
                    decided,
                    serious.superior_consent_on,
                    "列入决定不能早于上级同意",
                    "The decision cannot precede the consent",
                )
            serious.decided_on = decided
            serious.decision_number = number_issue(
                bureau=serious.bureau, kind="serious_listing", subject=serious, user=user, now=now
            ).number
            clocks.clock_end(serious, clocks.STATEMENT, user, "期满未陈述申辩，作出列入决定", now)
            item = clocks.clock_open(
                serious, clocks.PUBLICATION, decided, now, reference=serious.decision_number
            )
            _move(
                serious,
                action,
                user,
                decided,
                f"{serious.decision_number}：决定列入严重违法失信名单，{item.due} 前公示（第十四条）",
                now,
            )
            return f"已作出列入决定（{serious.decision_number}），{item.due} 前公示"
        if action == SA.LIST:
            listed = common.day(values, "listed_on", today, default=serious.decided_on)
            common.not_before(
                listed, serious.decided_on, "列入日期不能早于决定日期", "Listing cannot precede the decision"
            )
            serious.listed_on = listed
            serious.listed_until = add_months(listed, LISTED_MONTHS)
            serious.earliest_repair_on = add_months(listed, REPAIR_AFTER_MONTHS)
            clocks.clock_end(serious, clocks.PUBLICATION, user, f"{listed} 公示", now)
            _move(
                serious,
                action,
                user,
                listed,
                f"列入并公示，{serious.listed_until} 满三年；{serious.earliest_repair_on} 起可申请信用修复",
                now,
            )
            return f"已列入，至 {serious.listed_until}；{serious.earliest_repair_on} 起可申请信用修复"
        if action == SA.DROP:
            serious.note = common.need(common.text(values, "note"), "请说明不予列入的理由", "Give the reason")
            clocks.clock_end(serious, clocks.STATEMENT, user, "不予列入", now, cancelled=True)
            _move(serious, action, user, today, f"不予列入：{serious.note}", now)
            return "已决定不予列入"
        if action == SA.REMOVE:
            ground = common.text(values, "removal_ground")
            removed = common.day(values, "removed_on", today)
            if ground == SeriousRemoval.EXPIRED:
                if serious.listed_until and removed < serious.listed_until:
                    raise ValidationFailed(
                        f"列入未满三年（{serious.listed_until} 届满）；提前移出须申请信用修复",
                        f"Listed until {serious.listed_until}; earlier removal only by credit repair",
                    )
            elif ground == SeriousRemoval.REVOKED:
                serious.note = common.need(
                    common.text(values, "note"),
                    "请写明撤销列入所依据决定的文书",
                    "Name the act revoking the decision",
                )
            elif ground == SeriousRemoval.REPAIR:
                raise ValidationFailed(
                    "提前移出须经信用修复申请并作出修复决定",
                    "Early removal goes through a credit repair application",
                )
            else:
                raise ValidationFailed("请选择移出事由", "Choose the ground of removal")
            serious.removed_on, serious.removal_ground = removed, ground
            _move(serious, action, user, removed, f"移出：{SeriousRemoval(ground).label}", now)
            return "已移出严重违法失信名单"
    raise ValidationFailed(f"未知的操作：{action}", f"Unknown action: {action}")


def removal_by_repair(
    *, serious: SeriousListing, user: User | None, removed_on: dt.date, number: str, now: dt.datetime
) -> None:
    transition_check(user=user, record=SERIOUS, obj=serious, action=SA.REMOVE)
    serious.removed_on, serious.removal_ground = removed_on, SeriousRemoval.REPAIR
    _move(serious, SA.REMOVE, user, removed_on, f"{number}：经信用修复提前移出", now)


def serious_expire(*, today: dt.date | None = None, now: dt.datetime | None = None) -> list[SeriousListing]:
    """The daily check: every listing three years old is removed (the system's step)."""
    now = now or timezone.now()
    today = today or timezone.localtime(now).date()
    out = []
    for serious in SeriousListing.objects.filter(state=S.LISTED, listed_until__lte=today):
        with transaction.atomic():
            serious.removed_on, serious.removal_ground = serious.listed_until, SeriousRemoval.EXPIRED
            _move(serious, SA.REMOVE, None, serious.listed_until, "列入满三年，移出", now)
        out.append(serious)
    return out
