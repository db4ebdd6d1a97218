"""Wording like that of known violations: a review signal beside the rules, for what no rule names.

The rules find what the law's words and forms say; wording nobody wrote a rule for slips past them. This
model scores each sentence of a page against the wording of violations already seen — the lines of our
own corpus and the development halves of the blind corpus (quoted from published enforcement releases),
never the held-out halves — and says, per category, how likely the sentence is to be of that kind. A
sentence above the model's threshold, in a category no rule hit there, becomes a **review** signal
(``SIM-<category>``, severity ``review``): it orders the officer's queue and proves nothing; the finding
shows the words that weighed most, so the officer sees why. Where a rule of the category judged the sentence
lawful (a warning, a negation), or the sentence warns against or reports the wording, the signal is kept among
the suppressed with that reason (``signals``).

The model is a logistic regression per category over TF-IDF weights of the characters and character
pairs and triples of the normalised sentence (the text the rules read: simplified, case-folded,
full-width folded), and of one more feature, the page's product kind (``kind:food``, ``kind:education`` …: the kind
the rules read, given by the caller or inferred from the page): the same words weigh differently on a food's page
and on a drug's, as the law treats them. The kind only weighs wording that leans to the category by itself: a
sentence is signalled when its probability with the kind passes the threshold and its probability from the
wording alone (the same model without the kind) is at least ``WORDING_FLOOR`` — a course shop's "全部商品" is not
an education guarantee because the page sells courses. It is trained by ``scripts/build_similarity.py`` with scikit-learn (BSD-3-Clause) and
shipped as a data file (``data/similarity.json.gz``: the n-grams' IDF and weights, each category's threshold
chosen on development halves the model was not trained on, and check sentences with the probabilities
scikit-learn gave them). Scoring here is plain Python: the n-grams of the sentence, ``1 + ln(count)`` times
the IDF, normalised to unit length, times the weights, plus the intercept, through the logistic function — the
same arithmetic as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` and ``predict_proba``.

A page is scored all at once (``Model.page_probabilities``), with NumPy: each character, pair and triple of the
page is one integer (its code points, 21 bits each), looked up in the model's sorted n-gram keys; the counts per
sentence, the TF-IDF norms and the dot products are array operations. Scoring sentence by sentence in Python
spent two thirds of a sweep's scanning time on the model; the page at once takes about a fifth of that, and
gives the same probabilities (within 1e-6).
"""

from __future__ import annotations

import functools
import gzip
import itertools
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources

import numpy as np
from django.conf import settings
from django.utils import translation

from wangjian.core import textnorm
from wangjian.monitoring.choices import ProductKind
from wangjian.monitoring.results import Hit, ScanResult
from wangjian.monitoring.sentence_context import not_the_sellers_violation

MIN_CJK = 4  # a sentence with fewer Chinese characters is not scored (a size, a price, a menu item)
LONGEST = 120  # longer sentences are scored in pieces cut at commas
_SENTENCE = re.compile(r"[^\n\r。!?;！？；]+")
_CJK = re.compile(textnorm.CJK_CLASS)
_COMMA = re.compile(r"[,，、]")
RULE_PREFIX = "SIM-"
KIND_PREFIX = "kind:"  # the product kind's feature: longer than any n-gram, so no sentence's n-gram is one
# The probability the wording alone must reach for the page's kind to make it a signal (see the module). Out of fold
# on the development halves it kept most of what the kind adds (at 0.80, 591 right / 65 wrong against 615 / 67
# without it, 572 / 72 without the kind); below it the demo market's shop chrome (全部商品, 返回店铺) was signalled
# on course and drug shops.
WORDING_FLOOR = 0.5


def kind_feature(kind: str | None) -> str | None:
    return None if not kind else KIND_PREFIX + kind


