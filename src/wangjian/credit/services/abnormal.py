"""经营异常名录: proposal with its clock, the listing decision, removal on application, and the consequences.

The rules, as 企业信息公示暂行条例 (2024 revision) and 企业经营异常名录管理办法 (2025) give them (the article
numbers are the project's DOMAIN.md's and must be checked against the official texts):

- Grounds: the annual report not published between 1 January and 30 June (for the year before); information
  not published within the period the bureau ordered; published information false or concealed — including
  the websites and shops an annual report declares (旌德机制 9, 云南实施意见 三(三)1); the entity cannot be
  reached at its registered address. 个体工商户 are *marked* 经营异常状态 under their own annual-report rules
  (个体工商户年度报告办法 / 个体工商户条例); the steps and clocks are the same.
- The listing decision within 10 working days after the period ends (for false information or an unreachable
  address: after the day it was established), numbered and published.
- Removal: the entity does what the ground required (信用修复管理办法 art. 5: files the missing reports, publishes,
  corrects, changes or is reachable again at its address) and applies; the decision within 5 working days of
  a valid application.
- Consequences the current rules give: listed for being unreachable and two years without an annual report →
  吊销营业执照 (flagged here as a work item of the registration side, with the basis); serious falsification →
  proposed for the 严重违法失信名单 under its own measures, with notice and a hearing (``services.serious``).
  The old "three years listed → 严重违法失信名单" rule (经营异常名录管理暂行办法) no longer applies: nothing
  here counts three years.
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
from wangjian.credit.choices import REMOVAL_FOR, AbnormalAction, AbnormalGround, AbnormalState, RemovalGround
from wangjian.credit.models import AbnormalListing, AnnualReport, SeriousListing
from wangjian.credit.services import common
from wangjian.credit.services.transitions import (
    ABNORMAL,
    TRANSITIONS,
    record_event,
    require_worker,
    transition_check,
)
from wangjian.org.models import Bureau, User
from wangjian.platform.clocks.services import deadline_for
from wangjian.platform.numbering.services import number_issue
from wangjian.registry.models import MarketEntity

A, AA, G = AbnormalState, AbnormalAction, AbnormalGround
OPEN = (A.PROPOSED, A.LISTED)
REVOCATION_YEARS = 2


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
        if action == AA.REMOVE:
            return _remove(listing, user, values, today, now)
        if action == AA.REFUSE_REMOVAL:
            if not removal_pending(listing):
                raise ValidationFailed("没有待决定的移出申请", "There is no removal application to decide")
            note = common.need(common.text(values, "note"), "请说明不予移出的理由", "Give the reason")
            applied = listing.removal_applied_on
            listing.removal_applied_on, listing.removal_due, listing.removal_basis = None, None, ""
            listing.removal_ground = ""
            clocks.clock_end(listing, clocks.REMOVAL, user, "不予移出", now)
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
    deadline = deadline_for(bureau=listing.bureau_id, clock=clocks.REMOVAL, start=applied)
    listing.removal_applied_on, listing.removal_ground, listing.removal_note = applied, ground, note
    listing.removal_due, listing.removal_basis = deadline.due, deadline.basis_text("收到移出申请")
    listing.save()
    clocks.clock_open(
        listing, clocks.REMOVAL, applied, now, reference=listing.decision_number or listing.entity.uscc
    )
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
        common.not_before(
            removed,
            listing.removal_applied_on,
            "移出日期不能早于申请日期",
            "Removal cannot precede the application",
        )
    late = bool(listing.removal_due and removed > listing.removal_due)
    listing.removed_on = removed
    listing.removal_number = number_issue(
        bureau=listing.bureau, kind="abnormal_removal", subject=listing, user=user, now=now
    ).number
    clocks.clock_end(listing, clocks.REMOVAL, user, f"{removed} 移出", now)
    for kind in (clocks.REVOCATION,):
        clocks.clock_end(listing, kind, user, "已移出经营异常名录", now, cancelled=True)
    suffix = f"（超过移出期限 {listing.removal_due}）" if late else ""
    _move(
        listing,
        AA.REMOVE,
        user,
        removed,
        f"{listing.removal_number}：移出（{listing.get_removal_ground_display()}）{suffix}",
        now,
    )
    return f"已移出经营异常名录（{listing.removal_number}）{suffix}"


def removal_by_repair(
    *, listing: AbnormalListing, user: User | None, removed_on: dt.date, number: str, now: dt.datetime
) -> None:
    """A granted credit repair of a listing removes it (信用修复管理办法 art. 5), with the repair's number."""
    transition_check(user=user, record=ABNORMAL, obj=listing, action=AA.REMOVE)
    listing.removed_on = removed_on
    listing.removal_ground = listing.removal_ground or REMOVAL_FOR[AbnormalGround(listing.ground)]
    listing.removal_number = number
    clocks.clock_end(listing, clocks.REMOVAL, user, f"{removed_on} 经信用修复移出", now)
    clocks.clock_end(listing, clocks.REVOCATION, user, "已移出经营异常名录", now, cancelled=True)
    _move(listing, AA.REMOVE, user, removed_on, f"{number}：经信用修复移出", now)


