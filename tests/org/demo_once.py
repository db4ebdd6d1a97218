"""The demo organisation built once per test module, each test rolled back to it.

Building the demo county writes some 150 audited rows; doing that for every test made
the suite take minutes. Here it is built once per module inside a transaction that is
rolled back when the module ends, and every test runs in a savepoint inside it (so a
test's changes vanish before the next test). ``demo`` hands each test fresh instances.
Test modules outside ``tests/org`` import these fixtures by name.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

# The production hasher costs ~0.3 s per password; the policy validators run all the same.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEMO_PASSWORD = "Demo2025pass"


@pytest.fixture(scope="module", autouse=True)
def fast_password_hashing():
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        yield


@pytest.fixture(scope="module")
def demo_once(fast_password_hashing, django_db_setup, django_db_blocker):
    from wangjian.org import demo as org_demo

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield org_demo.build(password=DEMO_PASSWORD)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(demo_once, db):
    """The demo organisation, with instances fresh from the database for this test."""
    from wangjian.org.demo import DemoOrg
    from wangjian.org.models import Bureau, User

    bureaus = Bureau.objects.in_bulk(
        [demo_once.province.pk, demo_once.city.pk, demo_once.county.pk, demo_once.other_county.pk]
    )
    users = User.objects.select_related("bureau").in_bulk([u.pk for u in demo_once.users.values()])
    return DemoOrg(
        province=bureaus[demo_once.province.pk],
        city=bureaus[demo_once.city.pk],
        county=bureaus[demo_once.county.pk],
        other_county=bureaus[demo_once.other_county.pk],
        users={name: users[u.pk] for name, u in demo_once.users.items()},
        password=demo_once.password,
    )