def _kind_label(kind: str) -> str:
    """The product kind as the officer reads it (食品, 药品 …), in Chinese like the rest of the explanation a
    finding keeps, whatever language the page that started the scan was shown in."""
    if kind not in ProductKind.values:
        return kind
    return _label_in(kind, settings.LANGUAGE_CODE)


@functools.lru_cache(maxsize=64)
def _label_in(kind: str, language: str) -> str:
    """The kind's label in ``language``, looked up once: switching the active language costs more than the
    scoring of a short page."""
    with translation.override(language):
        return str(ProductKind(kind).label)


def ngrams(text: str) -> list[str]:
    """The character n-grams of a normalised sentence (the analyzer the model was trained with): its
    characters, then its pairs, then its triples (joined by ``map`` over shifted copies, a loop in C)."""
    pairs = list(map(str.__add__, text, text[1:]))
    return [*text, *pairs, *map(str.__add__, pairs, text[2:])]


_BITS = 21  # a code point fits in 21 bits: a triple of them in one 64-bit integer


_MANY_GRAMS = (
    256  # from this many n-grams on, they are looked up by table (``Model._found``), else by binary search
)
_SPARSE = 32  # the filter of pairs and triples (``Model._tables``) has this many slots per key, or more
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the key times 2**64 / golden ratio, its top bits


def _hash(keys: np.ndarray, bits: int) -> np.ndarray:
    """Slots of a table of ``2**bits`` for non-negative 64-bit keys (multiplication wraps modulo 2**64)."""
    return (keys.view(np.uint64) * _GOLDEN) >> np.uint64(64 - bits)


def _key(gram: str) -> int:
    key = 0
    for c in gram:
        key = (key << _BITS) | ord(c)
    return key


def sentences(t: str, points: np.ndarray | None = None) -> list[tuple[int, int]]:
    """Spans of ``t`` to score: sentences, long ones cut at commas into pieces of at most ``LONGEST``.

    ``points``: the code points of ``t`` (``code_points``), when the caller has them; in a long text the
    sentences are found and their Chinese characters counted from them with arrays, the same spans and the same
    count as ``_SENTENCE`` and ``_CJK`` give."""
    if len(t) >= _LONG_TEXT:
        return _sentences_at_once(t, code_points(t) if points is None else points)
    out: list[tuple[int, int]] = []
    for m in _SENTENCE.finditer(t):
        s, e = m.span()
        while e - s > LONGEST:
            cut = max((c.end() for c in _COMMA.finditer(t, s, s + LONGEST)), default=s + LONGEST)
            out.append((s, cut))
            s = cut
        out.append((s, e))
    if len(out) < _MANY_SENTENCES:
        return [(s, e) for s, e in out if len(_CJK.findall(t, s, e)) >= MIN_CJK]
    if points is None:
        points = code_points(t)
    cjk = np.zeros(len(points) + 1, dtype=np.int64)
    np.cumsum(_is_cjk(points), out=cjk[1:])
    bounds = np.array(out, dtype=np.int64)
    keep = (cjk[bounds[:, 1]] - cjk[bounds[:, 0]]) >= MIN_CJK
    return [span for span, k in zip(out, keep.tolist(), strict=True) if k]


def _sentences_at_once(t: str, points: np.ndarray) -> list[tuple[int, int]]:
    """``sentences`` of a long text: the runs of characters other than ``_STOPS`` (what ``_SENTENCE`` matches),
    found with arrays; only the few longer than ``LONGEST`` are cut in Python."""
    inside = np.ones(len(points) + 2, dtype=np.int8)
    inside[[0, -1]] = 0
    inside[1:-1] = ~_STOPS[np.minimum(points, len(_STOPS) - 1)]
    edges = np.diff(inside)
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    cjk = np.zeros(len(points) + 1, dtype=np.int64)
    np.cumsum(_is_cjk(points), out=cjk[1:])
    long = np.flatnonzero(ends - starts > LONGEST)
    if len(long):
        bounds = list(zip(starts.tolist(), ends.tolist(), strict=True))
        for i in reversed(long.tolist()):
            s, e = bounds[i]
            pieces = []
            while e - s > LONGEST:
                cut = max((c.end() for c in _COMMA.finditer(t, s, s + LONGEST)), default=s + LONGEST)
                pieces.append((s, cut))
                s = cut
            pieces.append((s, e))
            bounds[i : i + 1] = pieces
        both = np.array(bounds, dtype=np.int64).reshape(len(bounds), 2)
        starts, ends = both[:, 0], both[:, 1]
    keep = (cjk[ends] - cjk[starts]) >= MIN_CJK
    return list(zip(starts[keep].tolist(), ends[keep].tolist(), strict=True))


