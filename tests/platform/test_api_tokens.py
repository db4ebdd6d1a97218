"""API tokens: made and revoked by their users on the page and through the API, stored hashed, expiring."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_token_made_on_the_page_is_shown_once_stored_as_a_digest_and_works(demo, login):
    client = login(demo.users["ad_officer"])
    page = client.post("/tokens/", {"days": "7"}).content.decode()
    assert 'id="new-token"' in page
    token = page.split('<code class="user-select-all">')[1].split("</code>")[0]
    stored = AuthToken.objects.get(user=demo.users["ad_officer"])
    assert token not in (stored.digest, stored.token_key) and token.startswith(stored.token_key)
    assert stored.expiry - timezone.now() < dt.timedelta(days=7, minutes=1)
    assert bearer(token).get("/api/registry/entities/").status_code == 200
    assert token not in client.get("/tokens/").content.decode()  # never shown again


def test_a_revoked_or_expired_token_no_longer_opens_the_api(demo, api):
    me = api(demo.users["ad_officer"])
    made = me.post("/api/tokens/", {"days": 30}, format="json").json()
    assert bearer(made["token"]).get("/api/tokens/").status_code == 200
    assert me.delete(f"/api/tokens/{made['key']}/").status_code == 204
    assert bearer(made["token"]).get("/api/tokens/").status_code == 401
    _, old = AuthToken.objects.create(user=demo.users["ad_officer"], expiry=dt.timedelta(seconds=-1))
    assert bearer(old).get("/api/tokens/").status_code == 401


def test_a_token_lasts_no_longer_than_the_limit_and_one_revokes_only_ones_own(demo, api, settings):
    me, other = api(demo.users["ad_officer"]), api(demo.users["price_officer"])
    too_long = me.post("/api/tokens/", {"days": settings.WANGJIAN_API_TOKEN_MAX_DAYS + 1}, format="json")
    assert too_long.status_code == 400
    made = me.post("/api/tokens/", {}, format="json").json()
    assert other.delete(f"/api/tokens/{made['key']}/").status_code == 404
    assert made["key"] in [t["key"] for t in me.get("/api/tokens/").json()]
