"""统一社会信用代码 checks per GB 32100-2015, with the input normalisation stdnum lacks."""

import pytest

from wangjian.registry import uscc

VALID = "914403001922038216"  # the standard's example


def test_the_standards_example_is_valid():
    assert uscc.validate(VALID) == (VALID, None)


def test_wrong_check_character_is_rejected_and_says_which_is_right():
    code, problem = uscc.validate(VALID[:17] + "7")
    assert problem.code == "checksum"
    assert "应为“6”" in problem.zh


@pytest.mark.parametrize("value", [VALID[:17], VALID + "1"])
def test_seventeen_or_nineteen_characters_are_rejected(value):
    assert uscc.validate(value)[1].code == "length"


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_letters_outside_the_charset_are_rejected(letter):
    code, problem = uscc.validate(VALID[:9] + letter + VALID[10:])
    assert problem.code == "charset"
    assert letter in problem.zh


def test_lower_case_full_width_spaces_and_hyphens_are_normalised():
    messy = " ９１４４０３００-１９２２ ０３８２１６ "
    assert uscc.validate(messy) == (VALID, None)
    lower = uscc.complete("91341825ma2n0abc1")
    assert uscc.validate(lower.lower()) == (lower, None)


def test_codes_of_other_registration_authorities_with_letters_are_valid():
    # stdnum rejects these because the first eight characters are not all digits
    from stdnum.cn import uscc as stdnum_uscc

    code = uscc.complete("N2341825MA2N0ABC1")
    assert not stdnum_uscc.is_valid(code)
    assert uscc.is_valid(code)


def test_division_code_positions_must_be_digits():
    code = uscc.complete("9134A825MA2N0ABC1")
    assert uscc.validate(code)[1].code == "division"


def test_one_off_repairs_find_the_true_code_for_a_single_mistyped_character():
    typo = VALID[:10] + ("3" if VALID[10] != "3" else "4") + VALID[11:]
    assert not uscc.is_valid(typo)
    repairs = [c for c, _ in uscc.one_off_repairs(typo)]
    assert VALID in repairs
    assert all(uscc.is_valid(c) for c in repairs)
    assert len(repairs) <= 18


def test_the_check_character_agrees_with_stdnum_on_random_codes():
    import random

    from stdnum.cn import uscc as stdnum_uscc

    from wangjian.registry.uscc import ALPHABET, check_char

    rng = random.Random(4)
    for _ in range(2000):
        first17 = "".join(rng.choice(ALPHABET) for _ in range(17))
        assert check_char(first17) == stdnum_uscc.calc_check_digit(first17)
