"""Platforms' listing feeds (平台报送商品信息) scanned without fetching pages: one path for the page, the API and the command line.

``feed_scan_start`` checks what an officer sends — the right to scan (``monitoring.feeds.scan``), a
monitoring task of their own bureau and a platform of it, an upload within the import cap
(``WANGJIAN_IMPORT_MAX_BYTES``) or a URL through the address policy — keeps the file in storage and
records a queued ``FeedScan``; a refused file or URL is recorded as a failed scan with the reason, and
the page and the API answer with the same words. ``feed_scan_run`` (a worker, a thread of the web
process without a broker, or the caller) reads the feed, keeps every rejected row with its reason,
scans each listing of a registered shop with the task's rule libraries and upserts the findings as a
sweep does (one per presence, rule and normalised text: a feed scanned twice adds no finding),
reports the shop ids that are no presence of the platform, and writes its progress in batches for the
page. A feed that could not be fetched ends ``failed`` with the reason, never as a clean scan.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.files import File
from django.core.files.base import ContentFile
from django.utils import timezone

from wangjian.core import uploads
from wangjian.core.background import dispatch
from wangjian.core.charset import decode_body
from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.core.fetching.addresses import REFUSED_EN, REFUSED_ZH, current_policy
from wangjian.core.fetching.limits import url_problem
from wangjian.monitoring.choices import FeedFormat, FeedSource, RunStatus
from wangjian.monitoring.extract import FeedListing, read_feed
from wangjian.monitoring.kinds import kind_of_category
from wangjian.monitoring.models import FeedScan, SweepRun
from wangjian.monitoring.permissions import FEED_SCAN
from wangjian.monitoring.selectors import engine_for
from wangjian.monitoring.services.findings import finding_upsert
from wangjian.monitoring.services.state import _Chunk, new_counts
from wangjian.org import permissions
from wangjian.registry.models import Presence

if TYPE_CHECKING:
    from wangjian.monitoring.models import MonitoringTask
    from wangjian.registry.models import Platform

log = logging.getLogger(__name__)

FEED_SCAN_TASK = "wangjian.monitoring.tasks.feed_scan_run"
BATCH_LISTINGS = 200  # listings scanned between two progress updates of the page
STALE_AFTER = dt.timedelta(minutes=30)  # a running scan silent this long died with its process
QUEUED_KEEP = dt.timedelta(hours=24)  # a scan no worker took up within a day will not be
# The file types a feed comes in, and the format each says (``""``: recognised from the first line).
SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".txt": ""}


@dataclass
class FeedReport:
    """What a scan found, for the command line: the counts, the shops not registered, the rows refused."""

    scan: FeedScan
    listings: int = 0
    findings_new: int = 0
    findings_seen: int = 0
    unknown_shops: list[str] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)


# --------------------------------------------------------------------------- checks


def can_scan_feeds(user: Any, bureau_id: int | None = None) -> bool:
    """May ``user`` scan feeds (the table's cell), for a task of ``bureau_id`` (their own bureau)?"""
    if not permissions.may(user, FEED_SCAN):
        return False
    if user is None or bureau_id is None or user.is_superuser:
        return True
    return user.bureau_id == bureau_id


def _feed_scan_check(*, user: Any, task: MonitoringTask, platform: Platform) -> None:
    permissions.require(user, FEED_SCAN)
    if not can_scan_feeds(user, task.bureau_id):
        raise PermissionDeniedError(
            "只能为本局的监测任务扫描商品信息",
            "a feed is scanned for a monitoring task of one's own bureau",
        )
    if platform.bureau_id != task.bureau_id:
        raise ValidationFailed("请选择该监测任务所属局的平台", "choose a platform of the task's bureau")
    if not task.enabled:
        raise ValidationFailed(f"监测任务“{task}”已停用", f"the monitoring task {task} is disabled")


def _suffix(name: str) -> str:
    return PurePosixPath(name or "").suffix.lower()


def _upload_check(file: File, file_name: str) -> None:
    uploads.check_size(file, kind=uploads.IMPORT)
    if _suffix(file_name) not in SUFFIXES:
        raise ValidationFailed(
            "只支持 JSONL 或 CSV 文件（.jsonl、.ndjson、.json、.csv、.txt）",
            "only JSONL or CSV files (.jsonl, .ndjson, .json, .csv, .txt)",
            code="file_type",
        )
    file.seek(0)
    head = file.read(4)
    file.seek(0)
    if head.startswith(b"PK\x03\x04"):
        raise ValidationFailed(
            "文件是压缩包（如 Excel 工作簿），不是 JSONL 或 CSV；请另存为 CSV",
            "the file is a zip (an Excel workbook?), not JSONL or CSV: save it as CSV",
            code="file_type",
        )


def _url_check(url: str) -> None:
    """A URL the server may read: http(s) with a host (``url_problem``) whose addresses the policy allows."""
    problem = url_problem(url)
    if problem:
        zh, _, en = problem.partition(" / ")
        raise ValidationFailed(zh, en or zh, code="bad_url")
    if current_policy().url_refused(url):  # nothing is fetched from it
        raise ValidationFailed(REFUSED_ZH, REFUSED_EN, code="refused_address")


def _digest(file: File) -> tuple[str, int]:
    h, size = hashlib.sha256(), 0
    file.seek(0)
    for chunk in file.chunks():
        h.update(chunk)
        size += len(chunk)
    file.seek(0)
    return h.hexdigest(), size


def _stored_name(suffix: str) -> str:
    """The stored name: a random token (never the officer's file name) and the type."""
    return f"{secrets.token_hex(16)}{suffix if suffix in SUFFIXES else '.txt'}"


# --------------------------------------------------------------------------- start


def feed_scan_start(
    *,
    task: MonitoringTask,
    platform: Platform,
    user: Any,
    file: Any = None,
    file_name: str = "",
    url: str = "",
    fmt: str = "",
    background: bool = True,
    now: dt.datetime | None = None,
) -> FeedScan:
    """Check a feed sent for scanning (a file or a URL, one of the two), keep it and start its scan.

    ``background``: the scan goes to a worker — or, without a broker, to a thread of this process —
    and the scan's page follows it; otherwise it runs now (the command line, the demo). ``user`` is
    the officer (``None``: the system, a command). Permission, task and platform refusals raise;
    a refused file or URL is also recorded as a failed scan, so the list shows every feed sent.
    """
    _feed_scan_check(user=user, task=task, platform=platform)
    url = (url or "").strip()
    if (file is None) == (not url):
        raise ValidationFailed(
            "请上传商品信息文件或填写网址（二者选一）", "upload a feed file or give its URL (one of the two)"
        )
    if fmt not in FeedFormat.values:
        raise ValidationFailed(f"格式无效：{fmt}", f"unknown format {fmt!r}")
    if file is not None and not isinstance(file, File):
        file = File(file, name=file_name or getattr(file, "name", ""))
    file_name = (file_name or getattr(file, "name", "") or "").rsplit("/", 1)[-1]
    scan = FeedScan(
        bureau_id=task.bureau_id,
        task=task,
        platform=platform,
        started_by=user if getattr(user, "pk", None) else None,
        source=FeedSource.URL if url else FeedSource.UPLOAD,
        file_name=file_name[:255],
        url=url[:1000],
        fmt=fmt,
    )
    try:
        if file is not None:
            _upload_check(file, file_name)
        else:
            _url_check(url)
    except WangjianError as exc:
        scan.status, scan.error = RunStatus.FAILED, str(exc)
        scan.finished_at = now or timezone.now()
        scan.save()
        raise
    if file is not None:
        scan.sha256, scan.size = _digest(file)
        scan.file.save(_stored_name(_suffix(file_name)), file, save=False)
    scan.save()
    if background:
        dispatch(FEED_SCAN_TASK, thread_name=f"wangjian-feed-scan-{scan.pk}", scan_id=scan.pk)
    else:
        feed_scan_run(scan=scan, now=now)
    scan.refresh_from_db()
    return scan


def feed_scan(
    *,
    task: MonitoringTask,
    platform: Platform,
    data: bytes | str,
    fmt: str = "",
    now: dt.datetime | None = None,
    user: Any = None,
    file_name: str = "",
) -> FeedReport:
    """Scan a feed held in memory now (the command line's, and tests'): ``feed_scan_start`` and its run.

    A scan that failed raises its reason (``ValidationFailed``); it stays recorded as failed.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    name = file_name or {"jsonl": "feed.jsonl", "csv": "feed.csv"}.get(fmt, "feed.txt")
    scan = feed_scan_start(
        task=task,
        platform=platform,
        user=user,
        file=ContentFile(raw, name=name),
        file_name=name,
        fmt=fmt,
        background=False,
        now=now,
    )
    if scan.status == RunStatus.FAILED:
        raise ValidationFailed(f"商品信息扫描 #{scan.pk} 失败：{scan.error}", f"feed scan #{scan.pk} failed")
    return FeedReport(
        scan=scan,
        listings=scan.listings_total,
        findings_new=scan.findings_new,
        findings_seen=scan.findings_seen,
        unknown_shops=[row["shop_id"] for row in scan.unknown_shops],
        rejected=[(row["row"], row["reason"]) for row in scan.rejected_rows],
    )


# --------------------------------------------------------------------------- run


class _FeedState(_Chunk):
    """A sweep chunk's state (counters, rule rows, regex notes) for a scan, which has no chunk."""

    def __init__(self, *, run: SweepRun, task: MonitoringTask, now: dt.datetime):
        self.chunk = None
        self.run, self.task, self.now = run, task, now
        self.engine = engine_for(names=task.libraries or None, bureau=task.bureau)
        self.rules = {}
        self.counted = set()
        self.counts = new_counts()
        self.regex_notes = []


def feed_scan_run(*, scan: FeedScan, now: dt.datetime | None = None) -> FeedScan:
    """Run a queued scan (the worker's side of ``feed_scan_start``); a second delivery does nothing.

    Whatever stops it — a feed that cannot be fetched, a rule library that is gone, an error of
    ours — the scan ends failed with the reason, never left running and never reported clean; the
    findings it recorded before stay.
    """
    now = now or timezone.now()
    if not FeedScan.objects.filter(pk=scan.pk, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=now, heartbeat_at=timezone.now()
    ):
        scan.refresh_from_db()
        return scan  # delivered twice (a worker restarted): the first delivery has it
    scan.refresh_from_db()
    try:
        text, fmt = _feed_text(scan)
        listings, rejected = read_feed(text, fmt=fmt)
        FeedScan.objects.filter(pk=scan.pk).update(
            fmt=fmt,
            listings_total=len(listings),
            rejected_count=len(rejected),
            rejected_rows=[{"row": row, "reason": reason} for row, reason in rejected],
        )
        _scan_listings(scan, listings, now)
    except WangjianError as exc:
        _fail(scan, str(exc))
    except Exception as exc:  # the scan must end, and say why; the log has the traceback
        log.exception("feed scan %s failed", scan.pk)
        _fail(
            scan,
            "扫描因内部错误中止，已记入的监测发现保留；请联系管理员"
            f" / the scan stopped on an internal error (findings recorded so far are kept): {exc!r}",
        )
    scan.refresh_from_db()
    return scan


def _fail(scan: FeedScan, reason: str) -> None:
    finished = timezone.now()
    FeedScan.objects.filter(pk=scan.pk).update(
        status=RunStatus.FAILED, finished_at=finished, error=reason[:4000]
    )
    run_id = FeedScan.objects.filter(pk=scan.pk).values_list("run_id", flat=True).first()
    if run_id:
        SweepRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, finished_at=finished, message=reason[:4000]
        )


