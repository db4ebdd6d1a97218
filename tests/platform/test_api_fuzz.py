"""The REST API survives fuzzing: schemathesis over the whole OpenAPI schema, as the county's office.

The schema is read from the running application (``/api/schema/``) and every operation in it is
called through the WSGI application (no network) with inputs schemathesis generates from the
schema, valid and invalid alike, as 李主任 (the office administrator of the demo county, who may
write everything of 旌德县) against the demo organisation and one row of every registry. Each answer
must be no 5xx, carry a status code the schema documents, and match the documented content type
and schema (``platform/openapi.py`` documents the error answers).

Bounded and reproducible: a fixed number of examples per operation, derandomized (the same inputs
on every run, in CI and on a laptop), no example database, no time limits; every call runs in a
savepoint rolled back afterwards, so no example sees what an earlier one wrote. A few minutes on
the project's two cores (one worker runs it). Nothing leaves the machine: host names do not
resolve, and the fetch gate refuses every address, so a fuzzed capture or sweep is recorded as
refused, never fetched.

What a run found is fixed in the product code, each with a regression test naming the rule in
its app's tests; a failure here prints the request to reproduce it (``curl …``).
"""

from __future__ import annotations

import socket
import sys

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction

from tests.org import demo_once as shared
from tests.platform.test_views_generated import BUILDERS, Rows, shop_url  # noqa: F401 (a fixture)

demo, demo_once, fast_password_hashing = shared.demo, shared.demo_once, shared.fast_password_hashing

EXAMPLES = 10  # per operation: some 3,200 calls over the schema's 325 operations
CONFIG = {
    "seed": 20251112,
    "suppress-health-check": ["all"],
    "generation": {
        "max-examples": EXAMPLES,
        "deterministic": True,  # Hypothesis' derandomize: the same examples on every run
        "database": "none",
        "with-security-parameters": False,  # the caller's token is sent with every call
    },
    # The coverage phase (some 10,000 boundary cases, ~7 minutes) was run once to find what this test
    # now guards; the fuzzing phase, valid and invalid inputs, keeps the run near a minute.
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    "checks": {
        "enabled": False,
        "not_a_server_error": {"enabled": True},
        "status_code_conformance": {"enabled": True},
        "content_type_conformance": {"enabled": True},
        "response_schema_conformance": {"enabled": True},
    },
}
LOOPBACK = ("localhost", "127.0.0.1", "::1")
CALLS: list[str] = []


@pytest.fixture
def office_token(demo) -> str:
    from knox.models import AuthToken

    _, token = AuthToken.objects.create(user=demo.users["office"])
    return f"Token {token}"


@pytest.fixture
def api_schema(request, demo, shop_url, office_token, settings, tmp_path, monkeypatch):  # noqa: F811
    """The schema of the running app, with the county's rows in place and the network closed."""
    from wangjian.wsgi import application

    # schemathesis 4.32 names each operation's subtest by writing the node's ``_nodeid``, which
    # pytest 9 no longer has; give it one (nothing else reads it).
    request.node._nodeid = request.node.nodeid
    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")
    settings.WANGJIAN_EVIDENCE_KEY_DIR = str(tmp_path / "keys")
    settings.WANGJIAN_EVIDENCE_TIMEOUT = 10
    rows = Rows(demo, shop_url)
    for label in BUILDERS:
        rows.make(label)  # a capture reads the shop on 127.0.0.1: before the network is closed

    real_getaddrinfo = socket.getaddrinfo

    def loopback_only(host, *args, **kwargs):
        if host not in LOOPBACK:
            raise socket.gaierror(f"the fuzz test resolves no host names ({host})")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", loopback_only)
    for name, module in list(sys.modules.items()):  # the gate of every fetch, wherever it was imported
        if name.startswith("wangjian.") and callable(getattr(module, "url_problem", None)):
            monkeypatch.setattr(module, "url_problem", lambda url: "the fuzz test fetches nothing")
    # As Django's test client does: a request must not close the test's connection (its transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    CALLS.clear()
    try:
        schema = schemathesis.openapi.from_wsgi(
            "/api/schema/?format=json",  # the same schema as the YAML, which takes seconds more to write and read
            application,
            config=schemathesis.Config.from_dict(CONFIG),
            headers={"Authorization": office_token},
        )
        yield schema
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    operations = {result.ok().label for result in schema.get_all_operations()}
    assert operations <= set(CALLS), f"operations never called: {sorted(operations - set(CALLS))}"
    print(f"\nfuzzed {len(CALLS)} calls over {len(operations)} operations", file=sys.stderr)


lazy_schema = schemathesis.pytest.from_fixture("api_schema")


@lazy_schema.parametrize()
def test_every_operation_answers_as_documented_whatever_it_is_sent(case, office_token):
    CALLS.append(case.operation.label)
    with transaction.atomic():
        case.call_and_validate(headers={"Authorization": office_token})
        transaction.set_rollback(True)
