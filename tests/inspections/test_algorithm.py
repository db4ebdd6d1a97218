"""The draw algorithm itself (``inspections.algorithm``): reproducible from the published inputs, uniform,
true to the ratios, never against a recusal, at least two inspectors per object, every joint department."""

from __future__ import annotations

import hashlib
from collections import Counter
from fractions import Fraction

import pytest

from tests.inspections.stats import uniform
from wangjian.inspections import algorithm
from wangjian.inspections.algorithm import Inspector

POOL = [(eid, "A|general" if eid % 2 else "D|key") for eid in range(1000, 1100)]
INSPECTORS = [Inspector(uid, 7) for uid in range(1, 21)]


def seed(n: int) -> bytes:
    return hashlib.sha256(f"test-seed-{n}".encode()).digest()


def test_the_same_inputs_and_value_give_the_same_seed_and_the_same_draw():
    canonical = algorithm.canonical_json({"pool_sha256": "ab", "strata": [{"key": "A|general"}]})
    s1 = algorithm.seed_of(canonical, "红球 03 08 15 21 27 33 蓝球 09")
    s2 = algorithm.seed_of(canonical, "  红球 03 08 15 21 27 33   蓝球 09 ")  # whitespace is normalised
    assert s1 == s2
    ratios = {"A|general": Fraction(1, 10), "D|key": Fraction(3, 10)}
    assert algorithm.draw_objects(s1, POOL, ratios) == algorithm.draw_objects(s2, POOL, ratios)


def test_full_width_digits_of_the_value_fold_to_the_same_seed():
    canonical = algorithm.canonical_json({"a": 1})
    assert algorithm.seed_of(canonical, "０３ ０８") == algorithm.seed_of(canonical, "03 08")


def test_another_value_or_another_published_input_gives_another_seed():
    canonical = algorithm.canonical_json({"pool_sha256": "ab"})
    assert algorithm.seed_of(canonical, "03 08 15") != algorithm.seed_of(canonical, "03 08 16")
    assert algorithm.seed_of(canonical, "03 08 15") != algorithm.seed_of(
        algorithm.canonical_json({"pool_sha256": "ac"}), "03 08 15"
    )


def test_a_changed_pool_changes_its_hash():
    rows = [(1, "91341825MA2G000017", "A|general"), (2, "91341825MA2G00002X", "A|general")]
    listing = algorithm.pool_listing(rows)
    assert listing.splitlines()[0] == "1\t1\t91341825MA2G000017\tA|general"
    assert algorithm.parse_pool_listing(listing) == rows
    assert algorithm.sha256_hex(listing) != algorithm.sha256_hex(algorithm.pool_listing(rows[:1]))


@pytest.mark.parametrize(
    ("ratio", "size", "count"), [("0.03", 100, 3), ("0.05", 21, 2), ("0.3", 7, 3), ("1", 5, 5)]
)
def test_each_stratum_draws_the_ceiling_of_its_ratio_times_its_size(ratio, size, count):
    pool = [(eid, "S") for eid in range(size)]
    assert len(algorithm.draw_objects(seed(1), pool, {"S": algorithm.ratio(ratio)})) == count


def test_ratios_are_honoured_per_stratum_and_a_zero_ratio_draws_none():
    pool = [(eid, "A|-") for eid in range(200)] + [(eid, "D|-") for eid in range(200, 260)]
    pool += [(eid, "B|-") for eid in range(300, 310)]
    ratios = {"A|-": algorithm.ratio("0.01"), "D|-": algorithm.ratio("0.3"), "B|-": algorithm.ratio("0")}
    counts = Counter(p.stratum for p in algorithm.draw_objects(seed(2), pool, ratios))
    assert counts == {"A|-": 2, "D|-": 18}


def test_a_ratio_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError):
        algorithm.ratio("1.5")


def test_objects_are_drawn_uniformly_over_many_draws_chi_square():
    pool = [(eid, "S") for eid in range(100)]
    counts = Counter()
    draws = 2000
    for n in range(draws):
        counts.update(p.entity_id for p in algorithm.draw_objects(seed(n), pool, {"S": Fraction(1, 10)}))
    ok, statistic, critical = uniform([counts[eid] for eid in range(100)], draws * 10 / 100)
    assert ok, f"chi-square {statistic:.1f} > {critical} (df 99, α 0.001)"


def test_the_chi_square_check_rejects_a_draw_that_ignores_the_seed():
    """The check can fail: a 'draw' ranking by a hash of the id alone picks the same ten every time."""
    pool = [(eid, "S") for eid in range(100)]
    counts = Counter()
    for _n in range(2000):
        counts.update(
            sorted(pool, key=lambda p: hashlib.sha256(str(p[0]).encode()).digest())[i][0] for i in range(10)
        )
    ok, statistic, _critical = uniform([counts[eid] for eid in range(100)], 200)
    assert not ok and statistic > 1000


def test_inspectors_are_drawn_uniformly_chi_square():
    counts = Counter()
    objects = list(range(2000))
    drawn = algorithm.draw_inspectors(seed(7), objects, INSPECTORS, {}, 2)
    for users in drawn.values():
        counts.update(users)
    ok, statistic, critical = uniform([counts[i.user_id] for i in INSPECTORS], 2000 * 2 / 20)
    assert ok, f"chi-square {statistic:.1f} > {critical} (df 19, α 0.001)"


def test_every_object_gets_at_least_two_distinct_inspectors():
    drawn = algorithm.draw_inspectors(seed(3), range(500), INSPECTORS, {}, 2)
    assert all(len(set(users)) == len(users) >= 2 for users in drawn.values())


def test_a_recused_inspector_is_never_drawn_for_that_entity():
    excluded = {eid: {1, 2, 3} for eid in range(300)}
    for n in range(20):
        drawn = algorithm.draw_inspectors(seed(n), range(300), INSPECTORS, excluded, 3)
        assert all(not {1, 2, 3} & set(users) for users in drawn.values())


def test_a_joint_inspection_puts_one_inspector_of_each_department_on_the_visit():
    inspectors = [Inspector(uid, 10 if uid <= 10 else 20) for uid in range(1, 31)] + [Inspector(99, 30)]
    drawn = algorithm.draw_inspectors(seed(4), range(200), inspectors, {}, 2, [10, 20, 30])
    by_user = {i.user_id: i.department_id for i in inspectors}
    for users in drawn.values():
        assert len(users) == 3 and {by_user[u] for u in users} == {10, 20, 30}


def test_shortfalls_name_the_objects_that_cannot_have_enough_inspectors():
    inspectors = INSPECTORS[:3]
    problems = algorithm.shortfalls([1, 2], inspectors, {2: {1, 2}}, 2)
    assert [eid for eid, _why in problems] == [2]
    assert algorithm.shortfalls([1], inspectors, {}, 2, [8]) == [(1, "联合检查科室8没有持证检查人员")]
