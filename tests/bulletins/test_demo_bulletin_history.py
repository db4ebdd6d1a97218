"""The 通报 demo writes the year of history before it drafts, so last month's 通报 reads the same records and
compares them with the year before (on a county without history: the module beside this one shares one)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tests.bulletins.test_demo_history import TODAY, _shops
from tests.clues.conftest import at


@pytest.fixture
def shops(demo, clock):
    clock(at(TODAY.isoformat(), "15:00"))
    return _shops(demo)


def test_the_bulletin_demo_writes_the_year_first_and_its_bulletin_compares_with_the_year_before(demo, shops):
    from wangjian.bulletins.models import Bulletin
    from wangjian.platform import demo as platform_demo
    from wangjian.platform import statistics

    out = io.StringIO()
    for loader in platform_demo.loaders():  # the apps' own stories first, then the 通报 and its history
        if loader.label in {"clues", "complaints", "bulletins"}:
            loader.load(demo, out)
    assert out.getvalue().index("历史数据 / history") < out.getvalue().index("通报 / bulletin")
    rows = {row["key"]: row for row in Bulletin.objects.get(bureau=demo.county).figures["rows"]}
    scope = statistics.Scope(bureau_ids=frozenset({demo.county.pk}))
    for key in ("clues_received", "complaints_received", "findings"):
        november = statistics.value(key, scope, dt.date(2025, 11, 1), dt.date(2025, 11, 30))
        assert rows[key]["now"] == str(november) and november > 0, key
        assert int(rows[key]["last_year"]) > 0 and int(rows[key]["before"]) > 0, key
