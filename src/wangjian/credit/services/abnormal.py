"""经营异常名录: proposal with its clock, the listing decision, removal on application, and the consequences.

The rules, as 企业信息公示暂行条例 (2024 revision), 企业经营异常名录管理办法 (2025, amended by 总局令第101号) and,
for 个体工商户, 个体工商户年度报告办法 (2025) give them:

- Grounds (办法 art. 4): the annual report not published between 1 January and 30 June (art. 6); information not
  published within the period the bureau ordered (art. 7); a name that must no longer be used not changed in
  time (企业名称登记管理规定 art. 23; 办法 art. 8); unreachable at the registered address (art. 9; two registered
  letters sent 15–30 days apart and not signed for count as unreachable). False or concealed published
  information is **not** a ground for an enterprise any more — it is fined and, if serious, goes to the
  严重违法失信名单 with the penalty decision (条例 art. 18 para. 2); ``listing_propose`` refuses it. It remains
  one for 个体工商户 (个体工商户年度报告办法 art. 14, with art. 13 not filed and art. 15 unreachable), who are
  列入经营异常名录 like enterprises.
- The listing decision within 10 working days after the period ends or the facts are established.
- Removal (办法 arts. 11–14; 个体工商户 arts. 16–18): within 5 working days — from receipt of the application when
  the annual report was filed or the ordered information published (arts. 11, 12), from the **verification**
  when the name change was registered or the entity can be reached again (arts. 13, 14: ``verify_removal``).
- Objection (办法 art. 15): within 30 days of publication; accepted or not within 5 working days, verified within
  20, an error corrected within 5 of the verification — the periods are clocks (``credit.clocks``); the
  objection itself is not yet a record of this app.
- Consequences: listed for not filing annual reports for two consecutive years, not corrected, and unreachable
  at the registered address → 吊销营业执照 (条例 art. 18 para. 1; flagged here as a work item of the
  registration side); a 个体工商户 listed two years and not removed goes to 另册管理 and is restored on removal
  (个体工商户登记管理规定, 总局令第103号, arts. 32, 33, shown on the record). The old "three years listed →
  严重违法失信名单" rule (经营异常名录管理暂行办法) no longer applies: nothing here counts three years.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangjian.core.audit import acting
from wangjian.core.errors import ValidationFailed
from wangjian.credit import clocks
from wangjian.credit.choices import (
    ENTERPRISE_ONLY,
    INDIVIDUAL_ONLY,
    REMOVAL_FOR,
    VERIFIED_REMOVAL,
    AbnormalAction,
    AbnormalGround,
    AbnormalState,
    RemovalGround,
)
from wangjian.credit.models import AbnormalListing, AnnualReport, SeriousListing
from wangjian.credit.services import common
from wangjian.credit.services.transitions import (
    ABNORMAL,
    FALSE_INFO_REFUSAL,
    NAME_CHANGE_REFUSAL,
    REGULATION,
    TRANSITIONS,
    record_event,
    require_worker,
    transition_check,
)
from wangjian.org.models import Bureau, User
from wangjian.platform.clocks.services import deadline_for
from wangjian.platform.numbering.services import number_issue
from wangjian.registry.choices import EntityKind
from wangjian.registry.models import MarketEntity

A, AA, G = AbnormalState, AbnormalAction, AbnormalGround
OPEN = (A.PROPOSED, A.LISTED)


def report_period_end(report_year: int) -> dt.date:
    """The annual report of year Y is published between 1 January and 30 June of Y+1 (条例 art. 8)."""
    return dt.date(report_year + 1, 6, 30)


def listing_propose(
    *,
    bureau: Bureau,
    entity: MarketEntity,
    ground: str,
    user: User | None,
    period_end: dt.date | None = None,
    report_year: int | None = None,
    facts: str = "",
    now: dt.datetime | None = None,
) -> AbnormalListing:
    """Open a proposed listing and its clock: the decision is due 10 working days after ``period_end``.

    For the annual-report ground the period end is 30 June of the year after ``report_year``, and an entity
    whose report for that year is on file is not proposed. The same entity is not proposed twice on the same
    ground while a listing is open.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    common.may_act(user)
    require_worker(
        user=user, bureau_id=bureau.pk, what_zh="提请列入经营异常名录", what_en="propose an abnormal listing"
    )
    if ground not in G.values:
        raise ValidationFailed(
            "请选择列入事由", "Choose the ground of the listing", detail={"ground": ground}
        )
    if entity.bureau_id != bureau.pk:
        raise ValidationFailed(
            "该市场主体不属于本局登记管辖", "The entity is not registered with this bureau"
        )
    individual = entity.kind == EntityKind.INDIVIDUAL
    if ground in INDIVIDUAL_ONLY and not individual:
        raise ValidationFailed(*FALSE_INFO_REFUSAL, code="ground_not_applicable", detail={"ground": ground})
    if ground in ENTERPRISE_ONLY and individual:
        raise ValidationFailed(*NAME_CHANGE_REFUSAL, code="ground_not_applicable", detail={"ground": ground})
    if ground == G.ANNUAL_REPORT:
        if not report_year:
            raise ValidationFailed("请填写未报送的年度", "Give the year whose annual report is missing")
        try:
            report_year = int(report_year)
        except (TypeError, ValueError):
            report_year = 0
        if not 2013 <= report_year < today.year:
            raise ValidationFailed(
                f"未报年度应在2013至{today.year - 1}之间",
                f"The report year lies between 2013 and {today.year - 1}",
            )
        period_end = report_period_end(report_year)
        if AnnualReport.objects.filter(entity=entity, year=report_year).exists():
            raise ValidationFailed(
                f"{entity}的{report_year}年度报告已报送，不属于未按期公示年度报告的情形",
                f"The annual report {report_year} of this entity is on file",
            )
    else:
        report_year = None
        if period_end is None:
            raise ValidationFailed(
                "请填写责令公示的期限届满日期或者查实日期",
                "Give the day the ordered period ended or the facts were established",
            )
    # a period runs to the end of its last day; the day facts were established may be today
    if period_end > today or (period_end == today and ground in (G.ANNUAL_REPORT, G.ORDERED)):
        raise ValidationFailed(
            f"期限尚未届满（{period_end:%Y-%m-%d}），不能提请列入",
            f"The period has not ended yet ({period_end})",
        )
    clash = AbnormalListing.objects.filter(entity=entity, ground=ground, state__in=OPEN)
    if report_year:
        clash = clash.filter(report_year=report_year)
    if clash.exists():
        raise ValidationFailed(
            "该市场主体已因同一事由被提请或列入经营异常名录",
            "The entity is already proposed or listed on this ground",
        )
    with transaction.atomic(), acting(user, via="credit"):
        listing = AbnormalListing.objects.create(
            bureau=bureau,
            entity=entity,
            entity_kind=entity.kind,
            ground=ground,
            report_year=report_year,
            facts=(facts or "").strip(),
            period_end=period_end,
            created_by=user if getattr(user, "pk", None) else None,
        )
        item = clocks.clock_open(listing, clocks.LISTING, period_end, now, reference=entity.uscc)
        listing.listing_due, listing.listing_basis = item.due, item.due_basis
        listing.save()
        record_event(
            listing,
            "propose",
            user,
            on=today,
            from_state="",
            now=now,
            comment=f"拟{listing.listing_word}：{listing.get_ground_display()}；{listing.listing_due} 前作出列入决定",
        )
    return listing


