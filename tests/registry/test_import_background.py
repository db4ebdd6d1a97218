"""Imports started from the page: checked at once, queued, run in the background, followed live, never left hanging."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.registry.conftest import HONGDA, REGISTRY_HEADER_ZH, REGISTRY_ROWS, csv_bytes
from tests.threads import join_thread
from wangjian.core import background
from wangjian.core.errors import ValidationFailed
from wangjian.registry import services
from wangjian.registry.choices import ImportKind, ImportStatus
from wangjian.registry.models import ImportBatch, MarketEntity

pytestmark = pytest.mark.django_db

SELLER_HEADER = ["店铺ID", "店铺名称", "主体名称", "统一社会信用代码"]


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")


def keep(name: str, content: bytes) -> str:
    """An upload kept as the page and the API keep it; its stored name."""
    return services.upload_keep(file=ContentFile(content), file_name=name)


def kept() -> list[str]:
    """The uploads still waiting for an import."""
    try:
        return services.uploads().listdir("")[1]
    except FileNotFoundError:
        return []


def _upload(client, content: bytes, name: str = "登记.csv", **extra) -> str:
    r = client.post(
        reverse("registry:import_upload"),
        {"kind": "registry", "file": SimpleUploadedFile(name, content), **extra},
    )
    assert r.status_code == 302, r.content.decode()[:500]
    return r["Location"]


def test_a_missing_required_column_is_reported_on_the_preview_page_and_nothing_is_queued(demo, login):
    client = login(demo.users["office"])
    preview = _upload(client, csv_bytes(["代码", "电话"], [[HONGDA, "13855501234"]]))
    r = client.post(preview, {"map_phone": "1"}, follow=True)
    html = r.content.decode()
    assert "缺少必需的列" in html and "统一社会信用代码" in html
    assert not ImportBatch.objects.exists()
    assert kept(), "the upload stays for another try at the mapping"


def test_the_page_import_goes_through_a_queued_batch_and_deletes_the_upload(demo, login):
    client = login(demo.users["office"])
    preview = _upload(client, csv_bytes(REGISTRY_HEADER_ZH, REGISTRY_ROWS, "gb18030"))
    r = client.post(preview, {})
    batch = ImportBatch.objects.get()
    assert r["Location"] == batch.get_absolute_url()
    # inside the test's transaction the work runs on this thread: it is finished here
    assert (batch.status, batch.created_count, batch.total_rows) == (ImportStatus.DONE, 4, 4)
    assert batch.heartbeat_at is not None
    assert kept() == []
    # a second visit of the preview finds the upload gone and says so
    r = client.get(preview, follow=True)
    assert "请重新上传" in r.content.decode()


def test_import_start_refuses_a_platform_of_another_bureau(demo):
    other, _ = services.platform_get_or_create(bureau=demo.other_county, name="某宝")
    upload = keep("s.csv", csv_bytes(SELLER_HEADER, [["A1", "店", "某公司", ""]]))
    with pytest.raises(ValidationFailed, match="本局的平台"):
        services.import_start(
            bureau=demo.county,
            kind=ImportKind.SELLERS,
            upload=upload,
            file_name="s.csv",
            user=demo.users["office"],
            platform=other,
        )
    assert not ImportBatch.objects.exists()


def test_a_seller_import_is_finished_only_when_its_sellers_are_matched(demo, registry):
    platform, _ = services.platform_get_or_create(bureau=demo.county, name="某宝")
    rows = [["A1", "宏达商贸旗舰店", "旌德县宏达商贸有限公司", HONGDA], ["A2", "无名小店", "张三小卖部", ""]]
    upload = keep("s.csv", csv_bytes(SELLER_HEADER, rows))
    seen: list[str] = []
    real_match = services.sellers_match

    def watching_match(**kwargs):
        seen.append(ImportBatch.objects.get(kind=ImportKind.SELLERS).status)
        return real_match(**kwargs)

    import unittest.mock

    with unittest.mock.patch.object(services.sellers, "sellers_match", watching_match):
        batch = services.import_start(
            bureau=demo.county,
            kind=ImportKind.SELLERS,
            upload=upload,
            file_name="s.csv",
            user=demo.users["office"],
            platform=platform,
        )
    batch.refresh_from_db()
    assert seen == [ImportStatus.MATCHING]
    assert (batch.status, batch.matched_rows, batch.match_total) == (ImportStatus.DONE, 2, 2)


def test_an_error_of_ours_ends_the_batch_failed_with_the_reason(demo, monkeypatch):
    upload = keep("r.csv", csv_bytes(REGISTRY_HEADER_ZH, REGISTRY_ROWS))

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.queue, "registry_import", broken)
    with pytest.raises(RuntimeError):
        services.import_start(
            bureau=demo.county,
            kind=ImportKind.REGISTRY,
            upload=upload,
            file_name="r.csv",
            user=demo.users["office"],
        )
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.FAILED
    assert "内部错误" in batch.message and "disk full" in batch.message


def test_losing_the_right_to_import_before_the_run_fails_the_queued_batch(demo):
    upload = keep("r.csv", csv_bytes(REGISTRY_HEADER_ZH, REGISTRY_ROWS))
    officer = demo.users["office"]
    batch = ImportBatch.objects.create(
        bureau=demo.county,
        kind=ImportKind.REGISTRY,
        file_name="r.csv",
        user=officer,
        status=ImportStatus.QUEUED,
    )
    officer.role = "auditor"
    officer.save()
    services.import_run(batch=batch, upload=upload, mapping=None)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and "导入" in batch.message
    assert not MarketEntity.objects.exists()


def test_a_batch_delivered_twice_is_imported_once(demo):
    upload = keep("r.csv", csv_bytes(REGISTRY_HEADER_ZH, REGISTRY_ROWS))
    batch = services.import_start(
        bureau=demo.county,
        kind=ImportKind.REGISTRY,
        upload=upload,
        file_name="r.csv",
        user=demo.users["office"],
    )
    batch.refresh_from_db()
    services.import_run(batch=batch, upload=upload, mapping=None)
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.unchanged_count) == (ImportStatus.DONE, 4, 0)


def test_housekeeping_fails_interrupted_runs_and_deletes_abandoned_uploads(demo):
    now = timezone.now()
    silent = ImportBatch.objects.create(
        bureau=demo.county,
        kind=ImportKind.REGISTRY,
        file_name="a.csv",
        status=ImportStatus.RUNNING,
        heartbeat_at=now - dt.timedelta(hours=1),
    )
    alive = ImportBatch.objects.create(
        bureau=demo.county,
        kind=ImportKind.REGISTRY,
        file_name="b.csv",
        status=ImportStatus.RUNNING,
        heartbeat_at=now - dt.timedelta(minutes=2),
    )
    old, fresh = keep("old.csv", b"x"), keep("fresh.csv", b"x")
    two_days_ago = (now - dt.timedelta(days=2)).timestamp()
    os.utime(services.uploads().path(old), (two_days_ago, two_days_ago))

    assert services.imports_housekeeping(now=now) == {"interrupted": 1, "uploads_removed": 1}
    silent.refresh_from_db()
    alive.refresh_from_db()
    assert silent.status == ImportStatus.FAILED and "重新导入" in silent.message
    assert alive.status == ImportStatus.RUNNING
    assert kept() == [fresh]


def test_the_progress_part_polls_while_running_and_reloads_the_page_when_done(demo, login):
    batch = ImportBatch.objects.create(
        bureau=demo.county,
        kind=ImportKind.REGISTRY,
        file_name="a.csv",
        status=ImportStatus.RUNNING,
        total_rows=200,
        processed_rows=50,
    )
    client = login(demo.users["office"])
    url = batch.get_absolute_url() + "?part=progress"
    r = client.get(url, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert "hx-trigger" in html and "25%" in html and "HX-Refresh" not in r.headers
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.DONE, processed_rows=200)
    r = client.get(url, HTTP_HX_REQUEST="true")
    assert r.headers["HX-Refresh"] == "true" and "hx-trigger" not in r.content.decode()


def test_without_a_broker_the_work_runs_in_a_thread_when_the_database_can_be_shared(monkeypatch):
    calls: list[tuple[str, str, dict]] = []
    name = "wangjian.registry.tasks.import_run"

    def send(task_name, **kwargs):
        calls.append((threading.current_thread().name, task_name, kwargs))

    monkeypatch.setattr(background, "send", send)
    monkeypatch.setattr(background, "in_process_background", lambda: True)
    assert background.dispatch(name, thread_name="wangjian-import-7", batch_id=7) is None
    for _ in range(100):
        if calls:
            break
        time.sleep(0.02)
    assert calls == [("wangjian-import-7", name, {"batch_id": 7})]

    monkeypatch.setattr(background, "in_process_background", lambda: False)
    background.dispatch(name, thread_name="wangjian-import-8", batch_id=8)
    assert calls[-1] == (threading.current_thread().name, name, {"batch_id": 8})


def test_a_service_starts_work_by_the_tasks_name_and_a_misspelt_name_fails_loudly():
    assert background.task("wangjian.registry.tasks.import_run").name == "wangjian.registry.tasks.import_run"
    with pytest.raises(LookupError, match="wangjian.registry.tasks.no_such_task"):
        background.task("wangjian.registry.tasks.no_such_task")


@pytest.mark.django_db(transaction=True)
def test_a_page_import_on_a_shared_database_runs_in_the_background(demo, monkeypatch):
    """On PostgreSQL (CI runs the suite on it too) the import really runs in a thread; the
    in-memory SQLite of the default test run cannot be shared, so there it runs here."""
    upload = keep("r.csv", csv_bytes(REGISTRY_HEADER_ZH, REGISTRY_ROWS))
    threads: list[str] = []
    real_import = services.registry_import

    def recording_import(**kwargs):
        threads.append(threading.current_thread().name)
        return real_import(**kwargs)

    monkeypatch.setattr(services.queue, "registry_import", recording_import)
    shared = background.in_process_background()
    batch = services.import_start(
        bureau=demo.county,
        kind=ImportKind.REGISTRY,
        upload=upload,
        file_name="r.csv",
        user=demo.users["office"],
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if not batch.in_progress:
            break
        time.sleep(0.1)
    assert (batch.status, batch.created_count) == (ImportStatus.DONE, 4)
    # The batch reads "done" as soon as its rows are in; the thread then deletes the upload.
    # Wait for the thread itself (see ``join_thread``).
    join_thread(f"wangjian-import-{batch.pk}")
    assert kept() == []
    expected = f"wangjian-import-{batch.pk}" if shared else threading.current_thread().name
    assert threads == [expected]


def test_housekeeping_runs_periodically_under_beat_or_the_in_process_scheduler():
    from django.utils.module_loading import import_string

    from wangjian.core import schedule
    from wangjian.registry import tasks

    job = schedule.collect()["registry-imports-housekeeping"]
    assert import_string(job["task"]) is tasks.imports_housekeeping
    assert job["every"] <= services.STALE_AFTER.total_seconds()


def test_a_file_sent_to_the_api_is_checked_at_once_and_imported_in_the_background(demo, api):
    client = api(demo.users["office"])
    content = csv_bytes(["代码", "企业名称"], [[HONGDA, "旌德县宏达商贸有限公司"], ["bad", "x"]], "gbk")
    r = client.post(
        "/api/registry/import-batches/",
        {
            "kind": "registry",
            "file": SimpleUploadedFile("登记.csv", content),
            "mapping": '{"uscc": "代码", "name": 1}',
        },
        format="multipart",
    )
    assert r.status_code == 202, r.content
    body = r.json()
    assert r["Location"].endswith(f"/api/registry/import-batches/{body['id']}/")
    followed = client.get(r["Location"]).json()
    assert (followed["status"], followed["created_count"], followed["rejected_count"]) == ("done", 1, 1)
    assert kept() == []

    # what the sender can correct comes back at once, in both languages, and nothing is queued
    r = client.post(
        "/api/registry/import-batches/",
        {"kind": "registry", "file": SimpleUploadedFile("x.csv", csv_bytes(["电话"], [["1"]]))},
        format="multipart",
    )
    assert r.status_code == 400 and "缺少必需的列" in r.json()["error"]["zh"] and r.json()["error"]["en"]
    r = client.post(
        "/api/registry/import-batches/",
        {
            "kind": "sellers",
            "file": SimpleUploadedFile("s.csv", csv_bytes(SELLER_HEADER, [["A1", "店", "某", ""]])),
        },
        format="multipart",
    )
    assert r.status_code == 400 and "平台" in r.json()["error"]["zh"]
    assert ImportBatch.objects.count() == 1
    assert kept() == []


def test_an_auditor_cannot_import_through_the_api(demo, api):
    r = api(demo.users["auditor"]).post(
        "/api/registry/import-batches/",
        {
            "kind": "registry",
            "file": SimpleUploadedFile("r.csv", csv_bytes(REGISTRY_HEADER_ZH, REGISTRY_ROWS)),
        },
        format="multipart",
    )
    assert r.status_code == 403
    assert not ImportBatch.objects.exists()


def test_with_s3_storage_the_upload_waits_in_the_bucket_where_any_worker_reads_it(demo, login, s3):
    client = login(demo.users["office"])
    preview = _upload(client, csv_bytes(REGISTRY_HEADER_ZH, REGISTRY_ROWS, "gb18030"))
    (waiting,) = s3.keys()
    assert waiting.startswith("jingde/registry-uploads/") and waiting.endswith(".csv")
    assert "宏达" in client.get(preview).content.decode()  # the preview reads it back from the bucket
    client.post(preview, {})
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.created_count) == (ImportStatus.DONE, 4)
    assert s3.keys() == []  # imported, then deleted


def test_housekeeping_deletes_abandoned_uploads_from_the_bucket(demo, s3):
    keep("old.csv", b"x")
    assert services.imports_housekeeping() == {"interrupted": 0, "uploads_removed": 0}
    later = timezone.now() + services.UPLOAD_KEEP + dt.timedelta(minutes=1)
    assert services.imports_housekeeping(now=later) == {"interrupted": 0, "uploads_removed": 1}
    assert s3.keys() == []
