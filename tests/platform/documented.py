"""``assert_documented``: an API answer is one the OpenAPI schema documents (status, content type, body).

The fuzz test (test_api_fuzz.py) checks every operation this way with generated input; the
regression tests of its findings check the one answer that was wrong, with schemathesis's own
validation, against the schema the running app serves.
"""

from __future__ import annotations

import requests
import schemathesis


def api_schema(client) -> dict:
    """The OpenAPI schema as ``client`` (logged in) reads it from ``/api/schema/``."""
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def assert_documented(client, response, method: str, path: str) -> None:
    """``response`` (a test client's) to ``method`` on the schema's ``path`` is documented exactly."""
    raw = api_schema(client)
    documented = raw["paths"][path][method.lower()]["responses"]
    assert str(response.status_code) in documented, (
        f"{method} {path} answered {response.status_code}, documented: {sorted(documented)}"
    )
    answer = schemathesis.Response(
        status_code=response.status_code,
        headers={key: [value] for key, value in response.items()},
        content=response.content,
        request=requests.Request(method.upper(), f"http://testserver{path}").prepare(),
        elapsed=0.0,
        verify=True,
    )
    # raises schemathesis' failure (the violations listed) when the body or its content type differ
    schemathesis.openapi.from_dict(raw)[path][method.upper()].validate_response(answer)
