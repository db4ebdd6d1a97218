"""Which addresses the server may reach: the address policy every fetch obeys (防止服务端请求伪造).

An officer gives the server URLs (a capture, a presence, a feed, a push address); a page the server
reads names more (redirects, frames, images). On an intranet that also holds other government
systems none of these may reach an internal address. So every host is resolved by us, every
address it resolves to is checked, and the connection goes to the address that was checked (pinned:
a second DNS answer cannot swap in an internal one). The rule holds at every redirect hop and for
every request Chromium makes (it reaches the web only through the pool's proxy, which applies it).

Refused: loopback, private (RFC 1918), link-local, carrier-grade NAT (100.64/10), unique-local
(fc00::/7), multicast, unspecified, reserved and documentation ranges — in IPv4 and IPv6,
including IPv4-mapped, 6to4, Teredo and NAT64 forms and numeric spellings (``2130706433``,
``0x7f.1``), which resolve to the same addresses. Anything not globally routable is refused.

Allowed anyway: what the superuser put on the allowlist (``AllowedAddress`` rows, each with a
reason, audited) and what the deployment names in ``WANGJIAN_FETCH_ALLOW`` (comma-separated
addresses or CIDR ranges) — the demo market, a bureau's own test sites, the test suite's loopback.

One text for every refused or unresolvable address: the answer never tells an open port from a
closed one or an internal name from a missing one.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

REFUSED_ZH = "该地址不允许访问或无法访问"
REFUSED_EN = "this address is refused or cannot be reached"
REFUSED = f"{REFUSED_ZH} / {REFUSED_EN}"

logger = logging.getLogger(__name__)

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


class AddressRefused(OSError):
    """The policy refused every address of a host (or the host did not resolve)."""

    def __init__(self, host: str = ""):
        super().__init__(REFUSED)
        self.host = host


def embedded_ipv4(ip: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, Teredo client, NAT64), if any."""
    if ip.version != 6:
        return None
    assert isinstance(ip, ipaddress.IPv6Address)
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64 or ip in _NAT64_LOCAL:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public(ip: Address) -> bool:
    """Globally routable unicast: neither loopback, private, link-local, CGNAT, multicast nor reserved."""
    inner = embedded_ipv4(ip)
    if inner is not None:
        return is_public(inner)
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


def parse_networks(text: str | Iterable[str]) -> tuple[Network, ...]:
    """``"127.0.0.1/32, 10.1.0.0/16"`` → networks; a bad entry raises ``ValueError`` naming it."""
    items = text.split(",") if isinstance(text, str) else list(text)
    out = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        try:
            out.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ValueError(f"地址或网段无效 / invalid address or range: {item!r} ({exc})") from exc
    return tuple(out)


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses, plus the allowlist."""

    allow: tuple[Network, ...] = ()

    def permits(self, ip: Address | str) -> bool:
        if isinstance(ip, str):
            ip = ipaddress.ip_address(ip.split("%", 1)[0])
        if any(ip.version == net.version and ip in net for net in self.allow):
            return True
        inner = embedded_ipv4(ip)
        if inner is not None and any(inner in net for net in self.allow if net.version == 4):
            return True
        return is_public(ip)

    def _choose(self, host: str, infos: list) -> str:
        for info in infos:
            addr = info[4][0]
            if self.permits(addr):
                return addr
        raise AddressRefused(host)

    def resolve(self, host: str, port: int = 443) -> str:
        """The address to connect to for ``host``: the first one the policy permits, else ``AddressRefused``."""
        try:
            infos = socket.getaddrinfo(_bare(host), port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise AddressRefused(host) from exc
        return self._choose(host, infos)

    async def aresolve(self, host: str, port: int = 443) -> str:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(_bare(host), port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise AddressRefused(host) from exc
        return self._choose(host, infos)

    def url_refused(self, url: str) -> bool:
        """Whether fetching ``url`` would be refused (resolves its host now; for checks before saving)."""
        try:
            parts = urlsplit(url)
            host, port = parts.hostname, parts.port
        except ValueError:
            return True
        if not host:
            return True
        try:
            self.resolve(host, port or (443 if parts.scheme == "https" else 80))
        except AddressRefused:
            return True
        return False


def _bare(host: str) -> str:
    return host[1:-1] if host.startswith("[") and host.endswith("]") else host


# ------------------------------------------------------------------------------ the policy in force


@dataclass
class _Cache:
    policy: AddressPolicy | None = None
    at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


_cache = _Cache()
_TTL = 30.0  # seconds a worker keeps the allowlist before reading it again (a change resets it here)


_allowlist_source: Callable[[], Iterable[str]] | None = None


def use_allowlist(source: Callable[[], Iterable[str]]) -> None:
    """Name where the superuser's allowlist is read from (``core.apps`` gives the ``AllowedAddress`` rows)."""
    global _allowlist_source
    _allowlist_source = source
    forget_policy()


