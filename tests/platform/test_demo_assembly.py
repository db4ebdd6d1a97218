"""The demo is assembled from what each app registers, each after the apps it builds on."""

from __future__ import annotations

import pytest

from wangjian.core.errors import WangjianError
from wangjian.platform import demo


def test_every_app_with_demo_data_registered_and_comes_after_what_it_builds_on():
    order = [loader.label for loader in demo.loaders()]
    assert set(order) >= {"registry", "monitoring", "evidence", "clues"}
    for loader in demo.loaders():
        for before in loader.after:
            assert order.index(before) < order.index(loader.label)


def test_a_new_app_joins_the_demo_by_registering(monkeypatch):
    monkeypatch.setattr(demo, "_LOADERS", dict(demo._LOADERS))
    demo.register("cases", "wangjian.cases.demo.load", after=("clues",))
    order = [loader.label for loader in demo.loaders()]
    assert order.index("cases") > order.index("clues")


def test_loaders_that_wait_on_each_other_are_refused(monkeypatch):
    monkeypatch.setattr(demo, "_LOADERS", {})
    demo.register("a", "x.load", after=("b",))
    demo.register("b", "x.load", after=("a",))
    with pytest.raises(WangjianError, match="循环"):
        demo.loaders()
