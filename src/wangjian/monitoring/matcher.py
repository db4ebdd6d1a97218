"""Many literals found at once in one pass: every occurrence of every key, with code-point offsets.

The rule engine looks for thousands of terms, homophone variants and regex anchors in every page.
Two implementations give the same answer:

- Hyperscan (Intel's multi-pattern matcher, PyPI ``hyperscan``) in literal mode, SIMD-accelerated:
  several times faster than an Aho–Corasick automaton stepping byte by byte, so a 5,000-rule library
  costs little more than reading the page. Used when the wheel is installed and the CPU supports it.
- pyahocorasick over the UTF-8 bytes spelt in Latin-1 (at most 256 branches per node): the portable
  fallback, and the reference the tests compare Hyperscan with.

Both report each occurrence of each key once, overlapping occurrences included; offsets are converted
from UTF-8 bytes back to code points of the text.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from typing import Any

import ahocorasick

try:  # an optional accelerator: the engine is the same without it, only slower
    import hyperscan
except ImportError:  # pragma: no cover - depends on the platform's wheels
    hyperscan = None


_DATABASES: OrderedDict[tuple, Any] = OrderedDict()
_DATABASES_LOCK = threading.Lock()
DATABASES_KEPT = 32  # compiled databases kept per process (a few libraries' sets, each a few MB)


def compiled_database(
    expressions: Sequence[bytes],
    flags: Sequence[int],
    *,
    literal: bool = False,
    ids: Sequence[int] | None = None,
) -> Any:
    """A Hyperscan block-mode database of ``expressions`` (ids 0…n-1 unless given), compiled once per process.

    Compiling thousands of terms takes about a second, and every engine built from the same libraries
    (a sweep's chunks, each request of the test bench, every worker task) would compile the same
    database again. A database is read-only once compiled and may be shared by any number of threads,
    each scanning with its own scratch space; the most recently used ones are kept."""
    ids = list(range(len(expressions))) if ids is None else list(ids)
    key = (literal, tuple(expressions), tuple(flags), tuple(ids))
    with _DATABASES_LOCK:
        db = _DATABASES.get(key)
        if db is not None:
            _DATABASES.move_to_end(key)
            return db
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(
        expressions=list(expressions),
        ids=ids,
        elements=len(expressions),
        flags=list(flags),
        literal=literal,
    )
    with _DATABASES_LOCK:
        _DATABASES[key] = db
        while len(_DATABASES) > DATABASES_KEPT:
            _DATABASES.popitem(last=False)
    return db


def char_offsets(raw: bytes, found: list[tuple[int, int, Any]]) -> list[tuple[int, int, Any]]:
    """UTF-8 byte offsets → code-point offsets, decoding each stretch of the text once."""
    points = sorted({p for s, e, _ in found for p in (s, e)})
    to_char: dict[int, int] = {}
    prev_b = prev_c = 0
    for b in points:
        prev_c += len(raw[prev_b:b].decode("utf-8"))
        prev_b = b
        to_char[b] = prev_c
    return [(to_char[s], to_char[e], payload) for s, e, payload in found]


class LiteralMatcher:
    """Keys (normalised strings) with payloads; ``find(text)`` → [(start, end, payload)] in code points."""

    def __init__(self, *, accelerated: bool | None = None):
        self._keys: dict[str, Any] = {}
        self.accelerated = hyperscan is not None if accelerated is None else accelerated
        if self.accelerated and hyperscan is None:
            raise RuntimeError("hyperscan is not installed")
        self._db = None
        self._payloads: list[Any] = []
        self._automaton = None
        self._local = threading.local()

    def add(self, key: str, payload: Hashable | Any) -> None:
        self._keys[key] = payload

    def __len__(self) -> int:
        return len(self._keys)

    def build(self) -> LiteralMatcher:
        if not self._keys:
            return self
        if self.accelerated:
            try:
                self._build_hyperscan()
                return self
            except Exception:  # e.g. a CPU without the instructions the library needs: fall back
                self.accelerated = False
        self._build_automaton()
        return self

    def _build_hyperscan(self) -> None:
        keys = list(self._keys)
        self._payloads = [self._keys[k] for k in keys]
        self._db = compiled_database(
            [k.encode("utf-8") for k in keys], [hyperscan.HS_FLAG_SOM_LEFTMOST] * len(keys), literal=True
        )

    def _build_automaton(self) -> None:
        automaton = ahocorasick.Automaton()
        for key, payload in self._keys.items():
            raw = key.encode("utf-8").decode("latin-1")
            automaton.add_word(raw, (len(raw), payload))
        automaton.make_automaton()
        self._automaton = automaton

    def _scratch(self):
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:  # one per thread: Hyperscan's scratch space may not be shared while scanning
            scratch = self._local.scratch = hyperscan.Scratch(self._db)
        return scratch

    def find(self, text: str) -> list[tuple[int, int, Any]]:
        if not self._keys:
            return []
        raw = text.encode("utf-8")
        found: list[tuple[int, int, Any]] = []
        if self._db is not None:
            payloads = self._payloads
            append = found.append

            def on_match(ident: int, start: int, end: int, flags: int, context: Any) -> None:
                append((start, end, payloads[ident]))

            self._db.scan(raw, match_event_handler=on_match, scratch=self._scratch())
        else:
            found = [
                (end + 1 - length, end + 1, payload)
                for end, (length, payload) in self._automaton.iter(raw.decode("latin-1"))
            ]
        if found and len(raw) != len(text):
            found = char_offsets(raw, found)
        return found