# ---------------------------------------------------------------------------------------------
# Consequences


def revocation_rule(listing: AbnormalListing, today: dt.date) -> tuple[bool, str]:
    """Listed for being unreachable and two years without an annual report → 吊销营业执照; and why, in words.

    The two years run from the listing; "without an annual report" is: none of the reports that fell due
    in those two years (year Y due by 30 June of Y+1) is on file. 企业信息公示暂行条例 (2024 revision);
    the article number must be verified against the official text.
    """
    if listing.ground != G.UNREACHABLE:
        return False, "仅适用于因通过登记的住所或者经营场所无法联系被列入的"
    if listing.state != A.LISTED or listing.listed_on is None:
        return False, "该主体不在经营异常名录中"
    if listing.revocation_flagged_on:
        return False, f"已于 {listing.revocation_flagged_on} 提请吊销营业执照"
    two_years = add_months(listing.listed_on, 12 * REVOCATION_YEARS)
    if today < two_years:
        return False, f"列入未满两年（{listing.listed_on} 列入，{two_years} 满两年）"
    years = [
        y
        for y in range(listing.listed_on.year - 1, two_years.year + 1)
        if listing.listed_on < report_period_end(y) <= two_years
    ]
    filed = sorted(
        AnnualReport.objects.filter(entity=listing.entity, year__in=years).values_list("year", flat=True)
    )
    if filed:
        return False, f"列入期间已报送{'、'.join(str(y) for y in filed)}年度报告"
    due_years = "、".join(str(y) for y in years) or "—"
    return True, (
        f"{listing.listed_on} 因通过登记的住所或者经营场所无法联系{listing.listing_word}，至 {two_years} 满两年，"
        f"其间应报送的{due_years}年度报告均未报送；依《企业信息公示暂行条例》（2024年修订）应依法吊销营业执照（条文序号须核实）"
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
    """The daily check (the system's step): flag every listing that has reached the revocation rule."""
    now = now or timezone.now()
    today = today or timezone.localtime(now).date()
    qs = AbnormalListing.objects.filter(
        ground=G.UNREACHABLE,
        state=A.LISTED,
        revocation_flagged_on__isnull=True,
        listed_on__lte=add_months(today, -12 * REVOCATION_YEARS),
    ).select_related("entity", "bureau")
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
    """Serious falsification: proposed for the 严重违法失信名单, which then runs its own notice and hearing."""
    if listing.ground != G.FALSE_INFO:
        raise ValidationFailed(
            "只有因公示信息隐瞒真实情况、弄虚作假被列入的，才可因情节严重提请列入严重违法失信名单",
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
