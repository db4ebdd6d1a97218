"""Wording like that of known violations: a review signal beside the rules, for what no rule names.

The rules find what the law's words and forms say; wording nobody wrote a rule for slips past them. This
model scores each sentence of a page against the wording of violations already seen — the lines of our
own corpus and the development halves of the blind corpus (quoted from published enforcement releases),
never the held-out halves — and says, per category, how likely the sentence is to be of that kind. A
sentence above the model's threshold, in a category no rule hit there, becomes a **review** signal
(``SIM-<category>``, severity ``review``): it orders the officer's queue and proves nothing; the finding
shows the words that weighed most, so the officer sees why.

The model is a logistic regression per category over TF-IDF weights of the characters and character
pairs and triples of the normalised sentence (the text the rules read: simplified, case-folded,
full-width folded). It is trained by ``scripts/build_similarity.py`` with scikit-learn (BSD-3-Clause) and
shipped as a data file (``data/similarity.json.gz``: the n-grams' IDF and weights, the threshold chosen by
cross-validation on the development lines, and check sentences with the probabilities scikit-learn gave
them). Scoring here is plain Python: the n-grams of the sentence, ``1 + ln(count)`` times the IDF,
normalised to unit length, times the weights, plus the intercept, through the logistic function — the
same arithmetic as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` and ``predict_proba``.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources

from wangjian.core import textnorm

MIN_CJK = 4  # a sentence with fewer Chinese characters is not scored (a size, a price, a menu item)
LONGEST = 120  # longer sentences are scored in pieces cut at commas
_SENTENCE = re.compile(r"[^\n\r。!?;！？；]+")
_CJK = re.compile(textnorm.CJK_CLASS)
_COMMA = re.compile(r"[,，、]")
RULE_PREFIX = "SIM-"


def ngrams(text: str) -> list[str]:
    """The character n-grams of a normalised sentence (the analyzer the model was trained with): its
    characters, then its pairs, then its triples (joined by ``map`` over shifted copies, a loop in C)."""
    pairs = list(map(str.__add__, text, text[1:]))
    return [*text, *pairs, *map(str.__add__, pairs, text[2:])]


def sentences(t: str) -> list[tuple[int, int]]:
    """Spans of ``t`` to score: sentences, long ones cut at commas into pieces of at most ``LONGEST``."""
    out: list[tuple[int, int]] = []
    for m in _SENTENCE.finditer(t):
        s, e = m.span()
        while e - s > LONGEST:
            cut = max((c.end() for c in _COMMA.finditer(t, s, s + LONGEST)), default=s + LONGEST)
            out.append((s, cut))
            s = cut
        out.append((s, e))
    return [(s, e) for s, e in out if len(_CJK.findall(t, s, e)) >= MIN_CJK]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A sentence whose wording is like that of known violations of ``category``."""

    category: str
    start: int  # offsets into the normalised text
    end: int
    probability: float
    words: tuple[str, ...]  # the n-grams that weighed most for the category, heaviest first


_FIELD = 96  # bits per category in a packed weight (see ``Model``): no sum of a sentence comes near
_SCALE = 1 << 24  # fixed-point scale of a packed weight
_COUNT = 1 << 20  # fixed-point scale of a repeated n-gram's 1 + ln(count)


class Model:
    """Per-category logistic regressions over the sentence's character n-grams (see the module).

    Scoring a sentence for every category at once: an n-gram's weights for all categories, times its IDF,
    are packed into one integer (a fixed-point field of ``_FIELD`` bits per category), so a sentence's
    scores are one integer sum over its n-grams and are unpacked once — the same arithmetic as the float
    dot products within 1e-6, at a fraction of the cost in Python.
    """

    def __init__(self, data: dict):
        self.categories: list[str] = data["categories"]
        self.threshold: float = data["threshold"]
        self.intercepts: list[float] = data["intercepts"]
        self.vocab: dict[str, list[float]] = data["vocab"]  # n-gram → [idf, weight per category …]
        self.version: str = data.get("version", "")
        self.checks: list[dict] = data.get("checks", [])
        self.trained_on: dict = data.get("trained_on", {})
        # n-gram → (packed idf × weights, the same for one occurrence (× _COUNT), idf²)
        self._packed: dict[str, tuple[int, int, float]] = {}
        for g, row in self.vocab.items():
            idf = row[0]
            packed = 0
            for j, w in enumerate(row[1:]):
                packed += round(idf * w * _SCALE) << (_FIELD * j)
            self._packed[g] = (packed, packed * _COUNT, idf * idf)

    def _unpack(self, total: int, scale: int) -> list[float]:
        out = []
        half, full = 1 << (_FIELD - 1), 1 << _FIELD
        for _ in self.categories:
            field = total & (full - 1)
            if field >= half:
                field -= full
            out.append(field / scale)
            total = (total - field) >> _FIELD
        return out

    def _score(self, sentence: str) -> tuple[list[float], dict[str, int]]:
        """The probabilities per category, and the sentence's n-grams in the vocabulary with their counts."""
        packed = self._packed
        counts = {g: c for g, c in Counter(ngrams(sentence)).items() if g in packed}
        if not counts:
            return [1 / (1 + math.exp(-b)) for b in self.intercepts], counts
        total = 0
        square = 0.0
        for g, c in counts.items():
            p, once, idf2 = packed[g]
            if c == 1:
                total += once
                square += idf2
            else:
                tf = 1 + math.log(c)
                total += p * round(tf * _COUNT)
                square += idf2 * tf * tf
        norm = math.sqrt(square)
        dots = self._unpack(total, _SCALE * _COUNT)
        return [
            1 / (1 + math.exp(-(b + d / norm))) for b, d in zip(self.intercepts, dots, strict=True)
        ], counts

    def probabilities(self, sentence: str) -> list[float]:
        return self._score(sentence)[0]

    def suggest(self, t: str, skip: dict[str, list[tuple[int, int]]] | None = None) -> list[Suggestion]:
        """The sentences of the normalised text ``t`` above the threshold, per category; a category the
        rules already hit within the sentence (``skip``: category → hit spans) is not suggested again."""
        out: list[Suggestion] = []
        skip = skip or {}
        for s, e in sentences(t):
            probs, counts = self._score(t[s:e])
            for j, p in enumerate(probs):
                if p < self.threshold:
                    continue
                cat = self.categories[j]
                if any(hs < e and s < he for hs, he in skip.get(cat, ())):
                    continue
                heavy = sorted(
                    (g for g in counts if len(g) >= 2 and g.isalnum() and self.vocab[g][j + 1] > 0),
                    key=lambda g: -self.vocab[g][j + 1] * self.vocab[g][0] * (1 + math.log(counts[g])),
                )
                out.append(Suggestion(cat, s, e, round(p, 3), tuple(heavy[:5])))
        return out


def load(raw: bytes) -> Model:
    return Model(json.loads(gzip.decompress(raw).decode("utf-8")))


@functools.cache
def default_model() -> Model | None:
    """The model shipped with wangjian, or None when the data file is absent."""
    path = resources.files("wangjian.monitoring") / "data" / "similarity.json.gz"
    if not path.is_file():
        return None
    return load(path.read_bytes())
