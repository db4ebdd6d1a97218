"""A year of monitoring findings (监测发现) of 旌德县: the daily sweep's hits on the county's shops, by the
published rules of its libraries, each reviewed by the office — confirmed ones become clues, as
``monitoring.services.review.finding_to_clue`` makes them — except the last days', still waiting.

A finding is one per shop, rule and matched text (the app's constraint), first seen at the night's sweep
and seen again each night until the shop changed its page. The rules' hit and review counters move as
the sweeps and the review move them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import F
from django.utils import timezone

from wangjian.bulletins.demo_history import texts
from wangjian.bulletins.demo_history.shape import Context, Lead, Party
from wangjian.core.models import bulk_create_audited
from wangjian.core.textnorm import normalize_term
from wangjian.monitoring import rollup
from wangjian.monitoring.choices import CATEGORY_DOMAIN, Category, FindingStatus, VersionStatus
from wangjian.monitoring.models import Finding, Rule
from wangjian.monitoring.services.libraries import rule_stats_record
from wangjian.org.models import Bureau
from wangjian.platform.intake.choices import SourceKind

BASE = 40  # findings in an ordinary month
CONFIRMED = {"high": 0.5, "medium": 0.32, "low": 0.2, "review": 0.15}  # share confirmed, by severity
SOURCES = {"body": 8, "img_alt": 1, "jsonld_description": 2}


def _rules(bureau: Bureau) -> dict[str, list[Rule]]:
    """The bureau's published rules with keywords, by category."""
    rules = (
        Rule.objects.filter(
            version__library__bureau=bureau, version__status=VersionStatus.PUBLISHED, enabled=True
        )
        .exclude(terms=[])
        .select_related("version__library")
        .order_by("id")
    )
    by_category: dict[str, list[Rule]] = defaultdict(list)
    for rule in rules:
        by_category[rule.category].append(rule)
    return by_category


def build(ctx: Context, bureau: Bureau, parties: list[Party]) -> tuple[list[Finding], list[Lead]]:
    """The findings of the year, written in one insert; returns them and the clues the confirmed ones make."""
    rules = _rules(bureau)
    shops = [p for p in parties if p.presence is not None]
    if not rules or not shops:
        return [], []
    reviewer = ctx.registrar(bureau)
    taken = set(
        Finding.objects.filter(presence__in=[p.presence for p in shops]).values_list(
            "presence_id", "rule_code", "matched_key"
        )
    )
    findings: list[Finding] = []
    for month in ctx.months:
        weights = {
            c: w * (texts.PROMOTION.get(c, 1.0) if month.promotion else 1.0)
            for c, w in texts.CATEGORY_WEIGHTS.items()
            if c in rules
        }
        days = ctx.days(month)
        for _n in range(ctx.count(BASE, month)):
            finding = _finding(ctx, bureau, rules[ctx.pick(weights)], ctx.rng.choice(shops), days, taken)
            if finding is not None:
                _review(ctx, finding, reviewer)
                findings.append(finding)
    findings.sort(key=lambda f: f.first_seen)
    bulk_create_audited(findings)
    Finding.objects.filter(pk__in=[f.pk for f in findings]).update(created=F("first_seen"))
    # the days kept by the statistics' roll-up are counted again (a bulk write bypasses its signal)
    rollup.forget({timezone.localtime(f.first_seen).date() for f in findings})
    _count(findings)
    by_shop = {p.presence.pk: p for p in shops}
    leads = [
        _lead(f, by_shop[f.presence_id], ctx, reviewer)
        for f in findings
        if f.status == FindingStatus.CONFIRMED
    ]
    return findings, leads


def _finding(ctx: Context, bureau, rules: list[Rule], shop: Party, days, taken) -> Finding | None:
    rule = ctx.rng.choice(rules)
    term = ctx.rng.choice(rule.terms)
    key = (normalize_term(term) or term.strip())[:300]
    if (shop.presence.pk, rule.code, key) in taken:
        return None  # the same text on the same shop is one finding (seen again, not new)
    taken.add((shop.presence.pk, rule.code, key))
    context = ctx.rng.choice(texts.CONTEXT).format(shop=shop.label, term=term)
    at = context.index(term)
    first = ctx.at(ctx.rng.choice(days), 2)
    seen_for = dt.timedelta(days=ctx.rng.choice((0, 0, 1, 3, 7, 14)))  # until the shop changed its page
    last_day = min(first.date() + seen_for, ctx.yesterday)
    last = ctx.at(last_day, 2, first.minute)
    version = rule.version
    return Finding(
        bureau=bureau,
        presence=shop.presence,
        page_url=shop.presence.url[:1000],
        rule=rule,
        rule_code=rule.code,
        rule_name=rule.name[:200],
        library_version=version,
        version_label=f"{version.library.name} v{version.number}"[:100],
        matched=term[:300],
        matched_key=key,
        start=at,
        end=at + len(term),
        context=context,
        context_start=at,
        source=ctx.pick(SOURCES),
        category=rule.category,
        severity=rule.severity,
        legal_basis=rule.legal_basis[:300],
        first_seen=first,
        last_seen=max(first, last),
        seen_count=1 + (last_day - first.date()).days,
    )


def _review(ctx: Context, finding: Finding, reviewer) -> None:
    """The office reviews a finding within a few working days; the last two days' wait for review."""
    day = ctx.wd(finding.first_seen.date(), ctx.rng.choice((1, 1, 2, 3)))
    if ctx.working_between(day, ctx.yesterday) < 2:
        return
    finding.reviewed_by = reviewer
    finding.reviewed_at = ctx.at(day, ctx.rng.choice((9, 10, 11, 15)))
    if ctx.rng.random() < CONFIRMED.get(finding.severity, 0.3):
        finding.status, finding.review_reason = FindingStatus.CONFIRMED, texts.CONFIRM
    else:
        finding.status, finding.review_reason = FindingStatus.DISMISSED, ctx.rng.choice(texts.DISMISS)


def _count(findings: list[Finding]) -> None:
    """Each rule's hits and the office's decisions on them (the library page's precision)."""
    hits, confirmed, dismissed = Counter(), Counter(), Counter()
    for f in findings:
        hits[f.rule_id] += 1
        confirmed[f.rule_id] += f.status == FindingStatus.CONFIRMED
        dismissed[f.rule_id] += f.status == FindingStatus.DISMISSED
    for rule in Rule.objects.filter(pk__in=list(hits)):
        rule_stats_record(
            rule=rule, hits=hits[rule.pk], confirmed=confirmed[rule.pk], dismissed=dismissed[rule.pk]
        )


def _lead(finding: Finding, shop: Party, ctx: Context, reviewer) -> Lead:
    """The clue a confirmed finding makes (``finding_to_clue``): found on the day it was first seen."""
    domain = finding.rule.version.library.domain or CATEGORY_DOMAIN.get(
        finding.category, "internet_advertising"
    )
    facts = (
        f"网络交易监测发现：{shop.label} 页面 {finding.page_url} 出现“{finding.matched}”，"
        f"命中规则 {finding.rule_code} {finding.rule_name}（{Category(finding.category).label}，"
        f"依据：{finding.legal_basis or '—'}）。上下文：{finding.context}"
    )
    return Lead(
        bureau=finding.bureau,
        source_kind=SourceKind.MONITORING,
        source_ref=f"monitoring.finding:{finding.pk}",
        domain=domain,
        facts=facts,
        party=shop,
        found_on=timezone.localtime(finding.first_seen).date(),
        taken_at=finding.reviewed_at + dt.timedelta(minutes=1),
        finder=reviewer,
        finding=finding,
    )
