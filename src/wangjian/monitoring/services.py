"""Writes and decisions on rule libraries: import a version, publish it, count decisions on rules.

The office (领导小组办公室) publishes a department's library (旌德 mechanism 二(三)); a
published version is the one monitoring runs and every finding records. A version is
published only when its regression set passes, so a change that silences a known
violation, or starts flagging a known lawful text, never reaches the officers unseen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from wangjian.core.background import in_process_background, send, signature, start_thread
from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.monitoring import selectors
from wangjian.monitoring.choices import CATEGORY_DOMAIN, VersionStatus
from wangjian.monitoring.licence import LicenceVerdict
from wangjian.monitoring.models import (
    Finding,
    LicenceCheck,
    RegressionLine,
    Rule,
    RuleLibrary,
    RuleLibraryVersion,
)
from wangjian.monitoring.rulefile import LibrarySpec, library_to_dict
from wangjian.org.choices import Role
from wangjian.platform.intake import Lead, LeadReceipt, lead_submit
from wangjian.platform.intake.choices import SourceKind


def _rule_rows(version: RuleLibraryVersion, spec: LibrarySpec) -> list[Rule]:
    return [
        Rule(
            version=version,
            code=r.code,
            name=r.name[:200],
            category=r.category,
            severity=r.severity,
            legal_basis=r.legal_basis[:300],
            explanation=r.explanation,
            product_kinds=r.product_kinds,
            terms=r.terms,
            regexes=r.regexes,
            exclusions=[e.as_line() for e in r.exclusions],
            context=[e.as_line(context=True) for e in r.context],
            near_terms=r.near.terms if r.near else [],
            near_within=r.near.within if r.near else 0,
            absent=r.absent,
            enabled=r.enabled,
        )
        for r in spec.rules
    ]


@transaction.atomic
def version_create(
    *, bureau, spec: LibrarySpec, source: str, actor=None, note: str = ""
) -> RuleLibraryVersion:
    """A new draft version of the bureau's library ``spec.name`` (the library is created if new)."""
    library, _ = RuleLibrary.objects.get_or_create(
        bureau=bureau,
        name=spec.name,
        defaults={
            "title": spec.title or spec.name,
            "department_kind": spec.department_kind,
            "domain": spec.domain,
        },
    )
    last = library.versions.order_by("-number").first()
    version = RuleLibraryVersion(
        library=library,
        number=(last.number + 1) if last else 1,
        status=VersionStatus.DRAFT,
        content=library_to_dict(spec),
        source=source[:200],
        note=note[:300],
        rule_count=len(spec.rules),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    version.save()
    for rule in _rule_rows(version, spec):
        rule.save()  # one by one, so that each rule is in the change log
    existing = set(library.regression_lines.values_list("text", "expect"))
    for line in spec.regression:
        if (line.text, line.expect) not in existing:
            RegressionLine(
                library=library,
                text=line.text,
                expect=line.expect,
                category=line.category,
                product_kind=line.product_kind,
                note=line.note[:300],
            ).save()
            existing.add((line.text, line.expect))
    return version


def library_import(*, bureau, filename: str, content: bytes, actor=None) -> RuleLibraryVersion:
    """Import a YAML or Excel library file as a new draft; a bad file is rejected whole, naming each rule."""
    spec = selectors.library_from_bytes(filename, content)
    return version_create(bureau=bureau, spec=spec, source=filename, actor=actor, note=f"导入 {filename}")


def regression_lines_for(version: RuleLibraryVersion) -> list:
    """The library's regression set plus the version's rule examples."""
    from wangjian.monitoring.rulefile import RegressionLine as Line

    spec = version.spec()
    lines = spec.regression_lines()
    seen = {(x.text, x.expect) for x in lines}
    for row in version.library.regression_lines.all():
        if (row.text, row.expect) not in seen:
            lines.append(Line(row.text, row.expect, row.category, row.product_kind, row.note))
    return lines


@dataclass
class PublishDecision:
    version: RuleLibraryVersion
    previous: RuleLibraryVersion | None
    report: selectors.RegressionReport
    reason: str


def can_publish(user, library: RuleLibrary) -> bool:
    """The office publishes (旌德 mechanism 二(三)): its administrators, or a superuser."""
    from wangjian.org.selectors import can_manage

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return user.role == Role.OFFICE_ADMIN and can_manage(user, library.bureau)


def version_publish(*, version: RuleLibraryVersion, actor, system: bool = False) -> PublishDecision:
    """Publish a draft if its regression set passes; the previously published version is retired."""
    if not system and not can_publish(actor, version.library):
        raise PermissionDeniedError(
            "只有领导小组办公室管理员可以发布规则库",
            "only the office's administrators may publish a rule library",
        )
    if version.status != VersionStatus.DRAFT:
        raise ValidationFailed(
            f"{version} 不是草稿，不能发布", f"{version} is not a draft and cannot be published"
        )
    lines = regression_lines_for(version)
    report = selectors.regression_report(selectors.Engine([version.spec()]), lines)
    version.regression_passed, version.regression_total = report.passed, report.total
    if not report.ok:
        version.save()  # the failed attempt stays visible on the version
        raise ValidationFailed(
            f"回归测试未通过（{len(report.failures)}/{report.total} 条失败），不能发布 {version}",
            f"regression set failed ({len(report.failures)} of {report.total} lines), {version} not published",
            detail=[
                f"[{f.expect}] {f.text} → {', '.join(f.got) or '无命中 / no hit'}" for f in report.failures
            ],
        )
    with transaction.atomic():
        previous = version.library.published_version()
        if previous is not None:
            previous.status = VersionStatus.RETIRED
            previous.save()
        version.status = VersionStatus.PUBLISHED
        version.published_by = actor if getattr(actor, "pk", None) else None
        version.published_at = timezone.now()
        version.save()
    reason = f"回归测试 {report.passed}/{report.total} 通过" + (
        f"；停用 v{previous.number}" if previous else ""
    )
    return PublishDecision(version, previous, report, reason)


def regression_line_add(
    *,
    library: RuleLibrary,
    text: str,
    expect: str,
    category: str = "",
    product_kind: str = "",
    note: str = "",
) -> RegressionLine:
    if not text.strip():
        raise ValidationFailed("测试文本不能为空", "the test text must not be empty")
    line = RegressionLine(
        library=library, text=text, expect=expect, category=category, product_kind=product_kind, note=note
    )
    line.full_clean()
    line.save()
    return line


def rule_stats_record(*, rule: Rule, hits: int = 0, confirmed: int = 0, dismissed: int = 0) -> None:
    """Count hits and the office's decisions on them (the decisions arrive with the findings review)."""
    Rule.objects.filter(pk=rule.pk).update(
        hits=F("hits") + hits, confirmed=F("confirmed") + confirmed, dismissed=F("dismissed") + dismissed
    )


def libraries_load_defaults(*, bureau, actor=None) -> list[RuleLibraryVersion]:
    """Give a bureau the default libraries written from the law, published as version 1."""
    from wangjian.monitoring.engine import default_libraries

    out = []
    for spec in default_libraries():
        if RuleLibrary.objects.filter(bureau=bureau, name=spec.name).exists():
            continue
        version = version_create(bureau=bureau, spec=spec, source="默认库 / default", actor=actor)
        version_publish(version=version, actor=actor, system=True)
        out.append(version)
    return out


# =========================================================================== sweeps (网络交易监测任务)
#
# A run is planned into per-host chunks (``sweep_plan``); each chunk is one Celery task
# (``tasks.sweep_chunk_run``), so any number of workers share a province's presences, and
# without a broker the same tasks run in-process. Every write a chunk makes is idempotent:
# snapshots and licence checks are keyed by page and run, findings by (presence, rule,
# normalised text) with a database constraint, and a chunk's counters are reset when an
# attempt starts — a redelivered chunk (acks_late) redoes its pages and adds nothing twice.

CHUNK_PRESENCES = 10  # presences per chunk: small enough to spread, large enough to reuse connections
BATCH_PRESENCES = 4  # presences crawled concurrently inside a chunk between two progress updates

# When a rule's library names no domain, the clue's domain follows the rule's category.


@dataclass
class ChunkPlan:
    host: str
    presence_ids: list[int]


def sweep_plan(*, task) -> list[ChunkPlan]:
    """Split the task's presences into per-host chunks (one host's politeness stays inside a chunk)."""
    from urllib.parse import urlsplit

    from wangjian.monitoring.selectors import task_presences

    by_host: dict[str, list[int]] = {}
    for pk, url in task_presences(task=task).values_list("pk", "url"):
        by_host.setdefault(urlsplit(url).netloc.lower() or "?", []).append(pk)
    plans = []
    for host in sorted(by_host):
        ids = by_host[host]
        for i in range(0, len(ids), CHUNK_PRESENCES):
            plans.append(ChunkPlan(host, ids[i : i + CHUNK_PRESENCES]))
    return plans


@dataclass
class RunStarted:
    run: object
    chunks: int
    reason: str


SWEEP_CHUNK_TASK = "wangjian.monitoring.tasks.sweep_chunk_run"


def _dispatch_in_thread(chunk_ids: list[int]) -> None:
    def work():
        for pk in chunk_ids:
            send(SWEEP_CHUNK_TASK, pk)

    start_thread("wangjian-sweep", work)


def monitoring_task_run(*, task, actor=None, now=None, background: bool = False) -> RunStarted:
    """Start a run: plan the chunks and hand each to Celery (in-process when no broker is configured).

    ``background`` (the run button): without a broker the chunks run in a thread of this
    process, so the page can show the progress live instead of waiting for the whole sweep.
    """
    from wangjian.monitoring.choices import RunStatus
    from wangjian.monitoring.models import SweepChunk, SweepRun

    now = now or timezone.now()
    if not task.enabled:
        raise ValidationFailed(f"监测任务“{task}”已停用", f"the monitoring task {task} is disabled")
    plans = sweep_plan(task=task)
    with transaction.atomic():
        run = SweepRun.objects.create(
            task=task,
            bureau_id=task.bureau_id,
            status=RunStatus.RUNNING if plans else RunStatus.DONE,
            started_at=now,
            finished_at=None if plans else now,
            started_by=actor if getattr(actor, "pk", None) else None,
            presences_total=sum(len(p.presence_ids) for p in plans),
            pages_remaining=sum(len(p.presence_ids) for p in plans),
            chunks_total=len(plans),
            message="" if plans else "没有符合条件的网络经营场所 / no presence matches the selection",
        )
        chunks = [SweepChunk.objects.create(run=run, host=p.host, presence_ids=p.presence_ids) for p in plans]
        type(task).objects.filter(pk=task.pk).update(last_run_at=now)
    if background and chunks and in_process_background():
        transaction.on_commit(lambda: _dispatch_in_thread([c.pk for c in chunks]))
        return RunStarted(run, len(chunks), f"{run.presences_total} 个场所，{len(chunks)} 个分片（后台执行）")
    for chunk in chunks:
        # After the commit, so a worker on another machine finds the rows.
        send(SWEEP_CHUNK_TASK, chunk.pk)
    run.refresh_from_db()
    return RunStarted(run, len(chunks), f"{run.presences_total} 个场所，{len(chunks)} 个分片（按主机划分）")


def _matched_key(text: str) -> str:
    from wangjian.core.textnorm import normalize_term

    return (normalize_term(text) or text.strip())[:300]


def _context(text: str, start: int, end: int, pad: int = 60) -> tuple[str, int]:
    s = max(0, start - pad)
    return text[s : min(len(text), end + pad)], start - s


def _lookup(code: str):
    from wangjian.registry.models import MarketEntity

    return MarketEntity.objects.filter(uscc=code).order_by("id").values_list("name", "status").first()


class _Chunk:
    """State of one attempt at one chunk (counters, caches), written as the pages are processed."""

    def __init__(self, chunk, now):
        from wangjian.monitoring.selectors import engine_for

        self.chunk = chunk
        self.run = chunk.run
        self.task = chunk.run.task
        self.now = now
        self.engine = engine_for(names=self.task.libraries or None, bureau=self.task.bureau)
        self.rules: dict[tuple, Rule | None] = {}
        self.counted: set[int] = set()
        self.counts = dict(pages_done=0, pages_failed=0, pages_unchanged=0, findings_new=0, findings_seen=0)

    def rule_row(self, code: str, version_id) -> Rule | None:
        key = (code, version_id)
        if key not in self.rules:
            qs = Rule.objects.filter(code=code)
            qs = (
                qs.filter(version_id=version_id)
                if version_id
                else qs.filter(
                    version__library__bureau_id=self.task.bureau_id, version__status=VersionStatus.PUBLISHED
                )
            )
            self.rules[key] = qs.select_related("version__library").order_by("-version__number").first()
        return self.rules[key]


def _snapshot_record(state: _Chunk, presence, out, snap=None) -> tuple[object, bool]:
    """Record the fetch outcome on the page's snapshot; returns (snapshot, text changed)."""
    from wangjian.monitoring.models import PageSnapshot

    if snap is None:
        snap = PageSnapshot(presence=presence, bureau_id=presence.bureau_id, url=out.url[:1000])
    earlier_run = snap.last_run_id != state.run.pk  # not a retried attempt of this run
    snap.depth, snap.checked_at, snap.last_run = out.depth, state.now, state.run
    snap.outcome, snap.reason, snap.http_status = out.status, out.reason[:500], out.http_status
    changed = False
    if out.status == "ok":
        text = out.extracted.combined if out.extracted is not None else out.text
        if out.content_hash != snap.content_hash:
            changed = True
            if snap.content_hash and earlier_run:
                snap.previous_text = snap.text
            snap.text, snap.content_hash, snap.changed_at = text, out.content_hash, state.now
        snap.etag, snap.last_modified = out.etag[:300], out.last_modified[:100]
        snap.rendered = out.rendered
        if out.extracted is not None:
            snap.links = out.extracted.hrefs[:500]
    elif out.status == "unchanged":
        snap.etag = out.etag[:300] or snap.etag
    snap.save()
    return snap, changed


def finding_upsert(
    *, state: _Chunk, presence, page_url: str, text: str, hit, source: str = "", rendered: bool = False
) -> tuple:
    """One finding per (presence, rule, normalised text): create it, or move its last-seen (idempotent per run).

    Returns (finding, created_in_this_run).
    """
    from django.db import IntegrityError

    from wangjian.monitoring.models import Finding

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
        Finding.objects.filter(pk=finding.pk).exclude(last_run=run).update(
            last_seen=state.now, last_run=run, seen_count=F("seen_count") + 1, page_url=page_url[:1000]
        )
        finding.refresh_from_db()
    new = finding.first_run_id == run.pk
    if finding.pk not in state.counted:
        state.counted.add(finding.pk)
        state.counts["findings_new" if new else "findings_seen"] += 1
    if new:
        finding_evidence_auto(finding=finding, task=state.task, rendered=rendered)
    return finding, new


def finding_evidence_auto(*, finding, task, rendered: bool = False) -> bool:
    """A new finding at or above the task's threshold gets an evidence capture, once (电子数据取证).

    The capture is asked for once per finding (a flag set atomically before the request), so
    a retried chunk does not capture the page twice. A page whose text appeared only in the
    browser is captured in the browser (an HTTP capture would not show the text). With a broker the capture runs on a worker
    and is linked to the finding there; in-process it is stored on the finding at once.
    """
    from wangjian.monitoring.choices import SEVERITY_RANK, EvidenceThreshold
    from wangjian.monitoring.models import Finding

    threshold = task.evidence_threshold if task is not None else EvidenceThreshold.NONE
    if threshold == EvidenceThreshold.NONE or finding.evidence_id:
        return False
    if SEVERITY_RANK.get(finding.severity, 0) < SEVERITY_RANK.get(threshold, 99):
        return False
    if not Finding.objects.filter(pk=finding.pk, evidence_requested=False).update(evidence_requested=True):
        return False
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
    """Store an automatic capture on its finding (the first one wins; later ones stay linked)."""
    from wangjian.monitoring.models import Finding

    return bool(Finding.objects.filter(pk=finding_id, evidence=None).update(evidence_id=capture_id))


def _licence_record(state: _Chunk, presence, out, fetch_linked) -> None:
    """The licence verdict of the entry page; an unchanged page keeps the previous verdict."""
    from wangjian.monitoring.licence import _codes, _search_form, licence_links, licence_verdict
    from wangjian.monitoring.models import LicenceCheck

    expected = presence.entity.uscc if presence.entity_id else ""
    values = None
    if out.status == "ok" and out.extracted is not None:
        linked = []
        if not _codes(_search_form(out.extracted.combined)):
            linked = fetch_linked(licence_links(out.extracted)[:3])
        check = licence_verdict(
            page=out.extracted, lookup=_lookup, expected_uscc=expected, linked_pages=linked
        )
        values = dict(
            verdict=check.verdict,
            reason=check.reason[:500],
            uscc=check.uscc[:40],
            name=check.name[:200],
            evidence_text=check.evidence,
        )
    elif out.status == "unchanged":
        last = LicenceCheck.objects.filter(presence=presence).exclude(run=state.run).order_by("-id").first()
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
        defaults=dict(bureau_id=presence.bureau_id, url=out.url[:1000], checked_at=state.now, **values),
    )


