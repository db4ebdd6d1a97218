"""Character 2-grams of entity names: how a word from the middle of a name (商贸, 茶叶, 鑫源) is found by index.

No ordinary index serves ``name_key LIKE '%商贸%'``, and PostgreSQL's pg_trgm cannot either:
a two-character Chinese word has no trigram. So every entity's normalised name
(``MarketEntity.name_key``) is cut into its distinct character 2-grams, one row per gram
and entity in ``EntityNameGram`` (``gram``, ``entity``; the primary key is the pair, in that
order, so the gram's entities are one range of that index, sorted by entity). A query of n ≥ 2
characters is cut the same way; the entities holding all its grams are the candidates
(started from the rarest gram, each other gram a probe of the same index), and the substring
itself is confirmed on the candidate rows, since holding the grams is not yet holding them in
that order. One-character queries have no gram and keep the search they had.

Why a side table and not, on PostgreSQL, an array of grams in the entity row with a GIN index:

* one design on both databases — SQLite, the embedded default, has no GIN; the same rows,
  the same queries and the same tests serve both, and the import writes the grams through
  the path it already has (COPY on PostgreSQL, ``executemany`` on SQLite);
* the entities of a gram come out of the index in order of id, so a search is read chunk
  by chunk and stops as soon as a page is full, instead of building a bitmap of every
  entity with a common gram such as 有限 first;
* the rarest gram can be told by counting (capped) in the same index before searching.

What it costs is space and import time: about one row per character of each name, where a GIN
posting list would compress them. Measured at 200,000 entities on PostgreSQL: 3.1 million rows,
260 MB with both indexes, beside 182 MB for the entities themselves; a first import of the
registry takes about twice as long, still over ten times faster than saving row by row
(``bench/import.py``).

Pure functions here; the rows are written by ``MarketEntity.save`` and the imports
(``services.imports``), rebuilt by ``services.name_grams_rebuild``
(``wangjian reindex_names``), and read by ``selectors.entity_search``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

GRAM = 2  # characters per gram: Chinese words are mostly two characters


def grams(text: str) -> list[str]:
    """The distinct 2-grams of ``text``, in order of first appearance (none for fewer than two characters)."""
    return list(dict.fromkeys(text[i : i + GRAM] for i in range(len(text) - GRAM + 1)))


def gram_rows(pairs: Iterable[tuple[int, str]]) -> Iterator[dict]:
    """``{"gram", "entity_id"}`` rows for ``(entity id, name_key)`` pairs, ready for a bulk insert."""
    for entity_id, key in pairs:
        for g in grams(key or ""):
            yield {"gram": g, "entity_id": entity_id}
