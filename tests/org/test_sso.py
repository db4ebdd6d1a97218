"""Log-in through the province's single sign-on (OpenID Connect), against a provider on loopback."""

from __future__ import annotations

import http.server
import json
import threading
import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

pytestmark = pytest.mark.django_db

CLIENT_ID, SECRET = "wangjian-county", "a-long-shared-secret-for-hs256-signing"


class Provider:
    """A minimal OpenID provider: a token endpoint issuing HS256 ID tokens and a userinfo endpoint."""

    def __init__(self):
        provider = self
        self.nonce = ""
        self.username = "ad_officer"

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, data):
                body = json.dumps(data).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                assert form["client_id"] == [CLIENT_ID] and form["code"] == ["code-1"]
                now = int(time.time())
                claims = {"iss": "province", "sub": "p-1", "aud": CLIENT_ID, "iat": now, "exp": now + 300}
                claims["nonce"] = provider.nonce
                self._json(
                    {"access_token": "at-1", "token_type": "Bearer", "id_token": jwt.encode(claims, SECRET)}
                )

            def do_GET(self):
                assert self.headers["Authorization"] == "Bearer at-1"
                self._json({"sub": "p-1", "preferred_username": provider.username})

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def provider(settings):
    p = Provider()
    settings.ROOT_URLCONF = "tests.org.sso_urls"
    settings.WANGJIAN_OIDC_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "wangjian.org.oidc.ProvinceSSOBackend",
    ]
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = CLIENT_ID, SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{p.url}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{p.url}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{p.url}/userinfo"
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_CREATE_USER = False
    yield p
    p.server.shutdown()


def sign_in(client, provider) -> bool:
    start = client.get("/oidc/authenticate/")
    assert start.status_code == 302 and start["Location"].startswith(provider.url + "/authorize")
    query = parse_qs(urlsplit(start["Location"]).query)
    provider.nonce = query["nonce"][0]
    client.get("/oidc/callback/", {"code": "code-1", "state": query["state"][0]})
    return "_auth_user_id" in client.session


def test_the_login_page_offers_the_provinces_sign_on_when_configured(demo, client, provider):
    assert 'id="sso-login"' in client.get("/login/").content.decode()


def test_the_provider_signs_in_an_existing_account_and_the_day_is_recorded(demo, client, provider):
    from wangjian.org.models import LoginDay

    assert sign_in(client, provider)
    assert int(client.session["_auth_user_id"]) == demo.users["ad_officer"].pk
    assert LoginDay.objects.filter(user=demo.users["ad_officer"]).exists()


def test_the_provider_creates_no_account_and_cannot_open_a_locked_one(demo, client, provider):
    from django.test import Client
    from django.utils import timezone

    from wangjian.org.models import User

    provider.username = "someone-unknown"
    assert not sign_in(client, provider)
    assert not User.objects.filter(username="someone-unknown").exists()
    User.objects.filter(username="ad_officer").update(
        locked_until=timezone.now() + timezone.timedelta(minutes=5)
    )
    provider.username = "ad_officer"
    assert not sign_in(Client(), provider)
