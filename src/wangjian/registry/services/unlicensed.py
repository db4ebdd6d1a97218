"""Sellers trading without a registration — no registered entity, or one that is 注销, 吊销 or 迁出 — become clues of suspected unlicensed trading (电子商务法 art. 10) through the intake port."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum

from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.org.models import Bureau
from wangjian.platform.intake import Lead, LeadReceipt, lead_submit
from wangjian.platform.intake.choices import SourceKind
from wangjian.registry import importing, selectors
from wangjian.registry.choices import EntityStatus, MatchOutcome, SellerExemption
from wangjian.registry.models import LEAD_STATUSES, MatchResult, SellerReport

# ---------------------------------------------------------------------------------------------
# Sellers with no registered entity → clues of suspected unlicensed trading (无照经营线索)


SMALL_SALES_LIMIT = Decimal("100000")  # 网络交易监督管理办法 art. 8: 年交易额累计不超过10万元


def _exemption_checked(seller: SellerReport) -> tuple[bool, str]:
    """Whether the report shows the seller needs no registration, and what was checked, in words.

    电子商务法 art. 10 and 网络交易监督管理办法 art. 8: selling one's own farm produce or household
    handicrafts, convenience services needing no licence, and 零星小额 trading up to ¥100,000 a year
    across all the seller's shops need no registration. The sum is taken over the reports of the same
    seller (the same code, else the same name) on every platform of the bureau.
    """
    if not seller.exemption:
        return False, "已核对免于登记情形：报送信息未声明"
    label = SellerExemption(seller.exemption).label
    if seller.exemption != SellerExemption.SMALL:
        return True, f"报送信息声明属于“{label}”，依电子商务法第十条无需办理市场主体登记"
    same = SellerReport.objects.filter(bureau_id=seller.bureau_id)
    if seller.claimed_uscc:
        same = same.filter(claimed_uscc=seller.claimed_uscc)
    elif seller.claimed_name:
        same = same.filter(claimed_name=seller.claimed_name)
    else:
        same = same.filter(pk=seller.pk)
    total = same.aggregate(total=Sum("yearly_sales"))["total"]
    shops = same.count()
    if total is None:
        return False, f"报送声明“{label}”，但未报送年交易额，无法核对是否超过10万元"
    if total <= SMALL_SALES_LIMIT:
        return (
            True,
            f"报送声明“{label}”，其{shops}个店铺年交易额合计{total:,.2f}元，未超过10万元（网络交易监督管理办法第八条）",
        )
    return (
        False,
        f"报送声明“{label}”，但其{shops}个店铺年交易额合计{total:,.2f}元，超过10万元（网络交易监督管理办法第八条）",
    )


def lead_ground(result: MatchResult) -> tuple[str, str]:
    """Why this seller is a lead of unlicensed trading — ("none" | "cancelled" | "moved_out", words) — or
    a ``ValidationFailed`` saying why not. Identity first, legal status apart: a seller linked to a
    注销 or 吊销 entity trades without a registration as surely as one with no entity at all."""
    entity = result.entity
    linked = entity is not None and (result.outcome == MatchOutcome.AUTO or result.decided)
    if result.outcome == MatchOutcome.NONE:
        return "none", f"在本局登记库中未找到相符的登记主体（比对：{result.reasons}）"
    if linked and entity.status in (EntityStatus.CANCELLED, EntityStatus.REVOKED):
        when = f"于{entity.status_date:%Y年%m月%d日}" if entity.status_date else "（登记库未载明日期）"
        return (
            "cancelled",
            f"与登记主体“{entity.name}”（{entity.uscc}）相符（{result.reasons}），该主体已{when}"
            f"{entity.get_status_display()}，仍在从事网络经营",
        )
    if linked and entity.status == EntityStatus.MOVED_OUT:
        to = f"（迁往区划{entity.moved_to}）" if entity.moved_to else ""
        return (
            "moved_out",
            f"与登记主体“{entity.name}”（{entity.uscc}）相符，该主体已迁出{to}，仍以原登记信息经营",
        )
    if linked and entity.status == EntityStatus.SUSPENDED:
        raise ValidationFailed(
            "该主体登记为歇业：记录在案，不作为无照经营线索",
            "the entity is registered as suspended: noted, not a lead of unlicensed trading",
        )
    raise ValidationFailed(
        "只有“未找到登记主体”或关联主体已注销、吊销、迁出的报送经营者可转为无照经营线索",
        "only a seller with no registered entity, or linked to a cancelled, revoked or moved-out one, becomes a clue",
    )


def _receiving_bureau(result: MatchResult, ground: str) -> str:
    """A moved-out entity's lead goes to the bureau it moved to, when that bureau is on this instance."""
    if ground == "moved_out" and result.entity.moved_to:
        code = result.entity.moved_to[:6]
        if Bureau.objects.filter(code=code).exists():
            return code
    return result.bureau.code