def _presence_pages(state: _Chunk, presence, outcomes, fetch_linked) -> None:
    from wangjian.monitoring.models import Finding, PageSnapshot

    # One query each for the presence's snapshots and findings, not one per page.
    snaps = {s.url: s for s in PageSnapshot.objects.filter(presence=presence)}
    by_page: dict[str, list[tuple[int, int | None]]] = {}
    for pk, first_run_id, url in Finding.objects.filter(presence=presence).values_list(
        "pk", "first_run_id", "page_url"
    ):
        by_page.setdefault(url, []).append((pk, first_run_id))
    still_there: list[int] = []
    for out in sorted(outcomes, key=lambda o: (o.depth, o.url)):
        _, changed = _snapshot_record(state, presence, out, snaps.get(out.url[:1000]))
        if out.status == "failed":
            state.counts["pages_failed"] += 1
        elif out.status == "unchanged":
            state.counts["pages_unchanged"] += 1
        else:
            state.counts["pages_done"] += 1
        if out.depth == 0:
            _licence_record(state, presence, out, fetch_linked)
        if out.status == "ok" and out.extracted is not None and changed:
            page = out.extracted
            text = page.combined
            for hit in state.engine.scan(text).hits:
                where = page.source_at(hit.start)
                finding_upsert(
                    state=state,
                    presence=presence,
                    page_url=out.url,
                    text=text,
                    hit=hit,
                    source=where[0].source if where else "",
                    rendered=out.rendered,
                )
        elif out.status in ("ok", "unchanged"):
            # Same content as last time: the findings on this page are still there.
            for pk, first_run_id in by_page.get(out.url[:1000], []):
                still_there.append(pk)
                if pk not in state.counted:
                    state.counted.add(pk)
                    state.counts["findings_new" if first_run_id == state.run.pk else "findings_seen"] += 1
    if still_there:
        Finding.objects.filter(pk__in=still_there).exclude(last_run=state.run).update(
            last_seen=state.now, last_run=state.run, seen_count=F("seen_count") + 1
        )
    type(presence).objects.filter(pk=presence.pk).update(last_checked=state.now)


