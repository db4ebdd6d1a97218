"""信用修复 (市场监督管理信用修复管理办法, 2021): who may apply, from when, on what conditions.

The measures' order number is **not verified** (this app once gave 总局令第55号; the number is left out
until it is checked against the official release); the name and the year stand.

Verified (a 2023 notice of the 十堰 bureau and a July 2025 notice of the 赤壁 bureau quote the articles; no
newer version of the measures was found — a July 2025 bureau notice still applies the 2021 text; the 2025
revision draft of the serious-list measures (征求意见稿, October 2025) is not in force):

- art. 5 — a listing in the 经营异常名录 is repaired once the entity (一) files and publishes the missing
  annual reports, (二) fulfils the duty to publish, (三) corrects the false or concealed information, or (四)
  changes its registered address or can be reached there again: no waiting period.
- art. 6 — a published penalty decision may be ended early after **6 months** of display (**1 year** for
  food, drug and special-equipment matters), when the entity (一) has fulfilled the decision, (二) has removed
  the harm and its effects, (三) has not been penalised again for the same kind of violation, (四) is in
  neither the 经营异常名录 nor the 严重违法失信名单. Excluded: decisions of only a warning, 通报批评 or a lower
  fine (their 3 months run out by themselves), and the heavier penalties 行政处罚信息公示规定 (2021) art. 14 (3)
  names (责令停产停业、限制开展生产经营活动、限制从业、降低资质等级、吊销许可证件、吊销营业执照), which are
  never ended early (art. 14 verified in the published text of the 规定).
- art. 7 — a 严重违法失信名单 listing may be repaired after **1 year** listed, when the entity (一) has fulfilled
  the decision, (二) has removed the harm, (三) has had no heavier penalty since; not while a management
  measure set by law is still running.
The periods of arts. 6 and 7 come from secondary sources (bureau notices quoting the articles).

The bureau's period to decide is **the bureau's own setting** (``credit.repair_decision``, a work rule of 15
working days by default): the period the 2021 measures set is not verified. Beside them, the NDRC's
《信用修复管理办法》 (国家发展改革委令第36号, published 2025-11-20, in force 2026-04-01) has the 信用中国 records
accepted within 3 working days and decided within 7 (extendable by 10), and lets the sector authorities
"参照" it; the office should confirm which periods the bureau applies and set the clock accordingly. For the
early removal from the 严重违法失信名单, 总局令第44号 arts. 16–18 apply (accept within 2 working days, decide
within 15 of acceptance, stop the display within 3); the default of 15 working days from receipt stays
within them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.core.audit import acting
from wangjian.core.clocks import add_months
from wangjian.core.errors import ValidationFailed
from wangjian.credit import clocks, penalties
from wangjian.credit.choices import (
    REMOVAL_FOR,
    AbnormalGround,
    AbnormalState,
    RepairState,
    RepairTarget,
    SeriousState,
)
from wangjian.credit.models import AbnormalListing, CreditRepair, SeriousListing
from wangjian.credit.services import abnormal as abnormal_services
from wangjian.credit.services import common
from wangjian.credit.services import serious as serious_services
from wangjian.credit.services.transitions import REPAIR, SERIOUS_RULES, require_worker, transition_check
from wangjian.org.choices import Domain
from wangjian.org.models import User
from wangjian.platform.clocks.services import deadline_for
from wangjian.platform.numbering.services import number_issue
from wangjian.registry.models import MarketEntity

MEASURES = "《市场监督管理信用修复管理办法》（2021）"
PENALTY_MONTHS, PENALTY_MONTHS_LONG = 6, 12
LONG_DOMAINS = frozenset({Domain.ONLINE_FOOD, Domain.ONLINE_DRUG, Domain.SPECIAL_EQUIPMENT})
SERIOUS_MONTHS = 12


@dataclass
class RepairRule:
    """What the measures say for one record: the first day to apply, why, the conditions, what bars it."""

    earliest_on: dt.date | None
    basis: str
    conditions: list[dict] = field(
        default_factory=list
    )  # {"key", "label", "checked_by": "entity"|"system", "met"}
    bars: list[str] = field(default_factory=list)  # reasons no application is possible at all

    def open_on(self, day: dt.date) -> bool:
        return not self.bars and self.earliest_on is not None and day >= self.earliest_on


def _entity_listed(entity_id: int, on: dt.date) -> list[str]:
    """Condition (四) of art. 6: in neither list on the day."""
    out = []
    if AbnormalListing.objects.filter(
        entity_id=entity_id, state=AbnormalState.LISTED, listed_on__lte=on
    ).exists():
        out.append("经营异常名录")
    if SeriousListing.objects.filter(
        entity_id=entity_id, state=SeriousState.LISTED, listed_on__lte=on
    ).exists():
        out.append("严重违法失信名单")
    return out


def abnormal_rule(listing: AbnormalListing) -> RepairRule:
    ground = AbnormalGround(listing.ground)
    removal = REMOVAL_FOR[ground]
    bars = [] if listing.state == AbnormalState.LISTED else [f"该记录处于“{listing.get_state_display()}”状态"]
    return RepairRule(
        listing.listed_on,
        f"{MEASURES}第五条：{removal.label}的，可以申请信用修复，无等待期（列入之日起即可申请）",
        [{"key": "obligation", "label": str(removal.label), "checked_by": "entity"}],
        bars,
    )


def serious_rule(serious: SeriousListing) -> RepairRule:
    bars = [] if serious.state == SeriousState.LISTED else [f"该记录处于“{serious.get_state_display()}”状态"]
    earliest = add_months(serious.listed_on, SERIOUS_MONTHS) if serious.listed_on else None
    return RepairRule(
        earliest,
        f"{MEASURES}第七条、{SERIOUS_RULES}第十六条：列入严重违法失信名单满一年"
        f"（{serious.listed_on} 列入，{earliest} 满一年）",
        [
            {"key": "fulfilled", "label": "已经自觉履行行政处罚决定中规定的义务", "checked_by": "entity"},
            {"key": "harm_removed", "label": "已经主动消除危害后果和不良影响", "checked_by": "entity"},
            {"key": "no_heavier", "label": "未再受到市场监督管理部门较重行政处罚", "checked_by": "entity"},
        ],
        bars,
    )


def penalty_rule(record: penalties.PenaltyRecord, day: dt.date) -> RepairRule:
    bars = []
    if record.short:
        bars.append(
            "仅受到警告、通报批评或者较低数额罚款的行政处罚信息不适用提前停止公示，公示期满三个月自动停止（信用修复管理办法第六条）"
        )
    if record.severe:
        bars.append(
            "受到责令停产停业、限制开展生产经营活动、限制从业、降低资质等级、吊销许可证件、吊销营业执照等较为严重行政处罚的，"
            "不得提前停止公示（《市场监督管理行政处罚信息公示规定》第十四条第三款）"
        )
    if not record.on_display(day):
        bars.append("该行政处罚信息不在公示期内")
    months = PENALTY_MONTHS_LONG if record.domain in LONG_DOMAINS else PENALTY_MONTHS
    earliest = add_months(record.published_on, months) if record.published_on else None
    field_word = "（食品、药品、特种设备领域满一年）" if months == PENALTY_MONTHS_LONG else ""
    listed = _entity_listed(record.entity_id, day)
    return RepairRule(
        earliest,
        f"{MEASURES}第六条：行政处罚信息公示期满{'一年' if months == 12 else '六个月'}{field_word}"
        f"（{record.published_on} 公示，{earliest} 期满）",
        [
            {"key": "fulfilled", "label": "已经自觉履行行政处罚决定中规定的义务", "checked_by": "entity"},
            {"key": "harm_removed", "label": "已经主动消除危害后果和不良影响", "checked_by": "entity"},
            {
                "key": "no_repeat",
                "label": "未因同一类违法行为再次受到市场监督管理部门行政处罚",
                "checked_by": "entity",
            },
            {
                "key": "not_listed",
                "label": "未在经营异常名录和严重违法失信名单中",
                "checked_by": "system",
                "met": not listed,
                "found": "在" + "、".join(listed) + "中" if listed else "未在名录/名单中",
            },
        ],
        bars,
    )


def repair_apply(
    *,
    entity: MarketEntity,
    target: str,
    user: User | None,
    values: dict[str, Any],
    abnormal: AbnormalListing | None = None,
    serious: SeriousListing | None = None,
    penalty: tuple[str, str] | None = None,
    now: dt.datetime | None = None,
) -> CreditRepair:
    """Register an application: refused with the reason and the first possible day when it is too early or
    barred; each condition the entity asserts is recorded as the officer checked it (``values[key]`` true)."""
    common.may_act(user)
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    bureau = entity.bureau
    require_worker(
        user=user,
        bureau_id=bureau.pk,
        what_zh="登记信用修复申请",
        what_en="register a credit repair application",
    )
    applied = common.day(values, "applied_on", today)
    record = None
    if target == RepairTarget.ABNORMAL:
        if abnormal is None or abnormal.entity_id != entity.pk:
            raise ValidationFailed("请选择该主体的经营异常名录记录", "Choose the entity's listing")
        rule, pending = abnormal_rule(abnormal), CreditRepair.objects.filter(abnormal=abnormal)
    elif target == RepairTarget.SERIOUS:
        if serious is None or serious.entity_id != entity.pk:
            raise ValidationFailed(
                "请选择该主体的严重违法失信名单记录", "Choose the entity's serious listing"
            )
        rule, pending = serious_rule(serious), CreditRepair.objects.filter(serious=serious)
    elif target == RepairTarget.PENALTY:
        source, ref = penalty or ("", "")
        record = penalties.penalty_get(source=source, ref=ref, entity_id=entity.pk)
        if record is None:
            raise ValidationFailed(
                "没有找到该主体的这条行政处罚公示信息", "No such published penalty of the entity"
            )
        rule = penalty_rule(record, applied)
        pending = CreditRepair.objects.filter(entity=entity, penalty_source=source, penalty_ref=ref)
    else:
        raise ValidationFailed("请选择修复对象", "Choose what is to be repaired")
    if pending.filter(state=RepairState.APPLIED).exists():
        raise ValidationFailed(
            "该记录已有待决定的信用修复申请", "A repair application of this record is waiting"
        )
    if rule.bars:
        raise ValidationFailed(
            "不能申请信用修复：" + "；".join(rule.bars),
            "No credit repair is possible for this record",
            detail={"bars": rule.bars},
        )
    if rule.earliest_on and applied < rule.earliest_on:
        raise ValidationFailed(
            f"尚不能申请信用修复：最早 {rule.earliest_on} 可以申请（{rule.basis}）",
            f"Too early: the application is possible from {rule.earliest_on}",
            detail={"earliest_on": str(rule.earliest_on)},
        )
    conditions = []
    for c in rule.conditions:
        c = dict(c)
        if c["checked_by"] == "entity":
            c["met"] = common.flag(values, c["key"])
        conditions.append(c)
    unmet = [c["label"] for c in conditions if c["checked_by"] == "system" and not c["met"]]
    if unmet:
        raise ValidationFailed(
            "不符合信用修复条件："
            + "；".join(
                f"{c['label']}（{c.get('found', '')}）"
                for c in conditions
                if c["checked_by"] == "system" and not c["met"]
            ),
            "The entity does not meet the conditions",
            detail={"unmet": unmet},
        )
    with transaction.atomic(), acting(user, via="credit"):
        repair = CreditRepair.objects.create(
            bureau=bureau,
            entity=entity,
            target=target,
            abnormal=abnormal if target == RepairTarget.ABNORMAL else None,
            serious=serious if target == RepairTarget.SERIOUS else None,
            penalty_source=record.source if record else "",
            penalty_ref=record.ref if record else "",
            penalty_number=record.number if record else "",
            applied_on=applied,
            earliest_on=rule.earliest_on,
            earliest_basis=rule.basis,
            conditions=conditions,
        )
        deadline = deadline_for(bureau=bureau.pk, clock=clocks.REPAIR, start=applied)
        repair.decision_due, repair.decision_basis = deadline.due, deadline.basis_text("收到申请")
        repair.save()
        clocks.clock_open(repair, clocks.REPAIR, applied, now, reference=repair.penalty_number or entity.uscc)
    return repair


def repair_decide(
    *,
    repair: CreditRepair,
    user: User | None,
    action: str,
    values: dict[str, Any],
    now: dt.datetime | None = None,
) -> str:
    """Grant or refuse. Granting ends the display early (a penalty) or removes the listing, on the decision day."""
    common.may_act(user)
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    transition_check(user=user, record=REPAIR, obj=repair, action=action)
    decided = common.day(values, "decided_on", today)
    common.not_before(
        decided, repair.applied_on, "决定日期不能早于申请日期", "The decision cannot precede the application"
    )
    with transaction.atomic(), acting(user, via="credit"):
        repair.decided_on, repair.decided_by = decided, user if getattr(user, "pk", None) else None
        repair.decision_note = common.text(values, "note")
        if action == "refuse":
            common.need(repair.decision_note, "请说明不予修复的理由", "Give the reason")
            repair.state = RepairState.REFUSED
            repair.save()
            clocks.clock_end(repair, clocks.REPAIR, user, "不予修复", now)
            return "已决定不予信用修复"
        unmet = [c["label"] for c in repair.conditions if not c.get("met")]
        if unmet and not common.flag(values, "conditions_checked"):
            raise ValidationFailed(
                "申请材料未证明以下条件：" + "；".join(unmet) + "。核实后请勾选“条件已核实”",
                "Some conditions are not shown; confirm they were checked",
                detail={"unmet": unmet},
            )
        repair.conditions = [{**c, "met": True} for c in repair.conditions]
        repair.decision_number = number_issue(
            bureau=repair.bureau, kind="credit_repair", subject=repair, user=user, now=now
        ).number
        repair.state, repair.effect_on = RepairState.GRANTED, decided
        repair.save()
        clocks.clock_end(repair, clocks.REPAIR, user, "准予修复", now)
        if repair.target == RepairTarget.ABNORMAL:
            abnormal_services.removal_by_repair(
                listing=repair.abnormal, user=user, removed_on=decided, number=repair.decision_number, now=now
            )
            return f"准予修复（{repair.decision_number}），{decided} 移出经营异常名录"
        if repair.target == RepairTarget.SERIOUS:
            serious_services.removal_by_repair(
                serious=repair.serious, user=user, removed_on=decided, number=repair.decision_number, now=now
            )
            return f"准予修复（{repair.decision_number}），{decided} 移出严重违法失信名单"
        return f"准予修复（{repair.decision_number}），行政处罚信息 {repair.penalty_number} 自 {decided} 起停止公示"