def _move(
    listing: AbnormalListing, action: str, user: User | None, on: dt.date, comment: str, now: dt.datetime
) -> None:
    from_state = listing.state
    listing.state = TRANSITIONS[(ABNORMAL, action)].target or listing.state
    listing.save()
    record_event(listing, action, user, on=on, from_state=from_state, comment=comment, now=now)


def removal_pending(listing: AbnormalListing) -> bool:
    return listing.state == A.LISTED and listing.removal_applied_on is not None


def abnormal_act(
    *,
    listing: AbnormalListing,
    user: User | None,
    action: str,
    values: dict[str, Any],
    now: dt.datetime | None = None,
) -> str:
    """Take ``action`` on ``listing`` with the step's values; returns what happened, in Chinese."""
    common.may_act(user)
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    transition_check(user=user, record=ABNORMAL, obj=listing, action=action)
    with transaction.atomic(), acting(user, via="credit"):
        if action == AA.LIST:
            decided = common.day(values, "decided_on", today)
            # a period runs to the end of its last day; facts established may be decided on that day
            first = listing.period_end + dt.timedelta(
                days=1 if listing.ground in (G.ANNUAL_REPORT, G.ORDERED) else 0
            )
            common.not_before(decided, first, "期限届满后方可作出列入决定", "List only after the period ends")
            listed = common.day(values, "listed_on", today, default=decided)
            common.not_before(
                listed, decided, "列入日期不能早于决定日期", "Listing cannot precede the decision"
            )
            listing.decided_on, listing.listed_on = decided, listed
            listing.listed_late = bool(listing.listing_due and decided > listing.listing_due)
            listing.decision_number = number_issue(
                bureau=listing.bureau, kind="abnormal_listing", subject=listing, user=user, now=now
            ).number
            clocks.clock_end(listing, clocks.LISTING, user, f"{decided} 作出列入决定", now)
            late = f"（超过列入期限 {listing.listing_due}）" if listing.listed_late else ""
            _move(
                listing,
                action,
                user,
                decided,
                f"{listing.decision_number}：{listing.listing_word}，{listed} 公示{late}",
                now,
            )
            return f"已{listing.listing_word}（{listing.decision_number}）{late}"
        if action == AA.CANCEL:
            note = common.need(common.text(values, "note"), "请说明不予列入的理由", "Give the reason")
            listing.removal_note = note
            clocks.clock_end(listing, clocks.LISTING, user, "不予列入", now, cancelled=True)
            _move(listing, action, user, today, f"不予列入：{note}", now)
            return "已决定不予列入"
        if action == AA.APPLY_REMOVAL:
            return _apply_removal(listing, user, values, today, now)
        if action == AA.VERIFY_REMOVAL:
            return _verified(listing, user, values, today, now)
        if action == AA.REMOVE:
            return _remove(listing, user, values, today, now)
        if action == AA.REFUSE_REMOVAL:
            if not removal_pending(listing):
                raise ValidationFailed("没有待决定的移出申请", "There is no removal application to decide")
            note = common.need(common.text(values, "note"), "请说明不予移出的理由", "Give the reason")
            applied = listing.removal_applied_on
            listing.removal_applied_on, listing.removal_due, listing.removal_basis = None, None, ""
            listing.removal_ground, listing.removal_verified_on = "", None
            for clock in clocks.REMOVALS:
                clocks.clock_end(listing, clock, user, "不予移出", now)
            _move(listing, action, user, today, f"{applied} 的移出申请不予移出：{note}", now)
            return "已决定不予移出"
        if action == AA.FLAG_REVOCATION:
            due, why = revocation_rule(listing, today)
            if not due:
                raise ValidationFailed(
                    f"不符合提请吊销营业执照的情形：{why}",
                    "The listing does not meet the rule for revocation",
                    detail={"why": why},
                )
            _flag(listing, user, today, why, now)
            return f"已提请吊销营业执照：{why}"
        if action == AA.PROPOSE_SERIOUS:
            serious = serious_from_listing(
                listing=listing, user=user, ground=common.text(values, "ground"), today=today, now=now
            )
            return f"已提请列入严重违法失信名单（#{serious.pk}），请告知当事人"
    raise ValidationFailed(f"未知的操作：{action}", f"Unknown action: {action}")


