"""The leading group's tests share the demo organisation built once per module and the stopped clock."""

import pytest

from tests.clues.conftest import at, clock  # noqa: F401
from tests.org import demo_once as shared

demo, demo_once, fast_password_hashing = shared.demo, shared.demo_once, shared.fast_password_hashing


@pytest.fixture
def users(demo):
    return demo.users


@pytest.fixture
def units(demo):
    from wangjian.org.choices import DepartmentKind as K
    from wangjian.org.models import Department, Station

    out = {k: Department.objects.get(bureau=demo.county, kind=k) for k in (K.ADVERTISING, K.PRICE, K.FOOD)}
    out["station"] = Station.objects.filter(bureau=demo.county).order_by("id").first()
    return out


@pytest.fixture
def plan(demo, users):
    from wangjian.leadership import services

    return services.plan_create(bureau=demo.county, year=2025, user=users["office"])