_MANY_SENTENCES = 16  # from this many sentences on, their Chinese characters are counted with arrays
_LONG_TEXT = (
    1024  # from this many characters on, the sentences are found with arrays (``_sentences_at_once``)
)
# Whether a code point ends a sentence (the characters ``_SENTENCE`` excludes), by code point; the last entry,
# for every code point beyond, is False.
_STOP_CHARS = "\n\r。!?;！？；"
_STOPS = np.zeros(max(map(ord, _STOP_CHARS)) + 2, dtype=bool)
_STOPS[[ord(c) for c in _STOP_CHARS]] = True


def _is_cjk(points: np.ndarray) -> np.ndarray:
    """Whether each code point is in ``textnorm.CJK_CLASS`` (the class ``_CJK`` matches)."""
    out = np.zeros(len(points), dtype=bool)
    for lo, hi in textnorm.CJK_POINTS:
        out |= (points >= lo) & (points <= hi)
    return out


def code_points(t: str) -> np.ndarray:
    """The code points of ``t`` as 64-bit integers (room for an n-gram's key, ``_key``)."""
    return textnorm.code_points(t).astype(np.int64)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A sentence whose wording is like that of known violations of ``category``."""

    category: str
    start: int  # offsets into the normalised text
    end: int
    probability: float  # on a page of its kind
    words: tuple[str, ...]  # the n-grams that weighed most for the category, heaviest first
    wording: float | None = None  # from the wording alone, where the page's kind is a feature of the model


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
        # Each category's own threshold where the file gives them (chosen per category by the same rule), else
        # the one threshold for all.
        self.thresholds = np.array(data.get("thresholds") or [self.threshold] * len(self.categories))
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

    def _counts(self, sentence: str) -> dict[str, int]:
        """The sentence's n-grams in the vocabulary, with their counts."""
        packed = self._packed
        return {g: c for g, c in Counter(ngrams(sentence)).items() if g in packed}

    def _score(self, sentence: str, kind: str | None = None) -> tuple[list[float], dict[str, int]]:
        """The probabilities per category on a page of product ``kind``, and the sentence's n-grams in the
        vocabulary with their counts."""
        packed = self._packed
        counts = self._counts(sentence)
        feature = kind_feature(kind)
        features = {**counts, feature: 1} if feature in packed else counts
        if not features:
            return [1 / (1 + math.exp(-b)) for b in self.intercepts], counts
        total = 0
        square = 0.0
        for g, c in features.items():
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

    def probabilities(self, sentence: str, kind: str | None = None) -> list[float]:
        return self._score(sentence, kind)[0]

    @functools.cached_property
    def _tables(self) -> dict[int, tuple]:
        """Per n-gram length, the lookup used on long texts (``_found``): for single characters a table indexed by
        code point (row -1: not in the vocabulary); for pairs and triples a filter, a table of ``2**bits`` flags
        (at most one in ``_SPARSE`` set) marking the slots of the vocabulary's keys (``_hash``): an n-gram whose
        slot is not marked is not in the vocabulary, the few others are looked up in the sorted keys."""
        tables, _, _, _ = self._arrays
        out: dict[int, tuple] = {}
        for order, (keys, rows) in tables.items():
            if not len(keys):
                continue
            if order == 1:
                direct = np.full(int(keys.max()) + 1, -1, dtype=np.int64)
                direct[keys] = rows
                out[order] = (direct,)
                continue
            bits = max(4, (_SPARSE * len(keys) - 1).bit_length())
            marked = np.zeros(1 << bits, dtype=bool)
            marked[_hash(keys, bits)] = True
            out[order] = (marked, bits)
        return out

    def _found(self, order: int, grams: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The positions in ``grams`` (n-gram keys of one length) of the n-grams in the vocabulary, and their
        rows: by binary search in the sorted keys for a few n-grams, through the tables of ``_tables`` for
        many — the same positions and rows."""
        keys, rows = self._arrays[0][order]
        if len(grams) < _MANY_GRAMS:
            pos = np.arange(len(grams))
        else:
            table = self._tables[order]
            if order == 1:
                (direct,) = table
                row = np.where(grams < len(direct), direct[np.minimum(grams, len(direct) - 1)], -1)
                pos = np.flatnonzero(row >= 0)
                return pos, row[pos]
            marked, bits = table
            pos = np.flatnonzero(marked[_hash(grams, bits)])
            grams = grams[pos]
        at = np.minimum(keys.searchsorted(grams), len(keys) - 1)
        same = keys[at] == grams
        return pos[same], rows[at[same]]

    @functools.cached_property
    def _arrays(self) -> tuple[dict[int, tuple[np.ndarray, np.ndarray]], np.ndarray, np.ndarray, np.ndarray]:
        """Per n-gram length: the sorted integer keys of the vocabulary's n-grams and their row numbers; the
        IDF by row; the weights by category and row; the intercepts."""
        grams = list(self.vocab)
        rows = np.array(list(self.vocab.values()), dtype=np.float64).reshape(
            len(grams), len(self.categories) + 1
        )
        tables = {}
        for order in (1, 2, 3):
            chosen = [i for i, g in enumerate(grams) if len(g) == order]
            keys = np.array([_key(grams[i]) for i in chosen], dtype=np.int64)
            ordering = np.argsort(keys, kind="stable")
            tables[order] = (keys[ordering], np.array(chosen, dtype=np.int64)[ordering])
        return (
            tables,
            rows[:, 0],
            np.ascontiguousarray(rows[:, 1:].T),
            np.array(self.intercepts, dtype=np.float64),
        )

    @functools.cached_property
    def _kind_rows(self) -> dict[str, int]:
        """The product kinds' features: feature → its row in ``_arrays``."""
        return {g: i for i, g in enumerate(self.vocab) if g.startswith(KIND_PREFIX)}

    def page_probabilities(
        self,
        t: str,
        spans: list[tuple[int, int]],
        points: np.ndarray | None = None,
        kind: str | None = None,
        *,
        wording_too: bool = False,
    ) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
        """The probabilities of the sentences ``t[s:e]`` of one normalised page of product ``kind`` (``spans`` in
        order, not overlapping), one row per sentence and one column per category, computed for the page at once
        (``points``: the code points of ``t``, ``code_points``, when the caller has them). ``wording_too``: the
        probabilities from the wording alone as well, first (the same model without the kind's feature)."""
        tables, idf, weights, _ = self._arrays
        n_spans, size = len(spans), len(self.vocab)
        if not n_spans:
            empty = np.zeros((0, len(self.categories)))
            return (empty, empty) if wording_too else empty
        if points is None:
            points = code_points(t)
        bounds = np.fromiter(itertools.chain.from_iterable(spans), np.int64, 2 * n_spans).reshape(n_spans, 2)
        starts, ends = bounds[:, 0], bounds[:, 1]
        shift = size.bit_length()  # a (sentence, row) pair is one integer: the sentence shifted left, the row
        # For each position of the page, the sentence it is in or the last one before it (-1: none), and how
        # many characters from it on are in that sentence (≤ 0: none).
        which = np.bincount(starts, minlength=len(points) + 1).cumsum()[: len(points)] - 1
        room = np.where(which >= 0, ends[np.maximum(which, 0)], 0) - np.arange(len(points))
        found = [np.zeros(0, dtype=np.int64)]
        grams = points
        for order, (keys, _) in tables.items():
            n = len(points) - order + 1
            if n <= 0:
                break
            if order > 1:  # the previous length's keys, each followed by one more code point
                grams = (grams[:n] << _BITS) | points[order - 1 :]
            if not len(keys):
                continue
            pos, row = self._found(order, grams)
            inside = room[pos] >= order
            found.append((which[pos[inside]] << shift) | row[inside])
        # (sentence, row) pairs with their counts: ``np.unique(…, return_counts=True)`` written out.
        every = np.concatenate(found)
        every.sort()
        first = np.empty(len(every), dtype=bool)
        first[:1] = True
        np.not_equal(every[1:], every[:-1], out=first[1:])
        at = np.flatnonzero(first)
        pairs = every[at]
        counts = np.diff(np.append(at, len(every)))
        sentence, row = pairs >> shift, pairs & ((1 << shift) - 1)
        x = idf[row]  # times 1 + ln(count), which is 1 for the n-grams that occur once
        many = np.flatnonzero(counts > 1)
        x[many] *= 1 + np.log(counts[many])
        square = np.bincount(sentence, x * x, minlength=n_spans)
        # Each category's sums per sentence, in the order of the pairs: one ``bincount`` per category of the
        # pairs' weights (by category, then pair).
        terms = weights.take(row, axis=1)
        terms *= x
        dots = np.empty((n_spans, len(terms)))
        for j, column in enumerate(terms):
            dots[:, j] = np.bincount(sentence, column, minlength=n_spans)
        at_kind = self._kind_rows.get(kind_feature(kind) or "")
        with_kind = self._logistic(dots, square, at_kind)
        if not wording_too:
            return with_kind
        # Without the kind's feature (a kind the model does not know, or none) the two are the same: computed once.
        return (with_kind if at_kind is None else self._logistic(dots, square, None)), with_kind

    def _logistic(self, dots: np.ndarray, square: np.ndarray, at_kind: int | None) -> np.ndarray:
        """The probabilities from the sentences' dot products and squared norms, with the kind's feature
        (row ``at_kind``: one more feature of every sentence, counted once) or without."""
        _, idf, weights, intercepts = self._arrays
        if at_kind is not None:
            square = square + idf[at_kind] ** 2
            dots = dots + weights[:, at_kind] * idf[at_kind]
        norm = np.sqrt(square)
        logits = intercepts + dots / np.where(norm > 0, norm, 1.0)[:, None]
        return 1 / (1 + np.exp(-logits))

    def threshold_of(self, category: str) -> float:
        return float(self.thresholds[self.categories.index(category)])

    def suggest(
        self, t: str, skip: dict[str, list[tuple[int, int]]] | None = None, kind: str | None = None
    ) -> list[Suggestion]:
        """The sentences of the normalised text ``t`` (a page of product ``kind``) above the threshold, per
        category; a category the rules already hit within the sentence (``skip``: category → hit spans) is not
        suggested again."""
        out: list[Suggestion] = []
        skip = skip or {}
        points = code_points(t)
        spans = sentences(t, points)
        wording, table = self.page_probabilities(t, spans, points, kind, wording_too=True)
        kinded = self._kind_rows.get(kind_feature(kind) or "") is not None
        passed = (
            (table >= self.thresholds) & (wording >= WORDING_FLOOR) if kinded else table >= self.thresholds
        )
        for k, j in zip(*np.nonzero(passed), strict=True):
            (s, e), j = spans[k], int(j)
            cat = self.categories[j]
            if any(hs < e and s < he for hs, he in skip.get(cat, ())):
                continue
            counts = self._counts(t[s:e])
            heavy = sorted(
                (g for g in counts if len(g) >= 2 and g.isalnum() and self.vocab[g][j + 1] > 0),
                key=lambda g: -self.vocab[g][j + 1] * self.vocab[g][0] * (1 + math.log(counts[g])),
            )
            out.append(
                Suggestion(
                    cat,
                    s,
                    e,
                    round(float(table[k, j]), 3),
                    tuple(heavy[:5]),
                    round(float(wording[k, j]), 3) if kinded else None,
                )
            )
        return out


def signals(
    model: Model, legal_bases: dict[str, str], norm: textnorm.Normalized, result: ScanResult
) -> list[Hit]:
    """The model's review signals on a scanned page: sentences worded like known violations of a category
    no rule hit there, as ``Hit`` (``SIM-<category>``, severity ``review``); ``legal_bases`` gives, for each
    category the libraries cover, the legal basis of its first rule (other categories are not signalled).

    The model reads wording, not purpose: a signal goes among the suppressed, with the reason, where a rule of
    the same category already judged the sentence lawful (a warning, a negation, a lawful form), where the
    sentence is not the seller's violating wording of the category (``sentence_context``: a warning or an
    enforcement report, a field of the licence shown, a customer's question, the lawful form of the category, a
    sentence without the signs a violation of it needs)."""
    skip: dict[str, list[tuple[int, int]]] = {}
    for h in result.hits:
        skip.setdefault(h.category, []).append((h.norm_start, h.norm_end))
    exempted: dict[str, list[Hit]] = {}
    for h in result.suppressed:
        if not h.exemption.startswith("claim:"):  # a word taken into a claim of its category is a hit there
            exempted.setdefault(h.category, []).append(h)
    t = norm.text
    out: list[Hit] = []
    kind = result.product_kind.kind  # the kind the rules read: given by the caller or inferred from the page
    label = ""  # the kind as the officer reads it, looked up (a translation) once a page, when first needed
    for sug in model.suggest(t, skip, kind):
        basis = legal_bases.get(sug.category)
        if basis is None:
            continue
        os_, oe = norm.to_original(sug.start, sug.end)
        words = "、".join(sug.words)
        if sug.wording is not None and not label:
            label = _kind_label(kind)
        hit = Hit(
            rule=RULE_PREFIX + sug.category,
            rule_name="措辞与已查处的违法用语相似（待核实）",
            category=sug.category,
            severity="review",
            legal_basis=basis,
            explanation=(
                f"相似度模型 {model.version} 估计此句属于该类违法用语的概率为 {sug.probability:.2f}"
                + (
                    f"（按商品类型“{label}”计；仅凭措辞 {sug.wording:.2f}）"
                    if sug.wording is not None
                    else ""
                )
                + f"（阈值 {model.threshold_of(sug.category)}），权重最大的字词：{words or '—'}。"
                "模型由已查处案例的措辞训练而成，只用于排序核查，不作认定；没有任何规则在此句命中该类。"
            ),
            library="similarity",
            start=os_,
            end=oe,
            matched=norm.original[os_:oe],
            term=words,
            channel="similarity",
            norm_start=sug.start,
            norm_end=sug.end,
            version=f"similarity {model.version}",
        )
        ruled = next(
            (h for h in exempted.get(sug.category, ()) if h.norm_start < sug.end and sug.start < h.norm_end),
            None,
        )
        if ruled is not None:
            hit.exemption = f"rule:{ruled.rule}"
            hit.exemption_reason = f"同类规则 {ruled.rule} 已认定此句豁免：{ruled.exemption_reason}"
            result.suppressed.append(hit)
        elif (
            why := not_the_sellers_violation(sug.category, t, sug.start, sug.end, norm.original, os_, oe)
        ) is not None:
            hit.exemption, hit.exemption_reason = why
            result.suppressed.append(hit)
        else:
            out.append(hit)
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
