"""Lexicons: the long word lists a rule refers to by name (``lexicon:diseases``) instead of copying them.

A rule about claims of treating a disease needs the names of several hundred diseases, symptoms and
claim verbs; written into every rule they would be copied from rule to rule and drift apart. They
live as plain text in ``monitoring/data/lexicon/<name>.txt`` — one entry a line, ``#`` starts a
comment (the header of each file names its source and licence), an entry may carry a trailing
``  # note`` — and a rule's ``terms``, ``near`` terms, ``claim`` verbs and objects, and its
exclusion phrases may name one: ``lexicon:diseases``. The engine expands the reference when it
compiles the library, so the library stays data and the lists stay in one place.

The lexicons ship with wangjian (they are compiled by hand from public classifications and the
law); a stored library version names them and reads the installed ones.
"""

from __future__ import annotations

import functools
from importlib import resources

PREFIX = "lexicon:"


def _directory():
    return resources.files("wangjian.monitoring") / "data" / "lexicon"


@functools.cache
def names() -> tuple[str, ...]:
    """The lexicons that exist (file names without ``.txt``)."""
    base = _directory()
    if not base.is_dir():
        return ()
    return tuple(sorted(p.name[: -len(".txt")] for p in base.iterdir() if p.name.endswith(".txt")))


def parse(text: str) -> tuple[str, ...]:
    """The entries of a lexicon file: one a line, comments and blank lines skipped, no duplicates."""
    out: dict[str, None] = {}
    for line in text.splitlines():
        entry = line.split(" #", 1)[0].split("\t#", 1)[0].strip()
        if entry and not entry.startswith("#"):
            out.setdefault(entry, None)
    return tuple(out)


@functools.cache
def entries(name: str) -> tuple[str, ...]:
    """The entries of lexicon ``name``; ``KeyError`` when there is none of that name."""
    if name not in names():
        raise KeyError(name)
    return parse((_directory() / f"{name}.txt").read_text(encoding="utf-8"))


def is_reference(item: str) -> bool:
    return item.startswith(PREFIX)


def reference_name(item: str) -> str:
    return item[len(PREFIX) :].strip()


def unknown(items: list[str]) -> list[str]:
    """The references among ``items`` that name no lexicon (for the import's problem list)."""
    return [i for i in items if is_reference(i) and reference_name(i) not in names()]


def expand(items: list[str]) -> list[str]:
    """``items`` with every ``lexicon:NAME`` replaced by that lexicon's entries (order kept, no duplicates)."""
    if not any(is_reference(i) for i in items):
        return items
    out: dict[str, None] = {}
    for item in items:
        if is_reference(item):
            for entry in entries(reference_name(item)):
                out.setdefault(entry, None)
        else:
            out.setdefault(item, None)
    return list(out)
