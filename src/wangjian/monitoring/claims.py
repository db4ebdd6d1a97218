"""Claims as structure: a claim verb and its object (a disease, a symptom) close together in one sentence.

Sellers do not write the terms of a list: they write "降低心脑血管疾病发病率", "对糖尿病有很好的治疗效果",
"糖尿病克星", "抑制癌细胞生长". What the law forbids (广告法 art. 17: a non-drug's advertisement must not
concern the treatment of disease; 食品安全法 art. 73) is the claim — a verb of treating, preventing or
relieving joined to a disease or a symptom. A rule's ``claim`` gives the two word lists (usually
lexicons: ``lexicon:claim_verbs``, ``lexicon:diseases``); the engine finds both in its one automaton
pass and ``pair`` joins them:

- for each object, the nearest verb within ``within`` characters, before or after it ("治疗糖尿病",
  "糖尿病克星"), with no sentence break between them (，。！？；, a line break);
- a one-character verb ("治", "防", "抗") only right before its object ("防近视", "抗过敏"): a lone
  character a few places away is another word's;
- a verb or object a seller typed as initials ("zl糖尿病") only right beside a word written out.

The hit covers both words and goes through the rule's exclusions and context like any other hit
(negations, "请遵医嘱", encyclopedic sentences, warnings). Work is bounded: each object looks at the
verbs that start within its window only, so a page made of nothing but claim words is examined in
time proportional to its length (``ScanResult.examined`` counts the look-ups).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from wangjian.core import textnorm

VERB, OBJECT = "v/", "o/"
BASE_CHANNELS = ("text", "homophone", "pinyin", "initials")
CHANNELS = frozenset(role + c for role in (VERB, OBJECT) for c in BASE_CHANNELS)

# The normalised text: NFKC turned ，！？；： into ASCII; 。 and 、 stay. 、 lists diseases, it is no break.
_BREAK = re.compile(r"[,!?;。\n\r]|\.(?!\d)|(?<!\d)\.")  # a decimal point (27.2万) is no break
_CJK = re.compile(textnorm.CJK_CLASS)
# (?<![a-z0-9])[a-z]{2,6}(?![a-z0-9]), written to start with a letter: ``re`` skips from letter to letter.
_INITIALS = re.compile("[a-z](?<![a-z0-9][a-z])[a-z]{1,5}(?![a-z0-9])")

Part = tuple[int, int, str, str]  # start, end, term, channel ("v/text", "o/pinyin", …)


def initials(t: str, table: dict[str, list[tuple[int, str, str]]]) -> list[tuple[int, int, int, str, str]]:
    """Claim words typed as initials ("zl" for 治疗, "tnb" for 糖尿病), only where a word of letters
    touches a Chinese character: "zl糖尿病" is a claim typed to evade, "zl" in a model number is not."""
    out: list[tuple[int, int, int, str, str]] = []
    for m in _INITIALS.finditer(t):
        s, e = m.span()
        if not ((s > 0 and _CJK.match(t, s - 1)) or (e < len(t) and _CJK.match(t, e))):
            continue
        for idx, term, channel in table.get(m.group(0), ()):
            out.append((idx, s, e, term, channel))
    return out


def pair(t: str, parts: list[Part], within: int) -> tuple[list[Part], int]:
    """The claims among one rule's verb and object occurrences, and how many verbs were examined.

    Each claim is (start, end, "verb+object" in the page's order, channel) and covers both words.
    """
    return pair_parts(
        t,
        [p for p in parts if p[3].startswith(VERB)],
        [p for p in parts if p[3].startswith(OBJECT)],
        within,
    )


def pair_parts(t: str, verbs: list[Part], objects: list[Part], within: int) -> tuple[list[Part], int]:
    """``pair`` with the parts already told apart: the verbs (in any order) and the objects (in the order found)."""
    if not verbs or not objects:
        return [], 0
    verbs = sorted(verbs)
    starts = [v[0] for v in verbs]
    longest = max(v[1] - v[0] for v in verbs)
    out: list[Part] = []
    examined = 0
    for os_, oe, oterm, och in objects:
        o_initials = och.endswith("initials")
        best: tuple[tuple[int, int], Part, bool] | None = None
        for i in range(bisect_left(starts, os_ - within - longest), bisect_right(starts, oe + within)):
            examined += 1
            vs, ve, vterm, vch = verbs[i]
            if vs < oe and os_ < ve:
                continue  # the same characters cannot be both the verb and the object
            before = ve <= os_
            gap = os_ - ve if before else vs - oe
            if gap > within:
                continue
            if ve - vs == 1 and not (before and gap == 0):
                continue  # "防近视" yes; a lone "防" three characters away belongs to another word
            v_initials = vch.endswith("initials")
            if (o_initials or v_initials) and (gap or (o_initials and v_initials)):
                continue  # initials only right beside a word written out
            if gap and _BREAK.search(t, ve if before else oe, os_ if before else vs):
                continue
            key = (gap, 0 if before else 1)
            if best is None or key < best[0]:
                best = (key, verbs[i], before)
        if best is None:
            continue
        _, (vs, ve, vterm, vch), before = best
        channel = next((c[2:] for c in (och, vch) if not c.endswith("/text")), "text")
        term = f"{vterm}+{oterm}" if before else f"{oterm}+{vterm}"
        out.append((min(vs, os_), max(ve, oe), term, channel))
    return out, examined
