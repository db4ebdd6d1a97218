"""The deployment of docs/deployment.md: the routing it describes is the code's, and its pieces run together.

The first tests read the document and compare it with the code: every Celery task is listed with
the queue it goes to, and that is the queue ``core.background.send`` puts it on. The last one
starts the layout on loopback the way the document says — PostgreSQL, Redis, an S3-compatible
store (moto), one ``wangjian serve``, one ``wangjian worker --queues default`` (intranet) and one
``wangjian worker --queues fetch`` (internet zone) — sweeps the demo market (the internet's
stand-in) and checks that each worker ran only its zone's tasks, that the evidence reached the
shared store and the finding, and that ``/readyz`` and ``/metrics`` say so.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from unittest import mock

import pytest

from wangjian.celery import DEFAULT_QUEUE, FETCH_QUEUE, QUEUES

DOC = Path(__file__).resolve().parents[2] / "docs" / "deployment.md"
BROKER = "redis://127.0.0.1:6379/13"  # a database number no other test uses
POSTGRES = "postgresql://postgres@127.0.0.1:5432"


def documented_routes() -> dict[str, str]:
    """The task → queue table of docs/deployment.md (rows "| `wangjian.….tasks.…` | `queue` | …")."""
    rows = re.findall(r"^\| `(wangjian\.[a-z_]+\.tasks\.[a-z_]+)` \| `([a-z_]+)` \|", DOC.read_text(), re.M)
    return dict(rows)


def documented_worker_queues() -> dict[str, str]:
    """The zone → ``--queues`` of the worker commands the document gives ("# intranet" / "# internet zone")."""
    found: dict[str, str] = {}
    pattern = r"wangjian worker --queues ([a-z_,]+)\s+# (intranet|internet zone)"
    for queues, zone in re.findall(pattern, DOC.read_text()):
        assert found.setdefault(zone, queues) == queues, f"the document gives the {zone} two sets of queues"
    return found


@contextlib.contextmanager
def published():
    """As if a broker were configured: what ``send`` publishes is caught (task name → queue), not sent."""
    from celery import current_app

    seen: dict[str, str] = {}

    def capture(producer, task_name, message, **options):
        seen[task_name] = options["queue"].name

    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = False
    try:
        with mock.patch.object(current_app.amqp, "send_task_message", capture):
            yield seen
    finally:
        current_app.conf.task_always_eager = eager


def routed_queue(name: str) -> str:
    """The queue ``core.background.send(name)`` publishes to, as a broker would receive it."""
    from wangjian.core.background import send, task

    with published() as seen, mock.patch.object(task(name), "typing", False):  # no arguments needed
        send(name)
    return seen[name]


def wangjian_tasks() -> list[str]:
    from celery import current_app

    current_app.loader.import_default_modules()
    return sorted(n for n in current_app.tasks if n.startswith("wangjian."))


def test_every_task_is_documented_with_the_queue_the_code_sends_it_to():
    documented = documented_routes()
    assert documented, "docs/deployment.md lists no task → queue table"
    assert set(documented) == set(wangjian_tasks()), "the document and the code name different tasks"
    assert {name: routed_queue(name) for name in documented} == documented


def test_only_the_tasks_that_read_the_web_go_to_the_internet_zone():
    fetch = {name for name in wangjian_tasks() if routed_queue(name) == FETCH_QUEUE}
    assert (
        fetch
        == {
            "wangjian.monitoring.tasks.sweep_chunk_run",
            "wangjian.monitoring.tasks.feed_scan_run",  # a feed given by URL is read from the web
            "wangjian.evidence.tasks.evidence_capture",
            "wangjian.inspections.tasks.check_request_run",  # a 双随机 online check reads the drawn entity's presences
        }
    )


def test_a_captures_callback_returns_to_the_intranet_queue():
    """The worker that captured (internet zone) sends the finding's update to the intranet's queue."""
    from wangjian.core.background import signature

    link = signature("wangjian.monitoring.tasks.finding_evidence_attach", 1)
    with published() as seen:
        link.apply_async((2,))
    assert seen == {"wangjian.monitoring.tasks.finding_evidence_attach": DEFAULT_QUEUE}


def test_the_documented_workers_consume_every_queue_and_the_internet_zone_only_fetch():
    workers = documented_worker_queues()
    assert workers == {"intranet": DEFAULT_QUEUE, "internet zone": FETCH_QUEUE}
    assert set(workers.values()) == set(QUEUES)


# ------------------------------------------------------------------------------- the layout on loopback

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
task = demo_task(bureau=org.county, presences=presences[:4], render="never", evidence_threshold="high")
print(task.pk)
"""

