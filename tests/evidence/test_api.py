"""The evidence API answers what its schema documents (found by the API fuzz test, tests/platform)."""

from __future__ import annotations

import pytest

from tests.platform.documented import assert_documented
from wangjian.evidence import services


@pytest.fixture
def shop_capture(demo, site):
    return services.evidence_capture(
        url=site.url("/shop.html"),
        operators=["钱科员", "李主任"],
        purpose="价格检查",
        user=demo.users["ad_officer"],
        mode="http",
    ).capture


def test_verify_answers_the_verification_report_the_schema_documents(demo, api, shop_capture):
    """It answered the report while the schema promised a capture."""
    client = api(demo.users["ad_officer"])
    r = client.get(f"/api/evidence/captures/{shop_capture.pk}/verify/")
    assert r.status_code == 200 and r.json()["ok"] is True and r.json()["problems"] == []
    assert_documented(client, r, "get", "/api/evidence/captures/{id}/verify/")


def test_a_capture_answers_201_with_the_officers_notes_as_documented(demo, api, site):
    client = api(demo.users["ad_officer"])
    body = {"url": site.url("/shop.html"), "operators": ["钱科员"], "purpose": "巡查", "mode": "http"}
    r = client.post("/api/evidence/captures/", body, format="json")
    assert r.status_code == 201 and r.json()["notes"]  # one operator only: the note says so
    assert_documented(client, r, "post", "/api/evidence/captures/")
