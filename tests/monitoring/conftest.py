"""Monitoring tests: the demo market served once on 127.0.0.1, and a scripted site per test."""

from __future__ import annotations

import pytest

from tests.monitoring.util import Site
from wangjian.monitoring.demo_market import serve


@pytest.fixture(scope="session")
def market():
    """The bundled demo market, served once for the session."""
    server = serve(0)
    yield server
    server.shutdown()


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()
