"""``core.bulk.gc_paused``: the cycle collector paused while a block builds many small objects."""

from __future__ import annotations

import gc

import pytest

from wangjian.core.bulk import gc_paused


@pytest.fixture(autouse=True)
def _collector_as_found():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_the_collector_is_paused_inside_and_running_again_after():
    gc.enable()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_lets_the_collector_run_again():
    gc.enable()
    with pytest.raises(ValueError), gc_paused():
        raise ValueError("bad row")
    assert gc.isenabled()


def test_a_pause_inside_a_pause_leaves_the_collector_as_the_outer_one_found_it():
    gc.enable()
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block must not start it while the outer still builds
    assert gc.isenabled()


def test_a_collector_someone_else_stopped_stays_stopped():
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_as_a_decorator_it_pauses_for_each_call():
    @gc_paused()
    def build():
        return gc.isenabled()

    gc.enable()
    assert build() is False and build() is False
    assert gc.isenabled()
