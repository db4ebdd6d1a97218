"""Logs kept six months (网络安全法 art. 21): daily files, the access log's fields, nothing personal in it."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.test import Client

from wangjian.core.logs import DailyFileHandler

SIX_MONTHS_DAYS = 183


def test_the_access_log_rotates_daily_and_keeps_six_months():
    for name, path in (("access", "access.log"), ("file", "wangjian.log")):
        handler = settings.LOGGING["handlers"][name]
        assert handler["class"] == "wangjian.core.logs.DailyFileHandler"
        assert handler["filename"] == str(settings.LOG_DIR / path)
        assert handler["keep_days"] >= 190 > SIX_MONTHS_DAYS
    access = settings.LOGGING["loggers"]["wangjian.access"]
    assert access == {"handlers": ["access"], "level": "INFO", "propagate": False}


def _rotate_now(handler: DailyFileHandler) -> None:
    """Make the handler's midnight the moment just past (as if the day had ended)."""
    handler.rolloverAt = int(time.time()) - 1


def test_a_day_is_rotated_into_its_dated_file_and_only_keep_days_are_kept(tmp_path):
    path = tmp_path / "access.log"
    handler = DailyFileHandler(str(path), keep_days=190)
    assert handler.when == "MIDNIGHT" and handler.backupCount == 190
    old = [tmp_path / f"access.log.2024-{m:02d}-{d:02d}" for m in range(1, 8) for d in range(1, 29)]
    for file in old:  # 196 days of old files
        file.write_text("old\n")
    log = logging.getLogger("test.logs.rotation")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("yesterday's line")
        _rotate_now(handler)
        log.warning("today's line")
    finally:
        log.removeHandler(handler)
        handler.close()
    rotated = sorted(tmp_path.glob("access.log.*"))
    assert len([f for f in rotated if not f.name.endswith(".lock")]) == 190
    newest = max(f for f in rotated if not f.name.endswith(".lock"))
    assert newest.read_text() == "yesterday's line\n"
    assert path.read_text() == "today's line\n"
    assert not (tmp_path / "access.log.2024-01-01").exists()  # the oldest went, the last 190 stay


def test_two_processes_rotating_the_same_log_lose_no_day(tmp_path):
    """The web server and a worker write one file; at midnight both rotate, and neither deletes the other's day."""
    path = tmp_path / "wangjian.log"
    web, worker = DailyFileHandler(str(path), keep_days=190), DailyFileHandler(str(path), keep_days=190)
    records = [logging.LogRecord("wangjian", logging.WARNING, __file__, 1, msg, None, None) for msg in "abcd"]
    web.emit(records[0])  # before midnight
    worker.emit(records[1])
    _rotate_now(web)
    _rotate_now(worker)
    web.emit(records[2])  # after midnight: the web server rotates first …
    worker.emit(records[3])  # … then the worker finds the day rotated and only reopens
    web.close()
    worker.close()
    days = [f for f in tmp_path.glob("wangjian.log.*") if not f.name.endswith(".lock")]
    assert len(days) == 1
    assert days[0].read_text().splitlines() == ["a", "b"]
    assert path.read_text().splitlines() == ["c", "d"]


@pytest.fixture
def access_log(caplog):
    logger = logging.getLogger("wangjian.access")
    logger.addHandler(caplog.handler)  # the access log does not propagate to the root logger
    caplog.set_level(logging.INFO, logger="wangjian.access")
    yield caplog
    logger.removeHandler(caplog.handler)


def access_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "wangjian.access"]


def test_each_request_is_logged_with_address_user_method_path_status_and_duration(client, demo, access_log):
    client.force_login(demo.users["ad_officer"])
    client.get(
        "/clues/clues/?page=1", REMOTE_ADDR="10.20.30.40", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.1"
    )
    (line,) = access_lines(access_log)
    address, forwarded, user, request, status, duration = (
        line.split(" ")[0],
        line.split(" ")[1],
        line.split(" ")[2],
        line.split('"')[1],
        line.split('" ')[1].split(" ")[0],
        line.split(" ")[-1],
    )
    assert (address, forwarded, user, request, status) == (
        "10.20.30.40",
        "203.0.113.9,10.0.0.1",
        "ad_officer",
        "GET /clues/clues/?page=1",
        "200",
    )
    assert duration.endswith("ms") and int(duration[:-2]) >= 0


def test_the_access_log_keeps_no_query_values_or_bodies_that_may_name_a_person(client, demo, access_log):
    client.force_login(demo.users["ad_officer"])
    client.get("/clues/clues/", {"q": "张三 13912345678", "page": "1", "ordering": "-id"})
    Client().post("/login/", {"username": "office", "password": "Demo2025pass-secret"})
    lines = access_lines(access_log)
    assert '"GET /clues/clues/?q=…&page=1&ordering=-id" 200' in lines[0]
    text = "\n".join(lines)
    for personal in ("张三", "13912345678", "Demo2025pass-secret", "%E5%BC%A0"):
        assert personal not in text
    assert '"POST /login/"' in lines[1] and lines[1].split(" ")[2] == "-"  # a failed log-in: no account


def test_successful_probes_are_not_logged_and_failed_ones_are(
    client, db, access_log, monkeypatch, settings, tmp_path
):
    from wangjian.platform import health

    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")
    monkeypatch.setattr(health, "_storage_ok_at", float("-inf"))
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert access_lines(access_log) == []
    monkeypatch.setattr(health, "check_database", lambda: (_ for _ in ()).throw(OSError("down")))
    assert client.get("/readyz").status_code == 503
    assert ['"GET /readyz" 503' in line for line in access_lines(access_log)] == [True]


def test_the_log_folder_and_retention_come_from_the_environment(tmp_path):
    env = {
        **os.environ,
        "WANGJIAN_HOME": str(tmp_path / "home"),
        "WANGJIAN_LOG_DIR": str(tmp_path / "var-log-wangjian"),
        "WANGJIAN_LOG_KEEP_DAYS": "400",
        "DJANGO_SETTINGS_MODULE": "wangjian.settings",
    }
    code = (
        "import django; django.setup(); import logging; from django.conf import settings;"
        "logging.getLogger('wangjian.access').info('one line');"
        "print(settings.LOG_DIR, settings.LOGGING['handlers']['access']['keep_days'],"
        " settings.LOGGING['handlers']['file']['keep_days'])"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [str(tmp_path / "var-log-wangjian"), "400", "400"]
    assert (tmp_path / "var-log-wangjian" / "access.log").read_text().endswith("one line\n")
