"""统一社会信用代码 (USCC) per GB 32100-2015: normalise, check the format by the standard, check the check character.

python-stdnum's ``cn.uscc`` rejects every code whose first eight characters are not all
digits (legitimate codes of 农业农村 "N…" or 其他 "Y…" authorities have a letter in
position 1 or 2) and does not fold full-width input; so the format is checked here and
only its check-character function is used.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_·.]+")
_ALPHABET_SET = frozenset(ALPHABET)

# Position 1: the registration authority (登记管理部门代码) of GB 32100-2015 and its amendments.
AUTHORITIES = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "市场监督管理(工商)",
    "A": "中央军委改革和编制办公室",
    "N": "农业农村",
    "Y": "其他",
}


@dataclass(frozen=True)
class UsccProblem:
    """Why a code is not a valid USCC, in Chinese and English."""

    code: str
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


def normalize(value: object) -> str:
    """NFKC (full-width → half-width), upper case, spaces and hyphens removed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return _SEPARATORS.sub("", text).upper()


_VALUE = {c: i for i, c in enumerate(ALPHABET)}


def check_char(first17: str) -> str:
    """The 18th character for the first 17 (GB 32100-2015; input must be in the alphabet).

    Computed here from the standard's weights (stdnum's ``calc_check_digit`` gives the same and is
    checked against this in the tests; it cleans its input first, ten times slower in a matching run)."""
    return ALPHABET[(31 - sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True)) % 31) % 31]


def problem(code: str) -> UsccProblem | None:
    """The first thing wrong with an already normalised ``code``, or None when it is valid."""
    if not code:
        return UsccProblem("empty", "统一社会信用代码为空", "the USCC is empty")
    if len(code) != 18:
        return UsccProblem(
            "length",
            f"统一社会信用代码应为18位，实为{len(code)}位",
            f"a USCC has 18 characters, this one has {len(code)}",
        )
    bad = sorted({c for c in code if c not in _ALPHABET_SET})
    if bad:
        chars = "".join(bad)
        return UsccProblem(
            "charset",
            f"含有代码字符集以外的字符“{chars}”（不使用I、O、S、V、Z）",
            f"characters outside the USCC alphabet: {chars!r} (I, O, S, V, Z are not used)",
        )
    if not code[2:8].isdigit():
        return UsccProblem(
            "division",
            "第3至8位应为行政区划代码（数字）",
            "positions 3-8 must be the administrative division code (digits)",
        )
    expected = check_char(code[:17])
    if code[17] != expected:
        return UsccProblem(
            "checksum",
            f"校验码错误：第18位应为“{expected}”，实为“{code[17]}”",
            f"wrong check character: expected {expected!r}, found {code[17]!r}",
        )
    return None


def validate(value: object) -> tuple[str, UsccProblem | None]:
    """Normalised code and its problem (None when valid)."""
    code = normalize(value)
    return code, problem(code)


def is_valid(value: object) -> bool:
    return validate(value)[1] is None


def one_off_repairs(code: str) -> list[tuple[str, int]]:
    """Valid codes differing from ``code`` in exactly one position (with that position, 0-based).

    For positions 1–17 exactly one substitute character makes the check character right
    (31 is prime and no weight is a multiple of it); position 18 has one right value.
    So a mistyped character yields at most 18 candidates, which the matcher looks up and
    accepts only when the name agrees.
    """
    if len(code) != 18 or any(c not in _ALPHABET_SET for c in code):
        return []
    values = [ALPHABET.index(c) for c in code]
    total = sum(v * w for v, w in zip(values[:17], WEIGHTS, strict=True))
    out = []
    expected = check_char(code[:17])
    if expected != code[17]:
        out.append((code[:17] + expected, 17))
    target = (31 - values[17]) % 31  # total mod 31 that makes the present 18th character right
    for i, w in enumerate(WEIGHTS):
        rest = (total - values[i] * w) % 31
        # need (rest + x*w) % 31 == target  →  x = (target - rest) * w^-1 mod 31
        x = ((target - rest) * pow(w, -1, 31)) % 31
        if x != values[i]:
            candidate = code[:i] + ALPHABET[x] + code[i + 1 :]
            if i in (2, 3, 4, 5, 6, 7) and not ALPHABET[x].isdigit():
                continue
            out.append((candidate, i))
    return out


def authority(code: str) -> str:
    return AUTHORITIES.get(code[:1], "")


def complete(first17: str) -> str:
    """The full code for 17 given characters (for test data and demo registries)."""
    first17 = normalize(first17)
    return first17 + check_char(first17)
