"""Permit check tests: the demo market's shops as presences of the demo county, its permit data imported."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def evidence_store(settings, tmp_path):
    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")
    settings.WANGJIAN_EVIDENCE_KEY_DIR = str(tmp_path / "keys")
    return tmp_path


@pytest.fixture
def county(demo):
    """旌德县 (no rule libraries: these sweeps are about what the entry pages show, not rule hits)."""
    return demo.county


@pytest.fixture
def market_presences(county, market):
    from wangjian.monitoring.demo import market_presences

    return market_presences(bureau=county, server=market)


@pytest.fixture
def permit_data(county, market, demo):
    """The market's permit data imported by the office, as ``wangjian demo`` does."""
    from wangjian.monitoring.demo import market_permits

    return market_permits(bureau=county, server=market, user=demo.users["office"])
