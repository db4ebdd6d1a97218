"""``services.feed_scan_start`` / ``feed_scan_run``: a platform's listing feed (平台报送商品信息) scanned into findings.

What is sent is checked (the right, the bureau, the cap, the address), what is read is kept (the file,
every rejected row with its reason, every shop id the platform never registered), findings are
deduplicated as a sweep's are, and a feed that cannot be read is recorded failed with the reason.
"""

from __future__ import annotations

import hashlib
import http.server
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.monitoring.feeds.conftest import FEED_ROWS, jsonl
from tests.org import demo_once as shared
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.core.fetching.addresses import REFUSED_ZH
from wangjian.core.uploads import UploadTooLarge
from wangjian.monitoring import services
from wangjian.monitoring.models import FeedScan, Finding

pytestmark = pytest.mark.django_db
# The demo organisation built once for the module (see tests/org/demo_once.py).
demo, demo_once, fast_password_hashing = shared.demo, shared.demo_once, shared.fast_password_hashing


def upload(rows=FEED_ROWS, name="皖南优选商品信息.jsonl") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jsonl(rows))


def start(task, platform, user, **kw) -> FeedScan:
    kw.setdefault("background", False)
    return services.feed_scan_start(task=task, platform=platform, user=user, **kw)


def test_an_uploaded_feed_is_kept_in_storage_and_its_listings_become_findings_of_the_task(demo, shops, task):
    platform, presences = shops
    officer = demo.users["ad_officer"]
    scan = start(task, platform, officer, file=upload(), file_name="皖南优选商品信息.jsonl")
    assert scan.status == "done" and scan.source == "upload" and scan.fmt == "jsonl"
    assert scan.started_by == officer and scan.bureau == demo.county
    with scan.file.open("rb") as fh:
        kept = fh.read()
    assert kept == jsonl(FEED_ROWS) and scan.sha256 == hashlib.sha256(kept).hexdigest()
    assert "皖南优选" not in scan.file.name  # stored under a random name, never the officer's
    findings = Finding.objects.filter(first_run=scan.run)
    assert {f.presence for f in findings} == set(presences.values())
    assert findings.filter(presence=presences["S1"], matched__contains="最佳", source="feed_title").exists()
    assert all(f.task == task and f.last_run == scan.run for f in findings)
    assert scan.findings_new == findings.count() and scan.listings_total == scan.listings_done == 3
    assert scan.run.status == "done" and scan.finished_at is not None


def test_every_rejected_row_is_kept_with_its_reason(demo, shops, task):
    platform, _ = shops
    feed = "商品ID,店铺ID,商品标题\nC1,S1,最佳茶叶\nC2,S1,\n,S2,无编号\nC4,S2,普通茶叶\n".encode()
    scan = start(task, platform, None, file=SimpleUploadedFile("feed.csv", feed), file_name="feed.csv")
    assert scan.status == "done" and scan.fmt == "csv"
    assert scan.listings_total == 2 and scan.rejected_count == 2
    assert [r["row"] for r in scan.rejected_rows] == [3, 4]
    assert all("缺少商品ID或标题" in r["reason"] for r in scan.rejected_rows)
    broken = (
        b'{"listing_id": "J1", "shop_id": "S1", "title": "\xe6\x9c\x80\xe4\xbd\xb3"}\n{not json\n[1, 2]\n'
    )
    scan = start(task, platform, None, file=SimpleUploadedFile("feed.jsonl", broken), file_name="feed.jsonl")
    assert scan.listings_total == 1
    assert [(r["row"], r["reason"].split(" / ")[0]) for r in scan.rejected_rows] == [
        (2, "不是有效的 JSON"),
        (3, "每行应为一个 JSON 对象"),
    ]


def test_shops_the_platform_never_registered_are_reported_with_their_listings(demo, shops, task):
    platform, _ = shops
    rows = [
        *FEED_ROWS,
        {"listing_id": "L5", "shop_id": "S9", "title": "茶具"},
        {"listing_id": "L6", "title": "无店铺"},
    ]
    scan = start(task, platform, None, file=upload(rows), file_name="feed.jsonl")
    assert scan.unknown_shops == [{"shop_id": "S9", "listings": 2}, {"shop_id": "", "listings": 1}]
    assert scan.unknown_shops_count == 2 and scan.unknown_listings == 3
    assert scan.listings_done == scan.listings_total == 5
    assert not Finding.objects.filter(page_url__contains="L3").exists()  # not scanned: no presence to hold it


