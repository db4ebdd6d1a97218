"""A sweep through a real Celery worker on Redis: chunks run on the worker, and a redelivered chunk adds nothing.

Starts ``celery -A wangjian worker -P solo`` against redis://127.0.0.1:6379/14 and a file
SQLite database in a temporary home; the demo market is served by this test process.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from wangjian.monitoring.demo_market import serve

pytestmark = [pytest.mark.redis, pytest.mark.own_database]  # a SQLite file of its own

BROKER = "redis://127.0.0.1:6379/14"

SETUP = """
import django, sys
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from wangjian.org import demo
from wangjian.monitoring.demo import demo_task, market_presences
from wangjian.monitoring.demo_market import build_market
from wangjian.monitoring.services import libraries_load_defaults

class Server:
    market = build_market()
    url = sys.argv[1]
    def url_for(self, path):
        return self.url.rstrip("/") + path

org = demo.build(password="Demo2025pass")
libraries_load_defaults(bureau=org.county)
presences = market_presences(bureau=org.county, server=Server())
task = demo_task(bureau=org.county, presences=presences[:12], render="never", evidence_threshold="high")
print(task.pk)
"""


def redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping())
    except Exception:
        return False


def query(db, sql):
    with sqlite3.connect(db, timeout=30) as conn:
        return conn.execute(sql).fetchall()


def test_a_sweep_runs_on_a_real_worker_and_a_redelivered_chunk_adds_no_duplicate(tmp_path, migrated_sqlite):
    if not redis_up():
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379 in CI")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    import redis

    redis.Redis.from_url(BROKER).flushdb()  # our own database number: stale messages of an earlier run go
    market = serve(0)
    db = migrated_sqlite(tmp_path / "wangjian.sqlite3")
    env = {
        **os.environ,
        "WANGJIAN_HOME": str(tmp_path),
        "WANGJIAN_DATABASE_URL": f"sqlite:///{db}",
        "WANGJIAN_BROKER_URL": BROKER,
        "DJANGO_SETTINGS_MODULE": "wangjian.settings",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    setup = subprocess.run(
        [sys.executable, "-c", SETUP, market.url], env=env, capture_output=True, text=True, timeout=300
    )
    assert setup.returncode == 0, setup.stderr[-3000:]
    task_id = int(setup.stdout.strip().splitlines()[-1])
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "wangjian",
            "worker",
            "-P",
            "solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(iter(worker.stdout.readline, "")), daemon=True).start()
    try:
        wangjian = (
            [sys.executable, "-m", "wangjian"]
            if False
            else [os.path.join(os.path.dirname(sys.executable), "wangjian")]
        )
        run = subprocess.run(
            [*wangjian, "monitor", "run", str(task_id), "--wait"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stderr[-3000:] + "".join(log)[-3000:]
        assert "[已完成]" in run.stdout, run.stdout + "".join(log)[-3000:]
        assert any("sweep_chunk_run" in line and "succeeded" in line for line in log)
        findings = query(db, "select count(*) from monitoring_finding")[0][0]
        assert findings > 0
        assert query(db, "select status, count(*) from monitoring_sweepchunk group by status") == [
            ("done", 2)
        ]
        # The broker delivers a chunk again (a worker died before its ack): same findings, same counts.
        chunk_id, pages = query(db, "select id, pages_done from monitoring_sweepchunk order by id limit 1")[0]
        with sqlite3.connect(db, timeout=30) as conn:
            conn.execute("update monitoring_sweepchunk set status='running' where id=?", (chunk_id,))
        from celery import Celery

        # To the chunk's own queue (``fetch``: the tasks that read the web), where the broker would put it back.
        Celery(broker=BROKER, set_as_current=False).send_task(
            "wangjian.monitoring.tasks.sweep_chunk_run", args=[chunk_id], queue="fetch"
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if query(db, f"select attempts, status from monitoring_sweepchunk where id={chunk_id}")[0] == (
                2,
                "done",
            ):
                break
            time.sleep(0.5)
        assert query(
            db, f"select attempts, status, pages_done from monitoring_sweepchunk where id={chunk_id}"
        )[0] == (
            2,
            "done",
            pages,
        )
        assert query(db, "select count(*) from monitoring_finding")[0][0] == findings
        assert query(db, "select count(*) from monitoring_finding where evidence_id is not null")[0][0] > 0
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        market.shutdown()
