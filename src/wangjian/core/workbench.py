"""Sections of the workbench that each app contributes (my tasks, deadlines).

An app registers a function ``(user) -> dict | None`` returning
``{"title", "items": [{"label", "url", "due", "overdue"}], "url"}``; the workbench lists
them in registration order. Until the clue loop exists, the task list is empty.
"""

from __future__ import annotations

from collections.abc import Callable

_SECTIONS: list[Callable] = []


def register(fn: Callable) -> Callable:
    _SECTIONS.append(fn)
    return fn


def workbench_sections(user) -> list[dict]:
    out = []
    for fn in _SECTIONS:
        section = fn(user)
        if section:
            out.append(section)
    return out
