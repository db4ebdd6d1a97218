"""``/healthz`` and ``/readyz``: no log-in, JSON, 200 or 503, and nothing a stranger may not read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.db import OperationalError, connection

from wangjian.platform import health


@pytest.fixture(autouse=True)
def fresh_checks(monkeypatch, settings, tmp_path):
    """Each test asks again: no remembered storage or migration answer, a private storage folder."""
    monkeypatch.setattr(health, "_storage_ok_at", float("-inf"))
    monkeypatch.setattr(health, "_migrations_applied", False)
    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")


@pytest.fixture
def unreachable_database(monkeypatch):
    def refuse():
        raise OperationalError(
            'connection to server at "10.1.2.3", port 5432 failed: password=s3cret user=wangjian'
        )

    monkeypatch.setattr(connection, "ensure_connection", refuse)


def answer(client, path):
    response = client.get(path)
    return response.status_code, json.loads(response.content)


@pytest.mark.django_db
def test_healthz_answers_without_login_or_database(client, unreachable_database):
    assert answer(client, "/healthz") == (200, {"status": "ok"})


@pytest.mark.django_db
def test_readyz_answers_200_when_database_migrations_and_storage_are_fine(client, tmp_path):
    status, body = answer(client, "/readyz")
    assert status == 200, body
    assert body["status"] == "ready"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "migrations": True,
        "storage": True,
        "broker": True,
    }
    assert body["checks"]["broker"]["skipped"] is True  # no broker configured: tasks run in-process
    assert not list((tmp_path / "storage" / "health").glob("*"))  # the probe file is gone


@pytest.mark.django_db
def test_readyz_answers_503_when_the_database_is_unreachable(client, unreachable_database):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "not ready"
    assert body["checks"]["database"] == {
        "ok": False,
        "ms": body["checks"]["database"]["ms"],
        "error": "OperationalError",
    }
    assert body["checks"]["migrations"]["error"] == "database unreachable"
    text = response.content.decode()
    assert (
        "10.1.2.3" not in text and "s3cret" not in text and "wangjian" not in text
    )  # no host, user or password


@pytest.mark.django_db
def test_readyz_answers_503_while_migrations_are_not_applied(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(
        MigrationExecutor, "migration_plan", lambda self, targets: [("platform", "9999"), ("x", "1")]
    )
    status, body = answer(client, "/readyz")
    assert status == 503
    assert body["checks"]["migrations"]["error"] == "2 migrations not applied (wangjian migrate)"
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_readyz_answers_503_when_the_storage_takes_no_file(client, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the storage folder should be")
    settings.WANGJIAN_STORAGE = str(blocked)
    status, body = answer(client, "/readyz")
    assert status == 503
    assert body["checks"]["storage"]["ok"] is False
    assert str(tmp_path) not in json.dumps(body)


@pytest.mark.django_db
def test_readyz_answers_503_when_the_configured_broker_does_not_answer(client, monkeypatch, closed_port):
    from celery import current_app

    monkeypatch.setattr(health, "broker_configured", lambda: True)
    monkeypatch.setattr(current_app.conf, "broker_url", f"redis://127.0.0.1:{closed_port}/0")
    started = time.monotonic()
    status, body = answer(client, "/readyz")
    assert status == 503
    assert body["checks"]["broker"]["ok"] is False and "skipped" not in body["checks"]["broker"]
    assert time.monotonic() - started < 10  # a dead broker is reported, not waited for


@pytest.mark.django_db
@pytest.mark.redis
def test_readyz_checks_a_configured_broker_that_answers(client, monkeypatch):
    import redis
    from celery import current_app

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379 in CI")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    monkeypatch.setattr(health, "broker_configured", lambda: True)
    monkeypatch.setattr(current_app.conf, "broker_url", url)
    status, body = answer(client, "/readyz")
    assert status == 200, body
    assert body["checks"]["broker"]["ok"] is True and "skipped" not in body["checks"]["broker"]


@pytest.mark.django_db
def test_a_working_storage_is_written_at_most_once_a_minute(client, tmp_path, monkeypatch):
    writes = []
    real = health.storage.area

    def counting(name, where=None):
        writes.append(name)
        return real(name, where)

    monkeypatch.setattr(health.storage, "area", counting)
    for _ in range(3):
        assert client.get("/readyz").status_code == 200
    assert writes == ["health"]


def test_a_web_process_without_its_database_is_alive_but_not_ready(tmp_path, closed_port):
    """``wangjian serve`` with PostgreSQL down: /healthz 200 (do not restart it), /readyz 503."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "WANGJIAN_HOME": str(tmp_path),
        "WANGJIAN_DATABASE_URL": f"postgres://wangjian@127.0.0.1:{closed_port}/wangjian",
        "DJANGO_SETTINGS_MODULE": "wangjian.settings",
    }
    env.pop("WANGJIAN_BROKER_URL", None)
    wangjian = os.path.join(os.path.dirname(sys.executable), "wangjian")
    web = subprocess.Popen(
        [wangjian, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def get(path):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                assert get("/healthz") == (200, {"status": "ok"})
                break
            except (OSError, AssertionError):
                if time.monotonic() > deadline or web.poll() is not None:
                    raise
                time.sleep(0.3)
        status, body = get("/readyz")
        assert status == 503
        assert body["checks"]["database"] == {
            "ok": False,
            "ms": body["checks"]["database"]["ms"],
            "error": "OperationalError",
        }
    finally:
        web.terminate()
        web.wait(timeout=30)
