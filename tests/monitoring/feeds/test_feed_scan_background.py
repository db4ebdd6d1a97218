"""A scan started from the page never makes it wait: a worker, or without a broker a thread of the web process."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.monitoring.feeds.conftest import FEED_ROWS, jsonl
from tests.threads import join_thread
from wangjian.core import background
from wangjian.monitoring import services
from wangjian.monitoring.services import feeds


@pytest.mark.django_db(transaction=True)
def test_a_scan_started_on_a_shared_database_runs_in_a_thread_of_its_own(demo, shops, task, monkeypatch):
    """On PostgreSQL (CI runs the suite on it too) the scan really runs in a thread; the in-memory
    SQLite of the default test run cannot be shared, so there it runs on the caller's thread."""
    platform, _ = shops
    threads: list[str] = []
    real = feeds._scan_listings

    def recording(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(feeds, "_scan_listings", recording)
    shared = background.in_process_background()
    scan = services.feed_scan_start(
        task=task,
        platform=platform,
        user=demo.users["office"],
        file=SimpleUploadedFile("feed.jsonl", jsonl(FEED_ROWS)),
        file_name="feed.jsonl",
    )
    deadline = time.monotonic() + 60
    while not scan.finished and time.monotonic() < deadline:
        time.sleep(0.1)
        scan.refresh_from_db()
    assert scan.status == "done" and scan.findings_new > 0
    # Wait for the thread itself (see ``join_thread``).
    join_thread(f"wangjian-feed-scan-{scan.pk}")
    expected = f"wangjian-feed-scan-{scan.pk}" if shared else threading.current_thread().name
    assert threads == [expected]


def test_the_scan_is_started_by_the_name_of_its_celery_task_on_the_fetch_queue():
    """The service names the task (never imports it); the task may read the web, so the internet zone runs it."""
    from wangjian.celery import FETCH_QUEUE, route_by_what_the_task_reads

    task = background.task(services.FEED_SCAN_TASK)
    assert task.name == services.FEED_SCAN_TASK
    assert route_by_what_the_task_reads(task.name, (), {}, {}, task=task) == {"queue": FETCH_QUEUE}