def _apply_removal(
    listing: AbnormalListing, user: User | None, values: dict[str, Any], today: dt.date, now: dt.datetime
) -> str:
    """A valid application names the obligation fulfilled (信用修复管理办法 art. 5); it starts the 5 working days."""
    if removal_pending(listing):
        raise ValidationFailed(
            f"已有 {listing.removal_applied_on} 的移出申请待决定",
            "A removal application is already waiting for its decision",
        )
    applied = common.day(values, "applied_on", today)
    common.not_before(
        applied, listing.listed_on, "申请日期不能早于列入日期", "The application cannot precede the listing"
    )
    expected = REMOVAL_FOR[AbnormalGround(listing.ground)]
    ground = common.text(values, "removal_ground") or expected
    if ground != expected:
        raise ValidationFailed(
            f"因“{listing.get_ground_display()}”列入的，移出须“{expected.label}”",
            f"A listing on '{listing.ground}' is removed on '{expected.value}'",
            detail={"expected": expected.value},
        )
    note = common.need(
        common.text(values, "note"), "请写明当事人履行义务的情况", "Say what the entity has done"
    )
    if listing.ground == G.ANNUAL_REPORT and listing.report_year:
        published = values.get("report_published_on")
        on_file = AnnualReport.objects.filter(entity=listing.entity, year=listing.report_year).exists()
        if not on_file and not published:
            raise ValidationFailed(
                f"未见{listing.report_year}年度报告补报公示的记录：请填写补报公示日期，或先导入年度报告",
                f"No annual report {listing.report_year} on file: give the day it was published",
            )
        if not on_file:
            common.day(values, "report_published_on", today)
            AnnualReport.objects.create(
                bureau=listing.bureau, entity=listing.entity, year=listing.report_year
            )
    listing.removal_applied_on, listing.removal_ground, listing.removal_note = applied, ground, note
    listing.removal_verified_on = None
    if listing.ground in VERIFIED_REMOVAL:
        if not values.get("verified_on"):
            listing.removal_due, listing.removal_basis = None, ""
            listing.save()
            record_event(
                listing,
                AA.APPLY_REMOVAL,
                user,
                on=applied,
                from_state=listing.state,
                now=now,
                comment=f"移出申请（{RemovalGround(ground).label}）：{note}；核实后五个工作日内作出决定",
            )
            return "已登记移出申请：核实后记录核实日期，自核实之日起五个工作日内作出移出决定"
        return _verified(listing, user, values, today, now, applied=True)
    clock, start = removal_clock(listing)
    deadline = deadline_for(bureau=listing.bureau_id, clock=clock, start=applied)
    listing.removal_due, listing.removal_basis = deadline.due, deadline.basis_text(start)
    listing.save()
    clocks.clock_open(listing, clock, applied, now, reference=listing.decision_number or listing.entity.uscc)
    record_event(
        listing,
        AA.APPLY_REMOVAL,
        user,
        on=applied,
        from_state=listing.state,
        now=now,
        comment=f"移出申请（{RemovalGround(ground).label}）：{note}；{listing.removal_due} 前作出决定",
    )
    return f"已登记移出申请，{listing.removal_due} 前作出移出决定"


