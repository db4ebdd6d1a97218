"""The literal matcher: Hyperscan and the Aho–Corasick fallback find the same occurrences, in code points."""

from __future__ import annotations

import os
import random

import pytest

from wangjian.monitoring import matcher
from wangjian.monitoring.matcher import LiteralMatcher

KEYS = ["最佳", "最", "佳品", "全网最低价", "网最", "zui佳", "1:1", "高仿", "😀最"]


def build(accelerated: bool) -> LiteralMatcher:
    m = LiteralMatcher(accelerated=accelerated)
    for i, key in enumerate(KEYS):
        m.add(key, i)
    return m.build()


def naive(text: str) -> list[tuple[int, int, int]]:
    out = []
    for i, key in enumerate(KEYS):
        start = text.find(key)
        while start >= 0:
            out.append((start, start + len(key), i))
            start = text.find(key, start + 1)
    return sorted(out)


def test_every_overlapping_occurrence_of_every_key_is_found_with_code_point_offsets():
    text = "这款是全网最低价的最佳品，😀最佳 zui佳 1:1高仿"
    found = sorted(build(accelerated=False).find(text))
    assert found == naive(text)
    assert (text.index("全网最低价"), text.index("全网最低价") + 5, KEYS.index("全网最低价")) in found


@pytest.mark.skipif(matcher.hyperscan is None, reason="hyperscan is not installed on this platform")
def test_hyperscan_and_the_automaton_agree_on_random_mixed_text():
    rng = random.Random(5)
    alphabet = list("最佳品全网低价高仿 zui1:😀。a")
    fast, portable = build(accelerated=True), build(accelerated=False)
    assert fast.accelerated and not portable.accelerated
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        assert sorted(fast.find(text)) == sorted(portable.find(text)) == naive(text)


def test_an_empty_matcher_finds_nothing():
    assert LiteralMatcher(accelerated=False).build().find("最佳") == []


@pytest.mark.skipif(matcher.hyperscan is None, reason="hyperscan is not installed on this platform")
def test_matchers_of_the_same_keys_share_one_compiled_database_and_other_keys_get_their_own():
    first, second = build(accelerated=True), build(accelerated=True)
    assert first._db is second._db  # compiled once per process: a sweep's every chunk builds its engine
    other = LiteralMatcher(accelerated=True)
    other.add("最佳", 0)
    assert other.build()._db is not first._db
    text = "全网最低价的最佳品"
    assert sorted(first.find(text)) == sorted(second.find(text)) == naive(text)  # each with its own scratch


needs_hyperscan = pytest.mark.skipif(
    matcher.hyperscan is None, reason="hyperscan is not installed on this platform"
)


@pytest.fixture
def new_process(settings, tmp_path, monkeypatch):
    """A home of its own and an empty in-memory cache: what a newly started worker process has."""
    settings.HOME = tmp_path
    monkeypatch.setattr(matcher, "_DATABASES", type(matcher._DATABASES)())
    return tmp_path / "cache" / "hyperscan"


def refuse_compiling(monkeypatch):
    """Hyperscan as it is, except that making a database to compile fails the test."""
    real = matcher.hyperscan

    class NoCompiling:
        def __getattr__(self, name):
            return getattr(real, name)

        @staticmethod
        def Database(**kwargs):  # noqa: N802 - the library's name
            raise AssertionError("compiled again")

    monkeypatch.setattr(matcher, "hyperscan", NoCompiling())


@needs_hyperscan
def test_a_later_process_reads_the_saved_database_instead_of_compiling_and_finds_the_same(
    new_process, monkeypatch
):
    text = "全网最低价的最佳品，😀最佳 1:1高仿"
    expected = sorted(build(accelerated=True).find(text))
    assert len(list(new_process.glob("*.hsdb"))) == 1
    monkeypatch.setattr(matcher, "_DATABASES", type(matcher._DATABASES)())  # the next process
    with monkeypatch.context() as m:
        refuse_compiling(m)
        later = build(accelerated=True)
        assert later.accelerated  # a failed compile would have fallen back to the automaton
        assert sorted(later.find(text)) == expected == naive(text)


@needs_hyperscan
def test_a_saved_database_cut_short_or_altered_is_compiled_again_and_saved_whole(new_process, monkeypatch):
    text = "全网最低价的最佳品"
    build(accelerated=True)
    (saved,) = new_process.glob("*.hsdb")
    whole = saved.read_bytes()
    for damaged in (whole[: len(whole) // 2], whole[:-1] + bytes([whole[-1] ^ 1])):
        saved.write_bytes(damaged)
        monkeypatch.setattr(matcher, "_DATABASES", type(matcher._DATABASES)())
        assert sorted(build(accelerated=True).find(text)) == naive(text)
        assert saved.read_bytes() == whole


@needs_hyperscan
def test_other_keys_are_saved_apart_and_the_least_recently_used_files_go_first(new_process, monkeypatch):
    monkeypatch.setattr(matcher, "SAVED_KEPT", 3)

    def build_key(n):
        before = set(new_process.glob("*.hsdb"))
        m = LiteralMatcher(accelerated=True)
        m.add("最" * n, 0)
        m.build()
        return set(new_process.glob("*.hsdb")) - before

    (a,), (b,), (c,) = build_key(1), build_key(2), build_key(3)
    for age, path in enumerate((a, b, c), start=1):
        os.utime(path, (age * 1000, age * 1000))  # written in this order, long ago
    monkeypatch.setattr(matcher, "_DATABASES", type(matcher._DATABASES)())  # a later process reads a
    assert build_key(1) == set()
    build_key(4), build_key(5)
    assert a.exists() and not b.exists() and not c.exists()
    assert len(list(new_process.glob("*.hsdb"))) == 3
    assert not list(new_process.glob("*.tmp"))


@needs_hyperscan
def test_a_home_that_cannot_be_written_only_means_compiling_each_time(settings, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    settings.HOME = blocker  # "cache" cannot be made under a file
    monkeypatch.setattr(matcher, "_DATABASES", type(matcher._DATABASES)())
    assert sorted(build(accelerated=True).find("最佳品")) == naive("最佳品")
