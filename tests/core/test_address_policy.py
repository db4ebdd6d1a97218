"""The address policy: the server never reaches an internal address unless the superuser allowed it.

The suite allows 127.0.0.1 (its test sites) as a deployment would allow its own; the "internal"
hosts here listen on 127.0.0.2, loopback like any other and not on the list.
"""

from __future__ import annotations

import asyncio
import http.server
import ipaddress
import subprocess
import sys
import threading

import pytest

from wangjian.core.fetching import outcomes
from wangjian.core.fetching.addresses import (
    REFUSED,
    AddressPolicy,
    is_public,
    parse_networks,
    push_url_refused,
)

INTERNAL_BODY = b"INTERNAL-SECRET-7c1f"


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, dict, bytes]] = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        status, headers, body = self.routes.get(self.path.split("?")[0], (404, {}, b"missing"))
        self.send_response(status)
        headers = {"Content-Type": "text/html; charset=utf-8", **headers}
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Host:
    """A tiny site on ``address``; ``page(path, body, status, **headers)`` scripts it."""

    def __init__(self, address: str):
        handler = type("H", (_Handler,), {"routes": {}})
        self.routes = handler.routes
        self.server = http.server.ThreadingHTTPServer((address, 0), handler)
        self.base = f"http://{address}:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def page(self, path: str, body: bytes = b"", status: int = 200, **headers: str) -> str:
        self.routes[path] = (status, {k.replace("_", "-"): v for k, v in headers.items()}, body)
        return self.base + path

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def internal():
    h = Host("127.0.0.2")
    h.page("/", INTERNAL_BODY)
    yield h
    h.close()


@pytest.fixture
def public():
    """The "public" site: 127.0.0.1, on the suite's allowlist."""
    h = Host("127.0.0.1")
    yield h
    h.close()


# ------------------------------------------------------------------ which addresses


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.5.6.7",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "224.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:10.0.0.1",
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    ],
)
def test_internal_addresses_of_every_form_are_refused(address):
    assert not is_public(ipaddress.ip_address(address))
    assert not AddressPolicy().permits(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "114.114.114.114", "2400:3200::1", "64:ff9b::808:808"])
def test_public_addresses_are_permitted(address):
    assert AddressPolicy().permits(address)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://2130706433/",  # 127.0.0.1 as one number
        "http://0x7f.1/",
        "http://127.1/",
        "http://[::1]/",
        "http://[::ffff:7f00:1]/",
        "http://localhost/",
        "http://no-such-shop.invalid/",  # a name that does not resolve: the same answer
    ],
)
def test_numeric_spellings_and_names_resolve_before_the_check(url):
    assert AddressPolicy().url_refused(url)


def test_the_allowlist_lets_exactly_its_ranges_through():
    policy = AddressPolicy(allow=parse_networks("127.0.0.1/32, 10.20.0.0/16"))
    assert policy.permits("127.0.0.1") and policy.permits("10.20.3.4")
    assert policy.permits("::ffff:127.0.0.1")  # the mapped form of an allowed address
    assert not policy.permits("127.0.0.2") and not policy.permits("10.21.0.1")


def test_a_bad_allowlist_entry_is_named():
    with pytest.raises(ValueError, match="10.0.0.300"):
        parse_networks("127.0.0.1/32, 10.0.0.300")


# ------------------------------------------------------------------ HTTP (sweeps and http captures)


def test_an_http_capture_of_an_internal_address_is_refused_and_reads_nothing(internal):
    from wangjian.core.fetching.http import record_http

    result = record_http(internal.base + "/")
    assert result.failure.code == outcomes.REFUSED and result.failure.reason == REFUSED
    assert result.exchanges == [] and INTERNAL_BODY.decode() not in result.html


def test_open_and_closed_internal_ports_get_the_same_answer(internal, closed_port):
    from wangjian.core.fetching.http import record_http

    open_port = record_http(internal.base + "/").failure
    closed = record_http(f"http://127.0.0.2:{closed_port}/").failure
    unresolvable = record_http("http://no-such-shop.invalid/").failure
    assert open_port == closed == unresolvable == outcomes.refused()


def test_a_redirect_to_an_internal_address_is_refused_at_that_hop(public, internal):
    from wangjian.core.fetching.http import record_http

    start = public.page("/go", status=302, Location=internal.base + "/")
    result = record_http(start)
    assert result.failure.code == outcomes.REFUSED
    assert [e.url for e in result.exchanges] == [start]  # the public hop is recorded, nothing after it
    assert all(INTERNAL_BODY not in e.body for e in result.exchanges)


def test_a_sweep_fetch_of_an_internal_address_or_a_redirect_to_one_is_refused(public, internal):
    from wangjian.core.fetching.http import Fetcher

    start = public.page("/go", status=302, Location=internal.base + "/")

    async def run():
        async with Fetcher(delay=0, retries=0) as f:
            return await f.fetch(internal.base + "/"), await f.fetch(start)

    direct, redirected = asyncio.run(run())
    for out in (direct, redirected):
        assert out.status == "failed" and out.reason_code == outcomes.REFUSED
        assert INTERNAL_BODY.decode() not in (out.html or "")


@pytest.mark.django_db
def test_the_superusers_allowlist_lets_an_internal_address_through(internal):
    from wangjian.core.fetching.addresses import current_policy
    from wangjian.core.fetching.http import record_http
    from wangjian.core.models import AllowedAddress

    assert not current_policy().permits("127.0.0.2")
    row = AllowedAddress(network="127.0.0.2", reason="本局测试网站 / the bureau's test site")
    row.full_clean()
    row.save()
    assert row.network == "127.0.0.2/32"
    result = record_http(internal.base + "/")
    assert result.ok and INTERNAL_BODY.decode() in result.html
    row.delete()
    assert record_http(internal.base + "/").failure.code == outcomes.REFUSED