COUNT = """
import django, json, sys
django.setup()
from django.db import connection
with connection.cursor() as c:
    c.execute(sys.argv[1])
    print(json.dumps(c.fetchall()))
"""


def _reachable() -> str | None:
    """Why the layout cannot start here (Redis or PostgreSQL missing), or None."""
    try:
        import psycopg
        import redis

        redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
        psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3).close()
    except Exception as exc:
        return f"Redis on 127.0.0.1:6379 and PostgreSQL on 127.0.0.1:5432 are needed ({type(exc).__name__})"
    return None


def _get(url: str, token: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except OSError:
        return 0, ""


class Process:
    """A process of the layout, its output collected line by line."""

    def __init__(self, name: str, argv: list[str], env: dict):
        self.name = name
        self.lines: list[str] = []
        self.popen = subprocess.Popen(
            argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        threading.Thread(
            target=lambda: self.lines.extend(iter(self.popen.stdout.readline, "")), daemon=True
        ).start()

    def ran(self, task: str) -> bool:
        return any(task in line and "succeeded" in line for line in self.lines)

    def said(self, text: str) -> bool:
        return any(text in line for line in self.lines)

    def received(self, task: str) -> bool:
        """A message of ``task`` came to this worker (its log names it with the message's id: ``name[id]``)."""
        return any(f"{task}[" in line for line in self.lines)

    def stop(self) -> None:
        self.popen.terminate()
        try:
            self.popen.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.popen.kill()

    def tail(self) -> str:
        return f"--- {self.name}\n" + "".join(self.lines)[-2500:]


def _until(condition, seconds: float, what: str, processes=()) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"{what} within {seconds}s\n" + "\n".join(p.tail() for p in processes))


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.own_database
def test_the_documented_layout_runs_on_loopback_each_zone_on_its_own_queue(tmp_path, s3_endpoint):
    reason = _reachable()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    import boto3
    import psycopg
    import redis

    from wangjian.monitoring.demo_market import serve

    redis.Redis.from_url(BROKER).flushdb()  # our own database number: stale messages of an earlier run go
    database = f"wangjian_layout_{os.getpid()}"
    admin = psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=3)
    admin.execute(f"DROP DATABASE IF EXISTS {database}")
    admin.execute(f"CREATE DATABASE {database}")
    bucket = f"wangjian-layout-{uuid.uuid4().hex[:10]}"
    s3_env = {
        "AWS_ACCESS_KEY_ID": "wangjian-test",
        "AWS_SECRET_ACCESS_KEY": "wangjian-test",
        "AWS_DEFAULT_REGION": "us-east-1",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="wangjian-test",
        aws_secret_access_key="wangjian-test",
    )
    s3.create_bucket(Bucket=bucket)
    market = serve(0)  # the internet, as far as the fetch workers know
    token = uuid.uuid4().hex
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # The environment every machine of the layout shares (docs/deployment.md, "Every machine").
    env = {
        **os.environ,
        **s3_env,
        "DJANGO_SETTINGS_MODULE": "wangjian.settings",
        "WANGJIAN_HOME": str(tmp_path / "home"),
        "WANGJIAN_SECRET_KEY": uuid.uuid4().hex * 2,
        "WANGJIAN_DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "WANGJIAN_BROKER_URL": BROKER,
        "WANGJIAN_STORAGE": f"s3://{bucket}/jingde",
        "WANGJIAN_S3_ENDPOINT_URL": s3_endpoint,
        "WANGJIAN_METRICS_TOKEN": token,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    wangjian = os.path.join(os.path.dirname(sys.executable), "wangjian")
    processes: list[Process] = []
    try:
        # The pieces start while the database is migrated (`wangjian migrate`, then the demo county
        # and a monitoring task over the market's shops): until then the web process is alive, not ready.
        web = Process("web", [wangjian, "serve", "--host", "127.0.0.1", "--port", str(port)], env)
        intranet = Process(
            "intranet worker", [wangjian, "worker", "--queues", DEFAULT_QUEUE, "--concurrency", "2"], env
        )
        internet = Process(
            "internet worker", [wangjian, "worker", "--queues", FETCH_QUEUE, "--concurrency", "2"], env
        )
        processes += [web, intranet, internet]
        base = f"http://127.0.0.1:{port}"
        _until(lambda: _get(f"{base}/healthz")[0] == 200, 60, "/healthz answers 200", processes)
        status, body = _get(f"{base}/readyz")
        assert status == 503 and json.loads(body)["checks"]["migrations"]["ok"] is False, body
        setup = subprocess.run(
            [sys.executable, "-c", SETUP, market.url], env=env, capture_output=True, text=True, timeout=300
        )
        assert setup.returncode == 0, setup.stderr[-3000:]
        task_id = int(setup.stdout.strip().splitlines()[-1])
        _until(
            lambda: all(w.said(" ready.") for w in (intranet, internet)),
            60,
            "both workers are ready",
            processes,
        )
        status, body = _get(f"{base}/readyz")
        assert status == 200, body
        checks = json.loads(body)["checks"]
        assert {name for name, check in checks.items() if check["ok"] and not check.get("skipped")} == {
            "database",
            "migrations",
            "storage",
            "broker",
        }

        run = subprocess.run(
            [wangjian, "monitor", "run", str(task_id), "--wait"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stderr[-3000:] + "\n".join(p.tail() for p in processes)
        assert "[已完成]" in run.stdout, run.stdout

        def sql(query: str):
            out = subprocess.run(
                [sys.executable, "-c", COUNT, query], env=env, capture_output=True, text=True
            )
            assert out.returncode == 0, out.stderr[-3000:]
            return json.loads(out.stdout)

        assert sql("select count(*) from monitoring_finding")[0][0] > 0
        # A capture ran on the internet zone's worker; its callback stored it on the finding on the intranet's.
        _until(
            lambda: sql("select count(*) from monitoring_finding where evidence_id is not null")[0][0] > 0,
            90,
            "a finding gets its evidence",
            processes,
        )
        assert internet.ran("wangjian.monitoring.tasks.sweep_chunk_run")
        assert internet.ran("wangjian.evidence.tasks.evidence_capture")
        assert intranet.ran("wangjian.monitoring.tasks.finding_evidence_attach")
        assert not intranet.received("wangjian.monitoring.tasks.sweep_chunk_run")
        assert not intranet.received("wangjian.evidence.tasks.evidence_capture")
        assert not internet.received("wangjian.monitoring.tasks.finding_evidence_attach")
        # The evidence is in the shared store, where the web process reads it.
        keys = [
            o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="jingde/evidence/").get("Contents", [])
        ]
        assert keys
        # The workers' own log lines reach the application log on disk (kept six months).
        assert "sweep_chunk_run" in (tmp_path / "home" / "logs" / "wangjian.log").read_text()

        status, text = _get(f"{base}/metrics")
        assert status == 401
        status, text = _get(f"{base}/metrics", token)
        assert status == 200
        assert "wangjian_broker_up 1.0" in text
        assert (
            'wangjian_queue_length{queue="fetch"}' in text
            and 'wangjian_queue_length{queue="default"}' in text
        )
        pages_ok = re.search(r'^wangjian_sweep_pages_last_hour\{outcome="ok"\} (\S+)$', text, re.M)
        assert pages_ok and float(pages_ok.group(1)) > 0
    finally:
        for process in processes:
            process.stop()
        market.shutdown()
        admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        admin.close()
        redis.Redis.from_url(BROKER).flushdb()
