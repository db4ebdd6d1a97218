"""The browser's only way out: a small forward proxy on loopback that applies the address policy.

Chromium is started with this proxy for every request it makes — the page, its redirects, frames,
images, scripts, XHR, WebSockets — and with loopback no longer bypassing it. The proxy resolves
each host itself, refuses what the policy refuses and connects to the address it checked, so a
page cannot reach an internal address by a redirect, an iframe or a second DNS answer.

A refused plain-HTTP request is answered ``403`` with the header ``X-Wangjian-Refused`` (the
recorder drops such answers: nothing of a refused address is stored); a refused HTTPS tunnel is
answered ``403`` to the ``CONNECT`` and the host is remembered, so the recorder can tell a refusal
from a network error. Plain-HTTP requests are sent upstream with ``Connection: close``: every
request gets its own upstream connection, checked for its own host.
"""

from __future__ import annotations

import asyncio
import collections
import logging
from collections.abc import Callable
from urllib.parse import urlsplit

from wangjian.core.fetching.addresses import REFUSED, AddressPolicy, AddressRefused

logger = logging.getLogger(__name__)

REFUSED_HEADER = "X-Wangjian-Refused"
UNREACHABLE_HEADER = "X-Wangjian-Unreachable"  # a permitted address that did not answer
_HOP_BY_HOP = {"proxy-connection", "proxy-authorization", "connection", "keep-alive"}
_MAX_HEAD = 64 * 1024
_CONNECT_TIMEOUT = 15.0


class PolicyProxy:
    """A forward proxy (HTTP and ``CONNECT``) on 127.0.0.1 that connects only where ``policy()`` permits."""

    def __init__(self, policy: Callable[[], AddressPolicy]):
        self._policy = policy
        self._server: asyncio.AbstractServer | None = None
        self.port: int | None = None
        self._refused: collections.OrderedDict[str, None] = collections.OrderedDict()

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, limit=_MAX_HEAD)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def was_refused(self, host: str) -> bool:
        """Whether a request to ``host`` was refused lately (an HTTPS tunnel fails without a response)."""
        return (host or "").lower() in self._refused

    def _remember(self, host: str) -> None:
        self._refused[host.lower()] = None
        self._refused.move_to_end(host.lower())
        while len(self._refused) > 512:
            self._refused.popitem(last=False)

    def _policy_closing(self) -> AddressPolicy:
        """The policy, read in a worker thread (it may read the allowlist from the database)."""
        from django.db import connection

        try:
            return self._policy()
        finally:
            connection.close()  # no connection left open by a thread the proxy borrowed

    async def _permitted(self, host: str, port: int) -> str | None:
        loop = asyncio.get_running_loop()
        policy = await loop.run_in_executor(None, self._policy_closing)
        try:
            return await policy.aresolve(host, port)
        except AddressRefused:
            self._remember(host)
            return None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=60)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ConnectionError):
            writer.close()
            return
        try:
            line, *header_lines = head.decode("latin-1").split("\r\n")
            method, target, version = line.split(" ", 2)
            if method.upper() == "CONNECT":
                await self._tunnel(target, reader, writer)
            else:
                await self._forward(method, target, version, header_lines, reader, writer)
        except Exception:  # a broken client or upstream ends this connection only
            logger.debug("proxy connection ended", exc_info=True)
        finally:
            writer.close()

    async def _refuse(self, writer: asyncio.StreamWriter) -> None:
        body = REFUSED.encode()
        writer.write(
            b"HTTP/1.1 403 Forbidden\r\n"
            + f"{REFUSED_HEADER}: 1\r\n".encode()
            + b"Content-Type: text/plain; charset=utf-8\r\n"
            + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )
        await writer.drain()

    async def _open(
        self, address: str, port: int
    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        try:
            return await asyncio.wait_for(asyncio.open_connection(address, port), timeout=_CONNECT_TIMEOUT)
        except (OSError, TimeoutError):
            return None

    async def _tunnel(self, target: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host, _, port_text = target.rpartition(":")
        host = host.strip("[]")
        port = int(port_text) if port_text.isdigit() else 443
        address = await self._permitted(host, port)
        if address is None:
            await self._refuse(writer)
            return
        upstream = await self._open(address, port)
        if upstream is None:
            await self._unreachable(writer)
            return
        writer.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
        await writer.drain()
        await _splice(reader, writer, *upstream)

    async def _forward(
        self,
        method: str,
        target: str,
        version: str,
        header_lines: list[str],
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        parts = urlsplit(target)
        if parts.scheme not in ("http", "ws") or not parts.hostname:
            await self._refuse(writer)
            return
        port = parts.port or 80
        address = await self._permitted(parts.hostname, port)
        if address is None:
            await self._refuse(writer)
            return
        upstream = await self._open(address, port)
        if upstream is None:
            await self._unreachable(writer)
            return
        up_reader, up_writer = upstream
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        kept = [h for h in header_lines if h and h.split(":", 1)[0].strip().lower() not in _HOP_BY_HOP]
        upgrade = any(h.split(":", 1)[0].strip().lower() == "upgrade" for h in kept)
        connection = "Connection: Upgrade" if upgrade else "Connection: close"
        up_writer.write(
            ("\r\n".join([f"{method} {path} {version}", *kept, connection]) + "\r\n\r\n").encode("latin-1")
        )
        await up_writer.drain()
        await _splice(reader, writer, up_reader, up_writer)


async def _splice(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    up_reader: asyncio.StreamReader,
    up_writer: asyncio.StreamWriter,
) -> None:
    """Copy both ways until the upstream closes (then the client's side is closed too)."""

    async def copy(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
        try:
            while data := await src.read(65536):
                dst.write(data)
                await dst.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            dst.close()

    upward = asyncio.ensure_future(copy(reader, up_writer))
    try:
        await copy(up_reader, writer)
    finally:
        upward.cancel()
        up_writer.close()
