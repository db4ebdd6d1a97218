"""Fixtures for the organisation tests: the demo built once per module (see ``demo_once``)."""

from __future__ import annotations

import pytest

from tests.org import demo_once as shared

# The demo organisation built once per module (see tests/org/demo_once.py).
demo, demo_once, fast_password_hashing = shared.demo, shared.demo_once, shared.fast_password_hashing


@pytest.fixture
def county_dept(demo):
    """``county_dept(kind)`` → the demo county's department of that kind."""
    from wangjian.org.models import Department

    def _get(kind):
        return Department.objects.get(bureau=demo.county, kind=kind)

    return _get
