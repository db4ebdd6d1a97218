"""httpx transports that connect only where the address policy permits, to the address it checked.

httpcore opens every connection through a network backend given the URL's host name; these
backends resolve the name themselves, keep the first permitted address and connect to it (TLS
still names the host, so certificates are checked against the name). A redirect to another host
opens a new connection and is checked the same way; nothing resolves the name a second time.
"""

from __future__ import annotations

import ssl
from typing import Any

import httpcore
import httpx

from wangjian.core.fetching.addresses import AddressPolicy, AddressRefused


class _PinnedAsyncBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, policy: AddressPolicy):
        self.policy = policy
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None, **kw: Any):
        address = await self.policy.aresolve(host, port)
        return await self.inner.connect_tcp(address, port, timeout=timeout, **kw)

    async def connect_unix_socket(self, path: str, timeout: float | None = None, **kw: Any):
        raise AddressRefused(path)

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class _PinnedBackend(httpcore.NetworkBackend):
    def __init__(self, policy: AddressPolicy):
        self.policy = policy
        self.inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, **kw: Any):
        address = self.policy.resolve(host, port)
        return self.inner.connect_tcp(address, port, timeout=timeout, **kw)

    def connect_unix_socket(self, path: str, timeout: float | None = None, **kw: Any):
        raise AddressRefused(path)

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


def _pool_settings(verify: bool | ssl.SSLContext, limits: httpx.Limits) -> dict[str, Any]:
    """What httpx would give its own pool: the TLS context and the connection limits."""
    return {
        "ssl_context": verify
        if isinstance(verify, ssl.SSLContext)
        else httpx.create_ssl_context(verify=verify),
        "max_connections": limits.max_connections,
        "max_keepalive_connections": limits.max_keepalive_connections,
        "keepalive_expiry": limits.keepalive_expiry,
    }


class PinnedAsyncTransport(httpx.AsyncHTTPTransport):
    """``httpx.AsyncHTTPTransport`` whose connections pass the address policy (no proxy, no sockets)."""

    def __init__(
        self,
        policy: AddressPolicy,
        *,
        verify: bool | ssl.SSLContext = True,
        limits: httpx.Limits | None = None,
    ):
        limits = limits or httpx.Limits()
        super().__init__(verify=verify, limits=limits, trust_env=False)
        # httpx builds its pool without a way to name the network backend; the pool is rebuilt
        # with the same settings and ours (tests prove a refused address never gets a connection).
        self._pool = httpcore.AsyncConnectionPool(
            **_pool_settings(verify, limits), network_backend=_PinnedAsyncBackend(policy)
        )


class PinnedTransport(httpx.HTTPTransport):
    """``httpx.HTTPTransport`` whose connections pass the address policy."""

    def __init__(
        self,
        policy: AddressPolicy,
        *,
        verify: bool | ssl.SSLContext = True,
        limits: httpx.Limits | None = None,
    ):
        limits = limits or httpx.Limits()
        super().__init__(verify=verify, limits=limits, trust_env=False)
        self._pool = httpcore.ConnectionPool(
            **_pool_settings(verify, limits), network_backend=_PinnedBackend(policy)
        )
