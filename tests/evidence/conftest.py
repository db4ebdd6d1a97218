"""Evidence tests: a private store and key folder per test, and the local test site."""

from __future__ import annotations

import os

import pytest

from tests.conftest import chromium_path
from tests.evidence.site import Site, TLSSite


@pytest.fixture(scope="session")
def site():
    with Site() as s:
        yield s


@pytest.fixture(scope="session")
def tls_site(tmp_path_factory):
    with TLSSite(tmp_path_factory.mktemp("tls")) as s:
        yield s


@pytest.fixture(autouse=True)
def evidence_store(settings, tmp_path):
    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")
    settings.WANGJIAN_EVIDENCE_KEY_DIR = str(tmp_path / "keys")
    settings.WANGJIAN_EVIDENCE_TIMEOUT = 10
    return tmp_path


@pytest.fixture
def bureau(db):
    """A county bureau without the demo's users (fast); tests of scoping use ``demo``."""
    from wangjian.org.choices import BureauLevel
    from wangjian.org.models import Bureau

    return Bureau.objects.create(name="旌德县市场监督管理局", code="341825", level=BureauLevel.COUNTY)


@pytest.fixture
def chromium():
    if chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium missing in CI")
        pytest.skip("Debian's chromium is not installed")
    return chromium_path()