@pytest.mark.django_db
def test_the_allowlist_is_the_superusers_alone_and_every_change_is_audited(demo, client):
    from django.contrib.contenttypes.models import ContentType

    from wangjian.core.models import AllowedAddress, ChangeRecord
    from wangjian.org.models import User

    office = demo.users["office"]
    office.is_staff = True  # even with the admin site open to them
    office.save()
    client.force_login(office)
    assert client.get("/admin/core/allowedaddress/").status_code == 403
    root = User.objects.create_superuser("root", password="x-Root-2025-pass")
    client.force_login(root)
    response = client.post(
        "/admin/core/allowedaddress/add/", {"network": "10.20.0.0/16", "reason": "市局测试环境"}
    )
    assert response.status_code == 302
    row = AllowedAddress.objects.get()
    assert row.added_by == root
    log = ChangeRecord.objects.get(content_type=ContentType.objects.get_for_model(AllowedAddress))
    assert log.action == "create" and log.user == root and log.after["reason"] == "市局测试环境"


# ------------------------------------------------------------------ the browser


@pytest.mark.browser
def test_a_browser_capture_of_an_internal_address_is_refused(internal):
    from wangjian.core.fetching.browser import record_page, run_fresh

    result = run_fresh(lambda lease: record_page(lease, internal.base + "/"))
    assert result.failure.code == outcomes.REFUSED
    assert result.exchanges == [] and result.screenshot == b""
    assert INTERNAL_BODY.decode() not in result.html


@pytest.mark.browser
def test_a_page_framing_an_internal_address_is_captured_without_it(public, internal):
    from wangjian.core.fetching.browser import record_page, run_fresh

    frame = internal.base + "/"
    image = internal.page("/pixel.png", INTERNAL_BODY, content_type="image/png")
    url = public.page(
        "/shop",
        f"<html><body><p>店铺首页</p><iframe src='{frame}'></iframe><img src='{image}'></body></html>".encode(),
    )
    result = run_fresh(lambda lease: record_page(lease, url))
    assert result.ok and "店铺首页" in result.text
    assert all(INTERNAL_BODY not in e.body for e in result.exchanges)
    assert all(not e.url.startswith(internal.base) for e in result.exchanges)
    assert set(result.refused) == {frame, image}


@pytest.mark.browser
def test_a_browser_redirect_to_an_internal_address_is_refused(public, internal):
    from wangjian.core.fetching.browser import record_page, run_fresh

    start = public.page("/go", status=302, Location=internal.base + "/")
    result = run_fresh(lambda lease: record_page(lease, start))
    assert result.failure.code == outcomes.REFUSED
    assert all(INTERNAL_BODY not in e.body for e in result.exchanges)


# ------------------------------------------------------------------ what is saved, and the commands


def test_push_addresses_naming_internal_hosts_are_refused():
    policy = AddressPolicy()
    assert push_url_refused("json://127.0.0.1:8080/hook", policy)
    assert push_url_refused("jsons://10.1.2.3/hook", policy)
    assert push_url_refused("json://localhost/hook", policy)
    assert push_url_refused("mailto://user:pw@192.168.1.10", policy)  # a literal internal address
    assert not push_url_refused("dingtalk://token1234", policy)  # a vendor's service, named by token


@pytest.mark.django_db
def test_a_push_address_or_presence_url_naming_an_internal_host_is_refused_on_save(demo):
    from django.core.exceptions import ValidationError

    from wangjian.core.errors import ValidationFailed
    from wangjian.platform.inbox.services import push_address_add
    from wangjian.registry.models import Presence

    with pytest.raises(ValidationFailed) as refused:
        push_address_add(actor=demo.users["station_officer"], url="json://169.254.169.254/latest")
    assert "该地址不允许访问" in str(refused.value)
    presence = Presence(bureau=demo.county, kind="website", url="http://10.0.0.8/admin", shop_name="x")
    with pytest.raises(ValidationError) as invalid:
        presence.full_clean()
    assert REFUSED in str(invalid.value.message_dict["url"])


def _cli(*args: str, env_allow: str = "127.0.0.1/32", tmp_path) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, "WANGJIAN_FETCH_ALLOW": env_allow, "WANGJIAN_HOME": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "wangjian", *args], capture_output=True, text=True, env=env, timeout=120
    )


@pytest.mark.django_db
def test_the_commands_refuse_an_internal_address_and_exit_non_zero(internal, demo, tmp_path, settings):
    from django.core.management import call_command

    from wangjian.evidence.models import EvidenceCapture

    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")
    settings.WANGJIAN_EVIDENCE_KEY_DIR = str(tmp_path / "keys")
    check = _cli("monitor", "check", internal.base + "/", tmp_path=tmp_path)
    assert check.returncode != 0 and "该地址不允许访问" in check.stderr
    assert INTERNAL_BODY.decode() not in check.stdout
    with pytest.raises(SystemExit) as exited:
        call_command("evidence", "capture", "--http", "--bureau", demo.county.code, internal.base + "/")
    assert exited.value.code != 0
    capture = EvidenceCapture.objects.get()  # the attempt is on record, as refused, with nothing fetched
    assert capture.failure_reason == "refused" and not capture.final_url
    allowed = _cli("monitor", "check", internal.base + "/", env_allow="127.0.0.2/32", tmp_path=tmp_path)
    assert allowed.returncode == 0, allowed.stderr