def _allowlist_rows() -> list[Network]:
    if _allowlist_source is None:
        return []
    return [n for text in _allowlist_source() for n in parse_networks(text)]


def _allowlist_rows_in_thread() -> list[Network]:
    from django.db import connection

    try:
        return _allowlist_rows()
    finally:
        connection.close()


def _load() -> tuple[AddressPolicy, bool]:
    """The policy, and whether the superuser's list could be read (if not, it is not kept)."""
    from django.conf import settings

    nets = list(parse_networks(getattr(settings, "WANGJIAN_FETCH_ALLOW", "") or ""))
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        in_loop = False
    else:
        in_loop = True
    try:
        if in_loop:  # the database is not used from an event loop: a short thread reads the list
            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                rows = pool.submit(_allowlist_rows_in_thread).result(timeout=30)
        else:
            rows = _allowlist_rows()
    except (
        Exception
    ) as exc:  # no table yet (before migrate): the deployment's list alone (stricter), read again next time
        logger.info("allowlist of addresses not readable (%s); using WANGJIAN_FETCH_ALLOW only", exc)
        return AddressPolicy(allow=tuple(nets)), False
    return AddressPolicy(allow=tuple(nets + rows)), True


def current_policy() -> AddressPolicy:
    """The policy in force: public addresses plus the deployment's and the superuser's allowlist."""
    with _cache.lock:
        now = time.monotonic()
        if _cache.policy is not None and now - _cache.at <= _TTL:
            return _cache.policy
    policy, complete = _load()
    if complete:
        with _cache.lock:
            _cache.policy, _cache.at = policy, time.monotonic()
    return policy


def forget_policy() -> None:
    """Read the allowlist again on next use (after it changed, or a test changed the settings)."""
    with _cache.lock:
        _cache.policy = None


# ------------------------------------------------------------------------------ checks before saving


def _literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(_bare(host).split("%", 1)[0])
    except ValueError:
        return None


def _named_refused(host: str, policy: AddressPolicy) -> bool:
    """A host written as an address (or ``localhost``) the policy refuses: known without asking DNS."""
    host = host.lower().rstrip(".")
    literal = _literal(host)
    if literal is not None:
        return not policy.permits(literal)
    if host == "localhost" or host.endswith(".localhost"):
        return not policy.permits("127.0.0.1")
    return False


def validate_fetchable_url(value: str) -> None:
    """Model and serializer validator: a URL the server will fetch may not name a refused address.

    Names are not resolved when saving (an intranet's web zone may not resolve public names at
    all); they are resolved, checked and pinned when fetched.
    """
    from django.core.exceptions import ValidationError

    if not value:
        return
    try:
        host = urlsplit(value).hostname or ""
    except ValueError:
        return  # the URL field's own validation names a malformed URL
    if host and _named_refused(host, current_policy()):
        raise ValidationError(REFUSED, code="refused_address")


#: Apprise schemes that post to an address the user names (the others go to a vendor's service).
WEBHOOK_SCHEMES = frozenset({"json", "jsons", "xml", "xmls", "form", "forms", "http", "https"})


def push_url_refused(url: str, policy: AddressPolicy | None = None) -> bool:
    """Whether a push address (Apprise URL) would reach an address the policy refuses.

    A generic webhook (``json://``, ``xml://``, ``form://``) is resolved now and checked like a
    fetch; any other scheme is refused if it names a refused address literally.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 (a malformed port raises here)
    except ValueError:
        return True
    if not host:
        return False
    policy = policy or current_policy()
    if _named_refused(host, policy):
        return True
    if parts.scheme.lower() in WEBHOOK_SCHEMES:
        return policy.url_refused(f"http://{parts.netloc}/")
    return False