def removal_clock(listing: AbnormalListing) -> tuple[str, str]:
    """The removal clock of ``listing`` and what starts it: the application (办法 arts. 11, 12), the
    verification (arts. 13, 14), or the 个体工商户's (个体工商户年度报告办法 arts. 16–18)."""
    verified = listing.ground in VERIFIED_REMOVAL
    if (listing.entity_kind or listing.entity.kind) == EntityKind.INDIVIDUAL:
        return clocks.REMOVAL_INDIVIDUAL, "核实" if verified else "收到移出申请"
    if verified:
        return clocks.REMOVAL_VERIFIED, "核实"
    return clocks.REMOVAL, "收到移出申请"


def _verified(
    listing: AbnormalListing,
    user: User | None,
    values: dict[str, Any],
    today: dt.date,
    now: dt.datetime,
    *,
    applied: bool = False,
) -> str:
    """The verification that the name change was registered or the entity is reachable again starts the
    5 working days of the removal decision (办法 arts. 13, 14)."""
    if listing.ground not in VERIFIED_REMOVAL:
        raise ValidationFailed(
            "只有因未办理名称变更登记或者住所无法联系列入的，移出期限才自核实之日起计算",
            "Only a name-change or unreachable listing counts its removal period from the verification",
        )
    if not removal_pending(listing):
        raise ValidationFailed("没有待核实的移出申请：请先登记移出申请", "Record the application first")
    if listing.removal_verified_on and not applied:
        raise ValidationFailed(
            f"已于 {listing.removal_verified_on} 核实", f"Already verified on {listing.removal_verified_on}"
        )
    verified = common.day(values, "verified_on", today)
    common.not_before(
        verified,
        listing.removal_applied_on,
        "核实日期不能早于申请日期",
        "The verification cannot precede the application",
    )
    clock, start = removal_clock(listing)
    deadline = deadline_for(bureau=listing.bureau_id, clock=clock, start=verified)
    listing.removal_verified_on = verified
    listing.removal_due, listing.removal_basis = deadline.due, deadline.basis_text(start)
    listing.save()
    clocks.clock_open(listing, clock, verified, now, reference=listing.decision_number or listing.entity.uscc)
    what = RemovalGround(listing.removal_ground).label
    if applied:
        comment = (
            f"移出申请（{what}）：{listing.removal_note}；{verified} 核实，{listing.removal_due} 前作出决定"
        )
    else:
        comment = f"{verified} 核实（{what}），{listing.removal_due} 前作出移出决定"
    record_event(
        listing,
        AA.APPLY_REMOVAL if applied else AA.VERIFY_REMOVAL,
        user,
        on=listing.removal_applied_on if applied else verified,
        from_state=listing.state,
        now=now,
        comment=comment,
    )
    return f"已记录核实，{listing.removal_due} 前作出移出决定"