def seller_to_clue(
    *, result: MatchResult, user: Any, now: dt.datetime | None = None
) -> tuple[LeadReceipt, str]:
    """Hand a reported seller trading without a registration to the clue loop, once per seller.

    Trading online without registering is what 电子商务法 art. 10 forbids, unless an exemption
    applies (selling one's own farm produce, household handicrafts, small occasional sales): a seller
    whose report shows an exemption is not a lead; otherwise the clue goes to the unit the duty list
    names for 无照经营, and its facts say which exemption was checked.
    """
    if not selectors.can_review(user, result.bureau_id):
        raise PermissionDeniedError(
            "无权将匹配结果转为线索", "not allowed to turn a match result into a clue"
        )
    if result.clue_number:
        raise ValidationFailed(f"已转为线索 {result.clue_number}", f"already clue {result.clue_number}")
    ground, why = lead_ground(result)
    seller = result.seller
    exempt, checked = _exemption_checked(seller)
    if exempt:
        raise ValidationFailed(
            f"不作为线索：{checked}", "not a lead: the report shows the seller needs no registration"
        )
    who = seller.claimed_name or seller.shop_name
    details = "，".join(
        part
        for part in (
            f"店铺ID {seller.seller_id}",
            f"店铺“{seller.shop_name}”" if seller.shop_name else "",
            f"网址 {seller.url}" if seller.url else "",
            f"自报统一社会信用代码 {seller.claimed_uscc}" if seller.claimed_uscc else "",
            f"地址 {seller.address}" if seller.address else "",
        )
        if part
    )
    facts = (
        f"平台“{seller.platform}”报送的经营者“{who}”（{details}）{why}，"
        f"涉嫌未依法办理市场主体登记从事网络经营（电子商务法第十条）；{checked}。请核查。"
    )
    entity = result.entity if ground != "none" else None
    receipt = lead_submit(
        Lead(
            bureau=_receiving_bureau(result, ground),
            source_kind=SourceKind.MONITORING,
            source_ref=f"registry.seller:{seller.pk}",
            domain="unlicensed",
            facts=facts,
            entity_name=entity.name if entity else seller.claimed_name,
            entity_uscc=entity.uscc if entity else seller.claimed_uscc,
            region=importing.registry_region("", seller.address, ""),
            finder=user.username if user else "",
            **(seller.presence.lead_keys() if seller.presence_id else {}),
        ),
        now=now,
    )
    MatchResult.objects.filter(pk=result.pk).update(clue_number=receipt.number)
    result.clue_number = receipt.number
    return receipt, f"线索 {receipt.number}：{receipt.reason_zh}"


MAX_CLUES_AT_ONCE = 500  # one request routes them all; beyond this, narrow the list by platform first


def sellers_to_clues(*, results: Any, user: Any, now: dt.datetime | None = None) -> list[str]:
    """``seller_to_clue`` for every seller of ``results`` with no registered entity and no clue yet;
    the numbers of the clues made."""
    waiting = results.filter(
        Q(outcome=MatchOutcome.NONE)
        | Q(outcome=MatchOutcome.AUTO, entity__status__in=LEAD_STATUSES)
        | Q(decided=True, entity__status__in=LEAD_STATUSES),
        clue_number="",
    ).select_related("seller__platform", "bureau", "entity")
    count = waiting.count()
    if count > MAX_CLUES_AT_ONCE:
        raise ValidationFailed(
            f"一次最多转 {MAX_CLUES_AT_ONCE} 条，本次筛选有 {count} 条：请按平台缩小范围",
            f"at most {MAX_CLUES_AT_ONCE} at once, this list has {count}: narrow it by platform",
        )
    numbers = []
    for result in waiting:
        if _exemption_checked(result.seller)[0]:
            continue  # the report shows no registration is needed: not a lead
        numbers.append(seller_to_clue(result=result, user=user, now=now)[0].number)
    return numbers
