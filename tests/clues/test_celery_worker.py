"""Exactly-once notifications with a real Celery worker on Redis: the reminder task delivered twice at once.

Starts ``celery -A wangjian worker`` (concurrency 2) against a file SQLite database and
redis://127.0.0.1:6379/15, sends ``clues_remind`` twice, and checks that each in-app
notification and each push exists once and the local inbox received each push once.
Both processes run on one fixed clock (``NOW``), never on today's date.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

pytestmark = [pytest.mark.redis, pytest.mark.own_database]  # a SQLite file of its own

BROKER = "redis://127.0.0.1:6379/15"

# One clock for both processes: a Wednesday of a year the calendar covers, moving on from there at
# the wall clock's pace. The clue is assigned six working days before it, so the reminder is due
# whatever day the test runs on (a weekend, 国庆, or a year whose holidays are not yet published).
NOW = "2025-11-12T10:00:00+08:00"


def clock(started: float) -> str:
    """Code that sets ``timezone.now`` to NOW plus the seconds since ``started`` (before Django starts)."""
    return f"""
import datetime as _dt, time as _time
from django.utils import timezone as _timezone
_at = _dt.datetime.fromisoformat({NOW!r})
_timezone.now = lambda: _at + _dt.timedelta(seconds=_time.time() - {started!r})
"""


# ``celery -A wangjian worker …`` after the clock is set (the prefork children inherit it).
WORKER = "from celery.__main__ import main\nmain()\n"

SETUP = """
import datetime as dt, django, json, sys
django.setup()
from django.core.management import call_command
from django.utils import timezone
call_command("migrate", verbosity=0)
from wangjian.org import demo
from wangjian.clues import services
from wangjian.platform.inbox.models import PushAddress
from wangjian.core import workdays
org = demo.build(password="Demo2025pass")
cal = workdays.current()
today = timezone.localdate()
assigned = timezone.make_aware(dt.datetime.combine(cal.add_working_days(today, -6), dt.time(9)))
clue = services.clue_intake(bureau=org.county, source_kind="monitoring", domain="internet_advertising",
                            facts="绝对化用语", entity_uscc="91341825MA2CELERY1", now=assigned).clue
PushAddress.objects.create(user=org.users["ad_officer"], url=sys.argv[1])
services.clue_escalate(clue=clue, user=org.users["office"], note="请立即反馈")
print(json.dumps({"clue": clue.pk}))
"""


def redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping())
    except Exception:
        return False


class Inbox(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802
        Inbox.received.append(
            json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        )
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def count(db: Path, sql: str) -> int:
    with sqlite3.connect(db, timeout=30) as conn:
        return conn.execute(sql).fetchone()[0]


def test_reminder_task_sent_twice_to_a_real_worker_notifies_once(tmp_path, migrated_sqlite):
    if not redis_up():
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379 in CI")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    queue = f"wj-test-clues-{os.getpid()}"  # our own queue: nothing else on the broker is touched
    Inbox.received = []
    server = HTTPServer(("127.0.0.1", 0), Inbox)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {
        **os.environ,
        "WANGJIAN_HOME": str(tmp_path),
        # The worker's own SQLite file, whatever database the suite runs on.
        "WANGJIAN_DATABASE_URL": f"sqlite:///{tmp_path / 'wangjian.sqlite3'}",
        "WANGJIAN_BROKER_URL": BROKER,
        "DJANGO_SETTINGS_MODULE": "wangjian.settings",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    migrated_sqlite(tmp_path / "wangjian.sqlite3")
    hook = f"json://127.0.0.1:{server.server_port}/hook"
    started = time.time()
    setup = subprocess.run(
        [sys.executable, "-c", clock(started) + SETUP, hook],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert setup.returncode == 0, setup.stderr[-3000:]
    db = tmp_path / "wangjian.sqlite3"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            clock(started) + WORKER,
            "-A",
            "wangjian",
            "worker",
            "--concurrency=2",
            "--pool=prefork",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queue,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(iter(worker.stdout.readline, "")), daemon=True).start()
    try:
        from celery import Celery

        client = Celery(broker=BROKER, set_as_current=False)
        for _ in range(2):  # two beats in a row, or a redelivery after a lost ack
            client.send_task("wangjian.clues.tasks.clues_remind", queue=queue)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if sum("succeeded" in line for line in log) >= 2:
                break
            if worker.poll() is not None:
                break
            time.sleep(0.5)
        assert sum("succeeded" in line for line in log) >= 2, "".join(log)[-3000:]
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        server.shutdown()
        import redis

        broker = redis.Redis.from_url(BROKER)
        for key in [queue, *broker.scan_iter(f"_kombu.binding*.{queue}")]:
            broker.delete(key)
    reminders = count(db, "select count(*) from platform_message where kind='remind'")
    assert reminders == count(db, "select count(distinct key) from platform_message where kind='remind'")
    assert reminders >= 1  # the unit's officers, each once
    assert count(db, "select count(*) from platform_delivery where title like '一级督办%'") == 1
    escalation_pushes = [m for m in Inbox.received if m.get("title", "").startswith("一级督办")]
    assert len(escalation_pushes) == 1  # urgent: sent at once, and only once
    reminder_pushes = [m for m in Inbox.received if "将于" in m.get("title", "")]
    assert len(reminder_pushes) <= 1  # sent once in working hours, held back outside them
    assert count(db, "select count(*) from platform_delivery where status='sent'") == len(Inbox.received)
