"""The demo 通报: last month's, generated from the demo's figures and issued, read by the leader."""

from __future__ import annotations

import io

import pytest

from tests.clues.conftest import at
from wangjian.bulletins.models import Bulletin
from wangjian.platform.inbox.models import Message

TODAY = "2025-12-10"


@pytest.fixture
def loaded(demo, clock):
    from wangjian.platform import demo as platform_demo

    clock(at(TODAY, "15:00"))
    out = io.StringIO()
    # The apps whose records the 通报 counts, in the demo's order; the 通报 demo writes their year of history
    # first. (The sweep of the demo market and the registry's import add figures, not steps: `make demo` runs them.)
    wanted = {"clues", "cases", "complaints", "bulletins"}
    for loader in platform_demo.loaders():
        if loader.label in wanted:
            loader.load(demo, out)
    return out.getvalue()


def test_the_demo_has_last_months_bulletin_issued_and_read(demo, loaded):
    bulletin = Bulletin.objects.get(bureau=demo.county)
    assert bulletin.month.isoformat() == "2025-11-01" and bulletin.issued
    assert bulletin.number == "旌市监网〔2025〕1号" and "通报 / bulletin:" in loaded
    assert bulletin.highlights and bulletin.figures["rows"]
    assert Message.objects.about(bulletin.notice).get(user=demo.users["leader"]).read_at is not None