def _feed_text(scan: FeedScan) -> tuple[str, str]:
    """The feed's text and its format: the kept upload, or what the URL answered (kept as well)."""
    if scan.source == FeedSource.URL:
        return _feed_fetch(scan)
    try:
        with scan.file.open("rb") as fh:
            raw = fh.read()
    except (FileNotFoundError, OSError, ValueError):
        raise ValidationFailed(
            "保存的商品信息文件已不在，请重新上传", "the kept feed file is gone: upload it again"
        ) from None
    text = decode_body(raw)[0]
    return text, scan.fmt or SUFFIXES.get(_suffix(scan.file_name), "") or _sniff(text)


def _feed_fetch(scan: FeedScan) -> tuple[str, str]:
    """Fetch the URL through the shared fetcher (the address policy pins every connection) within the import cap."""
    from wangjian.monitoring.fetching import fetch_sync

    out = fetch_sync(
        scan.url, delay=0, extract_text=False, max_bytes=uploads.cap(uploads.IMPORT), retries=1, backoff=0.5
    )
    if not out.ok:
        reason = out.reason or "未知原因 / unknown reason"
        zh, _, en = reason.partition(" / ")
        raise ValidationFailed(
            f"无法获取商品信息：{zh}", f"could not fetch the feed: {en or zh}", code="fetch_failed"
        )
    text = out.html
    content_type = (out.content_type or "").lower()
    fmt = scan.fmt or (
        "jsonl"
        if "json" in content_type
        else "csv"
        if "csv" in content_type
        else SUFFIXES.get(_suffix(urlsplit(scan.url).path), "") or _sniff(text)
    )
    kept = ContentFile(text.encode("utf-8"))
    scan.sha256, scan.size = _digest(kept)
    scan.file.save(_stored_name(".jsonl" if fmt == "jsonl" else ".csv"), kept, save=False)
    scan.save(update_fields=["file", "sha256", "size"])
    return text, fmt


