"""Recording one presence's fetched pages: snapshots with change detection, the licence check of its entry
page, and the findings of every changed page (unchanged pages keep their findings seen)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.db.models import F

from wangjian.monitoring.licence import needs_rendering
from wangjian.monitoring.models import Finding, PageSnapshot
from wangjian.monitoring.services.findings import _licence_record, finding_upsert
from wangjian.monitoring.services.permits import permits_record
from wangjian.monitoring.services.state import _Chunk

if TYPE_CHECKING:
    from wangjian.monitoring.extract import Extracted
    from wangjian.monitoring.fetching import FetchOutcome
    from wangjian.registry.models import Presence


def _snapshot_record(
    state: _Chunk, presence: Presence, out: FetchOutcome, snap: PageSnapshot | None = None
) -> tuple[object, bool]:
    """Record the fetch outcome on the page's snapshot; returns (snapshot, text changed)."""
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
        page = out.extracted
        if page is not None and not out.rendered and page.writes_text and not snap.reason:
            # What scripts write was not read: the findings of this page are those of its static text only.
            snap.reason = (
                "页面由脚本写入文字但未经浏览器渲染，仅扫描了静态文字 / scripts write text into this page, which "
                f"was not rendered: only its static text was scanned ({page.script_writes[0]})"
            )[:500]
        if out.extracted is not None:
            snap.links = out.extracted.hrefs[:500]
    elif out.status == "unchanged":
        snap.etag = out.etag[:300] or snap.etag
    snap.save()
    return snap, changed


def _entry_as_shown(out: FetchOutcome, render: Callable[[str], FetchOutcome] | None) -> FetchOutcome:
    """The entry page as a buyer sees it when its scripts could write the licence display (亮照 before verdict)."""
    if render is None or not needs_rendering(out.extracted, rendered=out.rendered):
        return out
    shown = render(out.url)
    if shown.status == "ok" and shown.rendered and shown.extracted is not None:
        return shown
    out.reason = (shown.reason or "浏览器渲染失败 / rendering failed")[:500]
    return out


def _presence_pages(
    state: _Chunk,
    presence: Presence,
    outcomes: Iterable[FetchOutcome],
    fetch_linked: Callable[[list[str]], list[Extracted]],
    *,
    render: Callable[[str], FetchOutcome] | None = None,
) -> None:
    """Record a presence's pages. ``render`` opens a page in the browser (None when the task never renders):
    an entry page whose scripts could write the licence display is rendered before any verdict."""
    # One query each for the presence's snapshots and findings, not one per page.
    snaps = {s.url: s for s in PageSnapshot.objects.filter(presence=presence)}
    by_page: dict[str, list[tuple[int, int | None]]] = {}
    for pk, first_run_id, url in Finding.objects.filter(presence=presence).values_list(
        "pk", "first_run_id", "page_url"
    ):
        by_page.setdefault(url, []).append((pk, first_run_id))
    still_there: list[int] = []
    for out in sorted(outcomes, key=lambda o: (o.depth, o.url)):
        if out.depth == 0 and out.status == "ok" and out.extracted is not None:
            out = _entry_as_shown(out, render)
        _, changed = _snapshot_record(state, presence, out, snaps.get(out.url[:1000]))
        if out.status == "failed":
            state.counts["pages_failed"] += 1
        elif out.status == "unchanged":
            state.counts["pages_unchanged"] += 1
        else:
            state.counts["pages_done"] += 1
        if out.depth == 0:
            _licence_record(state, presence, out, fetch_linked)
            permits_record(state, presence, out, fetch_linked, render=render)  # 亮证/亮标 beside 亮照
        if out.status == "ok" and out.extracted is not None and changed:
            page = out.extracted
            text = page.combined
            result = state.engine.scan(text)
            state.regex_report(result.regex_problems)
            for hit in result.hits + result.suggestions:  # the model's review signals beside the rules' hits
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