def _remove(
    listing: AbnormalListing, user: User | None, values: dict[str, Any], today: dt.date, now: dt.datetime
) -> str:
    """Removal on a valid application (within 5 working days), or because the listing decision fell."""
    revoked = common.text(values, "removal_ground") == RemovalGround.REVOKED
    if not revoked and not removal_pending(listing):
        raise ValidationFailed(
            "移出须有当事人的有效申请（或列入决定被撤销）：请先登记移出申请",
            "Removal needs a valid application (or a revoked listing decision): record the application first",
        )
    removed = common.day(values, "removed_on", today)
    if revoked:
        note = common.need(
            common.text(values, "note"), "请写明撤销列入决定的文书", "Name the act revoking the listing"
        )
        listing.removal_ground, listing.removal_note = RemovalGround.REVOKED, note
        common.not_before(
            removed, listing.listed_on, "移出日期不能早于列入日期", "Removal cannot precede the listing"
        )
    else:
        if listing.ground in VERIFIED_REMOVAL and listing.removal_verified_on is None:
            raise ValidationFailed(
                "请先记录核实结果：已办理名称变更登记或者可以重新取得联系的，自核实之日起五个工作日内作出移出决定",
                "Record the verification first: the removal follows it within 5 working days",
            )
        common.not_before(
            removed,
            listing.removal_verified_on or listing.removal_applied_on,
            "移出日期不能早于申请（核实）日期",
            "Removal cannot precede the application (verification)",
        )
    late = bool(listing.removal_due and removed > listing.removal_due)
    listing.removed_on = removed
    listing.removal_number = number_issue(
        bureau=listing.bureau, kind="abnormal_removal", subject=listing, user=user, now=now
    ).number
    for clock in clocks.REMOVALS:
        clocks.clock_end(listing, clock, user, f"{removed} 移出", now)
    clocks.clock_end(listing, clocks.REVOCATION, user, "已移出经营异常名录", now, cancelled=True)
    suffix = f"（超过移出期限 {listing.removal_due}）" if late else ""
    _move(
        listing,
        AA.REMOVE,
        user,
        removed,
        f"{listing.removal_number}：移出（{listing.get_removal_ground_display()}）{suffix}",
        now,
    )
    revocation_recheck(listing.entity, user, removed, now)
    return f"已移出经营异常名录（{listing.removal_number}）{suffix}"