def sweep_chunk_run(*, chunk, now=None) -> dict:
    """Sweep one chunk's presences: fetch (conditional), skip unchanged pages, check licences, record findings.

    Safe to run again (a redelivered Celery message): the chunk's counters restart from zero
    and every row it writes is keyed so the second attempt updates instead of adding.
    """
    import asyncio

    from wangjian.monitoring.choices import ChunkStatus
    from wangjian.monitoring.fetching import Fetcher
    from wangjian.monitoring.models import PageSnapshot, SweepChunk
    from wangjian.registry.models import Presence

    if chunk.status == ChunkStatus.DONE:
        return {"skipped": "已完成 / already done"}
    now = now or timezone.now()
    SweepChunk.objects.filter(pk=chunk.pk).update(
        status=ChunkStatus.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        presences_done=0,
        pages_done=0,
        pages_failed=0,
        pages_unchanged=0,
        findings_new=0,
        findings_seen=0,
        error="",
    )
    chunk.refresh_from_db()
    state = _Chunk(chunk, now)
    task = state.task
    presences = list(
        Presence.objects.filter(pk__in=chunk.presence_ids).select_related("entity").order_by("pk")
    )
    loop = asyncio.new_event_loop()
    fetcher = Fetcher(render=task.render, delay=task.delay, per_host=2, retries=1, backoff=0.2, timeout=15)
    try:
        for i in range(0, len(presences), BATCH_PRESENCES):
            batch = presences[i : i + BATCH_PRESENCES]
            known = {}
            # Pages an earlier attempt of this run already recorded are fetched afresh, so a
            # retried chunk counts and reports them exactly as the first attempt did.
            snaps = PageSnapshot.objects.filter(presence__in=batch).exclude(outcome="failed")
            for snap in snaps.exclude(last_run=chunk.run):
                known[(snap.presence_id, snap.url)] = {
                    "etag": snap.etag,
                    "last_modified": snap.last_modified,
                    "content_hash": snap.content_hash,
                    "links": snap.links,
                }

            async def crawl_batch(batch=batch, known=known):
                return await asyncio.gather(
                    *(
                        fetcher.crawl(
                            p.url,
                            depth=task.depth,
                            max_pages=task.max_pages,
                            known={u: v for (pid, u), v in known.items() if pid == p.pk},
                        )
                        for p in batch
                    )
                )

            results = loop.run_until_complete(crawl_batch())

            def fetch_linked(urls):
                async def go():
                    return await asyncio.gather(*(fetcher.fetch(u, depth=1) for u in urls))

                return [
                    o.extracted for o in loop.run_until_complete(go()) if o.ok and o.extracted is not None
                ]

            for presence, outcomes in zip(batch, results, strict=True):
                _presence_pages(state, presence, outcomes, fetch_linked)
            SweepChunk.objects.filter(pk=chunk.pk).update(presences_done=i + len(batch), **state.counts)
        status, error = ChunkStatus.DONE, ""
    except Exception as exc:  # the run must end even when a chunk breaks; the reason is kept on the chunk
        import logging

        logging.getLogger(__name__).exception("sweep chunk %s failed", chunk.pk)
        status, error = ChunkStatus.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
    finally:
        try:
            loop.run_until_complete(fetcher.aclose())
        finally:
            loop.close()
    SweepChunk.objects.filter(pk=chunk.pk).update(
        status=status, error=error, finished_at=timezone.now(), **state.counts
    )
    sweep_run_finish(run=chunk.run)
    return {"status": status, **state.counts}


