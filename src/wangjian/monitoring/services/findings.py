"""Findings (监测发现): one per presence, rule and normalised text across runs; evidence captured at the task's threshold; licence checks recorded."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, Q

from wangjian.core.background import send, signature
from wangjian.monitoring.models import (
    Finding,
    LicenceCheck,
)
from wangjian.monitoring.services.libraries import rule_stats_record
from wangjian.monitoring.services.state import _Chunk, _context, _lookup, _matched_key

if TYPE_CHECKING:
    from wangjian.monitoring.engine import Hit
    from wangjian.monitoring.extract import Extracted
    from wangjian.monitoring.fetching import FetchOutcome
    from wangjian.monitoring.models import MonitoringTask
    from wangjian.registry.models import Presence


def finding_upsert(
    *,
    state: _Chunk,
    presence: Presence,
    page_url: str,
    text: str,
    hit: Hit,
    source: str = "",
    rendered: bool = False,
) -> tuple:
    """One finding per (presence, rule, normalised text): create it, or move its last-seen (idempotent per run).

    Returns (finding, created_in_this_run).
    """
    from django.db import IntegrityError

    key = _matched_key(hit.matched)
    run = state.run
    rule = state.rule_row(hit.rule, hit.version_id)
    context, context_start = _context(text, hit.start, hit.end)
    finding = Finding.objects.filter(presence=presence, rule_code=hit.rule, matched_key=key).first()
    if finding is None:
        try:
            with transaction.atomic():
                finding = Finding.objects.create(
                    bureau_id=presence.bureau_id,
                    presence=presence,
                    task=state.task,
                    first_run=run,
                    last_run=run,
                    page_url=page_url[:1000],
                    rule=rule,
                    rule_code=hit.rule,
                    rule_name=hit.rule_name[:200],
                    library_version_id=hit.version_id,
                    version_label=(hit.version or hit.library)[:100],
                    matched=hit.matched[:300],
                    matched_key=key,
                    start=hit.start,
                    end=hit.end,
                    context=context,
                    context_start=context_start,
                    source=source,
                    category=hit.category,
                    severity=hit.severity,
                    legal_basis=hit.legal_basis[:300],
                    first_seen=state.now,
                    last_seen=state.now,
                )
            if rule is not None:
                rule_stats_record(rule=rule, hits=1)
        except IntegrityError:  # another worker (or an earlier attempt) created it just now
            finding = Finding.objects.get(presence=presence, rule_code=hit.rule, matched_key=key)
    elif finding.last_run_id != run.pk:
        # Seen again: the counters are bookkeeping (``audit_ignore``); a new page address is logged.
        finding.update_if(
            ~Q(last_run=run),
            last_seen=state.now,
            last_run=run,
            seen_count=F("seen_count") + 1,
            page_url=page_url[:1000],
        )
    new = finding.first_run_id == run.pk
    if finding.pk not in state.counted:
        state.counted.add(finding.pk)
        state.counts["findings_new" if new else "findings_seen"] += 1
    if new:
        finding_evidence_auto(finding=finding, task=state.task, rendered=rendered)
    return finding, new


def finding_evidence_auto(*, finding: Finding, task: MonitoringTask | None, rendered: bool = False) -> bool:
    """A new finding at or above the task's threshold gets an evidence capture, once (电子数据取证).

    The capture is asked for once per finding (a flag set atomically before the request), so
    a retried chunk does not capture the page twice. A page whose text appeared only in the
    browser is captured in the browser (an HTTP capture would not show the text). With a broker the capture runs on a worker
    and is linked to the finding there; in-process it is stored on the finding at once.
    """
    from wangjian.monitoring.choices import SEVERITY_RANK, EvidenceThreshold

    threshold = task.evidence_threshold if task is not None else EvidenceThreshold.NONE
    if threshold == EvidenceThreshold.NONE or finding.evidence_id:
        return False
    if SEVERITY_RANK.get(finding.severity, 0) < SEVERITY_RANK.get(threshold, 99):
        return False
    if not finding.update_if(Q(evidence_requested=False), evidence_requested=True):
        return False  # asked for already (by an earlier attempt of this chunk)
    result = send(
        "wangjian.evidence.tasks.evidence_capture",
        url=finding.page_url,
        operators=[f"监测任务“{task.name}”（系统自动取证）"],
        purpose=f"监测发现：{finding.rule_code} {finding.rule_name}“{finding.matched}”",
        bureau_id=finding.bureau_id,
        mode="browser" if rendered or task.render == "always" else "http",
        link_model="monitoring.Finding",
        link_id=finding.pk,
        # on a worker: store the capture on the finding
        link=signature("wangjian.monitoring.tasks.finding_evidence_attach", finding.pk),
    )
    from celery.result import EagerResult

    # In-process (no broker) the capture is already stored; with a broker there may be no result
    # backend at all, and the ``link`` callback stores it on the finding when the worker is done.
    if isinstance(result, EagerResult) and result.successful():
        finding_evidence_set(finding_id=finding.pk, capture_id=result.result)
        finding.evidence_id = result.result
    return True


def finding_evidence_set(*, finding_id: int, capture_id: int) -> bool:
    """Store an automatic capture on its finding (the first one wins; later ones stay linked).

    Written to the finding's change log like a review.
    """
    finding = Finding.objects.filter(pk=finding_id).first()
    if finding is None:
        return False
    return finding.update_if(Q(evidence=None), evidence_id=capture_id)


def _licence_record(
    state: _Chunk,
    presence: Presence,
    out: FetchOutcome,
    fetch_linked: Callable[[list[str]], list[Extracted]],
) -> None:
    """The licence verdict of the entry page; an unchanged page keeps the previous verdict."""
    from wangjian.monitoring.licence import licence_links, licence_verdict, wants_linked_pages

    expected = presence.entity.uscc if presence.entity_id else ""
    values = None
    if out.status == "ok" and out.extracted is not None:
        linked = []
        if wants_linked_pages(out.extracted):
            linked = fetch_linked(licence_links(out.extracted)[:3])
        check = licence_verdict(
            page=out.extracted,
            lookup=_lookup,
            expected_uscc=expected,
            linked_pages=linked,
            rendered=out.rendered,
            platform_usccs=presence.platform_operator_usccs,
        )
        if out.reason and check.verdict == "needs_rendering":
            check.reason = f"{check.reason}（{out.reason}）"
        values = dict(
            verdict=check.verdict,
            reason=check.reason[:500],
            uscc=check.uscc[:40],
            name=check.name[:200],
            evidence_text=check.evidence,
        )
    elif out.status == "unchanged":
        last = (
            LicenceCheck.objects.filter(presence=presence, kind="business_licence")
            .exclude(run=state.run)
            .order_by("-id")
            .first()
        )
        if last is not None:
            values = dict(
                verdict=last.verdict,
                reason=(f"页面未变化，沿用上次结论 / page unchanged, previous verdict kept: {last.reason}")[
                    :500
                ],
                uscc=last.uscc,
                name=last.name,
                evidence_text=last.evidence_text,
            )
    if values is None:
        return  # a page that was not read decides nothing (its failure is on the snapshot)
    LicenceCheck.objects.update_or_create(
        run=state.run,
        presence=presence,
        kind="business_licence",  # the permit verdicts (亮证) are recorded beside it: services.permits
        defaults=dict(bureau_id=presence.bureau_id, url=out.url[:1000], checked_at=state.now, **values),
    )