def removal_by_repair(
    *, listing: AbnormalListing, user: User | None, removed_on: dt.date, number: str, now: dt.datetime
) -> None:
    """A granted credit repair of a listing removes it (信用修复管理办法 art. 5), with the repair's number."""
    transition_check(user=user, record=ABNORMAL, obj=listing, action=AA.REMOVE)
    listing.removed_on = removed_on
    listing.removal_ground = listing.removal_ground or REMOVAL_FOR[AbnormalGround(listing.ground)]
    listing.removal_number = number
    for clock in clocks.REMOVALS:
        clocks.clock_end(listing, clock, user, f"{removed_on} 经信用修复移出", now)
    clocks.clock_end(listing, clocks.REVOCATION, user, "已移出经营异常名录", now, cancelled=True)
    _move(listing, AA.REMOVE, user, removed_on, f"{number}：经信用修复移出", now)
    revocation_recheck(listing.entity, user, removed_on, now)


# ---------------------------------------------------------------------------------------------
# Consequences


REVOCATION_BASIS = (
    f"{REGULATION}第十八条第一款：因连续两年未按规定报送年度报告被列入经营异常名录未改正，且通过登记的住所或者经营场所"
    "无法取得联系的，由县级以上市场监督管理部门吊销营业执照"
)


def revocation_facts(entity: MarketEntity) -> tuple[bool, str]:
    """条例 art. 18 para. 1 for ``entity``, in words: listed (and not removed) for not filing the annual reports
    of two consecutive years, the reports still not on file, and a current listing for being unreachable at
    the registered address. Dates do not enter: the rule holds while both listings stand."""
    if entity.kind == EntityKind.INDIVIDUAL:
        return False, (
            "个体工商户不适用吊销营业执照的规定：列入经营异常名录满两年未移出的，另册管理"
            "（《个体工商户登记管理规定》第三十二条）"
        )
    listed = AbnormalListing.objects.filter(entity=entity, state=A.LISTED)
    years = sorted(
        set(
            listed.filter(ground=G.ANNUAL_REPORT, report_year__isnull=False).values_list(
                "report_year", flat=True
            )
        )
    )
    filed = set(AnnualReport.objects.filter(entity=entity, year__in=years).values_list("year", flat=True))
    open_years = [y for y in years if y not in filed]
    pair = next(((y, y + 1) for y in open_years if y + 1 in open_years), None)
    unreachable = listed.filter(ground=G.UNREACHABLE).order_by("listed_on", "id").first()
    if pair is None:
        if filed:
            return (
                False,
                f"已补报{'、'.join(str(y) for y in sorted(filed))}年度报告，不属于连续两年未报送未改正",
            )
        return False, "未因连续两年未按规定报送年度报告被列入经营异常名录"
    if unreachable is None:
        return False, (
            f"已因{pair[0]}、{pair[1]}年度未报送年度报告被列入且未改正，但未因通过登记的住所或者经营场所无法联系被列入"
        )
    return True, (
        f"因{pair[0]}、{pair[1]}连续两年未按规定报送年度报告被列入经营异常名录，至今未改正；"
        f"{unreachable.listed_on} 起因通过登记的住所或者经营场所无法联系被列入。依{REVOCATION_BASIS}"
    )


def revocation_rule(listing: AbnormalListing, today: dt.date) -> tuple[bool, str]:
    """Whether ``listing`` is to be flagged for 吊销营业执照 on ``today``, and why, in words.

    The flag goes on the entity's listing for being unreachable (the one that completes the rule); a listing
    for not filing can be flagged too, when the entity's unreachable listing is already there. An entity is
    flagged once while the rule holds.
    """
    if listing.ground not in (G.ANNUAL_REPORT, G.UNREACHABLE):
        return False, "仅适用于因连续两年未报送年度报告、通过登记的住所或者经营场所无法联系被列入的"
    if listing.state != A.LISTED or listing.listed_on is None or listing.listed_on > today:
        return False, "该主体不在经营异常名录中"
    flagged = (
        AbnormalListing.objects.filter(entity_id=listing.entity_id, state=A.LISTED)
        .exclude(revocation_flagged_on=None)
        .first()
    )
    if flagged is not None:
        return False, f"已于 {flagged.revocation_flagged_on} 提请吊销营业执照"
    return revocation_facts(listing.entity)