def _sniff(text: str) -> str:
    """JSONL when the first line is a JSON object, CSV otherwise (as ``read_feed`` decides)."""
    return "jsonl" if text.lstrip("\ufeff").lstrip().startswith("{") else "csv"


def _scan_listings(scan: FeedScan, listings: list[FeedListing], now: dt.datetime) -> None:
    """Scan the listings of registered shops; the findings hang on a run of the task, like a sweep's."""
    task, platform = scan.task, scan.platform
    run = SweepRun.objects.create(
        task=task,
        bureau_id=task.bureau_id,
        status=RunStatus.RUNNING,
        started_at=now,
        started_by_id=scan.started_by_id,
        message=f"平台商品信息扫描 #{scan.pk}：{platform}",
    )
    FeedScan.objects.filter(pk=scan.pk).update(run=run)
    state = _FeedState(run=run, task=task, now=now)
    shops = {p.account_id: p for p in Presence.objects.filter(platform=platform).exclude(account_id="")}
    unknown: Counter[str] = Counter()
    for done, item in enumerate(listings, start=1):
        presence = shops.get(item.shop_id)
        if presence is None:
            unknown[item.shop_id] += 1  # reported on the scan's page, never dropped
        else:
            _listing_scan(state, presence, item)
        if done % BATCH_LISTINGS == 0:
            _progress(scan, done, state, unknown)
    notes = "".join(f"；{note}" for note in state.regex_notes)
    finished = timezone.now()
    FeedScan.objects.filter(pk=scan.pk).update(
        status=RunStatus.DONE,
        finished_at=finished,
        message=notes.lstrip("；"),
        unknown_shops=[
            {"shop_id": shop, "listings": n}
            for shop, n in sorted(unknown.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        **_counters(len(listings), state, unknown),
    )
    SweepRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE,
        finished_at=finished,
        message=f"平台商品信息扫描 #{scan.pk}：{platform}{notes}",
        **state.counts,
    )


def _listing_scan(state: _FeedState, presence: Presence, item: FeedListing) -> None:
    page = item.extracted()
    text = page.combined
    # The platform's category of goods, when the feed gives one the rules know, is the listing's kind (a food's
    # 类目 makes 治疗 a medical claim, a drug's makes it the indication); else the kind is inferred from the text.
    result = state.engine.scan(text, product_kind=kind_of_category(item.category))
    state.regex_report(result.regex_problems)
    for hit in result.hits + result.suggestions:  # the model's review signals beside the rules' hits
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


def _counters(done: int, state: _FeedState, unknown: Counter[str]) -> dict[str, int]:
    return {
        "listings_done": done,
        "findings_new": state.counts["findings_new"],
        "findings_seen": state.counts["findings_seen"],
        "unknown_shops_count": len(unknown),
        "unknown_listings": sum(unknown.values()),
    }


def _progress(scan: FeedScan, done: int, state: _FeedState, unknown: Counter[str]) -> None:
    """The counters the scan's page polls, written once a batch (not once a listing)."""
    FeedScan.objects.filter(pk=scan.pk).update(heartbeat_at=timezone.now(), **_counters(done, state, unknown))


# --------------------------------------------------------------------------- housekeeping


def feed_scans_housekeeping(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Record as failed the scans that will never end: running but silent for ``STALE_AFTER`` (their
    process stopped: a restart of the server, a killed worker), or queued for ``QUEUED_KEEP`` (no
    worker took them). The findings they recorded stay; scanning the feed again completes them
    (findings are upserted, so nothing is counted twice)."""
    now = now or timezone.now()
    stale = {
        "interrupted": (
            FeedScan.objects.filter(status=RunStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER),
            "扫描中断（服务重启或进程退出），已记入的监测发现保留，请重新扫描"
            " / the scan was interrupted (a restart): findings recorded so far are kept, scan the feed again",
        ),
        "never_started": (
            FeedScan.objects.filter(status=RunStatus.QUEUED, created__lt=now - QUEUED_KEEP),
            "扫描一天内未被执行（后台任务未运行），请重新扫描"
            " / no worker ran the scan within a day: scan the feed again",
        ),
    }
    counts = {}
    for key, (rows, reason) in stale.items():
        counts[key] = 0
        for scan in rows:
            _fail(scan, reason)
            counts[key] += 1
    return counts
