"""The office's review of findings (确认/排除) and the hand-over of confirmed findings and failed licence checks to the clue loop through the intake port."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.monitoring.choices import CATEGORY_DOMAIN, LicenceCheckKind
from wangjian.monitoring.licence import LicenceVerdict
from wangjian.monitoring.models import (
    LicenceCheck,
)
from wangjian.monitoring.permissions import FINDINGS_REVIEW
from wangjian.monitoring.permits import BASIS
from wangjian.monitoring.services.libraries import rule_stats_record
from wangjian.org import permissions
from wangjian.platform.intake import Lead, LeadReceipt, lead_submit
from wangjian.platform.intake.choices import SourceKind

if TYPE_CHECKING:
    from wangjian.monitoring.models import Finding
    from wangjian.org.models import User

# --------------------------------------------------------------------------- review


def can_review(user: User | None, finding: Finding | LicenceCheck) -> bool:
    """The office (and the departments' heads and officers of the bureau) review findings (旌德 二(三))."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.bureau_id == finding.bureau_id and permissions.may(user, FINDINGS_REVIEW)


@dataclass
class ReviewDecision:
    finding: object
    reason: str
    receipt: LeadReceipt | None = None  # the intake port's answer when the finding became a clue


def _review(
    *, finding: Finding, user: User, status: str, reason: str, now: dt.datetime | None = None
) -> None:
    from wangjian.monitoring.choices import FindingStatus

    if not can_review(user, finding):
        raise PermissionDeniedError("无权审核监测发现", "not allowed to review findings")
    previous = finding.status
    if previous == status:
        raise ValidationFailed(
            f"该发现已是“{finding.get_status_display()}”", f"the finding is already {finding.status}"
        )
    finding.status = status
    finding.reviewed_by = user
    finding.reviewed_at = now or timezone.now()
    finding.review_reason = reason[:500]
    finding.save()
    if finding.rule_id:
        delta = {"confirmed": 0, "dismissed": 0}
        if previous in (FindingStatus.CONFIRMED, FindingStatus.DISMISSED):
            delta[previous] -= 1
        delta[status] += 1
        rule_stats_record(rule=finding.rule, **delta)


def finding_confirm(
    *, finding: Finding, user: User, reason: str = "", now: dt.datetime | None = None, to_clue: bool = True
) -> ReviewDecision:
    """Confirm a finding as a suspected violation; it becomes a clue (线索) for the responsible unit."""
    from wangjian.monitoring.choices import FindingStatus

    with transaction.atomic():
        _review(finding=finding, user=user, status=FindingStatus.CONFIRMED, reason=reason, now=now)
    why = "已确认；计入规则确认率"
    receipt = None
    if to_clue and not finding.clue_number:
        try:
            receipt, note = finding_to_clue(finding=finding, user=user, now=now)
            why += f"；{note}"
        except WangjianError as exc:  # the confirmation stands; the clue can be made again from the page
            why += f"；未能生成线索：{exc}"
        except Exception:  # an error of ours: logged with its trace, the confirmation still stands
            import logging

            logging.getLogger(__name__).exception("finding %s confirmed, clue not made", finding.pk)
            why += "；未能生成线索（内部错误，已记入日志），可在本页重新生成线索"
    return ReviewDecision(finding, why, receipt)


def finding_make_clue(*, finding: Finding, user: User, now: dt.datetime | None = None) -> ReviewDecision:
    """Make the clue of a confirmed finding whose clue was not made at confirmation (转线索重试)."""
    from wangjian.monitoring.choices import FindingStatus

    if not can_review(user, finding):
        raise PermissionDeniedError("无权审核监测发现", "not allowed to review findings")
    if finding.status != FindingStatus.CONFIRMED:
        raise ValidationFailed("只有已确认的发现可转线索", "only a confirmed finding becomes a clue")
    if finding.clue_number:
        raise ValidationFailed(
            f"该发现已转为线索 {finding.clue_number}", f"already clue {finding.clue_number}"
        )
    receipt, note = finding_to_clue(finding=finding, user=user, now=now)
    return ReviewDecision(finding, note, receipt)


def finding_dismiss(
    *, finding: Finding, user: User, reason: str, now: dt.datetime | None = None
) -> ReviewDecision:
    """Dismiss a finding as a false positive, with the reason (it lowers the rule's precision)."""
    from wangjian.monitoring.choices import FindingStatus

    if not (reason or "").strip():
        raise ValidationFailed("排除误报须填写理由", "a reason is required to dismiss a finding")
    with transaction.atomic():
        _review(finding=finding, user=user, status=FindingStatus.DISMISSED, reason=reason.strip(), now=now)
    return ReviewDecision(finding, "已排除误报；计入规则确认率")


def finding_to_clue(
    *, finding: Finding, user: User | None = None, now: dt.datetime | None = None
) -> tuple[LeadReceipt, str]:
    """Hand a confirmed finding to the clue loop through the intake port, once."""
    domain = ""
    if finding.rule_id and finding.rule.version.library.domain:
        domain = finding.rule.version.library.domain
    domain = domain or CATEGORY_DOMAIN.get(finding.category, "internet_advertising")
    facts = (
        f"网络交易监测发现：{finding.presence} 页面 {finding.page_url} 出现“{finding.matched}”，"
        f"命中规则 {finding.rule_code} {finding.rule_name}（{finding.get_category_display()}，"
        f"依据：{finding.legal_basis or '—'}）。上下文：{finding.context}"
    )
    evidence = finding.evidence
    receipt = lead_submit(
        Lead(
            bureau=finding.bureau.code,
            source_kind=SourceKind.MONITORING,
            source_ref=f"monitoring.finding:{finding.pk}",
            domain=domain,
            facts=facts,
            found_on=timezone.localtime(finding.first_seen).date(),
            evidence=(f"evidence:{evidence.metadata_sha256}",)
            if evidence and evidence.metadata_sha256
            else (),
            finder=user.username if user else "",
            **finding.presence.lead_keys(),
        ),
        now=now,
    )
    finding.clue_number = receipt.number
    finding.save(
        update_fields=["clue_number", "last_updated"]
    )  # in the change log: the finding became a clue
    return receipt, f"线索 {receipt.number}：{receipt.reason_zh}"


# Verdicts that break 电子商务法 art. 15 (display) or suggest unlicensed trading (art. 10 / 无照经营).
LICENCE_CLUE_DOMAIN = {
    "missing": "licence_display",
    "invalid_code": "licence_display",
    "mismatch": "licence_display",
    "unregistered": "unlicensed",
}
# Permit verdicts (亮证) that are suspected violations: a permit not shown, malformed, unknown to the
# permit data, no longer in force, or another's — routed to the domain of the goods (the food, drug
# or device department by the duty list); the business mark (亮标) to the licence-display domain.
# Uncertain goods, a filing that suffices, a page not rendered and a permit that checks out are none.
PERMIT_CLUE_VERDICTS = frozenset({"not_shown", "invalid_format", "not_in_data", "lapsed", "holder_mismatch"})
PERMIT_CLUE_DOMAIN = {
    "food_permit": "online_food",
    "platform_filing": "online_food",
    "drug_permit": "online_drug",
    "drug_info": "online_drug",
    "device_permit": "online_medical_device",
    "ebiz_mark": "licence_display",
}


def licence_clue_domain(check: LicenceCheck) -> str | None:
    """The domain a failed check's clue goes to (the duty list routes it), or None when it is no violation."""
    if check.kind in ("", LicenceCheckKind.BUSINESS_LICENCE):
        return LICENCE_CLUE_DOMAIN.get(check.verdict)
    if check.verdict in PERMIT_CLUE_VERDICTS:
        return PERMIT_CLUE_DOMAIN.get(check.kind)
    return None


def licence_check_to_clue(
    *, check: LicenceCheck, user: User, now: dt.datetime | None = None
) -> tuple[LeadReceipt, str]:
    """Hand a failed licence or permit display check to the clue loop (亮照亮证亮标 → 线索), once per check."""
    domain = licence_clue_domain(check)
    if domain is None:
        raise ValidationFailed(
            f"核验结果“{check.get_verdict_display()}”不构成线索",
            f"the verdict {check.verdict} is not a suspected violation",
        )
    if not can_review(user, check):
        raise PermissionDeniedError(
            "无权将亮照核验结果转为线索", "not allowed to turn a licence check into a clue"
        )
    if check.clue_number:
        raise ValidationFailed(f"已转为线索 {check.clue_number}", f"already clue {check.clue_number}")
    if check.kind in ("", LicenceCheckKind.BUSINESS_LICENCE):
        facts = (
            f"亮照核验：{check.presence} 入口页 {check.url} 的结论为“{LicenceVerdict(check.verdict).label}”。"
            f"{check.reason}。页面原文：{check.evidence_text or '（无）'}（电子商务法第十五条）"
        )
    else:
        facts = (
            f"亮证核验（{check.get_kind_display()}）：{check.presence} 入口页 {check.url} 的结论为"
            f"“{check.get_verdict_display()}”。{check.reason}。页面显示的编号：{check.uscc or '（无）'}。"
            f"页面原文：{check.evidence_text or '（无）'}（{BASIS.get(check.kind, '')}）"
        )
    receipt = lead_submit(
        Lead(
            bureau=check.presence.bureau.code,
            source_kind=SourceKind.MONITORING,
            source_ref=f"monitoring.licence:{check.pk}",
            domain=domain,
            facts=facts,
            finder=user.username if user else "",
            **check.presence.lead_keys(),
        ),
        now=now,
    )
    LicenceCheck.objects.filter(pk=check.pk).update(clue_number=receipt.number)
    check.clue_number = receipt.number
    return receipt, f"线索 {receipt.number}：{receipt.reason_zh}"
