"""Seller linkage by the Fellegi–Sunter model: weights learned without labels, decisions from probability."""

from __future__ import annotations

import random

import pytest

from wangjian.registry import linkage as L
from wangjian.registry.matching import Seller
from wangjian.registry.uscc import ALPHABET, complete

# ---------------------------------------------------------------------------------------------- EM


def _synthetic_pairs(m, u, prior, n, rng):
    out = []
    for _ in range(n):
        dist = m if rng.random() < prior else u
        levels = []
        for row in dist:
            x, acc = rng.random(), 0.0
            for j, p in enumerate(row):
                acc += p
                if x < acc:
                    levels.append(j)
                    break
            else:
                levels.append(len(row) - 1)
        out.append(tuple(levels))
    return out


def test_em_recovers_known_m_probabilities_and_the_share_of_matches():
    rng = random.Random(3)
    true_m = [[0.85, 0.1, 0.03, 0.02], [0.6, 0.3, 0.02, 0.02, 0.02, 0.02, 0.02], [0.7, 0.2, 0.05, 0.05]]
    u = [[0.0005, 0.0005, 0.5, 0.499], [0.001, 0.004, 0.005, 0.02, 0.02, 0.15, 0.8], [0.01, 0.09, 0.3, 0.6]]
    pairs = _synthetic_pairs(true_m, u, 0.3, 20_000, rng)
    from collections import Counter

    counted = Counter(tuple([*p, None, None]) for p in pairs)
    full_u = [*u, [0.5, 0.3, 0.2], [0.3, 0.3, 0.4]]
    start = L.Model.starting()
    m, _seen, prior, _its, converged = L._em(list(counted.items()), [], start.m, full_u, 0.5, 200, 1e-7)
    assert converged
    assert prior == pytest.approx(0.3, abs=0.02)
    for i, row in enumerate(true_m):
        for j, value in enumerate(row):
            assert m[i][j] == pytest.approx(value, abs=0.03), (i, j)


def test_officers_decisions_enter_em_as_pairs_whose_answer_is_known():
    # The same ambiguous pattern: unlabelled, EM splits it; labelled as matches, it counts fully for m.
    pattern = (2, 6, None, None, None)  # another valid code, names differ
    clear = (0, 0, None, None, None)
    u = [[0.0001, 0.0001, 0.5, 0.4998], [0.0001] * 6 + [0.9994], [0.25] * 4, [0.3, 0.3, 0.4], [0.3, 0.3, 0.4]]
    start = L.Model.starting()
    unlabelled, *_ = L._em([(clear, 100), (pattern, 100)], [], start.m, u, 0.5, 100, 1e-7)
    labelled, *_ = L._em([(clear, 100)], [(pattern, 1.0)] * 100, start.m, u, 0.5, 100, 1e-7)
    assert unlabelled[0][2] < 0.05  # EM alone: another valid code is almost never the same business
    assert labelled[0][2] == pytest.approx(
        0.5, abs=0.02
    )  # officers said these were: half the matches show it


# --------------------------------------------------------------------------------------- comparisons


def _code(region: str, n: int) -> str:
    body = "".join(ALPHABET[(n * 7 + k * 3) % 31] for k in range(9))
    return complete("92" + region + body)


def test_a_masked_registry_phone_agrees_on_its_visible_digits_only():
    e = L.entity_rec(1, _code("341825", 1), "旌德县宏达商贸有限公司", phone="138****1234")
    assert (e.phone, e.phone_head, e.phone_tail) == ("", "138", "1234")
    same = L.seller_rec(Seller("a", claimed_name="宏达商贸", phone="13855551234"))
    other = L.seller_rec(Seller("b", claimed_name="宏达商贸", phone="13955551234"))
    phone = L.FIELD_INDEX["phone"]
    assert L.compare(same, e)[phone] == L.FIELDS[phone].levels.index("masked")
    assert L.compare(other, e)[phone] == L.FIELDS[phone].levels.index("different")


def test_the_shop_name_and_the_claimed_name_are_one_field_the_best_agreement_counts():
    e = L.entity_rec(1, _code("341825", 1), "旌德县宏达商贸有限公司")
    name = L.FIELD_INDEX["name"]
    levels = L.FIELDS[name].levels
    assert levels[L.compare(L.seller_rec(Seller("a", shop_name="宏达商贸旗舰店")), e)[name]] == "shop_core"
    assert levels[L.compare(L.seller_rec(Seller("b", claimed_name="宏逹商贸")), e)[name]] == "close"
    both = L.seller_rec(Seller("c", claimed_name="宏达商贸有限责任公司", shop_name="宏达旗舰店"))
    assert levels[L.compare(both, e)[name]] == "core"


