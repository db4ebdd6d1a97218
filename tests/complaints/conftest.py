"""The complaint tests share the clue tests' moments in Beijing time and stopped clock (pytest finds fixtures imported here)."""

from tests.clues.conftest import at, clock  # noqa: F401
