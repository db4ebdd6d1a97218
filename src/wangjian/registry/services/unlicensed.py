"""Sellers with no registered entity become clues of suspected unlicensed trading (电子商务法 art. 10) through the intake port."""

from __future__ import annotations

import datetime as dt
from typing import Any

from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.platform.intake import Lead, LeadReceipt, lead_submit
from wangjian.platform.intake.choices import SourceKind
from wangjian.registry import importing, selectors
from wangjian.registry.choices import (
    MatchOutcome,
)
from wangjian.registry.models import (
    MatchResult,
)

# ---------------------------------------------------------------------------------------------
# Sellers with no registered entity → clues of suspected unlicensed trading (无照经营线索)


def seller_to_clue(
    *, result: MatchResult, user: Any, now: dt.datetime | None = None
) -> tuple[LeadReceipt, str]:
    """Hand a reported seller with no registered entity to the clue loop, once per seller.

    Trading online without registering is what 电子商务法 art. 10 forbids, unless an exemption
    applies (selling one's own farm produce, household handicrafts, small occasional sales):
    the clue goes to the unit the duty list names for 无照经营, which checks exactly that.
    """
    if not selectors.can_review(user, result.bureau_id):
        raise PermissionDeniedError(
            "无权将匹配结果转为线索", "not allowed to turn a match result into a clue"
        )
    if result.outcome != MatchOutcome.NONE:
        raise ValidationFailed(
            "只有“未找到登记主体”的报送经营者可转为无照经营线索",
            "only a seller with no registered entity becomes a clue of unlicensed trading",
        )
    if result.clue_number:
        raise ValidationFailed(f"已转为线索 {result.clue_number}", f"already clue {result.clue_number}")
    seller = result.seller
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
        f"平台“{seller.platform}”报送的经营者“{who}”（{details}）在本局登记库中未找到相符的登记主体"
        f"（比对：{result.reasons}），涉嫌未依法办理市场主体登记从事网络经营（电子商务法第十条），"
        "请核查是否属于无需登记的情形。"
    )
    receipt = lead_submit(
        Lead(
            bureau=result.bureau.code,
            source_kind=SourceKind.MONITORING,
            source_ref=f"registry.seller:{seller.pk}",
            domain="unlicensed",
            facts=facts,
            entity_name=seller.claimed_name,
            entity_uscc=seller.claimed_uscc,
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
    waiting = results.filter(outcome=MatchOutcome.NONE, clue_number="").select_related(
        "seller__platform", "bureau"
    )
    count = waiting.count()
    if count > MAX_CLUES_AT_ONCE:
        raise ValidationFailed(
            f"一次最多转 {MAX_CLUES_AT_ONCE} 条，本次筛选有 {count} 条：请按平台缩小范围",
            f"at most {MAX_CLUES_AT_ONCE} at once, this list has {count}: narrow it by platform",
        )
    return [seller_to_clue(result=result, user=user, now=now)[0].number for result in waiting]
