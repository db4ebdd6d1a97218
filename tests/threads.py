"""Waiting for the work a test started in a background thread (``core.background.start_thread``)."""

from __future__ import annotations

import threading


def join_thread(name: str, timeout: float = 60) -> None:
    """Wait for the thread called ``name``, if it is still running: a test that saw the status the work writes
    first must not end while the thread still writes, or its last rows meet the next test's emptied tables."""
    for thread in threading.enumerate():
        if thread.name == name:
            thread.join(timeout=timeout)