def revocation_recheck(entity: MarketEntity, user: User | None, on: dt.date, now: dt.datetime) -> None:
    """After a listing of ``entity`` is removed: a flag whose rule no longer holds is withdrawn with the reason."""
    flagged = AbnormalListing.objects.filter(entity=entity, state=A.LISTED).exclude(
        revocation_flagged_on=None
    )
    if not flagged.exists():
        return
    due, why = revocation_facts(entity)
    if due:
        return
    for listing in flagged:
        listing.revocation_flagged_on, listing.revocation_basis = None, ""
        listing.save()
        clocks.clock_end(listing, clocks.REVOCATION, user, f"不再符合吊销条件：{why}", now, cancelled=True)
        record_event(
            listing,
            "withdraw_revocation",
            user,
            on=on,
            from_state=listing.state,
            now=now,
            comment=f"撤回提请吊销营业执照：{why}",
        )


def _flag(listing: AbnormalListing, user: User | None, today: dt.date, why: str, now: dt.datetime) -> None:
    listing.revocation_flagged_on, listing.revocation_basis = today, why
    listing.save()
    clocks.clock_open(
        listing,
        clocks.REVOCATION,
        today,
        now,
        reference=listing.decision_number or listing.entity.uscc,
        body=why,
    )
    record_event(listing, AA.FLAG_REVOCATION, user, on=today, from_state=listing.state, comment=why, now=now)


def revocation_check(
    *, today: dt.date | None = None, bureau: Bureau | None = None, now: dt.datetime | None = None
) -> list[AbnormalListing]:
    """The daily check (the system's step): flag the unreachable listing of every entity the rule reaches."""
    now = now or timezone.now()
    today = today or timezone.localtime(now).date()
    qs = (
        AbnormalListing.objects.filter(
            ground=G.UNREACHABLE,
            state=A.LISTED,
            listed_on__lte=today,
            revocation_flagged_on__isnull=True,
            entity__abnormal_listings__ground=G.ANNUAL_REPORT,
            entity__abnormal_listings__state=A.LISTED,
        )
        .exclude(entity__kind=EntityKind.INDIVIDUAL)
        .select_related("entity", "bureau")
        .distinct()
        .order_by("listed_on", "id")
    )
    if bureau is not None:
        qs = qs.filter(bureau=bureau)
    flagged = []
    for listing in qs:
        due, why = revocation_rule(listing, today)
        if due:
            with transaction.atomic():
                _flag(listing, None, today, why, now)
            flagged.append(listing)
    return flagged


def serious_from_listing(
    *, listing: AbnormalListing, user: User | None, ground: str, today: dt.date, now: dt.datetime
) -> SeriousListing:
    """Serious falsification by a 个体工商户 (the only listing for false information left): proposed for the
    严重违法失信名单; the listing is decided with the penalty decision (总局令第44号 art. 13)."""
    if listing.ground != G.FALSE_INFO:
        raise ValidationFailed(
            "只有因公示信息隐瞒真实情况、弄虚作假被列入的，才可因情节严重提请列入严重违法失信名单"
            f"（企业的弄虚作假依{REGULATION}第十八条第二款处罚，情节严重的随处罚决定列入）",
            "Only a listing for false or concealed information may lead to the serious list",
        )
    ground = common.need(ground, "请写明弄虚作假情节严重的事实和依据", "Say why the falsification is serious")
    if SeriousListing.objects.filter(abnormal=listing).exclude(state__in=("removed", "dropped")).exists():
        raise ValidationFailed(
            "该名录记录已提请列入严重违法失信名单", "Already proposed for the serious list"
        )
    serious = SeriousListing.objects.create(
        bureau=listing.bureau, entity=listing.entity, abnormal=listing, ground=ground, proposed_on=today
    )
    record_event(
        serious,
        "propose",
        user,
        on=today,
        from_state="",
        now=now,
        comment=f"由经营异常名录 {listing.decision_number} 提请：{ground}",
    )
    record_event(
        listing,
        AA.PROPOSE_SERIOUS,
        user,
        on=today,
        from_state=listing.state,
        now=now,
        comment=f"提请列入严重违法失信名单：{ground}",
    )
    return serious