def test_the_same_feed_scanned_twice_records_each_finding_once(demo, shops, task):
    platform, _ = shops
    first = start(task, platform, None, file=upload(), file_name="feed.jsonl")
    count = Finding.objects.count()
    second = start(task, platform, None, file=upload(), file_name="feed.jsonl")
    assert count > 0 and Finding.objects.count() == count
    assert second.findings_new == 0 and second.findings_seen == first.findings_new == count
    assert set(Finding.objects.values_list("last_run", flat=True)) == {second.run_id}
    assert set(Finding.objects.values_list("seen_count", flat=True)) == {2}


def test_a_scan_delivered_twice_runs_once(demo, shops, task):
    platform, _ = shops
    scan = start(task, platform, None, file=upload(), file_name="feed.jsonl")
    FeedScan.objects.filter(pk=scan.pk).update(findings_new=99)
    again = services.feed_scan_run(scan=scan)
    assert again.findings_new == 99 and again.status == "done"


def test_started_in_the_background_the_scan_runs_through_the_named_task(demo, shops, task):
    """Without a broker, inside a transaction, ``dispatch`` runs the Celery task at once: the name is wired."""
    platform, _ = shops
    scan = start(task, platform, None, file=upload(), file_name="feed.jsonl", background=True)
    assert scan.status == "done" and scan.findings_new > 0


def test_progress_is_written_once_a_batch_of_listings(demo, shops, task, monkeypatch):
    from wangjian.monitoring.services import feeds

    platform, _ = shops
    seen = []
    real = feeds._progress
    monkeypatch.setattr(feeds, "BATCH_LISTINGS", 2)
    monkeypatch.setattr(feeds, "_progress", lambda scan, done, *a: (seen.append(done), real(scan, done, *a)))
    rows = [{"listing_id": f"P{i}", "shop_id": "S1", "title": f"第{i}款茶叶"} for i in range(5)]
    scan = start(task, platform, None, file=upload(rows), file_name="feed.jsonl")
    assert seen == [2, 4] and scan.listings_done == 5


# --------------------------------------------------------------------------- URLs


