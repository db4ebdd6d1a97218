"""Web settings: a Content-Security-Policy on every page with no inline script, HTTPS behind a proxy, a private home."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "wangjian"
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)


def _templates():
    for path in SRC.rglob("templates/**/*.html"):
        yield path, path.read_text(encoding="utf-8")


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = [
        str(path.relative_to(SRC))
        for path, text in _templates()
        if INLINE_HANDLER.search(text) or INLINE_SCRIPT.search(text)
    ]
    assert offenders == []


@pytest.mark.django_db
def test_every_page_carries_the_content_security_policy(demo, login):
    client = login(demo.users["office"])
    for url in ("/", "/login/", "/registry/entities/", "/api/docs/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "object-src 'none'" in policy and "unsafe-eval" not in policy
        assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]


def _settings_in(env: dict[str, str], *names: str) -> list[str]:
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'wangjian.settings'); django.setup();"
        f"from django.conf import settings; print([repr(getattr(settings, n, None)) for n in {names!r}])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return eval(out.stdout.strip())  # noqa: S307 (our own repr of settings)


def test_the_https_switch_makes_cookies_secure_sends_hsts_and_trusts_the_proxy_header(tmp_path):
    on = _settings_in(
        {"WANGJIAN_HTTPS": "1", "WANGJIAN_HOME": str(tmp_path / "on")},
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
    )
    assert on == ["True", "True", "True", "('HTTP_X_FORWARDED_PROTO', 'https')", str(365 * 24 * 3600)]
    off = _settings_in(
        {"WANGJIAN_HOME": str(tmp_path / "off")}, "SESSION_COOKIE_SECURE", "SECURE_SSL_REDIRECT"
    )
    assert off == ["False", "False"]


def test_the_home_folder_is_the_service_accounts_alone(tmp_path):
    home = tmp_path / "home"
    _settings_in({"WANGJIAN_HOME": str(home)}, "SECRET_KEY")
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "secret_key").stat().st_mode) == 0o600
