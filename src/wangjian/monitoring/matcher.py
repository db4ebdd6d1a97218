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

import contextlib
import hashlib
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

import ahocorasick
import numpy as np

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
    digest = _digest(literal, expressions, flags, ids)
    db = _load_saved(digest)
    if db is None:
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        db.compile(
            expressions=list(expressions),
            ids=ids,
            elements=len(expressions),
            flags=list(flags),
            literal=literal,
        )
        _save(digest, db)
    with _DATABASES_LOCK:
        _DATABASES[key] = db
        while len(_DATABASES) > DATABASES_KEPT:
            _DATABASES.popitem(last=False)
    return db


# Compiled databases are also kept on disk, under the instance's home: every process that builds an engine
# (each Celery worker, each command, each test worker) compiled the same libraries again, some ten seconds
# for the default ones, where reading the saved database back takes milliseconds.
SAVED_KEPT = 64  # files kept; the least recently used go first
_MAGIC = b"wangjian-hs1\n"


def saved_dir() -> Path | None:
    """Where compiled databases are saved (``<home>/cache/hyperscan``), or None outside a configured instance."""
    try:
        from django.conf import settings

        home = settings.HOME
    except Exception:  # no Django settings (a script using the matcher alone): compile in memory only
        return None
    return Path(home) / "cache" / "hyperscan"


def _digest(literal: bool, expressions: Sequence[bytes], flags: Sequence[int], ids: Sequence[int]) -> str:
    h = hashlib.sha256()
    h.update(f"{getattr(hyperscan, '__version__', '')}|{literal}|{len(expressions)}|".encode())
    for expression, flag, ident in zip(expressions, flags, ids, strict=True):
        h.update(b"%d:%d:%d:" % (len(expression), flag, ident))
        h.update(expression)
    return h.hexdigest()


def _load_saved(digest: str) -> Any:
    """The database saved under ``digest``, or None: none saved, a file cut short or altered (its checksum
    disagrees), or one this build or CPU cannot read — then it is compiled again."""
    base = saved_dir()
    if base is None:
        return None
    path = base / f"{digest}.hsdb"
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(_MAGIC) + 32
    if not data.startswith(_MAGIC) or hashlib.sha256(data[head:]).digest() != data[len(_MAGIC) : head]:
        return None
    try:
        db = hyperscan.loadb(data[head:], hyperscan.HS_MODE_BLOCK)
    except Exception:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # used now: kept before the files no process has read for longer
    return db


def _save(digest: str, db: Any) -> None:
    """Written to a temporary file and renamed, so that a reader sees a whole file or none; a failure to
    write (a read-only home, a full disk) only means the next process compiles again."""
    base = saved_dir()
    if base is None:
        return
    tmp = None
    try:
        payload = hyperscan.dumpb(db)
        base.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=base, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(_MAGIC + hashlib.sha256(payload).digest() + payload)
        os.replace(tmp, base / f"{digest}.hsdb")
        tmp = None
        saved = sorted(base.glob("*.hsdb"), key=lambda p: p.stat().st_mtime)
        for old in saved[:-SAVED_KEPT]:
            old.unlink(missing_ok=True)
    except Exception:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def char_positions(raw: bytes) -> np.ndarray:
    """For each UTF-8 byte offset 0…len(raw) of ``raw``, the code-point offset of the text there.

    The characters before a byte offset are the lead bytes (any byte but a continuation byte 10xxxxxx)
    before it: one vectorised running count per page, where decoding each stretch between two offsets
    again took a Python call per offset."""
    lead = (np.frombuffer(raw, dtype=np.uint8) & 0xC0) != 0x80
    out = np.zeros(len(raw) + 1, dtype=np.intp)
    np.cumsum(lead, out=out[1:])
    return out


class Utf8:
    """A page as the matchers scan it: its UTF-8 bytes, and code-point offsets of byte offsets (``chars``), with
    ``char_positions`` worked out once, when first needed — the literal matcher and the prefilter scan the same
    page."""

    __slots__ = ("raw", "ascii", "_positions")

    def __init__(self, text: str):
        self.raw = text.encode("utf-8")
        self.ascii = len(self.raw) == len(text)  # bytes are code points
        self._positions: np.ndarray | None = None

    def chars(self, offsets: Sequence[int]) -> list[int]:
        """The code-point offsets of the byte ``offsets``, in order."""
        if self.ascii:
            return list(offsets)
        if self._positions is None:
            self._positions = char_positions(self.raw)
        return self._positions.take(offsets).tolist()  # ``take`` reads a sequence faster than indexing


def char_offsets(raw: bytes, found: list[tuple[int, int, Any]]) -> list[tuple[int, int, Any]]:
    """UTF-8 byte offsets → code-point offsets (``char_positions``), payloads kept, in the same order."""
    if not found:
        return []
    pos = char_positions(raw)
    starts, ends, payloads = zip(*found, strict=True)
    return list(zip(pos.take(starts).tolist(), pos.take(ends).tolist(), payloads, strict=True))


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

    def find(self, text: str, utf8: Utf8 | None = None) -> list[tuple[int, int, Any]]:
        """Every occurrence of every key in ``text`` (``utf8``: its bytes, when the caller has them already)."""
        if not self._keys:
            return []
        if utf8 is None:
            utf8 = Utf8(text)
        if self._db is not None:
            # The callback only records (start, end, id) in order; ids become payloads and byte offsets code
            # points afterwards, for all matches at once.
            hits: list[tuple[int, int, int]] = []
            append = hits.append

            def on_match(ident: int, start: int, end: int, flags: int, context: Any) -> None:
                append((start, end, ident))

            self._db.scan(utf8.raw, match_event_handler=on_match, scratch=self._scratch())
            if not hits:
                return []
            payloads = self._payloads
            if utf8.ascii:
                return [(s, e, payloads[i]) for s, e, i in hits]
            starts, ends, ids = zip(*hits, strict=True)
            points = utf8.chars(starts + ends)
            n = len(hits)
            return list(zip(points[:n], points[n:], [payloads[i] for i in ids], strict=True))
        raw = utf8.raw
        found = [
            (end + 1 - length, end + 1, payload)
            for end, (length, payload) in self._automaton.iter(raw.decode("latin-1"))
        ]
        if found and not utf8.ascii:
            found = char_offsets(raw, found)
        return found