@pytest.mark.parametrize(
    "written",
    [
        "安徽省宣城市旌德县宏达商贸有限公司",  # the higher divisions written out
        "安徽旌德宏达商贸有限公司",  # short forms
        "宏达商贸（旌德）有限公司",  # the region after the trade, in brackets
        "宏達商貿（旌德縣）有限責任公司",  # and in traditional characters, the long legal form
    ],
)
def test_a_name_with_its_region_written_otherwise_is_the_same_name(written):
    e = L.entity_rec(1, _code("341825", 1), "旌德县宏达商贸有限公司")
    name = L.FIELD_INDEX["name"]
    assert (
        L.FIELDS[name].levels[L.compare(L.seller_rec(Seller("a", claimed_name=written)), e)[name]] == "exact"
    )


@pytest.mark.parametrize(
    ("written", "level"),
    [
        ("宏达商贸有限公司", "core"),  # no region: any county's 宏达商贸 fits
        ("宣城市宏达商贸有限公司", "core"),  # the city's: a name registered at city level, or this one
        ("旌德县宏达商贸有限公司宣州分公司", "core"),  # a branch of it, not it
        ("绩溪县宏达商贸有限公司", "close"),  # another county's business of the same 字号
        ("宏达商贸（绩溪）有限公司", "close"),
    ],
)
def test_a_name_naming_no_region_or_another_county_is_not_the_same_name(written, level):
    e = L.entity_rec(1, _code("341825", 1), "旌德县宏达商贸有限公司")
    name = L.FIELD_INDEX["name"]
    assert L.FIELDS[name].levels[L.compare(L.seller_rec(Seller("a", claimed_name=written)), e)[name]] == level


def test_a_code_of_another_valid_entity_is_apart_from_a_mistyped_one():
    e = L.entity_rec(1, _code("341825", 1), "旌德县宏达商贸有限公司")
    code = L.FIELD_INDEX["code"]
    levels = L.FIELDS[code].levels
    typo = e.uscc[:10] + ("A" if e.uscc[10] != "A" else "B") + e.uscc[11:]
    assert levels[L.compare(L.seller_rec(Seller("a", claimed_uscc=typo)), e)[code]] == "one_off"
    other = L.seller_rec(Seller("b", claimed_uscc=_code("341825", 2)))
    assert levels[L.compare(other, e)[code]] == "other_valid"


# ------------------------------------------------------------------------------ term frequency


def _index_with(names: list[str]) -> L.LinkIndex:
    return L.LinkIndex(L.entity_rec(i + 1, _code("341825", i + 1), n) for i, n in enumerate(names))


def test_agreeing_on_a_trade_name_many_entities_share_weighs_less_than_on_a_rare_one():
    names = [f"{county}鑫源商贸有限公司" for county in ("旌德县", "泾县", "绩溪县", "郎溪县", "宁国市")]
    names += ["旌德县瑞麟茶叶有限公司"] + [
        f"旌德县{chr(0x4E00 + 300 + k)}{chr(0x4E00 + 600 + k)}百货店" for k in range(50)
    ]
    index = _index_with(names)
    model = L.Model.starting()
    model.u = [list(r) for r in model.u]
    common = L.score_pair(model, index, L.seller_rec(Seller("a", shop_name="鑫源商贸")), index.by_id[1])
    rare = L.score_pair(model, index, L.seller_rec(Seller("b", shop_name="瑞麟茶叶")), index.by_id[6])
    assert common.levels == rare.levels  # the same agreement …
    assert rare.weight - common.weight == pytest.approx(__import__("math").log2(5), abs=1e-6)  # … 5 bearers


def test_names_with_a_mistyped_character_give_the_same_candidates_on_every_run_the_best_first():
    # 宏达商铺 shares two 2-grams with each: 达商 and 商铺 with the first, 宏达 and 达商 with the second. The
    # rarest grams, 宏达 and 商铺, are as rare as each other, and a set of grams has no order of its own.
    index = _index_with(["旌德县达商铺子有限公司", "旌德县宏达商业有限公司", "旌德县瑞麟茶叶有限公司"])
    assert [index.by_id[i].core for i in (1, 2)] == ["达商铺子", "宏达商业"]
    assert index._near_cores("宏达商铺") == [1, 2]  # equal counts: by id, not by the process's hash seed


