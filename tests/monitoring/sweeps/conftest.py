"""Sweep tests: the demo market's shops as presences of the demo county, a private evidence store."""

from __future__ import annotations

import pytest


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