class _Feed(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        type(self).hits.append(self.path)
        if self.path != "/feed.jsonl":
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = jsonl(FEED_ROWS)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _serve(address: str):
    handler = type("Feed", (_Feed,), {"hits": []})
    server = http.server.ThreadingHTTPServer((address, 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, handler, f"http://{address}:{server.server_port}"


@pytest.fixture
def feed_site():
    """The platform's feed on 127.0.0.1, the one address the tests allow (WANGJIAN_FETCH_ALLOW)."""
    server, handler, url = _serve("127.0.0.1")
    yield handler, url
    server.shutdown()
    server.server_close()


@pytest.fixture
def internal_site():
    """The same feed on 127.0.0.2: loopback, refused by the address policy like any internal address."""
    server, handler, url = _serve("127.0.0.2")
    yield handler, url
    server.shutdown()
    server.server_close()


def test_a_feed_url_is_fetched_through_the_shared_fetcher_and_what_it_answered_is_kept(
    demo, shops, task, feed_site
):
    platform, _ = shops
    handler, url = feed_site
    scan = start(task, platform, demo.users["office"], url=f"{url}/feed.jsonl")
    assert scan.status == "done" and scan.source == "url" and scan.fmt == "jsonl"
    assert handler.hits == ["/feed.jsonl"] and scan.findings_new > 0 and scan.unknown_shops_count == 1
    with scan.file.open("rb") as fh:
        assert fh.read() == jsonl(FEED_ROWS)


def test_a_feed_url_on_a_refused_address_is_recorded_failed_and_never_fetched(
    demo, shops, task, internal_site
):
    platform, _ = shops
    handler, url = internal_site
    with pytest.raises(ValidationFailed) as refused:
        start(task, platform, demo.users["office"], url=f"{url}/feed.jsonl")
    assert refused.value.zh == REFUSED_ZH and refused.value.code == "refused_address"
    scan = FeedScan.objects.get()
    assert scan.status == "failed" and REFUSED_ZH in scan.error and scan.url == f"{url}/feed.jsonl"
    assert handler.hits == [] and scan.run is None and not Finding.objects.exists()


def test_a_feed_url_that_cannot_be_fetched_ends_failed_with_the_reason_never_clean(
    demo, shops, task, feed_site
):
    platform, _ = shops
    handler, url = feed_site
    scan = start(task, platform, None, url=f"{url}/gone.jsonl")
    assert scan.status == "failed" and scan.finished_at is not None
    assert scan.error.startswith("无法获取商品信息：") and "404" in scan.error
    assert scan.listings_total == 0 and scan.findings_new == 0 and scan.run is None
    assert handler.hits  # it was tried, through the fetcher's retries


def test_a_url_that_is_not_http_is_refused_at_once(demo, shops, task):
    platform, _ = shops
    with pytest.raises(ValidationFailed, match="只能获取 http"):
        start(task, platform, None, url="ftp://mall.example/feed.csv")
    assert FeedScan.objects.get().status == "failed"


# --------------------------------------------------------------------------- refusals and failures


def test_a_file_over_the_import_cap_is_refused_and_recorded_failed(demo, shops, task, settings):
    platform, _ = shops
    settings.WANGJIAN_IMPORT_MAX_BYTES = 100
    with pytest.raises(UploadTooLarge) as refused:
        start(task, platform, demo.users["office"], file=upload(), file_name="feed.jsonl")
    assert refused.value.http_status == 413 and "大小上限 100 B" in refused.value.zh
    scan = FeedScan.objects.get()
    assert scan.status == "failed" and refused.value.zh in scan.error and not scan.file


def test_a_workbook_or_another_type_of_file_is_refused(demo, shops, task):
    platform, _ = shops
    with pytest.raises(ValidationFailed, match="只支持 JSONL 或 CSV"):
        start(task, platform, None, file=SimpleUploadedFile("feed.pdf", b"%PDF"), file_name="feed.pdf")
    zipped = SimpleUploadedFile("feed.csv", b"PK\x03\x04rest-of-a-workbook")
    with pytest.raises(ValidationFailed, match="压缩包"):
        start(task, platform, None, file=zipped, file_name="feed.csv")


def test_one_of_a_file_and_a_url_is_required(demo, shops, task):
    platform, _ = shops
    for kw in ({}, {"file": upload(), "file_name": "f.jsonl", "url": "https://mall.example/feed.jsonl"}):
        with pytest.raises(ValidationFailed, match="二者选一"):
            start(task, platform, None, **kw)
    assert not FeedScan.objects.exists()


def test_only_staff_of_the_tasks_bureau_with_the_right_scan_and_only_with_a_platform_of_it(demo, shops, task):
    from wangjian.registry.models import Platform

    platform, _ = shops
    with pytest.raises(PermissionDeniedError, match="monitoring.feeds.scan"):
        start(task, platform, demo.users["auditor"], file=upload(), file_name="f.jsonl")
    with pytest.raises(PermissionDeniedError, match="本局的监测任务"):
        start(task, platform, demo.users["jixi_officer"], file=upload(), file_name="f.jsonl")
    elsewhere = Platform.objects.create(bureau=demo.other_county, name="绩溪商城")
    with pytest.raises(ValidationFailed, match="该监测任务所属局的平台"):
        start(task, elsewhere, demo.users["ad_officer"], file=upload(), file_name="f.jsonl")
    assert not FeedScan.objects.exists()


def test_a_scan_that_breaks_while_running_is_recorded_failed_with_the_reason(demo, shops, task):
    platform, _ = shops
    task.libraries = ["no_such_library"]
    task.save()
    scan = start(task, platform, None, file=upload(), file_name="feed.jsonl")
    assert scan.status == "failed" and "no_such_library" in scan.error
    assert scan.run.status == "failed"  # the run the findings would hang on says so too


def test_the_command_line_scan_is_a_recorded_scan(demo, shops, task, capsys, tmp_path):
    import json

    from django.core.management import call_command

    platform, _ = shops
    path = tmp_path / "feed.jsonl"
    path.write_bytes(jsonl(FEED_ROWS))
    call_command("monitor", "feed", str(path), "--task", str(task.pk), "--platform", str(platform.pk))
    summary = json.loads(capsys.readouterr().out)
    scan = FeedScan.objects.get(pk=summary["scan"])
    assert scan.file_name == "feed.jsonl" and scan.started_by is None
    assert summary["unknown_shops"] == ["S9"] and summary["rejected"][0]["row"] == 4
    assert summary["findings_new"] == scan.findings_new > 0


def test_scans_that_will_never_end_are_recorded_failed_by_housekeeping(demo, shops, task):
    import datetime as dt

    from django.utils import timezone
    from django.utils.module_loading import import_string

    from wangjian.core import schedule
    from wangjian.monitoring import tasks

    platform, _ = shops
    now = timezone.now()
    base = dict(bureau=demo.county, task=task, platform=platform, source="upload", file_name="f.jsonl")
    silent = FeedScan.objects.create(**base, status="running", heartbeat_at=now - dt.timedelta(minutes=31))
    busy = FeedScan.objects.create(**base, status="running", heartbeat_at=now - dt.timedelta(minutes=5))
    forgotten = FeedScan.objects.create(**base, status="queued")
    FeedScan.objects.filter(pk=forgotten.pk).update(created=now - dt.timedelta(hours=25))
    waiting = FeedScan.objects.create(**base, status="queued")
    assert services.feed_scans_housekeeping(now=now) == {"interrupted": 1, "never_started": 1}
    states = dict(FeedScan.objects.values_list("pk", "status"))
    assert states == {silent.pk: "failed", busy.pk: "running", forgotten.pk: "failed", waiting.pk: "queued"}
    assert "扫描中断" in FeedScan.objects.get(pk=silent.pk).error
    job = schedule.collect()["monitoring-feed-scans-housekeeping"]
    assert import_string(job["task"]) is tasks.feed_scans_housekeeping
    assert job["every"] <= services.feeds.STALE_AFTER.total_seconds()


def test_a_running_scan_keeps_its_heartbeat(demo, shops, task):
    platform, _ = shops
    scan = start(task, platform, None, file=upload(), file_name="feed.jsonl")
    assert scan.heartbeat_at is not None and scan.heartbeat_at >= scan.started_at


def test_a_listing_worded_like_known_violations_becomes_a_review_finding_beside_the_rules_hits(
    demo, shops, task, lying_flat_model
):
    platform, presences = shops
    rows = [
        {"listing_id": "L7", "shop_id": "S1", "title": "宣纸礼盒", "description": "每天躺着也能躺赚三千元"}
    ]
    scan = start(task, platform, demo.users["ad_officer"], file=upload(rows), file_name="feed.jsonl")
    [finding] = Finding.objects.filter(first_run=scan.run)
    assert (finding.rule_code, finding.category, finding.severity) == ("SIM-mlm", "mlm", "review")
    assert finding.rule is None and finding.matched == "每天躺着也能躺赚三千元"
    assert finding.presence == presences["S1"]
    # An officer who confirms it makes a clue of it, as of any finding: the signal ordered the queue, the officer decided.
    decision = services.finding_confirm(finding=finding, user=demo.users["office"], reason="核实为传销宣传")
    finding.refresh_from_db()
    assert decision.receipt is not None and finding.clue_number


def test_the_platforms_category_of_goods_is_the_listings_kind(demo, shops, task):
    """A food claiming to relieve a cold is a medical claim; a drug naming its (non-prescription) indication is
    not: the feed's 类目 says which the listing is, where the text carries no approval number to tell."""
    platform, presences = shops
    text = "缓解感冒引起的头痛、鼻塞"
    rows = [
        {"listing_id": "K1", "shop_id": "S1", "title": "感冒灵茶", "description": text, "类目": "食品/茶叶"},
        {
            "listing_id": "K2",
            "shop_id": "S1",
            "title": "感冒灵颗粒",
            "description": text,
            "类目": "药品/中西药",
        },
    ]
    scan = start(task, platform, None, file=upload(rows), file_name="feed.jsonl")
    assert scan.status == "done" and scan.listings_done == 2
    found = Finding.objects.filter(first_run=scan.run)
    assert {f.category for f in found.filter(page_url="feed:K1")} == {"medical_claim"}
    assert not found.filter(page_url="feed:K2").exists()  # the drug's indication: nothing to flag