# ----------------------------------------------------------------------------------- thresholds


def test_the_auto_threshold_is_the_lowest_whose_links_are_expected_precise_enough():
    probabilities = [0.999] * 900 + [0.97] * 50 + [0.9] * 30 + [0.6] * 20
    th, expected = L.choose_thresholds(probabilities, target_precision=0.995, review_precision=0.80)
    # 900×0.999 + 50×0.97 over 950 is 0.9975; with the thirty 0.9s it would be 0.9945, under the target
    assert th.auto == pytest.approx(0.97)
    assert expected["auto_links"] == 950
    assert expected["auto_precision"] >= 0.995
    # Below: the thirty 0.9s are a band right nine times in ten; adding the 0.6s would bring it to 0.78
    assert th.review == pytest.approx(0.9)
    assert expected["review"] == 30


def test_a_stricter_target_links_fewer_sellers_automatically():
    probabilities = [0.999] * 900 + [0.97] * 50 + [0.9] * 30 + [0.6] * 20
    loose, _ = L.choose_thresholds(probabilities, target_precision=0.99)
    strict, _ = L.choose_thresholds(probabilities, target_precision=0.999)
    assert strict.auto > loose.auto


# ------------------------------------------------------------------------------------- linking


def test_two_equally_good_homonyms_share_the_probability_instead_of_each_looking_certain():
    names = ["旌德县鑫源商贸有限公司", "泾县鑫源商贸有限公司"] + [
        f"旌德县{chr(0x4E00 + 900 + k)}茶叶店" for k in range(30)
    ]
    index = _index_with(names)
    model = L.Model.starting()
    s = L.seller_rec(Seller("a", claimed_name="鑫源商贸有限公司"))
    link = L.link_seller(model, index, s, L.Thresholds(auto=0.9, review=0.3))
    assert {c.entity_id for c in link.candidates[:2]} == {1, 2}
    assert link.candidates[0].probability == pytest.approx(link.candidates[1].probability)
    assert link.outcome != "auto"


@pytest.mark.parametrize("share", [0.9, 0.3])
def test_a_sellers_probability_is_bayes_rule_over_each_entity_and_none_of_them(share):
    # N entities and "none": each entity's prior is share/N, none's is 1 − share (not 1, which would
    # hold the odds down by 1/(1 − share): ten times when nine sellers in ten are registered here)
    names = ["旌德县瑞麟茶叶有限公司"] + [
        f"旌德县{chr(0x4E00 + 900 + k)}{chr(0x4E00 + 1200 + k)}百货店" for k in range(39)
    ]
    index = _index_with(names)
    model = L.Model.starting()
    model.prior = share / index.total
    s = L.seller_rec(Seller("a", claimed_name="瑞麟茶叶有限公司"))
    link = L.link_seller(model, index, s, L.Thresholds(auto=0.99, review=0.5))
    assert [c.entity_id for c in link.candidates] == [1]
    # the pair's odds: the prior odds (share/N against the rest) times the evidence of its fields
    evidence = sum(model.weight(i, lv) for i, lv in enumerate(link.candidates[0].levels) if lv is not None)
    prior = share / index.total
    odds = prior / (1 - prior) * 2.0**evidence
    assert 2.0 ** link.candidates[0].weight == pytest.approx(odds)
    entity, none = odds, 1 - share
    assert link.probability == pytest.approx(entity / (entity + none), rel=1e-3)


def test_an_agreement_never_counts_against_a_match_nor_a_disagreement_for_one():
    model = L.Model.starting()
    code = L.FIELD_INDEX["code"]
    model.m[code] = [0.001, 0.001, 0.001, 0.997]  # with little data an unseen level's m is a floor …
    model.u[code] = [0.01, 0.01, 0.97, 0.01]  # … and its u a smoothed guess
    assert model.weight(code, 0) == 0.0  # "代码一致" would have weighed against: held at zero
    assert model.weight(code, 3) == 0.0  # "代码不同" would have weighed for: held at zero
    assert model.weight(code, 2) < 0  # another valid code: against, as estimated
