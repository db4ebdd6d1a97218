"""Sweep tests: the demo market on 127.0.0.1, its shops as presences, a private evidence store."""

from __future__ import annotations

import pytest

from tests.sweeps.conftest import (
    Site,
    closed_port,  # noqa: F401 — fixture
)
from wangjian.monitoring.demo_market import serve


@pytest.fixture(scope="session")
def market():
    server = serve(0)
    yield server
    server.shutdown()


@pytest.fixture(autouse=True)
def evidence_store(settings, tmp_path):
    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")
    settings.WANGJIAN_EVIDENCE_KEY_DIR = str(tmp_path / "keys")
    settings.WANGJIAN_EVIDENCE_TIMEOUT = 10
    return tmp_path


@pytest.fixture
def county(demo):
    from wangjian.monitoring.services import libraries_load_defaults

    libraries_load_defaults(bureau=demo.county)
    return demo.county


@pytest.fixture
def market_presences(county, market):
    from wangjian.monitoring.demo import market_presences

    return market_presences(bureau=county, server=market)


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


def make_task(bureau, presences, **kw):
    from wangjian.monitoring.models import MonitoringTask

    values = {"name": "测试任务", "depth": 1, "max_pages": 20, "render": "never", "delay": 0.0}
    values.update(kw)
    task = MonitoringTask.objects.create(bureau=bureau, **values)
    task.presences.set(presences)
    return task