def sweep_run_finish(*, run) -> bool:
    """Close the run once no chunk is pending or running; its totals are the sums of its chunks."""
    from django.db.models import Sum

    from wangjian.monitoring.choices import ChunkStatus, RunStatus
    from wangjian.monitoring.models import SweepRun

    if run.chunks.filter(status__in=[ChunkStatus.PENDING, ChunkStatus.RUNNING]).exists():
        return False
    fields = ["pages_done", "pages_failed", "pages_unchanged", "findings_new", "findings_seen"]
    sums = run.chunks.aggregate(**{f: Sum(f) for f in fields})
    failed = run.chunks.filter(status=ChunkStatus.FAILED).count()
    status = RunStatus.FAILED if failed and failed == run.chunks.count() else RunStatus.DONE
    message = f"{failed} 个分片失败 / {failed} chunk(s) failed" if failed else ""
    return bool(
        SweepRun.objects.filter(pk=run.pk)
        .exclude(status__in=[RunStatus.DONE, RunStatus.FAILED])
        .update(
            status=status,
            finished_at=timezone.now(),
            pages_remaining=0,
            message=message,
            **{f: sums[f] or 0 for f in fields},
        )
    )


# --------------------------------------------------------------------------- review


def can_review(user, finding) -> bool:
    """The office (and the departments' heads and officers of the bureau) review findings (旌德 二(三))."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.bureau_id == finding.bureau_id and user.role in (
        Role.OFFICE_ADMIN,
        Role.DEPARTMENT_HEAD,
        Role.OFFICER,
    )


@dataclass
class ReviewDecision:
    finding: object
    reason: str
    receipt: LeadReceipt | None = None  # the intake port's answer when the finding became a clue


def _review(*, finding, user, status: str, reason: str, now=None):
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


def finding_confirm(*, finding, user, reason: str = "", now=None, to_clue: bool = True) -> ReviewDecision:
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


def finding_make_clue(*, finding, user, now=None) -> ReviewDecision:
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


def finding_dismiss(*, finding, user, reason: str, now=None) -> ReviewDecision:
    """Dismiss a finding as a false positive, with the reason (it lowers the rule's precision)."""
    from wangjian.monitoring.choices import FindingStatus

    if not (reason or "").strip():
        raise ValidationFailed("排除误报须填写理由", "a reason is required to dismiss a finding")
    with transaction.atomic():
        _review(finding=finding, user=user, status=FindingStatus.DISMISSED, reason=reason.strip(), now=now)
    return ReviewDecision(finding, "已排除误报；计入规则确认率")


def finding_to_clue(*, finding, user=None, now=None):
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
    Finding.objects.filter(pk=finding.pk).update(clue_number=receipt.number)
    finding.clue_number = receipt.number
    return receipt, f"线索 {receipt.number}：{receipt.reason_zh}"


# Verdicts that break 电子商务法 art. 15 (display) or suggest unlicensed trading (art. 10 / 无照经营).
LICENCE_CLUE_DOMAIN = {
    "missing": "licence_display",
    "invalid_code": "licence_display",
    "mismatch": "licence_display",
    "unregistered": "unlicensed",
}


def licence_check_to_clue(*, check, user, now=None):
    """Hand a failed licence display check to the clue loop (亮照亮证 → 线索), once per check."""
    if check.verdict not in LICENCE_CLUE_DOMAIN:
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
    facts = (
        f"亮照核验：{check.presence} 入口页 {check.url} 的结论为“{LicenceVerdict(check.verdict).label}”。"
        f"{check.reason}。页面原文：{check.evidence_text or '（无）'}（电子商务法第十五条）"
    )
    receipt = lead_submit(
        Lead(
            bureau=check.presence.bureau.code,
            source_kind=SourceKind.MONITORING,
            source_ref=f"monitoring.licence:{check.pk}",
            domain=LICENCE_CLUE_DOMAIN[check.verdict],
            facts=facts,
            finder=user.username if user else "",
            **check.presence.lead_keys(),
        ),
        now=now,
    )
    LicenceCheck.objects.filter(pk=check.pk).update(clue_number=receipt.number)
    check.clue_number = receipt.number
    return receipt, f"线索 {receipt.number}：{receipt.reason_zh}"


# --------------------------------------------------------------------------- listing feeds and schedule


@dataclass
class FeedScan:
    listings: int = 0
    findings_new: int = 0
    findings_seen: int = 0
    unknown_shops: list[str] | None = None
    rejected: list[tuple[int, str]] | None = None


def feed_scan(*, task, platform, data: bytes | str, fmt: str = "", now=None) -> FeedScan:
    """Scan a platform's listing feed (平台报送商品信息) without fetching pages; findings go to the shops.

    A listing whose shop is not a registered presence of the platform is reported, not dropped.
    """
    from wangjian.monitoring.extract import read_feed
    from wangjian.monitoring.models import SweepRun
    from wangjian.registry.models import Presence

    now = now or timezone.now()
    listings, rejected = read_feed(data, fmt=fmt)
    shops = {p.account_id: p for p in Presence.objects.filter(platform=platform).exclude(account_id="")}
    run = SweepRun.objects.create(
        task=task,
        bureau_id=task.bureau_id,
        status="running",
        started_at=now,
        message=f"平台商品信息：{platform}",
    )

    class _State(_Chunk):
        def __init__(self):
            from wangjian.monitoring.selectors import engine_for

            self.run, self.task, self.now = run, task, now
            self.engine = engine_for(names=task.libraries or None, bureau=task.bureau)
            self.rules, self.counted = {}, set()
            self.counts = dict(
                pages_done=0, pages_failed=0, pages_unchanged=0, findings_new=0, findings_seen=0
            )

    state = _State()
    report = FeedScan(listings=len(listings), unknown_shops=[], rejected=rejected)
    for item in listings:
        presence = shops.get(item.shop_id)
        if presence is None:
            report.unknown_shops.append(item.shop_id)
            continue
        page = item.extracted()
        text = page.combined
        for hit in state.engine.scan(text).hits:
            where = page.source_at(hit.start)
            finding_upsert(
                state=state,
                presence=presence,
                page_url=item.url or f"feed:{item.listing_id}",
                text=text,
                hit=hit,
                source=where[0].source if where else "",
            )
        state.counts["pages_done"] += 1
    SweepRun.objects.filter(pk=run.pk).update(status="done", finished_at=timezone.now(), **state.counts)
    report.findings_new, report.findings_seen = state.counts["findings_new"], state.counts["findings_seen"]
    return report


def monitoring_tasks_due(*, now=None) -> list[int]:
    """Start every enabled task whose interval has passed and that has no run in progress."""
    from wangjian.monitoring.choices import RunStatus
    from wangjian.monitoring.models import MonitoringTask

    now = now or timezone.now()
    started = []
    for task in MonitoringTask.objects.filter(enabled=True, interval_hours__gt=0):
        if task.runs.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists():
            continue
        if task.last_run_at and task.last_run_at > now - dt.timedelta(hours=task.interval_hours):
            continue
        started.append(monitoring_task_run(task=task, now=now).run.pk)
    return started
